"""Deactivating a staff member: says what will change, and asks who takes over the
customers and follow-ups they still own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.errors import InvalidInput
from counter_tui.services.open_work import OpenWork
from counter_tui.services.staff import StaffSummary
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.safe_text import compose
from counter_tui.ui.widgets.choice import ChoiceList


@dataclass(frozen=True)
class Deactivation:
    """Go ahead; `pass_to` is the colleague taking over their open work (None when there is none)."""

    pass_to: str | None


class DeactivateDialog(FormDialog[Deactivation]):
    """What deactivating `work.name` means; with open work, the colleague who takes it."""

    ENTER_DOES = ("deactivates", "Deactivate")
    FIELD_IDS: ClassVar[dict[str, str]] = {"pass_to": "pass-to"}

    def __init__(self, work: OpenWork, colleagues: list[StaffSummary]) -> None:
        super().__init__()
        self.TITLE_TEXT = f"Deactivate {work.name}?"
        self.work = work
        self.colleagues = colleagues

    def fields(self) -> ComposeResult:
        name = self.work.name
        yield Static(
            compose("$name will no longer be able to sign in. A lead can reactivate them later.", name=name)
        )
        if self.work.empty:
            yield Static(compose("$name owns no customers or open follow-ups. Enter deactivates.", name=name))
            return
        yield Static(
            compose(
                "$name still owns $work. Pass them to (arrows choose; nobody is chosen for you):",
                name=name,
                work=self.work.describe(),
            )
        )
        yield ChoiceList(
            [(c.name, c.name + ("  (lead)" if c.role == "lead" else "")) for c in self.colleagues],
            id="pass-to",
        )

    def collect(self) -> Deactivation:
        if self.work.empty:
            return Deactivation(None)
        if not self.colleagues:
            raise InvalidInput(
                "There is no active colleague to pass them to. Add or reactivate someone first."
            )
        chosen = self.query_one("#pass-to", ChoiceList).value
        if chosen is None:
            raise InvalidInput("Pick who takes them over: arrows, then Enter.", field="pass_to")
        return Deactivation(chosen)
