"""Small terminal charts: a block sparkline and a weekday × hour heat map."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from counter_tui.services.review_views import Trend, TrendCell
from counter_tui.ui.safe_text import clean

BLOCKS = " ▁▂▃▄▅▆▇█"
HEAT = ("grey23", "dark_green", "green4", "green3", "yellow3", "orange3", "red3")
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
    text.append("".join(block * 2 + " " for block in sparkline([c.visits for c in cells])), style="cyan")
    text.append("\nHour      ", style="bold")
    text.append(clean(_hour_labels(first_hour, last_hour)), style="dim")
    return text


def _hour_labels(first_hour: int, last_hour: int) -> str:
    """`08    10    12 …`: a label under every other hour, three columns an hour."""
    return "".join(f"{hour:02d} " if hour % 2 == 0 else "   " for hour in range(first_hour, last_hour + 1))


def weekday_heatmap(trend: Trend, first_hour: int = 7, last_hour: int = 21) -> Text:
    """Visits per weekday and hour; colour shows how many, the character how well they were
    greeted (█ on time ≥ 90 %, ▓ ≥ 70 %, ▒ below, · nobody came)."""
    top = max((cell.visits for row in trend.grid for cell in row), default=0)
    text = Text("Hour      ", style="bold")
    text.append(clean(_hour_labels(first_hour, last_hour) + "\n"), style="dim")
    for day, row in zip(WEEKDAYS, trend.grid, strict=True):
        text.append(clean(f"{day}       "), style="bold")
        for cell in row[first_hour : last_hour + 1]:
            text.append(clean(_heat_char(cell) * 2 + " "), style=_heat_style(cell, top))
        text.append("\n")
    text.append("Colour: how busy · █ greeted on time ≥90% · ▓ ≥70% · ▒ below 70% · · nobody", style="dim")
    return text


def _heat_char(cell: TrendCell) -> str:
    if cell.visits == 0:
        return "·"
    pct = cell.pct
    if pct is None or pct >= 90:
        return "█"
    return "▓" if pct >= 70 else "▒"


def _heat_style(cell: TrendCell, top: int) -> str:
    if cell.visits == 0 or top == 0:
        return "grey30"
    return HEAT[min(int(cell.visits / top * (len(HEAT) - 1) + 0.5), len(HEAT) - 1)]
