"""At 80×24 (the smallest terminal we support) the keys a person needs come first and
the lead review's seven tabs all fit on the tab bar."""

from __future__ import annotations

from textual.widgets import Tab

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, settle, sign_in

SMALL = (80, 24)


async def test_the_keys_panel_lists_the_screens_own_keys_first(ctx: ShopContext, team: Team) -> None:
    """F1 on the floor board (a table has focus, with its cursor and scroll keys), then in a
    dialog (a text field has focus, with its editing keys): the screen's or dialog's own
    keys come first, then the app's, then the widget's."""
    visits.new_walk_in(ctx, team.sam, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen.query("HelpPanel")
        listed = list(app.screen.active_bindings.values())
        ids = [active.binding.id or "" for active in listed]
        assert {"floor.new_walk_in", "floor.claim", "floor.open"} <= set(ids[:3])
        last_own = max(
            i for i, active in enumerate(listed) if active.node is app.screen and active.binding.id
        )
        first_app = ids.index("app.lock")
        first_generic = min(i for i, active in enumerate(listed) if active.binding.id is None)
        assert last_own < first_app < first_generic
        assert all(active.binding.id is None for active in listed[first_generic:])
        await pilot.press("n")
        await settle(pilot)
        listed = list(app.screen.active_bindings.values())
        assert {active.binding.id for active in listed[:2]} == {"dialog.cancel", "dialog.submit"}


async def test_the_review_tabs_fit_in_80_columns(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "dana", "1111")
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        tabs = list(app.screen.query(Tab))
        assert len(tabs) == 7
        assert all(tab.region.width and tab.region.right <= SMALL[0] for tab in tabs)
