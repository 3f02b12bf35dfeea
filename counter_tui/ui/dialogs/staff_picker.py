"""Pick a colleague (for a helper, a hand-off or a reassignment), with a reason when asked."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from counter_tui.errors import InvalidInput
from counter_tui.services.staff import StaffSummary
from counter_tui.text import one_line
from counter_tui.ui.dialogs.form import FormDialog, required


@dataclass(frozen=True)
class StaffChoice:
    """Who was picked and why."""

    staff_id: int
    reason: str


class StaffPickerDialog(FormDialog[StaffChoice]):
    """A list of colleagues; Enter on one (or in the reason box) picks them."""

    def __init__(
        self, title: str, colleagues: list[StaffSummary], *, reason_prompt: str | None = None
    ) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self._colleagues = colleagues
        self._reason_prompt = reason_prompt

    def fields(self) -> ComposeResult:
        yield Label("Colleague (arrows to move)")
        yield OptionList(
            *[
                Option(Text(one_line(c.name) + ("  (lead)" if c.role == "lead" else "")), id=str(c.id))
                for c in self._colleagues
            ],
            id="colleagues",
        )
        if self._reason_prompt:
            yield Label(self._reason_prompt)
            yield Input(max_length=200, id="reason")

    def on_mount(self) -> None:
        """Highlight the first colleague."""
        options = self.query_one("#colleagues", OptionList)
        if options.option_count:
            options.highlighted = 0
        options.focus()

    def action_submit(self) -> None:
        """Enter on the list moves on to the reason box while it is still empty."""
        if self._reason_prompt:
            reason = self.query_one("#reason", Input)
            if not reason.value.strip() and self.focused is not reason:
                reason.focus()
                return
        super().action_submit()

    def collect(self) -> StaffChoice:
        options = self.query_one("#colleagues", OptionList)
        if options.highlighted is None:
            raise InvalidInput("Pick a colleague first.")
        option_id = options.get_option_at_index(options.highlighted).id
        reason = ""
        if self._reason_prompt:
            reason = required(
                self.query_one("#reason", Input).value,
                "Give a reason; the lead and the log need it.",
            )
        return StaffChoice(int(option_id or 0), reason)
