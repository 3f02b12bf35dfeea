"""A shift lead erases a customer's personal data from the customer view, giving the
reason; associates are not offered the key."""

from __future__ import annotations

from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle, type_text


async def test_a_lead_erases_a_customer_with_a_reason(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        screen = await open_record(pilot, ada)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await pilot.press("enter")  # no reason yet: refused in the dialog
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "asked by email on 3 Nov")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not screen
        assert app.messages[-1] == "Personal data erased."
    assert customers.find_customers(ctx, "ada").items == ()


async def test_an_associate_is_not_offered_erasure(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await open_record(pilot, ada)
        await pilot.press("E")
        await settle(pilot)
        assert app.screen is screen
    assert [match.name for match in customers.find_customers(ctx, "ada").items] == ["Ada Lovelace"]
