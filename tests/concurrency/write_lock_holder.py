"""A terminal stuck in the middle of a write: `python -m tests.concurrency.write_lock_holder
URL`. It takes its turn in the write queue, begins the SQLite write transaction, prints
`holding`, and waits on stdin until it is killed."""

from __future__ import annotations

import sys

from sqlalchemy import text

from counter_tui.db.engine import Database


def main(url: str) -> None:
    """Hold the write queue and SQLite's write lock until killed."""
    database = Database(url)
    with database.write() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]  # BEGIN IMMEDIATE runs here
        print("holding", flush=True)
        sys.stdin.readline()


if __name__ == "__main__":
    main(sys.argv[1])
