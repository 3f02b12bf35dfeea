"""Reading a due time typed at the counter ("tomorrow 17:00", "fri", "25/11 12:30",
"in 2 working hours"), in the store's time zone and by its opening hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter_tui.errors import InvalidInput
from counter_tui.services.calendar import StoreCalendar

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HELP = "Type a time like '17:00', 'tomorrow 12:30', 'fri 10:00', '2026-11-25 16:00' or 'in 2 working hours'."
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_WORKING = re.compile(r"^in (\S+) work(?:ing)? (hours?|minutes?|mins?)$")
FURTHEST_AHEAD = timedelta(days=365)
"""How far ahead a follow-up can be due: a year. A slipped digit ("9999-12-31") was stored
as typed, a promise nobody would see again, and past the year 9999 raised OverflowError."""


def day_words(calendar: StoreCalendar, moment: datetime, now: datetime, *, at_time: bool = False) -> str:
    """The store's day at `moment` as a person reads it: "Fri 27 Nov", with the year when
    it is not this year's ("Fri 31 Dec 9999"; without it that read as this 31 Dec, and
    its weekday looked wrong); `at_time` adds the time of day ("Fri 27 Nov, 14:05").
    Every day the shop's sentences name is written by this."""
    local = calendar.local(moment)
    words = local.format("ddd D MMM")
    if local.year != calendar.local_date(now).year:
        words += local.format(" YYYY")
    return words + local.format(", HH:mm") if at_time else words


def require_within_reach(
    due: datetime, calendar: StoreCalendar, now: datetime, *, field: str = ""
) -> datetime:
    """`due`, when it is at most `FURTHEST_AHEAD` after `now`; otherwise a sentence naming
    the furthest day, about `field`. Every service that sets a due time calls this (creating
    any follow-up, a promise, a callback, a snooze), and so does reading a typed one."""
    if due - now > FURTHEST_AHEAD:
        raise _too_far(calendar, now, field)
    return due


def _too_far(calendar: StoreCalendar, now: datetime, field: str = "") -> InvalidInput:
    furthest = day_words(calendar, now + FURTHEST_AHEAD, now)
    return InvalidInput(
        f"A follow-up can be due at most a year ahead: pick a day up to {furthest}.", field=field
    )


def _parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise InvalidInput(HELP)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise InvalidInput(f"{text} is not a time of day. {HELP}")
    return time(hour, minute)


def _weekday(text: str) -> int | None:
    """0 for "mon" or "monday" … 6 for "sun"; None for anything else."""
    if text[:3] in WEEKDAY_NAMES and text.isalpha():
        return WEEKDAY_NAMES.index(text[:3])
    return None


def _parse_day(text: str, today: date) -> date:
    if text in ("today", ""):
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    weekday = _weekday(text)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if pattern == "%d/%m":
            parsed = parsed.replace(year=today.year)
            if parsed < today:
                parsed = parsed.replace(year=today.year + 1)
        return parsed
    raise InvalidInput(HELP)


def _working_amount(number: str, unit: str) -> timedelta:
    """`2` `hours` -> two hours; a count that is not a positive number is refused."""
    try:
        count = float(number)
    except ValueError:
        count = 0
    if not 0 < count <= 1000:
        raise InvalidInput(f"{number} is not a number of working {unit}. {HELP}")
    return timedelta(hours=count) if unit.startswith("hour") else timedelta(minutes=count)


@dataclass(frozen=True)
class DueReading:
    """A due time read from what was typed, and why it differs from what was typed
    (empty when it does not)."""

    due: datetime
    moved: str = ""


@dataclass(frozen=True)
class _Typed:
    """A due time as typed; `day` is the day when it was typed alone (without a time),
    and `due` then that day's close of business (`StoreCalendar.close_of_day`)."""

    due: datetime
    day: date | None = None


def read_due(text: str, calendar: StoreCalendar, now: datetime) -> DueReading:
    """A typed due time, never when the shop is shut and never already passed. Nothing
    typed is the close of the next day the shop is open (as a thank-you is due); a day
    alone is its close of business, and a day the shop is closed the next open day's
    close (the same rule); a time on a closed day or outside opening hours moves to the
    next opening (the earliest the shop can keep it), with a sentence saying so for the
    dialog to show before anything is saved. A time already passed, or more than
    `FURTHEST_AHEAD` away, is refused in one sentence the dialog shows as it is typed."""
    if not text.strip():
        return DueReading(calendar.thank_you_due(now))
    typed = _typed_due(text, calendar, now)
    _refuse_passed(typed, calendar, now)
    if typed.day is not None:
        due = require_within_reach(typed.due, calendar, now)
        if calendar.is_open_day(typed.day):
            return DueReading(due)
        closed = day_words(calendar, calendar.start_of_day(typed.day), now)
        return DueReading(due, f"The shop is closed on {closed}; moved to the close of the next open day.")
    due = typed.due
    if calendar.is_open_or_closing_at(due):
        return DueReading(require_within_reach(due, calendar, now))
    day = day_words(calendar, due, now)
    shut = (
        f"The shop is not open at {calendar.local(due).format('HH:mm')} on {day}"
        if calendar.is_open_day(calendar.local_date(due))
        else f"The shop is closed on {day}"
    )
    moved = require_within_reach(calendar.next_opening(due), calendar, now)
    return DueReading(moved, f"{shut}; moved to the next opening.")


def parse_due(text: str, calendar: StoreCalendar, now: datetime) -> datetime:
    """The due time `read_due` reads from `text` (the one rule for every typed due time)."""
    return read_due(text, calendar, now).due


def _refuse_passed(typed: _Typed, calendar: StoreCalendar, now: datetime) -> None:
    """One sentence naming what was understood, when it has already passed: a day alone
    before today ("Wed 1 Jan 2020"), else the time ("Sat 28 Nov, 16:00")."""
    if typed.day is not None and typed.day < calendar.local_date(now):
        when = day_words(calendar, calendar.start_of_day(typed.day), now)
    elif typed.due <= now:
        when = day_words(calendar, typed.due, now, at_time=True)
    else:
        return
    raise InvalidInput(f"{when} has already passed; pick a time in the future.")


def _typed_due(text: str, calendar: StoreCalendar, now: datetime) -> _Typed:
    """A typed due time as an aware UTC datetime, as typed (`read_due` then keeps it off
    closed hours and refuses it when passed). A day without a time means that day's
    close of business (the next open day's close when the shop is closed that day);
    "in N working hours" (or minutes) counts only the hours the shop is open. A weekday
    means the next time it comes that is still ahead: "fri" said on a Friday before
    closing is today's close (as a customer hears "by Friday" on a Friday), after
    closing next Friday's; the dialog shows the date it understood before anything is
    saved."""
    typed = _parse_due(text, calendar, now)
    first_word = (text.strip().lower().split() or [""])[0]
    if _weekday(first_word) is not None and typed.due <= now:
        return _parse_due(text, calendar, now, weeks_on=1)
    return typed


def _parse_due(text: str, calendar: StoreCalendar, now: datetime, weeks_on: int = 0) -> _Typed:
    """`_typed_due` with the days counted from `weeks_on` weeks after today."""
    words = text.strip().lower().split()
    if not words:
        raise InvalidInput(HELP)
    working = _WORKING.match(" ".join(words))
    if working:
        return _Typed(calendar.add_working_time(now, _working_amount(working.group(1), working.group(2))))
    today = calendar.local_date(now) + timedelta(weeks=weeks_on)
    clock = _parse_time(words[-1]) if _TIME.match(words[-1]) else None
    day = _parse_day(" ".join(words[:-1] if clock else words), today)
    if day > calendar.local_date(now + FURTHEST_AHEAD):  # refused before a time on it is made
        raise _too_far(calendar, now)
    if clock is not None:
        return _Typed(calendar.at(day, clock))
    return _Typed(calendar.close_of_day(day), day)
