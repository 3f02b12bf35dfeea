"""Putting a new customer on file from find (Ctrl+N) by keys when their phone is on file
already, typed another way: find finds them by that phone, and the form offers to open
their record (or create a new customer anyway) instead of making a second one silently;
Esc goes back to the form with everything typed."""

from __future__ import annotations

from sqlmodel import func, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from counter_tui.db.models import Customer
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.duplicate_choice import DuplicateChoiceDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    open_record,
    option_labels,
    quick_sign_in,
    settle,
    table_rows,
    type_text,
)


def _on_file(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        return list(session.exec(select(Customer.name).order_by(func.lower(Customer.name))))


async def _new_customer_over_priya(pilot: Pilot[None], app: StaffApp) -> CustomerFormDialog:
    """Sign in, find "+44 7700 900456" (Priya's 07700 900456), then Ctrl+N with it."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("slash")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, FindCustomerScreen)
    await type_text(pilot, "+44 7700 900456")
    screen.search()
    await settle(pilot)
    assert [row[0] for row in table_rows(screen.query_one(DataTable))] == ["Priya Shah"]
    await pilot.press("ctrl+n")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CustomerFormDialog)
    await type_text(pilot, "Priya S")
    await pilot.press("tab")
    await type_text(pilot, "+44 7700 900456")
    await pilot.press("enter")
    await settle(pilot)
    return form


async def test_a_matching_phone_offers_the_record_on_file_and_opens_it(ctx: ShopContext, team: Team) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _new_customer_over_priya(pilot, app)
        choice = app.screen
        assert isinstance(choice, DuplicateChoiceDialog)
        assert option_labels(choice.query_one(ChoiceList)) == [
            "( ) Open Priya Shah (07700 900456, on file since November)",
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
        await pilot.press("space", "enter")  # the first choice: open Priya Shah
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == priya
    assert _on_file(ctx) == ["Priya Shah"]


async def test_create_a_new_customer_anyway(ctx: ShopContext, team: Team) -> None:
    customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _new_customer_over_priya(pilot, app)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("down", "down", "enter")  # the second choice: create anyway
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer is not None and app.screen.customer.name == "Priya S"
    assert _on_file(ctx) == ["Priya S", "Priya Shah"]


async def test_correcting_a_phone_to_another_customers_offers_theirs_or_saves_anyway(
    ctx: ShopContext, team: Team
) -> None:
    """`u` on Bob, his phone corrected to Priya's number typed another way: stopped with
    Priya named; Esc keeps the typing; 'save the change anyway' saves it."""
    customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        record = await open_record(pilot, bob)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "+44 7700 900456")
        await pilot.press("enter")
        await settle(pilot)
        choice = app.screen
        assert isinstance(choice, DuplicateChoiceDialog)
        assert option_labels(choice.query_one(ChoiceList)) == [
            "( ) Open Priya Shah (07700 900456, on file since November)",
            "( ) Save the change anyway",
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#phone", Input).value == "+44 7700 900456"
        assert _record(ctx, bob).phone == "07700 900123"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "down", "space", "enter")  # the second choice: save anyway
        await settle(pilot)
        assert app.screen is record
    assert _record(ctx, bob).phone == "+44 7700 900456"


async def test_details_changed_at_another_till_while_open_are_not_saved_over_unseen(
    ctx: ShopContext, team: Team
) -> None:
    """Sam opens `u` on Bob; Dana saves a new email at her till; Sam's Enter saves his
    name and keeps Dana's email (the same field at both: `test_contact_correction_ui`)."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await type_text(pilot, "ert")
        customers.update_contact(
            ctx, team.lead, bob, name="Bob Jones", phone="07700 900123", email="bj@example.org"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not form
    assert (_record(ctx, bob).name, _record(ctx, bob).email) == ("Bob Jonesert", "bj@example.org")


def _record(ctx: ShopContext, customer_id: int) -> Customer:
    """The customer's row as stored now."""
    with ctx.database.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        return customer


async def test_opening_the_record_on_file_keeps_what_it_lacks_and_says_what_was_not_stored(
    ctx: ShopContext, team: Team
) -> None:
    """From find, Ctrl+N with Priya's phone, a phone she has already, a new email, Phone
    calls ticked: opening her record adds the email and her yes to phone calls, and says
    that the name typed was not stored."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await _new_customer_over_priya(pilot, app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        await pilot.press("tab")  # from the phone, where Enter was pressed, to the email
        await type_text(pilot, "priya@example.com")
        await pilot.press("tab", "space")  # Phone calls: yes
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("space", "enter")  # open Priya Shah
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == priya
        assert app.messages[-1] == (
            "Opened Priya Shah's record, with the email and consent to phone you took; "
            'not stored: the name "Priya S" (their record says Priya Shah).'
        )
    customer = _record(ctx, priya)
    assert (customer.name, customer.email) == ("Priya Shah", "priya@example.com")
    assert _on_file(ctx) == ["Priya Shah"]


async def test_opening_the_other_record_says_the_correction_was_not_saved(
    ctx: ShopContext, team: Team
) -> None:
    """`u` on Bob, his phone corrected to Priya's: opening Priya's record leaves Bob's as it
    was, and says which of what was typed was not saved."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Bob Jonas")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "+44 7700 900456")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("space", "enter")  # open Priya Shah
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == priya
        assert app.messages[-1] == (
            'Not saved: Bob Jones\'s name "Bob Jonas" and phone +44 7700 900456 (their record is as it was).'
        )
    assert (_record(ctx, bob).name, _record(ctx, bob).phone) == ("Bob Jones", "07700 900123")
