"""The floor board updates what changed: a change from another terminal re-reads only the
visits it touched and redraws only their cells, the clock moves waiting times without a
read, and the board still ends right after bursts of changes and after a reconnect
(when the feed cannot say what changed, the whole board is read again). The cursor
stays on the same visit throughout."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from counter_tui.clock import ManualClock
from counter_tui.db.models import NeedKind, Outcome
from counter_tui.services import changes, floor_changes, handoffs, visit_needs, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.fitted_table import FIRST_ROWS, FittedTable
from counter_tui.ui.widgets.floor_cells import FloorCells
from counter_tui.ui.widgets.summary_line import SummaryLine
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows


class BoardReads:
    """Counts the whole-board reads the app makes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        whole = visit_views.floor_board

        def counted(ctx: ShopContext) -> list[visit_views.FloorRow]:
            self.count += 1
            return whole(ctx)

        monkeypatch.setattr(visit_views, "floor_board", counted)


@pytest.fixture
def board_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[BoardReads]:
    yield BoardReads(monkeypatch)


def deliver(app: StaffApp, ctx: ShopContext, since: int) -> int:
    """Hand the app what a feed would report for everything after `since`; the new mark."""
    news = tuple(changes.changes_since(ctx, since))
    app.apply_feed_event(FeedEvent(online=True, changes=news))
    return news[-1].event_id if news else since


def board(app: StaffApp) -> FittedTable:
    assert isinstance(app.screen, FloorScreen)
    return app.screen.query_one(FittedTable)


def shown_ids(table: FittedTable) -> list[int]:
    return [int(str(row.key.value)) for row in table.ordered_rows]


def cell_objects(table: FittedTable, visit_id: int) -> list[Text]:
    return list(table.get_row(str(visit_id)))


def expected_board(ctx: ShopContext) -> list[tuple[int, str]]:
    return [(row.visit_id, row.owner_name or "— nobody yet") for row in visit_views.floor_board(ctx)]


def shown_board(table: FittedTable) -> list[tuple[int, str]]:
    return [
        (visit_id, plain(row[4])) for visit_id, row in zip(shown_ids(table), table_rows(table), strict=True)
    ]


def coats(ctx: ShopContext, team: Team, count: int) -> list[int]:
    """`count` walk-ins waiting, added by the lead: coat 0, coat 1, …"""
    return [visits.new_walk_in(ctx, team.lead, description=f"coat {n}") for n in range(count)]


@asynccontextmanager
async def sams_board(ctx: ShopContext) -> AsyncIterator[tuple[StaffApp, Pilot[None], FittedTable]]:
    """The staff app with Sam signed in, and its floor board."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        yield app, pilot, board(app)


async def claimed_elsewhere(
    app: StaffApp, pilot: Pilot[None], ctx: ShopContext, team: Team, visit_id: int
) -> None:
    """Alex claims `visit_id` at another terminal; the feed tells this app, which settles."""
    seen = changes.latest_event_id(ctx)
    visits.claim_visit(ctx, team.alex, visit_id)
    deliver(app, ctx, seen)
    await settle(pilot)


def rows_now(table: FittedTable, visit_ids: list[int]) -> dict[int, list[Text]]:
    """The cell objects each of these visits' rows holds now."""
    return {visit_id: cell_objects(table, visit_id) for visit_id in visit_ids}


def assert_untouched(table: FittedTable, before: dict[int, list[Text]]) -> None:
    """Each of these rows still holds the very cell objects it held (none redrawn)."""
    for visit_id, cells in before.items():
        assert all(a is b for a, b in zip(cell_objects(table, visit_id), cells, strict=True))


async def test_a_claim_elsewhere_redraws_that_row_only_without_reading_the_board(
    ctx: ShopContext, team: Team, board_reads: BoardReads
) -> None:
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        reads = board_reads.count
        others = rows_now(table, walk_ins[1:])
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[0])
        assert board_reads.count == reads
        assert shown_board(table) == expected_board(ctx)
        assert plain(table.get_row(str(walk_ins[0]))[4]) == "Alex"
        assert_untouched(table, others)


async def test_a_burst_of_changes_ends_in_the_right_board(
    ctx: ShopContext, team: Team, board_reads: BoardReads
) -> None:
    walk_ins = coats(ctx, team, 6)
    async with sams_board(ctx) as (app, pilot, table):
        reads = board_reads.count
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.alex, walk_ins[2])
        seen = deliver(app, ctx, seen)  # delivered while the next changes are made
        visit_needs.set_need(ctx, team.lead, walk_ins[4], NeedKind.NEEDS_HELP)
        seen = deliver(app, ctx, seen)
        visits.end_visit(ctx, team.alex, walk_ins[2], Outcome.PURCHASE)
        late = visits.new_walk_in(ctx, team.alex, description="late comer", claim=True)
        request = handoffs.request_handoff(ctx, team.alex, late, team.sam.staff_id or 0, "Sam knows shoes")
        deliver(app, ctx, seen)
        await settle(pilot)
        assert board_reads.count == reads
        assert shown_board(table) == expected_board(ctx)
        assert walk_ins[2] not in shown_ids(table) and late in shown_ids(table)
        assert shown_ids(table)[0] == walk_ins[4]  # needs help, unclaimed: first
        assert plain(table.get_row(str(late))[0]) == "H/O"
        assert request


async def test_after_a_reconnect_the_whole_board_is_read_again(
    ctx: ShopContext, team: Team, board_reads: BoardReads
) -> None:
    walk_ins = coats(ctx, team, 3)
    async with sams_board(ctx) as (app, pilot, table):
        reads = board_reads.count
        visits.claim_visit(ctx, team.alex, walk_ins[1])  # missed while offline
        visits.end_visit(ctx, team.lead, walk_ins[0], Outcome.LEFT_UNSERVED)
        app.apply_feed_event(FeedEvent(online=False))
        app.apply_feed_event(FeedEvent(online=True, resumed=True))
        await settle(pilot)
        assert board_reads.count == reads + 1
        assert shown_board(table) == expected_board(ctx)


async def test_changes_that_cannot_name_their_visits_read_the_whole_board(
    ctx: ShopContext, team: Team, board_reads: BoardReads
) -> None:
    coats(ctx, team, 1)
    async with sams_board(ctx) as (app, pilot, _table):
        reads = board_reads.count
        app.apply_feed_event(
            FeedEvent(online=True, changes=(changes.Change(10_000, "day", 1, "day.close_undone"),))
        )
        await settle(pilot)
        assert board_reads.count == reads + 1


async def test_the_cursor_stays_on_its_visit_when_rows_move(ctx: ShopContext, team: Team) -> None:
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down", "down")
        assert table.cursor_row_key() == str(walk_ins[2])
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.alex, walk_ins[0])  # moves below the waiting ones
        visit_needs.set_need(ctx, team.lead, walk_ins[4], NeedKind.NEEDS_HELP)  # moves to the top
        deliver(app, ctx, seen)
        await settle(pilot)
        assert shown_board(table) == expected_board(ctx)
        assert table.cursor_row_key() == str(walk_ins[2])
        assert isinstance(app.screen, FloorScreen) and app.screen.selected_visit_id() == walk_ins[2]


async def test_the_clock_moves_waiting_times_without_reading_the_board(
    ctx: ShopContext, team: Team, clock: ManualClock, board_reads: BoardReads
) -> None:
    waiting = visits.new_walk_in(ctx, team.lead, description="red coat")
    served = visits.new_walk_in(ctx, team.lead, description="blue hat", claim=True)
    async with sams_board(ctx) as (app, pilot, table):
        reads = board_reads.count
        served_cells = cell_objects(table, served)
        clock.advance(minutes=30)
        assert isinstance(app.screen, FloorScreen)
        app.screen.tick()
        await settle(pilot)
        assert board_reads.count == reads
        row = table.get_row(str(waiting))
        assert plain(row[3]) == "30 min" and plain(row[0]) == "WAIT"
        assert plain(table.get_row(str(served))[3]) == "served 30 min"
        assert table.get_row(str(served))[1] is served_cells[1]  # the rest of the row untouched


def test_changes_off_the_floor_read_nothing(ctx: ShopContext, team: Team) -> None:
    patch = floor_changes.floor_patch(ctx, [changes.Change(1, "kudos", 3, "kudos.given")])
    assert patch == floor_changes.FloorPatch(frozenset(), ())


def test_a_hand_off_request_touches_its_visit(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike", claim=True)
    seen = changes.latest_event_id(ctx)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes")
    patch = floor_changes.floor_patch(ctx, changes.changes_since(ctx, seen))
    assert patch is not None and patch.visit_ids == {visit_id}
    assert [row.handoff_pending for row in patch.rows] == [True]


async def test_a_board_longer_than_a_first_frame_fills_in_and_updates(ctx: ShopContext, team: Team) -> None:
    walk_ins = coats(ctx, team, FIRST_ROWS + 5)
    async with sams_board(ctx) as (app, pilot, table):
        assert table.row_count == len(walk_ins)
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[-1])
        assert shown_board(table) == expected_board(ctx)


async def test_back_from_another_screen_reads_only_the_visits_changed_meanwhile(
    ctx: ShopContext, team: Team, board_reads: BoardReads
) -> None:
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        others = rows_now(table, walk_ins[1:])
        await pilot.press("f")  # My follow-ups covers the board
        await settle(pilot)
        assert not isinstance(app.screen, FloorScreen)
        reads = board_reads.count
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[0])
        await pilot.press("escape")
        await settle(pilot)
        assert board_reads.count == reads
        assert shown_board(table) == expected_board(ctx)
        assert plain(table.get_row(str(walk_ins[0]))[4]) == "Alex"
        assert_untouched(table, others)

        await pilot.press("f")
        await settle(pilot)
        reads = board_reads.count
        app.apply_feed_event(FeedEvent(online=False))
        visits.claim_visit(ctx, team.alex, walk_ins[1])  # made while the feed was away
        app.apply_feed_event(FeedEvent(online=True, resumed=True))
        await pilot.press("escape")
        await settle(pilot)
        assert board_reads.count == reads + 1  # after an outage, the whole board
        assert shown_board(table) == expected_board(ctx)


class CellsRendered:
    """The cell texts the app renders anew (through rich) from now on."""

    def __init__(self, app: StaffApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.texts: list[str] = []
        render_lines = app.console.render_lines

        def counted(renderable: Any, *args: Any, **kwargs: Any) -> Any:
            inner = renderable
            while not isinstance(inner, Text) and hasattr(inner, "renderable"):
                inner = inner.renderable
            if isinstance(inner, Text):
                self.texts.append(inner.plain)
            return render_lines(renderable, *args, **kwargs)

        monkeypatch.setattr(app.console, "render_lines", counted)


def coat_texts(texts: list[str], visit_ids: list[int], walk_ins: list[int]) -> set[str]:
    """Which of these visits' descriptions ("coat n") are among the texts rendered."""
    names = {f"coat {walk_ins.index(visit_id)}" for visit_id in visit_ids}
    return {name for name in names if any(text.startswith(name) for text in texts)}


async def test_rows_a_claim_moves_past_are_not_rendered_again(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claimed row moves below the four still waiting: they move up one line each
    (and change stripe), but their cells are not rendered through rich again."""
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down", "down")
        rendered = CellsRendered(app, monkeypatch)
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[0])
        assert shown_ids(table)[:5] == [*walk_ins[1:], walk_ins[0]]
        assert plain(table.get_row(str(walk_ins[0]))[4]) == "Alex"
        assert "Alex" in rendered.texts
        assert coat_texts(rendered.texts, walk_ins[1:], walk_ins) == set()
        assert table.cursor_row_key() == str(walk_ins[2])


async def test_a_walk_in_elsewhere_adds_its_row_only(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down", "down", "down")
        others = rows_now(table, walk_ins)
        rendered = CellsRendered(app, monkeypatch)
        seen = changes.latest_event_id(ctx)
        late = visits.new_walk_in(ctx, team.alex, description="hat 9")  # no wider column
        deliver(app, ctx, seen)
        await settle(pilot)
        assert shown_board(table) == expected_board(ctx)
        assert late in shown_ids(table)
        assert any(text.startswith("hat 9") for text in rendered.texts)
        assert coat_texts(rendered.texts, walk_ins, walk_ins) == set()
        assert table.virtual_size.height == 1 + len(walk_ins) + 1  # scrolls to the last row
        assert_untouched(table, others)
        assert table.cursor_row_key() == str(walk_ins[3])


async def test_a_visit_ended_elsewhere_removes_its_row_only(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down", "down", "down")
        others = rows_now(table, [walk_ins[0], *walk_ins[2:]])
        rendered = CellsRendered(app, monkeypatch)
        seen = changes.latest_event_id(ctx)
        visits.end_visit(ctx, team.lead, walk_ins[1], Outcome.LEFT_UNSERVED)
        deliver(app, ctx, seen)
        await settle(pilot)
        assert shown_board(table) == expected_board(ctx)
        assert walk_ins[1] not in shown_ids(table)
        assert coat_texts(rendered.texts, walk_ins, walk_ins) == set()
        assert table.virtual_size.height == 1 + len(walk_ins) - 1
        assert_untouched(table, others)
        assert table.cursor_row_key() == str(walk_ins[3])


async def test_a_row_changed_once_is_not_rendered_again_by_the_next_change(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alex claims one visit, then the lead another: the second change renders nothing
    of the row the first one changed (it is drawn from its rendering kept)."""
    walk_ins = coats(ctx, team, 5)
    async with sams_board(ctx) as (app, pilot, table):
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[0])
        rendered = CellsRendered(app, monkeypatch)
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.lead, walk_ins[1])
        deliver(app, ctx, seen)
        await settle(pilot)
        assert shown_board(table) == expected_board(ctx)
        assert team.lead.name in rendered.texts
        assert "Alex" not in rendered.texts


async def test_a_change_elsewhere_builds_the_cells_of_its_visits_only(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board's other rows keep their cells (their waiting times move with the tick);
    only the changed visit's row is worked out again and put in its place."""
    walk_ins = coats(ctx, team, 6)
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down")
        built: list[int] = []
        cells = FloorCells.cells

        def counted(self: FloorCells, row: visit_views.FloorRow, narrow: bool, now: datetime) -> list[Text]:
            built.append(row.visit_id)
            return cells(self, row, narrow, now)

        monkeypatch.setattr(FloorCells, "cells", counted)
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[3])
        assert built == [walk_ins[3]]
        assert shown_board(table) == expected_board(ctx)
        seen = changes.latest_event_id(ctx)
        visits.end_visit(ctx, team.lead, walk_ins[0], Outcome.LEFT_UNSERVED)
        late = visits.new_walk_in(ctx, team.alex, description="hat 9")
        deliver(app, ctx, seen)
        await settle(pilot)
        assert built == [walk_ins[3], late]
        assert shown_board(table) == expected_board(ctx)
        assert table.cursor_row_key() == str(walk_ins[1])


def summary_text(app: StaffApp) -> str:
    return str(app.screen.query_one("#floor-summary", SummaryLine).visual)


class Layouts:
    """How many times the screen is laid out again from now on."""

    def __init__(self, app: StaffApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        screen = app.screen
        refresh_layout = screen._refresh_layout

        def counted(*args: Any, **kwargs: Any) -> None:
            self.count += 1
            refresh_layout(*args, **kwargs)

        monkeypatch.setattr(screen, "_refresh_layout", counted)


async def test_a_claim_elsewhere_updates_the_row_and_the_summary_without_a_layout(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary's new text fits on its line like the old one: it is painted, and the
    screen is not laid out again; the cursor stays on its visit."""
    walk_ins = coats(ctx, team, 5)
    visits.new_walk_in(ctx, team.lead, description="blue hat", claim=True)  # the columns' widths stay
    async with sams_board(ctx) as (app, pilot, table):
        await pilot.press("down", "down")
        assert "6 in the shop · 5 waiting" in summary_text(app)
        layouts = Layouts(app, monkeypatch)
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[3])
        assert shown_board(table) == expected_board(ctx)
        assert plain(table.get_row(str(walk_ins[3]))[4]) == "Alex"
        assert "6 in the shop · 4 waiting" in summary_text(app)
        assert layouts.count == 0
        assert table.cursor_row_key() == str(walk_ins[2])
        await claimed_elsewhere(app, pilot, ctx, team, walk_ins[0])  # the cursor's row moves up
        assert shown_board(table) == expected_board(ctx)
        assert "6 in the shop · 3 waiting" in summary_text(app)
        assert table.cursor_row_key() == str(walk_ins[2]) and table.cursor_row == 1


async def test_a_summary_that_no_longer_fits_its_line_is_laid_out_again() -> None:
    """A text longer than the line wraps, and the summary grows to show all of it."""

    class OneSummary(App[None]):
        def compose(self) -> ComposeResult:
            yield SummaryLine(id="summary")

    app = OneSummary()
    async with app.run_test(size=(30, 6)) as pilot:
        summary = app.query_one(SummaryLine)
        summary.show(Text("3 in the shop"))
        await pilot.pause()
        assert summary.size.height == 1
        summary.show(Text("3 in the shop · 2 waiting · 1 with you · 1 need attention now"))
        await pilot.pause()
        assert summary.size.height == 3
        summary.show(Text("3 in the shop"))
        await pilot.pause()
        assert summary.size.height == 1
        assert str(summary.visual) == "3 in the shop"
