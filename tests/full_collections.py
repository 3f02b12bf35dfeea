"""Watching Python's full garbage collections in a test (`counter_tui.quiet_collections`):
the `full_collections` fixture, and garbage enough to make one due."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from counter_tui.quiet_collections import MIDDLE_COLLECTIONS_PER_FULL


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """One entry for each full collection started during the test."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


def garbage_until_due(middle_collections: int = MIDDLE_COLLECTIONS_PER_FULL) -> None:
    """Cyclic garbage until Python would have started a full collection by itself (until
    `middle_collections` middle-generation collections ran since the last full one)."""
    while gc.get_count()[2] < middle_collections:
        for _ in range(1_000):
            node: list[object] = []
            node.append(node)
