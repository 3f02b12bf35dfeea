"""My follow-ups by keys: the highlight never rests on a section heading, stays near where
it was after a follow-up is checked off, and u says what to do before opening anything.

Found by keys at 80×24: ↑ and ↓ stopped on OVERDUE, DUE TODAY and UPCOMING, where Enter
and every key only said to highlight a follow-up; after checking one off the highlight
jumped back to the top row, so the next Enter was about a follow-up at the other end of
the list."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from counter_tui.db.models import FollowUp
from counter_tui.services import customers, followups
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, open_followups, settle, type_text

SMALL = (80, 24)


def promises(ctx: ShopContext, team: Team, *words: str, hours: int = 1) -> None:
    """Sam's promises to Bob, due one after another from `hours` ahead."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    for index, promise in enumerate(words):
        due = ctx.now() + timedelta(hours=hours, minutes=index)
        followups.add_promise(ctx, team.sam, bob, promise=promise, due_at=due)


def on(screen: FollowUpsScreen) -> str:
    """What the highlighted row is: a follow-up's summary, or the heading's key."""
    item = screen.selected()
    return item.summary if item is not None else screen.query_one(FittedTable).cursor_row_key() or ""


async def test_arrows_and_pages_never_rest_on_a_heading(ctx: ShopContext, team: Team) -> None:
    """Two due today, two upcoming (tomorrow): ↓ walks the four follow-ups, passing over
    the UPCOMING heading, and stops on the last; ↑ walks back and stops on the first
    (OVERDUE, with none under it, is above it). Page down and up land on follow-ups too."""
    promises(ctx, team, "boots", "laces")
    promises(ctx, team, "polish", "brush", hours=30)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_followups(pilot)
        seen = [on(screen)]
        for _ in range(5):
            await pilot.press("down")
            seen.append(on(screen))
        assert seen == ["boots", "laces", "polish", "brush", "brush", "brush"]
        seen = []
        for _ in range(5):
            await pilot.press("up")
            seen.append(on(screen))
        assert seen == ["polish", "laces", "boots", "boots", "boots"]
        await pilot.press("pagedown")
        assert screen.selected() is not None
        await pilot.press("pageup")
        assert on(screen) == "boots"


async def check_off_highlighted(pilot, app: StaffApp) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CompleteFollowUpDialog)
    await type_text(pilot, "Rang him")
    await pilot.press("enter")
    await settle(pilot)


async def test_after_checking_one_off_the_highlight_stays_near_it(ctx: ShopContext, team: Team) -> None:
    """Checking off the second of four: the highlight is on the one after it (now second),
    not on the first; checking off the last: on the one before it."""
    promises(ctx, team, "boots", "laces", "polish", "brush")
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("down")
        assert on(screen) == "laces"
        await check_off_highlighted(pilot, app)
        assert app.screen is screen and on(screen) == "polish"
        await pilot.press("end")
        assert on(screen) == "brush"
        await check_off_highlighted(pilot, app)
        assert on(screen) == "polish"
    with ctx.database.read() as session:
        done = {row.summary for row in session.exec(select(FollowUp)) if row.status == "done"}
    assert done == {"laces", "brush"}


async def test_u_on_an_open_follow_up_says_so_and_opens_nothing(ctx: ShopContext, team: Team) -> None:
    """With one cancelled today (so u is on offer) and the highlight on an open one, u
    says to highlight one under CANCELLED TODAY and opens nothing; on the cancelled one it
    asks why it is needed after all, and that dialog does not show the sentence about the
    earlier u as its "Earlier:" notice (found by keys: the restore dialog opened saying
    "Earlier: Highlight a follow-up under CANCELLED TODAY to restore it.", read as the
    dialog's own answer)."""
    promises(ctx, team, "boots", "laces")
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("x")
        await settle(pilot)
        await type_text(pilot, "he came in")
        await pilot.press("enter")
        await settle(pilot)
        assert on(screen) == "laces"
        said = len(app.messages)
        await pilot.press("u")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[said:] == ["Highlight a follow-up under CANCELLED TODAY to restore it."]
        await pilot.press("end")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        shown = [str(line.visual) for line in app.screen.query(".dialog-notice") if line.display]
        assert not any("Highlight" in line for line in shown), shown
