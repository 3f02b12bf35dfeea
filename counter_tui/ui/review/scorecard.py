"""The scorecard: today and this week against the shop's targets, per staff member, the
kiosk's quoted waits against actual ones, and the trend by hour and weekday drawn in the
terminal."""

from __future__ import annotations

import math
import textwrap
from datetime import timedelta

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
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
    """The figure as the nearest whole number, as `report day`'s one decimal would round,
    except where that would read as met beside a ✗: then towards missing the target (89.9%
    of a 90% target shows 89, 5.4 hand-offs against a limit of 5 shows 6). A target with a
    fraction keeps the figure's decimal."""
    value = measure.value or 0.0
    if not float(measure.target).is_integer():
        return f"{value:g}"
    nearest = math.floor(value + 0.5)
    reads_as_met = nearest >= measure.target if measure.higher_is_better else nearest <= measure.target
    if reads_as_met and not measure.met:
        nearest = math.floor(value) if measure.higher_is_better else math.ceil(value)
    return str(nearest)


def minutes_text(seconds: int | None) -> str:
    """Seconds as `m:ss`, or a dash."""
    if seconds is None:
        return "—"
    return f"{seconds // 60}:{seconds % 60:02d}"


SHORT_NAMES = {
    "thank_yous_on_time": "thanks on time",
    "calls_returned_same_day": "calls back same day",
    "handoffs_per_100_visits": "H/O per 100 visits",
}
"""Measures' names with shorter words, for a table that must fit 80 columns."""
FIGURE_WIDTH = 5
"""The widest figure with its mark ("100%✓") or wait ("14:49")."""


def _stacked(name: str) -> str:
    """`name` in lines as narrow as its figures (or its longest word): Rich narrows a table
    that is too wide by cutting its widest columns, which a long header line makes one."""
    return textwrap.fill(name, max(FIGURE_WIDTH, *(len(word) for word in name.split())))


def period_table(period: PeriodScorecard, *, short: bool = False) -> Table:
    """Shop and per-staff rows for one period, with targets in the header; `short`: the
    measures' short names and no column lines, to fit a narrow terminal."""
    overall = period.overall
    table = Table(title=plain(overall.label, style="bold"), expand=False)
    if short:
        table.box, table.pad_edge = None, False
    table.add_column("Who")
    table.add_column("Visits", justify="right")
    for measure in overall.measures:
        comparison = "≥" if measure.higher_is_better else "≤"
        unit = "" if measure.key == "handoffs_per_100_visits" else "%"
        name = _stacked(SHORT_NAMES.get(measure.key, measure.label)) if short else measure.label
        table.add_column(plain(f"{name}\n{comparison}{measure.target:g}{unit}"), justify="right")
    table.add_column(plain(_stacked("Avg wait")) if short else "Avg wait", justify="right")
    table.add_column("Longest", justify="right")
    _add_row(table, Text("Whole shop", style="bold"), overall)
    for person in period.by_staff:
        _add_row(table, Text(one_line(person.name, 16)), person.card)
    return table


class ScorecardTable:
    """A period's table as wide as it is drawn: the measures' full names where every word
    of the table fits side by side, else their short names (80 columns cut "greeted" to
    "gree…" and names to "Jord…")."""

    def __init__(self, period: PeriodScorecard) -> None:
        self.period = period

    def table(self, console: Console, options: ConsoleOptions) -> Table:
        """The table for `options.max_width` (the narrowest the full one can be drawn without
        cutting a word is its own measure: `Measurement.get` clamps it to the width)."""
        full = period_table(self.period)
        if full.__rich_measure__(console, options).minimum <= options.max_width:
            return full
        return period_table(self.period, short=True)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table(console, options))


def fitted_scorecard(period: PeriodScorecard) -> ScorecardTable:
    """`period`'s table, fitted to the width it is drawn at."""
    return ScorecardTable(period)


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
        self.query_one("#score-today", Static).update(fitted_scorecard(overview.today))
        self.query_one("#score-week", Static).update(fitted_scorecard(overview.this_week))

    def show_quotes(self, quotes: QuotedWaits) -> None:
        """This week's kiosk wait quotes against the actual waits, in one line."""
        self.query_one("#score-quotes", Static).update(plain(f"This week. {quotes.line()}\n"))

    def show_trend(self, trend: Trend) -> None:
        """Show arrivals by hour and the weekday × hour heat map."""
        self.query_one(TrendChart).show(trend)
