"""The kiosk tells a customer checking in how long to expect to wait, in plain words, from
the floor as it is, and keeps the quote with their visit."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Static

from counter_tui.db.models import NeedKind, Visit
from counter_tui.services import kiosk, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE as STAFF_SIZE
from tests.ui.staff_pilot import StaffApp, plain
from tests.ui.test_kiosk_flow import SIZE, settle, text_of
from tests.ui.test_review_ui import open_review


async def test_checking_in_by_keys_shows_and_stores_the_wait(ctx: ShopContext, team: Team) -> None:
    visits.new_walk_in(ctx, team.sam, claim=True)
    for _ in range(2):
        visits.new_walk_in(ctx, Actor.kiosk("door"), needs=[NeedKind.NEEDS_HELP])
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", *"Ann", "enter", "2")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        assert text_of(app, "#thanks-after").startswith(
            "Expected wait: about 10 minutes (2 people are ahead of you). You're checked in."
        )
    with ctx.database.read() as session:
        ann = session.exec(select(Visit).where(Visit.description == "Ann").order_by(col(Visit.id))).one()
    assert ann.quoted_wait_minutes == 10


async def test_browsing_customers_are_not_given_a_wait(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "1")
        await settle(pilot)
        assert text_of(app, "#thanks-after") == "You're checked in. This screen will reset by itself."


async def test_the_scorecard_compares_quoted_and_actual_waits(ctx: ShopContext, team: Team) -> None:
    visits.new_walk_in(ctx, team.sam, claim=True)
    quoted = kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="Ann", need=NeedKind.NEEDS_HELP))
    visits.claim_visit(ctx, team.alex, quoted.visit_id)
    app = StaffApp(ctx)
    async with app.run_test(size=STAFF_SIZE) as pilot:
        screen = await open_review(pilot, app, "4")
        await settle(pilot)
        assert plain(screen.query_one("#score-quotes", Static).visual).startswith(
            "This week. Kiosk wait quotes: 1 given; the 1 seen were quoted 0 min on average and waited"
        )
