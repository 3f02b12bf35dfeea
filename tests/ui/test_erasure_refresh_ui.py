"""Screens showing a customer stop showing them once their data is erased: the find list
when the lead comes back to it or when another terminal erased them, keeping the cursor
on the customer it was on; and a customer record open on another terminal."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from counter_tui.services import changes, customers, erasure
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, type_text
from tests.ui.test_find import result_names
from tests.ui.test_live_ui import feed_since


@pytest.fixture
def joneses(ctx: ShopContext, team: Team) -> list[int]:
    """Ada, Bob and Cy Jones, in name order."""
    return [customers.create_customer(ctx, team.sam, name=f"{first} Jones") for first in ("Ada", "Bob", "Cy")]


async def find_joneses(pilot, app: StaffApp) -> FindCustomerScreen:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await settle(pilot)
    await type_text(pilot, "jones")
    screen = app.screen
    assert isinstance(screen, FindCustomerScreen)
    screen.search()
    await settle(pilot)
    return screen


async def test_erasing_from_the_record_leaves_the_find_list_without_them(
    ctx: ShopContext, team: Team, joneses: list[int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        screen = await find_joneses(pilot, app)
        assert result_names(app) == ["Ada Jones", "Bob Jones", "Cy Jones"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and app.screen.customer_id == joneses[1]
        await pilot.press("E")
        await settle(pilot)
        await type_text(pilot, "asked by email")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert result_names(app) == ["Ada Jones", "Cy Jones"]


async def test_an_erasure_on_another_terminal_refreshes_the_find_list_and_keeps_the_cursor(
    ctx: ShopContext, team: Team, joneses: list[int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await find_joneses(pilot, app)
        await pilot.press("down", "down")
        assert screen.selected_customer_id() == joneses[2]
        seen = changes.latest_event_id(ctx)
        erasure.erase_customer(ctx, team.lead, joneses[0], "asked at the till")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert result_names(app) == ["Bob Jones", "Cy Jones"]
        assert screen.selected_customer_id() == joneses[2]


async def test_a_record_open_elsewhere_closes_when_the_customer_is_erased(
    ctx: ShopContext, team: Team, joneses: list[int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        record = CustomerScreen(customer_id=joneses[1])
        await app.push_screen(record)
        await settle(pilot)
        seen = changes.latest_event_id(ctx)
        erasure.erase_customer(ctx, team.lead, joneses[1], "asked at the till")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert app.screen is not record
        assert "This customer's personal data was erased." in app.messages
        assert not [m for m in app.messages if "Bob" in m]


async def test_a_record_under_a_dialog_stops_showing_them_at_once_and_the_typing_stays(
    ctx: ShopContext, team: Team, joneses: list[int]
) -> None:
    """Erased at another terminal while a note dialog covers the record: the record beneath
    (still visible around the dialog) shows nothing of them from that moment, and the note
    being typed stays in its dialog, which then says it cannot be saved."""
    customers.update_contact(ctx, team.sam, joneses[1], name="Bob Jones", phone="07700 900123", email="")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        record = CustomerScreen(customer_id=joneses[1])
        await app.push_screen(record)
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        await type_text(pilot, "Wants the blue one")
        seen = changes.latest_event_id(ctx)
        erasure.erase_customer(ctx, team.lead, joneses[1], "asked at the till")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        shown = "\n".join(
            plain(static.visual)
            for static in record.query(Static)
            if all(node.display for node in static.ancestors_with_self if node is not record)
        )
        assert "Bob" not in shown and "900123" not in shown and "Bob" not in record.sub_title
        assert app.screen is dialog
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "Wants the blue one" in [field.value for field in dialog.query(Input)]
        await pilot.press("escape")
        await settle(pilot)
        assert record not in app.screen_stack
        assert "This customer's personal data was erased." in app.messages
