"""Engine factory and transaction scopes for SQLite and PostgreSQL.

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for write
transactions, so several processes on one file serialise their writes instead of
failing with "database is locked" halfway through a read-then-write.
PostgreSQL: psycopg 3; services make their claims with conditional UPDATEs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from counter_tui.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "counter_tui_write"


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as psycopg 3 URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def is_sqlite(url: str) -> bool:
    """Whether a URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the per-dialect settings counter-tui relies on."""
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


class Database:
    """One database: read and write transaction scopes over a shared engine."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return is_sqlite(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only scope; rolled back at the end."""
        with self._guard(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite), committed on success."""
        with (
            self._guard(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn driver failures (server gone, file locked too long) into a sentence."""
        try:
            yield
        except OperationalError as error:
            raise DatabaseUnavailable.from_driver(error) from error
        except DBAPIError as error:
            if error.connection_invalidated:
                raise DatabaseUnavailable.from_driver(error) from error
            raise

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
