"""How times and durations read on screen, in the store's time zone."""

from __future__ import annotations

from datetime import date, datetime

from counter_tui.services.context import ShopContext


def clock_time(ctx: ShopContext, moment: datetime | None) -> str:
    """`14:05` in the store's time zone (empty for no time)."""
    if moment is None:
        return ""
    return ctx.calendar.local(moment).format("HH:mm")


def day_and_time(ctx: ShopContext, moment: datetime | None) -> str:
    """`Fri 20 Nov 14:05`, or `today 14:05` / `tomorrow 14:05` near now; `4 Jan 2027 14:05`
    (with the year, short enough for a table's column) for a day not in this year or
    half a year or more away."""
    if moment is None:
        return ""
    calendar = ctx.calendar
    local = calendar.local(moment)
    today = calendar.local_date(ctx.now())
    days = (date(local.year, local.month, local.day) - today).days
    if days == 0:
        return "today " + local.format("HH:mm")
    if days == 1:
        return "tomorrow " + local.format("HH:mm")
    if days == -1:
        return "yesterday " + local.format("HH:mm")
    if abs(days) > 180 or local.year != today.year:
        return local.format("D MMM YYYY HH:mm")
    return local.format("ddd D MMM HH:mm")


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end` (never negative)."""
    return max(int((end - start).total_seconds() // 60), 0)


def duration(start: datetime, end: datetime) -> str:
    """`4 min`, `1 h 05`, for how long something has been going on."""
    minutes = minutes_between(start, end)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d}"
