"""Small terminal charts: a block sparkline and a weekday × hour heat map, shaded with one
hue growing lighter, and saying with characters what the colour says, so they read
without colour (NO_COLOR) and for colour-blind people. `TrendChart` draws them in the
looks its component classes are given in app.tcss (`trend-chart--heat-0` …), with the
theme's variables, and draws them again when the theme changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.theme import Theme
from textual.widgets import Static

from counter_tui.services.review_views import Trend, TrendCell
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import clean
from counter_tui.ui.widgets.component_looks import looks_of

BLOCKS = " ▁▂▃▄▅▆▇█"
GREETING_MARKS = (("✓", 90), ("~", 70), ("✗", 0))
"""The second character of a heat map cell: how well its visitors were greeted on time
(at least this percentage)."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEAT_LEVELS = 7
"""Shades of the heat map, quiet to busy (`trend-chart--heat-0` … `-6` in app.tcss): one
hue growing lighter, so it reads by lightness alone (colour-blind people and greyscale
print see the same order)."""
NO_STYLE = Style()


@dataclass(frozen=True)
class ChartLooks:
    """The styles the charts are drawn in; a `TrendChart` takes them from its component
    classes. The defaults have no colour (the charts outside a running app)."""

    arrivals: Style = NO_STYLE
    nobody: Style = NO_STYLE
    heat: tuple[Style, ...] = (NO_STYLE,) * HEAT_LEVELS


PLAIN = ChartLooks()


class TrendChart(Guarded, Static):
    """The four-week trend: arrivals by hour and the weekday × hour heat map."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "trend-chart--arrivals",
        "trend-chart--nobody",
        *(f"trend-chart--heat-{level}" for level in range(HEAT_LEVELS)),
    }

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._trend: Trend | None = None

    def on_mount(self) -> None:
        """Draw again in the new colours when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def show(self, trend: Trend) -> None:
        """Draw `trend`, now and whenever the theme changes."""
        self._trend = trend
        looks = self.looks()
        text = Text(f"Last four weeks ({trend.first_day:%d %b} – {trend.last_day:%d %b})\n\n", style="bold")
        text.append_text(hour_sparkline(trend, looks))
        text.append("\n\n")
        text.append_text(weekday_heatmap(trend, looks))
        self.update(text)

    def looks(self) -> ChartLooks:
        """The charts' styles from this widget's component classes (see app.tcss)."""
        names = ["arrivals", "nobody", *(f"heat-{level}" for level in range(HEAT_LEVELS))]
        styles = looks_of(self, "trend-chart", names)
        heat = tuple(styles[f"heat-{level}"] for level in range(HEAT_LEVELS))
        return ChartLooks(styles["arrivals"], styles["nobody"], heat)

    def _theme_changed(self, _theme: Theme) -> None:
        if self._trend is not None:
            self.show(self._trend)


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return BLOCKS[0] * len(values)
    return "".join(BLOCKS[min(int(v / top * (len(BLOCKS) - 1) + 0.5), len(BLOCKS) - 1)] for v in values)


def hour_sparkline(trend: Trend, looks: ChartLooks = PLAIN, first_hour: int = 7, last_hour: int = 21) -> Text:
    """Arrivals by hour of day as a sparkline, two columns an hour, hours marked under it."""
    cells = trend.by_hour[first_hour : last_hour + 1]
    text = Text("Arrivals  ", style="bold")
    text.append(
        "".join(block * 2 + " " for block in sparkline([c.visits for c in cells])), style=looks.arrivals
    )
    text.append("\nHour      ", style="bold")
    text.append(clean(_hour_labels(first_hour, last_hour)), style="dim")
    return text


def _hour_labels(first_hour: int, last_hour: int) -> str:
    """`08    10    12 …`: a label under every other hour, three columns an hour."""
    return "".join(f"{hour:02d} " if hour % 2 == 0 else "   " for hour in range(first_hour, last_hour + 1))


def weekday_heatmap(
    trend: Trend, looks: ChartLooks = PLAIN, first_hour: int = 7, last_hour: int = 21
) -> Text:
    """Visits per weekday and hour, two characters a cell: a block as high as the hour
    was busy (its colour says the same), then how well visitors were greeted on time
    (✓ ≥ 90 %, ~ ≥ 70 %, ✗ below); `·` when nobody came."""
    top = max((cell.visits for row in trend.grid for cell in row), default=0)
    text = Text("Hour      ", style="bold")
    text.append(clean(_hour_labels(first_hour, last_hour) + "\n"), style="dim")
    for day, row in zip(WEEKDAYS, trend.grid, strict=True):
        text.append(clean(f"{day}       "), style="bold")
        for cell in row[first_hour : last_hour + 1]:
            busy = _busy_level(cell.visits, top)
            if busy is None:
                text.append("·  ", style=looks.nobody)
                continue
            text.append(clean(BLOCKS[busy + 2]), style=looks.heat[busy])
            text.append(clean(_greeting_mark(cell) + " "))
        text.append("\n")
    text.append(
        clean(
            f"Block: how busy ({BLOCKS[2]} quiet … {BLOCKS[-1]} busiest); greeted on time: "
            "✓ ≥90%, ~ ≥70%, ✗ below; · nobody came"
        ),
        style="dim",
    )
    return text


def _busy_level(visits: int, top: int) -> int | None:
    """How busy an hour was, 0 (quiet) to HEAT_LEVELS - 1 (the busiest), None if nobody came."""
    if visits == 0 or top == 0:
        return None
    return min(int(visits / top * (HEAT_LEVELS - 1) + 0.5), HEAT_LEVELS - 1)


def _greeting_mark(cell: TrendCell) -> str:
    pct = cell.pct
    if pct is None:
        return GREETING_MARKS[0][0]
    return next(mark for mark, least in GREETING_MARKS if pct >= least)
