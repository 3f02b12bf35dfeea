"""Snapshots of the audit log (and its filter dialog) on the review snapshots' shop day,
at 120×40 and at 80×24."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.services.context import ShopContext
from tests.snapshots.test_review_snapshots import shop  # noqa: F401  (the shop day fixture)
from tests.ui.staff_pilot import StaffApp, settle, sign_in

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


def audit_log(*keys: str) -> RunBefore:
    """Sign Dana in, open the review and its audit log (l, l), press `keys`, and wait for
    a steady screen: notifications cleared and text cursors not blinking."""

    async def run(pilot: Pilot[None]) -> None:
        await sign_in(pilot, "dana", "1111")
        await settle(pilot)
        pilot.app.clear_notifications()  # the sign-in toasts, and a lead's needs-help alert
        await pilot.press("l", "l")
        await settle(pilot)
        pilot.app.clear_notifications()  # the lead's sign-in alerts, before a dialog covers them
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize("size", SIZES)
def test_audit_log(snap_compare: SnapCompare, ctx: ShopContext, size: tuple[int, int]) -> None:
    """The newest events, every column fitted to the width."""
    assert snap_compare(StaffApp(ctx), run_before=audit_log(), terminal_size=size)


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize("size", SIZES)
def test_audit_filter_dialog(snap_compare: SnapCompare, ctx: ShopContext, size: tuple[int, int]) -> None:
    """The four filters, all on screen at 80×24 (opened again over a filter that matched
    nothing, so the screen behind is one still line rather than a table being laid out)."""
    keys = ("f", "z", "z", "z", "enter", "f")
    assert snap_compare(StaffApp(ctx), run_before=audit_log(*keys), terminal_size=size)
