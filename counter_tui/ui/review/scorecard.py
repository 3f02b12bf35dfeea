"""The scorecard: today and this week against the shop's targets, per staff member, the
kiosk's quoted waits against actual ones, and the trend by hour and weekday drawn in the
terminal."""

from __future__ import annotations

import math
from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from counter_tui.services import scorecard, wait_quotes
from counter_tui.services.review_views import Measure, PeriodScorecard, Scorecard, ScorecardOverview, Trend
from counter_tui.services.wait_quotes import QuotedWaits
from counter_tui.ui.review.charts import TrendChart
from counter_tui.ui.review.pane import ReviewPane
from counter_tui.ui.safe_text import one_line, plain
from counter_tui.ui.tones import GOOD, URGENT, tone


def measure_cell(measure: Measure) -> Text:
    """A figure marked ✓ or ✗ (and coloured) by whether it meets its target, in whole
    numbers so that it fits an 80-column terminal's narrow columns with its mark."""
    if measure.value is None:
        return Text("—", style="dim")
    unit = "" if measure.key == "handoffs_per_100_visits" else "%"
    style = tone(GOOD if measure.met else URGENT)
    return plain(f"{_figure(measure)}{unit}{'✓' if measure.met else '✗'}", style=style)


def _figure(measure: Measure) -> str:
    """The figure as a whole number rounded towards missing the target (down when higher
    is better, up when lower is), so it never reads as met beside a ✗: 89.9% of a 90%
    target shows 89. A target with a fraction keeps the figure's decimal."""
    value = measure.value or 0.0
    if not float(measure.target).is_integer():
        return f"{value:g}"
    return str(math.floor(value) if measure.higher_is_better else math.ceil(value))


def minutes_text(seconds: int | None) -> str:
    """Seconds as `m:ss`, or a dash."""
    if seconds is None:
        return "—"
    return f"{seconds // 60}:{seconds % 60:02d}"


def period_table(period: PeriodScorecard) -> Table:
    """Shop and per-staff rows for one period, with targets in the header."""
    overall = period.overall
    table = Table(title=plain(overall.label, style="bold"), expand=False)
    table.add_column("Who")
    table.add_column("Visits", justify="right")
    for measure in overall.measures:
        comparison = "≥" if measure.higher_is_better else "≤"
        unit = "" if measure.key == "handoffs_per_100_visits" else "%"
        table.add_column(plain(f"{measure.label}\n{comparison}{measure.target:g}{unit}"), justify="right")
    table.add_column("Avg wait", justify="right")
    table.add_column("Longest", justify="right")
    _add_row(table, Text("Whole shop", style="bold"), overall)
    for person in period.by_staff:
        _add_row(table, Text(one_line(person.name, 16)), person.card)
    return table


def _add_row(table: Table, who: Text, card: Scorecard) -> None:
    table.add_row(
        who,
        Text(f"{card.visits:d}"),
        *[measure_cell(m) for m in card.measures],
        Text(minutes_text(card.average_wait_seconds)),
        Text(minutes_text(card.longest_wait_seconds)),
    )


class ScorecardPane(ReviewPane):
    """Figures first, then the pictures."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="score-today")
            yield Static(id="score-week")
            yield Static(id="score-quotes")
            yield TrendChart(id="score-trend")

    def reload(self) -> None:
        """Fetch today, this week and the four-week trend."""
        self.load("scorecard_overview", scorecard.scorecard_overview, self.ctx, self.actor, then=self.show)
        self.load("trend", scorecard.trend, self.ctx, self.actor, then=self.show_trend)
        today = self.ctx.calendar.local_date(self.ctx.now())
        monday = today - timedelta(days=today.weekday())
        self.load(
            "quote_accuracy",
            wait_quotes.quote_accuracy,
            self.ctx,
            self.actor,
            monday,
            today,
            then=self.show_quotes,
        )

    def show(self, overview: ScorecardOverview) -> None:
        """Show today's and this week's tables."""
        self.query_one("#score-today", Static).update(period_table(overview.today))
        self.query_one("#score-week", Static).update(period_table(overview.this_week))

    def show_quotes(self, quotes: QuotedWaits) -> None:
        """This week's kiosk wait quotes against the actual waits, in one line."""
        self.query_one("#score-quotes", Static).update(plain(f"This week. {quotes.line()}\n"))

    def show_trend(self, trend: Trend) -> None:
        """Show arrivals by hour and the weekday × hour heat map."""
        self.query_one(TrendChart).show(trend)
