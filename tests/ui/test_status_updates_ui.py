"""Status updates by keys: t on a customer starts one (what, how they will hear, every N
days), refused beside the field when the days are wrong; checking it off as "still open"
brings the next one N days on, and as done closes it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from textual.widgets import Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus
from counter_tui.services import customers
from counter_tui.services import status_updates as status_updates_service
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.status_update import StatusUpdateDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.widgets.choice import Tick
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, plain, quick_sign_in, settle, type_text


def status_updates(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(
            session.exec(
                select(FollowUp).where(FollowUp.kind == FollowUpKind.STATUS_UPDATE).order_by(col(FollowUp.id))
            )
        )


async def test_t_starts_status_updates_every_n_days_by_text(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    customers.record_consent(ctx, team.sam, bob, Channel.SMS, granted=True, source="counter")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StatusUpdateDialog)
        await type_text(pilot, "Watch repair")
        await pilot.press("tab", "down", "down")  # in person → phone → text message
        await pilot.press("tab", "backspace", "0", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert plain(dialog.query_one("#every-days-error", Static).visual).startswith(
            "Type how many days between updates"
        )
        assert status_updates(ctx) == []
        await pilot.press("backspace", "5", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.messages[-1].startswith("Status updates started")
        assert "status update" in plain(app.screen.query_one("#followups-block", Static).visual)
    [update] = status_updates(ctx)
    assert (update.summary, update.channel, update.every_days, update.owner_id) == (
        "Watch repair",
        Channel.SMS,
        5,
        team.sam.staff_id,
    )
    assert update.due_at == datetime(2026, 11, 25, 17, 30, tzinfo=UTC)


async def test_checking_off_still_open_then_done(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("t")
        await settle(pilot)
        await type_text(pilot, "Sofa order")
        await pilot.press("tab", "tab", "backspace", "2", "enter")
        await settle(pilot)
        await pilot.press("escape", "f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompleteFollowUpDialog)
        await type_text(pilot, "Told him: delivery Tuesday")
        await pilot.press("enter")  # still open (ticked)
        await settle(pilot)
        first, second = status_updates(ctx)
        assert (first.status, second.status, second.every_days) == (
            FollowUpStatus.DONE,
            FollowUpStatus.OPEN,
            2,
        )
        assert second.due_at == datetime(
            2026, 11, 23, 17, 30, tzinfo=UTC
        )  # Friday + 2 = Sunday, shut: Monday
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "Delivered")
        await pilot.press("tab", "space", "enter")  # untick: the order is done
        await settle(pilot)
    assert [u.status for u in status_updates(ctx)] == [FollowUpStatus.DONE, FollowUpStatus.DONE]


async def test_an_update_every_day_says_it_comes_back_in_1_day(ctx: ShopContext, team: Team) -> None:
    """The tick said "the next update comes back in 1 days"."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    status_updates_service.start_status_update(
        ctx, team.sam, bob, about="Sofa order", channel=Channel.IN_PERSON, every_days=1
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CompleteFollowUpDialog)
        assert plain(dialog.query_one("#still-open", Tick).label) == (
            "Still open: the next update comes back in 1 day (untick when it is done)"
        )
