"""The review's heat map says with characters what its colours say, and its colours are
one hue growing lighter, styled in app.tcss with the theme's variables (issues 13, 14)."""

from __future__ import annotations

import colorsys
from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult

import counter_tui.ui.app
from counter_tui.services.review_views import Trend, TrendCell
from counter_tui.themes import DEFAULT_THEME, HIGH_CONTRAST, high_contrast_theme
from counter_tui.ui.review.charts import HEAT_LEVELS, TrendChart, weekday_heatmap
from counter_tui.ui.tones import INFO, tone

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


class ChartApp(App[None]):
    CSS_PATH = Path(counter_tui.ui.app.__file__).with_name("app.tcss")

    def compose(self) -> ComposeResult:
        yield TrendChart(id="trend")

    def on_mount(self) -> None:
        self.register_theme(high_contrast_theme())


async def test_the_ramp_is_one_hue_growing_lighter_in_every_shipped_dark_theme() -> None:
    app = ChartApp()
    async with app.run_test() as pilot:
        for theme in (DEFAULT_THEME, HIGH_CONTRAST):
            app.theme = theme
            await pilot.pause()
            colours = [style.color for style in app.query_one(TrendChart).looks().heat]
            rgb = [colour.get_truecolor().normalized for colour in colours if colour is not None]
            hues = [colorsys.rgb_to_hls(*c)[0] for c in rgb]
            lightness = [colorsys.rgb_to_hls(*c)[1] for c in rgb]
            assert len(hues) == HEAT_LEVELS and max(hues) - min(hues) < 0.03, theme
            assert lightness == sorted(lightness), theme


async def test_the_chart_is_drawn_again_in_a_new_theme() -> None:
    app = ChartApp()
    async with app.run_test() as pilot:
        chart = app.query_one(TrendChart)
        chart.show(trend_with({(0, 9): TrendCell(10, 10, 10)}))
        for theme in (HIGH_CONTRAST, DEFAULT_THEME):
            app.theme = theme
            await pilot.pause()
            drawn = chart.content
            assert isinstance(drawn, Text)
            busiest = next(span for span in drawn.spans if drawn.plain[span.start : span.end] == "█")
            assert busiest.style == chart.looks().heat[-1], theme


def test_a_tone_resolves_without_a_running_app() -> None:
    assert tone(INFO).color is not None
