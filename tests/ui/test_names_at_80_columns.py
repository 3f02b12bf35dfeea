"""At 80×24 a person's or a customer's name stays readable in every table that lists it:
other columns give way first, and a name is cut (with "…") only past `NAME_MIN_WIDTH`
cells. Seen: the audit log cut "Margaret O'Neill" to "Margaret…" and the hand-off log
"Kwame Mensah" to "Kwame M…", while the Details and Reason columns beside them kept room
for text the whole-event dialog and the reason line show anyway."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.clock import ManualClock
from counter_tui.services import customers, feedback, followups, handoffs, staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.widgets.column_fit import NAME_MIN_WIDTH
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, plain, quick_sign_in, settle, type_text

SMALL = (80, 24)
CUSTOMER = "Bartholomew Featherstonehaugh-Smythe"
COLLEAGUE = "Wilhelmina Abernathy-Ross"
NAMES = (CUSTOMER, COLLEAGUE)


def readable(full: str, drawn: str) -> bool:
    """A name drawn whole, or cut with "…" no narrower than `NAME_MIN_WIDTH` cells."""
    return drawn == full or (drawn.endswith("…") and len(drawn) >= NAME_MIN_WIDTH)


def cut_names(where: str, app: StaffApp) -> list[str]:
    """Each cell of a table on screen that starts with one of `NAMES` but draws it cut
    below the name width, and each table wider than its room (columns pushed off screen)."""
    found: list[str] = []
    for table in app.screen.query(FittedTable):
        if not table.region.width:  # not on show (a review tab behind another)
            continue
        widths = sum(column.get_render_width(table) for column in table.ordered_columns)
        if widths > table.size.width:
            found.append(f"{where} #{table.id}: columns {widths} wide in {table.size.width}")
        for key, cells in table._rows:
            drawn_row = table.get_row(key)
            for full, drawn in zip(cells, drawn_row, strict=True):
                words, shown = full.plain, plain(drawn)
                if any(words.startswith(name) for name in NAMES) and not readable(words, shown):
                    found.append(f"{where} #{table.id}: {shown!r}")
    return found


async def visit(pilot: Pilot[None], where: str, *keys: str) -> list[str]:
    """Press `keys`, wait, and list the names cut on the screen reached."""
    await pilot.press(*keys)
    await settle(pilot)
    return cut_names(where, pilot.app)  # type: ignore[arg-type]


async def test_every_table_keeps_names_readable_at_80_columns(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """A colleague with a long name serves a customer with a long name, asks for a hand-off,
    owes a promise now overdue and hears feedback; Dana walks every table that lists them."""
    colleague = staff.add_staff(ctx, team.lead, name=COLLEAGUE, pin="4444")
    wilhelmina = staff.sign_in(ctx, colleague.id, "4444")
    bart = customers.create_customer(ctx, wilhelmina, name=CUSTOMER, phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, wilhelmina, customer_id=bart, claim=True)
    handoffs.request_handoff(
        ctx, wilhelmina, visit_id, team.sam.staff_id or 0, "Sam knows the watch repairs best of us"
    )
    followups.add_promise(
        ctx,
        wilhelmina,
        bart,
        promise="Order the blue enamel lid for the large casserole dish from the supplier",
        due_at=ctx.now() + timedelta(hours=1),
    )
    feedback.record_feedback(
        ctx, wilhelmina, body="Nowhere to park at lunchtime", customer_id=bart, topics=["opening hours"]
    )
    clock.advance(hours=3)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        cut = cut_names("floor", app)
        cut += await visit(pilot, "hand-offs", "h")
        cut += await visit(pilot, "review hand-offs", "escape", "l", "1")
        cut += await visit(pilot, "review follow-ups", "3")
        cut += await visit(pilot, "review feedback", "5")
        cut += await visit(pilot, "review day end", "7")
        cut += await visit(pilot, "audit log", "l")
        await pilot.press("escape", "escape", "slash")
        await type_text(pilot, "Bartholomew")
        await settle(pilot)
        cut += cut_names("find", app)
    assert cut == [], "\n".join(cut)


async def test_the_feedback_tabs_topics_and_what_customers_said_keep_names_whole_at_80_columns(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The topic is what a row of the Feedback tab is: "opening hours" was cut to "opening
    hou…" beside an empty "What was done"; and Enter's lines of what customers said cut
    the customer's name at 20 characters ("Bartholomew Feathe…")."""
    bart = customers.create_customer(ctx, team.sam, name=CUSTOMER, phone="07700 900123")
    feedback.record_feedback(
        ctx, team.sam, body="Open later on Thursdays", customer_id=bart, rating=2, topics=["opening hours"]
    )
    for rating in (3, 4):
        feedback.record_feedback(ctx, team.sam, body="Parking", rating=rating, topics=["parking"])
    feedback.acknowledge_topic(ctx, team.lead, "parking")
    clock.advance(days=3)  # "Last raised" a whole date ("Sat 21 Nov 02:44"), as on the demo shop
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l", "5")
        await settle(pilot)
        table = app.screen.query_one("#topics-table", FittedTable)
        topic = plain(table.get_row("opening hours")[0])
        table.focus()
        table.move_cursor_to("opening hours")
        await pilot.press("enter")
        await settle(pilot)
        said = app.screen.query_one("#topic-detail", Static).visual
        said_text = said.plain if isinstance(said, Text) else plain(said)
    assert topic == "opening hours"
    assert f"{CUSTOMER} ★2: Open later on Thursdays" in said_text.replace("\n", " "), said_text
