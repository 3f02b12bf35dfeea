"""The staff app's one error path: a failure injected into a service call, its `then` or
`refused` callback, a message handler, a key's action or a timer is logged with where it
happened (and no customer data), shown as one sentence that says "nothing was saved" only
when that is true, and the app keeps running: the next key still works."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

import counter_tui.ui
from counter_tui.services import visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui import app as app_module
from counter_tui.ui.app import CounterApp
from counter_tui.ui.dialogs.lead_pin import LeadPinDialog
from counter_tui.ui.guarded_app import UNEXPECTED, UNEXPECTED_AFTER, Guarded, GuardedApp
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.failures import INJECTED, FailOnce
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, screen_text, settle, table_rows, type_text

CUSTOMER = "Grace Hopper"


def log_text(tmp_path: Path) -> str:
    return (tmp_path / "state" / "counter-tui" / "log" / "counter-tui.log").read_text(encoding="utf-8")


def assert_logged(tmp_path: Path, where: str, reported: list[logging.LogRecord]) -> None:
    """Reported once; the log names where it failed, on which screen, and the error; no
    customer data."""
    assert [record.getMessage() for record in reported] == [f"{where} failed (on FloorScreen)"]
    logged = log_text(tmp_path)
    assert f"{where} failed (on FloorScreen)" in logged
    assert f"RuntimeError: {INJECTED}" in logged
    assert CUSTOMER not in logged


def owner_on_board(ctx: ShopContext, visit_id: int) -> str | None:
    return next(row.owner_name for row in visit_views.floor_board(ctx) if row.visit_id == visit_id)


@pytest.fixture
def waiting(ctx: ShopContext, team: Team) -> int:
    """A customer waiting for someone to claim them."""
    return visits.new_walk_in(ctx, team.alex, description=CUSTOMER)


async def claim_works(pilot: Pilot[None], app: StaffApp, ctx: ShopContext, visit_id: int) -> None:
    """The next key still works: c claims the highlighted customer."""
    await pilot.press("c")
    await settle(pilot)
    assert app.messages[-1] == "They're yours for this visit."
    assert owner_on_board(ctx, visit_id) == "Sam"


async def test_a_failing_service_call_says_nothing_was_saved(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    waiting: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(visits, "claim_visit", FailOnce().wrap(visits.claim_visit))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED
        assert owner_on_board(ctx, waiting) is None
        await claim_works(pilot, app, ctx, waiting)
    assert_logged(tmp_path, "service call claim_visit", unexpected_errors)


async def test_a_failing_then_after_a_save_does_not_claim_nothing_was_saved(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    waiting: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The claim was saved; showing it failed. The sentence must not say nothing was saved."""
    monkeypatch.setattr(FloorScreen, "_claimed", FailOnce().wrap(FloorScreen._claimed))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED_AFTER
        assert owner_on_board(ctx, waiting) == "Sam"
        assert app.is_running
        await pilot.press("down", "enter")
        await settle(pilot)
        assert CUSTOMER in str(app.screen.sub_title)
    assert_logged(
        tmp_path,
        "FloorScreen.action_claim.<locals>.<lambda> after service call claim_visit",
        unexpected_errors,
    )


async def test_a_failing_refused_callback_is_reported_and_the_dialog_still_works(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A wrong PIN is a refusal; showing it fails once. (The failed attempt may have been
    recorded, so the sentence does not say nothing was saved.)"""
    monkeypatch.setattr(LeadPinDialog, "_refused", FailOnce().wrap(LeadPinDialog._refused))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+q")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LeadPinDialog)
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED_AFTER
        assert app.is_running and app.screen is dialog
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert "Wrong PIN for Dana" in screen_text(dialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
    logged = log_text(tmp_path)
    where = "LeadPinDialog._refused after service call LeadClose._close_check"
    assert f"{where} failed (on LeadPinDialog)" in logged
    assert len(unexpected_errors) == 1


async def test_a_failing_message_handler_is_reported_and_the_screen_keeps_handling_messages(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    waiting: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual would stop a screen's message loop after its handler raised; here the
    screen reloads on the next change as before."""
    monkeypatch.setattr(CounterScreen, "on_data_changed", FailOnce().wrap(CounterScreen.on_data_changed))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        app.screen.post_message(DataChanged(()))
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED_AFTER
        visits.new_walk_in(ctx, team.alex, description="blue umbrella")
        app.screen.post_message(DataChanged((), resumed=True))
        await settle(pilot)
        assert [row[1] for row in table_rows(app.screen.query_one(DataTable))] == [CUSTOMER, "blue umbrella"]
        await claim_works(pilot, app, ctx, waiting)
    assert_logged(tmp_path, "FloorScreen.on_data_changed", unexpected_errors)


async def test_a_failing_action_is_reported_and_the_key_works_next_time(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    waiting: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FloorScreen, "action_claim", FailOnce().wrap(FloorScreen.action_claim))
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("c")
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED_AFTER
        assert owner_on_board(ctx, waiting) is None
        await claim_works(pilot, app, ctx, waiting)
    assert_logged(tmp_path, "action claim on FloorScreen", unexpected_errors)


async def test_a_failing_timer_is_reported_and_keeps_ticking(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    waiting: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The idle-lock check fails once; it runs again afterwards and the app carries on."""
    monkeypatch.setattr(app_module, "IDLE_CHECK_SECONDS", 0.01)
    app = StaffApp(ctx)
    failure = FailOnce()
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        checks: list[float] = []

        def idle_seconds() -> float:
            checks.append(0.0)
            return 0.0

        app.idle_seconds = failure.wrap(idle_seconds)  # type: ignore[method-assign]
        await failure.wait()
        await settle(pilot)
        assert app.messages[-1] == UNEXPECTED_AFTER
        seen = len(checks)
        while len(checks) == seen:
            await pilot.pause()
        await claim_works(pilot, app, ctx, waiting)
    assert_logged(tmp_path, "timer CounterApp.lock_if_idle", unexpected_errors)


def test_every_widget_screen_and_app_of_ours_runs_inside_the_guard() -> None:
    """A new widget or screen that forgets the guard would lose its messages after one error.
    (App mixins such as PlainTextApp are not run on their own; both apps are guarded.)"""
    unguarded = []
    for module_info in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            ours = cls.__module__ == module.__name__
            if ours and issubclass(cls, Widget) and not issubclass(cls, Guarded):
                unguarded.append(cls.__qualname__)
    assert unguarded == []
    assert issubclass(CounterApp, GuardedApp) and issubclass(KioskApp, GuardedApp)
