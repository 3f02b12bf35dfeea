"""Due times typed at the counter (services/when.py): a weekday means the next one whose
due moment is still ahead, so "fri" on a Friday before closing is today."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from counter_tui.config import ShopSettings
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.when import parse_due

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
