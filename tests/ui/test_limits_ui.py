"""Text over its limit is refused by the service with a sentence beside the field, and
everything typed stays: the boxes do not silently stop taking keys at the limit.
(The limits themselves are tested on both databases in tests/unit/test_limits.py.)"""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import Input

from counter_tui.db.models import Customer, Outcome, Visit
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle, type_text
from tests.ui.test_dialog_refusals import beside


async def test_a_hundred_character_name_is_refused_beside_it_and_kept(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    too_long = "Annabel" + "x" * 93
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        await type_text(pilot, too_long)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "name") == "A name can be at most 80 characters; this one has 100."
        assert dialog.query_one("#name", Input).value == too_long
        with ctx.database.read() as session:
            assert session.exec(select(Customer)).all() == []
        await pilot.press(*["backspace"] * 93)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    with ctx.database.read() as session:
        [customer] = session.exec(select(Customer)).all()
        visit = session.get(Visit, visit_id)
    assert customer.name == "Annabel"
    assert visit is not None and visit.customer_id == customer.id


async def test_a_reason_over_its_limit_keeps_the_prompt_open_before_anything_is_done(
    ctx: ShopContext, team: Team
) -> None:
    """Reopening a visit asks why: the service refuses 201 characters with the limit's
    sentence under the reason, the prompt keeps them, and nothing reopens."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "bob")
        assert isinstance(app.screen, FindCustomerScreen)
        app.screen.search()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "y" * 201)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer") == "A reason can be at most 200 characters; this one has 201."
        assert dialog.query_one("#answer", Input).value == "y" * 201
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.ended_at is not None
