"""A theme chosen from the palette recolours what screens draw in Python (the floor
board's flags), not only what the stylesheet draws (issue 13)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from counter_tui.clock import ManualClock
from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.themes import HIGH_CONTRAST
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in, type_text


def flag_colour(app: StaffApp) -> str:
    """The colour of the first row's flag on the floor board."""
    table: DataTable[Text] = app.screen.query_one(DataTable)
    flag = table.get_row_at(0)[0]
    assert flag.plain == "HELP" and flag.style and not isinstance(flag.style, str)
    assert flag.style.bgcolor is not None and flag.style.bgcolor.triplet is not None
    return flag.style.bgcolor.triplet.hex


async def test_a_theme_from_the_palette_recolours_the_floor_flags(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visits.new_walk_in(ctx, team.lead, description="man in a green coat", needs=["needs_help"])
    clock.advance(minutes=30)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        before = flag_colour(app)
        await pilot.press("ctrl+p")
        await type_text(pilot, "theme")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "high-contrast")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST
        assert isinstance(app.screen, FloorScreen)
        assert flag_colour(app) != before
