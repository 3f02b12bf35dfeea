"""Split opening hours (closed for lunch, e.g. `09:00-12:30,13:30-17:30`): the shop is
closed in the gap, close of business is the last closing time, and a promise due "in
N working hours" counts only the hours the shop is open (issue 8, finding 5)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from pydantic import ValidationError

from counter_tui.config import OpeningHours, ShopSettings
from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.when import parse_due

SPLIT = "09:00-12:30,13:30-17:30"


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# Friday 20 November 2026 (London is UTC+0 in winter); Saturday opens 10:00-16:00.
CALENDAR = StoreCalendar(ShopSettings(name="Split", hours={"fri": SPLIT}))  # type: ignore[arg-type]


def test_a_day_of_two_periods_is_read_in_order() -> None:
    hours = OpeningHours.parse(SPLIT)

    assert hours.periods == ((time(9, 0), time(12, 30)), (time(13, 30), time(17, 30)))
    assert (hours.opens, hours.closes) == (time(9, 0), time(17, 30))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("09:00-13:00,12:30-17:30", "13:00 ends after 12:30 starts"),
        ("13:30-17:30,09:00-12:30", "17:30 ends after 09:00 starts"),
        ("09:00-12:30,", "opening hours must look like 09:00-17:30"),
    ],
)
def test_periods_that_overlap_or_are_out_of_order_are_refused(spec: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ShopSettings(hours={"fri": spec})  # type: ignore[call-arg]


def test_the_shop_is_closed_over_lunch() -> None:
    assert CALENDAR.is_open_at(_utc(2026, 11, 20, 12, 29))
    assert not CALENDAR.is_open_at(_utc(2026, 11, 20, 12, 30))
    assert not CALENDAR.is_open_at(_utc(2026, 11, 20, 13, 29))
    assert CALENDAR.is_open_at(_utc(2026, 11, 20, 13, 30))
    assert CALENDAR.closing(_utc(2026, 11, 20).date()) == _utc(2026, 11, 20, 17, 30)


@pytest.mark.parametrize(
    ("now", "typed", "due"),
    [
        (_utc(2026, 11, 20, 11, 30), "in 2 working hours", _utc(2026, 11, 20, 14, 30)),
        (_utc(2026, 11, 20, 12, 0), "in 2 working hours", _utc(2026, 11, 20, 15, 0)),
        (_utc(2026, 11, 20, 12, 45), "in 1 working hour", _utc(2026, 11, 20, 14, 30)),
        (_utc(2026, 11, 20, 12, 0), "in 30 working minutes", _utc(2026, 11, 20, 12, 30)),
        # Friday 16:30 + 3 h: one hour on Friday, then Saturday from 10:00.
        (_utc(2026, 11, 20, 16, 30), "in 3 working hours", _utc(2026, 11, 21, 12, 0)),
        # Before opening, the count starts at opening.
        (_utc(2026, 11, 20, 7, 0), "in 2 working hours", _utc(2026, 11, 20, 11, 0)),
    ],
)
def test_working_hours_skip_lunch_closed_days_and_nights(now: datetime, typed: str, due: datetime) -> None:
    assert parse_due(typed, CALENDAR, now) == due


def test_working_hours_that_are_not_a_number_are_refused() -> None:
    with pytest.raises(InvalidInput, match="in 2 working hours"):
        parse_due("in two working hours", CALENDAR, _utc(2026, 11, 20, 12, 0))
