"""One sentence for each way a database can fail: what went wrong, where, what to do.

The driver's own text is never shown (it can hold SQL, values typed by staff, or a
password in a connection string). A failing SQLite file is examined on disk (a folder,
gone, unreadable, read-only, in a folder that cannot be written) because SQLite's
"unable to open database file" covers all of these; PostgreSQL failures are told
apart by SQLSTATE and by libpq's connection messages.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from counter_tui.db.time_limits import (
    ANSWER_SECONDS,
    CONNECT_TIMEOUT_SECONDS,
    NO_ANSWER,
    STATEMENT_TIMEOUT_SECONDS,
)

SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
SQLITE_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
SQLITE_FILE_TROUBLE = ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")
PG_TIMED_OUT = "57014"  # query_canceled: the statement timeout
PG_LOCK_WAIT = "55P03"  # lock_not_available: the lock timeout
PG_RETRY = ("40001", "40P01")  # serialization failure, deadlock
INIT_HINT = "run `counter-tui db init` with the same --db"
POSTGRES_NOT_INSTALLED = (
    "PostgreSQL support is not installed here; install it with: pip install 'counter-tui[postgres]' "
    "(or pipx install / uv tool install 'counter-tui[postgres]')."
)


def describe(url: str) -> str:
    """How a sentence names the database: its file, or its name and server."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(parsed)
        return f"the database file {path}" if path else "the in-memory database"
    return f'the database "{parsed.database or ""}" on {server(parsed)}'


def server(url: URL) -> str:
    """`host:port` of a PostgreSQL URL."""
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite URL, or None for an in-memory database or another kind of
    database (a PostgreSQL database's name is not a file)."""
    database = url.database
    if (
        url.get_backend_name() != "sqlite"
        or not database
        or database == ":memory:"
        or database.startswith("file:")
    ):
        return None
    return Path(database).expanduser().resolve()


def explain(error: BaseException, url: str, *, was_open: bool) -> str:
    """The sentence for a driver failure on the database at `url`.

    `was_open` says whether this process reached the database before: a file that is
    missing now was moved or removed, not mistyped.
    """
    parsed = make_url(url)
    cause = getattr(error, "orig", None) or error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_sentence(cause, sqlite_file(parsed), was_open=was_open)
    return _postgres_sentence(cause, parsed)


def no_shop_yet(url: str) -> str:
    """The sentence for a database that exists but holds no shop."""
    return (
        f"There is no shop in {describe(url)} yet. Check --db (or COUNTER_TUI_DATABASE_URL); "
        f"to start a new, empty shop there, {INIT_HINT}."
    )


def file_problem(path: Path, *, was_open: bool) -> str | None:
    """What is wrong on disk with the SQLite file `path`, if anything can be seen."""
    folder = path.parent
    if path.is_dir():
        return (
            f"{path} is a folder, not a database file. "
            f"Give the path of the shop's database file, e.g. {path / 'counter.sqlite3'}."
        )
    if not path.exists():
        if was_open:
            return (
                f"The database file {path} cannot be reached: it was moved or removed, or the "
                "drive or share it is on went away. Nothing was saved; put it back, then try again."
            )
        if not folder.is_dir():
            return (
                f"There is no folder {folder} for the database file {path.name}. "
                f"Check the --db path; to start a new, empty shop there, {INIT_HINT}."
            )
        return (
            f"There is no database file at {path}. Check the --db path "
            f"(or COUNTER_TUI_DATABASE_URL); to start a new, empty shop there, {INIT_HINT}."
        )
    if not os.access(path, os.R_OK):
        return (
            f"This user may not read the database file {path}. "
            "Ask whoever looks after this computer to give this user access to it."
        )
    if not os.access(path, os.W_OK):
        return (
            f"The database file {path} is read-only for this user, so nothing can be saved. "
            "Make it writable for this user (chmod u+w), or ask whoever looks after this computer."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"The folder {folder} cannot be written by this user, and the database needs to "
            "keep its journal files beside it there. Nothing was saved; make the folder "
            "writable for this user, or move the database to a folder that is."
        )
    return None


def cannot_create(path: Path, error: OSError) -> str:
    """The sentence for a database file that could not be created at `path`."""
    existing = next((folder for folder in path.parents if folder.exists()), path.parent)
    if existing.exists() and not existing.is_dir():
        return f"Cannot create the database file {path}: {existing} is a file, not a folder."
    if not os.access(existing, os.W_OK | os.X_OK):
        return (
            f"Cannot create the database file {path}: this user may not write in the folder "
            f"{existing}. Choose a folder this user can write to, or ask whoever looks after "
            "this computer."
        )
    return f"Cannot create the database file {path}: {error.strerror or error}."


def _sqlite_sentence(cause: BaseException, path: Path | None, *, was_open: bool) -> str:
    name = str(getattr(cause, "sqlite_errorname", ""))
    text = str(cause).lower()
    where = f"The database file {path}" if path else "The database"
    if name.startswith(SQLITE_BUSY) or "locked" in text:
        return f"{where} is busy with another terminal's change. Nothing was saved; please try again."
    if name.startswith(SQLITE_DAMAGED):
        return (
            f"{where} is damaged, or is not a counter-tui database. Nothing was saved. "
            "Check --db names the right file; if it does, restore the shop from a backup."
        )
    if name.startswith("SQLITE_FULL"):
        return (
            f"The disk holding {path or 'the database'} is full. "
            "Nothing was saved; free some space, then try again."
        )
    if path is not None and (name.startswith(SQLITE_FILE_TROUBLE) or not name):
        problem = file_problem(path, was_open=was_open)
        if problem is not None:
            return problem
    if name.startswith("SQLITE_READONLY"):
        return (
            f"{where} cannot be written right now, so nothing was saved. "
            "Check its disk or share, then try again."
        )
    if name.startswith("SQLITE_IOERR"):
        return (
            f"{where} could not be read or written (a disk or network share error). "
            "Nothing was saved; check the disk or share, then try again."
        )
    return f"{where} cannot be reached. Nothing was saved; check the disk or share it is on, then try again."


def _postgres_sentence(cause: BaseException, url: URL) -> str:
    sqlstate = getattr(cause, "sqlstate", None)
    text = str(cause).lower()
    at = server(url)
    if sqlstate == PG_TIMED_OUT:
        return (
            f"The database took longer than {STATEMENT_TIMEOUT_SECONDS} seconds to answer, so it "
            "was stopped. Nothing was saved; please try again."
        )
    if sqlstate == PG_LOCK_WAIT or sqlstate in PG_RETRY:
        return "Another terminal is changing the same thing right now. Nothing was saved; please try again."
    if NO_ANSWER in text or "timeout expired" in text:
        seconds = ANSWER_SECONDS if NO_ANSWER in text else CONNECT_TIMEOUT_SECONDS
        return (
            f"The database server {at} did not answer within {seconds:g} seconds. Nothing was "
            "saved; it may be frozen or overloaded. Check the server, then try again."
        )
    if sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return (
            f'There is no database "{url.database or ""}" on {at}. Check the name in --db; for a '
            f"new shop, create that database on the server first, then {INIT_HINT}."
        )
    if sqlstate in ("28P01", "28000") or "authentication failed" in text or "pg_hba.conf" in text:
        return (
            f'The database server {at} did not let user "{url.username or ""}" in. '
            "Check the user name and password in --db."
        )
    if "translate host name" in text or "name or service not known" in text:
        return f'The database server name "{url.host}" is not known. Check the host in --db and the network.'
    return (
        f"The database server {at} cannot be reached. Nothing was saved; check the network "
        "and that the server is running, then try again."
    )
