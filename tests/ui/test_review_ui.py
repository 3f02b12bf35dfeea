"""The shift lead's review screen, driven by keyboard: tabs 1-7, deciding hand-offs,
filtering the hand-off log, reassigning a follow-up, acting on feedback, kudos on the
thanks wall, closing the day, and the needs-help alert on whatever screen the lead is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, HandoffRequest, Visit
from counter_tui.errors import AlreadyOwned
from counter_tui.services import changes, customers, feedback, followups, handoffs, kudos, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.review_views import KudosView
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.dialogs.feedback import FeedbackDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.review.close_day import CloseDayDialog
from counter_tui.ui.review.feedback_board import FeedbackBoardPane
from counter_tui.ui.review.kudos_wall import kudos_lines
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.screens.review import ReviewScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows, type_text

TAB_KEYS = {
    "1": "handoffs",
    "2": "health",
    "3": "followups",
    "4": "scorecard",
    "5": "feedback",
    "6": "kudos",
    "7": "end_of_day",
}


async def open_review(pilot: Pilot[None], app: StaffApp, tab_key: str | None = None) -> ReviewScreen:
    """Sign Dana in, press l, and (optionally) a tab's number."""
    await quick_sign_in(pilot, "dana", "1111")
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    if tab_key is not None:
        await pilot.press(tab_key)
        await settle(pilot)
        assert app.screen.active_tab == TAB_KEYS[tab_key]
    return app.screen


def rows(screen: ReviewScreen, table_id: str) -> list[list[str]]:
    """A review table's rows as plain strings."""
    return table_rows(screen.query_one(f"#{table_id}", DataTable))


def shown(screen: ReviewScreen, static_id: str) -> str:
    """What a Static shows, without styles."""
    return plain(screen.query_one(f"#{static_id}", Static).visual)


def the_request(ctx: ShopContext) -> HandoffRequest:
    """The only hand-off request."""
    with ctx.database.read() as session:
        [request] = session.exec(select(HandoffRequest)).all()
        return request


def followups_of(ctx: ShopContext, customer_id: int) -> list[FollowUp]:
    """A customer's follow-ups, oldest first."""
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.customer_id == customer_id)))


def footer_keys(app: StaffApp) -> set[str]:
    """The keys the current screen offers (as the footer lists them)."""
    return {key for key, active in app.active_bindings.items() if active.binding.show and active.enabled}


async def test_an_associate_gets_no_lead_review_key(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        assert "l" not in footer_keys(app)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert not app.screen_stack[-1:] or not isinstance(app.screen_stack[-1], ReviewScreen)

        await pilot.press("ctrl+l")
        await quick_sign_in(pilot, "dana", "1111")
        assert "l" in footer_keys(app)


async def test_number_keys_switch_tabs_and_each_tab_offers_its_own_keys(ctx: ShopContext, team: Team) -> None:
    """l opens on floor health; 1-7 switch; a/d only on hand-offs, r on follow-ups,
    k/x on feedback, t on kudos, c/v on end of day."""
    app = StaffApp(ctx)
    own_keys = {
        "handoffs": {"a", "d"},
        "health": set(),
        "followups": {"r"},
        "scorecard": set(),
        "feedback": {"k", "x"},
        "kudos": {"t"},
        "end_of_day": {"c", "v"},
    }
    pane_keys = set().union(*own_keys.values())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app)
        assert screen.active_tab == "health"
        for key in ("7", "1", "4", "2", "6", "3", "5"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
            assert screen.active_tab == TAB_KEYS[key]
            assert footer_keys(app) & pane_keys == own_keys[TAB_KEYS[key]]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_lead_approves_a_hand_off_from_the_first_tab(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The log shows when it was asked, and who decided and when."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "1")
        assert rows(screen, "pending-table") == [
            ["11:00", "0 min", "bike repair", "Sam", "Alex", "Alex fixes bikes"]
        ]
        clock.advance(minutes=7)
        await pilot.press("a")
        await settle(pilot)
        assert app.messages[-1] == "Approved: bike repair is now with Alex (from Sam)."
        assert rows(screen, "pending-table") == []
        [logged] = rows(screen, "log-table")
        assert logged == [
            "today 11:00",
            "approved hand-off",
            "bike repair",
            "Dana 11:07",
            "Sam",
            "Alex",
            "Alex fixes bikes",
        ]
    assert the_request(ctx).status == "approved"
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.owner_id == team.alex.staff_id


async def test_lead_denies_with_a_note_and_the_requester_is_told(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="returns", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "end of shift")
    before_decision = changes.latest_event_id(ctx)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "1")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "Sam is here till six")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[-1] == "Denied: returns stays with Sam."
        assert rows(screen, "pending-table") == []
    request = the_request(ctx)
    assert (request.status, request.decision_note) == ("denied", "Sam is here till six")

    # Sam's terminal hears of the decision through what the change feed delivers.
    decided = tuple(changes.changes_since(ctx, before_decision))
    assert "handoff.denied" in [change.action for change in decided]
    sams = StaffApp(ctx)
    async with sams.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        sams.apply_feed_event(FeedEvent(online=True, changes=decided))
        await settle(pilot)
        assert sams.messages[-1] == (
            "Dana denied your hand-off of returns: Sam is here till six. You keep the customer."
        )


async def test_hand_off_log_filters_by_day_staff_and_reason(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Yesterday Sam passed the green coat to Alex; today Alex asked to pass the red hat to
    Sam and Sam was blocked from claiming it. The filter takes 'today', a first name and
    reason words, in any mix."""
    clock.moment = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)
    coat = visits.new_walk_in(ctx, team.sam, description="green coat", claim=True)
    handoffs.approve_handoff(
        ctx, team.lead, handoffs.request_handoff(ctx, team.sam, coat, team.alex.staff_id or 0, "knows paint")
    )
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    hat = visits.new_walk_in(ctx, team.alex, description="red hat", claim=True)
    handoffs.request_handoff(ctx, team.alex, hat, team.sam.staff_id or 0, "needs a tiler")
    clock.moment = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    with pytest.raises(AlreadyOwned):
        visits.claim_visit(ctx, team.sam, hat)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "1")

        def log() -> list[tuple[str, str]]:
            return [(row[1], row[2]) for row in rows(screen, "log-table")]

        assert log() == [
            ("blocked claim", "red hat"),
            ("pending hand-off", "red hat"),
            ("approved hand-off", "green coat"),
        ]
        await pilot.press("slash")
        for typed, expected in (
            ("today", [("blocked claim", "red hat"), ("pending hand-off", "red hat")]),
            ("today tiler", [("pending hand-off", "red hat")]),
            ("dana", [("approved hand-off", "green coat")]),
            ("alex paint", [("approved hand-off", "green coat")]),
            ("2026-11-19", [("approved hand-off", "green coat")]),
            ("sam sofa", []),
        ):
            screen.query_one("#log-filter", Input).value = ""
            await type_text(pilot, typed)
            await settle(pilot)
            assert log() == expected, typed


async def test_lead_reassigns_a_follow_up_from_the_third_tab(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    callback = followups.add_callback(ctx, team.sam, bob, about="repair quote")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "3")
        [row] = rows(screen, "oversight-table")
        assert row[0] == "Sam" and row[3:] == ["Bob Jones", "phone", "repair quote"]
        assert plain(screen.query_one("#calls-summary", Static).visual) == (
            "Overdue or due today: 1 · Unreturned calls before close: 1"
        )
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StaffPickerDialog)
        await pilot.press("space", "enter")  # Alex, the first colleague who is not the owner
        await type_text(pilot, "Sam is off until Monday")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        [row] = rows(screen, "oversight-table")
        assert row[0] == "Alex"
    [item] = followups_of(ctx, bob)
    assert (item.id, item.owner_id) == (callback, team.alex.staff_id)


async def test_follow_up_oversight_at_80_columns_says_what_it_lists_and_shows_whole_due_times(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The title counts the rows below it (with the unreturned calls beside it, not as the
    list's title), and a due time is never cut ("! Mon 2 Nov 1…" hid the hour; with long
    names and words beside it, "! Thu 12 Nov 17:…" on the demo shop)."""
    bob = customers.create_customer(
        ctx, team.sam, name="Bartholomew Featherstonehaugh-Smythe", phone="07700 900123", opted_in=["phone"]
    )
    promise = "order the blue enamel lid for the large casserole dish from the supplier"
    followups.add_promise(ctx, team.sam, bob, promise=promise, due_at=ctx.now() + timedelta(hours=1))
    clock.advance(days=3)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot, app, "3")
        summary = plain(screen.query_one("#calls-summary", Static).visual)
        [row] = rows(screen, "oversight-table")
        due = screen.query_one("#oversight-table", FittedTable).ordered_columns[1]
    assert summary == "Overdue or due today: 1, 1 overdue · Unreturned calls before close: none"
    assert row[1] == "! Fri 20 Nov 12:00" and len(row[1]) <= due.width, (row[1], due.width)


async def test_feedback_board_at_80_columns_shows_its_keys_and_whole_last_raised_times(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """At 80×24 the Feedback tab's line of keys is read whole and "Last raised" is never cut
    ("Wed 25 Nov …" hid the hour; the keys line lost "x acted on")."""
    for topic in ("parking at the back of the shop", "opening hours on bank holidays"):
        feedback.record_feedback(ctx, team.sam, body="Nowhere to park", rating=2, topics=[topic])
    clock.advance(days=3)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot, app, "5")
        await pilot.press("k")  # acknowledged, then raised again since: the longest status
        await settle(pilot)
        feedback.record_feedback(ctx, team.sam, body="Still", topics=["parking at the back of the shop"])
        await settle(pilot)
        screen.query_one(FeedbackBoardPane).reload()
        await settle(pilot)
        table = screen.query_one("#topics-table", FittedTable)
        last_raised = [plain(table.get_row_at(at)[4]) for at in range(table.row_count)]
        title = screen.query_one("FeedbackBoardPane .section-title", Static)
        title_fits = title.region.right <= title.parent.content_region.right
    assert len(last_raised) == 2 and not [shown for shown in last_raised if shown.endswith("…")], last_raised
    assert title_fits, plain(title.visual)


async def test_lead_acknowledges_and_acts_on_a_feedback_topic(ctx: ShopContext, team: Team) -> None:
    """Bob (email consent) and Cara (no consent) raised parking; acting on it queues a
    status update for Bob only, owned by Sam who heard him, and says so."""
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", email="bob@example.com", opted_in=["email"]
    )
    cara = customers.create_customer(ctx, team.alex, name="Cara Lee")
    feedback.record_feedback(
        ctx, team.sam, body="Nowhere to park", customer_id=bob, rating=2, topics=["parking"]
    )
    feedback.record_feedback(ctx, team.alex, body="Parking is hard", customer_id=cara, topics=["Parking"])
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "5")
        [row] = rows(screen, "topics-table")
        assert (row[0], row[1], row[2], row[5]) == ("parking", "2", "2", "new")
        await pilot.press("k")
        await settle(pilot)
        assert rows(screen, "topics-table")[0][5] == "acknowledged"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "Ten more spaces out back")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[-1] == (
            "Marked acted on. 1 customer will be updated; 1 can't be contacted (no consent)."
        )
        [row] = rows(screen, "topics-table")
        assert (row[5], row[6]) == ("acted on", "Ten more spaces out back")
    [update] = followups_of(ctx, bob)
    assert (update.kind, update.channel, update.owner_id) == (
        "feedback_acted_on",
        Channel.EMAIL,
        team.sam.staff_id,
    )
    assert "Ten more spaces out back" in update.summary
    assert followups_of(ctx, cara) == []


async def test_kudos_given_on_the_sixth_tab_show_on_everyones_thanks_wall(
    ctx: ShopContext, team: Team
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        assert not app.screen.query_one("#thanks-wall").display
        await pilot.press("l", "6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StaffPickerDialog)
        await pilot.press("down", "down", "enter")  # Alex, Sam: Sam
        await type_text(pilot, "Stayed late to fit Mrs Green's wheelchair ramp")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert shown(screen, "kudos-body") == (
            "★ Sam — Stayed late to fit Mrs Green's wheelchair ramp (Dana, today 11:00)"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        wall = plain(app.screen.query_one("#thanks-wall", Static).visual)
        assert "Sam — Stayed late to fit Mrs Green's wheelchair ramp (Dana, today 11:00)" in wall

        await pilot.press("ctrl+l")
        await quick_sign_in(pilot, "alex", "3333")
        assert isinstance(app.screen, FloorScreen)
        wall = plain(app.screen.query_one("#thanks-wall", Static).visual)
        assert wall.startswith("Thanks wall\n★ Sam — Stayed late")


LONG_KUDOS = (
    "Stayed an hour after close on Saturday to help Mrs Featherstonehaugh choose a wedding present for her "
    "granddaughter, rang two suppliers about the blue enamel casserole that was out of stock, arranged "
    "delivery to the venue on the day, and wrote the card for her because her hands were sore; then phoned "
    "on Monday to check it had arrived safely [/] [@click=app.quit]x[/] \u202eevil\x1b]0;t\x07 🎉 the end"
)


async def test_a_long_kudos_is_read_whole_on_the_kudos_tab_at_80_by_24(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """A kudos of 400 characters was cut after 80 ("choose a w…") on the Kudos tab, the
    wall's one place to read every thanks: it wraps whole there (markup and controls shown
    plain), and with more thanks than the screen holds, the wall scrolls by keys to the
    oldest."""
    for index in range(19):  # with the long one, the wall's twenty
        kudos.give_kudos(
            ctx, team.lead, team.alex.staff_id or 0, f"Kept the queue calm at the till, day {index}"
        )
        clock.advance(hours=1)
    kudos.give_kudos(ctx, team.lead, team.sam.staff_id or 0, LONG_KUDOS)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot, app, "6")
        wall = " ".join(shown(screen, "kudos-body").split())
        assert "wrote the card for her because her hands were sore" in wall
        assert "[/] [@click=app.quit]x[/] evil]0;t 🎉 the end (Dana, today 06:00)" in wall, wall
        assert "day 0 " not in drawn_screen(app)  # the oldest, below the screen's edge
        await pilot.press("end")  # the wall has the keys once its tab is shown: to its end
        await settle(pilot)
        assert "Kept the queue calm at the till, day 0 " in drawn_screen(app)
        assert app.is_running


def test_a_whole_kudos_is_no_longer_than_the_services_allow() -> None:
    """Whole is what a lead could write (500 characters, names of 80): a thanks stored
    behind the services' back (an import, an older version) with 5,000 characters and a
    5,000-character name is cut there, not spread over the wall."""
    huge = KudosView(1, 2, "N" * 5000, "F" * 5000, "x" * 5000, datetime(2026, 11, 20, 11, tzinfo=UTC))
    shown = kudos_lines((huge,), ["today 11:00"], whole=True).plain
    assert (shown.count("N"), shown.count("F"), shown.count("x")) == (79, 79, 499)  # and "…"


def drawn_screen(app: StaffApp) -> str:
    """Every line of the terminal as drawn now."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_closing_the_day_flags_the_visits_left_open_and_each_can_be_reviewed(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    visits.new_walk_in(ctx, team.sam, description="man with a dog")
    clock.moment = datetime(2026, 11, 20, 17, 40, tzinfo=UTC)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "7")
        flagged: DataTable[object] = screen.query_one("#flagged-table", DataTable)
        assert table_rows(flagged) == [["none", "", "", ""]]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CloseDayDialog)  # after closing time: Enter confirms
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == (
            "Day closed: 2 open visits ended as left at close and flagged for review. u undoes it today."
        )
        rows = table_rows(flagged)
        assert sorted(row[1:] for row in rows) == [
            ["man with a dog", "left (closed at end of day)", "nobody"],
            ["red coat", "left (closed at end of day)", "Sam"],
        ]
        flagged.focus()
        flagged.move_cursor(row=1)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "Left while we were closing up")
        await pilot.press("enter")
        await settle(pilot)
        assert [row[1] for row in table_rows(flagged)] == [rows[0][1]]
    assert visit_views.floor_board(ctx) == []


async def test_needs_help_alert_reaches_the_lead_on_another_screen_once(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Dana is on My follow-ups. Nothing until the needs-help customer has waited past the
    threshold; then one alert, not repeated on the next check; a second customer gets
    their own."""
    minutes = ctx.rules.thresholds.needs_help_escalate_minutes
    visits.new_walk_in(ctx, team.sam, description="man in a green coat", needs=["needs_help"])
    app = StaffApp(ctx)

    def alerts() -> list[str]:
        return [message for message in app.messages if "needs help and nobody has claimed" in message]

    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        app.check_escalations()
        await settle(pilot)
        assert alerts() == []

        clock.advance(minutes=minutes + 1)
        app.check_escalations()
        await settle(pilot)
        assert isinstance(app.screen, FollowUpsScreen)
        assert alerts() == [
            f"man in a green coat needs help and nobody has claimed them for {minutes + 1} min. "
            "Send someone, or go yourself."
        ]
        clock.advance(minutes=5)
        app.check_escalations()
        await settle(pilot)
        assert len(alerts()) == 1

        visits.new_walk_in(ctx, team.alex, description="woman with a pram", needs=["needs_help"])
        clock.advance(minutes=minutes + 1)
        app.check_escalations()
        await settle(pilot)
        assert len(alerts()) == 2
        assert alerts()[1].startswith("woman with a pram needs help")


async def test_associates_get_no_escalation_alerts(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    visits.new_walk_in(ctx, team.alex, description="man in a green coat", needs=["needs_help"])
    clock.advance(minutes=ctx.rules.thresholds.needs_help_escalate_minutes + 5)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        app.check_escalations()
        await settle(pilot)
        assert not [message for message in app.messages if "needs help" in message]


async def test_feedback_recorded_with_f_on_the_customer_view_shows_on_the_board(
    ctx: ShopContext, team: Team
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await app.push_screen(CustomerScreen(visit_id=visit_id))
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackDialog)
        await type_text(pilot, "The fitting rooms are too dark")
        await pilot.press("tab", "4", "tab")
        await type_text(pilot, "lighting, fitting rooms")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Feedback recorded. Thank them for telling you."
        await pilot.press("escape")
        await settle(pilot)
        screen = await open_review_from_floor(pilot, app, "5")
        assert sorted((row[0], row[1], row[3]) for row in rows(screen, "topics-table")) == [
            ("fitting rooms", "1", "4.0"),
            ("lighting", "1", "4.0"),
        ]


async def open_review_from_floor(pilot: Pilot[None], app: StaffApp, tab_key: str) -> ReviewScreen:
    """From the floor board (already signed in as a lead): l, then a tab's number."""
    assert isinstance(app.screen, FloorScreen)
    await pilot.press("l", tab_key)
    await settle(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def test_feedback_board_drops_its_empty_message_when_feedback_arrives(
    ctx: ShopContext, team: Team
) -> None:
    """Live update: the board said there was no feedback; once some is recorded on another
    terminal and the tab reloads, that sentence goes and the topic is listed."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "5")
        assert shown(screen, "topic-detail") == "No feedback recorded in the last 30 days."
        feedback.record_feedback(ctx, team.sam, body="Queue was long", topics=["queues"])
        screen.reload()
        await settle(pilot)
        assert [row[0] for row in rows(screen, "topics-table")] == ["queues"]
        assert shown(screen, "topic-detail") == ""


async def test_downloads_are_offered_only_in_a_browser(ctx: ShopContext, team: Team) -> None:
    """In a terminal the download keys do nothing: Textual would save the file, personal data
    and all, in the downloads folder of a shared till (tests/browser/ download them)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "7")
        for action in ("download_report", "export_customers", "export_visits"):
            assert screen.check_action(action, ()) is False
        await pilot.press("s", "p", "w")
        await pilot.press("3")
        await settle(pilot)
        assert screen.check_action("export_followups", ()) is False
        await pilot.press("e")
        await settle(pilot)
        assert not any("downloading" in message for message in app.messages)
        assert app.screen is screen
