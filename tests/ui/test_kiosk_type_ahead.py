"""Typing ahead on the kiosk: keys pressed quickly while the kiosk moves from one step to
the next (welcome → name → choice, and back) go to the step they were meant for, in the
order they were pressed, as on the sign-in screen. Each burst is queued whole before the
kiosk handles its first key."""

from __future__ import annotations

from textual.widgets import Input

from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.conftest import set_shop_rules
from tests.ui.staff_pilot import burst
from tests.ui.test_kiosk_flow import SIZE, text_of, visits_with_needs


def name_box_values(app: KioskApp) -> list[str]:
    """Every value the name box takes from now on (it is on show)."""
    seen: list[str] = []
    screen = app.screen
    assert isinstance(screen, NameScreen)
    screen.watch(
        screen.query_one("#first-name", Input), "value", lambda value: seen.append(value), init=False
    )
    return seen


async def test_a_whole_check_in_typed_in_one_burst(ctx: ShopContext) -> None:
    """Enter, the name, Enter and the choice's number before the kiosk has moved at all."""
    need = ctx.rules.kiosk.choices[1].need
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\nAnn\n2")
        assert isinstance(app.screen, ThanksScreen)
        assert text_of(app, "#thanks-title") == "Thank you, Ann!"
    [(visit, needs)] = visits_with_needs(ctx)
    assert (visit.description, needs) == ("Ann", [need])


async def test_the_choice_typed_right_after_the_name_is_not_added_to_it(ctx: ShopContext) -> None:
    """The number pressed just after Enter chooses; it never shows in the name box."""
    need = ctx.rules.kiosk.choices[2].need
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\n")
        names = name_box_values(app)
        await burst(pilot, "Ann\n3")
        assert names == ["A", "An", "Ann"]
        assert isinstance(app.screen, ThanksScreen)
    [(visit, needs)] = visits_with_needs(ctx)
    assert (visit.description, needs) == ("Ann", [need])


async def test_back_to_the_name_and_on_again_in_one_burst(ctx: ShopContext) -> None:
    """Esc on the choices, a correction to the name ("Ann", Backspace, "ie"), Enter and a
    number, all at once."""
    need = ctx.rules.kiosk.choices[0].need
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\nAnn\n")
        assert isinstance(app.screen, ChoiceScreen)
        await burst(pilot, "\x1b\x7fie\n1")
        assert text_of(app, "#thanks-title") == "Thank you, Anie!"
    [(visit, needs)] = visits_with_needs(ctx)
    assert (visit.description, needs) == ("Anie", [need])


async def test_corrections_land_where_they_were_typed(ctx: ShopContext) -> None:
    """Backspace and the arrows among the letters, and Backspace just before Enter, edit
    the name in the order typed (they used to apply after the keys around them)."""
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\nab\x7fc")
        assert app.screen.query_one("#first-name", Input).value == "ac"
        await burst(pilot, "\x7f\x7fAnn£\x7f\n")
        assert isinstance(app.screen, ChoiceScreen)
        assert app.screen.first_name == "Ann"


async def test_a_language_number_and_the_name_in_one_burst(ctx: ShopContext) -> None:
    """A language's number on the welcome screen, then the name, before the name box shows."""
    set_shop_rules(ctx, {"kiosk.languages": ["en", "es"]})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "2Ana")
        assert isinstance(app.screen, NameScreen)
        assert app.language == "es"
        assert app.screen.query_one("#first-name", Input).value == "Ana"


async def test_esc_on_the_name_then_the_next_customer_starts_cleanly(ctx: ShopContext) -> None:
    """Esc back to welcome and Enter again at once: a fresh, empty name box has the keys."""
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "\nAnn\x1b\nBo")
        assert isinstance(app.screen, NameScreen)
        assert [type(screen) for screen in app.screen_stack] == [WelcomeScreen, NameScreen]
        assert app.screen.query_one("#first-name", Input).value == "Bo"
