"""Memory that stays flat: going round the staff screens again and again leaves no screen,
widget or signal subscription behind (issue 12: a terminal grew ~8 MiB per loop, every
closed screen kept alive by the theme signal it had subscribed to; then ~2.5 MiB per loop
with the floor board kept open under the lock, its footer's keys of every redraw kept)."""

from __future__ import annotations

import asyncio
import gc
import heapq

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.services.staff_roster import StaffSummary
from counter_tui.ui.app import CounterApp
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in

LOOPS = 3
COUNTED = ("screens", "widgets", "signal subscribers")


class OpenShop:
    """The shop handed to the app as the command line does (opened behind the first frame)."""

    theme = "textual-dark"

    def __init__(self, ctx: ShopContext) -> None:
        self.ctx = ctx

    def roster(self) -> list[StaffSummary] | None:
        return None

    def open(self) -> ShopContext:
        return self.ctx


async def round_the_screens(pilot: Pilot[None]) -> None:
    """One loop, by keys: sign in, a customer, find, follow-ups, every review tab, lock,
    sign in again, sign out (or lock, when signing out is refused because customers are
    still yours: what comes back on signing in is the same floor board)."""
    await sign_in(pilot, "dana", "1111")
    for keys in (["enter"], ["escape"], ["slash", "a"], ["escape"], ["f"], ["escape"], ["l"]):
        await pilot.press(*keys)
        await settle(pilot)
    for tab in "1234567":
        await pilot.press(tab)
        await settle(pilot)
    await pilot.press("escape", "ctrl+l")
    await sign_in(pilot, "dana", "1111")
    await pilot.press("ctrl+o")
    await settle(pilot)
    if isinstance(pilot.app, CounterApp) and pilot.app.actor is not None:
        await pilot.press("ctrl+l")
        await settle(pilot)


def drop_cancelled_timers() -> None:
    """Drop the event loop's cancelled timers now rather than when they would have fired.

    A stopped Textual timer leaves its cancelled sleep in the loop's queue until its due
    time, and the handle keeps its context, whose active message pump is the screen that
    owned the timer; so a closed screen lives on for up to one interval of its slowest
    timer. That is bounded, not a leak, but how many are still queued when the test
    counts depends on how fast the machine is (CI, under load, counted 2 screens after
    the first loop and 4 after the next three)."""
    loop = asyncio.get_running_loop()
    scheduled: list[asyncio.TimerHandle] = loop._scheduled  # type: ignore[attr-defined]
    scheduled[:] = [handle for handle in scheduled if not handle.cancelled()]
    heapq.heapify(scheduled)
    loop._timer_cancelled_count = 0  # type: ignore[attr-defined]


def stop_orphaned_update_timers(app: App[object]) -> None:
    """Stop the update timer of every closed screen. Textual makes a screen's update timer
    when it is first needed, and a layout refresh that reaches a screen after it closed
    makes one that nothing stops: its task waits, paused, and holds the screen. On a busy
    machine a refresh can land that late (runs under load counted 3 screens against 2);
    bench_soak.py's resident size after a shift shows whether that ever adds up."""
    for item in gc.get_objects():
        if isinstance(item, Screen) and not item.is_running and item not in app.screen_stack:
            timer = item._Screen__update_timer  # type: ignore[attr-defined]
            if timer is not None:
                timer.stop()


async def finish_cancelled_tasks() -> None:
    """Let the tasks cancelled when their screen closed (its timers' tasks) run their
    cancellation: until a task has, it holds its screen, and on a busy machine a closed
    screen could still be counted (a run under load once counted 3 screens against 2)."""
    current = asyncio.current_task()
    cancelled = [task for task in asyncio.all_tasks() if task is not current and task.cancelling()]
    if cancelled:
        await asyncio.wait(cancelled, timeout=10)  # a task that never ends is then counted


async def live(pilot: Pilot[None]) -> tuple[int, int, int]:
    """Screens and widgets still in memory, and subscriptions to the app's signals; the
    messages on screen are cleared first (their toasts go after their timeouts, so how
    many are still up depends on how fast the machine went round)."""
    app = pilot.app
    app.clear_notifications()
    await settle(pilot)
    stop_orphaned_update_timers(app)
    await finish_cancelled_tasks()
    drop_cancelled_timers()
    gc.collect()
    objects = gc.get_objects()
    screens = sum(1 for item in objects if isinstance(item, Screen))
    widgets = sum(1 for item in objects if isinstance(item, Widget))
    signals = (app.theme_changed_signal, app.screen_change_signal)
    return screens, widgets, sum(len(signal._subscriptions) for signal in signals)


async def test_going_round_the_screens_leaves_nothing_behind(ctx: ShopContext, team: Team) -> None:
    visits.new_walk_in(ctx, team.sam, description="red coat")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await round_the_screens(pilot)  # the first loop warms Textual's caches up
        after_one = await live(pilot)
        for _ in range(LOOPS):
            await round_the_screens(pilot)
        after_more = await live(pilot)
        assert app.actor is None  # signed out each time: the loop did go all the way round
        grown = [
            (name, before, after)
            for name, before, after in zip(COUNTED, after_one, after_more, strict=True)
            if after > before
        ]
        assert grown == []
        closed = [type(item).__name__ for item in gc.get_objects() if isinstance(item, Screen)]
        assert closed.count("CustomerScreen") == closed.count("FloorScreen") == 0


async def test_a_shift_on_one_floor_board_leaves_nothing_behind(ctx: ShopContext, team: Team) -> None:
    """As at a real counter: the app opened as the command line opens it, the live change
    feed on, and Dana with a customer of her own, so she cannot sign out and locks
    instead; her floor board stays open under the lock through every loop."""
    visits.new_walk_in(ctx, team.lead, description="green hat", claim=True)
    app = CounterApp(OpenShop(ctx))
    async with app.run_test(size=SIZE) as pilot:
        await round_the_screens(pilot)
        board = app.screen_stack[1]
        after_one = await live(pilot)
        for _ in range(LOOPS):
            await round_the_screens(pilot)
        after_more = await live(pilot)
        assert app.actor is None and app.screen_stack[1] is board  # locked, the same board under
        grown = [
            (name, before, after)
            for name, before, after in zip(COUNTED, after_one, after_more, strict=True)
            if after > before
        ]
        assert grown == []
