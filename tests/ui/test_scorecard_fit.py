"""The scorecard's tables fit the terminal: at 80 columns every header word and every
name shows whole (not "gree…" or "Jord…") beside figures with their marks; where there is
room, the measures' full names."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Static

from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp
from tests.ui.test_review_ui import open_review


def painted(static: Static) -> str:
    """The lines `static` paints at its size, as text."""
    width, height = static.size
    return "\n".join(strip.text for strip in static.render_lines(Region(0, 0, width, height)))


@pytest.mark.parametrize(("size", "full_names"), [((80, 24), False), ((120, 40), True)])
async def test_every_word_of_the_scorecard_shows_whole(
    ctx: ShopContext, team: Team, size: tuple[int, int], full_names: bool
) -> None:
    jordan = staff.add_staff(ctx, team.lead, name="Jordan", pin="5555")
    visits.new_walk_in(ctx, staff.sign_in(ctx, jordan.id, "5555"), claim=True)
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=size) as pilot:
        screen = await open_review(pilot, app, "4")
        today = painted(screen.query_one("#score-today", Static))
    assert "…" not in today, today
    assert "Jordan" in today and "Whole" in today and "100%✓" in today, today
    assert ("thank-yous" in today) is full_names, today
