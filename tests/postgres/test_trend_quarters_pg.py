"""The trend's kept quarter hours on PostgreSQL: the same figures as the row-by-row count,
kept once even when two terminals keep them at the same time."""

from __future__ import annotations

import pytest

from tests.unit.test_trend_quarters import (
    summed_ranges,
    test_a_visit_ended_at_an_old_closing_time_by_todays_close_is_not_kept,
    test_settled_quarter_hours_are_kept_and_only_the_last_days_summed_again,
    test_two_terminals_keeping_the_same_quarter_hours_at_once,
)

pytestmark = pytest.mark.postgres

__all__ = [
    "summed_ranges",
    "test_a_visit_ended_at_an_old_closing_time_by_todays_close_is_not_kept",
    "test_settled_quarter_hours_are_kept_and_only_the_last_days_summed_again",
    "test_two_terminals_keeping_the_same_quarter_hours_at_once",
]
