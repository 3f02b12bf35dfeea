"""Back on the floor board while a read of it is still under way, the board still catches
up on what changed meanwhile (reading the thanks wall again must not drop the catch-up)."""

from __future__ import annotations

import threading

import pytest

from counter_tui.services import changes, floor_changes, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.quiet_pilot import workers_held
from tests.ui.staff_pilot import SIZE, StaffApp, plain, settle, sign_in, table_rows


async def test_a_return_during_a_read_still_catches_up(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_ins = [visits.new_walk_in(ctx, team.lead, description=f"coat {n}") for n in range(2)]
    gate = threading.Event()
    patch = floor_changes.floor_patch

    def held(*args: object, **kwargs: object) -> object:
        gate.wait(timeout=60)  # a safety net only: the test opens the gate itself
        return patch(*args, **kwargs)

    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        table = app.screen.query_one(FittedTable)
        monkeypatch.setattr(floor_changes, "floor_patch", held)
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.alex, walk_ins[0])
        app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen))))
        with workers_held(pilot):
            await pilot.pause()  # the board's read of that claim is under way, held
            await pilot.press("f")
            await pilot.pause()
            visits.claim_visit(ctx, team.alex, walk_ins[1])  # not reported by the feed yet
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, FloorScreen)
        gate.set()
        await settle(pilot)
        owners = {
            row.key.value: plain(cells[4])
            for row, cells in zip(table.ordered_rows, table_rows(table), strict=True)
        }
        assert owners == {str(walk_ins[0]): "Alex", str(walk_ins[1]): "Alex"}
