"""The close-the-day dialog closes what it shows, by keys: a visit claimed at another
terminal after it opened makes Enter refuse, saying so, with the typed reason kept and
the list shown as it is now; the next Enter closes that. A second lead confirming after
the first closed is told so, and no empty close is recorded. Checked in the database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from textual.widgets import Input, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import DayClose, Visit
from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.review.close_day import CloseDayDialog
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, type_text

ELEVEN_46 = datetime(2026, 11, 20, 11, 46, tzinfo=UTC)  # Friday, open until 17:30


def _visits(ctx: ShopContext, visit_ids: list[int]) -> list[tuple[bool, int | None, int | None]]:
    """(ended, owner, day close) of each visit, from the database."""
    with ctx.database.read() as session:
        rows = [session.get_one(Visit, visit_id) for visit_id in visit_ids]
        return [(row.ended_at is not None, row.owner_id, row.day_close_id) for row in rows]


def _closes(ctx: ShopContext) -> list[tuple[int | None, str]]:
    with ctx.database.read() as session:
        return [(c.closed_by, c.reason) for c in session.exec(select(DayClose).order_by(col(DayClose.id)))]


async def _open_close_dialog(pilot: object, app: StaffApp, name: str, pin: str) -> CloseDayDialog:
    await quick_sign_in(pilot, name, pin)  # type: ignore[arg-type]
    await pilot.press("l", "7")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ReviewScreen) and app.screen.active_tab == "end_of_day"
    await pilot.press("c")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, CloseDayDialog)
    return app.screen


def _summary(dialog: CloseDayDialog) -> str:
    return plain(dialog.query_one("#close-summary", Static).visual)


async def test_a_visit_claimed_at_another_terminal_after_the_dialog_opened_is_refused_reason_kept(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    coat = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    dog = visits.new_walk_in(ctx, team.alex, description="man with a dog")
    clock.moment = ELEVEN_46
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_close_dialog(pilot, app, "dana", "1111")
        assert "This ends 2 visits: 1 with Sam, 1 nobody had greeted" in _summary(dialog)
        visits.claim_visit(ctx, team.sam, dog)  # Sam, at the till terminal
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is dialog
        assert plain(dialog.query_one(".dialog-error", Static).visual) == (
            "Since you opened this, Sam claimed man with a dog; "
            "check the list and press Enter again to close."
        )
        assert dialog.query_one("#answer", Input).value == "fire drill"
        assert "This ends 2 visits: 2 with Sam" in _summary(dialog)
        assert "  • man with a dog (Sam)" in _summary(dialog)
        assert (_visits(ctx, [coat, dog]), _closes(ctx)) == (
            [(False, team.sam.staff_id, None), (False, team.sam.staff_id, None)],
            [],
        )

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CloseDayDialog)
        assert app.messages[-1].startswith("Day closed: 2 open visits ended as left at close")
    assert _closes(ctx) == [(team.lead.staff_id, "fire drill")]
    assert [ended for ended, _owner, _close in _visits(ctx, [coat, dog])] == [True, True]


async def test_a_second_lead_confirming_after_the_first_closed_is_told_so_and_nothing_is_recorded(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    coat = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    staff.add_staff(ctx, team.lead, name="Priya", pin="7777", role="lead")
    clock.moment = ELEVEN_46
    danas, priyas = StaffApp(ctx), StaffApp(ctx)
    async with danas.run_test(size=SIZE) as dana, priyas.run_test(size=SIZE) as priya:
        await _open_close_dialog(dana, danas, "dana", "1111")
        await _open_close_dialog(priya, priyas, "priya", "7777")
        await type_text(dana, "fire drill")
        await dana.press("enter")
        await settle(dana)
        await type_text(priya, "alarm")
        await priya.press("enter")
        await settle(priya)

        assert not isinstance(priyas.screen, CloseDayDialog)
        assert priyas.messages[-1] == "Dana already closed the day at 11:46; nothing is left to close."
    assert _closes(ctx) == [(team.lead.staff_id, "fire drill")]
    assert _visits(ctx, [coat])[0][0] is True
