"""At 80×24 (the smallest terminal we support) every dialog keeps the field with focus in
view: Tab to any field of any dialog and it is drawn whole, so nobody ticks consent or
types into a field they cannot see."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget

from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, settle, sign_in
from tests.ui.test_typing_in_fields import dialogs

SMALL = (80, 24)


def hidden(widget: Widget) -> bool:
    """True when `widget` is not drawn whole on the screen (clipped by a scrolling parent,
    or below the terminal's edge)."""
    geometry = widget.screen.find_widget(widget)
    visible = geometry.clip.intersection(Region(0, 0, *SMALL))
    return visible.intersection(geometry.region) != geometry.region


async def test_tab_keeps_every_dialog_field_in_view_at_80_by_24(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    out_of_view: list[str] = []
    async with app.run_test(size=SMALL) as pilot:
        await sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs(ctx).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            chain = list(app.screen.focus_chain)
            for _ in chain:
                focused = app.focused
                if focused is not None and hidden(focused):
                    out_of_view.append(f"{name}: {focused.id or type(focused).__name__}")
                await pilot.press("tab")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
    assert out_of_view == []
