"""Putting a walk-in on file by keys when their phone is on file already: the counter is
offered the customer on file, links to them (or creates anyway), and Esc goes back to the
form with everything typed."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, func, select
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.db.models import AuditEvent, ContactConsent, Customer, NeedKind, Visit
from counter_tui.errors import InvalidInput
from counter_tui.services import customers, kiosk, visits
from counter_tui.services.context import ShopContext
from counter_tui.text import clean_text
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.duplicate_choice import DuplicateChoiceDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.widgets.choice import ChoiceList, Tick
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
        await pilot.press("down", "down", "enter")  # the second choice: create anyway
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert _linked_to(ctx, walk_in) not in (None, priya)
    assert _on_file(ctx) == 2


async def test_down_down_means_the_second_choice_and_never_wraps_to_the_first(
    ctx: ShopContext, team: Team
) -> None:
    """The finding: ↓↓ meant "the second option", but the first ↓ chose it and the second
    wrapped round to "Link to …", and Enter linked the walk-in to the wrong person. The
    first ↓ now chooses the first option and the arrows stop at the last."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await _fill_form(pilot, app)
        choice = app.screen
        assert isinstance(choice, DuplicateChoiceDialog)
        await pilot.press("down", "down")
        assert option_labels(choice.query_one(ChoiceList)) == [
            "( ) Link to Priya Shah (07700 900456, on file since November)",
            "(●) Create a new customer anyway",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert _linked_to(ctx, walk_in) not in (None, priya)
    assert _on_file(ctx) == 2


def _stored(ctx: ShopContext, customer_id: int) -> tuple[Customer, set[str], list[AuditEvent]]:
    """The customer's row, the channels they agreed to, and the events about their record."""
    with ctx.database.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        agreed = set(
            session.exec(
                select(ContactConsent.channel).where(
                    ContactConsent.customer_id == customer_id, col(ContactConsent.granted).is_(True)
                )
            )
        )
        events = list(
            session.exec(
                select(AuditEvent).where(AuditEvent.entity == "customer", AuditEvent.entity_id == customer_id)
            )
        )
        return customer, agreed, events


async def test_linking_keeps_what_their_record_lacks_and_says_what_was_not_stored(
    ctx: ShopContext, team: Team
) -> None:
    """Priya is on file with her phone only. The walk-in's form: another spelling of her
    name, her phone, a new email, and Email ticked. Esc on the offer keeps all of it
    (the tick too); linking adds the email and her yes to email to her record (audited),
    and says in one sentence that the name typed was not stored."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")  # the walk-in
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await type_text(pilot, "Priya S")
        await pilot.press("tab")
        await type_text(pilot, "+44 7700 900456")
        await pilot.press("tab")
        await type_text(pilot, "Priya@Example.com")
        await pilot.press("tab", "tab", "tab", "space")  # Email: yes
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DuplicateChoiceDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
        typed = [form.query_one(f"#{field}", Input).value for field in ("name", "phone", "email")]
        assert typed == ["Priya S", "+44 7700 900456", "Priya@Example.com"]
        assert form.query_one("#opt-email", Tick).value is True
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "enter")  # link to Priya Shah
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.messages[-1] == (
            "Linked to Priya Shah's record, with the email and consent to email you took; "
            'not stored: the name "Priya S" (their record says Priya Shah).'
        )
    assert _linked_to(ctx, walk_in) == priya
    customer, agreed, events = _stored(ctx, priya)
    assert (customer.name, customer.phone, customer.email) == (
        "Priya Shah",
        "07700 900456",
        "priya@example.com",
    )
    assert agreed == {"email"}
    updated = [event for event in events if event.action == "customer.updated"]
    assert [json.loads(event.details)["changed"] for event in updated] == [["email"]]
    assert _on_file(ctx) == 1


async def test_linking_never_overwrites_their_record_nor_takes_another_customers_email(
    ctx: ShopContext, team: Team
) -> None:
    """The phone typed is Priya's, the email typed Raj's; linked to Priya, her record
    does not take Raj's email (the name typed is hers, in other case): nothing of it
    changes, and the sentence names the email that was not stored and why."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    customers.create_customer(ctx, team.sam, name="Raj Shah", email="raj@example.com")
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "priya shah")
        await pilot.press("tab")
        await type_text(pilot, "07700 900456")
        await pilot.press("tab")
        await type_text(pilot, "raj@example.com")
        await pilot.press("enter")
        await settle(pilot)
        choice = app.screen
        assert isinstance(choice, DuplicateChoiceDialog)
        assert option_labels(choice.query_one(ChoiceList))[0].startswith("( ) Link to Priya Shah")
        await pilot.press("space", "enter")
        await settle(pilot)
        assert app.messages[-1] == (
            "Linked to Priya Shah's record; not stored: the email raj@example.com "
            "(another customer on file has it)."
        )
    customer, agreed, _events = _stored(ctx, priya)
    assert (customer.name, customer.phone, customer.email) == ("Priya Shah", "07700 900456", "")
    assert agreed == set()


KIOSK_NAMES = ("Ann", "Jo [/]", "[@click=app.quit]x[/]", "\u202eevil\u202c Bo", "Zoë \x1b]0;pwned\x07")


@pytest.mark.parametrize("typed", KIOSK_NAMES)
async def test_a_kiosk_walk_in_is_put_on_file_with_the_name_they_typed(
    ctx: ShopContext, team: Team, typed: str
) -> None:
    """The form starts with the first name typed at the kiosk (still editable: the
    surname is added by keys), shown literally, and stored cleaned of control and bidi
    characters; markup is kept as text."""
    checked_in = kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name=typed, need=NeedKind.NEEDS_HELP))
    visits.claim_visit(ctx, team.sam, checked_in.visit_id)
    expected = clean_text(typed)  # control characters and bidi overrides dropped
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        assert form.query_one("#name", Input).value == expected
        await pilot.press("end")
        await type_text(pilot, " Smith")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    customer_id = _linked_to(ctx, checked_in.visit_id)
    with ctx.database.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        assert customer.name == expected + " Smith"


def test_a_kiosk_name_too_long_to_keep_is_refused_at_the_kiosk(ctx: ShopContext) -> None:
    with pytest.raises(InvalidInput):
        kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="[/]" + "W" * 4997, need=NeedKind.NEEDS_HELP))
