"""Snapshots of the leads' staff screen and the deactivation dialog, at 120×40 and 80×24
(Alex locked out at "till 2"; Sam owning customers and follow-ups)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from counter_tui.errors import SignInFailed
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.snapshots.test_staff_snapshots import RunBefore, Shop, SnapCompare, shop, signed_in_as  # noqa: F401
from tests.ui.staff_pilot import SIZE, StaffApp, settle

SMALL = (80, 24)


@pytest.fixture
def alex_locked_out(ctx: ShopContext, team: Team, shop: Shop) -> None:  # noqa: F811
    """Five wrong PINs for Alex at "till 2"."""
    assert team.alex.staff_id is not None
    ctx.settings.terminal_name = "till 2"
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, team.alex.staff_id, "0000")
    ctx.settings.terminal_name = "counter"


def quietly_pressing(*keys: str) -> RunBefore:
    """Steps that drop the sign-in toast first (so no toast is left half-gone), then press keys."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.press(*keys)

    return run


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_staff_screen(
    snap_compare: SnapCompare, ctx: ShopContext, alex_locked_out: None, size: tuple[int, int]
) -> None:
    """Everyone with role, status and where they are locked out."""
    assert snap_compare(
        StaffApp(ctx), run_before=signed_in_as("dana", "1111", quietly_pressing("s")), terminal_size=size
    )


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
def test_deactivating_someone_who_owns_work(
    snap_compare: SnapCompare, ctx: ShopContext, alex_locked_out: None, size: tuple[int, int]
) -> None:
    """Sam owns customers and follow-ups: the dialog says so and offers the colleagues."""
    steps = signed_in_as("dana", "1111", quietly_pressing("s", "down", "down", "d"))
    assert snap_compare(StaffApp(ctx), run_before=steps, terminal_size=size)
