"""A screen or dialog shown for the first time is styled once, as its widgets mount: Textual
styled every widget of it a second time when it was shown (`ScreenResume.refresh_styles`),
about a twentieth of the CPU of opening a screen. Shown again later, Textual's restyle
stands, since styles may have changed while it was hidden."""

from __future__ import annotations

import pytest
from textual.dom import DOMNode
from textual.screen import Screen

from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_walk_in, quick_sign_in, settle


@pytest.fixture
def restyled(monkeypatch: pytest.MonkeyPatch) -> list[Screen[object]]:
    """Every screen whose widgets were all styled again (`update_node_styles` on the
    screen, as a resume with `refresh_styles` does), in order."""
    screens: list[Screen[object]] = []
    real_update = DOMNode.update_node_styles

    def update_node_styles(node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, Screen):
            screens.append(node)
        real_update(node, animate)

    monkeypatch.setattr(DOMNode, "update_node_styles", update_node_styles)
    return screens


async def test_a_dialog_shown_for_the_first_time_is_not_styled_again(
    ctx: ShopContext, team: Team, restyled: list[Screen[object]]
) -> None:
    """n on the floor board: the new walk-in dialog's widgets are styled as they mount, and
    not all over again as it is shown."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_walk_in(pilot)
        assert dialog.query_one("#description").has_focus
        assert dialog not in restyled


async def test_a_screen_shown_again_is_styled_again(
    ctx: ShopContext, team: Team, restyled: list[Screen[object]]
) -> None:
    """The floor board, hidden by the follow-ups and then shown again, has its widgets
    styled again as Textual does (the theme may have changed while it was hidden)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        floor = app.screen
        assert isinstance(floor, FloorScreen)
        await pilot.press("f")
        await settle(pilot)
        assert app.screen is not floor
        await app.switch_screen(floor)
        await settle(pilot)
        assert app.screen is floor
        assert floor in restyled
