"""The kiosk's look (issue 13): the highlighted choice carries a mark, not only a colour;
the kiosk is high contrast unless its terminal chooses a theme, and then follows it."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import OptionList

from counter_tui.services.context import ShopContext
from counter_tui.themes import HIGH_CONTRAST
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from tests.ui.staff_pilot import option_labels
from tests.ui.test_kiosk_flow import SIZE, settle, type_text


async def test_the_highlighted_choice_is_marked_and_the_mark_follows_the_arrows(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "Ann")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        choices = app.screen.query_one("#choices", OptionList)
        marked = [label.startswith("▶") for label in option_labels(choices) if label.strip()]
        assert marked == [False] * len(marked), "nothing is chosen for the customer"
        await pilot.press("down")
        await settle(pilot)
        marked = [label.startswith("▶") for label in option_labels(choices) if label.strip()]
        assert marked == [True] + [False] * (len(marked) - 1)
        await pilot.press("down")
        await settle(pilot)
        marked = [label.startswith("▶") for label in option_labels(choices) if label.strip()]
        assert marked == [False, True] + [False] * (len(marked) - 2)


async def test_the_kiosk_is_high_contrast_unless_its_terminal_chooses_a_theme(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=SIZE):
        assert app.theme == HIGH_CONTRAST
    chosen = replace(ctx, settings=ctx.settings.model_copy(update={"theme": "nord"}))
    app = KioskApp(chosen, "door")
    async with app.run_test(size=SIZE):
        assert app.theme == "nord"
