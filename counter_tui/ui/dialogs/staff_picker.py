"""Pick a colleague (for a helper, a hand-off or a reassignment), with a reason when asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label

from counter_tui.errors import ColleagueUnavailable, DomainError, InvalidInput
from counter_tui.services.staff import StaffSummary
from counter_tui.ui.dialogs.form import FormDialog, required
from counter_tui.ui.focus_keys import KeysInOrder, focus_now, keys_landed
from counter_tui.ui.safe_text import plain
from counter_tui.ui.widgets.choice import ChoiceList


@dataclass(frozen=True)
class StaffChoice:
    """Who was picked and why."""

    staff_id: int
    reason: str


class StaffPickerDialog(FormDialog[StaffChoice]):
    """A list of colleagues, none chosen until the arrows move onto one; Enter on the list
    moves on to the reason box while it is still empty, and saves from there."""

    #: The services' names for the fields: who (a helper, a hand-off, a reassignment) and
    #: why, which kudos calls the thanks' "text".
    FIELD_IDS: ClassVar[dict[str, str]] = {
        "staff_id": "colleagues",
        "to_staff_id": "colleagues",
        "text": "reason",
    }

    def __init__(
        self, title: str, colleagues: list[StaffSummary], *, reason_prompt: str | None = None
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self._colleagues = colleagues
        self._reason_prompt = reason_prompt

    def fields(self) -> ComposeResult:
        yield Label("Colleague (arrows to choose)")
        yield ChoiceList(
            [(c.id, c.name + ("  (lead)" if c.role == "lead" else "")) for c in self._colleagues],
            id="colleagues",
        )
        if self._reason_prompt:
            yield Label(plain(self._reason_prompt))
            yield KeysInOrder(id="reason")

    def on_mount(self) -> None:
        """Start on the list of colleagues."""
        self.query_one("#colleagues", ChoiceList).focus()

    async def action_submit(self) -> None:
        """Enter on the list, with a colleague chosen, moves on to the empty reason box, at
        once (not `focus()`, which waits its turn): the keys typed after Enter are the reason."""
        await keys_landed(self)
        if self._reason_prompt and self.query_one("#colleagues", ChoiceList).value is not None:
            reason = self.query_one("#reason", Input)
            if not reason.value.strip() and self.focused is not reason:
                self.clear_errors()
                focus_now(reason)
                return
        await super().action_submit()

    def _refused(self, error: DomainError) -> None:
        """A colleague who left the staff list since it was read is no longer offered."""
        if isinstance(error, ColleagueUnavailable):
            self.query_one("#colleagues", ChoiceList).withdraw(error.staff_id)
        super()._refused(error)

    def collect(self) -> StaffChoice:
        staff_id = self.query_one("#colleagues", ChoiceList).value
        if staff_id is None:
            raise InvalidInput("Pick a colleague first: arrows to choose.", field="colleagues")
        reason = ""
        if self._reason_prompt:
            reason = required(
                self.query_one("#reason", Input).value,
                "Give a reason; the lead and the log need it.",
                field="reason",
            )
        return StaffChoice(int(staff_id), reason)
