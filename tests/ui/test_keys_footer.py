"""The footer: one widget drawing the keys a screen offers, redrawn only when they change.
Textual's footer mounted a widget per key and mounted them all again on every update of the
bindings (each cursor move, each focus change, each screen): a quarter of the CPU of going
from screen to screen. What a key does when clicked, how a key that does nothing now is
drawn, and which keys fit at a width are checked here on a small app of its own."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.app import STYLESHEET
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.walk_in import NewWalkInDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.keys_footer import KeysFooter, ShownKey, SteadyFooter
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle


@pytest.fixture
def redraws(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The keys each footer showed each time it was redrawn, in order."""
    drawn: list[tuple[str, ...]] = []
    real_refresh = SteadyFooter.refresh

    def refresh(footer: SteadyFooter, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(tuple(key.action for key in footer.keys))
        return real_refresh(footer, *args, **kwargs)

    monkeypatch.setattr(SteadyFooter, "refresh", refresh)
    return drawn


def drawn_text(footer: SteadyFooter) -> str:
    """The footer's line as drawn at its width."""
    return footer.render().plain.ljust(footer.size.width)[: footer.size.width]


async def test_moving_over_rows_with_the_same_keys_redraws_the_footer_once(
    ctx: ShopContext, team: Team, redraws: list[tuple[str, ...]]
) -> None:
    """Down and up over waiting customers (the same keys offered on each) leave the footer
    as it was; moving onto a customer Sam owns, where Claim is not offered, redraws it."""
    for n in range(4):
        visits.new_walk_in(ctx, team.lead, description=f"coat {n}")
    mine = visits.new_walk_in(ctx, team.sam, description="mine")
    visits.claim_visit(ctx, team.sam, mine)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        before = len(redraws)
        for key in ("down", "down", "up", "down", "down"):
            await pilot.press(key)
        await settle(pilot)
        assert len(redraws) == before, redraws[before:]
        while app.screen.selected_visit_id() != mine:
            await pilot.press("down")
        await settle(pilot)
        assert len(redraws) == before + 1
        assert "claim" not in redraws[-1]
        assert "claim" in redraws[before - 1]


async def test_tab_between_a_dialogs_fields_keeps_its_footers_keys(ctx: ShopContext, team: Team) -> None:
    """In a dialog, Tab to a field offering the same keys leaves the footer's keys as they
    were: the same keys, not worked out and drawn again."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        dialog = CustomerFormDialog()
        await app.push_screen(dialog)
        await settle(pilot)
        footer = dialog.query_one(SteadyFooter)
        before = footer.keys
        focused = app.focused
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is not focused and isinstance(app.focused, Input)
        assert footer.keys is before
        assert [key.description for key in before] == ["Save", "Cancel"]


async def test_a_new_screen_mounts_one_footer_and_no_widget_per_key(ctx: ShopContext, team: Team) -> None:
    """Going to a screen and opening a dialog mount one footer each, with no widget inside:
    the keys are drawn, not mounted (Textual's footer mounted and styled a dozen)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        for keys in (["f"], ["escape", "n"]):
            await pilot.press(*keys)
            await settle(pilot)
            footer = app.screen.query_one(SteadyFooter)
            assert not footer.children
            assert footer.keys and drawn_text(footer).startswith(f"{footer.keys[0].display} ")
        assert isinstance(app.screen, NewWalkInDialog)


async def test_a_click_on_a_footer_key_presses_it(ctx: ShopContext, team: Team) -> None:
    """Clicking "n New" on the floor board's footer opens the new walk-in, as n does."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        footer = app.screen.query_one(KeysFooter)
        [(new, x)] = [(key, x) for key, x in footer.placed() if key.action == "new_walk_in"]
        assert drawn_text(footer)[x : x + new.width] == "n New"
        await pilot.click(KeysFooter, offset=(x + 2, 0))
        await settle(pilot)
        assert isinstance(app.screen, NewWalkInDialog)


class KeysApp(App[None]):
    """A screen offering three keys of its own, one of which does nothing now, and the
    pinned keys of the staff app (Sign out, Keys), styled by the staff app's stylesheet."""

    CSS_PATH = STYLESHEET
    BINDINGS = [
        Binding("ctrl+o", "sign_out", "Sign out", id="app.sign_out"),
        Binding("f1", "keys", "Keys", id="app.help", tooltip="Show or hide all keys."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Keys()
        yield KeysFooter()

    def action_sign_out(self) -> None:
        self.ran.append("sign_out")

    def action_keys(self) -> None:
        self.ran.append("keys")

    def bell(self) -> None:
        self.bells += 1


class Keys(Static, can_focus=True):
    """The focused widget whose keys the footer shows."""

    BINDINGS = [
        Binding("a", "first", "A long first key", tooltip="The first key."),
        Binding("b", "resting", "Resting"),
        Binding("c", "third", "Third"),
    ]

    def on_mount(self) -> None:
        self.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Resting is offered but does nothing now (None: shown dimmed, as Textual has it)."""
        return None if action == "resting" else True

    def action_first(self) -> None:
        self.app.ran.append("first")  # type: ignore[attr-defined]

    def action_resting(self) -> None:
        self.app.ran.append("resting")  # type: ignore[attr-defined]


def place_of(footer: KeysFooter, action: str) -> tuple[ShownKey, int]:
    """The key of `action` and the column it is drawn at."""
    [(key, x)] = [(key, x) for key, x in footer.placed() if key.action == action]
    return key, x


def style_at(footer: SteadyFooter, x: int) -> Style:
    """The style of the footer's character at column `x`."""
    return footer.render().get_style_at_offset(footer.app.console, x)


async def test_pinned_keys_stay_at_the_right_edge_and_the_row_ends_at_the_first_that_does_not_fit() -> None:
    """At 60 columns all keys fit, Sign out and Keys at the right edge; at 40 the second key
    does not fit whole before them, so the row ends there (the shorter third is not drawn
    in its place) and nothing is cut."""
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        assert drawn_text(footer) == "a A long first key b Resting c Third    ^o Sign out f1 Keys "
        await pilot.resize_terminal(40, 5)
        await pilot.pause()
        assert drawn_text(footer) == "a A long first key  ^o Sign out f1 Keys "
        assert [key.action for key, _ in footer.placed()] == ["first", "sign_out", "keys"]


async def test_a_key_that_does_nothing_now_is_dimmed_and_rings_the_bell_when_clicked() -> None:
    """The screen offers b but it does nothing now: drawn dim, and a click rings the bell
    instead of running it. A click on a working key runs it; one between keys does nothing."""
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        resting, resting_x = place_of(footer, "resting")
        first, first_x = place_of(footer, "first")
        assert not resting.enabled and first.enabled
        assert style_at(footer, resting_x).dim and style_at(footer, resting_x + 2).dim
        assert not style_at(footer, first_x).dim
        await pilot.click(KeysFooter, offset=(resting_x, 0))
        await pilot.click(KeysFooter, offset=(resting_x + resting.width, 0))
        await pilot.click(KeysFooter, offset=(first_x + 3, 0))
        await pilot.pause()
        assert app.bells == 1
        assert app.ran == ["first"]


async def test_the_key_under_the_mouse_is_highlighted_and_gives_its_tooltip() -> None:
    """Hovering a key draws it on the hover background and sets the footer's tooltip to
    the key's; leaving the footer takes both away."""
    app = KeysApp()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        _, keys_x = place_of(footer, "keys")
        _, first_x = place_of(footer, "first")
        plain = style_at(footer, keys_x).bgcolor
        await pilot.hover(KeysFooter, offset=(keys_x + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "Show or hide all keys."
        assert style_at(footer, keys_x).bgcolor != plain
        assert style_at(footer, first_x).bgcolor == plain
        await pilot.hover(Keys, offset=(0, 0))
        await pilot.pause()
        assert footer.tooltip is None
        assert style_at(footer, keys_x).bgcolor == plain
