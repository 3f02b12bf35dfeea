"""A change-feed event reads for notices and escalations only when it can concern them: a
kudos or a follow-up note costs the terminal no read besides its screen's, a person's own
hand-off request is not read back to them, while a colleague's request still reaches the
lead, and a visit change or a reconnect still checks the lead's escalations (after the
screen has read and shown the change, once for changes arriving meanwhile)."""

from __future__ import annotations

import pytest

from counter_tui.db.models import NeedKind
from counter_tui.services import changes, floor_changes, floor_health, handoffs, notices, visit_needs, visits
from counter_tui.services.changes import Change
from counter_tui.services.context import Actor, ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, settle, sign_in


class Calls:
    """Counts the app's calls of `notices_for` and `escalations`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.notices = 0
        self.escalations = 0
        tell, alert = notices.notices_for, floor_health.escalations

        def counted_notices(ctx: ShopContext, actor: Actor, news: list[Change]) -> list[notices.Notice]:
            self.notices += 1
            return tell(ctx, actor, news)

        def counted_escalations(ctx: ShopContext, actor: Actor) -> tuple[floor_health.Escalation, ...]:
            self.escalations += 1
            return alert(ctx, actor)

        monkeypatch.setattr(notices, "notices_for", counted_notices)
        monkeypatch.setattr(floor_health, "escalations", counted_escalations)


def news_since(ctx: ShopContext, since: int) -> FeedEvent:
    return FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, since)))


async def test_changes_off_the_floor_read_neither_notices_nor_escalations(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "dana", "1111")
        calls = Calls(monkeypatch)
        off_the_floor = (
            Change(10_000, "kudos", 1, "kudos.given"),
            Change(10_001, "followup", 2, "followup.done"),
        )
        app.apply_feed_event(FeedEvent(online=True, changes=off_the_floor))
        await settle(pilot)
        assert (calls.notices, calls.escalations) == (0, 0)

        app.apply_feed_event(FeedEvent(online=True, changes=(Change(10_002, "visit", 1, "visit.claimed"),)))
        await settle(pilot)
        assert (calls.notices, calls.escalations) == (0, 0)  # a claim can only answer

        app.apply_feed_event(FeedEvent(online=True, changes=(Change(10_003, "visit", 1, "visit.need_set"),)))
        await settle(pilot)
        assert (calls.notices, calls.escalations) == (0, 1)

        app.apply_feed_event(FeedEvent(online=False))
        app.apply_feed_event(FeedEvent(online=True, resumed=True))
        await settle(pilot)
        assert calls.escalations == 2  # after an outage the lead is checked again


async def test_own_request_is_not_read_back_a_colleagues_reaches_the_lead(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    sams_visit = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    danas_visit = visits.new_walk_in(ctx, team.lead, description="blue hat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "dana", "1111")
        calls = Calls(monkeypatch)
        seen = changes.latest_event_id(ctx)
        handoffs.request_handoff(ctx, team.lead, danas_visit, team.alex.staff_id or 0, "Alex knows hats")
        app.apply_feed_event(news_since(ctx, seen))
        await settle(pilot)
        assert calls.notices == 0

        seen = changes.latest_event_id(ctx)
        heard = len(app.messages)
        handoffs.request_handoff(ctx, team.sam, sams_visit, team.alex.staff_id or 0, "Alex fixes bikes")
        app.apply_feed_event(news_since(ctx, seen))
        await settle(pilot)
        assert calls.notices == 1
        assert app.messages[heard:] == [
            "Sam asks to pass bike repair to Alex: Alex fixes bikes. Press h to approve or deny."
        ]


async def test_a_leads_escalation_check_waits_for_the_board_to_show_the_change(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Needs help' set elsewhere: the board reads the visit and shows it first, then the
    lead's escalations (a read of every open visit) are checked; changes arriving
    meanwhile share one check."""
    waiting = [visits.new_walk_in(ctx, team.sam, description=f"coat {n}") for n in range(3)]
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "dana", "1111")
        await settle(pilot)
        order: list[str] = []
        patch, alert = floor_changes.floor_patch, floor_health.escalations

        def read_patch(*args: object, **kwargs: object) -> floor_changes.FloorPatch | None:
            order.append("board read")
            return patch(*args, **kwargs)  # type: ignore[arg-type]

        def read_escalations(ctx: ShopContext, actor: Actor) -> tuple[floor_health.Escalation, ...]:
            assert isinstance(app.screen, FloorScreen)
            table = app.screen.query_one(FittedTable)
            order.append(f"escalations, board shows {plain(table.get_row(str(waiting[0]))[0])}")
            return alert(ctx, actor)

        monkeypatch.setattr(floor_changes, "floor_patch", read_patch)
        monkeypatch.setattr(floor_health, "escalations", read_escalations)
        seen = changes.latest_event_id(ctx)
        visit_needs.set_need(ctx, team.alex, waiting[0], NeedKind.NEEDS_HELP)
        app.apply_feed_event(news_since(ctx, seen))
        await settle(pilot)
        assert order == ["board read", "escalations, board shows HELP"]

        order.clear()
        seen = changes.latest_event_id(ctx)
        visit_needs.set_need(ctx, team.alex, waiting[1], NeedKind.NEEDS_HELP)
        app.apply_feed_event(news_since(ctx, seen))
        seen = changes.latest_event_id(ctx)
        visit_needs.set_need(ctx, team.alex, waiting[2], NeedKind.NEEDS_HELP)
        app.apply_feed_event(news_since(ctx, seen))
        await settle(pilot)
        assert order.count("board read") >= 1
        assert len([step for step in order if step.startswith("escalations")]) == 1
        assert order[-1].startswith("escalations")
