"""Kudos: leads thank a colleague publicly for a specific act of care."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from counter_tui.limits import LIMITS
from counter_tui.services import kudos, staff
from counter_tui.services.context import Actor
from counter_tui.services.review_views import KudosView
from counter_tui.services.staff import StaffSummary
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.staff_picker import StaffChoice, StaffPickerDialog
from counter_tui.ui.format import day_and_time
from counter_tui.ui.review.pane import ReviewPane
from counter_tui.ui.safe_text import clean, one_line
from counter_tui.ui.tones import STRONG_WARNING, tone

GLANCE_CHARS = 80
"""How much of a thanks the floor board's wall shows (a glance beside the board); the
Kudos tab shows each whole."""
WHOLE_NAME = LIMITS["name"].most
WHOLE_KUDOS = LIMITS["kudos"].most
"""Whole is at most what the services let anyone write (text stored behind their back,
by an import or an older version, is cut there rather than filling the wall)."""


def kudos_lines(items: tuple[KudosView, ...], when: list[str], *, whole: bool = False) -> Text:
    """One paragraph per thanks: to whom, for what, from whom, when; `whole`: every word
    and name, else the thanks cut to `GLANCE_CHARS` (and the names to a glance)."""
    text = Text()
    for item, moment in zip(items, when, strict=True):
        if text:
            text.append("\n")
        text.append("★ ", style=tone(STRONG_WARNING))
        text.append(one_line(item.to_name, WHOLE_NAME if whole else 16), style="bold")
        text.append(f" — {one_line(item.text, WHOLE_KUDOS if whole else GLANCE_CHARS)} ")
        text.append(
            clean(f"({one_line(item.from_name, WHOLE_NAME if whole else 12)}, {moment})"), style="dim"
        )
    return text


class KudosPane(ReviewPane):
    """The thanks wall, each thanks whole and wrapped, and t to give kudos. The wall
    scrolls by keys (it has them once the tab is shown by 6: the arrows, PgUp/PgDn,
    Home/End): twenty thanks of a few lines each are taller than an 80×24 screen."""

    LIST_ID = "kudos-wall"

    def compose(self) -> ComposeResult:
        yield Label(
            "Thanks wall — every colleague sees this on their floor board (t to give kudos)",
            classes="section-title",
        )
        with VerticalScroll(id="kudos-wall"):
            yield Static(id="kudos-body")

    def reload(self) -> None:
        """Fetch the wall."""
        self.load("thanks_wall", kudos.thanks_wall, self.ctx, self.actor, then=self.show)

    def show(self, items: tuple[KudosView, ...]) -> None:
        """Show recent kudos."""
        body = self.query_one("#kudos-body", Static)
        if not items:
            body.update(
                Text("No kudos yet. Catch someone doing right by a customer and say so.", style="dim")
            )
            return
        body.update(kudos_lines(items, [day_and_time(self.ctx, item.given_at) for item in items], whole=True))

    def give(self) -> None:
        """Pick a colleague and say what they did."""

        def pick(people: list[StaffSummary]) -> None:
            colleagues = [p for p in people if p.id != self.actor.staff_id]
            dialog = StaffPickerDialog(
                "Kudos to", colleagues, reason_prompt="For what? (a specific act of care)"
            )
            ask(self, dialog, self._give, then=lambda _: self.reload())

        self.call(staff.list_staff, self.ctx, then=pick)

    def _give(self, actor: Actor, choice: StaffChoice) -> int:
        return kudos.give_kudos(self.ctx, actor, choice.staff_id, choice.reason)
