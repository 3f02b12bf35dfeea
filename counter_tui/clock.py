"""The source of "now" for services and screens.

Everything asks a `Clock` instead of calling `datetime.now`, so tests, snapshots
and the demo shop can run at a fixed moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware, in UTC."""
    return datetime.now(UTC)


def fixed_clock(moment: datetime) -> Clock:
    """A clock stopped at `moment` (made aware in UTC)."""
    frozen = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    frozen = frozen.astimezone(UTC)
    return lambda: frozen


class ManualClock:
    """A clock that stands still until moved; for tests that need time to pass."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move forward by a `timedelta(**delta)`."""
        self.moment = self.moment + timedelta(**delta)
