"""A record open on a customer stays that customer's record through a merge and its undo:
it shows the visit the merge brought in, and once the merge is undone at another terminal
it goes back to the record it was opened for (it followed the visit to the duplicate)."""

from __future__ import annotations

from textual.pilot import Pilot

from counter_tui.services import changes, customers, merge, merge_undo, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, settle
from tests.ui.test_live_ui import feed_since


def ann_and_her_duplicate_in_the_shop(ctx: ShopContext, team: Team) -> tuple[int, int, int]:
    """Ann Jones on file, "Dup Jones" too, and Dup's visit in progress: their ids."""
    kept = customers.create_customer(ctx, team.sam, name="Ann Jones", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup Jones", email="dup@example.com")
    return kept, dup, visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)


async def merged(app: StaffApp, pilot: Pilot[None], ctx: ShopContext, team: Team, kept: int, dup: int) -> int:
    """Merge `dup` into `kept` as another terminal would, this app told by its feed; the merge id."""
    seen = changes.latest_event_id(ctx)
    done = merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, kept, dup).seen)
    app.apply_feed_event(feed_since(ctx, seen))
    await settle(pilot)
    return done.merge_id


async def test_the_record_stays_the_kept_customers_after_an_undo(ctx: ShopContext, team: Team) -> None:
    kept, dup, visit_id = ann_and_her_duplicate_in_the_shop(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        record = await open_record(pilot, kept)

        merge_id = await merged(app, pilot, ctx, team, kept, dup)
        assert (record.visit_id, record.customer_id) == (visit_id, kept)

        seen = changes.latest_event_id(ctx)
        merge_undo.undo_merge(ctx, team.lead, merge_id, "two people after all")
        app.apply_feed_event(feed_since(ctx, seen))
        await settle(pilot)
        assert app.screen is record
        assert (record.visit_id, record.customer_id) == (None, kept)
        assert "Ann Jones" in str(record.sub_title)


async def test_a_duplicates_record_follows_its_visit_into_the_kept_record(
    ctx: ShopContext, team: Team
) -> None:
    kept, dup, visit_id = ann_and_her_duplicate_in_the_shop(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        record = await open_record(pilot, dup)
        assert record.visit_id == visit_id

        await merged(app, pilot, ctx, team, kept, dup)
        assert app.screen is record
        assert (record.visit_id, record.customer_id) == (visit_id, kept)
        assert "Ann Jones" in str(record.sub_title)
        assert not [message for message in app.messages if "merged" in message]


async def test_a_duplicates_record_not_in_the_shop_becomes_the_kept_record(
    ctx: ShopContext, team: Team
) -> None:
    """Merged at another terminal while its record is open here: the record shows the one
    kept (it kept showing the duplicate, stale, with "Find them again by name")."""
    kept = customers.create_customer(ctx, team.sam, name="Ann Jones", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup Jones", email="dup@example.com")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        record = await open_record(pilot, dup)

        await merged(app, pilot, ctx, team, kept, dup)
        assert app.screen is record
        assert (record.visit_id, record.customer_id) == (None, kept)
        assert "Ann Jones" in str(record.sub_title)
        assert not [message for message in app.messages if "Find them again" in message]
