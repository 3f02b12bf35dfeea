"""A scorecard figure fits the narrow columns of an 80-column terminal with its ✓ or ✗
whole ("71.4%✗" was cut to "71.4…", hiding whether the target was met). It is the
report's figure rounded to the nearest whole number (`report day` printed 9.1 hand-offs
per 100 visits where the tab showed 10), except that the number shown never reads as met
when the mark says it is not."""

from __future__ import annotations

import pytest

from counter_tui.services.review_views import Measure
from counter_tui.ui.review.scorecard import measure_cell


def _measure(value: float | None, target: float, *, higher_is_better: bool = True) -> Measure:
    key = "greeted_on_time" if higher_is_better else "handoffs_per_100_visits"
    return Measure(key, "label", value, 0, 0, target, higher_is_better)


@pytest.mark.parametrize(
    ("value", "target", "higher_is_better", "shown"),
    [
        (71.4, 90, True, "71%✗"),
        (89.9, 90, True, "89%✗"),  # not "90%✗" beside a target of 90%
        (90.0, 90, True, "90%✓"),
        (99.5, 95, True, "100%✓"),
        (66.7, 80, True, "67%✗"),  # `report day`: 66.7%
        (9.1, 5, False, "9✗"),  # `report day`: 9.1
        (100.0, 100, True, "100%✓"),
        (5.4, 5, False, "6✗"),  # not "5✗" beside a limit of 5
        (4.2, 5, False, "4✓"),
        (4.5, 5, False, "5✓"),
        (0.0, 5, False, "0✓"),
        (92.6, 92.5, True, "92.6%✓"),  # a target with a fraction keeps the figure's
    ],
)
def test_a_figure_is_the_nearest_whole_number_unless_that_reads_as_met(
    value: float, target: float, higher_is_better: bool, shown: str
) -> None:
    assert measure_cell(_measure(value, target, higher_is_better=higher_is_better)).plain == shown


def test_nothing_measured_is_a_dash() -> None:
    assert measure_cell(_measure(None, 90)).plain == "—"
