"""The customer view: owner banner, needs through the dialog, notes, helpers, read-only
for non-owners, and ending a visit with a purchase."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from counter_tui.db.models import FollowUp, FollowUpKind, StandingNeed, Visit, VisitNeed
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.needs import NeedsDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, plain, quick_sign_in, settle, type_text


def shown(app: StaffApp, selector: str) -> str:
    """The plain text of one block of the customer view."""
    return plain(app.screen.query_one(selector, Static).visual)


async def open_first_visit(pilot: Pilot[None], app: StaffApp, name: str, pin: str) -> CustomerScreen:
    """Sign in and open the first customer on the floor board."""
    await quick_sign_in(pilot, name, pin)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


def thank_yous(ctx: ShopContext) -> list[FollowUp]:
    """Every thank-you follow-up in the database."""
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.THANK_YOU)))


async def test_owner_sees_the_owner_banner_first(ctx: ShopContext, team: Team) -> None:
    """Your own customer opens with a banner saying so, and since when."""
    visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_visit(pilot, app, "sam", "2222")
        assert shown(app, "#owner-banner") == "You own this customer since 11:00."
        assert screen.query_one("#owner-banner").has_class("banner-mine")
        assert "Not on file. Press a to add their details, or l to link a customer on file." in shown(
            app, "#contact-block"
        )


async def test_someone_not_offered_a_or_l_is_not_told_to_press_them(ctx: ShopContext, team: Team) -> None:
    """Sam's walk-in seen by Alex (read-only: it is not Alex's): 'Not on file.' alone, not
    'Press a … or l …', keys Alex is not offered there (found by the tester)."""
    visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_visit(pilot, app, "alex", "3333")
        assert screen.check_action("add_to_file", ()) is not True
        assert shown(app, "#contact-block") == "Not on file."


async def test_someone_who_may_not_set_needs_is_not_told_to_press_e(ctx: ShopContext, team: Team) -> None:
    """Sam's walk-in seen by Alex (read-only): "none recorded", not "(e to set)", a key Alex
    is not offered there (found by the tester)."""
    visits.new_walk_in(ctx, team.sam, description="tall man, drills", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_visit(pilot, app, "alex", "3333")
        assert screen.check_action("needs", ()) is not True
        assert "Needs  none recorded" in shown(app, "#visit-block")
        assert "e to set" not in shown(app, "#visit-block")


async def test_needs_set_in_the_dialog_show_as_badges(ctx: ShopContext, team: Team) -> None:
    """e, tick two needs with Space, a detail, Enter: both show as badges and are stored."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="couple, sofas", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        assert "none recorded (e to set)" in shown(app, "#visit-block")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NeedsDialog)
        await pilot.press("down", "down", "space")  # needs help, the second
        await pilot.press("down", "down", "down", "space")  # language
        await pilot.press("tab", "tab", "tab")  # past needs help's detail and Remember
        await type_text(pilot, "Polish")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        block = shown(app, "#visit-block")
        assert " needs help " in block
        assert " language: Polish " in block
        with ctx.database.read() as session:
            kinds = {
                need.kind
                for need in session.exec(select(VisitNeed).where(VisitNeed.visit_id == visit_id))
                if need.cleared_at is None
            }
        assert kinds == {"needs_help", "language"}


async def test_each_ticked_need_gets_its_own_detail_and_a_call_back_is_not_remembered(
    ctx: ShopContext, team: Team
) -> None:
    """e, tick callback wanted and language, a detail for each (Tab from one to the next),
    Remember on the language: each need stores its own detail, and only the language is
    remembered. One Detail box put "Polish 🇵🇱 when ramp in" on both, and Remember kept the
    call back for every later visit (found by the tester)."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, NeedsDialog)
        await pilot.press("down", "down", "down", "space")  # callback wanted
        await pilot.press("down", "down", "space")  # language
        await pilot.press("tab")  # callback wanted's detail; it has no Remember box
        assert app.screen.focused is not None and app.screen.focused.id == "detail_callback_wanted"
        assert not app.screen.query("#remember_callback_wanted")
        await type_text(pilot, "when the ramp is in")
        await pilot.press("tab")
        await type_text(pilot, "Polish, some English")
        await pilot.press("tab", "space", "enter")  # Remember the language
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        block = shown(app, "#visit-block")
        assert "callback wanted: when the ramp is in" in block
        assert "language: Polish, some English" in block
        with ctx.database.read() as session:
            on_visit = {
                need.kind: need.detail
                for need in session.exec(select(VisitNeed).where(VisitNeed.visit_id == visit_id))
            }
            standing = [(s.kind, s.detail) for s in session.exec(select(StandingNeed))]
        assert on_visit == {"callback_wanted": "when the ramp is in", "language": "Polish, some English"}
        assert standing == [("language", "Polish, some English")]


async def test_unticking_a_need_clears_it(ctx: ShopContext, team: Team) -> None:
    """A need set earlier is cleared by unticking it."""
    visits.new_walk_in(ctx, team.sam, description="student", needs=["pickup"], claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        assert " pickup " in shown(app, "#visit-block")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*["down"] * 6, "space", "enter")  # pickup, the sixth
        await settle(pilot)
        assert "none recorded (e to set)" in shown(app, "#visit-block")


async def test_note_is_added_and_shown(ctx: ShopContext, team: Team) -> None:
    """o, a note, Enter: colleagues see it with its author and time."""
    visits.new_walk_in(ctx, team.sam, description="wants a quote", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("o")
        await settle(pilot)
        await type_text(pilot, "Back at 3 for the quote")
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app, "#notes-block") == "today 11:00 Sam: Back at 3 for the quote"


async def test_helper_joins_without_taking_ownership(ctx: ShopContext, team: Team) -> None:
    """p, pick a colleague: they are named as helping and you stay the owner."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="big order", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, StaffPickerDialog)
        await pilot.press("space", "enter")  # the first colleague offered: Alex (sorted by name)
        await settle(pilot)
        assert shown(app, "#owner-banner") == "You own this customer since 11:00.  Helping: Alex"
        with ctx.database.read() as session:
            visit = session.get(Visit, visit_id)
            assert visit is not None and visit.owner_id == team.sam.staff_id


async def test_claim_from_the_customer_view(ctx: ShopContext, team: Team) -> None:
    """An unowned customer's banner says to claim; c makes them yours."""
    visits.new_walk_in(ctx, team.alex, description="lost child's mum")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_visit(pilot, app, "sam", "2222")
        assert shown(app, "#owner-banner") == (
            "Nobody has greeted this customer yet (waiting 0 min). Press c to claim."
        )
        assert screen.query_one("#owner-banner").has_class("banner-unowned")
        await pilot.press("c")
        await settle(pilot)
        assert shown(app, "#owner-banner") == "You own this customer since 11:00."


async def test_non_owner_sees_it_read_only_and_is_told_what_to_do(ctx: ShopContext, team: Team) -> None:
    """Alex opening Sam's customer reads who owns them and how to ask; the keys that would
    change the visit are not offered, and pressing them opens nothing."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="wedding list", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first_visit(pilot, app, "alex", "3333")
        assert shown(app, "#owner-banner") == (
            "Sam owns this customer since 11:00. Read only: Ask Sam, or a shift lead can approve a hand-off."
        )
        assert screen.query_one("#owner-banner").has_class("banner-theirs")
        offered = {key for key, active in screen.active_bindings.items() if active.enabled}
        assert not {"e", "o", "x"} & offered
        for key in ("e", "o", "x"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, f"{key} opened something for a non-owner"
        await pilot.press("r")  # only the owner may ask for a hand-off: the key is not offered
        await settle(pilot)
        assert app.screen is screen
        with ctx.database.read() as session:
            visit = session.get(Visit, visit_id)
            assert visit is not None and visit.owner_id == team.sam.staff_id


async def test_end_with_purchase_queues_a_thank_you_due_next_business_day(
    ctx: ShopContext, team: Team
) -> None:
    """x, Purchase, a personal line, Enter: back on the floor, and a thank-you for the owner
    is due by Saturday's close (16:00 in London) for a Friday visit."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, EndVisitDialog)
        await pilot.press("space", "tab")  # Purchase, then the personal line
        await type_text(pilot, "Hope the drill makes light work of the shelves")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert app.messages[-1] == "Visit ended. A thank-you is queued for the owner."
        assert app.screen.query_one("#floor-empty").display
    [thank_you] = thank_yous(ctx)
    assert thank_you.owner_id == team.sam.staff_id
    assert thank_you.customer_id == bob
    assert thank_you.due_at == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
    assert ctx.calendar.local(thank_you.due_at).format("ddd HH:mm") == "Sat 16:00"
    assert thank_you.personal_line == "Hope the drill makes light work of the shelves"


async def test_perfunctory_line_at_the_end_keeps_the_dialog_open(ctx: ShopContext, team: Team) -> None:
    """A personal line that only repeats the template is refused inside the dialog; the
    visit stays open and what was typed stays."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("space", "tab")  # Purchase, then the personal line
        await type_text(pilot, "Thank you for visiting")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EndVisitDialog)
        assert "or leave it empty and add it later" in shown(app, "#personal-error")
        assert app.screen.query_one("#personal", Input).value == "Thank you for visiting"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.visit is not None and app.screen.visit.ended_at is None
    assert thank_yous(ctx) == []


async def test_a_personal_line_with_another_outcome_keeps_the_dialog_open(
    ctx: ShopContext, team: Team
) -> None:
    """A line typed, then "Left unserved" chosen: the dialog dropped the line and ended the
    visit. Now the sentence shows beside the line, which stays, and nothing ends."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("end", "tab")  # Left unserved, then the personal line
        await type_text(pilot, "Hope the drill makes light work of the shelves")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EndVisitDialog)
        assert "pick Purchase, or clear the line" in shown(app, "#personal-error")
        assert (
            app.screen.query_one("#personal", Input).value == "Hope the drill makes light work of the shelves"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.visit is not None and app.screen.visit.ended_at is None


async def test_end_with_no_purchase_queues_nothing(ctx: ShopContext, team: Team) -> None:
    """Picking "No purchase" ends the visit without a thank-you."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_visit(pilot, app, "sam", "2222")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("down", "down", "space", "enter")  # No purchase, the second
        await settle(pilot)
        assert app.messages[-1] == "Visit ended."
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.outcome == "no_purchase"
    assert thank_yous(ctx) == []


async def test_customer_record_starts_a_visit_when_they_come_in(ctx: ShopContext, team: Team) -> None:
    """A customer opened from their record is not in the shop until w starts a visit you own."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        assert shown(app, "#owner-banner") == "Bob Jones — Not in the shop. Press w when they come in."
        await pilot.press("w")
        await settle(pilot)
        assert shown(app, "#owner-banner") == "You own this customer since 11:00."
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert app.screen.selected_visit_id() is not None
