"""The time limits counter-tui gives PostgreSQL (see `deadline`), and lifting them.

They live apart from `deadline` because that module needs psycopg, which is only
installed with the `postgres` extra, while the sentences of `diagnose` and the
migrations need the limits on every installation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

STATEMENT_TIMEOUT_SECONDS = 5
LOCK_TIMEOUT_SECONDS = 3
CONNECT_TIMEOUT_SECONDS = 3
ANSWER_SECONDS = 6.0
"""How long one round trip may take; a little longer than the server's own
statement timeout, so a slow but living server reports its own timeout first."""

NO_ANSWER = "the database server did not answer within"
"""How the error raised after a deadline starts (see `counter_tui.db.diagnose`)."""


@contextmanager
def without_deadline(connection: Any) -> Iterator[None]:
    """Let `connection` wait as long as the server needs (migrations on a large shop).
    A connection without a deadline (SQLite's) is left as it is."""
    if not hasattr(connection, "answer_seconds"):  # not a DeadlineConnection: SQLite
        yield
        return
    connection.answer_seconds = None
    try:
        yield
    finally:
        del connection.answer_seconds
