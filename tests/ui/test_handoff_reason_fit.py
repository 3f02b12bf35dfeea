"""At 80 columns the reason a person gave for a hand-off is read whole on the hand-offs
screen and the lead review's hand-offs tab (it was cut at the Reason column's edge)."""

from __future__ import annotations

from counter_tui.services import handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, quick_sign_in, settle

REASON = (
    "Alex restored this exact clock last spring and knows which spring to order; "
    "I am on my break at two and the customer would rather not wait for me."
)


def drawn_text(app: StaffApp) -> str:
    """Every line drawn on the terminal, joined, spaces collapsed."""
    strips = app.screen._compositor.render_strips()
    return " ".join(" ".join(strip.text for strip in strips).split())


async def test_a_hand_offs_reason_is_read_whole_at_80_columns(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="clock", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, REASON)
    for name, pin in (("sam", "2222"), ("dana", "1111")):  # the screen, and a lead's review tab
        app = StaffApp(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await quick_sign_in(pilot, name, pin)
            await pilot.press("h")
            await settle(pilot)
            assert isinstance(app.screen, HandoffsScreen | ReviewScreen)
            assert REASON in drawn_text(app), name


NOTE = "Alex is alone on the till until four; ask Jordan, who knows the clocks almost as well, instead."


async def test_a_decided_hand_offs_reason_and_note_are_read_whole_in_the_log(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="clock", claim=True)
    request = handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, REASON)
    handoffs.deny_handoff(ctx, team.lead, request, NOTE)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l", "1")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        drawn = drawn_text(app)
        assert REASON in drawn and NOTE in drawn
