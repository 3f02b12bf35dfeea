"""Check off a follow-up: what was done; a thank-you's personal line; a promise kept."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label

from counter_tui.db.models import FollowUpKind
from counter_tui.services import followups
from counter_tui.services.followups import require_personal
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.views import FollowUpView
from counter_tui.text import one_line
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.shop_access import ServiceCaller, done


def personal_line(value: str, template: str) -> str:
    """`value` stripped, if it says more than the template; refused in the dialog otherwise,
    so nothing typed is lost to a refusal from the service after the dialog closed."""
    value = value.strip()
    require_personal(value, template)
    return value


@dataclass(frozen=True)
class Completion:
    """What the owner reports having done."""

    what_was_done: str
    personal_line: str
    customer_informed: bool
    still_open: bool


class CompleteFollowUpDialog(FormDialog[Completion]):
    """Say what was done ("I promised this; I have done this")."""

    def __init__(self, followup: FollowUpView) -> None:
        super().__init__()
        self._followup = followup
        self.TITLE_TEXT = f"Done: {followup.kind_label} for {one_line(followup.customer_name, 40)}"

    def fields(self) -> ComposeResult:
        followup = self._followup
        yield Label(
            f"{one_line(followup.summary, 70)} · {CHANNEL_LABELS.get(followup.channel, followup.channel)}",
            markup=False,
        )
        if followup.kind == FollowUpKind.THANK_YOU:
            yield Label("Personal line (more than the template: something about their visit)")
            personal = Input(max_length=200, id="personal")
            personal.value = followup.personal_line
            yield personal
        yield Label("What did you do?")
        yield Input(placeholder="e.g. Emailed with the care guide attached", max_length=500, id="done")
        if followup.kind == FollowUpKind.PROMISE:
            yield Checkbox("The customer has been told it is done", True, id="informed")
        if followup.kind == FollowUpKind.STATUS_UPDATE:
            yield Checkbox("The order or repair is still open (queue the next update)", True, id="still-open")

    def collect(self) -> Completion:
        kind = self._followup.kind
        line = ""
        if kind == FollowUpKind.THANK_YOU:
            line = personal_line(self.query_one("#personal", Input).value, self._followup.summary)
        return Completion(
            what_was_done=required(self.query_one("#done", Input).value, "Say what you did."),
            personal_line=line,
            customer_informed=self.query_one("#informed", Checkbox).value
            if kind == FollowUpKind.PROMISE
            else True,
            still_open=self.query_one("#still-open", Checkbox).value
            if kind == FollowUpKind.STATUS_UPDATE
            else False,
        )


def check_off(where: ServiceCaller, item: FollowUpView) -> None:
    """Ask what was done, then check `item` off ("I promised this; I have done this")."""

    def save(completion: Completion | None) -> None:
        if completion is not None:
            where.call(
                followups.complete_followup,
                where.ctx,
                where.actor,
                item.id,
                what_was_done=completion.what_was_done,
                personal_line=completion.personal_line,
                customer_informed=completion.customer_informed,
                still_open=completion.still_open,
                then=lambda _: done(where, "Checked off."),
            )

    where.app.push_screen(CompleteFollowUpDialog(item), save)
