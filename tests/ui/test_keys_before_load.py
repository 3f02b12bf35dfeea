"""Keys typed in one burst with the Enter that opens a customer from the floor board (a
fast typist at the counter) are not lost while the customer screen still reads the visit:
a key for an action that needs the record waits for it and runs once it is there, in the
order typed (`CounterScreen.RECORD_ACTIONS`); if the read fails, it is dropped and the
read's sentence is shown."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from counter_tui.db.models import Visit
from counter_tui.errors import NotFound
from counter_tui.services import visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.needs import NeedsDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import BURST_KEYS, SIZE, StaffApp, burst, quick_sign_in, settle


def held_read(monkeypatch: pytest.MonkeyPatch, *, fails: bool = False) -> threading.Event:
    """Hold the customer screen's read of the visit until the returned gate is set (then
    read it, or fail as for a visit gone meanwhile)."""
    gate = threading.Event()
    read: Callable[..., object] = visit_views.visit_detail

    def held(*args: object, **kwargs: object) -> object:
        gate.wait(timeout=60)  # a safety net only: the test opens the gate itself
        if fails:
            raise NotFound("That visit is no longer open.")
        return read(*args, **kwargs)

    monkeypatch.setattr(visit_views, "visit_detail", held)
    return gate


async def burst_held(pilot: Pilot[None], text: str) -> CustomerScreen:
    """Queue `text`'s keys at once, as `burst` does, and let the app handle them up to the
    first that waits for the (held) read; the customer screen that waits."""
    app = pilot.app
    for char in text:
        key = BURST_KEYS.get(char) or _character_to_key(char)
        app.post_message(events.Key(key, None if char in BURST_KEYS else char))
    for _ in range(10_000):  # a bound on steps, not on time; the app waits in the key's action
        await asyncio.sleep(0)
        screen = next((s for s in app.screen_stack if isinstance(s, CustomerScreen)), None)
        if screen is not None and screen.__dict__.get("_record_waiting"):
            return screen
    raise AssertionError("no key waits for the customer's record")


async def caught_up(pilot: Pilot[None]) -> None:
    """Settle, then let the app handle every message queued before now (the keys held
    behind an action waiting for the record), and settle again."""
    await settle(pilot)
    handled = asyncio.Event()
    pilot.app.call_later(handled.set)
    await handled.wait()
    await settle(pilot)


def stored_visit(ctx: ShopContext, visit_id: int) -> Visit:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit


async def test_enter_e_opens_the_needs_dialog_once_the_visit_is_read(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "⏎e" on the floor board, the read held: e waits (the Needs key was refused before
    the visit was in, found by the tester 4 times of 4), and Needs opens for that visit."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="couple, sofas", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        gate = held_read(monkeypatch)
        screen = await burst_held(pilot, "\ne")
        assert screen.visit is None
        gate.set()
        await caught_up(pilot)
        assert isinstance(app.screen, NeedsDialog)
        assert app.screen_stack[-2] is screen and screen.visit_id == visit_id


async def test_enter_e_in_a_burst_opens_the_needs_dialog(ctx: ShopContext, team: Team) -> None:
    """The same without holding the read: "⏎e" as one burst."""
    visits.new_walk_in(ctx, team.sam, description="student", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await burst(pilot, "\ne")
        await caught_up(pilot)
        assert isinstance(app.screen, NeedsDialog)


async def test_enter_x_space_waits_then_ticks_purchase(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "⏎x␣", the read held: x waits, End opens, the Space typed after x ticks Purchase
    there; Enter ends the visit, stored as a purchase."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        gate = held_read(monkeypatch)
        await burst_held(pilot, "\nx ")
        gate.set()
        await caught_up(pilot)
        assert isinstance(app.screen, EndVisitDialog)
        assert app.screen.query_one(ChoiceList).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen), app.screen
    visit = stored_visit(ctx, visit_id)
    assert visit.ended_at is not None
    assert visit.outcome == "purchase"


async def test_enter_x_space_enter_in_a_burst_ends_the_visit(ctx: ShopContext, team: Team) -> None:
    """ "⏎x␣⏎" as one burst ends the visit with a purchase."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await burst(pilot, "\nx \n")
    assert stored_visit(ctx, visit_id).outcome == "purchase"


async def test_keys_waiting_for_a_read_that_fails_are_dropped_with_its_sentence(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read fails: the waiting x does nothing, the screen says why as for any failed
    read, and the visit is untouched."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        gate = held_read(monkeypatch, fails=True)
        screen = await burst_held(pilot, "\nx")
        gate.set()
        await caught_up(pilot)
        assert app.screen is screen
        assert screen.record_state == "failed"
        assert app.messages[-1] == "That visit is no longer open."
        assert screen.check_action("end", ()) is False
    assert stored_visit(ctx, visit_id).ended_at is None
