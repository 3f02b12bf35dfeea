"""A record open on a customer stays that customer's record through a merge and its undo:
it shows the visit the merge brought in, and once the merge is undone at another terminal
it goes back to the record it was opened for (it followed the visit to the duplicate)."""

from __future__ import annotations

from counter_tui.services import changes, customers, merge, merge_undo, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle
from tests.ui.test_live_ui import feed_since


async def test_the_record_stays_the_kept_customers_after_an_undo(ctx: ShopContext, team: Team) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Ann Jones", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup Jones", email="dup@example.com")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        record = CustomerScreen(customer_id=kept)
        await app.push_screen(record)
        await settle(pilot)

        seen = changes.latest_event_id(ctx)
        done = merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, kept, dup).seen)
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert (record.visit_id, record.customer_id) == (visit_id, kept)

        seen = changes.latest_event_id(ctx)
        merge_undo.undo_merge(ctx, team.lead, done.merge_id, "two people after all")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert app.screen is record
        assert (record.visit_id, record.customer_id) == (None, kept)
        assert "Ann Jones" in record.sub_title


async def test_a_duplicates_record_follows_its_visit_into_the_kept_record(
    ctx: ShopContext, team: Team
) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Ann Jones", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup Jones", email="dup@example.com")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        record = CustomerScreen(customer_id=dup)
        await app.push_screen(record)
        await settle(pilot)
        assert record.visit_id == visit_id

        seen = changes.latest_event_id(ctx)
        merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, kept, dup).seen)
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert app.screen is record
        assert (record.visit_id, record.customer_id) == (visit_id, kept)
        assert "Ann Jones" in record.sub_title
        assert not [message for message in app.messages if "merged" in message]
