"""Snapshots of every kiosk screen at 80x24, the smallest terminal it must work on."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from tests.conftest import Team, set_shop_rules

SIZE = (80, 24)
SnapCompare = Callable[..., bool]


async def settle(pilot: Pilot[object]) -> None:
    """Let screens mount and service calls in threads finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys(*pressed: str) -> Callable[[Pilot[object]], object]:
    """A `run_before` that presses keys, then waits for any service call they started."""

    async def run_before(pilot: Pilot[object]) -> None:
        await pilot.press(*pressed)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a steady cursor, so the picture never depends on timing
        await pilot.pause()

    return run_before


def test_welcome(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE)


def test_welcome_offers_the_shops_languages(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    set_shop_rules(ctx, {"kiosk.languages": ["en", "es"]})
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE)


def test_choices_in_spanish(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    set_shop_rules(ctx, {"kiosk.languages": ["en", "es"]})
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("2", *"Ana", "enter"))


def test_first_name(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("enter", *"Ann"))


def test_first_name_refused_kindly(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("enter", *"!!!", "enter"))


def test_choices(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("enter", *"Ann", "enter"))


def test_enter_with_nothing_chosen_asks_for_a_choice(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("enter", "enter", "enter"))


def test_thank_you_needs_help(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(
        KioskApp(ctx, "door"),
        terminal_size=SIZE,
        run_before=keys("enter", *"Ann", "enter", "2"),
    )


def test_thank_you_browsing(snap_compare: SnapCompare, ctx: ShopContext) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("enter", "enter", "1"))


def test_staff_pin_refused(snap_compare: SnapCompare, ctx: ShopContext, team: Team) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("f12", *"2222", "enter"))


def test_staff_menu(snap_compare: SnapCompare, ctx: ShopContext, team: Team) -> None:
    assert snap_compare(KioskApp(ctx, "door"), terminal_size=SIZE, run_before=keys("f12", *"1111", "enter"))
