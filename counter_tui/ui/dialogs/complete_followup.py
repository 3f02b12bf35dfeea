"""Check off a follow-up: what was done; a thank-you's personal line; a promise kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.db.models import Channel, FollowUpKind
from counter_tui.errors import InvalidInput
from counter_tui.sentences import counted
from counter_tui.services import followups, outbox
from counter_tui.services.context import Actor
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.outbox import EMAIL_KINDS, MailPreview
from counter_tui.services.views import FollowUpView
from counter_tui.ui.dialogs.form import AskOver, FormDialog, ask, required
from counter_tui.ui.dialogs.mail_preview import MailPreviewDialog
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import clean, compose, line, one_line
from counter_tui.ui.shop_access import ServiceCaller, done
from counter_tui.ui.widgets.choice import ChoiceList, Tick

DONE_LABEL = "What did you do?"
DONE_EXAMPLE = "e.g. Emailed with the care guide attached"
TELL_LABEL = "What to tell them (the email's words, under the greeting)"
TELL_EXAMPLE = "e.g. Your watch is repaired and ready to collect."
REACHED_BY = [
    (Channel.IN_PERSON, "In person"),
    (Channel.PHONE, "By phone"),
    (Channel.SMS, "By text message"),
]
"""How an email follow-up reached the customer when the email was not sent."""


@dataclass(frozen=True)
class Completion:
    """What the owner reports having done."""

    what_was_done: str
    personal_line: str
    customer_informed: bool
    still_open: bool
    by_email: bool = False
    reached_by: str | None = None


class CompleteFollowUpDialog(FormDialog[Completion]):
    """Say what was done ("I promised this; I have done this")."""

    FIELD_IDS: ClassVar[dict[str, str]] = {
        "what_was_done": "done",
        "personal_line": "personal",
        "reached_by": "reached-by",
        outbox.BY_EMAIL: "by-email",
    }

    def __init__(self, followup: FollowUpView) -> None:
        super().__init__()
        self._followup = followup
        self.TITLE_TEXT = f"Done: {followup.kind_label} for {one_line(followup.customer_name, 40)}"

    def fields(self) -> ComposeResult:
        followup = self._followup
        yield Label(
            compose(
                "$summary · $channel",
                summary=line(followup.summary, 70),
                channel=CHANNEL_LABELS.get(followup.channel, followup.channel),
            )
        )
        if followup.kind == FollowUpKind.THANK_YOU:
            yield Label("Personal line (more than the template: something about their visit)")
            personal = KeysInOrder(id="personal")
            personal.value = clean(followup.personal_line)
            yield personal
        yield Label(DONE_LABEL, id="done-label")
        yield KeysInOrder(placeholder=DONE_EXAMPLE, id="done")
        if followup.kind == FollowUpKind.PROMISE:
            yield Tick("The customer has been told it is done", True, id="informed")
        if followup.kind == FollowUpKind.STATUS_UPDATE:
            when = f"in {counted(followup.every_days, 'day')}" if followup.every_days else "when due"
            yield Tick(
                f"Still open: the next update comes back {when} (untick when it is done)",
                True,
                id="still-open",
            )
        if _may_email(followup):
            yield Tick("Send it by email (you see it before it goes)", True, id="by-email")
            yield Label("Not by email: how did it reach them? (arrows, Space)", id="reached-by-label")
            yield ChoiceList(REACHED_BY, id="reached-by")

    def on_mount(self) -> None:
        self._say_what_the_words_are_for(_may_email(self._followup))

    def on_checkbox_changed(self, event: Tick.Changed) -> None:
        if event.checkbox.id == "by-email":
            self._say_what_the_words_are_for(event.value)

    def _ask_how_it_reached_them(self, asked: bool) -> None:
        """Unticking the email asks how it reached the customer instead, so the record
        and the customer's last contact say what really happened."""
        for widget_id in ("#reached-by-label", "#reached-by"):
            for widget in self.query(widget_id):
                widget.display = asked

    def _say_what_the_words_are_for(self, by_email: bool) -> None:
        """By email (any kind but a thank-you, whose email carries the personal line) the
        words typed are the message the customer reads; otherwise the shop's record."""
        to_customer = by_email and self._followup.kind != FollowUpKind.THANK_YOU
        self.query_one("#done-label", Label).update(TELL_LABEL if to_customer else DONE_LABEL)
        self.query_one("#done", Input).placeholder = TELL_EXAMPLE if to_customer else DONE_EXAMPLE
        self._ask_how_it_reached_them(_may_email(self._followup) and not by_email)

    def collect(self) -> Completion:
        kind = self._followup.kind
        may_email = _may_email(self._followup)
        by_email = may_email and self.query_one("#by-email", Tick).value
        line = ""
        if kind == FollowUpKind.THANK_YOU:
            line = self.query_one("#personal", Input).value.strip()
        return Completion(
            what_was_done=required(self.query_one("#done", Input).value, "Say what you did.", field="done"),
            personal_line=line,
            customer_informed=self.query_one("#informed", Tick).value
            if kind == FollowUpKind.PROMISE
            else True,
            still_open=self.query_one("#still-open", Tick).value
            if kind == FollowUpKind.STATUS_UPDATE
            else False,
            by_email=by_email,
            reached_by=self._reached_by() if may_email and not by_email else None,
        )

    def _reached_by(self) -> str:
        """The way chosen when the email is not sent; refused until one is."""
        chosen = self.query_one("#reached-by", ChoiceList).value
        if chosen is None:
            raise InvalidInput("Choose how it reached them: arrows, then Space.", field="reached_by")
        return str(chosen)


def _may_email(followup: FollowUpView) -> bool:
    """Whether to offer sending by email: a kind with an email template, on the email
    channel the customer agreed to (the service checks consent again when it is sent)."""
    return followup.kind in EMAIL_KINDS and followup.channel == Channel.EMAIL


def check_off(where: ServiceCaller, item: FollowUpView) -> None:
    """Ask what was done, then check `item` off ("I promised this; I have done this"); when
    it is to go by email, show the message first, over the dialog, and send it only on
    Enter (Esc there goes back to the dialog as it was left)."""

    def save(actor: Actor, completion: Completion) -> tuple[Completion, MailPreview | None]:
        if completion.by_email:
            preview = outbox.preview(
                where.ctx,
                actor,
                item.id,
                what_was_done=completion.what_was_done,
                personal_line=completion.personal_line,
            )
            return completion, preview
        followups.complete_followup(
            where.ctx,
            actor,
            item.id,
            what_was_done=completion.what_was_done,
            personal_line=completion.personal_line,
            customer_informed=completion.customer_informed,
            still_open=completion.still_open,
            reached_by=completion.reached_by,
        )
        return completion, None

    def send_after_preview(answer: tuple[Completion, MailPreview | None]) -> AskOver[bool, int] | None:
        completion, preview = answer
        if preview is None:
            return None
        return AskOver(
            MailPreviewDialog(preview),
            lambda actor, _: outbox.complete_by_email(
                where.ctx,
                actor,
                item.id,
                what_was_done=completion.what_was_done,
                personal_line=completion.personal_line,
                still_open=completion.still_open,
            ),
            then=lambda _: sent(preview),
        )

    def sent(preview: MailPreview) -> None:
        where.counter.deliver_mail()
        done(
            where,
            f"Checked off. {preview.held_back}"
            if preview.held_back
            else "Checked off; the email is on its way.",
        )

    ask(
        where,
        CompleteFollowUpDialog(item),
        save,
        then=lambda _: done(where, "Checked off."),
        confirm=send_after_preview,
    )
