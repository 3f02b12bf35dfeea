"""Signing in does not wait for what can be done while the PIN is typed: the floor board
read then is shown at once (no whole read after Enter), caught up from its mark with what
changed meanwhile."""

from __future__ import annotations

import pytest

from counter_tui.services import floor_changes, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, table_rows, type_text


async def test_the_board_read_as_the_pin_is_typed_is_shown_and_caught_up(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    visits.new_walk_in(ctx, team.sam, description="red coat")
    whole_reads: list[int] = []
    read = floor_changes.whole_board

    def counted(shop: ShopContext) -> tuple[int, list[object]]:
        whole_reads.append(1)
        return read(shop)

    monkeypatch.setattr(floor_changes, "whole_board", counted)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "sam")
        await pilot.press("enter")
        await type_text(pilot, "2222")
        await settle(pilot)
        visits.new_walk_in(ctx, team.alex, description="blue hat")  # after the read ahead
        reads_before_enter = len(whole_reads)
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, FloorScreen)
        assert len(whole_reads) == reads_before_enter
        shown = " ".join(" ".join(row) for row in table_rows(app.screen.query_one("#floor-table")))
        assert "red coat" in shown and "blue hat" in shown
