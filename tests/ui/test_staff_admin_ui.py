"""The leads' staff screen, by keys only: set a PIN, clear a lockout, deactivate (passing
open work to a colleague) and reactivate; what the database stored is checked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Input

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import Staff, Visit
from counter_tui.errors import SignInFailed
from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.deactivate import DeactivateDialog
from counter_tui.ui.dialogs.new_pin import NewPinDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.staff_admin import StaffAdminScreen
from tests.conftest import Team, make_settings
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, screen_text, settle, table_rows, type_text
from tests.ui.test_dialog_refusals import beside


@pytest.fixture
def till_two(database_url: str, clock: ManualClock) -> Iterator[ShopContext]:
    """Another terminal of the same shop, named "till 2"."""
    settings = make_settings(database_url)
    settings.terminal_name = "till 2"
    shop = open_shop(settings, clock=clock, migrate=False)
    yield shop
    shop.database.dispose()


def rows(app: StaffApp) -> list[list[str]]:
    return table_rows(app.screen.query_one(DataTable))


def pin_hash(ctx: ShopContext, staff_id: int | None) -> str:
    with ctx.database.read() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        return row.pin_hash


def active(ctx: ShopContext, staff_id: int | None) -> bool:
    with ctx.database.read() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        return row.active


async def open_staff_screen(app: StaffApp, pilot: object) -> None:
    await quick_sign_in(pilot, "dana", "1111")  # type: ignore[arg-type]
    await pilot.press("s")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, StaffAdminScreen)


async def test_a_lead_sees_everyone_and_an_associate_has_no_staff_key(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        await pilot.press("ctrl+l")
        await open_staff_screen(app, pilot)
        assert [row[:3] for row in rows(app)] == [
            ["Alex", "associate", "active"],
            ["Dana", "lead", "active"],
            ["Sam", "associate", "active"],
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_setting_a_pin_by_keys(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "down", "p")
        await settle(pilot)
        await type_text(pilot, "2468")
        await pilot.press("tab")
        await type_text(pilot, "2469")
        await pilot.press("enter")
        await settle(pilot)
        assert "The two PINs differ" in screen_text(app.screen)
        await pilot.press("backspace")
        await type_text(pilot, "8")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffAdminScreen)
        assert "New PIN set for Sam." in app.messages
    assert team.sam.staff_id is not None
    assert staff.sign_in(ctx, team.sam.staff_id, "2468").name == "Sam"


async def test_a_pin_the_service_refuses_keeps_the_dialog_open_with_both_boxes_typed(
    ctx: ShopContext, team: Team
) -> None:
    """The tester's finding: "12" twice and Enter closed the dialog, said "A PIN is 4 to 12
    digits." in a toast, lost what was typed, and the next keys worked the staff list (d
    deactivated). Now the sentence shows beside the PIN, both boxes keep "12", nothing is
    saved, a d goes nowhere, and finishing the PIN sets it."""
    old_pin = pin_hash(ctx, team.sam.staff_id)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "down", "p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewPinDialog)
        await type_text(pilot, "12")
        await pilot.press("tab")
        await type_text(pilot, "12")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "new-pin") == "A PIN is 4 to 12 digits."
        assert [box.value for box in dialog.query(Input)] == ["12", "12"]
        assert app.focused is dialog.query_one("#new-pin", Input)
        assert pin_hash(ctx, team.sam.staff_id) == old_pin
        assert "A PIN is 4 to 12 digits." not in app.messages
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is dialog
        assert active(ctx, team.sam.staff_id)
        await type_text(pilot, "34")
        await pilot.press("tab")
        await type_text(pilot, "34")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffAdminScreen)
        assert app.messages[-1] == "New PIN set for Sam."
    assert team.sam.staff_id is not None
    assert staff.sign_in(ctx, team.sam.staff_id, "1234").name == "Sam"


async def test_clearing_a_lockout_from_another_terminal(
    ctx: ShopContext, till_two: ShopContext, team: Team
) -> None:
    assert team.sam.staff_id is not None
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            staff.sign_in(till_two, team.sam.staff_id, "0000")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        assert rows(app)[2] == ["Sam", "associate", "active", "till 2"]
        await pilot.press("down", "down", "u")
        await settle(pilot)
        assert rows(app)[2] == ["Sam", "associate", "active", ""]
        assert "Lockout cleared for Sam (till 2)." in app.messages
    assert staff.sign_in(till_two, team.sam.staff_id, "2222").name == "Sam"


async def test_deactivating_asks_who_takes_their_customers(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "down", "d")
        await settle(pilot)
        text = screen_text(app.screen)
        assert "Sam will no longer be able to sign in." in text
        assert "1 customer (red coat)" in text
        await pilot.press("enter")  # nobody chosen yet: Enter gave Sam's work to the first listed
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeactivateDialog)
        assert beside(dialog, "pass-to") == "Pick who takes them over: arrows, then Enter."
        assert active(ctx, team.sam.staff_id)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert rows(app)[-1][:3] == ["Sam", "associate", "deactivated"]
    assert not active(ctx, team.sam.staff_id)
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
    assert visit is not None and visit.owner_id == team.alex.staff_id


async def test_deactivating_picks_the_colleague_with_the_arrows(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "down", "d")
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
    assert visit is not None and visit.owner_id == team.lead.staff_id


async def test_a_colleague_deactivated_meanwhile_keeps_the_dialog_open_to_pick_another(
    ctx: ShopContext, team: Team
) -> None:
    """Alex, highlighted to take Sam's customer, is deactivated at another terminal before
    Enter: the refusal shows beside the list, Sam stays active with the customer, and the
    next pick (Dana) deactivates Sam and passes the customer to her."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "down", "d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeactivateDialog)
        await pilot.press("down")  # Alex
        staff.deactivate(ctx, team.lead, name="Alex")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "pass-to") == "Alex is deactivated. Pick an active colleague."
        assert active(ctx, team.sam.staff_id)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffAdminScreen)
        assert app.messages[-1] == "Sam can no longer sign in. Their 1 customer (red coat) went to Dana."
    assert not active(ctx, team.sam.staff_id)
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
    assert visit is not None and visit.owner_id == team.lead.staff_id


async def test_deactivating_someone_with_nothing_open_and_reactivating(ctx: ShopContext, team: Team) -> None:
    """The cursor stays on Alex as the list reorders, so `r` right after reactivates them."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Alex owns no customers or open follow-ups." in screen_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert not active(ctx, team.alex.staff_id)
        assert rows(app)[-1][:3] == ["Alex", "associate", "deactivated"]
        await pilot.press("r")
        await settle(pilot)
        assert "Alex can sign in again." in app.messages
    assert active(ctx, team.alex.staff_id)


async def test_escape_leaves_the_deactivation_undone(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StaffAdminScreen)
    assert active(ctx, team.alex.staff_id)


async def test_a_lead_cannot_deactivate_themselves_here_either(ctx: ShopContext, team: Team) -> None:
    """d on yourself says why not at once (the permissions' sentence), asking nothing first."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_staff_screen(app, pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, StaffAdminScreen)
        assert "You cannot deactivate yourself. Ask another shift lead." in app.messages
    assert active(ctx, team.lead.staff_id)
