"""SQLite writers wait in line on `<db>.writelock`: the file is private, a writer whose
turn does not come within the time limit is refused with the usual "busy" sentence and
writes nothing, and a database in a missing folder is still refused by SQLite without
the lock making the folder."""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.write_lock import WriteQueueTimeout, lock_path
from counter_tui.errors import DatabaseUnavailable

BUSY = r"is busy with another terminal's change\. Nothing was saved"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """A new SQLite database with one table, made under the usual permissive umask."""
    before = os.umask(0o022)
    db = Database(f"sqlite:///{tmp_path / 'shop.sqlite3'}", create=True)
    with db.write() as session:
        session.exec(text("CREATE TABLE note (body TEXT)"))  # type: ignore[call-overload]
    yield db
    db.dispose()
    os.umask(before)


def _notes(db: Database) -> list[str]:
    with db.read() as session:
        return [row[0] for row in session.exec(text("SELECT body FROM note"))]  # type: ignore[call-overload]


def test_the_lock_file_is_private(database: Database, tmp_path: Path) -> None:
    lock = lock_path(tmp_path / "shop.sqlite3")

    assert lock.name == "shop.sqlite3.writelock"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_a_writer_whose_turn_does_not_come_is_refused_as_busy(database: Database, tmp_path: Path) -> None:
    assert database.write_lock is not None
    database.write_lock.timeout_seconds = 0.05
    other_terminal = os.open(lock_path(tmp_path / "shop.sqlite3"), os.O_RDONLY)
    fcntl.flock(other_terminal, fcntl.LOCK_EX)
    try:
        with (
            pytest.raises(DatabaseUnavailable, match=BUSY),
            database.write() as session,
        ):
            session.exec(text("INSERT INTO note VALUES ('refused')"))  # type: ignore[call-overload]
    finally:
        os.close(other_terminal)

    assert _notes(database) == []
    with database.write() as session:  # its turn comes once the other terminal is done
        session.exec(text("INSERT INTO note VALUES ('saved')"))  # type: ignore[call-overload]
    assert _notes(database) == ["saved"]


def test_a_thread_waits_for_another_threads_write(database: Database) -> None:
    """`flock` belongs to an open file: each write opens its own, so threads of one
    terminal queue like terminals do (a shared descriptor would let both in at once)."""
    assert database.write_lock is not None
    database.write_lock.timeout_seconds = 0.05
    with database.write() as first:
        first.exec(text("INSERT INTO note VALUES ('first')"))  # type: ignore[call-overload]
        with pytest.raises(WriteQueueTimeout), database.write_lock.held():
            pass
    assert _notes(database) == ["first"]


def test_a_database_in_a_missing_folder_is_refused_without_making_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "unplugged-share"
    db = Database(f"sqlite:///{folder / 'shop.sqlite3'}")

    with pytest.raises(DatabaseUnavailable), db.write() as session:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]

    assert not folder.exists()
    db.dispose()
