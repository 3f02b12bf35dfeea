"""Memory the app has freed goes back to the system at quiet moments (`free_memory`):
glibc keeps what was freed for later allocations, so a terminal whose SQLite connections
let go of their page caches (16 MiB on a million-customer shop, after a lock) or which
read a large report once held that memory resident until it exited."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counter_tui import free_memory

BLOCK = 2000
"""Bytes per allocation: below glibc's threshold for a mapping of its own, so it comes
from the heap and stays there when freed."""


def resident_bytes() -> int:
    """This process's resident memory."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_freed_heap_memory_goes_back_to_the_system() -> None:
    if not free_memory.can_give_back():
        pytest.skip("gives memory back through glibc's malloc_trim (Linux with glibc)")
    blocks: list[bytearray | None] = [bytearray(BLOCK) for _ in range(40_000)]
    for n in range(len(blocks)):
        if n % 50:
            blocks[n] = None  # every 50th kept: the heap cannot shrink from its top alone
    held = resident_bytes()
    free_memory.give_back()
    assert held - resident_bytes() > 40 * 1024 * 1024
    assert sum(len(block) for block in blocks if block is not None) == 800 * BLOCK


def test_given_back_at_most_once_in_a_while() -> None:
    given: list[float] = []
    giver = free_memory.FreeMemory(give=lambda: given.append(1.0))
    assert giver.give_back_if_due(now=1000.0)
    assert not giver.give_back_if_due(now=1000.0 + free_memory.AT_MOST_EVERY_SECONDS - 1)
    assert giver.give_back_if_due(now=1000.0 + free_memory.AT_MOST_EVERY_SECONDS)
    assert len(given) == 2
