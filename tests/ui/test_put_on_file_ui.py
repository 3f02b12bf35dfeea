"""Putting a walk-in on file by keys when their phone is on file already: the counter is
offered the customer on file, links to them (or creates anyway), and Esc goes back to the
form with everything typed."""

from __future__ import annotations

from sqlmodel import func, select
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.db.models import Customer, Visit
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.duplicate_choice import DuplicateChoiceDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, option_labels, quick_sign_in, settle, type_text


def _on_file(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(Customer)).one())


def _linked_to(ctx: ShopContext, visit_id: int) -> int | None:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.customer_id


async def _fill_form(pilot: Pilot[None], app: StaffApp) -> CustomerFormDialog:
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("enter")  # the walk-in
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    await pilot.press("a")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CustomerFormDialog)
    await type_text(pilot, "Priya S")
    await pilot.press("tab")
    await type_text(pilot, "+44 7700 900456")
    await pilot.press("enter")
    await settle(pilot)
    return form


async def test_a_matching_phone_offers_the_customer_on_file_and_links(ctx: ShopContext, team: Team) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _fill_form(pilot, app)
        choice = app.screen
        assert isinstance(choice, DuplicateChoiceDialog)
        assert option_labels(choice.query_one(ChoiceList)) == [
            "( ) Link to Priya Shah (07700 900456, on file since November)",
            "( ) Create a new customer anyway",
        ]
        await pilot.press("escape")  # back to the form, everything typed still there
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Priya S"
        assert form.query_one("#phone", Input).value == "+44 7700 900456"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("enter")  # nothing chosen yet: refused, the dialog stays
        await settle(pilot)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("space", "enter")  # the first choice: link to Priya Shah
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert _linked_to(ctx, walk_in) == priya
    assert _on_file(ctx) == 1


async def test_create_a_new_customer_anyway(ctx: ShopContext, team: Team) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _fill_form(pilot, app)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("down", "enter")  # the second choice: create anyway
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert _linked_to(ctx, walk_in) not in (None, priya)
    assert _on_file(ctx) == 2
