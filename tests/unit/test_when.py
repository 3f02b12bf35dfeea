"""Due times typed at the counter (services/when.py): a weekday means the next one whose
due moment is still ahead, so "fri" on a Friday before closing is today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from counter_tui.config import ShopSettings
from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.when import FURTHEST_AHEAD, day_words, parse_due, read_due, require_within_reach
from counter_tui.ui.dialogs.followup_forms import understood_due
from counter_tui.ui.format import day_and_time

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


HOLIDAY_CALENDAR = StoreCalendar(ShopSettings(name="Shop", holidays=[date(2026, 12, 1)]))  # type: ignore[call-arg]
MONDAY_TEN = _utc(2026, 11, 30, 10, 0)  # Monday 30 Nov; Tuesday 1 Dec is a holiday


@pytest.mark.parametrize(
    ("calendar", "now", "typed", "due", "moved"),
    [
        # A day alone is that day's close; one the shop is closed is the next open day's
        # close, as "next open day" (nothing typed) is, never the next opening.
        (CALENDAR, SAT, "tomorrow", _utc(2026, 11, 30, 17, 30), "The shop is closed on Sun 29 Nov"),
        (CALENDAR, SAT, "sun", _utc(2026, 11, 30, 17, 30), "The shop is closed on Sun 29 Nov"),
        (
            HOLIDAY_CALENDAR,
            MONDAY_TEN,
            "tomorrow",
            _utc(2026, 12, 2, 17, 30),
            "The shop is closed on Tue 1 Dec",
        ),
        (HOLIDAY_CALENDAR, MONDAY_TEN, "tue", _utc(2026, 12, 2, 17, 30), "The shop is closed on Tue 1 Dec"),
        (HOLIDAY_CALENDAR, MONDAY_TEN, "1/12", _utc(2026, 12, 2, 17, 30), "The shop is closed on Tue 1 Dec"),
        (HOLIDAY_CALENDAR, MONDAY_TEN, "", _utc(2026, 12, 2, 17, 30), ""),
    ],
)
def test_a_day_alone_the_shop_is_closed_is_the_next_open_days_close(
    calendar: StoreCalendar, now: datetime, typed: str, due: datetime, moved: str
) -> None:
    reading = read_due(typed, calendar, now)
    assert reading.due == due
    assert reading.moved.startswith(moved)
    if moved:
        assert reading.moved.endswith("moved to the close of the next open day.")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2020-01-01", "Wed 1 Jan 2020 has already passed; pick a time in the future."),
        ("1/1/2020 12:00", "Wed 1 Jan 2020, 12:00 has already passed; pick a time in the future."),
        ("today 01:00", "Sat 28 Nov, 01:00 has already passed; pick a time in the future."),
        ("2026-11-27", "Fri 27 Nov has already passed; pick a time in the future."),
    ],
)
def test_a_due_time_already_past_is_refused_in_one_sentence_before_enter(typed: str, said: str) -> None:
    """The promise and snooze dialogs preview what they read as it is typed: a day in the
    past showed "Due Wed 1 Jan 2020" with no warning until Enter."""
    with pytest.raises(InvalidInput) as passed:
        read_due(typed, CALENDAR, SAT)
    assert str(passed.value) == said
    assert str(understood_due(typed, CALENDAR, SAT)) == said


def test_today_after_the_shops_close_has_passed() -> None:
    after_close = _utc(2026, 11, 28, 16, 30)
    with pytest.raises(InvalidInput, match=r"^Sat 28 Nov, 16:00 has already passed"):
        read_due("today", CALENDAR, after_close)


@pytest.mark.parametrize("typed", ["today 13:00", "today 16:00", "mon 09:00", "mon", "in 2 working hours"])
def test_a_due_time_while_open_or_at_closing_stays(typed: str) -> None:
    assert read_due(typed, CALENDAR, SAT).moved == ""


@pytest.mark.parametrize("typed", ["9999-12-31", "9999-12-31 23:30", "31/12/9999 23:30", "2062-01-05 12:00"])
def test_a_day_more_than_a_year_ahead_is_refused_saying_the_furthest_day(typed: str) -> None:
    """A slipped digit ("9999", "2062") was stored as typed, and a time after closing on
    the last day there is raised OverflowError moving to the next opening."""
    with pytest.raises(InvalidInput) as too_far:
        read_due(typed, CALENDAR, SAT)
    assert str(too_far.value) == (
        "A follow-up can be due at most a year ahead: pick a day up to Sun 28 Nov 2027."
    )
    assert str(understood_due(typed, CALENDAR, SAT)) == str(too_far.value)


def test_up_to_a_year_ahead_is_kept_and_the_same_refusal_guards_a_time_given_as_such() -> None:
    furthest = SAT + FURTHEST_AHEAD
    assert timedelta(days=365) == FURTHEST_AHEAD
    assert parse_due("2027-11-27 12:00", CALENDAR, SAT) == _utc(2027, 11, 27, 12, 0)
    assert require_within_reach(furthest, CALENDAR, SAT) == furthest
    with pytest.raises(InvalidInput, match="at most a year ahead") as refused:
        require_within_reach(furthest + timedelta(minutes=1), CALENDAR, SAT, field="due_at")
    assert refused.value.field == "due_at"


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (_utc(2026, 12, 31, 12, 0), "Thu 31 Dec"),
        (_utc(2027, 1, 4, 12, 0), "Mon 4 Jan 2027"),
        (_utc(2025, 12, 31, 12, 0), "Wed 31 Dec 2025"),
    ],
)
def test_day_words_name_the_year_of_a_day_not_in_this_year(moment: datetime, words: str) -> None:
    assert day_words(CALENDAR, moment, SAT) == words


def test_the_due_time_understood_names_the_year_when_it_is_next_year() -> None:
    assert str(understood_due("4/1 12:00", CALENDAR, SAT)) == "Due Mon 4 Jan 2027, 12:00"
    assert str(understood_due("31/12 12:00", CALENDAR, SAT)) == "Due Thu 31 Dec, 12:00"


def test_a_table_names_the_year_of_a_due_day_next_year() -> None:
    """Follow-up lists and the snooze toast: next January is not this one."""
    shop = SimpleNamespace(calendar=CALENDAR, now=lambda: SAT)
    assert day_and_time(shop, _utc(2027, 1, 4, 12, 0)) == "4 Jan 2027 12:00"  # type: ignore[arg-type]
    assert day_and_time(shop, _utc(2026, 12, 31, 12, 0)) == "Thu 31 Dec 12:00"  # type: ignore[arg-type]
