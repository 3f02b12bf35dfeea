"""The staff app and the kiosk hold Python's full garbage collections while they run,
and run one when it is due at a quiet moment (`ui/heap.py`), then give freed memory back
to the system (`free_memory`); a key press ends the quiet,
and the process gets Python's own collections back when the app ends."""

from __future__ import annotations

import gc
import time

import pytest
from textual.app import App

from counter_tui import free_memory, quiet_collections
from counter_tui.services.context import ShopContext
from counter_tui.ui import heap
from counter_tui.ui.kiosk.app import KioskApp
from tests.conftest import Team
from tests.full_collections import garbage_until_due
from tests.ui.staff_pilot import SIZE, StaffApp, settle


@pytest.fixture
def given_back(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When a running app gave freed memory back, each time: the process's `FreeMemory`
    replaced by a new one that counts instead of trimming (tests/unit/test_free_memory.py
    trims)."""
    given: list[float] = []
    monkeypatch.setattr(
        heap, "FREE_MEMORY", free_memory.FreeMemory(give=lambda: given.append(time.monotonic()))
    )
    return given


@pytest.mark.parametrize("kind", ["staff app", "kiosk"])
async def test_full_collections_wait_for_a_quiet_moment_while_the_app_runs(
    ctx: ShopContext, team: Team, full_collections: list[int], kind: str, given_back: list[float]
) -> None:
    before = gc.get_threshold()
    app: App[object] = StaffApp(ctx) if kind == "staff app" else KioskApp(ctx, "door")  # type: ignore[assignment]
    assert isinstance(app, heap.QuietHeap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == quiet_collections.HELD
        await pilot.press("d")
        await settle(pilot)  # no service call under way
        assert app.idle_seconds() < quiet_collections.QUIET_SECONDS
        garbage_until_due()
        full_collections.clear()
        app._collect_if_quiet()
        assert full_collections == []  # a key was just pressed
        app._last_input = time.monotonic() - quiet_collections.QUIET_SECONDS
        given = len(given_back)
        app._collect_if_quiet()
        assert len(full_collections) == 1
        assert len(given_back) == given + 1  # freed memory goes back after it
    assert gc.get_threshold() == before


async def test_freed_memory_goes_back_at_a_quiet_moment_after_keys(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch, given_back: list[float]
) -> None:
    monkeypatch.setattr(heap.FULL_COLLECTIONS, "collect_if_due", lambda quiet_for: False)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        given = len(given_back)
        app._collect_if_quiet()
        assert len(given_back) == given  # a key was just pressed
        app._last_input = time.monotonic() - quiet_collections.QUIET_SECONDS
        app._collect_if_quiet()
        assert len(given_back) == given + 1  # with no collection due
        heap.FREE_MEMORY.last_given_at -= free_memory.AT_MOST_EVERY_SECONDS
        app._last_input = heap.FREE_MEMORY.last_given_at - 1
        app._collect_if_quiet()
        assert len(given_back) == given + 1  # no key since: nothing to give
