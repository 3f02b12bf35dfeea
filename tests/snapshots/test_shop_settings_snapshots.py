"""Snapshots of the leads' shop settings screen and its change dialog with a refusal
beside the field, at 120×40 and 80×24 (Friday closed for lunch)."""

from __future__ import annotations

import pytest

from counter_tui.services import shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.shop_rules import SETTING_KEYS
from tests.conftest import Team
from tests.snapshots.test_staff_admin_snapshots import SMALL, quietly_pressing
from tests.snapshots.test_staff_snapshots import SnapCompare, signed_in_as
from tests.ui.staff_pilot import SIZE, StaffApp

FRIDAY_ROW = SETTING_KEYS.index("shop.hours.fri")


@pytest.fixture
def lunch_on_friday(ctx: ShopContext, team: Team) -> None:
    """Friday closes for lunch, and Christmas is a holiday."""
    shop_settings.change(
        ctx, team.lead, {"shop.hours.fri": "09:00-12:30,13:30-17:30", "shop.holidays": "2026-12-25"}
    )


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_shop_settings_screen(
    snap_compare: SnapCompare, ctx: ShopContext, lunch_on_friday: None, size: tuple[int, int]
) -> None:
    """Every shop-wide setting and its value, the cursor on Friday's hours."""
    steps = signed_in_as("dana", "1111", quietly_pressing("o", *["down"] * FRIDAY_ROW))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=size)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_a_refused_closing_time(
    snap_compare: SnapCompare, ctx: ShopContext, lunch_on_friday: None, size: tuple[int, int]
) -> None:
    """Closing before opening: the sentence beside the field, what was typed kept."""
    typed = [*"17:30-09:00"]
    steps = signed_in_as(
        "dana", "1111", quietly_pressing("o", *["down"] * FRIDAY_ROW, "enter", "ctrl+u", *typed, "enter")
    )
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=size)
