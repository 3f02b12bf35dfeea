"""The kiosk has no way out for a customer: every escape key, command and action is closed,
markup in a name is inert, and the staff menu needs a shift lead's PIN."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static

from counter_tui.db.models import AuditEvent, Visit
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.launch import KioskExit
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.menu import StaffMenuScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.kiosk.screens.unlock import UnlockScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.conftest import Team, set_shop_rules

SIZE = (80, 24)
ESCAPE_KEYS = [
    "ctrl+q",
    "ctrl+c",
    "ctrl+z",
    "ctrl+backslash",
    "ctrl+p",
    "ctrl+d",
    "ctrl+w",
    "ctrl+s",
    "ctrl+t",
    "ctrl+x",
    "ctrl+v",
    "f1",
    "f10",
    "tab",
    "shift+tab",
    "escape",
]
CLOSED_ACTIONS = [
    "app.quit",
    "app.help_quit",
    "app.command_palette",
    "app.change_theme",
    "app.toggle_dark",
    "app.screenshot",
    "app.suspend_process",
    "app.show_help_panel",
    "screen.maximize",
]


async def settle(pilot: Pilot[object]) -> None:
    """Let screens mount and service calls in threads finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def still_a_kiosk(app: KioskApp) -> None:
    """The app is running, has not exited, and shows only kiosk screens."""
    assert app.is_running
    assert app.return_code is None
    assert not any(isinstance(screen, CommandPalette) for screen in app.screen_stack)
    assert not app.screen.query("HelpPanel")


def kiosk_events(ctx: ShopContext) -> list[tuple[str, str, int | None, str]]:
    """Kiosk audit events as (action, terminal, actor id, details)."""
    with ctx.database.read() as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("kiosk.")).order_by(col(AuditEvent.id))
        ).all()
        return [(row.action, row.terminal, row.actor_id, row.details) for row in rows]


async def enter_pin(pilot: Pilot[object], pin: str) -> None:
    """Type a PIN and submit it, waiting for the check."""
    await pilot.press(*pin, "enter")
    await settle(pilot)


async def test_inherited_exits_are_not_bound(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    assert KioskApp.ENABLE_COMMAND_PALETTE is False
    assert not KioskApp.COMMANDS
    async with app.run_test(size=SIZE):
        # Enter starts a check-in; 1-9 start one in the shop's language with that number;
        # Tab and Shift+Tab move the focus (ui/focus_keys.py).
        assert set(app.screen.active_bindings) == {"enter", "f12", "tab", "shift+tab", *"123456789"}
        assert list(app.get_system_commands(app.screen)) == []


@pytest.mark.parametrize("key", ESCAPE_KEYS)
async def test_escape_keys_leave_the_kiosk_running_on_a_kiosk_screen(ctx: ShopContext, key: str) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        still_a_kiosk(app)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        await pilot.press(key)
        await pilot.pause()
        still_a_kiosk(app)
        assert isinstance(app.screen, NameScreen | WelcomeScreen)
        await pilot.press("enter", "enter")
        await pilot.press(key)
        await pilot.pause()
        still_a_kiosk(app)


@pytest.mark.parametrize("action", CLOSED_ACTIONS)
async def test_actions_textual_offers_do_nothing(
    ctx: ShopContext, action: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")  # on the choices, where a list has focus
        theme = app.theme
        await app.run_action(action)
        await pilot.pause()
        still_a_kiosk(app)
        assert isinstance(app.screen, ChoiceScreen)
        assert app.screen.maximized is None
        assert app.theme == theme
    assert os.listdir(workdir) == [], "no screenshot was written"


@pytest.mark.parametrize("name", ["[@click=app.quit]x[/]", "[/]Al", "[b]Bob[/b]", "O[Neil]"])
async def test_markup_in_a_name_shows_literally_and_does_nothing(ctx: ShopContext, name: str) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", *name, "enter")
        assert isinstance(app.screen, ChoiceScreen)
        assert str(app.screen.query_one(".kiosk-title", Static).render()).startswith(f"Hi {name}!")
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        assert str(app.screen.query_one("#thanks-title", Static).render()) == (f"Thank you, {name}!")
        await pilot.click("#thanks-title", offset=(30, 0))
        await pilot.pause()
        still_a_kiosk(app)
    with ctx.database.read() as session:
        assert [visit.description for visit in session.exec(select(Visit))] == [name]


async def test_the_staff_menu_needs_a_lead_pin_and_can_close_the_kiosk(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", *"Ann")
        await pilot.press("f12")
        assert isinstance(app.screen, UnlockScreen)
        assert app.screen_stack[:-1] == [app.screen_stack[0]], "the customer's answers are gone"
        pin_field = app.screen.query_one("#pin", Input)
        assert pin_field.password
        await enter_pin(pilot, "1111")
        assert isinstance(app.screen, StaffMenuScreen)
        assert "Dana" in str(app.screen.query_one(".kiosk-text", Static).render())
        await pilot.press("2")
        await settle(pilot)
    assert app.return_value == KioskExit("Dana")
    assert [(action, terminal, actor) for action, terminal, actor, _ in kiosk_events(ctx)] == [
        ("kiosk.unlocked", "door", team.lead.staff_id),
        ("kiosk.exited", "door", team.lead.staff_id),
    ]


async def test_the_staff_menu_can_go_back_to_welcome_locked_again(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await enter_pin(pilot, "1111")
        assert isinstance(app.screen, StaffMenuScreen)
        await pilot.press("1")
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("f12")
        assert isinstance(app.screen, UnlockScreen), "a PIN is needed again"
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        still_a_kiosk(app)


async def test_idle_on_the_staff_menu_locks_the_kiosk_again(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await enter_pin(pilot, "1111")
        assert isinstance(app.screen, StaffMenuScreen)
        app.idle.expire()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        still_a_kiosk(app)


async def test_an_associate_pin_is_refused(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await enter_pin(pilot, "2222")
        assert isinstance(app.screen, UnlockScreen)
        message = str(app.screen.query_one("#unlock-message", Static).render())
        assert "shift lead's PIN is needed" in message
        assert app.screen.query_one("#pin", Input).value == ""
        still_a_kiosk(app)
    assert [event[0] for event in kiosk_events(ctx)] == ["kiosk.unlock_failed"]


async def test_unlocking_locks_out_after_repeated_wrong_pins_and_logs_it(
    ctx: ShopContext, team: Team
) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 3})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        for wrong in ("0000", "2222", "9999"):
            await enter_pin(pilot, wrong)
        await enter_pin(pilot, "1111")
        assert isinstance(app.screen, UnlockScreen), "even the right PIN waits out the lockout"
        message = str(app.screen.query_one("#unlock-message", Static).render())
        assert message.startswith("Too many wrong PINs at this kiosk.")
        still_a_kiosk(app)
    events = kiosk_events(ctx)
    assert [event[0] for event in events] == ["kiosk.unlock_failed"] * 3 + ["kiosk.unlock_refused"]
    assert all(terminal == "door" for _action, terminal, _actor, _details in events)
    assert not any("1111" in details or "0000" in details for *_rest, details in events)


async def test_typed_letters_never_reach_the_pin(ctx: ShopContext, team: Team) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", *"ab1[c]")
        assert app.screen.query_one("#pin", Input).value == "1"
