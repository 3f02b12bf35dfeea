"""A walk-out by keys: x on a customer who asked for help and was never greeted, ended as
"left unserved", says an apology is queued, and the database holds it for the lead."""

from __future__ import annotations

from sqlmodel import select

from counter_tui.db.models import Channel, FollowUp, FollowUpKind, NeedKind
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle


async def test_ending_an_unserved_visit_by_keys_queues_the_apology(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    customers.record_consent(ctx, team.sam, bob, Channel.PHONE, granted=True, source="counter")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, needs=[NeedKind.NEEDS_HELP])
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        await app.push_screen(CustomerScreen(visit_id=visit_id))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("space", "enter")  # the only outcome offered: left unserved
        await settle(pilot)
        assert "an apology is queued for the shift lead" in app.messages[-1]
    with ctx.database.read() as session:
        [apology] = session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.APOLOGY)).all()
    assert (apology.owner_id, apology.visit_id, apology.channel) == (
        team.lead.staff_id,
        visit_id,
        Channel.PHONE,
    )
