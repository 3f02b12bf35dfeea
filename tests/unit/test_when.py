"""Due times typed at the counter (services/when.py): a weekday means the next one whose
due moment is still ahead, so "fri" on a Friday before closing is today."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from counter_tui.config import ShopSettings
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.when import parse_due, read_due

CALENDAR = StoreCalendar(ShopSettings(name="Shop"))


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("now", "typed", "due"),
    [
        # Friday 20 Nov before closing: "fri" is by today's close, not next week's.
        (_utc(2026, 11, 20, 11, 0), "fri", _utc(2026, 11, 20, 17, 30)),
        (_utc(2026, 11, 20, 11, 0), "friday 16:00", _utc(2026, 11, 20, 16, 0)),
        # The time named has passed today, or the shop has closed: next Friday.
        (_utc(2026, 11, 20, 11, 0), "fri 10:00", _utc(2026, 11, 27, 10, 0)),
        (_utc(2026, 11, 20, 18, 0), "fri", _utc(2026, 11, 27, 17, 30)),
        # Another weekday: the next one.
        (_utc(2026, 11, 20, 11, 0), "mon", _utc(2026, 11, 23, 17, 30)),
    ],
)
def test_a_weekday_is_the_next_one_still_ahead(now: datetime, typed: str, due: datetime) -> None:
    assert parse_due(typed, CALENDAR, now) == due


SAT = _utc(2026, 11, 28, 1, 12)  # Saturday 28 Nov; the shop is closed on Sundays


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (SAT, _utc(2026, 11, 30, 17, 30)),  # not Sunday: Monday's close
        (_utc(2026, 11, 27, 11, 0), _utc(2026, 11, 28, 16, 0)),  # Friday: Saturday's close
    ],
)
def test_the_default_is_the_next_open_days_close_like_a_thank_you(now: datetime, due: datetime) -> None:
    assert parse_due("", CALENDAR, now) == due == CALENDAR.thank_you_due(now)
    assert read_due("", CALENDAR, now).moved == ""


@pytest.mark.parametrize(
    ("now", "typed", "due", "moved"),
    [
        (SAT, "tomorrow", _utc(2026, 11, 30, 9, 0), "The shop is closed on Sun 29 Nov"),
        (SAT, "sun 12:00", _utc(2026, 11, 30, 9, 0), "The shop is closed on Sun 29 Nov"),
        (SAT, "today 08:00", _utc(2026, 11, 28, 10, 0), "The shop is not open at 08:00 on Sat 28 Nov"),
        (SAT, "today 19:00", _utc(2026, 11, 30, 9, 0), "The shop is not open at 19:00 on Sat 28 Nov"),
    ],
)
def test_a_due_time_when_the_shop_is_shut_moves_to_the_next_opening_and_says_so(
    now: datetime, typed: str, due: datetime, moved: str
) -> None:
    reading = read_due(typed, CALENDAR, now)
    assert (reading.due, parse_due(typed, CALENDAR, now)) == (due, due)
    assert reading.moved.startswith(moved)


@pytest.mark.parametrize("typed", ["today 13:00", "today 16:00", "mon 09:00", "mon", "in 2 working hours"])
def test_a_due_time_while_open_or_at_closing_stays(typed: str) -> None:
    assert read_due(typed, CALENDAR, SAT).moved == ""
