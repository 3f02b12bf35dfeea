"""The lead review by keys: the arrows reach the list a tab's keys act on, those keys act
only on a row the lead has visibly highlighted, and 1-7 switch tabs wherever the focus is.

Found by keys at 80×24: l, 1 showed the first pending request highlighted with the focus
on the tab bar, where ↓ moved nothing; the lead pressed ↓ then a, meaning the second
request ("Tall man"), and a approved the first ("Approved: Kwame Mensah is now with Sam
(from Jordan)."). After Tab into the hand-off log, 1-7 no longer switched tabs (Textual
moved the focus from the hidden log to the hidden pending list, whose tab then came back).
"""

from __future__ import annotations

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Tabs

from counter_tui.db.models import FollowUp, HandoffRequest
from counter_tui.services import customers, feedback, followups, handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.due_history import DueHistoryDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import TABS, ReviewScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, quick_sign_in, screen_text, settle, table_rows
from tests.ui.test_review_ui import TAB_KEYS, open_review

SMALL = (80, 24)
KEY_OF_TAB = {tab: key for key, tab in TAB_KEYS.items()}


def two_requests(ctx: ShopContext, team: Team) -> tuple[int, int]:
    """Sam asks to pass Kwame, then the tall man, to Alex: (Kwame's request, the tall man's)."""
    ids = []
    for who in ("Kwame Mensah", "Tall man in a green raincoat"):
        visit_id = visits.new_walk_in(ctx, team.sam, description=who, claim=True)
        ids.append(handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex knows"))
    return ids[0], ids[1]


def statuses(ctx: ShopContext) -> dict[int, str]:
    with ctx.database.read() as session:
        return {request.id or 0: request.status for request in session.exec(select(HandoffRequest))}


def pending(screen: ReviewScreen) -> FittedTable:
    return screen.query_one("#pending-table", FittedTable)


async def test_down_then_a_approves_the_second_request_the_one_highlighted(
    ctx: ShopContext, team: Team
) -> None:
    """l, 1: the list of requests has the keys (its highlight is the focused one); ↓ moves
    to the tall man, and a approves him, not Kwame."""
    kwame, tall_man = two_requests(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_review(pilot, app, "1")
        assert app.focused is pending(screen)
        await pilot.press("down")
        await settle(pilot)
        assert table_rows(pending(screen))[pending(screen).cursor_row][2].startswith("Tall man")
        await pilot.press("a")
        await settle(pilot)
        assert app.messages[-1].startswith("Approved: Tall man in a green raincoat is now with Alex")
    assert statuses(ctx) == {kwame: "pending", tall_man: "approved"}


async def test_from_the_tab_bar_down_reaches_the_requests_and_a_there_approves_nothing(
    ctx: ShopContext, team: Team
) -> None:
    """With the focus on the tab bar (Shift+Tab from the list), the highlight in the list
    is not the lead's choice: a approves nothing, says how to pick, and gives the list the
    keys. From the tab bar ↓ goes into the list too."""
    kwame, tall_man = two_requests(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_review(pilot, app, "1")
        await pilot.press("shift+tab")
        await settle(pilot)
        assert isinstance(app.focused, Tabs)
        await pilot.press("a")
        await settle(pilot)
        assert statuses(ctx) == {kwame: "pending", tall_man: "pending"}
        assert app.messages[-1].startswith("Highlight a hand-off request first")
        assert app.focused is pending(screen)
        await pilot.press("shift+tab")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.focused is pending(screen)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        assert "Deny the hand-off of Tall man in a green raincoat" in screen_text(app.screen)


async def test_a_request_gone_from_under_the_highlight_is_not_replaced_by_another(
    ctx: ShopContext, team: Team
) -> None:
    """The lead highlights the tall man; another lead approves him at another till, and the
    list is read again: the highlight does not fall on Kwame for the next a. a then says
    to pick; ↓ shows the highlight on the row now there, and a approves that one."""
    kwame, tall_man = two_requests(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_review(pilot, app, "1")
        await pilot.press("down")
        await settle(pilot)
        handoffs.approve_handoff(ctx, team.lead, tall_man)
        screen.reload()  # as the change feed does
        await settle(pilot)
        assert not pending(screen).show_cursor
        await pilot.press("a")
        await settle(pilot)
        assert statuses(ctx)[kwame] == "pending"
        assert app.messages[-1].startswith("Highlight a hand-off request first")
        await pilot.press("down")
        await settle(pilot)
        assert pending(screen).show_cursor
        await pilot.press("a")
        await settle(pilot)
    assert statuses(ctx) == {kwame: "approved", tall_man: "approved"}


async def test_the_hand_offs_screen_keeps_to_the_request_highlighted_too(
    ctx: ShopContext, team: Team
) -> None:
    """The floor's h: a request gone from under the highlight is not replaced by another."""
    kwame, tall_man = two_requests(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HandoffsScreen)
        await pilot.press("down")
        await settle(pilot)
        handoffs.approve_handoff(ctx, team.lead, tall_man)
        screen.reload()
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert statuses(ctx)[kwame] == "pending"


async def press_tab_key(pilot: Pilot[None], screen: ReviewScreen, key: str) -> str:
    await pilot.press(key)
    await settle(pilot)
    return screen.active_tab


async def test_one_to_seven_switch_tabs_wherever_the_focus_is(ctx: ShopContext, team: Team) -> None:
    """From every place the focus can be on every tab (the tab bar, each list, the kudos
    wall), a number key shows its tab. Whether a number switches depends on where the
    focus is, not on which tab it names, so each place is tried with the next tab's
    number (every number is tried from the tab bar and the lists as the tabs go round)."""
    two_requests(ctx, team)
    app = StaffApp(ctx)
    stuck: list[str] = []
    tab_ids = [tab_id for tab_id, *_ in TABS]
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_review(pilot, app)
        for index, tab_id in enumerate(tab_ids):
            other_id = tab_ids[(index + 1) % len(tab_ids)]
            await press_tab_key(pilot, screen, KEY_OF_TAB[tab_id])
            places = len(list(screen.focus_chain))
            for place in range(places):
                for _ in range(place):
                    await pilot.press("tab")
                await settle(pilot)
                where = f"{tab_id} #{place} ({type(app.focused).__name__} {app.focused and app.focused.id})"
                if await press_tab_key(pilot, screen, KEY_OF_TAB[other_id]) != other_id:
                    stuck.append(f"{where}: {KEY_OF_TAB[other_id]}")
                if await press_tab_key(pilot, screen, KEY_OF_TAB[tab_id]) != tab_id:
                    stuck.append(f"{other_id} after {where}: {KEY_OF_TAB[tab_id]}")
    assert stuck == []


async def test_each_tab_acts_only_on_a_row_the_lead_highlighted(ctx: ShopContext, team: Team) -> None:
    """Follow-ups (r, h), Feedback (k, x): with the focus on the tab bar the keys act on no
    row, say how to pick one and give the list the keys; then they act on the row shown."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    followups.add_callback(ctx, team.sam, bob, about="repair quote")
    feedback.record_feedback(ctx, team.sam, body="Nowhere to park", customer_id=bob, topics=["parking"])
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_review(pilot, app)
        for tab_key, table_id, keys, opens in (
            ("3", "oversight-table", ("r", "h"), (StaffPickerDialog, DueHistoryDialog)),
            ("5", "topics-table", ("x",), (TextPromptDialog,)),
        ):
            await press_tab_key(pilot, screen, tab_key)
            table = screen.query_one(f"#{table_id}", DataTable)
            assert app.focused is table
            for key, dialog in zip(keys, opens, strict=True):
                screen.query_one(Tabs).focus()
                await settle(pilot)
                await pilot.press(key)
                await settle(pilot)
                assert app.screen is screen, key
                assert app.messages[-1].startswith("Highlight"), key
                assert app.focused is table
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, dialog), key
                await pilot.press("escape")
                await settle(pilot)
        screen.query_one(Tabs).focus()
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert app.messages[-1].startswith("Highlight")
        with ctx.database.read() as session:
            assert len(session.exec(select(FollowUp)).all()) == 1
