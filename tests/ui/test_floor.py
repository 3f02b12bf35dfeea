"""The floor board: new walk-ins, claiming, the blocked second claim, what stands out."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable

from counter_tui.clock import ManualClock
from counter_tui.db.models import Visit
from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_walk_in, quick_sign_in, settle, table_rows, type_text

FLAG, WHO, ARRIVED, WAITING, OWNER, NEEDS = range(6)


def floor_rows(app: StaffApp) -> list[list[str]]:
    """The floor board's rows as plain text."""
    assert isinstance(app.screen, FloorScreen)
    return table_rows(app.screen.query_one(DataTable))


def owner_of(ctx: ShopContext, visit_id: int) -> int | None:
    """Who owns the visit, read from the database."""
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.owner_id


async def test_empty_floor_says_what_to_do(ctx: ShopContext, team: Team) -> None:
    """With nobody in the shop the board explains the key for a new walk-in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert app.screen.query_one("#floor-empty").display
        assert not app.screen.query_one(DataTable).display
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == "Nobody to claim. Press n to add a walk-in."


async def test_new_walk_in_greeted_now_appears_as_mine(ctx: ShopContext, team: Team) -> None:
    """n, a description, Enter: the customer is on the board with you as owner."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk_in(pilot)
        await type_text(pilot, "red coat, kettles")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        [row] = floor_rows(app)
        assert row[WHO] == "red coat, kettles"
        assert row[ARRIVED] == "11:00"
        assert row[OWNER] == "Sam"
        assert row[WAITING] == "served 0 min"
        summary = app.screen.query_one("#floor-summary")
        assert "1 in the shop · 0 waiting · 1 with you" in str(summary.visual)  # type: ignore[attr-defined]


async def test_unclaimed_needs_help_walk_in_stands_out_at_the_top(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Ticking "needs help" and not greeting them puts a HELP row above everyone else."""
    visits.new_walk_in(ctx, team.alex, description="already served", claim=True)
    clock.advance(minutes=2)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "pram by the door")
        await pilot.press("tab")  # the needs list; "needs help" is its second entry
        await pilot.press("down", "down", "space")
        await pilot.press("tab", "space")  # untick "I'm greeting them now"
        await pilot.press("enter")
        await settle(pilot)
        rows = floor_rows(app)
        assert [row[WHO] for row in rows] == ["pram by the door", "already served"]
        assert rows[0][FLAG] == "HELP"
        assert rows[0][OWNER] == "— nobody yet"
        assert "needs help" in rows[0][NEEDS]
        assert rows[1][FLAG] == ""


async def test_customer_waiting_past_the_threshold_is_flagged(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """An unowned customer waiting longer than the greeting threshold shows WAIT."""
    visits.new_walk_in(ctx, team.alex, description="grey hat")
    clock.advance(minutes=ctx.rules.thresholds.greet_within_minutes + 1)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        [row] = floor_rows(app)
        assert row[FLAG] == "WAIT"
        assert row[WAITING] == f"{ctx.rules.thresholds.greet_within_minutes + 1} min"
        summary = app.screen.query_one("#floor-summary")
        assert "1 need attention now" in str(summary.visual)  # type: ignore[attr-defined]


async def test_claim_makes_the_customer_yours(ctx: ShopContext, team: Team) -> None:
    """c on an unowned customer: you own them, and the board says so."""
    visit_id = visits.new_walk_in(ctx, team.alex, description="blue anorak")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("c")
        await settle(pilot)
        assert owner_of(ctx, visit_id) == team.sam.staff_id
        [row] = floor_rows(app)
        assert row[OWNER] == "Sam"
        assert app.messages[-1] == "They're yours for this visit."


async def test_claim_is_offered_only_on_a_customer_nobody_has(ctx: ShopContext, team: Team) -> None:
    """README: keys that make no sense are hidden, claiming a customer someone owns among
    them (the footer offered c on Sam's customer; found by the tester)."""
    visits.new_walk_in(ctx, team.alex, description="blue anorak", claim=True)
    visits.new_walk_in(ctx, team.alex, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        offered: list[tuple[str, bool]] = []
        for _ in range(2):
            screen = app.screen
            assert isinstance(screen, FloorScreen)
            row = floor_rows(app)[screen.query_one(DataTable).cursor_row]
            offered.append((row[OWNER], "c" in {k for k, b in screen.active_bindings.items() if b.enabled}))
            await pilot.press("down")
            await settle(pilot)
        assert sorted(offered) == [("Alex", False), ("— nobody yet", True)]


async def test_second_terminal_cannot_claim_and_is_told_who_has_them(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Two terminals show the same waiting customer; the second claim is refused with the
    owner's name and since when, and ownership does not move."""
    visit_id = visits.new_walk_in(ctx, team.lead, description="yellow umbrella")
    clock.advance(minutes=3)
    sams_terminal, alexs_terminal = StaffApp(ctx), StaffApp(ctx)
    async with sams_terminal.run_test(size=SIZE) as sam, alexs_terminal.run_test(size=SIZE) as alex:
        await quick_sign_in(sam, "sam", "2222")
        await quick_sign_in(alex, "alex", "3333")
        assert floor_rows(alexs_terminal)[0][OWNER] == "— nobody yet"
        await sam.press("c")
        await settle(sam)
        await alex.press("c")
        await settle(alex)
        assert owner_of(ctx, visit_id) == team.sam.staff_id
        assert alexs_terminal.messages[-1] == (
            "Sam has this customer since 11:03. Ask Sam, or a shift lead can approve a hand-off."
        )
        await alex.press("enter")
        await settle(alex)
        assert isinstance(alexs_terminal.screen, CustomerScreen)
        assert alexs_terminal.screen.visit is not None
        assert alexs_terminal.screen.visit.owner_name == "Sam"


async def test_enter_opens_the_highlighted_customer(ctx: ShopContext, team: Team) -> None:
    """Enter on a row opens that visit; Escape comes back to the board."""
    visits.new_walk_in(ctx, team.alex, description="first")
    second = visits.new_walk_in(ctx, team.alex, description="second")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.visit_id == second
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_arrows_then_enter_in_one_burst_open_the_row_the_arrows_reached(
    ctx: ShopContext, team: Team
) -> None:
    """Down, Down, Enter typed in one burst (a fast hand, a remote terminal) opens the third
    customer: Enter is decided as it arrives, so it waits for the arrows queued before it
    to move the highlight (it opened the first customer, and the next key acted on them)."""
    for description in ("first", "second"):
        visits.new_walk_in(ctx, team.alex, description=description)
    third = visits.new_walk_in(ctx, team.alex, description="third")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        for key in ("down", "down", "enter"):
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.visit_id == third


async def test_at_80_columns_the_board_still_shows_needs_and_owner(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """At 80×24 the columns abbreviate instead of vanishing: a long description is cut,
    and every row still shows who has the customer and what they need."""
    visits.new_walk_in(ctx, team.alex, description="couple looking at sofas", needs=["browse_privately"])
    visits.new_walk_in(ctx, team.alex, description="man in a green coat, drills", needs=["needs_help"])
    visits.new_walk_in(ctx, team.sam, description="Priya Shah from the garden centre", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        table = app.screen.query_one(DataTable)
        lines = [table.render_line(y).text for y in range(4)]
        header, help_row, private_row, priya_row = lines
        assert all(len(line.rstrip()) <= 80 for line in lines)
        assert "With" in header and "Needs" in header
        assert "nobody" in help_row and "HELP" in help_row
        assert "nobody" in private_row and "private 11:15" in private_row
        assert "Priya Shah" in priya_row and "…" in priya_row and "Sam" in priya_row
        # Sam has Priya: nobody is waiting, so no minutes under Wait (they read as waiting).
        assert "min" not in priya_row and "—" in priya_row
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "— nobody yet" in table.render_line(1).text and "needs help" in table.render_line(1).text
