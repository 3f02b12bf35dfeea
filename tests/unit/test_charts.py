"""The review's heat map says with characters what its colours say, and its colours are
one hue growing lighter, taken from the theme (issue 13)."""

from __future__ import annotations

import colorsys
from datetime import date

from textual.markup import parse_style
from textual.theme import BUILTIN_THEMES

from counter_tui.services.review_views import Trend, TrendCell
from counter_tui.themes import high_contrast_theme
from counter_tui.ui.review.charts import weekday_heatmap
from counter_tui.ui.tones import HEAT_RAMP, tone

EMPTY = TrendCell(0, 0, 0)


def trend_with(cells: dict[tuple[int, int], TrendCell]) -> Trend:
    """A four-week trend where only `cells` ((weekday, hour) -> cell) had visitors."""
    grid = tuple(tuple(cells.get((day, hour), EMPTY) for hour in range(24)) for day in range(7))
    return Trend(date(2026, 10, 24), date(2026, 11, 20), (EMPTY,) * 24, (EMPTY,) * 7, grid)


def test_busy_ness_and_greeting_are_characters_not_only_colours() -> None:
    trend = trend_with(
        {(0, 9): TrendCell(10, 10, 10), (0, 10): TrendCell(1, 4, 3), (0, 11): TrendCell(5, 5, 1)}
    )
    monday = weekday_heatmap(trend).plain.splitlines()[1]
    assert monday.split()[1:6] == ["·", "·", "█✓", "▃~", "▅✗"]


def test_the_ramp_is_one_hue_growing_lighter_in_every_shipped_dark_theme() -> None:
    for theme in (BUILTIN_THEMES["textual-dark"], high_contrast_theme()):
        variables = theme.to_color_system().generate()
        colours = [parse_style(step, variables).foreground for step in HEAT_RAMP]
        hues = [colorsys.rgb_to_hls(*c.normalized)[0] for c in colours if c is not None]
        lightness = [colorsys.rgb_to_hls(*c.normalized)[1] for c in colours if c is not None]
        assert len(hues) == len(HEAT_RAMP) and max(hues) - min(hues) < 0.03, theme.name
        assert lightness == sorted(lightness), theme.name


def test_a_tone_resolves_without_a_running_app() -> None:
    assert tone(HEAT_RAMP[0]).color is not None
