"""The part every change feed shares: the thread, the catch-up, and online/offline.

A backend (SQLite or PostgreSQL) subclasses `FeedWatcher`, opens its own connection
in `_open`, and runs its watch loop in `_watch`; this class keeps track of the newest
change seen, never reports one change twice, and turns a lost connection into one
`online=False` event followed, once back, by one `resumed=True` catch-up event.
"""

from __future__ import annotations

import logging
import random
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from counter_tui.errors import DomainError
from counter_tui.services import shop_settings
from counter_tui.services.changes import Change, LogState, changes_since, log_state
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent

log = logging.getLogger(__name__)

RECENT_IDS_KEPT = 2000
CHANGES_PER_READ = 500
"""Audit events read from the log at a time; more since the last look are read in turns."""
BACKOFF_FIRST_SECONDS = 0.05
BACKOFF_MAX_SECONDS = 2.0


def backoff_delays(first: float = BACKOFF_FIRST_SECONDS, cap: float = BACKOFF_MAX_SECONDS) -> Iterator[float]:
    """Waits between reconnect attempts: doubling from `first` up to `cap`, with jitter
    so that every terminal of a shop does not knock on the server at the same instant."""
    delay = first
    while True:
        yield delay * random.uniform(0.8, 1.2)
        delay = min(delay * 2, cap)


class FeedWatcher(ABC):
    """A background thread that watches one database and calls `on_event`."""

    def __init__(self, ctx: ShopContext, on_event: Callable[[FeedEvent], None]) -> None:
        self.ctx = ctx
        self.on_event = on_event
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._last_id: int | None = None
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._online = True
        self._catch_up_pending = False
        self._generation: str | None = None

    @property
    def online(self) -> bool:
        """Whether the database answered the last time the feed asked."""
        return self._online

    @property
    def stopping(self) -> bool:
        """Whether `stop` was called; watch loops end when this turns True."""
        return self._stop.is_set()

    def start(self) -> None:
        """Connect and take the starting point now, so every change committed after
        this returns is reported; then watch in a background thread."""
        self.take_starting_point()
        self._thread = threading.Thread(target=self._run, name="change-feed", daemon=True)
        self._thread.start()

    def take_starting_point(self) -> None:
        """Connect, and mark the newest change and the database's generation as seen (a
        failure leaves a catch-up to do once connected)."""
        try:
            self._open()
            state = log_state(self.ctx)
            self._last_id, self._generation = state.newest, state.generation
            self._baseline()
        except Exception:
            self._close()
            self._catch_up_pending = True

    def stop(self) -> None:
        """Stop watching, wait for the thread to end, and close the connection."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._close()

    def poll_once(self) -> FeedEvent | None:
        """Ask the database for changes now; an event if there were any (not emitted)."""
        try:
            changes = self._fetch_changes()
        except DomainError:
            return None
        return FeedEvent(online=True, changes=changes) if changes else None

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if the feed is stopping."""
        return self._stop.wait(seconds)

    def _run(self) -> None:
        while not self.stopping:
            try:
                self._watch()
            except Exception:
                self._close()
                self._catch_up_pending = True
            if self.stopping:
                break
            self._reconnect()

    def _reconnect(self) -> None:
        """Reopen the watch connection, trying once at once and then with backoff,
        reporting offline only when the first attempt fails."""
        for delay in backoff_delays():
            if self.stopping:
                return
            try:
                self._open()
                self._resume()
                return
            except Exception:
                self._close()
                self.report_offline()
            if self.wait(delay):
                return

    def _resume(self) -> None:
        """After (re)connecting: report changes missed meanwhile, and that we are back
        (that the database was replaced, if it was)."""
        if not self._catch_up_pending:
            return
        state = log_state(self.ctx)
        replaced = self._was_replaced(state)
        with self._lock:
            if replaced:
                self._recent.clear()
                self._last_id, self._generation = state.newest, state.generation
            elif self._last_id is None:
                self._last_id = state.newest
        changes = () if replaced else self._fetch_changes()
        self._baseline()
        with self._lock:
            self._last_id = max(self._last_id or 0, state.newest)
        self._catch_up_pending = False
        self._online = True
        self.emit(FeedEvent(online=True, changes=changes, resumed=True, replaced=replaced))

    def _was_replaced(self, state: LogState) -> bool:
        """Whether the database is another copy than the one last read: a restore gave
        it a new generation, or its log ends before the newest change already seen."""
        with self._lock:
            known, last = self._generation, self._last_id
        if known is None:
            return False
        return state.generation != known or (last is not None and state.newest < last)

    def check_replaced(self) -> bool:
        """Look whether the database was replaced; if so, forget the change numbers seen,
        start again from its newest, and tell the screens to read everything again."""
        state = log_state(self.ctx)
        if not self._was_replaced(state):
            return False
        with self._lock:
            self._recent.clear()
            self._last_id, self._generation = state.newest, state.generation
        self._baseline()
        self.emit(FeedEvent(online=True, resumed=True, replaced=True))
        return True

    def _fetch_changes(self) -> tuple[Change, ...]:
        """Changes committed after the newest one seen, not reported before: all of
        them, read in turns (SQLite reads the log only when the file changes again, so
        changes left unread now would wait for the next write)."""
        with self._lock:
            since = self._last_id
        if since is None:
            return ()
        fresh: list[Change] = []
        while True:
            batch = changes_since(self.ctx, since, limit=CHANGES_PER_READ)
            fresh.extend(self.accept(batch))
            if len(batch) < CHANGES_PER_READ:
                return tuple(fresh)
            since = batch[-1].event_id

    def seen_before(self, changes: Iterable[Change]) -> bool:
        """Whether any of these changes has a number already reported (lately)."""
        with self._lock:
            return any(change.event_id in self._recent for change in changes)

    def accept(self, changes: Iterable[Change]) -> tuple[Change, ...]:
        """The changes not reported before; remembers them and the newest id."""
        fresh = []
        with self._lock:
            for change in changes:
                if change.event_id in self._recent:
                    continue
                self._recent[change.event_id] = None
                fresh.append(change)
                self._last_id = max(self._last_id or 0, change.event_id)
            while len(self._recent) > RECENT_IDS_KEPT:
                self._recent.popitem(last=False)
        return tuple(fresh)

    def report_offline(self) -> None:
        """Tell screens the database is unreachable (once per outage)."""
        self._catch_up_pending = True
        if self._online:
            self._online = False
            self.emit(FeedEvent(online=False))

    def emit(self, event: FeedEvent) -> None:
        """Hand an event to the screen's callback. A callback that raises is logged and
        the feed carries on: a screen's bug must not look like a lost database.

        When any terminal changed the shop-wide settings (or changes may have been
        missed), this terminal reads them again first, so what the screens reload
        follows the new hours and thresholds without a restart."""
        if event.resumed or any(change.entity == shop_settings.ENTITY for change in event.changes):
            try:
                self.ctx.refresh_rules()
            except DomainError:
                self.ctx.forget_rules()  # read them when next needed
        try:
            self.on_event(event)
        except Exception:
            log.exception("change feed callback failed on %r", event)

    def _baseline(self) -> None:  # noqa: B027  (optional hook)
        """Take whatever else the backend compares against (e.g. who is looking)."""

    @abstractmethod
    def _open(self) -> None:
        """Open the backend's own watch connection; raise if the database is unreachable."""

    @abstractmethod
    def _watch(self) -> None:
        """Watch until stopped (return) or the connection is lost (raise)."""

    @abstractmethod
    def _close(self) -> None:
        """Close the watch connection, if open; never raises."""
