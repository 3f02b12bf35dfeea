"""The kiosk's one error path, the same as the staff app's: a failure injected into a
service call, its `then` or `refused` callback, a message handler, a key's action or a
timer is written to the kiosk's log with where it happened, the customer sees one plain
sentence (never the error), and the kiosk keeps running: the next key still works.
(The restart loop in `launch.py` stays as the last resort for a crash of Textual itself.)"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.db.models import Visit
from counter_tui.services import kiosk
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import UNEXPECTED_KIOSK, KioskApp
from counter_tui.ui.kiosk.launch import configure_logging, kiosk_log_file
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import SORRY, ThanksScreen
from counter_tui.ui.kiosk.screens.unlock import UnlockScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.conftest import Team
from tests.ui.failures import INJECTED, FailOnce

SIZE = (80, 24)


class Kiosk(KioskApp):
    """The kiosk, keeping every sentence it showed as a notification."""

    def __init__(self, ctx: ShopContext) -> None:
        super().__init__(ctx, "door")
        self.messages: list[str] = []

    def notify(self, message: str, **options: object) -> None:
        """Show the notification, and remember its text."""
        self.messages.append(message)
        super().notify(message, **options)  # type: ignore[arg-type]


@pytest.fixture
def log_path() -> Path:
    """The kiosk's log file, set up as `counter-tui kiosk` does."""
    path = kiosk_log_file()
    configure_logging(path)
    return path


def assert_logged(log_path: Path, where: str, screen: str, reported: list[logging.LogRecord]) -> None:
    """Reported once; the kiosk's log names where and on which screen, and the error."""
    assert [record.getMessage() for record in reported] == [f"{where} failed (on {screen})"]
    logged = log_path.read_text(encoding="utf-8")
    assert f"{where} failed (on {screen})" in logged
    assert f"RuntimeError: {INJECTED}" in logged
    assert "Ann" not in logged


def visit_count(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return len(session.exec(select(Visit)).all())


def text_of(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def check_in_ann(pilot: Pilot[object]) -> None:
    """Welcome → name "Ann" → the second choice → thank-you, on show long enough for a key
    to finish it."""
    await pilot.press("enter", "A", "n", "n", "enter", "2")
    await settle(pilot)
    thanks = pilot.app.screen
    assert isinstance(thanks, ThanksScreen)
    thanks.reading.expire()


async def test_a_failing_service_call_sends_the_customer_to_the_counter(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(kiosk, "check_in", FailOnce().wrap(kiosk.check_in))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_in_ann(pilot)
        assert text_of(app, "#thanks-next") == SORRY
        assert app.messages == []
        await pilot.press("space")
        assert isinstance(app.screen, WelcomeScreen)
        await check_in_ann(pilot)
        assert text_of(app, "#thanks-title") == "Thank you, Ann!"
    assert visit_count(ctx) == 1
    assert_logged(log_path, "service call check_in", "ThanksScreen", unexpected_errors)


async def test_a_failing_then_is_reported_and_the_check_in_is_kept(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ThanksScreen, "checked_in", FailOnce().wrap(ThanksScreen.checked_in))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_in_ann(pilot)
        assert app.messages == [UNEXPECTED_KIOSK]
        assert app.is_running
        await pilot.press("f12")
        assert isinstance(app.screen, UnlockScreen)
    assert visit_count(ctx) == 1
    assert_logged(
        log_path, "ThanksScreen.checked_in after service call check_in", "ThanksScreen", unexpected_errors
    )


async def test_a_failing_refused_callback_is_reported_and_escape_still_works(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    team: Team,
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(UnlockScreen, "refused", FailOnce().wrap(UnlockScreen.refused))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "9", "9", "9", "9", "enter")
        await settle(pilot)
        assert app.messages == [UNEXPECTED_KIOSK]
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
    assert_logged(
        log_path, "UnlockScreen.refused after service call unlock", "UnlockScreen", unexpected_errors
    )


async def test_a_failing_message_handler_is_reported_and_the_next_key_works(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ThanksScreen, "on_key", FailOnce().wrap(ThanksScreen.on_key))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await check_in_ann(pilot)
        await pilot.press("space")
        assert app.messages == [UNEXPECTED_KIOSK]
        assert isinstance(app.screen, ThanksScreen)
        await pilot.press("space")
        assert isinstance(app.screen, WelcomeScreen)
    assert_logged(log_path, "ThanksScreen.on_key", "ThanksScreen", unexpected_errors)


async def test_a_failing_action_is_reported_and_the_key_works_next_time(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(WelcomeScreen, "action_start", FailOnce().wrap(WelcomeScreen.action_start))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages == [UNEXPECTED_KIOSK]
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, NameScreen)
    assert_logged(log_path, "action start on WelcomeScreen", "WelcomeScreen", unexpected_errors)


async def test_a_failing_timer_is_reported_and_the_next_key_works(
    ctx: ShopContext,
    unexpected_errors: list[logging.LogRecord],
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The idle reset fails once; the next key starts the countdown again, and it resets."""
    failure = FailOnce()
    monkeypatch.setattr(KioskApp, "idle_expired", failure.wrap(KioskApp.idle_expired))
    app = Kiosk(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, NameScreen)
        app.idle.seconds = 0.01
        app.idle.start()
        await failure.wait()
        await settle(pilot)
        assert app.messages == [UNEXPECTED_KIOSK]
        assert app.is_running
        await pilot.press("A")
        while not isinstance(app.screen, WelcomeScreen):
            await pilot.pause()
    assert_logged(log_path, "timer Countdown.expire (kiosk idle)", "NameScreen", unexpected_errors)
