"""Snapshots of the staff app under NO_COLOR=1 (issue 13): nothing is said by colour
alone, so the floor board's flags and needs, and the customer view, still read in
black and white. Textual reads NO_COLOR when the app is made."""

from __future__ import annotations

import pytest

from counter_tui.services.context import ShopContext
from tests.snapshots.test_staff_snapshots import Shop, SnapCompare, opening, shop, signed_in_as
from tests.ui.staff_pilot import SIZE, StaffApp

__all__ = ["shop"]  # the fixture, shared with the staff snapshots


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def test_floor_no_color(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The floor board: HELP, WAIT, CHECK and H/O flags and the needs are words."""
    assert snap_compare(StaffApp(ctx), run_before=signed_in_as("sam", "2222"), terminal_size=SIZE)


def test_floor_no_color_at_80x24(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The narrow floor board, short words for the needs."""
    assert snap_compare(StaffApp(ctx), run_before=signed_in_as("sam", "2222"), terminal_size=(80, 24))


def test_customer_no_color(snap_compare: SnapCompare, ctx: ShopContext, shop: Shop) -> None:
    """The customer view as its owner: banner, needs, follow-ups (an overdue one says so)."""
    steps = signed_in_as("sam", "2222", then=opening(shop.priya_visit))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=SIZE)
