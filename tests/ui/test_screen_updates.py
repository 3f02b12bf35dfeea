"""Screens other than the floor board re-read only for changes that can alter them: the
hand-offs list ignores, say, kudos, and updates in place (only changed cells) for a new
request from another terminal."""

from __future__ import annotations

import pytest

from counter_tui.services import changes, handoffs, kudos, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle


async def test_the_hand_offs_list_reads_again_only_for_changes_it_shows(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    second = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    handoffs.request_handoff(ctx, team.sam, first, team.alex.staff_id or 0, "Alex fixes bikes")
    reads: list[int] = []
    pending = handoffs.pending_handoffs

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return pending(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(handoffs, "pending_handoffs", counted)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HandoffsScreen)
        table = app.screen.query_one(FittedTable)
        shown_before = list(table.get_row_at(0))
        read_so_far = len(reads)
        seen = changes.latest_event_id(ctx)
        kudos.give_kudos(ctx, team.lead, team.sam.staff_id or 0, "Kept a calm queue")
        app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen))))
        await settle(pilot)
        assert len(reads) == read_so_far
        seen = changes.latest_event_id(ctx)
        handoffs.request_handoff(ctx, team.sam, second, team.alex.staff_id or 0, "Alex knows coats")
        app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen))))
        await settle(pilot)
        assert len(reads) == read_so_far + 1
        assert table.row_count == 2
        assert all(a is b for a, b in zip(table.get_row_at(0), shown_before, strict=True))
