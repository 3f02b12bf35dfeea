"""Pulling the plug on a PostgreSQL database, from an admin connection to another one."""

from __future__ import annotations

import psycopg
from sqlalchemy.engine import make_url


def database_name(url: str) -> str:
    """The database a URL names."""
    return str(make_url(url).database)


def refuse_connections(server: psycopg.Connection, url: str, *, refuse: bool) -> None:
    """Make the server refuse (or accept again) new connections to the database."""
    allow = "false" if refuse else "true"
    server.execute(f'ALTER DATABASE "{database_name(url)}" ALLOW_CONNECTIONS {allow}')


EXIT_WAIT_MS = 10_000
"""How long `terminate` waits for a backend to have exited (PostgreSQL 14 or newer)."""


def terminate(server: psycopg.Connection, url: str, pid: int | None = None) -> int:
    """Terminate one backend (`pid`), or every backend connected to the database, and wait
    until each has exited, so its client's socket already holds the news (without the
    wait the signal is only sent, and a starved backend may not have closed it yet);
    how many."""
    if pid is not None:
        row = server.execute("SELECT pg_terminate_backend(%s, %s)", (pid, EXIT_WAIT_MS)).fetchone()
        return int(bool(row and row[0]))
    rows = server.execute(
        "SELECT pg_terminate_backend(pid, %s) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (EXIT_WAIT_MS, database_name(url)),
    ).fetchall()
    return sum(1 for (done,) in rows if done)
