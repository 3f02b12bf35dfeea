"""Closing the day and its reversals, by keys: c on the end-of-day tab asks first and says
how many visits and whose (and why, before closing time); u undoes the close; o reopens
a flagged visit; z on a customer reopens their visit; u on My follow-ups restores one
cancelled today. Each is checked in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, DayClose, FollowUp, FollowUpStatus, Outcome, Visit
from counter_tui.services import closing, customers, followups, handoffs, reversals, staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.review.close_day import CloseDayDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.review import ReviewScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    open_followups,
    plain,
    quick_sign_in,
    screen_text,
    settle,
    table_rows,
    type_text,
)
from tests.ui.test_dialog_refusals import beside


def ended(ctx: ShopContext, visit_ids: list[int]) -> list[bool]:
    """Whether each visit is ended, read from the database."""
    with ctx.database.read() as session:
        return [session.get(Visit, visit_id).ended_at is not None for visit_id in visit_ids]  # type: ignore[union-attr]


@pytest.fixture
def floor(ctx: ShopContext, team: Team, clock: ManualClock) -> list[int]:
    """Four customers in the shop at 11:46 on a Friday (open until 17:30)."""
    ids = [
        visits.new_walk_in(ctx, team.sam, description="red coat", claim=True),
        visits.new_walk_in(ctx, team.sam, description="blue hat", claim=True),
        visits.new_walk_in(ctx, team.alex, description="green scarf", claim=True),
        visits.new_walk_in(ctx, team.alex, description="man with a dog"),
    ]
    clock.moment = datetime(2026, 11, 20, 11, 46, tzinfo=UTC)
    return ids


async def open_end_of_day(pilot: object, app: StaffApp) -> ReviewScreen:
    await quick_sign_in(pilot, "dana", "1111")  # type: ignore[arg-type]
    await pilot.press("l", "7")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ReviewScreen) and app.screen.active_tab == "end_of_day"
    return app.screen


async def test_c_asks_first_says_how_many_and_whose_and_wants_a_reason_before_closing_time(
    ctx: ShopContext, team: Team, floor: list[int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseDayDialog)
        summary = plain(dialog.query_one("#close-summary", Static).visual)
        assert summary.startswith(
            "The shop is open until 17:30.\nThis ends 4 visits: 2 with Sam, 1 with Alex, 1 nobody had greeted"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "Say why the day closes before 17:30" in plain(
            dialog.query_one(".dialog-error", Static).visual
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is review
        assert ended(ctx, floor) == [False] * 4

        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "Burst pipe")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review
        assert app.messages[-1] == (
            "Day closed: 4 open visits ended as left at close and flagged for review. u undoes it today."
        )
    assert ended(ctx, floor) == [True] * 4
    with ctx.database.read() as session:
        [close] = session.exec(select(DayClose)).all()
        assert (close.reason, close.auto) == ("Burst pipe", False)


async def test_u_undoes_the_close_and_everyone_is_back_on_the_floor(
    ctx: ShopContext, team: Team, floor: list[int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await settle(pilot)
        assert ended(ctx, floor) == [True] * 4
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        assert (
            "Undoing it reopens 4 visits: 2 with Sam, 1 with Alex, 1 nobody had greeted. Why?"
            in screen_text(app.screen)
        )
        await type_text(pilot, "the drill was called off")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is review
        assert app.messages[-1] == "Day close undone: 4 visits back on the floor."
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert len(table_rows(app.screen.query_one(DataTable))) == 4
    assert ended(ctx, floor) == [False] * 4


async def test_o_reopens_the_highlighted_flagged_visit(
    ctx: ShopContext, team: Team, floor: list[int], clock: ManualClock
) -> None:
    clock.moment = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # after closing time no reason is needed
        await settle(pilot)
        assert ended(ctx, floor) == [True] * 4
        flagged: DataTable[object] = review.query_one("#flagged-table", DataTable)
        flagged.focus()
        # The close refilled the list under the highlight ("none" went): it is hidden until
        # the first ↓ shows it on the first visit, and the second moves to the next.
        await pilot.press("down", "down")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "still trying on shoes")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Visit reopened."
    assert ended(ctx, floor) == [True, False, True, True]


async def test_o_refuses_a_flagged_visit_whose_customer_came_back_and_left_keeping_the_reason(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Found by the tester: after the day close Kwame came back and bought something;
    reopening his flagged visit had him in the shop since before that purchase. Enter is
    refused beside the reason, which stays, and nothing is written."""
    kwame = customers.create_customer(ctx, team.sam, name="Kwame Mensah")
    flagged_visit = visits.new_walk_in(ctx, team.sam, customer_id=kwame, claim=True)
    clock.moment = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    closing.close_day(ctx, team.lead, seen=closing.close_day_preview(ctx, team.lead).seen)
    clock.moment = datetime(2026, 11, 20, 18, 5, tzinfo=UTC)
    later = visits.new_walk_in(ctx, team.alex, customer_id=kwame, claim=True)
    clock.moment = datetime(2026, 11, 20, 18, 10, tzinfo=UTC)
    visits.end_visit(ctx, team.alex, later, Outcome.PURCHASE)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        review = await open_end_of_day(pilot, app)
        review.query_one("#flagged-table", DataTable).focus()
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "He is still here")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer") == (
            "Kwame Mensah came back at 18:05, and that visit ended at 18:10; "
            "if they are still here, reopen that visit or start a new one."
        )
        assert dialog.query_one("#answer", Input).value == "He is still here"
    assert ended(ctx, [flagged_visit, later]) == [True, True]
    with ctx.database.read() as session:
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "visit.reopened")).all() == []


async def test_z_on_a_customer_reopens_their_visit_ended_by_mistake(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    thank_you = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE).thank_you_id
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "bob")
        assert isinstance(app.screen, FindCustomerScreen)
        app.screen.search()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.visit_id is None
        await pilot.press("z")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "No purchase really")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.visit_id == visit_id
        assert "You" not in plain(screen.query_one("#owner-banner", Static).visual)
        assert "Sam owns this customer" in plain(screen.query_one("#owner-banner", Static).visual)
    assert ended(ctx, [visit_id]) == [False]
    with ctx.database.read() as session:
        assert session.get(FollowUp, thank_you).status == FollowUpStatus.CANCELLED  # type: ignore[union-attr]


async def test_a_reopen_refused_keeps_the_reason_in_the_prompt(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Midnight passes while Dana types why: Enter is refused (a visit is reopened only on
    the day it ended) beside the reason, which stays, and the visit stays ended."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "bob")
        assert isinstance(app.screen, FindCustomerScreen)
        app.screen.search()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "No purchase really")
        clock.advance(days=1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer") == (
            "A visit can be reopened only on the day it ended. If they are here, start a new visit."
        )
        assert dialog.query_one("#answer", Input).value == "No purchase really"
    assert ended(ctx, [visit_id]) == [True]


async def test_a_follow_up_cancelled_by_mistake_is_restored_from_my_follow_ups(
    ctx: ShopContext, team: Team
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    customers.record_consent(ctx, team.sam, bob, "phone", granted=True, source="asked")
    call = followups.add_callback(ctx, team.sam, bob, about="repair quote")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "wrong customer")
        await pilot.press("enter")
        await settle(pilot)
        rows = table_rows(screen.query_one(DataTable))
        assert [row[0] for row in rows][-2:] == ["CANCELLED TODAY (1)", "today 17:30"]
        await pilot.press("ctrl+end")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "It was him after all")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Restored."
        assert "CANCELLED TODAY (1)" not in [row[0] for row in table_rows(screen.query_one(DataTable))]
    with ctx.database.read() as session:
        assert session.get(FollowUp, call).status == FollowUpStatus.OPEN  # type: ignore[union-attr]


async def test_a_restore_refused_keeps_the_reason_in_the_prompt(ctx: ShopContext, team: Team) -> None:
    """Dana restores Sam's follow-up at another terminal while Sam types why: Sam's Enter is
    refused beside the reason, which stays, and restores nothing a second time."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    customers.record_consent(ctx, team.sam, bob, "phone", granted=True, source="asked")
    call = followups.add_callback(ctx, team.sam, bob, about="repair quote")
    followups.cancel_followup(ctx, team.sam, call, reason="wrong customer")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(pilot)
        await pilot.press("ctrl+end", "u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "It was him after all")
        reversals.restore_followup(ctx, team.lead, call, "Bob rang back")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer") == "This follow-up is not cancelled; there is nothing to restore."
        assert dialog.query_one("#answer", Input).value == "It was him after all"
    with ctx.database.read() as session:
        restored = session.exec(select(AuditEvent).where(AuditEvent.action == "followup.restored")).all()
    assert [event.actor_id for event in restored] == [team.lead.staff_id]


async def test_the_close_names_the_hand_off_it_cancels_and_u_brings_it_back(
    ctx: ShopContext, team: Team, floor: list[int]
) -> None:
    """Sam asked for Alex to take the red coat: the close dialog says it cancels that
    request, the close says so, and undoing the close puts it back waiting for a lead."""
    asked = handoffs.request_handoff(ctx, team.sam, floor[0], team.alex.staff_id or 0, "Alex knows coats")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CloseDayDialog)
        summary = plain(dialog.query_one("#close-summary", Static).visual)
        assert "It cancels 1 pending hand-off request:\n  • red coat: Sam → Alex\n" in summary
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == (
            "Day closed: 4 open visits ended as left at close and flagged for review. "
            "1 pending hand-off request cancelled. u undoes it today and brings them back."
        )
        await pilot.press("u")
        await settle(pilot)
        assert "and brings back 1 pending hand-off request. Why?" in screen_text(app.screen)
        await type_text(pilot, "the drill was called off")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == (
            "Day close undone: 4 visits back on the floor. 1 pending hand-off request is waiting again."
        )
    assert [request.id for request in handoffs.pending_handoffs(ctx, team.lead)] == [asked]


async def test_u_undoes_only_the_close_it_showed_and_says_so_when_another_lead_undid_it(
    ctx: ShopContext, team: Team, floor: list[int]
) -> None:
    """Dana's dialog shows the second close (1 visit); Priya undoes that close at another
    terminal meanwhile; Dana's Enter undoes nothing else and says who undid it in the
    dialog, which keeps her reason."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await settle(pilot)
        kiosk = visits.new_walk_in(ctx, team.alex, description="kiosk check-in")
        preview = closing.close_day_preview(ctx, team.lead)
        second = closing.close_day(ctx, team.lead, seen=preview.seen, reason="fire drill")
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        assert "Undoing it reopens 1 visit" in screen_text(dialog)
        priya = staff.add_staff(ctx, team.lead, name="Priya", pin="7777", role="lead").id
        reversals.undo_day_close(ctx, staff.sign_in(ctx, priya, "7777"), second.day_close_id, "kiosk")
        await type_text(pilot, "closed twice")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "Priya undid this close at 11:46." in beside(dialog, "answer")
        assert dialog.query_one("#answer", Input).value == "closed twice"
    assert ended(ctx, floor) == [True] * 4
    assert ended(ctx, [kiosk]) == [False]
    with ctx.database.read() as session:
        undone = [close.id for close in session.exec(select(DayClose)) if close.undone_at is not None]
    assert undone == [second.day_close_id]


async def test_o_and_v_act_only_on_a_highlight_the_lead_can_see(
    ctx: ShopContext, team: Team, floor: list[int], clock: ManualClock
) -> None:
    """Found by a tester at 80×24: with a day's unreturned calls filling the screen, the
    flagged visits were below the fold; 7, ↓ and v opened "Reviewed: …" and End then o
    reopened a visit nobody could see. A key now acts only on a highlight on screen: the
    first brings the list into view and says to pick, the next acts on what is shown."""
    clock.moment = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    closing.close_day(ctx, team.lead, seen=closing.close_day_preview(ctx, team.lead).seen)
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    for call in range(20):
        clock.moment = datetime(2026, 11, 20, 12, call, tzinfo=UTC)
        followups.add_callback(
            ctx, team.sam, bob, about=f"Call {call} about the order", consent_source="asked at the counter"
        )
    clock.moment = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        review = await open_end_of_day(pilot, app)
        table = review.query_one("#flagged-table", FittedTable)
        await pilot.press("down", "v")
        await settle(pilot)
        assert app.screen is review
        assert app.messages[-1].startswith("Highlight a flagged visit first")
        assert table.highlight_in_view()
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        assert table.picked_row_key() in {str(visit_id) for visit_id in floor}


async def test_u_says_what_changed_since_it_was_opened_keeps_the_reason_and_undoes_what_it_then_shows(
    ctx: ShopContext, team: Team, floor: list[int]
) -> None:
    """Found by a tester: "reopens 10 visits" was shown, another lead reopened one of them,
    and Enter undid 9 without a word. Now Enter is refused beside the reason with what it
    would do now, the prompt says so, and the next Enter undoes that."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_end_of_day(pilot, app)
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "fire drill")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        assert "Undoing it reopens 4 visits" in screen_text(dialog)
        reversals.reopen_visit(ctx, team.lead, floor[0], "red coat is still here")
        await type_text(pilot, "the drill was called off")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer").startswith(
            "Since you opened this, what undoing the close would do changed: it now reopens 3 visits"
        )
        assert "Undoing it reopens 3 visits" in screen_text(dialog)
        assert dialog.query_one("#answer", Input).value == "the drill was called off"
        assert ended(ctx, floor) == [False, True, True, True]
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Day close undone: 3 visits back on the floor."
    assert ended(ctx, floor) == [False] * 4
