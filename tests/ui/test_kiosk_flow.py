"""The kiosk's customer flow, driven by keys: welcome → name → choice → thank-you → welcome."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from counter_tui.config import KioskChoice
from counter_tui.db.models import Customer, Visit, VisitNeed
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import kiosk
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import SORRY, ThanksScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from tests.conftest import set_shop_rules

SIZE = (80, 24)


def visits_with_needs(ctx: ShopContext) -> list[tuple[Visit, list[str]]]:
    """Every visit in the shop with the kinds of its needs."""
    with ctx.database.read() as session:
        rows = session.exec(select(Visit).order_by(Visit.id)).all()
        return [
            (
                visit,
                list(session.exec(select(VisitNeed.kind).where(VisitNeed.visit_id == visit.id))),
            )
            for visit in rows
        ]


def text_of(app: KioskApp, selector: str) -> str:
    """The plain text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot: Pilot[object]) -> None:
    """Let screens mount and service calls in threads finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def thanks_read(app: KioskApp) -> None:
    """The thank-you has been on show long enough for a key to finish it."""
    thanks = app.screen
    assert isinstance(thanks, ThanksScreen)
    thanks.reading.expire()


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type printable text key by key, as a customer would."""
    await pilot.press(*text)


@pytest.mark.parametrize("number", [1, 2, 3, 4])
async def test_each_choice_checks_in_an_unowned_visit_with_its_need(ctx: ShopContext, number: int) -> None:
    choice = ctx.rules.kiosk.choices[number - 1]
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, NameScreen)
        await type_text(pilot, "Ann")
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press(str(number))
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        assert text_of(app, "#thanks-title") == "Thank you, Ann!"
        assert text_of(app, "#thanks-next") == choice.next_step

    [(visit, needs)] = visits_with_needs(ctx)
    assert visit.owner_id is None
    assert visit.customer_id is None
    assert visit.description == "Ann"
    assert visit.source == "kiosk door"
    assert needs == [choice.need]


def test_defaults_say_what_happens_next_for_browsing_and_for_help(ctx: ShopContext) -> None:
    steps = {choice.need: choice.next_step for choice in ctx.rules.kiosk.choices}
    assert "give you space" in steps["browse_privately"]
    # No time promised here: the wait quote beside it says how long (it once said "shortly"
    # above "about 20 minutes").
    assert steps["needs_help"] == "Someone will come and find you."


async def test_enter_skips_the_name_and_arrows_pick_a_choice(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "side door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert text_of(app, "#thanks-title") == "Thank you!"

    [(visit, needs)] = visits_with_needs(ctx)
    assert visit.description == "walk-in"
    assert visit.source == "kiosk side door"
    assert needs == ["pickup"]


async def test_the_shop_can_change_the_choices(ctx: ShopContext) -> None:
    choices = [
        KioskChoice(label="Repairs", need="needs_help", next_step="A technician will come."),
        KioskChoice(label="Step-free help", need="accessibility", next_step="We'll come to you."),
    ]
    set_shop_rules(ctx, {"kiosk.choices": [choice.model_dump() for choice in choices]})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        await pilot.press("3")  # no third choice: nothing happens
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("2")
        await settle(pilot)
        assert text_of(app, "#thanks-next") == "We'll come to you."

    [(_visit, needs)] = visits_with_needs(ctx)
    assert needs == ["accessibility"]


async def test_nine_choices_fit_an_80_by_24_terminal(ctx: ShopContext) -> None:
    choices = [
        KioskChoice(label=f"Choice number {n}", need="needs_help", next_step="Soon.") for n in range(1, 10)
    ]
    set_shop_rules(ctx, {"kiosk.choices": [choice.model_dump() for choice in choices]})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.option_count == 9
        assert choices.max_scroll_y == 0, "every choice is visible without scrolling"
        await pilot.press("9")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)


async def test_escape_goes_back_one_step_keeping_the_name(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "Bo")
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, NameScreen)
        assert app.screen.query_one("#first-name", Input).value == "Bo"
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
    assert visits_with_needs(ctx) == []


async def test_thank_you_returns_to_welcome_when_its_countdown_ends(ctx: ShopContext) -> None:
    set_shop_rules(ctx, {"kiosk.reset_seconds": 6})
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "2")
        await settle(pilot)
        thanks = app.screen
        assert isinstance(thanks, ThanksScreen)
        assert thanks.reset.running
        assert thanks.reset.seconds == 6
        thanks.reset.expire()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert app.screen_stack == [app.screen]


async def test_any_key_on_the_thank_you_returns_to_welcome(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "1")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        await pilot.press("x")
        assert isinstance(app.screen, ThanksScreen), "a key at once does nothing: it is read first"
        thanks_read(app)
        await pilot.press("x")
        assert isinstance(app.screen, WelcomeScreen)
        # The next customer starts afresh.
        await pilot.press("enter")
        assert app.screen.query_one("#first-name", Input).value == ""
    assert len(visits_with_needs(ctx)) == 1


async def test_idle_on_any_screen_returns_to_welcome(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        assert app.idle.seconds == ctx.rules.kiosk.idle_seconds
        await pilot.press("enter")
        await type_text(pilot, "Half typed")
        assert app.idle.running
        app.idle.expire()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert app.idle.running, "the countdown starts again for the next customer"
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        app.idle.expire()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
    assert visits_with_needs(ctx) == []


async def test_a_name_without_letters_gets_a_friendly_message(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "!!! ???")
        await pilot.press("enter")
        assert isinstance(app.screen, NameScreen)
        assert "doesn't look like a first name" in text_of(app, "#name-message")
        await pilot.press("backspace")
        assert text_of(app, "#name-message") == ""
    assert visits_with_needs(ctx) == []


async def test_names_are_never_looked_up(ctx: ShopContext) -> None:
    with ctx.database.write() as session:
        session.add(Customer(name="Zoe", name_key="zoe", created_at=ctx.now()))
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "Zoe")
        await pilot.press("enter", "2")
        await settle(pilot)
        assert text_of(app, "#thanks-title") == "Thank you, Zoe!"
    [(visit, _needs)] = visits_with_needs(ctx)
    assert visit.customer_id is None


async def test_a_failed_check_in_sends_the_customer_to_the_counter(
    ctx: ShopContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*_args: object) -> int:
        raise DatabaseUnavailable("The database cannot be reached.")

    monkeypatch.setattr(kiosk, "check_in", database_down)
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "2")
        await settle(pilot)
        assert text_of(app, "#thanks-title") == "Sorry!"
        assert text_of(app, "#thanks-next") == SORRY
        thanks_read(app)
        await pilot.press("enter")
        assert isinstance(app.screen, WelcomeScreen)


async def test_an_unexpected_error_is_logged_not_shown(
    ctx: ShopContext,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("driver exploded with secret details")

    monkeypatch.setattr(kiosk, "check_in", broken)
    app = KioskApp(ctx, "door")
    with caplog.at_level(logging.ERROR, logger="counter_tui.kiosk"):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter", "enter", "2")
            await settle(pilot)
            assert text_of(app, "#thanks-next") == SORRY
            assert "secret" not in text_of(app, "#thanks-after")
            assert app.return_code is None
    assert "driver exploded" in caplog.text
    assert len(unexpected_errors) == 1
