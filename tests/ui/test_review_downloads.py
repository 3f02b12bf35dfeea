"""A lead's exports in a browser, on Lead review → Day end: every customer (`p`) and the
visits of chosen days (`w`, asked in a dialog), written by the CLI's export (Excel-safe)
and audited as a browser download. The keys are off in a terminal (test_review_ui.py),
so these tests call the pane and catch what would go to the browser."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import IO, Any

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from counter_tui.db.models import AuditEvent
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.exports import CUSTOMER_HEADERS, EXPORTED, VISIT_HEADERS
from counter_tui.ui.dialogs.export_period import ExportPeriodDialog
from counter_tui.ui.review.end_of_day import EndOfDayPane
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, settle
from tests.ui.test_review_ui import open_review


class Browser:
    """What the app hands to the browser: (file name, text) of each download."""

    def __init__(self, app: StaffApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[tuple[str, str]] = []

        def deliver_text(file: IO[str], *, save_filename: str | None = None, **_: Any) -> None:
            assert isinstance(file, io.StringIO)
            self.files.append((save_filename or "", file.getvalue()))

        monkeypatch.setattr(app, "deliver_text", deliver_text)


def exports_recorded(ctx: ShopContext) -> list[dict[str, object]]:
    """The details of every export in the audit trail."""
    with ctx.database.read() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == EXPORTED)).all()
        return [json.loads(event.details) for event in events]


async def test_every_customer_downloads_excel_safe_and_audited(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    customers.create_customer(ctx, team.sam, name="=HYPERLINK(evil)", phone="07700 900123")
    app = StaffApp(ctx)
    browser = Browser(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "7")
        pane = screen.active_pane()
        assert isinstance(pane, EndOfDayPane)
        pane.download_customers()
        await settle(pilot)
        [(filename, text)] = browser.files
        assert filename == f"customers-{ctx.calendar.local_date(ctx.now()).isoformat()}.csv"
        header, row = text.splitlines()
        assert header == ",".join(CUSTOMER_HEADERS)
        assert row.split(",")[1] == "'=HYPERLINK(evil)"
        assert any("Every customer is downloading" in message for message in app.messages)
    [details] = exports_recorded(ctx)
    assert (details["what"], details["to"], details["rows"]) == ("customers", "a browser download", 1)


async def test_visits_download_asks_which_days_and_refuses_beside_the_field(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    visits.new_walk_in(ctx, team.sam, description="@SUM(1)", claim=True)
    today = ctx.calendar.local_date(ctx.now())
    monday = today - timedelta(days=today.weekday())
    app = StaffApp(ctx)
    browser = Browser(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, app, "7")
        pane = screen.active_pane()
        assert isinstance(pane, EndOfDayPane)
        pane.download_visits()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportPeriodDialog)
        first, last = dialog.query_one("#export-from", Input), dialog.query_one("#export-to", Input)
        assert (first.value, last.value) == (monday.isoformat(), today.isoformat())

        first.value = "last week"
        await pilot.press("enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in plain(dialog.query_one("#export-from-error", Static).visual)

        first.value = "today"
        last.value = "yesterday"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "after it ends" in plain(dialog.query_one("#export-to-error", Static).visual)
        assert browser.files == []

        last.value = today.isoformat()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        [(filename, text)] = browser.files
        assert filename == f"visits-{today.isoformat()}-to-{today.isoformat()}.csv"
        header, row = text.splitlines()
        assert header == ",".join(VISIT_HEADERS)
        assert ",'@SUM(1)," in row
    [details] = exports_recorded(ctx)
    assert (details["what"], details["to"], details["period"]) == (
        "visits",
        "a browser download",
        f"{today.isoformat()} to {today.isoformat()}",
    )
