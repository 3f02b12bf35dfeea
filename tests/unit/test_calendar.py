"""The store calendar: open days, weekends, holidays, after-hours, and due times whose UTC
values stay right across daylight-saving changes in Europe/London (29 March and
25 October 2026) and America/New_York (8 March and 1 November 2026)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from counter_tui.config import ShopSettings
from counter_tui.services.calendar import StoreCalendar


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _calendar(timezone: str = "Europe/London", **shop: object) -> StoreCalendar:
    return StoreCalendar(ShopSettings(name="Test Shop", timezone=timezone, **shop))  # type: ignore[arg-type]


LONDON = _calendar()
NEW_YORK = _calendar("America/New_York")


# --- open days ------------------------------------------------------------------------


def test_weekdays_and_saturday_open_sunday_closed() -> None:
    week = [date(2026, 11, 16 + offset) for offset in range(7)]  # Monday..Sunday
    assert [LONDON.is_open_day(day) for day in week] == [True] * 6 + [False]
    assert LONDON.opening(date(2026, 11, 22)) is None
    assert LONDON.closing(date(2026, 11, 22)) is None
    assert LONDON.opening(date(2026, 11, 21)) == _utc(2026, 11, 21, 10, 0)
    assert LONDON.closing(date(2026, 11, 21)) == _utc(2026, 11, 21, 16, 0)


def test_holidays_are_closed() -> None:
    calendar = _calendar(holidays=[date(2026, 12, 25), date(2026, 12, 26)])
    assert not calendar.is_open_day(date(2026, 12, 25))
    assert calendar.closing(date(2026, 12, 25)) is None
    assert calendar.next_open_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert not calendar.is_open_at(_utc(2026, 12, 25, 12, 0))


def test_is_open_at_respects_hours() -> None:
    assert not LONDON.is_open_at(_utc(2026, 11, 20, 8, 59))
    assert LONDON.is_open_at(_utc(2026, 11, 20, 9, 0))
    assert LONDON.is_open_at(_utc(2026, 11, 20, 17, 29))
    assert not LONDON.is_open_at(_utc(2026, 11, 20, 17, 30))
    assert not LONDON.is_open_at(_utc(2026, 11, 22, 12, 0))


def test_a_shop_that_never_opens_is_reported() -> None:
    closed = _calendar(hours={day: None for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    with pytest.raises(ValueError, match="no open day"):
        closed.next_open_day(date(2026, 11, 20))


def test_results_are_plain_utc_datetimes() -> None:
    due = LONDON.thank_you_due(_utc(2026, 11, 20, 11, 0))
    assert type(due) is datetime
    assert due.tzinfo is UTC


# --- thank-you and callback due times -------------------------------------------------


@pytest.mark.parametrize(
    ("ended", "due"),
    [
        (_utc(2026, 11, 20, 11, 0), _utc(2026, 11, 21, 16, 0)),  # Friday -> Saturday 16:00
        (_utc(2026, 11, 21, 11, 0), _utc(2026, 11, 23, 17, 30)),  # Saturday -> Monday 17:30
        (_utc(2026, 11, 22, 11, 0), _utc(2026, 11, 23, 17, 30)),  # Sunday -> Monday
        (_utc(2026, 11, 20, 23, 59), _utc(2026, 11, 21, 16, 0)),  # Friday late -> Saturday
        (_utc(2026, 11, 16, 8, 0), _utc(2026, 11, 17, 17, 30)),  # Monday before opening
    ],
)
def test_thank_you_due_by_close_of_the_next_business_day(ended: datetime, due: datetime) -> None:
    assert LONDON.thank_you_due(ended) == due


def test_thank_you_due_skips_holidays() -> None:
    calendar = _calendar(holidays=[date(2026, 11, 23)])  # a Monday
    assert calendar.thank_you_due(_utc(2026, 11, 21, 11, 0)) == _utc(2026, 11, 24, 17, 30)
    # The day before a holiday: Thursday before a Friday holiday goes to Saturday.
    calendar = _calendar(holidays=[date(2026, 11, 20)])
    assert calendar.thank_you_due(_utc(2026, 11, 19, 11, 0)) == _utc(2026, 11, 21, 16, 0)


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        (_utc(2026, 11, 20, 9, 0), _utc(2026, 11, 20, 17, 30)),
        (_utc(2026, 11, 20, 16, 29), _utc(2026, 11, 20, 17, 30)),
        (_utc(2026, 11, 20, 16, 30), _utc(2026, 11, 21, 16, 0)),  # within the last hour
        (_utc(2026, 11, 20, 18, 0), _utc(2026, 11, 21, 16, 0)),  # after close
        (_utc(2026, 11, 22, 10, 0), _utc(2026, 11, 23, 17, 30)),  # Sunday
        (_utc(2026, 11, 21, 14, 59), _utc(2026, 11, 21, 16, 0)),  # Saturday, before its last hour
    ],
)
def test_callback_due(asked: datetime, due: datetime) -> None:
    assert LONDON.callback_due(asked, cutoff_minutes=60) == due


def test_callback_cutoff_is_configurable() -> None:
    asked = _utc(2026, 11, 20, 17, 0)
    assert LONDON.callback_due(asked, cutoff_minutes=15) == _utc(2026, 11, 20, 17, 30)
    assert LONDON.callback_due(asked, cutoff_minutes=60) == _utc(2026, 11, 21, 16, 0)


def test_status_update_due_lands_on_an_open_day() -> None:
    assert LONDON.status_update_due(_utc(2026, 11, 16, 12, 0), 3) == _utc(2026, 11, 19, 17, 30)
    assert LONDON.status_update_due(_utc(2026, 11, 19, 12, 0), 3) == _utc(2026, 11, 23, 17, 30)


# --- DST in Europe/London -------------------------------------------------------------


def test_london_close_times_across_the_spring_change() -> None:
    assert LONDON.closing(date(2026, 3, 27)) == _utc(2026, 3, 27, 17, 30)  # GMT
    assert LONDON.closing(date(2026, 3, 28)) == _utc(2026, 3, 28, 16, 0)  # GMT
    assert LONDON.closing(date(2026, 3, 30)) == _utc(2026, 3, 30, 16, 30)  # BST
    assert LONDON.opening(date(2026, 3, 30)) == _utc(2026, 3, 30, 8, 0)
    assert LONDON.thank_you_due(_utc(2026, 3, 28, 12, 0)) == _utc(2026, 3, 30, 16, 30)
    assert LONDON.callback_due(_utc(2026, 3, 28, 15, 30), 60) == _utc(2026, 3, 30, 16, 30)


def test_london_close_times_across_the_autumn_change() -> None:
    assert LONDON.closing(date(2026, 10, 23)) == _utc(2026, 10, 23, 16, 30)  # BST
    assert LONDON.closing(date(2026, 10, 24)) == _utc(2026, 10, 24, 15, 0)  # BST
    assert LONDON.closing(date(2026, 10, 26)) == _utc(2026, 10, 26, 17, 30)  # GMT
    assert LONDON.thank_you_due(_utc(2026, 10, 23, 12, 0)) == _utc(2026, 10, 24, 15, 0)
    assert LONDON.thank_you_due(_utc(2026, 10, 24, 12, 0)) == _utc(2026, 10, 26, 17, 30)
    # 14:30 UTC on Saturday is 15:30 BST: inside the last hour before the 16:00 close.
    assert LONDON.callback_due(_utc(2026, 10, 24, 14, 30), 60) == _utc(2026, 10, 26, 17, 30)
    assert LONDON.callback_due(_utc(2026, 10, 24, 13, 30), 60) == _utc(2026, 10, 24, 15, 0)


def test_wall_clock_times_in_the_gap_and_the_overlap() -> None:
    # 01:30 on 29 March does not exist in London: it moves forward to 02:30 BST.
    assert LONDON.at(date(2026, 3, 29), time(1, 30)) == _utc(2026, 3, 29, 1, 30)
    # 01:30 on 25 October happens twice: the first (BST) is used.
    assert LONDON.at(date(2026, 10, 25), time(1, 30)) == _utc(2026, 10, 25, 0, 30)


def test_a_sunday_trading_shop_on_the_change_days() -> None:
    calendar = _calendar(hours={"sun": "10:00-16:00"})
    assert calendar.closing(date(2026, 3, 29)) == _utc(2026, 3, 29, 15, 0)
    assert calendar.closing(date(2026, 10, 25)) == _utc(2026, 10, 25, 16, 0)
    # Saturday 28 March's thank-you is due on the Sunday itself, in BST.
    assert calendar.thank_you_due(_utc(2026, 3, 28, 12, 0)) == _utc(2026, 3, 29, 15, 0)


def test_local_day_boundaries_across_the_change() -> None:
    assert LONDON.start_of_day(date(2026, 3, 29)) == _utc(2026, 3, 29, 0, 0)
    assert LONDON.start_of_day(date(2026, 3, 30)) == _utc(2026, 3, 29, 23, 0)
    assert LONDON.end_of_today(_utc(2026, 3, 29, 12, 0)) == _utc(2026, 3, 29, 23, 0)
    assert LONDON.end_of_today(_utc(2026, 10, 25, 12, 0)) == _utc(2026, 10, 26, 0, 0)
    assert LONDON.local_date(_utc(2026, 7, 17, 23, 30)) == date(2026, 7, 18)


# --- DST in America/New_York ----------------------------------------------------------


def test_new_york_close_times_across_the_spring_change() -> None:
    assert NEW_YORK.closing(date(2026, 3, 6)) == _utc(2026, 3, 6, 22, 30)  # EST, UTC-5
    assert NEW_YORK.closing(date(2026, 3, 7)) == _utc(2026, 3, 7, 21, 0)  # EST
    assert NEW_YORK.closing(date(2026, 3, 9)) == _utc(2026, 3, 9, 21, 30)  # EDT, UTC-4
    assert NEW_YORK.thank_you_due(_utc(2026, 3, 7, 17, 0)) == _utc(2026, 3, 9, 21, 30)
    assert NEW_YORK.callback_due(_utc(2026, 3, 8, 15, 0), 60) == _utc(2026, 3, 9, 21, 30)


def test_new_york_close_times_across_the_autumn_change() -> None:
    assert NEW_YORK.closing(date(2026, 10, 30)) == _utc(2026, 10, 30, 21, 30)  # EDT
    assert NEW_YORK.closing(date(2026, 10, 31)) == _utc(2026, 10, 31, 20, 0)  # EDT
    assert NEW_YORK.closing(date(2026, 11, 2)) == _utc(2026, 11, 2, 22, 30)  # EST
    assert NEW_YORK.thank_you_due(_utc(2026, 10, 31, 15, 0)) == _utc(2026, 11, 2, 22, 30)
    assert NEW_YORK.start_of_day(date(2026, 11, 1)) == _utc(2026, 11, 1, 4, 0)
    assert NEW_YORK.end_of_today(_utc(2026, 11, 1, 12, 0)) == _utc(2026, 11, 2, 5, 0)


def test_new_york_uses_the_store_date_not_the_utc_date() -> None:
    # 02:00 UTC on Saturday is still Friday 21:00 in New York (after Friday's close).
    friday_evening = _utc(2026, 11, 21, 2, 0)
    assert NEW_YORK.local_date(friday_evening) == date(2026, 11, 20)
    assert NEW_YORK.thank_you_due(friday_evening) == _utc(2026, 11, 21, 21, 0)  # Sat 16:00 EST
    assert NEW_YORK.callback_due(friday_evening, 60) == _utc(2026, 11, 21, 21, 0)
    # 15:00 UTC on Friday is 10:00 in New York: a callback is due by Friday's close.
    assert NEW_YORK.callback_due(_utc(2026, 11, 20, 15, 0), 60) == _utc(2026, 11, 20, 22, 30)


# --- a due time the shop's new hours or holidays leave shut ------------------------------

FRIDAY_11AM = _utc(2026, 11, 20, 11, 0)
TODAY_CLOSE = _utc(2026, 11, 20, 17, 30)


@pytest.mark.parametrize(
    ("shop", "due", "by_close", "now", "moved"),
    [
        # By close on a day that closes earlier now: that day's new close.
        (
            {"hours": {"fri": "09:00-13:00"}},
            _utc(2026, 11, 20, 17, 30),
            True,
            FRIDAY_11AM,
            _utc(2026, 11, 20, 13, 0),
        ),
        # By close on a new holiday: the close of the open day before it, still ahead.
        (
            {"holidays": [date(2026, 11, 23)]},
            _utc(2026, 11, 23, 17, 30),
            True,
            FRIDAY_11AM,
            _utc(2026, 11, 21, 16, 0),
        ),
        # ... unless that close has passed too: the next open day's close.
        (
            {"holidays": [date(2026, 11, 23)]},
            _utc(2026, 11, 23, 17, 30),
            True,
            _utc(2026, 11, 21, 17, 0),
            _utc(2026, 11, 24, 17, 30),
        ),
        # By close today, when today has closed already: the next open day's close.
        (
            {"hours": {"fri": "09:00-10:30"}},
            _utc(2026, 11, 20, 17, 30),
            True,
            FRIDAY_11AM,
            _utc(2026, 11, 21, 16, 0),
        ),
        # A time of day on a new holiday: the last moment the shop is open before it.
        (
            {"holidays": [date(2026, 11, 23)]},
            _utc(2026, 11, 23, 10, 0),
            False,
            FRIDAY_11AM,
            _utc(2026, 11, 21, 16, 0),
        ),
        # A time of day after the new close: that close, still ahead.
        (
            {"hours": {"fri": "09:00-13:00"}},
            _utc(2026, 11, 20, 15, 0),
            False,
            FRIDAY_11AM,
            _utc(2026, 11, 20, 13, 0),
        ),
        # A time of day in a new lunch break: the morning's close.
        (
            {"hours": {"fri": "09:00-12:00,14:00-17:30"}},
            _utc(2026, 11, 20, 13, 0),
            False,
            FRIDAY_11AM,
            _utc(2026, 11, 20, 12, 0),
        ),
        # A time of day with no opening left before it: the next opening.
        (
            {"hours": {"fri": "09:00-10:30"}},
            _utc(2026, 11, 20, 15, 0),
            False,
            FRIDAY_11AM,
            _utc(2026, 11, 21, 10, 0),
        ),
    ],
)
def test_a_due_time_left_shut_moves_earlier_while_it_can_else_to_the_next_open_time(
    shop: dict[str, object], due: datetime, by_close: bool, now: datetime, moved: datetime
) -> None:
    calendar = _calendar(**shop)
    assert not calendar.is_open_or_closing_at(due)
    assert calendar.kept_open(due, now, by_close=by_close) == moved


def test_an_earlier_time_needs_the_notice_given_or_the_due_time_moves_on() -> None:
    """With an hour's notice: at 12:30, a close at 13:00 is too soon to move to."""
    calendar = _calendar(hours={"fri": "09:00-13:00"})
    now, notice = _utc(2026, 11, 20, 12, 30), timedelta(hours=1)
    assert calendar.kept_open(TODAY_CLOSE, now, by_close=True) == _utc(2026, 11, 20, 13, 0)
    assert calendar.kept_open(TODAY_CLOSE, now, by_close=True, notice=notice) == _utc(2026, 11, 21, 16, 0)
    assert calendar.kept_open(_utc(2026, 11, 20, 15, 0), now, by_close=False, notice=notice) == (
        _utc(2026, 11, 21, 10, 0)
    )
    assert calendar.kept_open(TODAY_CLOSE, _utc(2026, 11, 20, 11, 59), by_close=True, notice=notice) == (
        _utc(2026, 11, 20, 13, 0)
    )


def test_a_due_time_is_by_close_when_it_is_its_days_close() -> None:
    assert LONDON.is_close_of_business(_utc(2026, 11, 20, 17, 30))
    assert LONDON.is_close_of_business(_utc(2026, 11, 21, 16, 0))
    assert not LONDON.is_close_of_business(_utc(2026, 11, 20, 15, 0))
    assert not LONDON.is_close_of_business(_utc(2026, 11, 22, 17, 30))  # a Sunday: closed
    split = _calendar(hours={"fri": "09:00-12:30,13:30-17:30"})
    assert not split.is_close_of_business(_utc(2026, 11, 20, 12, 30))  # lunch, not the close
