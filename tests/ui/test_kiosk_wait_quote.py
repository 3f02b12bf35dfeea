"""The kiosk tells a customer checking in how long to expect to wait, in plain words, from
the floor as it is, and keeps the quote with their visit."""

from __future__ import annotations

from sqlmodel import col, select

from counter_tui.db.models import NeedKind, Visit
from counter_tui.services import visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from tests.conftest import Team
from tests.ui.test_kiosk_flow import SIZE, settle, text_of


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
