"""A held Enter, or a customer pressing Enter again and again, checks nobody in.

A tester pressed Enter eight times about 0.15 s apart at 80x24 and got two visits that
nobody chose: Enter skipped the name, Enter on the choices took the one highlighted
from the start, and after the thank-you the next Enters went round again. Now nothing is
chosen until the customer chooses (a number, or the arrows then Enter), and the
thank-you ignores keys for a moment after it shows, so it is read, not skipped."""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from counter_tui.kiosk_words import WORDS
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.ui.staff_pilot import burst
from tests.ui.test_kiosk_flow import SIZE, settle, text_of, type_text, visits_with_needs

TESTER_GAP_SECONDS = 0.15
"""The gap between the tester's Enters."""


async def test_eight_enters_as_the_tester_pressed_them_check_nobody_in(ctx: ShopContext) -> None:
    """Eight Enters 0.15 s apart from the welcome screen: the kiosk waits on the choices,
    asking for one, and the floor has nobody on it."""
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(8):
            await pilot.press("enter")
            await asyncio.sleep(TESTER_GAP_SECONDS)
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert text_of(app, "#choice-title") == WORDS["en"]["choose_first"]
    assert visits_with_needs(ctx) == []


async def test_eight_enters_pressed_quickly_check_nobody_in(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["enter"] * 8)
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
    assert visits_with_needs(ctx) == []


async def test_eight_enters_in_one_burst_check_nobody_in(ctx: ShopContext) -> None:
    """A held key's repeats queued before the kiosk handles the first."""
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\n" * 8)
        assert isinstance(app.screen, ChoiceScreen)
    assert visits_with_needs(ctx) == []


async def test_no_choice_is_marked_until_the_customer_chooses(ctx: ShopContext) -> None:
    """Nothing is highlighted at first; an arrow highlights the first choice, Enter takes it."""
    need = ctx.rules.kiosk.choices[0].need
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        assert app.screen.query_one("#choices", OptionList).highlighted is None
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down")
        assert text_of(app, "#choice-title") == WORDS["en"]["choice_title"], "the question again"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
    [(_visit, needs)] = visits_with_needs(ctx)
    assert needs == [need]


async def test_a_chosen_check_in_then_more_enters_checks_in_once(ctx: ShopContext) -> None:
    """The normal path, then Enter kept pressed as the tester did: one visit."""
    need = ctx.rules.kiosk.choices[1].need
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "Ann")
        await pilot.press("enter", "2")
        for _ in range(8):
            await pilot.press("enter")
            await asyncio.sleep(TESTER_GAP_SECONDS)
        await settle(pilot)
    [(visit, needs)] = visits_with_needs(ctx)
    assert (visit.description, needs, visit.source) == ("Ann", [need], "kiosk door2")


async def test_keys_do_not_take_the_customer_past_the_thank_you_unread(ctx: ShopContext) -> None:
    """Keys typed with the choice, while it is saved, or just after the thank-you shows
    are dropped; once it has been shown for a moment, any key finishes as before."""
    app = KioskApp(ctx, "door2")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\n\n2\n\n\n\n")
        thanks = app.screen
        assert isinstance(thanks, ThanksScreen)
        assert text_of(app, "#thanks-title") == "Thank you!"
        await burst(pilot, "\n\nx")
        assert app.screen is thanks
        assert thanks.reading.running
        thanks.reading.expire()
        await pilot.press("enter")
        assert isinstance(app.screen, WelcomeScreen)
    assert len(visits_with_needs(ctx)) == 1
