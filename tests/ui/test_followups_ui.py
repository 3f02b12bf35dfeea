"""My follow-ups: the thank-you queued by a purchase, completed with a personal line;
overdue ones stand out; promises and callbacks added from the customer view."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, FollowUpDue, FollowUpKind
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from counter_tui.ui.dialogs.snooze_followup import SnoozeDialog
from counter_tui.ui.screens.customer import CustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    open_followups,
    open_record,
    plain,
    quick_sign_in,
    settle,
    table_rows,
    type_text,
)


def bought_something(ctx: ShopContext, team: Team) -> int:
    """Bob's visit with Sam ended in a purchase; returns Bob's customer id."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, "purchase")
    return bob


def followups_of(ctx: ShopContext, kind: str) -> list[FollowUp]:
    """Every follow-up of one kind."""
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == kind)))


async def test_thank_you_is_listed_as_due_tomorrow(ctx: ShopContext, team: Team) -> None:
    """A Friday purchase's thank-you is upcoming, due Saturday 16:00, highlighted first."""
    bought_something(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        summary = plain(screen.query_one("#followups-summary", Static).visual)
        assert summary == "0 overdue · 0 due today · 1 upcoming"
        rows = table_rows(screen.query_one(DataTable))
        assert [row[0] for row in rows] == ["OVERDUE (0)", "DUE TODAY (0)", "UPCOMING (1)", "tomorrow 16:00"]
        assert rows[-1][1:] == ["thank-you", "Bob Jones", "in person at next visit", "personal line needed"]
        selected = screen.selected()
        assert selected is not None and selected.kind == FollowUpKind.THANK_YOU


async def test_perfunctory_line_is_refused_in_the_dialog_then_a_good_one_completes(
    ctx: ShopContext, team: Team
) -> None:
    """Enter on the thank-you asks for a personal line. Template words alone are refused
    with the reason shown in the dialog, which stays open with what was typed; a line of
    your own closes it and checks the thank-you off."""
    bought_something(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CompleteFollowUpDialog)
        assert app.focused is dialog.query_one("#personal", Input)
        await type_text(pilot, "Thanks for visiting the shop today")
        await pilot.press("tab")
        await type_text(pilot, "Thanked him at the till")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        error = plain(dialog.query_one("#personal-error", Static).visual)
        assert error == (
            "Add a few words of your own about their visit (at least 3 beyond the template "
            "and thanks), e.g. 'Hope the blue kettle suits the new kitchen'."
        )
        assert dialog.query_one("#done", Input).value == "Thanked him at the till"
        assert followups_of(ctx, FollowUpKind.THANK_YOU)[0].status == "open"

        assert app.focused is dialog.query_one("#personal", Input), "the refused field takes the keys"
        dialog.query_one("#personal", Input).value = ""
        await type_text(pilot, "Enjoy the new cordless drill on the shed")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[-1] == "Checked off."
        assert plain(screen.query_one("#followups-summary", Static).visual) == (
            "0 overdue · 0 due today · 0 upcoming"
        )
    [thank_you] = followups_of(ctx, FollowUpKind.THANK_YOU)
    assert thank_you.status == "done"
    assert thank_you.personal_line == "Enjoy the new cordless drill on the shed"
    assert thank_you.outcome_note == "Thanked him at the till"
    assert thank_you.done_by == team.sam.staff_id


async def test_overdue_thank_you_stands_out(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    """Past its due time the thank-you moves to OVERDUE and the summary says so."""
    bought_something(ctx, team)
    clock.advance(days=3)  # Monday 11:00
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        assert plain(screen.query_one("#followups-summary", Static).visual).startswith("1 overdue")
        rows = table_rows(screen.query_one(DataTable))
        assert rows[0][0] == "OVERDUE (1)"
        assert rows[1][:3] == ["Sat 21 Nov 16:00", "thank-you", "Bob Jones"]


async def test_cancel_asks_why(ctx: ShopContext, team: Team) -> None:
    """x on a follow-up asks for the reason and cancels it."""
    bought_something(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_followups(pilot)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "Bob came back in and we chatted")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Cancelled."
    [thank_you] = followups_of(ctx, FollowUpKind.THANK_YOU)
    assert thank_you.status == "cancelled"


async def test_promise_from_the_customer_view_is_due_when_said(ctx: ShopContext, team: Team) -> None:
    """m on a customer: what was promised and by when; it lands in My follow-ups."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "Order the blue kettle")
        await pilot.press("tab")
        understood = app.screen.query_one("#due-understood", Static)
        assert plain(understood.visual) == "Due Sat 21 Nov, 16:00 (tomorrow)"
        await type_text(pilot, "fri")
        assert plain(understood.visual) == "Due Fri 20 Nov, 17:30 (today)"
        await pilot.press("ctrl+u")
        await type_text(pilot, "mon 12:00")
        assert plain(understood.visual) == "Due Mon 23 Nov, 12:00"
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Promise recorded."
        owed = plain(app.screen.query_one("#followups-block", Static).visual)
        assert "promise" in owed and "Mon 23 Nov 12:00" in owed and "Order the blue kettle" in owed
        await pilot.press("escape")
        await pilot.press("f")
        await settle(pilot)
        rows = table_rows(app.screen.query_one(DataTable))
        assert rows[-1][:4] == ["Mon 23 Nov 12:00", "promise", "Bob Jones", "in person at next visit"]
    [promise] = followups_of(ctx, FollowUpKind.PROMISE)
    assert promise.due_at == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert promise.owner_id == team.sam.staff_id


async def test_a_callback_on_a_colleagues_customer_says_whose_it_is(ctx: ShopContext, team: Team) -> None:
    """Sam, on the record of a customer Alex is serving, queues a callback: it is Alex's,
    and Sam is told so (it read "Callback queued.", and Sam expected to make the call)."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    visits.new_walk_in(ctx, team.alex, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, CallbackDialog)
        await type_text(pilot, "Is the mitre saw back in stock")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.messages[-1] == "Callback queued for Alex, who owns this customer."
    [callback] = followups_of(ctx, FollowUpKind.CALLBACK)
    assert callback.owner_id == team.alex.staff_id


async def test_callback_needs_consent_asked_in_the_dialog(ctx: ShopContext, team: Team) -> None:
    """b on a customer who never agreed to calls: the dialog says to ask and stays open;
    ticking "agreed just now" queues the callback, due before today's close."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CallbackDialog)
        await type_text(pilot, "Is the mitre saw back in stock")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert plain(dialog.query_one("#channel-error", Static).visual).startswith(
            "No consent on file for phone."
        )
        assert app.focused is dialog.query_one("#channel"), "the refused field takes the keys"
        await pilot.press("tab", "space", "enter")  # tick "agreed just now"
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.messages[-1] == "Callback queued."
        assert "callback      due today 17:30" in plain(
            app.screen.query_one("#followups-block", Static).visual
        )
    [callback] = followups_of(ctx, FollowUpKind.CALLBACK)
    assert callback.due_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)


async def test_promise_refuses_a_past_time_and_an_unconsented_channel_in_the_dialog(
    ctx: ShopContext, team: Team
) -> None:
    """A due time already passed, or email for someone who never agreed to email, is
    explained in the dialog; nothing is recorded until it is put right."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", email="bob@example.com")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromiseDialog)
        await type_text(pilot, "Keep the last red kettle aside")
        await pilot.press("tab")
        await type_text(pilot, "today 09:00")
        passed = "Fri 20 Nov, 09:00 has already passed; pick a time in the future."
        assert plain(dialog.query_one("#due-understood", Static).visual) == passed  # before Enter
        await pilot.press("enter")
        await settle(pilot)
        error = dialog.query_one("#due-error", Static)
        assert plain(error.visual) == passed
        await pilot.press(*["backspace"] * 5)
        await type_text(pilot, "16:00")
        await pilot.press("tab", "down", "down", "down", "space", "enter")  # email
        await settle(pilot)
        assert app.screen is dialog
        assert not error.display, "the due time is right now; only the channel is wrong"
        assert plain(dialog.query_one("#channel-error", Static).visual).startswith(
            "No consent on file for email."
        )
        assert followups_of(ctx, FollowUpKind.PROMISE) == []
        await pilot.press("up", "up", "up", "space", "enter")  # in person
        await settle(pilot)
        assert app.messages[-1] == "Promise recorded."
    [promise] = followups_of(ctx, FollowUpKind.PROMISE)
    assert (promise.channel, promise.due_at) == ("in_person", datetime(2026, 11, 20, 16, 0, tzinfo=UTC))


async def open_snooze(pilot: Pilot[None]) -> SnoozeDialog:
    """Sam's follow-ups, and s on the first: the snooze dialog."""
    await open_followups(pilot)
    await pilot.press("s")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, SnoozeDialog)
    return dialog


async def test_snooze_shows_the_time_understood_and_asks_why(ctx: ShopContext, team: Team) -> None:
    """s on a follow-up: the time typed is shown as understood; without a reason, or at a
    time already passed, the dialog says so beside the box; then the follow-up moves and
    its first due time and the move are kept."""
    bought_something(ctx, team)
    [thank_you] = followups_of(ctx, FollowUpKind.THANK_YOU)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_snooze(pilot)
        await type_text(pilot, "today 09:00")
        await pilot.press("enter")
        await settle(pilot)
        assert plain(dialog.query_one("#reason-error", Static).visual).startswith("Say why it is moved")
        assert app.focused is dialog.query_one("#reason", Input)
        await type_text(pilot, "Bob is away until Monday")
        await pilot.press("enter")
        await settle(pilot)
        assert plain(dialog.query_one("#due-error", Static).visual) == (
            "Fri 20 Nov, 09:00 has already passed; pick a time in the future."
        )
        assert app.focused is dialog.query_one("#due", Input)
        await pilot.press(*["backspace"] * 11)
        await type_text(pilot, "mon 10:00")
        await settle(pilot)
        assert plain(dialog.query_one("#due-understood", Static).visual) == "Due Mon 23 Nov, 10:00"
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1].startswith("Snoozed until ")
    [snoozed] = followups_of(ctx, FollowUpKind.THANK_YOU)
    assert (snoozed.due_at, snoozed.original_due_at) == (
        datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        thank_you.due_at,
    )
    with ctx.database.read() as session:
        [move] = session.exec(select(FollowUpDue)).all()
    assert (move.from_due_at, move.reason, move.moved_by) == (
        thank_you.due_at,
        "Bob is away until Monday",
        team.sam.staff_id,
    )


async def test_snoozing_more_than_a_year_ahead_is_refused_keeping_what_was_typed(
    ctx: ShopContext, team: Team
) -> None:
    """By keys: "9999-12-31 23:30" (a slipped digit) shows the furthest day it may be
    instead of raising OverflowError; Enter refuses it beside the box with the typing
    kept; a day next year reads with its year; nothing moves until a day within reach."""
    bought_something(ctx, team)
    [thank_you] = followups_of(ctx, FollowUpKind.THANK_YOU)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_snooze(pilot)
        too_far = "A follow-up can be due at most a year ahead: pick a day up to Sat 20 Nov 2027."
        await type_text(pilot, "9999-12-31 23:30")
        await settle(pilot)
        assert plain(dialog.query_one("#due-understood", Static).visual) == too_far
        await pilot.press("tab")
        await type_text(pilot, "Bob is abroad")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert plain(dialog.query_one("#due-error", Static).visual) == too_far
        shown = [plain(line.visual) for line in dialog.query(Static) if line.display]
        assert shown.count(too_far) == 1, "said once, beside the box (the live reading steps aside)"
        assert app.focused is dialog.query_one("#due", Input)
        assert dialog.query_one("#due", Input).value == "9999-12-31 23:30"
        assert dialog.query_one("#reason", Input).value == "Bob is abroad"
        assert followups_of(ctx, FollowUpKind.THANK_YOU)[0].due_at == thank_you.due_at
        await pilot.press(*["backspace"] * 16)
        await type_text(pilot, "4/1 10:00")
        await settle(pilot)
        assert dialog.query_one("#due-understood", Static).display
        assert plain(dialog.query_one("#due-understood", Static).visual) == "Due Mon 4 Jan 2027, 10:00"
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Snoozed until 4 Jan 2027 10:00."
    [snoozed] = followups_of(ctx, FollowUpKind.THANK_YOU)
    assert snoozed.due_at == datetime(2027, 1, 4, 10, 0, tzinfo=UTC)


async def test_the_highlight_stays_on_its_follow_up_after_a_dialog_is_closed(
    ctx: ShopContext, team: Team
) -> None:
    """Esc from snooze, cancel, due history or done returns to the follow-up it was opened
    for: the next key must act on the row the person is looking at, not the first one."""
    for name in ("Ann Ash", "Ben Birch", "Cy Cedar"):
        person = customers.create_customer(ctx, team.sam, name=name)
        visit_id = visits.new_walk_in(ctx, team.sam, customer_id=person, claim=True)
        visits.end_visit(ctx, team.sam, visit_id, "purchase")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("down")
        await settle(pilot)
        chosen = screen.selected()
        first = next(iter(screen.items.values()))
        assert chosen is not None and chosen.id != first.id
        for key in ("s", "x", "h", "enter"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is not screen, key
            if key in ("s", "x"):
                title = plain(app.screen.query_one(".dialog-title", Label).visual)
                assert title.endswith(f"thank-you for {chosen.customer_name}"), title
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
            selected = screen.selected()
            assert selected is not None and selected.id == chosen.id, key


async def test_arrows_then_enter_in_one_burst_check_off_the_follow_up_the_arrows_reached(
    ctx: ShopContext, team: Team
) -> None:
    """Down, Enter typed in one burst opens "Done" for the second follow-up: Enter waits
    its turn behind the arrow typed before it (a priority Enter opened the first one)."""
    for name in ("Ann Ash", "Ben Birch", "Cy Cedar"):
        person = customers.create_customer(ctx, team.sam, name=name)
        visit_id = visits.new_walk_in(ctx, team.sam, customer_id=person, claim=True)
        visits.end_visit(ctx, team.sam, visit_id, "purchase")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        names = [item.customer_name for item in screen.items.values()]
        for key in ("down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert isinstance(app.screen, CompleteFollowUpDialog)
        title = plain(app.screen.query_one(".dialog-title", Label).visual)
        assert title.endswith(names[1]), title


async def test_a_promise_made_on_saturday_is_not_due_on_sunday(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The dialog starts at the next day the shop is open (Monday's close, not Sunday),
    and a time typed on Sunday moves to Monday's opening, saying so before saving."""
    clock.advance(days=1)  # Saturday 21 Nov 11:00; closed on Sundays
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "Order the blue kettle")
        await pilot.press("tab")
        understood = app.screen.query_one("#due-understood", Static)
        assert plain(understood.visual) == "Due Mon 23 Nov, 17:30"
        await type_text(pilot, "sun 12:00")
        assert plain(understood.visual) == (
            "Due Mon 23 Nov, 09:00 (The shop is closed on Sun 22 Nov; moved to the next opening.)"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Promise recorded."
    [promise] = followups_of(ctx, FollowUpKind.PROMISE)
    assert promise.due_at == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
