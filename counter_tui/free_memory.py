"""Memory the app has freed, given back to the system at quiet moments.

glibc keeps memory that was freed for later allocations instead of returning it, unless
it lies at the very top of the heap. A lead's terminal on a million-customer shop held
22 MiB that way after three rounds of its screens (much of it the page caches its SQLite
connections let go of), until it exited (benchmarks/README.md, stop 34). At a quiet
moment (`ui/heap.py`), `malloc_trim` returns the free pages; it costs about 10 ms, so at
most once every AT_MOST_EVERY_SECONDS. Where the C library has no `malloc_trim` (not
glibc) nothing is given back. Only the standard library, like `quiet_collections`.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable
from functools import cache

AT_MOST_EVERY_SECONDS = 10.0
"""The shortest time between two givings back on one terminal."""


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim` (looked up among the symbols the interpreter has loaded, which
    include its C library's), or None where the C library has none."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def can_give_back() -> bool:
    """Whether this system's C library can give freed memory back (glibc)."""
    return _malloc_trim() is not None


def give_back() -> None:
    """Give the free pages of the C library's heap back to the system (nothing where it
    cannot)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class FreeMemory:
    """Gives freed memory back (`give`), at most once every AT_MOST_EVERY_SECONDS."""

    def __init__(self, give: Callable[[], None] = give_back) -> None:
        self._give = give
        self.last_given_at = float("-inf")
        """When it last was (`time.monotonic`)."""

    def give_back_if_due(self, now: float | None = None) -> bool:
        """Give freed memory back unless that was done less than AT_MOST_EVERY_SECONDS
        before `now` (the monotonic clock by default); True if it was given back."""
        now = time.monotonic() if now is None else now
        if now - self.last_given_at < AT_MOST_EVERY_SECONDS:
            return False
        self._give()
        self.last_given_at = now
        return True


FREE_MEMORY = FreeMemory()
"""This process's giving back of freed memory (the apps do it at quiet moments)."""
