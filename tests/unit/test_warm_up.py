"""Warming up for the floor board loads its modules and reads the board once, then sets
what it loaded aside from the garbage collector's full walks (`ui/heap.py`), which took
85–107 ms of the UI thread each with those objects in them. It also reads a few rows
the way a change from another terminal has them read, so the first change shown does
not wait for that read's SQL to be compiled (3–4 ms of the first claim shown)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine, default

from counter_tui.services import floor_changes, visits
from counter_tui.services.changes import Change
from counter_tui.services.context import ShopContext
from counter_tui.ui import warm_up
from tests.conftest import Team


def test_warming_up_loads_the_floor_and_sets_what_it_loaded_aside(
    ctx: ShopContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm_up, "_done", False)
    gc.unfreeze()  # whatever an earlier test in this process set aside is counted again
    try:
        warm_up.warm_up_floor(ctx)
        assert all(name in sys.modules for name in warm_up.MODULES)
        assert gc.get_freeze_count() > 50_000  # the modules, classes and functions of the whole app
        again: list[str] = []
        monkeypatch.setattr(floor_changes, "whole_board", lambda *_: again.append("board read"))
        monkeypatch.setattr(warm_up, "set_aside_what_was_loaded", lambda: again.append("set aside"))
        warm_up.warm_up_floor(ctx)  # once per process
        assert again == []
    finally:
        gc.unfreeze()


@pytest.fixture
def compiled() -> Iterator[list[str]]:
    """The statements compiled (not found in an engine's cache) while the test runs."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool) -> None:
        if context is not None and context.cache_hit is default.CACHE_MISS:
            seen.append(statement)

    event.listen(Engine, "after_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "after_cursor_execute", note)


def test_after_warming_up_the_first_change_shown_compiles_nothing(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch, compiled: list[str]
) -> None:
    monkeypatch.setattr(warm_up, "_done", False)
    visit_id = visits.new_walk_in(ctx, team.sam, description="by the door")
    visits.claim_visit(ctx, team.alex, visit_id)
    try:
        warm_up.warm_up_floor(ctx)
        compiled.clear()
        patch = floor_changes.floor_patch(ctx, [Change(1, "visit", visit_id, "visit.claimed")])
    finally:
        gc.unfreeze()
    assert patch is not None and [row.owner_name for row in patch.rows] == ["Alex"]
    assert compiled == []
