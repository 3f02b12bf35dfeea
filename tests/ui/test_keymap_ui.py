"""Keys can be remapped by binding id from the config (e.g. when a key clashes with tmux)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in, table_rows


async def test_a_remapped_key_does_the_action_and_the_old_key_no_longer_does(
    ctx: ShopContext, team: Team
) -> None:
    visits.new_walk_in(ctx, team.lead, description="red coat")
    ctx.settings.keys = {"floor.claim": "f5"}
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        floor: DataTable[Text] = app.screen.query_one(DataTable)
        await pilot.press("c")
        await settle(pilot)
        assert table_rows(floor)[0][4] == "— nobody yet"
        await pilot.press("f5")
        await settle(pilot)
        assert table_rows(floor)[0][4] == "Sam"
