"""Customer text is shown literally, never as markup or terminal escapes; an error inside
a service call becomes a message, never a crash."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import update
from textual.widgets import DataTable, Static

from counter_tui.db.models import Customer
from counter_tui.sentences import said_of_a_read
from counter_tui.services import customers, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.guarded_app import UNEXPECTED
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    plain,
    quick_sign_in,
    screen_text,
    settle,
    table_rows,
    type_text,
)

LONG_NAME = "Q" * 5000
# Stored name -> what a person should read (control characters dropped, nothing else changed).
HOSTILE_NAMES = {
    "[/]": "[/]",
    "[@click=app.quit]x[/]": "[@click=app.quit]x[/]",
    "\x1b]0;pwned\x07Bob": "]0;pwnedBob",
    "Zoë 🧁 Ünal [Bob] O[Neil]": "Zoë 🧁 Ünal [Bob] O[Neil]",
    LONG_NAME: LONG_NAME,
}


def cut(text: str, width: int) -> str:
    """`text` as a column `width` wide shows it: whole, or cut with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


@pytest.fixture
def hostile_visits(ctx: ShopContext, team: Team) -> dict[str, int]:
    """A visit in progress (owned by Sam) for each hostile name, stored exactly as given:
    the service cleans names on the way in, so the raw text is written behind its back,
    as an import or an older version might have done. Returns visit ids by stored name."""
    visit_ids: dict[str, int] = {}
    for index, name in enumerate(HOSTILE_NAMES):
        customer_id = customers.create_customer(ctx, team.sam, name=f"Placeholder {index}")
        with ctx.database.write() as session:
            session.connection().execute(
                update(Customer).where(Customer.id == customer_id).values(name=name)  # type: ignore[arg-type]
            )
        visit_ids[name] = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    return visit_ids


def assert_no_control_characters(text: str) -> None:
    """Nothing on screen may carry ESC or BEL to the real terminal."""
    assert "\x1b" not in text and "\x07" not in text


async def test_floor_shows_hostile_names_literally(ctx: ShopContext, hostile_visits: dict[str, int]) -> None:
    """Every name reads as typed (cut to the column), and the app keeps running."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        shown = {row[1] for row in table_rows(app.screen.query_one(DataTable))}
        assert shown == {cut(readable, 30) for readable in HOSTILE_NAMES.values()}
        assert_no_control_characters(screen_text(app.screen))
        assert_no_control_characters(app.export_screenshot())
        assert app.is_running


async def test_customer_view_shows_hostile_names_literally(
    ctx: ShopContext, hostile_visits: dict[str, int]
) -> None:
    """Each customer's view names them in full, literally; clicking where a markup link
    would be does nothing; the app keeps running."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        for stored, readable in HOSTILE_NAMES.items():
            await app.push_screen(CustomerScreen(visit_id=hostile_visits[stored]))
            await settle(pilot)
            contact = plain(app.screen.query_one("#contact-block", Static).visual)
            assert contact.startswith(readable + "\n")
            assert app.screen.sub_title == cut(readable, 40)
            assert_no_control_characters(screen_text(app.screen))
            assert_no_control_characters(app.export_screenshot())
            await pilot.click("#contact-block")
            await settle(pilot)
            assert app.is_running
            assert isinstance(app.screen, CustomerScreen)
            await pilot.press("escape")
            await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_find_shows_hostile_names_literally(ctx: ShopContext, hostile_visits: dict[str, int]) -> None:
    """The first page of everyone lists each name as typed, cut to the column."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        rows = table_rows(app.screen.query_one(DataTable))
        assert {row[0] for row in rows} == {cut(readable, 40) for readable in HOSTILE_NAMES.values()}
        assert all(row[3] == "in the shop" for row in rows)
        assert_no_control_characters(app.export_screenshot())
        assert app.is_running


async def test_markup_typed_as_a_walk_in_description_stays_text(ctx: ShopContext, team: Team) -> None:
    """A description typed with markup is shown as typed on the board and in the view."""
    typed = "[@click=app.quit]coat[/] [b]"
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, typed)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        [row] = table_rows(app.screen.query_one(DataTable))
        assert row[1] == typed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.sub_title == typed
        assert app.is_running


async def test_unexpected_error_in_a_service_becomes_a_message(
    ctx: ShopContext,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    """A service blowing up shows a calm sentence (no traceback, no internals), is logged,
    and the app carries on working."""
    visit_id = visits.new_walk_in(ctx, team.alex, description="umbrella stand")

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk I/O error at /secret/path")

    monkeypatch.setattr(visits, "claim_visit", explode)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        with caplog.at_level(logging.ERROR, logger="counter_tui"):
            await pilot.press("c")
            await settle(pilot)
        assert app.messages[-1] == UNEXPECTED
        assert not any("secret" in message for message in app.messages)
        assert any("disk I/O error" in record.exc_text for record in caplog.records if record.exc_text)
        assert app.is_running
        assert isinstance(app.screen, FloorScreen)
        monkeypatch.undo()
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == "They're yours for this visit."
        assert table_rows(app.screen.query_one(DataTable))[0][4] == "Sam"
    assert [row.owner_name for row in visit_views.floor_board(ctx) if row.visit_id == visit_id] == ["Sam"]
    assert len(unexpected_errors) == 1


async def test_error_while_loading_a_screen_becomes_a_message(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch, unexpected_errors: list[logging.LogRecord]
) -> None:
    """If loading the floor board fails, the board stays up and says so."""

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection reset")

    monkeypatch.setattr(visit_views, "floor_board", explode)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        assert said_of_a_read(UNEXPECTED) in app.messages  # a read: nothing to say of saving
        assert app.is_running
    assert unexpected_errors and all("service call" in r.getMessage() for r in unexpected_errors)
