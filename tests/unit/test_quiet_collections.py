"""Full garbage collections wait for a quiet moment (`quiet_collections`): Python started
them when allocations called for one, so they fell on work (a key being answered, a
claim from another terminal being drawn: 15–25 ms each; 30–70 ms while the app's modules
loaded). Held, they run as often as Python would have run them, once the terminal is
quiet, never inside a write, and at the latest when Python would have run two."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from counter_tui import quiet_collections as quiet
from counter_tui.quiet_collections import QuietCollections
from counter_tui.services.context import ShopContext
from tests.full_collections import garbage_until_due


@pytest.fixture
def held() -> Iterator[QuietCollections]:
    collections = QuietCollections()
    collections.hold()
    try:
        yield collections
    finally:
        collections.release()


def test_held_allocations_never_start_a_full_collection_and_release_gives_them_back(
    full_collections: list[int],
) -> None:
    before = gc.get_threshold()
    collections = QuietCollections()
    collections.hold()
    try:
        assert gc.get_threshold()[2] == quiet.HELD
        for _ in range(3):
            garbage_until_due()
            gc.collect(1)  # what Python does on its own: the young and middle generations only
        assert full_collections == []
    finally:
        collections.release()
    assert gc.get_threshold() == before
    assert not collections.holding


def test_a_due_collection_waits_for_a_quiet_moment(
    held: QuietCollections, full_collections: list[int]
) -> None:
    garbage_until_due()
    assert not held.collect_if_due(quiet_for=quiet.QUIET_SECONDS / 2)  # someone is typing
    assert full_collections == []
    assert held.collect_if_due(quiet_for=quiet.QUIET_SECONDS)
    assert len(full_collections) == 1
    assert gc.get_count()[2] == 0


def test_a_quiet_moment_runs_nothing_that_is_not_due(
    held: QuietCollections, full_collections: list[int]
) -> None:
    gc.collect()  # nothing is due after a full collection
    full_collections.clear()
    assert not held.collect_if_due(quiet_for=3600)
    assert full_collections == []


def test_a_terminal_never_quiet_still_collects_when_it_has_waited_too_long(
    held: QuietCollections, full_collections: list[int]
) -> None:
    garbage_until_due(quiet.MIDDLE_COLLECTIONS_AT_MOST - 1)
    assert not held.collect_if_due(quiet_for=0)
    garbage_until_due(quiet.MIDDLE_COLLECTIONS_AT_MOST)
    assert held.collect_if_due(quiet_for=0)
    assert len(full_collections) == 1
    garbage_until_due()
    assert not held.collect_if_due(quiet_for=0)  # the count starts again from that one


def test_no_full_collection_inside_a_write(
    ctx: ShopContext, held: QuietCollections, full_collections: list[int]
) -> None:
    garbage_until_due()
    with ctx.database.write():
        assert not held.collect_if_due(quiet_for=3600)
    assert full_collections == []
    assert held.collect_if_due(quiet_for=3600)
