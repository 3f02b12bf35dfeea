"""A fair, cross-process queue for SQLite's write lock: `<db>.writelock`.

SQLite's own busy handler makes a writer that finds the database locked sleep and
retry, with growing sleeps: under eight or more busy terminals a writer can lose
every retry for seconds while newer ones slip in (seen: p99 1 s, max 10 s). Instead,
each write transaction first takes an exclusive `flock` on a lock file beside the
database and holds it until COMMIT or ROLLBACK: waiting writers sleep in the kernel
and the next one is woken the moment the lock is released. The kernel releases the
lock when its holder exits, however it ends (SIGKILL included). The file is private
(0600) like the database. A writer that cannot get the lock within the time limit is
refused with the same "busy" sentence SQLite's timeout gives; SQLite's busy timeout
stays as the fallback for other programs that write on the file without this lock.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter_tui.files import PRIVATE_FILE_MODE

SUFFIX = ".writelock"


def lock_path(database: Path) -> Path:
    """The lock file of an SQLite database file."""
    return database.with_name(database.name + SUFFIX)


class _Waiter:
    """A thread blocked in `flock`, so the caller can stop waiting after a time limit.

    If the caller gives up first, the thread closes the descriptor as soon as it gets
    the lock, which releases it again for the next writer."""

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor
        self.mutex = threading.Lock()
        self.abandoned = False
        self.held = threading.Event()
        threading.Thread(target=self._wait, name="sqlite-write-lock", daemon=True).start()

    def _wait(self) -> None:
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)
        with self.mutex:
            if self.abandoned:
                os.close(self.descriptor)
                return
            self.held.set()

    def acquired_within(self, seconds: float) -> bool:
        """Whether the lock was taken within `seconds`; if not, the wait is abandoned."""
        if self.held.wait(seconds):
            return True
        with self.mutex:
            if self.held.is_set():
                return True
            self.abandoned = True
            return False


class WriteQueueTimeout(TimeoutError):
    """The write lock was not free within the time limit: the database is locked."""


class WriteLock:
    """The write queue of one SQLite database file."""

    def __init__(self, database: Path, timeout_seconds: float) -> None:
        self.path = lock_path(database)
        self.timeout_seconds = timeout_seconds

    def _open(self) -> int | None:
        """A new descriptor on the lock file (made 0600 if missing), or None when the
        folder is missing or not ours to write: then SQLite's busy timeout alone
        serialises writers, and SQLite says what is wrong with the database itself."""
        flags = os.O_RDONLY | os.O_CLOEXEC
        try:
            try:
                descriptor = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
            except FileExistsError:
                return os.open(self.path, flags)
        except OSError:
            return None
        os.fchmod(descriptor, PRIVATE_FILE_MODE)  # in case the umask took away our own access
        return descriptor

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the body, waiting in line for it up to the time limit
        (then `WriteQueueTimeout`).

        Each scope opens its own descriptor: `flock` locks belong to an open file, so
        two threads of one process queue for it like two processes do."""
        descriptor = self._open()
        if descriptor is None:
            yield
            return
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not _Waiter(descriptor).acquired_within(self.timeout_seconds):
                # the waiter thread owns the descriptor now and closes it
                raise WriteQueueTimeout(
                    f"database is locked: waited {self.timeout_seconds:g} s for the write queue"
                ) from None
        try:
            yield
        finally:
            os.close(descriptor)  # closing releases the lock
