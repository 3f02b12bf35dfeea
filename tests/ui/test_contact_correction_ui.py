"""Two terminals correcting one customer (found by the tester): Sam opens `u` on Margaret
O'Neill and changes her email; Dana, at her till, corrects the phone to 07700 111222. Sam's
Enter used to warn vaguely and then put the old phone back. Now different fields are both
kept; the same field is refused beside it, naming Dana and her value, Sam's typing kept,
and Enter again saves Sam's value for that field alone."""

from __future__ import annotations

from textual.widgets import Input

from counter_tui.db.models import Customer
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, screen_text, settle, type_text


def _stored(ctx: ShopContext, customer_id: int) -> tuple[str, str, str]:
    with ctx.database.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        return (customer.name, customer.phone, customer.email)


async def test_a_colleagues_phone_correction_is_kept_when_the_email_is_corrected_here(
    ctx: ShopContext, team: Team
) -> None:
    margaret = customers.create_customer(
        ctx, team.sam, name="Margaret O'Neill", phone="07700 900123", email="mo@example.com"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, margaret)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await pilot.press("tab", "tab", "ctrl+u")
        await type_text(pilot, "margaret@example.org")
        customers.update_contact(
            ctx, team.lead, margaret, name="Margaret O'Neill", phone="07700 111222", email="mo@example.com"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not form
    assert _stored(ctx, margaret) == ("Margaret O'Neill", "07700 111222", "margaret@example.org")


async def test_the_same_field_corrected_at_both_is_refused_beside_it_and_saved_over_on_enter_again(
    ctx: ShopContext, team: Team
) -> None:
    margaret = customers.create_customer(
        ctx, team.sam, name="Margaret O'Neill", phone="07700 900123", email="mo@example.com"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, margaret)
        await pilot.press("u")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CustomerFormDialog)
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "07700 333444")
        customers.update_contact(
            ctx, team.lead, margaret, name="Margaret Neill", phone="07700 111222", email="mo@example.com"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        said = form.query_one("#phone-error").render()
        assert "Dana changed the phone to 07700 111222 at 11:00 while this was open" in str(said)
        assert "Enter saves yours over theirs" in screen_text(form)
        assert form.query_one("#phone", Input).value == "07700 333444"
        assert form.query_one("#name", Input).value == "Margaret O'Neill"
        assert _stored(ctx, margaret) == ("Margaret Neill", "07700 111222", "mo@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not form
    assert _stored(ctx, margaret) == ("Margaret Neill", "07700 333444", "mo@example.com")
