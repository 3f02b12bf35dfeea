"""A follow-up's due history by keys: h on My follow-ups and on the lead's follow-up
oversight shows when it was first due and each snooze with its reason and who moved it."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Static

from counter_tui.services import customers, followups
from counter_tui.services.context import ShopContext
from counter_tui.services.followup_snooze import reschedule_followup
from counter_tui.ui.dialogs.due_history import DueHistoryDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_followups, plain, settle
from tests.ui.test_review_ui import open_review


def history_shown(dialog: DueHistoryDialog) -> list[str]:
    return [plain(line.visual) for line in dialog.query(".due-line").results(Static)]


def snoozed_promise(ctx: ShopContext, team: Team) -> int:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="Ring about the kettle", due_at=datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    )
    reschedule_followup(ctx, team.sam, promise, "today 15:00", "Bob at lunch")
    reschedule_followup(ctx, team.lead, promise, "today 16:30", "Supplier rings back at 4")
    return promise


async def test_h_on_my_follow_ups_shows_the_due_history(ctx: ShopContext, team: Team) -> None:
    snoozed_promise(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DueHistoryDialog)
        shown = history_shown(dialog)
        assert shown[0] == "First due: today 14:00"
        assert "Sam moved it today 14:00 → today 15:00: Bob at lunch" in shown[1]
        assert "Dana moved it today 15:00 → today 16:30: Supplier rings back at 4" in shown[2]
        assert shown[3] == "Due now: today 16:30"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_h_on_the_follow_up_oversight_shows_it_to_the_lead(ctx: ShopContext, team: Team) -> None:
    snoozed_promise(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app, "3")
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DueHistoryDialog)
        assert len(history_shown(dialog)) == 4
        assert "Bob at lunch" in history_shown(dialog)[1]
