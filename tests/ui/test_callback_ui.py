"""A callback needs a phone number: the customer view says so before asking anything."""

from __future__ import annotations

from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.followup_forms import CallbackDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle


async def test_no_phone_on_file_is_said_before_the_dialog_opens(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace", email="ada@example.com")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await open_record(pilot, ada)
        await pilot.press("b")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[-1] == "Ada Lovelace has no phone number on file. Add one with u, then b."


async def test_with_a_phone_the_callback_dialog_opens(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, ada)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
