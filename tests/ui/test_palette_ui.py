"""The command palette (ctrl+p): customers by name as you type, and the app's commands,
lead-only ones hidden from associates; remappable like every key."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_walk_in, option_labels, quick_sign_in, settle, type_text


async def palette_offers(pilot: Pilot[None], app: StaffApp, typed: str = "") -> list[str]:
    """Open the palette, type `typed`, and read what it offers (first line of each)."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, typed)
    await settle(pilot)
    return [label.split("\n")[0] for label in option_labels(app.screen.query_one(CommandList))]


async def test_typing_a_name_and_enter_opens_that_customer(ctx: ShopContext, team: Team) -> None:
    customers.create_customer(ctx, team.sam, name="Ann Smith")
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert await palette_offers(pilot, app, "jones") == ["Bob Jones"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == bob


async def test_an_associate_is_not_offered_the_leads_commands(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        offered = await palette_offers(pilot, app)
        assert {"Lock", "My follow-ups", "Find customer", "Theme"} <= set(offered)
        assert not {"Lead review", "Staff", "Shop settings", "Audit log"} & set(offered)
        await pilot.press("escape")
        await settle(pilot)
        assert not await palette_offers(pilot, app, "review")
        await pilot.press("escape")
        await app.run_action("open_screen('review')")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_a_lead_is_offered_the_leads_commands(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        assert {"Lead review", "Staff", "Shop settings", "Audit log"} <= set(await palette_offers(pilot, app))


async def test_a_command_runs_from_the_palette(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert (await palette_offers(pilot, app, "my follow"))[0] == "My follow-ups"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)


async def test_nobody_signed_in_gets_no_palette(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)


async def test_the_palette_key_is_remappable(ctx: ShopContext, team: Team) -> None:
    ctx.settings.keys = {"app.command_palette": "f6"}
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)


async def test_no_palette_over_a_half_typed_dialog(ctx: ShopContext, team: Team) -> None:
    """A command from the palette would switch screens and lose the dialog under it: inside
    a dialog ctrl+p does nothing and what was typed stays."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_walk_in(pilot)
        await type_text(pilot, "tall man in a green coat")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one(Input).value == "tall man in a green coat"


async def test_someone_in_the_shop_comes_first_among_namesakes(ctx: ShopContext, team: Team) -> None:
    """At the counter, the O'Neill you are looking for is most likely the one in the shop."""
    customers.create_customer(ctx, team.sam, name="Abena O'Neill")
    margaret = customers.create_customer(ctx, team.sam, name="Margaret O'Neill")
    visits.new_walk_in(ctx, team.sam, customer_id=margaret)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        offered = await palette_offers(pilot, app, "o'neill")
        assert offered[:2] == ["Margaret O'Neill  · in the shop", "Abena O'Neill"]
