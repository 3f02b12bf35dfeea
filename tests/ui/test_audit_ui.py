"""The audit log for leads, driven by keys: l from the review opens it, newest first; f
filters by customer, staff member, action and day; ] and [ page; x clears; details show
as plain text; an erased customer's events show as redacted."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import Outcome
from counter_tui.services import customers, erasure, visits
from counter_tui.services.audit_views import PAGE_SIZE
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.audit_event import AuditEventDialog
from counter_tui.ui.dialogs.audit_filter import AuditFilterDialog
from counter_tui.ui.screens.audit import AuditScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows, type_text

BOB = "Bob [b]Jones[/b]"


@pytest.fixture
def history(ctx: ShopContext, team: Team, clock: ManualClock) -> dict[str, int]:
    """Friday: Sam puts Bob on file (a name with markup in it) and serves him. Saturday:
    Alex puts Cara Lee on file and serves a walk-in."""
    bob = customers.create_customer(ctx, team.sam, name=BOB)
    sale = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, sale, Outcome.PURCHASE)
    clock.advance(days=1)
    cara = customers.create_customer(ctx, team.alex, name="Cara Lee")
    walk_in = visits.new_walk_in(ctx, team.alex, description="green coat", claim=True)
    visits.end_visit(ctx, team.alex, walk_in, Outcome.NO_PURCHASE)
    return {"bob": bob, "cara": cara}


async def open_audit(pilot: Pilot[None], app: StaffApp) -> AuditScreen:
    """Dana signs in; l opens the review, l again the audit log."""
    await quick_sign_in(pilot, "dana", "1111")
    await pilot.press("l", "l")
    await settle(pilot)
    assert isinstance(app.screen, AuditScreen)
    return app.screen


def rows(screen: AuditScreen) -> list[list[str]]:
    return table_rows(screen.query_one("#audit-table", DataTable))


def event_ids(screen: AuditScreen) -> list[int]:
    """The ids of the events listed, top to bottom (each row's key)."""
    table = screen.query_one("#audit-table", DataTable)
    return [int(str(key.value)) for key in table.rows]


def summary(screen: AuditScreen) -> str:
    return plain(screen.query_one("#audit-summary", Static).visual)


async def filter_by(pilot: Pilot[None], *, customer: str = "", staff_down: int = 0, day: str = "") -> None:
    """f, then type and choose by keys: the customer box, the staff list (arrows down),
    the day box; Enter shows what matches."""
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AuditFilterDialog)
    await type_text(pilot, customer)
    await pilot.press("tab", *["down"] * staff_down, "tab")
    await type_text(pilot, day)
    await pilot.press("enter")
    await settle(pilot)


async def test_newest_first_with_details_as_plain_text(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot, app)
        shown = rows(screen)
        assert [row[2] for row in shown[:3]] == ["staff.signed_in", "visit.ended", "visit.claimed"]
        assert shown[0][1] == "Dana"
        [bob_created] = [row for row in shown if row[3] == BOB and row[2] == "customer.created"]
        assert bob_created[1:3] == ["Sam", "customer.created"]
        assert bob_created[5] == f"name: {BOB}"
        assert summary(screen).startswith("Showing: every event · page 1")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AuditScreen)


async def test_filters_by_customer_staff_action_and_day_by_keys(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot, app)
        await filter_by(pilot, customer="jones")
        assert [row[2] for row in rows(screen)] == [
            "followup.queued",
            "visit.ended",
            "visit.claimed",
            "visit.created",
            "customer.created",
        ]
        assert summary(screen).startswith('Showing: about "jones" · page 1')

        await pilot.press("x")
        await settle(pilot)
        await filter_by(pilot, staff_down=1, day="today")  # Alex (staff by name: Alex, Dana, Sam)
        assert {row[1] for row in rows(screen)} == {"Alex"}
        assert "customer.created" in [row[2] for row in rows(screen)]
        assert "by Alex" in summary(screen) and "on 2026-11-21" in summary(screen)

        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AuditFilterDialog)
        await pilot.press("tab", "tab", "tab")
        while dialog.query_one("#audit-action").value != "customer.created":  # type: ignore[attr-defined]
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert [row[2:4] for row in rows(screen)] == [["customer.created", "Cara Lee"]]

        await pilot.press("x")
        await settle(pilot)
        assert summary(screen).startswith("Showing: every event")


async def test_a_day_that_is_not_a_date_is_refused_in_the_dialog(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_audit(pilot, app)
        await filter_by(pilot, day="31-02")
        dialog = app.screen
        assert isinstance(dialog, AuditFilterDialog)
        assert "YYYY-MM-DD" in plain(dialog.query_one("#audit-day-error", Static).visual)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)


async def test_pages_older_and_newer(ctx: ShopContext, team: Team, history: dict[str, int]) -> None:
    for index in range(PAGE_SIZE):
        customers.add_note(ctx, team.sam, history["cara"], f"note {index}")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot, app)
        first = event_ids(screen)
        assert len(first) == PAGE_SIZE and "] older" in summary(screen)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        second = event_ids(screen)
        assert summary(screen).startswith("Showing: every event · page 2")
        assert first + second == sorted(first + second, reverse=True)
        assert second[-1] == 1
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert event_ids(screen) == first


async def test_an_erased_customers_events_show_as_redacted(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    erasure.erase_customer(ctx, team.lead, history["bob"], "asked to be forgotten")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(pilot, app)
        about_bob = [row for row in rows(screen) if row[3] == f"erased customer #{history['bob']}"]
        [bob_created] = [row for row in about_bob if row[2] == "customer.created"]
        assert bob_created[5] == "redacted (erased customer)"
        assert not any("Jones" in cell for row in rows(screen) for cell in row)


async def test_enter_shows_the_whole_event_even_at_80_by_24(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    """At 80×24 the table cuts Action and Details; Enter on a row shows the whole event in
    a dialog (details as plain text, markup shown as typed), and Esc goes back to the row."""
    app = StaffApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_audit(pilot, app)
        table = screen.query_one("#audit-table", DataTable)
        assert "Enter: whole event" in summary(screen)
        created = next(
            e for e in screen.page.entries if e.action == "customer.created" and "Bob" in e.details
        )
        bob_row = event_ids(screen).index(created.id)
        table.move_cursor(row=bob_row)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditEventDialog)
        shown = " ".join(plain(label.visual) for label in app.screen.query(Static))
        assert "customer.created" in shown
        assert f"name: {BOB}" in shown
        assert "Sam" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert table.cursor_row == bob_row
