"""The customer view follows the customer's visit: starting one with w tells colleagues
at once that you have them open; a record opened from find while they are in the shop
shows their visit (where it can be claimed); and "waiting N min" keeps moving while the
screen stays open."""

from __future__ import annotations

from textual.widgets import Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import Visit
from counter_tui.services import customers, presence, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, type_text


async def find_and_open(pilot: object, app: StaffApp, name: str) -> CustomerScreen:
    """/ on the floor board, type `name`, Enter on the first match."""
    await pilot.press("slash")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await type_text(pilot, name)  # type: ignore[arg-type]
    assert isinstance(app.screen, FindCustomerScreen)
    app.screen.search()
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


def banner(screen: CustomerScreen) -> str:
    return plain(screen.query_one("#owner-banner", Static).visual)


async def test_w_on_a_record_tells_colleagues_at_once_who_has_the_customer_open(
    ctx: ShopContext, team: Team
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await find_and_open(pilot, app, "bob")
        assert screen.visit_id is None
        await pilot.press("w")
        await settle(pilot)
        assert screen.visit_id is not None
        assert presence.lookers(ctx, team.alex, screen.visit_id) == ["Sam"]
        assert banner(screen).startswith("You own this customer since 11:00.")
    with ctx.database.read() as session:
        visit = session.get(Visit, screen.visit_id)
        assert visit is not None and (visit.customer_id, visit.owner_id) == (bob, team.sam.staff_id)


async def test_enter_in_find_on_a_customer_in_the_shop_opens_their_visit_where_they_can_be_claimed(
    ctx: ShopContext, team: Team
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.alex, customer_id=bob)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await find_and_open(pilot, app, "bob")
        assert screen.visit_id == visit_id
        assert banner(screen).startswith("Nobody has greeted this customer yet")
        assert presence.lookers(ctx, team.alex, visit_id) == ["Sam"]
        await pilot.press("c")
        await settle(pilot)
        assert banner(screen).startswith("You own this customer")
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.owner_id == team.sam.staff_id


async def test_waiting_minutes_keep_moving_while_the_customer_view_is_open(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visit_id = visits.new_walk_in(ctx, team.alex, description="man with a dog")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.visit_id == visit_id
        assert "(waiting 0 min)" in banner(screen)
        clock.advance(minutes=4)
        screen.tick()
        await pilot.pause()
        assert "(waiting 4 min)" in banner(screen)
