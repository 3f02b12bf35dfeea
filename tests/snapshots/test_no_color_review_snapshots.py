"""The lead review's scorecard under NO_COLOR=1 (issue 13): the heat map says how busy
each hour was with a block's height and how well visitors were greeted with a mark, so
it reads in black and white."""

from __future__ import annotations

import pytest

from counter_tui.services.context import ShopContext
from tests.snapshots.test_review_snapshots import review_tab, shop
from tests.snapshots.test_staff_snapshots import SnapCompare
from tests.ui.staff_pilot import SIZE, StaffApp

__all__ = ["shop"]  # the fixture, shared with the review snapshots


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def test_scorecard_heat_map_no_color(snap_compare: SnapCompare, ctx: ShopContext, shop: None) -> None:
    """The scorecard tab with the weekday × hour heat map."""
    assert snap_compare(StaffApp(ctx), run_before=review_tab("4"), terminal_size=SIZE)
