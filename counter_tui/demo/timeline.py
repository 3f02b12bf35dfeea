"""The demo's clock of past events: actions run in time order, each at its own moment."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from counter_tui.clock import ManualClock
from counter_tui.services.context import Actor


@dataclass
class Timeline:
    """Actions ordered by time; running one moves the demo clock to its moment.

    Actions may schedule more actions. Anything scheduled at or after `stop` is dropped,
    so history never reaches into the present.
    """

    clock: ManualClock
    stop: datetime
    _queue: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def at(self, moment: datetime, action: Callable[[], object]) -> None:
        """Run `action` with the clock at `moment`."""
        if moment < self.stop:
            heapq.heappush(self._queue, (moment, next(self._seq), action))

    def run(self) -> None:
        """Run every scheduled action in time order."""
        while self._queue:
            moment, _, action = heapq.heappop(self._queue)
            self.clock.moment = max(self.clock.moment, moment)
            action()


@dataclass
class VisitState:
    """What the timeline knows about one past visit while it plays out."""

    visit_id: int = 0
    owner: Actor | None = None
