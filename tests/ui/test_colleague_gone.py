"""A colleague picked in a dialog who left the staff list after it opened (deactivated
from another terminal or the CLI): the refusal says so, and the dialog no longer offers
them, so the next pick is someone who can be picked."""

from __future__ import annotations

from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, option_labels, quick_sign_in, screen_text, settle


async def test_a_colleague_deactivated_meanwhile_is_refused_and_taken_off_the_list(
    ctx: ShopContext, team: Team
) -> None:
    visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StaffPickerDialog)
        colleagues = dialog.query_one("#colleagues", ChoiceList)
        assert any("Alex" in label for label in option_labels(colleagues))
        staff.deactivate(ctx, None, name="Alex")
        await pilot.press("space", "enter")  # Alex, first by name
        await settle(pilot)
        assert app.screen is dialog
        assert "That colleague is not available. Pick someone else." in screen_text(dialog)
        assert not any("Alex" in label for label in option_labels(colleagues))
        assert colleagues.value is None, "nobody chosen until the arrows move onto someone"
