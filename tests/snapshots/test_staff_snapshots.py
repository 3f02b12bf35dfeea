"""Snapshots of every staff screen and the end-visit dialog, at a fixed moment (Friday
20 November 2026, 11:00 in London) on a small shop built through the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel
from counter_tui.services import customers, followups, handoffs, visit_needs, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in, type_text

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


@dataclass
class Shop:
    """The visits the snapshots open."""

    priya_visit: int
    tom_visit: int


def at(clock: ManualClock, day: int, hour: int, minute: int = 0) -> None:
    """Set the clock to a moment in November 2026 (London is on UTC in November)."""
    clock.moment = datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def purchase(ctx: ShopContext, owner: Actor, customer_id: int, line: str) -> None:
    """A visit owned by `owner` that ends in a purchase (queues a thank-you)."""
    visit_id = visits.new_walk_in(ctx, owner, customer_id=customer_id, claim=True)
    visits.end_visit(ctx, owner, visit_id, "purchase", personal_line=line)


@pytest.fixture
def shop(ctx: ShopContext, team: Team, clock: ManualClock) -> Shop:
    """A Friday morning: some customers waiting, some being served, one hand-off asked
    for, and thank-yous, a callback and a promise owed by Sam."""
    sam, alex = team.sam, team.alex
    at(clock, 2, 10)  # customers went on file earlier in the month
    priya = customers.create_customer(
        ctx,
        sam,
        name="Priya Shah",
        phone="07700 900456",
        email="priya@example.com",
        opted_in=(Channel.EMAIL, Channel.PHONE),
    )
    bob = customers.create_customer(ctx, sam, name="Bob Jones", phone="07700 900123")
    tom = customers.create_customer(ctx, sam, name="Tom Baker", email="tom@example.com")
    ravi = customers.create_customer(ctx, alex, name="Ravi Patel", phone="07700 900789")
    for name in ("Ann Shaw", "Shona Reid", "Marsha Cole"):
        customers.create_customer(ctx, sam, name=name)
    customers.set_preferences(ctx, sam, priya, "Prefers loose-leaf teas; no plastic bags.")
    customers.add_note(ctx, sam, priya, "Bought the cast-iron teapot in October.")

    at(clock, 18, 14, 30)  # Wednesday: Bob's thank-you is overdue by Friday
    purchase(ctx, sam, bob, "Hope the walking boots are broken in by the weekend")
    at(clock, 19, 15)  # Thursday: Tom's thank-you is due today
    purchase(ctx, sam, tom, "Enjoy the new chef's knife on Sunday's roast")

    at(clock, 20, 10, 20)
    priya_visit = visits.new_walk_in(ctx, sam, customer_id=priya, claim=True)
    visit_needs.set_need(ctx, sam, priya_visit, "language", detail="Hindi")
    visits.add_visit_note(ctx, sam, priya_visit, "Looking for a gift for her mother, about £40.")
    followups.add_callback(ctx, sam, priya, about="Whether the green tea set is back in stock")
    followups.add_promise(
        ctx,
        sam,
        priya,
        promise="Order the large teapot in blue",
        due_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
        channel=Channel.EMAIL,
    )
    at(clock, 20, 10, 30)
    tom_visit = visits.new_walk_in(ctx, alex, customer_id=tom, claim=True, needs=["accessibility"])
    at(clock, 20, 10, 35)
    visits.new_walk_in(ctx, alex, description="man in a green coat, drills", needs=["needs_help"])
    at(clock, 20, 10, 40)
    visits.new_walk_in(ctx, alex, description="couple looking at sofas", needs=["browse_privately"])
    at(clock, 20, 10, 48)
    visits.new_walk_in(ctx, alex, description="woman with a pram")
    at(clock, 20, 10, 50)
    ravi_visit = visits.new_walk_in(ctx, alex, customer_id=ravi, claim=True, needs=["order_question"])
    handoffs.request_handoff(ctx, alex, ravi_visit, sam.staff_id or 0, "Sam sold him the laptop last week")
    at(clock, 20, 10, 58)
    visits.new_walk_in(ctx, Actor.kiosk("door"), description="Hana", needs=["pickup"])
    at(clock, 20, 11)
    return Shop(priya_visit=priya_visit, tom_visit=tom_visit)


async def steady(pilot: Pilot[None]) -> None:
    """Let the screen finish loading, then hide what would differ between runs: the
    notifications (they time out) and the blinking text cursor. The app's periodic
    checks may fire during a slow run (the escalation check every 15 s): one run now
    must add nothing, as everything it alerts to was alerted at sign-in."""
    await settle(pilot)
    pilot.app.clear_notifications()
    app = pilot.app
    if isinstance(app, StaffApp):
        said = len(app.messages)
        app.check_escalations()
        await settle(pilot)
        assert app.messages[said:] == [], "a periodic check would change the snapshot"
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def signed_in_as(name: str, pin: str, then: RunBefore | None = None) -> RunBefore:
    """Steps that sign in, run `then`, and wait for a steady screen."""

    async def run(pilot: Pilot[None]) -> None:
        await sign_in(pilot, name, pin)
        # The sign-in toasts time out by the wall clock: a dialog opened while one shows
        # carries it in its notice line (and scrolls for it), one opened later does not.
        pilot.app.clear_notifications()
        if then is not None:
            await then(pilot)
            await settle(pilot)
        await steady(pilot)

    return run


def opening(visit_id: int) -> RunBefore:
    """Steps that open one visit's customer view."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(CustomerScreen(visit_id=visit_id))

    return run


def pressing(*keys: str) -> RunBefore:
    """Steps that press keys."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)

    return run


def test_sign_in(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Who are you? The staff list, leads marked, and the PIN box."""
    assert snap_compare(StaffApp(ctx), run_before=steady, terminal_size=SIZE)


def test_floor(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The floor board: unclaimed needs-help and long-waiting customers on top."""
    assert snap_compare(StaffApp(ctx), run_before=signed_in_as("sam", "2222"), terminal_size=SIZE)


def test_customer_as_owner(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Sam's own customer: owner banner, needs, contact, notes, what is owed, history."""
    steps = signed_in_as("sam", "2222", opening(shop.priya_visit))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)


def test_customer_read_only(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Alex's customer seen by Sam: who owns them since when, and how to ask."""
    steps = signed_in_as("sam", "2222", opening(shop.tom_visit))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)


def searching_sh() -> RunBefore:
    """Steps that sign Sam in and find "sh" (searched as it is typed)."""

    async def search(pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "sh")
        assert isinstance(pilot.app.screen, FindCustomerScreen)
        await settle(pilot)

    return signed_in_as("sam", "2222", search)


def test_find(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Find customer with "sh" typed: names matching from the start of any word."""
    assert snap_compare(StaffApp(ctx), run_before=searching_sh(), terminal_size=SIZE)


def test_find_at_80x24(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Find at 80×24."""
    assert snap_compare(StaffApp(ctx), run_before=searching_sh(), terminal_size=(80, 24))


def test_my_followups(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Sam's follow-ups: an overdue thank-you, one due today with a callback, a promise."""
    steps = signed_in_as("sam", "2222", pressing("f"))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)


def test_handoffs_for_a_lead(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Dana (lead) sees the pending hand-off with its reason."""
    steps = signed_in_as("dana", "1111", pressing("h"))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)


def test_end_visit_dialog(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Ending Priya's visit: the outcome, the template and a personal line being typed."""

    async def end_with_a_line(pilot: Pilot[None]) -> None:
        await opening(shop.priya_visit)(pilot)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Hope your mother loves the tea set")
        await settle(pilot)

    steps = signed_in_as("sam", "2222", end_with_a_line)
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)


SMALL = (80, 24)


def _end_with_a_line(shop: Shop) -> RunBefore:
    async def run(pilot: Pilot[None]) -> None:
        await opening(shop.priya_visit)(pilot)
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Hope your mother loves the tea set")

    return run


SMALL_SCREENS: dict[str, tuple[str, Callable[[Shop], RunBefore | None]]] = {
    "floor": ("sam", lambda shop: None),
    "floor_keys_panel": ("sam", lambda shop: pressing("f1")),
    "customer_as_owner": ("sam", lambda shop: opening(shop.priya_visit)),
    "customer_read_only": ("sam", lambda shop: opening(shop.tom_visit)),
    "my_followups": ("sam", lambda shop: pressing("f")),
    "handoffs_for_a_lead": ("dana", lambda shop: pressing("h")),
    "end_visit_dialog": ("sam", _end_with_a_line),
}
PINS = {"sam": "2222", "dana": "1111"}


def test_sign_in_at_80x24(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """Who are you? at 80×24."""
    assert snap_compare(StaffApp(ctx), run_before=steady, terminal_size=SMALL)


@pytest.mark.parametrize("screen", list(SMALL_SCREENS))
def test_staff_screen_at_80x24(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop, screen: str) -> None:
    """Each staff screen at 80×24 (the keys panel, F1, shows the floor's own keys first)."""
    who, then = SMALL_SCREENS[screen]
    steps = signed_in_as(who, PINS[who], then(shop))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SMALL)
