"""A notice that asks for something names the key that does it where the person is.

Found by keys: a hand-off request arriving while the lead was on Lead review said "Press h
to approve or deny", where h is due history. The services say what a notice asks of the
person (`Notice.asks`); the screen on show says which of its keys does it, from its keys as
bound (the terminal's own key map included)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from counter_tui.services import changes, handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle

ASKED = "Sam asks to pass bike repair to Alex: Alex fixes bikes."


async def request_arrives(ctx: ShopContext, team: Team, app: StaffApp, pilot: Pilot[None]) -> str:
    """Sam asks for a hand-off at another till; what this terminal said about it."""
    seen = changes.latest_event_id(ctx)
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes")
    heard = len(app.messages)
    app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen))))
    await settle(pilot)
    [said] = app.messages[heard:]
    return said


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


PLACES: dict[str, tuple[Callable[[Pilot[None]], Awaitable[None]], type | None, str]] = {
    "floor board": (lambda pilot: settle(pilot), None, "Press h to approve or deny."),
    "hand-offs screen": (
        lambda pilot: press(pilot, "h"),
        HandoffsScreen,
        "It is in the list here: highlight it, then a approves, d denies.",
    ),
    "review, floor health": (
        lambda pilot: press(pilot, "l", "2"),
        ReviewScreen,
        "Press 1 for the Hand-offs tab to approve or deny.",
    ),
    "review, hand-offs tab": (
        lambda pilot: press(pilot, "l", "1"),
        ReviewScreen,
        "It is in the list here: highlight it, then a approves, d denies.",
    ),
    "my follow-ups (h is history there)": (
        lambda pilot: press(pilot, "f"),
        FollowUpsScreen,
        "On the floor board, h shows it to approve or deny.",
    ),
}


async def test_a_hand_off_request_names_the_key_that_decides_it_where_the_lead_is(
    ctx: ShopContext, team: Team
) -> None:
    wrong: list[str] = []
    for place, (go, screen_type, hint) in PLACES.items():
        app = StaffApp(ctx)
        async with app.run_test(size=SIZE) as pilot:
            await quick_sign_in(pilot, "dana", "1111")
            await go(pilot)
            if screen_type is not None:
                assert isinstance(app.screen, screen_type), place
            said = await request_arrives(ctx, team, app, pilot)
            if said != f"{ASKED} {hint}":
                wrong.append(f"{place}: {said}")
    assert wrong == []


async def test_the_hint_follows_the_terminals_own_keys(ctx: ShopContext, team: Team) -> None:
    """A terminal whose key map moves hand-offs to j says j, not h."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        app.set_keymap({"floor.handoffs": "j"})
        await settle(pilot)
        said = await request_arrives(ctx, team, app, pilot)
    assert said == f"{ASKED} Press j to approve or deny."
