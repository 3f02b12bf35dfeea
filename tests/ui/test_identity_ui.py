"""One customer, one record, by keys: link a walk-in to a customer on file through find;
a shift lead merges a duplicate after seeing what moves, and undoes it with a reason."""

from __future__ import annotations

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.db.models import Channel, Customer, CustomerMerge, NeedKind, Visit
from counter_tui.services import customers, followups, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.merge_preview import MergePreviewDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, plain, quick_sign_in, settle, type_text


async def pick_in_find(pilot: Pilot[None], app: StaffApp, text: str) -> None:
    """In the find picker: type `text`, search, and press Enter on the first match."""
    assert isinstance(app.screen, FindCustomerScreen)
    await type_text(pilot, text)
    app.screen.search()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


def shown(app: StaffApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static).visual)


async def test_link_a_walk_in_to_a_customer_on_file_through_find(ctx: ShopContext, team: Team) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    customers.record_consent(ctx, team.sam, priya, Channel.PHONE, granted=True, source="asked in March")
    customers.set_standing_need(ctx, team.sam, priya, NeedKind.ACCESSIBILITY, remember=True, detail="ramp")
    followups.add_callback(ctx, team.sam, priya, about="her repair")
    walk_in = visits.new_walk_in(ctx, team.sam, description="woman with a parcel", claim=True)
    visits.add_visit_note(ctx, team.sam, walk_in, "Brought the parcel back")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")  # the walk-in, the only customer on the floor
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.visit_id == walk_in
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        assert app.screen.sub_title == "Link this walk-in to a customer on file"
        await pick_in_find(pilot, app, "priya")
        assert app.screen is screen
        contact = shown(app, "#contact-block")
        assert "Priya Shah" in contact and "May contact by  phone" in contact and "ramp" in contact
        assert "her repair" in shown(app, "#followups-block")
        assert "Brought the parcel back" in shown(app, "#notes-block")
    with ctx.database.read() as session:
        visit = session.get(Visit, walk_in)
        assert visit is not None and visit.customer_id == priya


async def test_esc_in_the_link_picker_links_nobody(ctx: ShopContext, team: Team) -> None:
    customers.create_customer(ctx, team.sam, name="Priya Shah")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("f2", "ctrl+n")  # not offered while picking
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
    with ctx.database.read() as session:
        assert session.get(Visit, walk_in).customer_id is None  # type: ignore[union-attr]


async def test_a_lead_merges_a_duplicate_and_undoes_it(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Robert Jones", email="rj@example.com")
    customers.add_note(ctx, team.sam, dup, "Ordered the oak table")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        screen = await open_record(pilot, bob)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        await pick_in_find(pilot, app, "jones")  # Bob himself is not offered
        dialog = app.screen
        assert isinstance(dialog, MergePreviewDialog)
        said = "\n".join(plain(line.visual) for line in dialog.query(".confirm-line").results(Static))
        assert "Robert Jones is merged into Bob Jones." in said
        assert "1 note" in said and "until 17:30 today" in said
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert app.messages[-1] == "Merged Robert Jones into this record. U undoes it until 17:30."
        assert "Ordered the oak table" in shown(app, "#notes-block")
        with ctx.database.read() as session:
            assert session.get(Customer, dup).merged_into_id == bob  # type: ignore[union-attr]

        await pilot.press("U")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "two different people")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Ordered the oak table" not in shown(app, "#notes-block")
    with ctx.database.read() as session:
        assert session.get(Customer, dup).merged_into_id is None  # type: ignore[union-attr]
        [merge] = session.exec(select(CustomerMerge)).all()
        assert merge.undo_reason == "two different people"


async def test_esc_on_the_merge_preview_merges_nothing(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    customers.create_customer(ctx, team.sam, name="Robert Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await open_record(pilot, bob)
        await pilot.press("M")
        await settle(pilot)
        await pick_in_find(pilot, app, "robert")
        assert isinstance(app.screen, MergePreviewDialog)
        await pilot.press("escape")
        await settle(pilot)
    with ctx.database.read() as session:
        assert session.exec(select(CustomerMerge)).all() == []


async def test_associates_are_not_offered_merging(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        screen = await open_record(pilot, bob)
        await pilot.press("M")
        await settle(pilot)
        assert app.screen is screen
