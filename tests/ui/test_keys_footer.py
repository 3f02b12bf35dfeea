"""The footer lays its keys out again only when the keys it shows change: Textual's footer
did it on every update of the bindings (each cursor move, each focus change, signing in),
mounting a dozen keys and styling each again, most of what a cursor move cost."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.keys_footer import KeysFooter
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The keys each footer layout showed, in order."""
    shown: list[tuple[str, ...]] = []
    real_compose = KeysFooter.compose

    def compose(footer: KeysFooter):  # type: ignore[no-untyped-def]
        widgets = list(real_compose(footer))
        shown.append(tuple(widget.action for widget in widgets if isinstance(widget, FooterKey)))
        yield from widgets

    monkeypatch.setattr(KeysFooter, "compose", compose)
    return shown


async def test_moving_over_rows_with_the_same_keys_lays_the_footer_out_once(
    ctx: ShopContext, team: Team, layouts: list[tuple[str, ...]]
) -> None:
    """Down and up over waiting customers (the same keys offered on each) leave the footer
    as it was; moving onto a customer Sam owns, where Claim is not offered, lays it out again."""
    for n in range(4):
        visits.new_walk_in(ctx, team.lead, description=f"coat {n}")
    mine = visits.new_walk_in(ctx, team.sam, description="mine")
    visits.claim_visit(ctx, team.sam, mine)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        before = len(layouts)
        for key in ("down", "down", "up", "down", "down"):
            await pilot.press(key)
        await settle(pilot)
        assert len(layouts) == before, layouts[before:]
        while app.screen.selected_visit_id() != mine:
            await pilot.press("down")
        await settle(pilot)
        assert len(layouts) == before + 1
        assert "claim" not in " ".join(layouts[-1])
        assert "claim" in " ".join(layouts[before - 1])


async def test_tab_between_a_dialogs_fields_keeps_its_footers_keys(ctx: ShopContext, team: Team) -> None:
    """In a dialog, Tab to a field offering the same keys leaves the footer's keys as they
    were, instead of mounting and styling them all again on each focus change."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        dialog = CustomerFormDialog()
        await app.push_screen(dialog)
        await settle(pilot)
        before = list(dialog.query(FooterKey))
        focused = app.focused
        await pilot.press("tab")
        assert app.focused is not focused and isinstance(app.focused, Input)
        after = list(dialog.query(FooterKey))
        assert [key.description for key in after] == [key.description for key in before]
        assert all(later is earlier for later, earlier in zip(after, before, strict=True))


async def test_a_compact_footers_keys_are_styled_once_as_they_mount(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key of a compact footer is styled once when it mounts, already compact: Textual's
    footer mounted it plain, then its `compact` watcher added the class and styled it again
    (as much styling as every other widget mounting, on each change of screen)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        styled: list[FooterKey] = []
        real_apply = app.stylesheet.apply

        def apply(node, *args, **kwargs):  # type: ignore[no-untyped-def]
            if isinstance(node, FooterKey):
                styled.append(node)
            return real_apply(node, *args, **kwargs)

        monkeypatch.setattr(app.stylesheet, "apply", apply)
        await pilot.press("f")
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        assert keys and all(key.has_class("-compact") for key in keys)
        assert all(styled.count(key) == 1 for key in keys), [styled.count(key) for key in keys]
