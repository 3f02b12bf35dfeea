"""The PostgreSQL change feed: LISTEN on a dedicated autocommit connection.

Migration 0002 adds a trigger that NOTIFYs `counter_tui_changes` with each audit
event's id, entity, entity id and action when its transaction commits, and 0003 one
for presence (someone started or stopped looking at a visit): one notification an
audit row, so a 1,000-row import batch sends a thousand, in many packets. The feed
passes on each burst (every notification of the transactions the server was sending
when the first arrived, `_rest_of_the_burst`) as one `FeedEvent` straight from the
payloads, so a change reaches other terminals in about two network round trips and a
transaction makes screens reload once, not once a packet. The server can drop the
connection (restart, failover, an admin's `pg_terminate_backend`); the feed then
reconnects with backoff and catches up from the audit log. A server that stops
answering (frozen, not gone) is noticed by a ping every `PING_AFTER_SECONDS` of quiet
that must be answered within `ANSWER_SECONDS`, so offline shows within seconds.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable

import psycopg
from sqlalchemy.engine import make_url

from counter_tui.db.deadline import DeadlineConnection
from counter_tui.db.engine import PG_CONNECT_ARGS
from counter_tui.errors import DomainError
from counter_tui.services.changes import Change
from counter_tui.services.context import ShopContext
from counter_tui.sync.base import FeedWatcher
from counter_tui.sync.events import FeedEvent

NOTIFY_CHANNEL = "counter_tui_changes"
RESTORED = "database.restored"
"""The restore's audit event: its notification says the database was replaced."""
WAIT_SECONDS = 0.25
"""How long one wait for notifications lasts; bounds how long `stop` takes."""
PING_AFTER_SECONDS = 2.0
"""After this long without a notification, check the connection is still alive."""
ANSWER_SECONDS = 3.0
"""How long the feed's connection waits for the server before calling it offline."""


def libpq_conninfo(url: str) -> str:
    """The libpq connection string for an SQLAlchemy `postgresql+psycopg://` URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def parse_notification(payload: str) -> Change | int | None:
    """A `Change` for an audit event, a visit id for a presence change, else None."""
    try:
        data = json.loads(payload)
        if data.get("entity") == "presence":
            return int(data["entity_id"])
        return Change(
            event_id=int(data["id"]),
            entity=str(data["entity"]),
            entity_id=None if data.get("entity_id") is None else int(data["entity_id"]),
            action=str(data["action"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class PostgresFeed(FeedWatcher):
    """Listens for the notifications sent by the audit and presence triggers."""

    def __init__(
        self,
        ctx: ShopContext,
        on_event: Callable[[FeedEvent], None],
        *,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        super().__init__(ctx, on_event)
        self.wait_seconds = wait_seconds
        self._connection: psycopg.Connection | None = None

    @property
    def backend_pid(self) -> int | None:
        """The server process serving the LISTEN connection (for tests and diagnostics)."""
        connection = self._connection
        return connection.info.backend_pid if connection is not None else None

    def _open(self) -> None:
        connection = DeadlineConnection.connect(
            libpq_conninfo(self.ctx.database.url), autocommit=True, **PG_CONNECT_ARGS
        )
        connection.answer_seconds = ANSWER_SECONDS
        try:
            connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error:
            connection.close()
            raise
        self._connection = connection

    def _watch(self) -> None:
        connection = self._connection
        if connection is None:
            raise psycopg.OperationalError("not connected")
        quiet_since = time.monotonic()
        while not self.stopping:
            batch = list(connection.notifies(timeout=self.wait_seconds, stop_after=1))
            if batch:
                batch += self._rest_of_the_burst(connection)
                quiet_since = time.monotonic()
                self._report(notify.payload for notify in batch)
            elif time.monotonic() - quiet_since > PING_AFTER_SECONDS:
                connection.execute("SELECT 1")
                quiet_since = time.monotonic()
                self._replaced_meanwhile()

    @staticmethod
    def _rest_of_the_burst(connection: psycopg.Connection) -> list[psycopg.Notify]:
        """The notifications the server was sending with the first one that arrived.

        A transaction's notifications reach the server's queue together at its commit,
        and the server sends every one waiting there before it reads our next query: so
        all of them are in before the answer to a `SELECT 1`, whatever packets they came
        in. One round trip (it also shows the server answers), no guess at how long a
        burst lasts; notifications arriving meanwhile are kept by psycopg for this read.
        """
        connection.execute("SELECT 1")
        return list(connection.notifies(timeout=0))

    def _report(self, payloads: Iterable[str]) -> None:
        changes: list[Change] = []
        presence: set[int] = set()
        for payload in payloads:
            parsed = parse_notification(payload)
            if isinstance(parsed, Change):
                changes.append(parsed)
            elif isinstance(parsed, int):
                presence.add(parsed)
        restore_heard = self.seen_before(changes) or any(change.action == RESTORED for change in changes)
        if restore_heard and self._replaced_meanwhile():  # its event, or numbers used again
            return
        fresh = self.accept(changes)
        if fresh or presence:
            self.emit(FeedEvent(online=True, changes=fresh, presence=tuple(sorted(presence))))

    def _replaced_meanwhile(self) -> bool:
        """`check_replaced`, with a database that does not answer left to the next try."""
        try:
            return self.check_replaced()
        except DomainError:
            return False

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                connection.close()
