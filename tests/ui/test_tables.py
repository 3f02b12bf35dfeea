"""Tables are drawn right the first time: a frame drawn as soon as rows arrive shows
whole cells, not cells cut to the header widths (that frame used to stay on screen until
something else moved, which made the follow-ups snapshot fail under load)."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from counter_tui.services import customers, followups, status_updates, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.widgets.column_fit import NAME_MIN_WIDTH, Col, fit_widths, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_followups, settle


def drawn(table: DataTable[Text], lines: int) -> list[str]:
    """The table's first lines as they are drawn now (through its render cache)."""
    return [table.render_line(y).text for y in range(lines)]


async def test_my_followups_are_drawn_whole_in_the_first_frame(ctx: ShopContext, team: Team) -> None:
    """Sam's list is empty, then a thank-you arrives and the list is drawn at once."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        table: DataTable[Text] = screen.query_one(DataTable)
        visits.end_visit(ctx, team.sam, visit_id, "purchase", personal_line="Enjoy the walking boots")
        screen.show(followups.my_followups(ctx, team.sam))
        first_frame = drawn(table, 5)
        await settle(pilot)
        assert drawn(table, 5) == first_frame
        [bob_line] = [line for line in first_frame if "Bob" in line]
        assert "Bob Jones" in bob_line and "Enjoy the walking boots" in bob_line


async def test_my_followups_at_80_columns_show_when_and_what_whole(ctx: ShopContext, team: Team) -> None:
    """At 80×24 the due time and the kind were cut ('Sat 14 Nov 16…', 'status upda…'):
    what is due when is the list's point; the customer's words give room first."""
    bob = customers.create_customer(ctx, team.sam, name="Agnieszka Wilson-Fitzgerald", phone="07700 900123")
    followups.add_promise(
        ctx,
        team.sam,
        bob,
        promise="Order the walking boots in a size 44 and ring when they come in " * 3,
        due_at=datetime(2026, 11, 28, 16, 0, tzinfo=UTC),
    )
    status_updates.start_status_update(
        ctx, team.sam, bob, about="Boots resoled", channel="in_person", every_days=3
    )
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_followups(pilot)
        lines = drawn(screen.query_one(DataTable), 8)
        assert any("Sat 28 Nov 16:00" in line for line in lines), lines
        assert any("status update" in line for line in lines), lines


class OneTable(App[None]):
    """A fitted table alone, for the width rules."""

    def compose(self) -> ComposeResult:
        yield FittedTable(
            (
                Col("who", "Customer", 30, min_width=10),
                Col("owner", "With", 14, min_width=6),
                Col("needs", "Needs", 20, min_width=12, grow=True),
            )
        )


async def test_a_fitted_table_shrinks_columns_before_any_goes_off_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(50, 10)) as pilot:
        table = app.query_one(FittedTable)
        table.fill([("1", [Text("Priya Shah from the garden centre"), Text("Sam"), Text("needs help")])])
        await pilot.pause()
        [row] = drawn(table, 2)[1:]
        assert "Sam" in row and "needs help" in row
        assert "Priya" in row and "…" in row
        assert len(row.rstrip()) <= 48


def test_fit_widths_wants_no_more_than_the_content_and_shrinks_the_roomiest_first() -> None:
    columns = (Col("a", "A", 10, min_width=4), Col("b", "B", 10, min_width=8), Col("c", "C", 5, grow=True))
    assert fit_widths(columns, 40) == [10, 10, 5]
    assert fit_widths(columns, 40, content=[3, 30, 20]) == [3, 10, 20]
    assert fit_widths(columns, 25) == [5, 9, 5]
    assert fit_widths(columns, 10) == [4, 8, 5]
    assert fit_widths(columns, 0) == [10, 10, 5]
    first = (Col("a", "A", 10, min_width=4), Col("b", "B", 10, min_width=2, shrink_first=True))
    assert fit_widths(first, 18) == [10, 4]


def test_a_name_column_gives_way_last_and_keeps_the_name_width() -> None:
    """Free text gives first, then other columns to their minimum, then names down to
    `NAME_MIN_WIDTH`; only then does free text give up the rest of its room, so a name is
    never cut below that width while a column of text beside it keeps some."""
    columns = (
        Col("when", "When", 16, min_width=11),
        name_col("who", "Customer", 24),
        Col("what", "What", 17, min_width=10),
        Col("why", "Reason", 40, min_width=12, grow=True, shrink_first=True),
    )
    whole = [16, 24, 17, 40]
    assert fit_widths(columns, 105, whole) == [16, 24, 17, 40]
    assert fit_widths(columns, 80, whole) == [16, 24, 17, 15]  # the reason gives first
    assert fit_widths(columns, 65, whole) == [11, 24, 10, 12]  # then the others to their minimum
    assert fit_widths(columns, 55, whole) == [11, 14, 10, 12]  # then the name, to its width
    assert fit_widths(columns, 45, whole) == [11, 14, 10, 2]  # then the reason, all but a cell
    assert fit_widths(columns, 40, whole) == [11, 14, 10, 1]
    assert name_col("to", "To", 10).width == NAME_MIN_WIDTH  # never wants less than a name
