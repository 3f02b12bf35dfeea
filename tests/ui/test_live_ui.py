"""What a terminal does when the change feed reports: it refreshes without a key press,
shows who else has a customer open, tells a requester the lead's decision, and says
when the database is offline and when it is back. Feed delivery itself is tested in
tests/concurrency; here the events are handed to the app as the feed would."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import changes, handoffs, presence, staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.widgets.offline_banner import OfflineBanner
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows


def feed_since(ctx: ShopContext, event_id: int) -> FeedEvent:
    """The event a feed would deliver for everything committed after `event_id`."""
    return FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, event_id)))


async def test_a_claim_on_another_terminal_shows_without_a_key_press(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        floor: DataTable[Text] = app.screen.query_one(DataTable)
        assert table_rows(floor)[0][4] == "— nobody yet"
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.alex, visit_id)
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert table_rows(floor)[0][4] == "Alex"


async def test_the_customer_view_names_colleagues_looking_at_the_same_customer(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="green scarf", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        lookers = app.screen.query_one("#lookers", Static)
        assert not lookers.display
        presence.touch(ctx, team.lead, visit_id)
        app.apply_feed_event(FeedEvent(online=True, presence=(visit_id,)))
        await settle(pilot)
        assert lookers.display
        assert "Also looking at this customer now: Dana." in plain(lookers.visual)
        presence.leave(ctx, team.lead, visit_id)
        app.apply_feed_event(FeedEvent(online=True, presence=(visit_id,)))
        await settle(pilot)
        assert not lookers.display


async def test_the_requester_is_told_when_a_lead_denies_their_hand_off(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    request_id = handoffs.request_handoff(
        ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        seen = changes.latest_event_id(ctx)
        handoffs.deny_handoff(ctx, team.lead, request_id, "Alex is on lunch until two")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert app.messages[-1] == (
            "Dana denied your hand-off of bike repair: Alex is on lunch until two. You keep the customer."
        )


async def test_other_staff_are_not_told_about_a_hand_off_they_did_not_ask_for(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    request_id = handoffs.request_handoff(
        ctx, team.sam, visit_id, team.lead.staff_id or 0, "Dana knows bikes"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        seen = changes.latest_event_id(ctx)
        handoffs.approve_handoff(ctx, team.lead, request_id)
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert not any("hand-off" in message for message in app.messages)


async def test_a_person_deactivated_while_signed_in_is_signed_out_with_a_sentence(
    ctx: ShopContext, team: Team
) -> None:
    """Alex's screen kept saying "You own this customer" after a lead deactivated him and
    passed his customer on; whatever he did next was refused."""
    visits.new_walk_in(ctx, team.alex, description="bike repair", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        seen = changes.latest_event_id(ctx)
        staff.deactivate(ctx, team.lead, name="Alex", pass_to="Sam")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        assert app.messages[-1] == "A shift lead deactivated Alex's account, so Alex is signed out here."


async def test_offline_is_shown_changes_are_refused_with_a_sentence_and_it_recovers(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    visits.new_walk_in(ctx, team.lead, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        app.apply_feed_event(FeedEvent(online=False))
        await settle(pilot)
        assert app.screen.query_one(OfflineBanner).display
        assert "The database cannot be reached" in app.messages[-1]

        def unreachable(*_args: object, **_kwargs: object) -> None:
            raise DatabaseUnavailable(
                "The database cannot be reached. Nothing was saved; check the connection and try again."
            )

        monkeypatch.setattr(visits, "claim_visit", unreachable)
        await pilot.press("c")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, FloorScreen)
        assert app.messages[-1].startswith("The database cannot be reached. Nothing was saved")
        monkeypatch.undo()

        app.apply_feed_event(FeedEvent(online=True, resumed=True))
        await settle(pilot)
        assert not app.screen.query_one(OfflineBanner).display
        assert app.messages[-1] == "Connected to the database again."
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == "They're yours for this visit."
