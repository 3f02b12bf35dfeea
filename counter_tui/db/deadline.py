"""Time limits for PostgreSQL, and connections that stop waiting for a frozen server.

The server ends a statement after `STATEMENT_TIMEOUT_SECONDS` and a wait for a row
lock after `LOCK_TIMEOUT_SECONDS`; connecting gives up after `CONNECT_TIMEOUT_SECONDS`.
A frozen server (stopped, swapped out, a VM paused) still holds its TCP connections
open: the kernel acknowledges keepalives and the server's own `statement_timeout`
never fires, so a query waits forever. Every wait of a `DeadlineConnection` for the
server (a statement, a fetch, a commit, a pool ping) ends after `answer_seconds`; the
connection is then closed, so the pool throws it away, and the caller gets a
`psycopg.OperationalError` saying the server did not answer.

Only PostgreSQL needs psycopg (the `postgres` extra), so only the PostgreSQL paths
import this module; the limits themselves are in `time_limits`.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors

from counter_tui.db.time_limits import ANSWER_SECONDS, NO_ANSWER

_WAIT_TIMEOUT: type[Exception] = errors._WaitTimeout
"""What psycopg raises when a wait given a `timeout` runs out (psycopg 3.3)."""


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection whose waits for the server end after `answer_seconds`."""

    answer_seconds: float | None = ANSWER_SECONDS

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        """psycopg's wait, with our deadline when the caller set none."""
        limit = self.answer_seconds
        if timeout is not None or limit is None:
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except _WAIT_TIMEOUT:
            # The server may still answer later, out of step with us: never reuse this.
            self.pgconn.finish()
            raise psycopg.OperationalError(f"{NO_ANSWER} {limit:g} seconds") from None
