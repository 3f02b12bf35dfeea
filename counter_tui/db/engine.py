"""Engine factory and transaction scopes for SQLite and PostgreSQL.

SQLite: WAL, a busy timeout, foreign keys, and `BEGIN IMMEDIATE` for write
transactions, so several processes on one file serialise their writes instead of
failing with "database is locked" halfway through a read-then-write; before BEGIN a
writer waits in a fair queue (a file lock beside the database, see `write_lock`), so
the wait stays short as terminals are added. Connections open
the file read-write without creating it, and each checkout checks the file is still the
one that was opened: a database file that was moved, removed or is on a share that went
away makes calls fail with `DatabaseUnavailable` instead of silently starting an empty
database (or writing on into a deleted one). A new file is made only when asked
(`create=True`), readable by this user alone.
PostgreSQL: psycopg 3 with time limits (connect, statement, lock wait, and a client-side
deadline for a frozen server; see `deadline`) and TCP keepalives, so a server that went
away or stopped answering is reported within seconds. No ping on checkout (a claim would
pay a round trip for it): a pooled connection the server dropped while it sat idle has
news waiting on its socket, which a local look at checkout sees, so it is replaced
before use (see `_dropped_while_idle`). Reads run without a transaction (see `read`).
Both: bound parameters never appear in error messages (they hold customers' details),
and every driver failure becomes one sentence naming the database (see `diagnose`).
"""

from __future__ import annotations

import importlib.util
import os
import select
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlmodel import Session

from counter_tui.db import collection, diagnose
from counter_tui.db.time_limits import (
    CONNECT_TIMEOUT_SECONDS,
    LOCK_TIMEOUT_SECONDS,
    STATEMENT_TIMEOUT_SECONDS,
)
from counter_tui.db.write_lock import WriteLock, WriteQueueTimeout
from counter_tui.errors import DatabaseUnavailable, InvalidInput
from counter_tui.files import private_file

SQLITE_BUSY_TIMEOUT_MS = 15_000
# Each connection's page cache (SQLite's default is 2 MiB). Find-customer on a
# million-customer shop reads a few thousand scattered pages; with 2 MiB each search
# read most of them again from the OS, and the cache held them (benchmarks/README.md,
# bench_search.py). They fit in 6 MiB (4 MiB made a name search 0.8 ms slower), so 8 MiB
# leaves room. Pages are taken as they are read: a small shop uses little of it.
SQLITE_CACHE_KIB = 8_192
SQLITE_HEAP_LIMIT_KIB = 10_240
"""All of a process's SQLite memory together (SQLite's soft heap limit, process-wide): one
connection's full page cache and 2 MiB for the rest. Each pooled connection has a cache
of its own; on a million-customer shop a lead's terminal held 33 MiB of them after two
rounds of its screens (benchmarks/README.md, stop 34). Past the limit, a connection
reuses its least recently used pages instead of taking more."""
WRITE_OPTION = "counter_tui_write"
PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    "application_name": "counter-tui",
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "options": (
        f"-c statement_timeout={STATEMENT_TIMEOUT_SECONDS * 1000}"
        f" -c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000}"
        " -c idle_in_transaction_session_timeout=60000"
    ),
}
SUPPORTED_URLS = "sqlite:////path/to/shop.sqlite3 or postgresql://user@host/dbname"


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` as psycopg 3 URLs."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def check_supported(url: str) -> None:
    """Refuse a URL that is not SQLite or PostgreSQL through psycopg 3, with a sentence; and
    options after an SQLite path, which the driver would ignore (`?mode=ro` opened the file
    read-write after SQLAlchemy's warning)."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InvalidInput(f"That database URL is not valid. Use {SUPPORTED_URLS} ({error}).") from error
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and parsed.query:
        options = url.partition("?")[2]
        raise InvalidInput(
            f"counter-tui opens an SQLite file by its path alone: leave '?{options}' out of the database URL."
        )
    if (backend, driver) in (("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        return
    if backend in ("sqlite", "postgresql"):
        kind = f"{backend}+{driver}"
        raise InvalidInput(f"counter-tui does not use the {kind} driver. Use {SUPPORTED_URLS}.")
    raise InvalidInput(f"counter-tui works with SQLite and PostgreSQL, not {backend}. Use {SUPPORTED_URLS}.")


def is_sqlite(url: str) -> bool:
    """Whether a URL names an SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL, or None for an in-memory or non-SQLite database."""
    return diagnose.sqlite_file(make_url(normalise_url(url)))


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
    """An empty database file at `path`, private to this user (its folders too)."""
    if path.exists():
        return
    try:
        private_file(path)
        sqlite3.connect(path).close()
    except (OSError, sqlite3.Error) as error:
        if isinstance(error, OSError):
            raise DatabaseUnavailable(diagnose.cannot_create(path, error)) from error
        raise DatabaseUnavailable(diagnose.explain(error, f"sqlite:///{path}", was_open=False)) from error


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
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA soft_heap_limit = {SQLITE_HEAP_LIMIT_KIB * 1024}")
        cursor.execute("PRAGMA secure_delete = ON")  # erased data is overwritten, not left in free space
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def writing(session: Session) -> bool:
    """Whether `session` is a write transaction (`Database.write`), whose reads may lock."""
    return bool(session.connection().get_execution_options().get(WRITE_OPTION, False))


def _configure_postgres(engine: Engine) -> None:
    from counter_tui.db.deadline import DeadlineConnection  # psycopg: the postgres extra

    @event.listens_for(engine, "do_connect")
    def _connect_with_deadline(
        _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
    ) -> DeadlineConnection:
        return DeadlineConnection.connect(*cargs, **cparams)

    @event.listens_for(engine, "checkout")
    def _replace_dropped(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _dropped_while_idle(dbapi_connection):
            raise DisconnectionError("the server closed this pooled connection")


def _dropped_while_idle(connection: Any) -> bool:
    """Whether an idle psycopg connection is closed, broken, or has something waiting on
    its socket: an idle connection of the pool (which never LISTENs) hears from the
    server only when it ends the session (restart, terminate, idle timeout). No round
    trip: a zero-timeout poll of the socket."""
    if connection.closed or connection.broken:
        return True
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def make_engine(url: str, *, create: bool = False) -> Engine:
    """An engine for `url`, with the per-dialect settings counter-tui relies on.
    `create` makes a missing SQLite file (never otherwise)."""
    url = normalise_url(url)
    check_supported(url)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None and create:
            _create_sqlite_file(path)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 15},
            hide_parameters=True,
            pool_use_lifo=True,  # the connection used last, whose page cache is warm
        )
        _configure_sqlite(engine, path)
        return engine
    if importlib.util.find_spec("psycopg") is None:
        raise DatabaseUnavailable(diagnose.POSTGRES_NOT_INSTALLED)
    engine = create_engine(url, connect_args=dict(PG_CONNECT_ARGS), hide_parameters=True)
    _configure_postgres(engine)
    return engine


class Database:
    """One database: read and write transaction scopes over a shared engine.

    `create=True` makes a missing SQLite file; otherwise a missing file is refused
    with a sentence when first used, so a mistyped path never starts an empty shop.
    """

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, create=create)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        untransacted = {} if is_sqlite(self.url) else {"isolation_level": "AUTOCOMMIT"}
        self._read_engine = self.engine.execution_options(**untransacted)
        path = sqlite_path(self.url)
        self.write_lock = WriteLock(path, SQLITE_BUSY_TIMEOUT_MS / 1000) if path is not None else None
        self._reached = False
        event.listen(self.engine, "connect", self._note_reached)

    def _note_reached(self, _dbapi_connection: Any, _record: Any) -> None:
        self._reached = True

    def describe(self) -> str:
        """How sentences name this database: its file, or its name and server."""
        return diagnose.describe(self.url)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return is_sqlite(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only scope; rolled back at the end. On PostgreSQL without a transaction
        (autocommit): under READ COMMITTED each statement reads its own snapshot either
        way, and a read then costs its statements' round trips alone, with no BEGIN
        before them and no ROLLBACK after (a claimed row on the floor board: one round
        trip, not three). A reader that needs one snapshot asks for its isolation level
        (`session.connection(execution_options={"isolation_level": ...})`)."""
        with self._guard(), Session(self._read_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite, after its turn in the write
        queue, held until COMMIT or ROLLBACK), committed on success; no garbage
        collection meanwhile (`collection`), which would hold up every other writer."""
        with (
            collection.held_off(),
            self._guard(),
            self.write_lock.held() if self.write_lock is not None else nullcontext(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection (for schema checks), its failures made sentences too."""
        with self._guard(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn driver failures (server gone or frozen, file locked too long, damaged,
        read-only or missing) into a sentence; a programming error stays what it is."""
        try:
            yield
        except (OperationalError, InterfaceError, WriteQueueTimeout) as error:
            raise self._unavailable(error) from error
        except DBAPIError as error:
            if error.connection_invalidated or _damaged_file(error):
                raise self._unavailable(error) from error
            raise

    def _unavailable(self, error: Exception) -> DatabaseUnavailable:
        return DatabaseUnavailable(diagnose.explain(error, self.url, was_open=self._reached))

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


def _damaged_file(error: DBAPIError) -> bool:
    """Whether SQLite said the file is not a database or is corrupt."""
    name = str(getattr(error.orig, "sqlite_errorname", ""))
    return isinstance(error, DatabaseError) and name.startswith(diagnose.SQLITE_DAMAGED)
