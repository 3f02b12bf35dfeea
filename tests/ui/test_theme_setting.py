"""The staff app and the kiosk draw in this terminal's `theme` setting (issue 13)."""

from __future__ import annotations

from dataclasses import replace

from counter_tui.services.context import ShopContext
from counter_tui.themes import HIGH_CONTRAST
from counter_tui.ui.kiosk.app import KioskApp
from tests.ui.staff_pilot import SIZE, StaffApp, settle


def with_theme(ctx: ShopContext, theme: str) -> ShopContext:
    return replace(ctx, settings=ctx.settings.model_copy(update={"theme": theme}))


async def test_the_staff_app_uses_the_terminals_theme(ctx: ShopContext) -> None:
    app = StaffApp(with_theme(ctx, HIGH_CONTRAST))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST
        assert app.get_css_variables()["background"] == "#000000"


async def test_the_kiosk_uses_the_terminals_theme(ctx: ShopContext) -> None:
    app = KioskApp(with_theme(ctx, "nord"), "door")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
