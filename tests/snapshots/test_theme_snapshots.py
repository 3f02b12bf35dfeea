"""Snapshots of the staff app in the shipped high-contrast theme (issue 13): the same
Friday-morning shop as the staff snapshots, chosen with this terminal's `theme`."""

from __future__ import annotations

from dataclasses import replace

from counter_tui.services.context import ShopContext
from counter_tui.themes import HIGH_CONTRAST
from tests.snapshots.test_staff_snapshots import Shop, SnapCompare, shop, signed_in_as, steady
from tests.ui.staff_pilot import SIZE, StaffApp

__all__ = ["shop"]  # the fixture, shared with the staff snapshots


def high_contrast(ctx: ShopContext) -> StaffApp:
    """The staff app on a terminal whose settings choose the high-contrast theme."""
    return StaffApp(replace(ctx, settings=ctx.settings.model_copy(update={"theme": HIGH_CONTRAST})))


def test_sign_in_high_contrast(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The staff list and PIN box, white and gold on black."""
    assert snap_compare(high_contrast(ctx), run_before=steady, terminal_size=SIZE)


def test_floor_high_contrast(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The floor board with its selected row, flags and footer keys in high contrast."""
    assert snap_compare(high_contrast(ctx), run_before=signed_in_as("sam", "2222"), terminal_size=SIZE)
