"""Opening hours and due times, computed in the store's time zone with pendulum.

This is the one module that knows when the shop is open. Everything that needs a
due time or "close of business" asks it, so weekends, holidays, DST changes and
split hours (closed for lunch) are handled in one place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pendulum

from counter_tui.config import ShopSettings

SEARCH_DAYS = 400


class StoreCalendar:
    """When a shop is open, and when things it owes customers fall due."""

    def __init__(self, shop: ShopSettings) -> None:
        self.shop = shop
        self.tz = pendulum.timezone(shop.timezone)
        self._holidays = set(shop.holidays)

    def local(self, moment: datetime) -> pendulum.DateTime:
        """`moment` in the store's time zone."""
        return pendulum.instance(moment).in_timezone(self.tz)

    def local_date(self, moment: datetime) -> date:
        """The store's calendar date at `moment`."""
        return self.local(moment).date()

    def at(self, day: date, clock_time: time) -> datetime:
        """A wall-clock time on a store date, as an aware UTC stdlib datetime.

        In a DST gap the time moves forward (pendulum's rule); in an overlap the
        first occurrence is used.
        """
        parts = (day.year, day.month, day.day, clock_time.hour, clock_time.minute)
        # fold=0 is the first occurrence in an overlap, but in a gap it moves backwards;
        # pendulum's default fold=1 moves a gap forwards (and would pick the second overlap).
        first = pendulum.datetime(*parts, tz=self.tz, fold=0)
        if (first.hour, first.minute) == (clock_time.hour, clock_time.minute):
            return _stdlib_utc(first)
        return _stdlib_utc(pendulum.datetime(*parts, tz=self.tz, fold=1))

    def is_open_day(self, day: date) -> bool:
        """Whether the shop opens at all on `day`."""
        return day not in self._holidays and self.shop.opening_hours(day.weekday()) is not None

    def opening(self, day: date) -> datetime | None:
        """Opening time on `day` in UTC, or None when closed."""
        hours = self.shop.opening_hours(day.weekday())
        if hours is None or day in self._holidays:
            return None
        return self.at(day, hours.opens)

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The periods the shop is open on `day`, in UTC, in order; empty when closed."""
        hours = self.shop.opening_hours(day.weekday())
        if hours is None or day in self._holidays:
            return []
        return [(self.at(day, opens), self.at(day, closes)) for opens, closes in hours.periods]

    def closing(self, day: date) -> datetime | None:
        """Close of business on `day` in UTC, or None when closed."""
        hours = self.shop.opening_hours(day.weekday())
        if hours is None or day in self._holidays:
            return None
        return self.at(day, hours.closes)

    def next_open_day(self, after: date) -> date:
        """The first open day strictly after `after`."""
        day = after
        for _ in range(SEARCH_DAYS):
            day = day + timedelta(days=1)
            if self.is_open_day(day):
                return day
        raise ValueError("The shop has no open day in the next year; check the opening hours.")

    def is_open_at(self, moment: datetime) -> bool:
        """Whether the shop is open at `moment` (not in a break between periods)."""
        return any(opens <= moment < closes for opens, closes in self.periods(self.local_date(moment)))

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of opening hours after `start`: nights, closed days and
        breaks between periods do not count ("in 2 working hours" at 11:30 with a lunch
        break 12:30-13:30 is 14:30)."""
        remaining = amount
        day = self.local_date(start)
        for _ in range(SEARCH_DAYS):
            for opens, closes in self.periods(day):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if remaining <= closes - begin:
                    return begin + remaining
                remaining -= closes - begin
            day = day + timedelta(days=1)
        raise ValueError("The shop has no open day in the next year; check the opening hours.")

    def thank_you_due(self, moment: datetime) -> datetime:
        """End of the next business day after `moment`: when a thank-you for a visit that
        ended then is due, and the default for every due time typed at the counter."""
        return self.next_business_close(moment)

    def next_business_close(self, moment: datetime) -> datetime:
        """Close of business on the first open day after the day of `moment`."""
        next_day = self.next_open_day(self.local_date(moment))
        closing = self.closing(next_day)
        assert closing is not None
        return closing

    def is_open_or_closing_at(self, moment: datetime) -> bool:
        """Whether the shop is open at `moment`, counting the closing minute itself
        (a due time "by close" is while the shop is open)."""
        periods = self.periods(self.local_date(moment))
        return any(opens <= moment <= closes for opens, closes in periods)

    def next_opening(self, moment: datetime) -> datetime:
        """The first moment at or after `moment` that the shop is open."""
        day = self.local_date(moment)
        for _ in range(SEARCH_DAYS):
            for opens, closes in self.periods(day):
                if moment < closes:
                    return max(opens, moment)
            day = day + timedelta(days=1)
        raise ValueError("The shop has no open day in the next year; check the opening hours.")

    def callback_due(self, asked_at: datetime, cutoff_minutes: int) -> datetime:
        """Before today's close; the next business day's close if asked within the cutoff
        before close, after close, or on a day the shop is closed."""
        today = self.local_date(asked_at)
        closing = self.closing(today)
        if closing is not None and asked_at < closing - timedelta(minutes=cutoff_minutes):
            return closing
        next_closing = self.closing(self.next_open_day(today))
        assert next_closing is not None
        return next_closing

    def status_update_due(self, from_moment: datetime, every_days: int) -> datetime:
        """Close of business `every_days` calendar days on, moved to an open day."""
        day = self.local_date(from_moment) + timedelta(days=every_days)
        if not self.is_open_day(day):
            day = self.next_open_day(day)
        closing = self.closing(day)
        assert closing is not None
        return closing

    def end_of_today(self, moment: datetime) -> datetime:
        """Midnight at the end of the store's day containing `moment`, in UTC."""
        tomorrow = self.local_date(moment) + timedelta(days=1)
        return _stdlib_utc(pendulum.datetime(tomorrow.year, tomorrow.month, tomorrow.day, tz=self.tz))

    def start_of_day(self, day: date) -> datetime:
        """Midnight at the start of a store date, in UTC."""
        return _stdlib_utc(pendulum.datetime(day.year, day.month, day.day, tz=self.tz))

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """A store date as a UTC half-open range [start, end)."""
        return self.start_of_day(day), self.start_of_day(day + timedelta(days=1))


def _stdlib_utc(moment: pendulum.DateTime) -> datetime:
    """A pendulum moment as a plain aware stdlib datetime in UTC (what drivers accept)."""
    utc = moment.in_timezone("UTC")
    return datetime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, tzinfo=UTC
    )
