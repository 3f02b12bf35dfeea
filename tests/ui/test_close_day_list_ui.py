"""The close-day dialog names as many of the visits and hand-offs it ends as the terminal
has room for: at 80×24 a few (its title and reason box must fit with them), at 120×40
most of a day's end, so a lead sees whose they are before pressing Enter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Static

from counter_tui.services.closing_views import ClosePreview, ClosingHandoff, ClosingVisit
from counter_tui.services.context import ShopContext
from counter_tui.ui.review.close_day import CloseDayDialog
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, plain, quick_sign_in, settle

NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def preview(visits: int, handoffs: int) -> ClosePreview:
    return ClosePreview(
        NOON.date(),
        NOON,
        True,
        tuple(ClosingVisit(n, f"customer {n}", "Sam") for n in range(1, visits + 1)),
        "The shop is open until 17:30.",
        tuple(ClosingHandoff(n, n, f"customer {n}", "Sam", "Alex") for n in range(1, handoffs + 1)),
    )


@pytest.mark.parametrize(("size", "visits_named", "handoffs_named"), [((80, 24), 0, 1), ((120, 40), 8, 3)])
async def test_the_dialog_names_what_the_terminal_has_room_for(
    ctx: ShopContext, team: Team, size: tuple[int, int], visits_named: int, handoffs_named: int
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=size) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        dialog = CloseDayDialog(ctx, preview(visits=8, handoffs=3))
        await app.push_screen(dialog)
        await settle(pilot)
        summary = plain(dialog.query_one("#close-summary", Static).visual)
        named = [line for line in summary.splitlines() if line.strip().startswith("• ")]
        assert len([line for line in named if "(Sam)" in line]) == visits_named
        assert len([line for line in named if "Sam → Alex" in line]) == handoffs_named
