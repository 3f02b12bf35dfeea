"""A board that could not be read says so; it never looks like an empty shop. Once, a
huge greet threshold made every read of the floor board fail, and the board read
"Nobody is waiting. Press n…" with nine people in the shop. A failed read now shows
that the board could not be read (the rows already shown are kept), and the same goes
for the audit log; a setting stored out of range before the ranges existed is read in
range, so the board opens with its rows."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from counter_tui.db.models import ShopSetting
from counter_tui.services import audit_views, floor_changes, shop_settings, visits
from counter_tui.services.context import ShopContext
from counter_tui.shop_rules import SETTING_KEYS
from counter_tui.ui.dialogs.setting import SettingDialog
from counter_tui.ui.screens.audit import AuditScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.shop_settings import ShopSettingsScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows, type_text

EMPTY = "Nobody is waiting"


class Broken:
    """A read that fails while `broken` is set (as an OverflowError once did)."""

    def __init__(self, read: Any) -> None:
        self.read = read
        self.broken = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.broken:
            raise OverflowError("date value out of range")
        return self.read(*args, **kwargs)


def _message(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return plain(widget.render()) if widget.display else ""


async def test_a_board_that_cannot_be_read_does_not_say_nobody_is_waiting(
    ctx: ShopContext,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    visits.new_walk_in(ctx, team.alex, description="red coat")
    broken = Broken(floor_changes.whole_board)
    monkeypatch.setattr(floor_changes, "whole_board", broken)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)

        shown = _message(app.screen, "#floor-empty")
        assert EMPTY not in shown
        assert "could not be read" in shown
        assert app.messages and not [said for said in app.messages if "saved" in said.lower()]

        broken.broken = False
        app.screen.tick()
        await settle(pilot)
        assert [row[1] for row in table_rows(app.screen.query_one(DataTable))] == ["red coat"]
        assert not app.screen.query_one("#floor-empty").display


async def test_a_failed_read_keeps_the_rows_shown_and_says_they_may_be_old(
    ctx: ShopContext,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    visits.new_walk_in(ctx, team.alex, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        assert len(table_rows(app.screen.query_one(DataTable))) == 1

        monkeypatch.setattr(floor_changes, "whole_board", Broken(floor_changes.whole_board))
        app.screen.reload()
        await settle(pilot)

        assert [row[1] for row in table_rows(app.screen.query_one(DataTable))] == ["red coat"]
        shown = _message(app.screen, "#floor-empty")
        assert EMPTY not in shown
        assert "could not be read" in shown


async def test_an_audit_log_that_cannot_be_read_does_not_say_no_events_match(
    ctx: ShopContext,
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    monkeypatch.setattr(audit_views, "audit_log", Broken(audit_views.audit_log))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await app.push_screen(AuditScreen())
        await settle(pilot)

        shown = _message(app.screen, "#audit-empty")
        assert "No events match" not in shown
        assert "could not be read" in shown


async def test_a_threshold_stored_out_of_range_still_opens_the_board_with_its_rows(
    ctx: ShopContext, team: Team
) -> None:
    for description in ("red coat", "pram", "two kids"):
        visits.new_walk_in(ctx, team.alex, description=description)
    with ctx.database.write() as session:
        query = select(ShopSetting).where(ShopSetting.key == "thresholds.greet_within_minutes")
        row = session.exec(query).one()
        row.value = json.dumps(99999999999)
        session.add(row)
    ctx.forget_rules()
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)

        assert len(table_rows(app.screen.query_one(DataTable))) == 3
        assert not any("Something went wrong" in message for message in app.messages)


async def test_a_huge_value_typed_in_the_settings_screen_is_refused_and_kept(
    ctx: ShopContext, team: Team
) -> None:
    row = SETTING_KEYS.index("thresholds.greet_within_minutes")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ShopSettingsScreen)
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingDialog)
        assert "from 1 to 120" in plain(app.screen.query_one(".setting-meaning", Static).render())
        await pilot.press("ctrl+u")
        await type_text(pilot, "99999999999")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, SettingDialog)
        error = app.screen.query_one("#answer-error", Static)
        assert error.display
        assert plain(error.render()) == (
            "thresholds.greet_within_minutes: type a whole number from 1 to 120 (minutes)."
        )
        assert app.screen.query_one("#answer", Input).value == "99999999999"
        assert not any("changed, for every terminal" in message for message in app.messages)
    assert shop_settings.current(ctx).thresholds.greet_within_minutes == 5


def test_a_read_answered_while_the_board_is_not_composed_is_let_go() -> None:
    """A catch-up answered while the board has no notice on it (not composed yet, or being
    put together again) once failed with NoMatches; there is nothing to tell, so nothing is."""
    board = FloorScreen()

    board._read_worked()
    board._read_went_wrong()
