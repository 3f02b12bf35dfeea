"""Garbage collection held off while a write transaction is open.

A full collection walks every object the collector tracks: 85–107 ms of a process with
the app loaded. One that fell inside a write transaction kept the shop's write queue
(SQLite) or the rows it had locked (PostgreSQL) from every other terminal meanwhile,
and made the busy floor's slowest writes. While any thread of this process has a write
open, automatic collection is off; the collection the write's allocations call for
runs as soon as the last one ends (on the next allocation), outside the transaction.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_open_writes = 0
_was_enabled = False


@contextmanager
def held_off() -> Iterator[None]:
    """No automatic garbage collection while inside (on any thread); nestable and safe
    from several threads at once."""
    global _open_writes, _was_enabled
    with _lock:
        if _open_writes == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _open_writes += 1
    try:
        yield
    finally:
        with _lock:
            _open_writes -= 1
            if _open_writes == 0 and _was_enabled:
                gc.enable()


def writes_open() -> bool:
    """Whether any thread of this process has a write transaction open now."""
    with _lock:
        return _open_writes > 0
