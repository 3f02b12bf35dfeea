"""No garbage collection runs while a write transaction is open: a full collection took
85–107 ms with the app loaded, and one that fell inside a write held every other
terminal's write behind it (the busy floor's p99 and maximum). The collection the
write's allocations call for runs as soon as the last open write ends."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from counter_tui.db.models import Visit
from counter_tui.services.context import ShopContext


@dataclass
class Collections:
    """Where each garbage collection started: inside the test's write or outside it."""

    inside: bool = False
    started: list[str] = field(default_factory=list)

    def note(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self.started.append("inside" if self.inside else "outside")


@pytest.fixture
def collections() -> Iterator[Collections]:
    watched = Collections()
    gc.callbacks.append(watched.note)
    try:
        yield watched
    finally:
        gc.callbacks.remove(watched.note)


def _garbage(cycles: int) -> None:
    """Cyclic garbage, enough to call for many collections."""
    for _ in range(cycles):
        node: list[object] = []
        node.append(node)


def test_no_collection_runs_inside_a_write_and_one_runs_after(
    ctx: ShopContext, collections: Collections
) -> None:
    with ctx.database.write() as session:
        collections.inside = True
        _garbage(50_000)
        session.add(Visit(description="during", arrived_at=ctx.now()))
        collections.inside = False
    assert "inside" not in collections.started
    _garbage(1_000)
    assert "outside" in collections.started


def test_collections_resume_when_a_write_fails(ctx: ShopContext) -> None:
    with pytest.raises(RuntimeError), ctx.database.write():
        assert not gc.isenabled()
        raise RuntimeError("the write failed")
    assert gc.isenabled()


def test_a_write_on_another_thread_keeps_collections_off_until_it_ends(ctx: ShopContext) -> None:
    inside, release = threading.Event(), threading.Event()

    def other_terminal_thread() -> None:
        with ctx.database.write():
            inside.set()
            release.wait(10)

    other = threading.Thread(target=other_terminal_thread)
    with ctx.database.write():
        other.start()  # it waits for this write to end
    assert inside.wait(10)
    assert not gc.isenabled()
    release.set()
    other.join(10)
    assert gc.isenabled()
