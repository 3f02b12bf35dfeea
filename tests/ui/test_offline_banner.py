"""The offline state is shown on every staff screen, dialogs included, in a place no
screen overwrites, until the database is back; and what the toast says is true."""

from __future__ import annotations

from textual.screen import Screen

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.widgets.offline_banner import OFFLINE_MESSAGE, OfflineBanner
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in


def banner_shown(screen: Screen[object]) -> bool:
    """The banner is displayed on `screen` and drawn on top of its first line."""
    banners = screen.query(OfflineBanner)
    if not banners or not banners.first().display:
        return False
    widget, _region = screen.get_widget_at(2, 0)
    return widget is banners.first()


async def test_offline_shows_on_every_screen_until_it_clears(ctx: ShopContext, team: Team) -> None:
    visits.new_walk_in(ctx, team.sam, description="green scarf", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sam", "2222")
        floor = app.screen
        assert isinstance(floor, FloorScreen) and not banner_shown(floor)

        app.apply_feed_event(FeedEvent(online=False))
        await settle(pilot)
        assert banner_shown(floor)
        assert floor.query_one(OfflineBanner).visual is not None
        assert floor.sub_title == "Sam"  # the screen keeps its own title
        assert app.messages[-1] == (
            "The database cannot be reached, so nothing can be saved until it is back. "
            "Note down anything urgent meanwhile."
        )

        await pilot.press("enter")  # the customer view, which sets its own sub-title
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert banner_shown(app.screen)

        await app.push_screen(CustomerFormDialog())
        await settle(pilot)
        assert banner_shown(app.screen)
        await pilot.press("escape")
        await settle(pilot)

        await app.push_screen(FindCustomerScreen())
        await settle(pilot)
        assert banner_shown(app.screen)

        app.apply_feed_event(FeedEvent(online=True, resumed=True))
        await settle(pilot)
        assert not banner_shown(app.screen)
        assert app.messages[-1] == "Connected to the database again."
        app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen) and not banner_shown(app.screen)


async def test_the_sign_in_screen_shows_offline_too(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.apply_feed_event(FeedEvent(online=False))
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert banner_shown(app.screen)
        assert OFFLINE_MESSAGE.startswith("OFFLINE")
