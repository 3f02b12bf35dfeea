"""Small terminal charts: a block sparkline and a weekday × hour heat map, coloured from
the theme with one hue growing lighter (`tones.HEAT_RAMP`), and saying with characters
what the colour says, so they read without colour (NO_COLOR) and for colour-blind people."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from counter_tui.services.review_views import Trend, TrendCell
from counter_tui.ui.safe_text import clean
from counter_tui.ui.tones import HEAT_NOBODY, HEAT_RAMP, INFO, tone

BLOCKS = " ▁▂▃▄▅▆▇█"
GREETING_MARKS = (("✓", 90), ("~", 70), ("✗", 0))
"""The second character of a heat map cell: how well its visitors were greeted on time
(at least this percentage)."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return BLOCKS[0] * len(values)
    return "".join(BLOCKS[min(int(v / top * (len(BLOCKS) - 1) + 0.5), len(BLOCKS) - 1)] for v in values)


def hour_sparkline(trend: Trend, first_hour: int = 7, last_hour: int = 21) -> Text:
    """Arrivals by hour of day as a sparkline, two columns an hour, hours marked under it."""
    cells = trend.by_hour[first_hour : last_hour + 1]
    text = Text("Arrivals  ", style="bold")
    text.append("".join(block * 2 + " " for block in sparkline([c.visits for c in cells])), style=tone(INFO))
    text.append("\nHour      ", style="bold")
    text.append(clean(_hour_labels(first_hour, last_hour)), style="dim")
    return text


def _hour_labels(first_hour: int, last_hour: int) -> str:
    """`08    10    12 …`: a label under every other hour, three columns an hour."""
    return "".join(f"{hour:02d} " if hour % 2 == 0 else "   " for hour in range(first_hour, last_hour + 1))


def weekday_heatmap(trend: Trend, first_hour: int = 7, last_hour: int = 21) -> Text:
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
                text.append("·  ", style=tone(HEAT_NOBODY))
                continue
            text.append(clean(BLOCKS[busy + 2]), style=tone(HEAT_RAMP[busy]))
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
    """How busy an hour was, 0 (quiet) to len(HEAT_RAMP) - 1 (the busiest), None if nobody came."""
    if visits == 0 or top == 0:
        return None
    return min(int(visits / top * (len(HEAT_RAMP) - 1) + 0.5), len(HEAT_RAMP) - 1)


def _greeting_mark(cell: TrendCell) -> str:
    pct = cell.pct
    if pct is None:
        return GREETING_MARKS[0][0]
    return next(mark for mark, least in GREETING_MARKS if pct >= least)
