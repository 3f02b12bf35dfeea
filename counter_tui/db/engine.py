"""Engine factory and transaction scopes for SQLite and PostgreSQL.

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for write
transactions, so several processes on one file serialise their writes instead of
failing with "database is locked" halfway through a read-then-write. Connections open
the file read-write without creating it, and each checkout checks the file is still the
one that was opened: a database file that was moved, removed or is on a share that went
away makes calls fail with `DatabaseUnavailable` instead of silently starting an empty
database (or writing on into a deleted one).
PostgreSQL: psycopg 3 with a connect timeout, TCP keepalives and a pre-ping, so a
server that went away is noticed at the next call; services claim with conditional
UPDATEs.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlmodel import Session

from counter_tui.errors import DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_OPTION = "counter_tui_write"
PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "application_name": "counter-tui",
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
}


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


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, or None for an in-memory database."""
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def sqlite_uri(path: Path) -> str:
    """A read-write SQLite URI for `path` that refuses to create a missing file."""
    return path.as_uri() + "?mode=rw"


def file_identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of `path`, or None when it is gone."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def _create_sqlite_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        sqlite3.connect(path).close()


def _configure_sqlite(engine: Engine, path: Path | None) -> None:
    if path is not None:

        @event.listens_for(engine, "do_connect")
        def _open_existing_file(
            _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
        ) -> None:
            cargs[:] = [sqlite_uri(path)]
            cparams["uri"] = True

        @event.listens_for(engine, "checkout")
        def _same_file(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
            if record.info.get("file_identity") != file_identity(path):
                raise DisconnectionError("the database file was moved or removed")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        if path is not None:
            record.info["file_identity"] = file_identity(path)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")  # erased data is overwritten, not left in free space
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the per-dialect settings counter-tui relies on."""
    url = normalise_url(url)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            _create_sqlite_file(path)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine, path)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=dict(PG_CONNECT_ARGS))


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
        except (OperationalError, InterfaceError) as error:
            raise DatabaseUnavailable.from_driver(error) from error
        except DBAPIError as error:
            if error.connection_invalidated:
                raise DatabaseUnavailable.from_driver(error) from error
            raise

    def checkpoint(self) -> bool:
        """SQLite: copy the write-ahead log into the database file and empty the log, so
        what was just overwritten is not left in it; whether that completed (another
        terminal reading an older snapshot can hold it up). PostgreSQL: nothing to do."""
        if not self.is_sqlite:
            return True
        with self._guard():
            connection = self.engine.raw_connection()  # outside any transaction
            try:
                cursor = connection.cursor()
                busy, _log, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.close()
            except sqlite3.Error:
                return False
            finally:
                connection.close()
        return not busy

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
