"""Snapshots of the seven tabs of the lead review at a fixed moment (Friday 20 November
2026, 15:00 in London) on a small shop day built through the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, Outcome
from counter_tui.services import customers, feedback, followups, handoffs, kudos, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


def at(clock: ManualClock, day: int, hour: int, minute: int = 0) -> None:
    """Set the clock to a moment in November 2026 (London is on UTC in November)."""
    clock.moment = datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def shop(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    """Thursday's and Friday's trade up to 15:00: sales, a late greeting, an approved and a
    pending hand-off, a blocked claim, callbacks (one overdue), feedback on two topics
    (one acknowledged), kudos, and customers on the floor needing attention."""
    sam, alex, dana = team.sam, team.alex, team.lead
    at(clock, 2, 10)
    bob = customers.create_customer(
        ctx, sam, name="Bob Jones", phone="07700 900123", email="bob@example.com", opted_in=["phone", "email"]
    )
    cara = customers.create_customer(ctx, alex, name="Cara Lee", phone="07700 900456", opted_in=["phone"])
    priya = customers.create_customer(ctx, sam, name="Priya Shah", email="priya@example.com")

    at(clock, 19, 10)
    sale = visits.new_walk_in(ctx, sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, sam, sale, Outcome.PURCHASE, personal_line="Hope the walking boots fit well")
    at(clock, 19, 14)
    coat = visits.new_walk_in(ctx, sam, description="green coat", claim=True)
    handoffs.approve_handoff(
        ctx, dana, handoffs.request_handoff(ctx, sam, coat, alex.staff_id or 0, "Alex knows paint")
    )
    visits.end_visit(ctx, alex, coat, Outcome.NO_PURCHASE)
    feedback.record_feedback(
        ctx, sam, body="Nowhere to park at lunchtime", customer_id=bob, rating=2, topics=["parking"]
    )
    feedback.record_feedback(
        ctx, alex, body="Card machine was slow", customer_id=cara, rating=3, topics=["card machine"]
    )
    at(clock, 19, 16)
    feedback.acknowledge_topic(ctx, dana, "card machine")

    at(clock, 20, 9, 5)
    first = visits.new_walk_in(ctx, sam, description="red hat")
    at(clock, 20, 9, 15)
    visits.claim_visit(ctx, alex, first)
    at(clock, 20, 9, 40)
    visits.end_visit(ctx, alex, first, Outcome.PURCHASE)
    at(clock, 20, 10)
    followups.add_callback(ctx, alex, cara, about="order ETA")
    at(clock, 20, 11)
    feedback.record_feedback(
        ctx, alex, body="Parking again", customer_id=priya, rating=3, topics=["parking", "opening hours"]
    )
    kudos.give_kudos(ctx, dana, sam.staff_id or 0, "Stayed late to fit Mrs Green's ramp")
    at(clock, 20, 13)
    kudos.give_kudos(ctx, dana, alex.staff_id or 0, "Called every customer back before lunch")
    at(clock, 20, 14)
    umbrella = visits.new_walk_in(ctx, sam, description="yellow umbrella", claim=True)
    at(clock, 20, 14, 10)
    handoffs.request_handoff(ctx, sam, umbrella, alex.staff_id or 0, "Alex sold them the tent")
    at(clock, 20, 14, 20)
    followups.add_callback(ctx, sam, bob, about="repair quote", channel=Channel.PHONE)
    with pytest.raises(Exception, match="has this customer"):
        visits.claim_visit(ctx, alex, umbrella)
    at(clock, 20, 14, 30)
    visits.new_walk_in(ctx, sam, description="man in a green coat, drills", needs=["needs_help"])
    at(clock, 20, 14, 40)
    visits.new_walk_in(ctx, alex, description="couple looking at sofas", needs=["browse_privately"])
    at(clock, 20, 14, 50)
    visits.new_walk_in(ctx, alex, description="woman with a pram")
    at(clock, 20, 15)


def review_tab(key: str) -> RunBefore:
    """Sign Dana in, open the review, press the tab's number, and wait for a steady screen:
    notifications cleared and text cursors not blinking."""

    async def run(pilot: Pilot[None]) -> None:
        await sign_in(pilot, "dana", "1111")
        await pilot.press("l", key)
        await settle(pilot)
        pilot.app.clear_notifications()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("1", id="handoffs"),
        pytest.param("2", id="floor_health"),
        pytest.param("3", id="followups"),
        pytest.param("4", id="scorecard"),
        pytest.param("5", id="feedback"),
        pytest.param("6", id="kudos"),
        pytest.param("7", id="end_of_day"),
    ],
)
def test_review_tab(snap_compare: SnapCompare, ctx: ShopContext, shop: None, key: str) -> None:
    """One tab of the lead review at 120×40."""
    assert snap_compare(StaffApp(ctx), run_before=review_tab(key), terminal_size=SIZE)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("1", id="handoffs"),
        pytest.param("2", id="floor_health"),
        pytest.param("3", id="followups"),
        pytest.param("4", id="scorecard"),
        pytest.param("5", id="feedback"),
        pytest.param("6", id="kudos"),
        pytest.param("7", id="end_of_day"),
    ],
)
def test_review_tab_at_80x24(snap_compare: SnapCompare, ctx: ShopContext, shop: None, key: str) -> None:
    """One tab of the lead review at 80×24: all seven tabs on the bar, the footer's keys."""
    assert snap_compare(StaffApp(ctx), run_before=review_tab(key), terminal_size=(80, 24))
