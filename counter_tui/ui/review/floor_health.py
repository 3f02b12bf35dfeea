"""Floor health: who waits unowned too long, unanswered "needs help", overdue quiet
check-backs, and visits open unusually long."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.services import floor_health
from counter_tui.services.review_views import FloorAlert, FloorHealth
from counter_tui.ui.format import clock_time
from counter_tui.ui.review.pane import ReviewPane
from counter_tui.ui.safe_text import clean, one_line
from counter_tui.ui.tones import GOOD, URGENT, WARNING, tone


class FloorHealthPane(ReviewPane):
    """Four short lists; empty ones say so."""

    def compose(self) -> ComposeResult:
        yield Static(id="health-body")

    def reload(self) -> None:
        """Fetch floor health."""
        self.load("floor_health", floor_health.floor_health, self.ctx, self.actor, then=self.show)

    def show(self, health: FloorHealth) -> None:
        """Render the four sections."""
        text = Text()
        thresholds = self.ctx.rules.thresholds
        self._section(
            text,
            f"Needs help, unanswered over {thresholds.needs_help_escalate_minutes} min",
            [
                (e.who, f"asked {clock_time(self.ctx, e.need_set_at)}", e.minutes_waiting)
                for e in health.needs_help_unanswered
            ],
            URGENT,
        )
        self._section(
            text,
            f"Waiting unowned over {thresholds.greet_within_minutes} min",
            self._rows(health.waiting_unowned),
            URGENT,
        )
        self._section(
            text,
            "Quiet check-backs overdue (browsing privately)",
            self._rows(health.check_backs_overdue),
            WARNING,
        )
        self._section(
            text, f"Visits open over {thresholds.long_visit_minutes} min", self._rows(health.long_visits), ""
        )
        self.query_one("#health-body", Static).update(text)

    def _rows(self, alerts: tuple[FloorAlert, ...]) -> list[tuple[str, str, int]]:
        return [
            (a.who, f"with {one_line(a.owner_name, 16)}" if a.owner_name else "nobody yet", a.minutes)
            for a in alerts
        ]

    def _section(self, text: Text, title: str, rows: list[tuple[str, str, int]], style: str) -> None:
        if text:
            text.append("\n\n")
        text.append(clean(f"{title} ({len(rows)})\n"), style="bold underline")
        if not rows:
            text.append("  none — good\n", style=tone(GOOD))
            return
        for who, detail, minutes in rows:
            text.append(f"  {minutes:>4} min  ", style=tone(style))
            text.append(f"{one_line(who, 40)}  ")
            text.append(clean(f"{detail}\n"), style="dim")
