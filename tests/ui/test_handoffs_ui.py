"""Hand-offs: the owner asks from the customer view; a shift lead approves or denies on the
hand-offs screen; only then does the owner change."""

from __future__ import annotations

from sqlmodel import select
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from counter_tui.db.models import AuditEvent, HandoffRequest, Visit
from counter_tui.services import customers, handoffs, staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows, type_text


def owner_of(ctx: ShopContext, visit_id: int) -> int | None:
    """Who owns the visit, read from the database."""
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.owner_id


def the_request(ctx: ShopContext) -> HandoffRequest:
    """The only hand-off request in the database."""
    with ctx.database.read() as session:
        [request] = session.exec(select(HandoffRequest)).all()
        return request


async def open_handoffs(pilot: Pilot[None], app: StaffApp, name: str, pin: str) -> Screen[None]:
    """Sign in and press h: the hand-offs screen (leads may get the review screen's
    hand-offs tab instead)."""
    await quick_sign_in(pilot, name, pin)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(app.screen, HandoffsScreen | ReviewScreen)
    return app.screen


def pending_rows(screen: Screen[None]) -> list[list[str]]:
    """The pending requests listed on a hand-offs screen or tab."""
    table = screen.query_one("#pending-table" if isinstance(screen, ReviewScreen) else "#handoffs-table")
    assert isinstance(table, DataTable)
    return table_rows(table)


async def test_owner_requests_and_lead_approves_then_owner_changes(ctx: ShopContext, team: Team) -> None:
    """Sam asks for Alex with a reason; Sam keeps the customer until Dana approves on the
    hand-offs screen; then Alex owns the visit and the floor shows it."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StaffPickerDialog)
        await pilot.press("space", "enter")  # Alex, the first colleague; Enter moves on to the reason
        await type_text(pilot, "Alex fixes bikes")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.messages[-1] == "Asked a shift lead. You keep the customer until they approve."
        block = plain(app.screen.query_one("#visit-block", Static).visual)
        assert "Sam → Alex: Alex fixes bikes (asked 11:00, waiting for a shift lead)" in block
        assert owner_of(ctx, visit_id) == team.sam.staff_id

        await pilot.press("escape")
        await settle(pilot)
        floor_table = app.screen.query_one(DataTable)
        assert table_rows(floor_table)[0][0] == "H/O"

        await pilot.press("ctrl+l")
        screen = await open_handoffs(pilot, app, "dana", "1111")
        [row] = pending_rows(screen)
        assert row == ["11:00", "0 min", "bike repair", "Sam", "Alex", "Alex fixes bikes"]
        await pilot.press("a")
        await settle(pilot)
        assert app.messages[-1] == "Approved: bike repair is now with Alex (from Sam)."
        assert pending_rows(screen) == []
        assert owner_of(ctx, visit_id) == team.alex.staff_id

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        [floor_row] = table_rows(app.screen.query_one(DataTable))
        assert floor_row[4] == "Alex"
    assert the_request(ctx).status == "approved"


async def test_lead_denies_with_a_reason_and_the_owner_keeps_the_customer(
    ctx: ShopContext, team: Team
) -> None:
    """d asks why; the request is denied with that note and ownership stays."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="returns", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "end of my shift")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_handoffs(pilot, app, "dana", "1111")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, TextPromptDialog)
        await type_text(pilot, "Sam is here till six")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Denied: returns stays with Sam."
    request = the_request(ctx)
    assert (request.status, request.decision_note) == ("denied", "Sam is here till six")
    assert owner_of(ctx, visit_id) == team.sam.staff_id


async def test_associate_sees_only_their_own_requests_and_cannot_decide(ctx: ShopContext, team: Team) -> None:
    """An associate's hand-offs screen lists their own pending requests; approve and deny
    are not offered (the keys do nothing), and they can withdraw their own request."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="paint", claim=True)
    other = visits.new_walk_in(ctx, team.alex, description="tiles", claim=True)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex knows paint")
    handoffs.request_handoff(ctx, team.alex, other, team.sam.staff_id or 0, "Sam knows tiles")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handoffs(pilot, app, "sam", "2222")
        assert plain(screen.query_one("#handoffs-summary", Static).visual) == "Your pending requests: 1"
        [row] = pending_rows(screen)
        assert row[2] == "paint"
        shown_before = len(app.messages)
        await pilot.press("a", "d")
        await settle(pilot)
        assert app.screen is screen
        assert len(app.messages) == shown_before
        assert owner_of(ctx, visit_id) == team.sam.staff_id
        await pilot.press("w")
        await settle(pilot)
        assert app.messages[-1] == "Withdrawn."
        assert pending_rows(screen) == []
    assert owner_of(ctx, other) == team.alex.staff_id


async def test_deny_and_approve_name_the_customer_and_the_people_literally(
    ctx: ShopContext, team: Team
) -> None:
    """The deny dialog says whose hand-off it is (customer, from, to) and approving says
    who moved where; a hostile customer name shows as typed, never as markup."""
    hostile = "[@click=app.quit]x[/]"
    priya = customers.create_customer(ctx, team.sam, name=hostile)
    denied = visits.new_walk_in(ctx, team.sam, customer_id=priya, claim=True)
    handoffs.request_handoff(ctx, team.sam, denied, team.alex.staff_id or 0, "end of shift")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handoffs(pilot, app, "dana", "1111")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        shown = " ".join(plain(label.visual) for label in dialog.query(Label))
        assert f"Deny the hand-off of {hostile} from Sam to Alex? Sam keeps them." in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("a")
        await settle(pilot)
        assert app.messages[-1] == f"Approved: {hostile} is now with Alex (from Sam)."
    assert owner_of(ctx, denied) == team.alex.staff_id


async def test_a_lead_can_reassign_a_customer_to_themself(ctx: ShopContext, team: Team) -> None:
    """Dana (lead) takes Sam's customer with g: Dana is on the Reassign list (the service
    allows it), and the move is stored and audited with the reason."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("g")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, StaffPickerDialog)
        assert [c.name for c in picker._colleagues] == ["Alex", "Dana"]
        await pilot.press("down", "down", "space", "enter")  # Dana, the second
        await type_text(pilot, "Sam went home ill")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert owner_of(ctx, visit_id) == team.lead.staff_id
    with ctx.database.read() as session:
        [record] = session.exec(select(HandoffRequest)).all()
        assert (record.to_staff_id, record.reason) == (team.lead.staff_id, "Sam went home ill")
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "visit.reassigned")).all()
        assert [e.actor_id for e in events] == [team.lead.staff_id]


async def test_a_reassignment_over_another_terminals_change_is_refused_then_applied_on_purpose(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    """Dana's reassign dialog opened while Sam had the customer; Priya, at another
    terminal, gives them to Alex meanwhile. Dana's Enter is refused with who changed it
    to whom and when, the dialog stays open with her choice, and Enter again applies it."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    priya = staff.add_staff(ctx, None, name="Priya", pin="4444", role="lead")
    priya_in = staff.sign_in(other_terminal, priya.id, "4444")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("g")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, StaffPickerDialog)
        assert [c.name for c in picker._colleagues] == ["Alex", "Dana", "Priya"]
        handoffs.reassign_visit(
            other_terminal,
            priya_in,
            visit_id,
            team.alex.staff_id or 0,
            "Alex fixes bikes",
            seen_owner_id=team.sam.staff_id,
        )
        await pilot.press("down", "down", "space", "enter")  # Dana, the second
        await type_text(pilot, "Sam went home ill")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker
        refusal = plain(picker.query_one(".dialog-error", Static).visual)
        assert refusal.startswith("Priya reassigned bike repair to Alex at 11:00. Your choice is kept")
        assert owner_of(ctx, visit_id) == team.alex.staff_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert owner_of(ctx, visit_id) == team.lead.staff_id
    with ctx.database.read() as session:
        moves = session.exec(select(HandoffRequest).order_by(HandoffRequest.id)).all()  # type: ignore[arg-type]
        assert [(m.from_staff_id, m.to_staff_id) for m in moves] == [
            (team.sam.staff_id, team.alex.staff_id),
            (team.alex.staff_id, team.lead.staff_id),
        ]
