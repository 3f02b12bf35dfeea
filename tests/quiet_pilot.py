"""A Pilot that waits for the app to be done with a key, not for 40 ms of quiet CPU.

Textual's `Pilot.press` sleeps after every key until the process's CPU time stops moving
(two waits of at least 20 ms each), and `Pilot.pause` at least 20 ms: most of a UI test's
time went to those sleeps (51 s of a 74 s run of three files), and under load a busy
neighbour could make the guess wrong either way. This Pilot waits for what it means: every
message of the app and its widgets handled (queues empty, nothing mid-dispatch, no
callbacks due), short one-off timers fired, its workers finished (up to
`WORKER_WAIT_SECONDS`; not at all inside `with workers_held(pilot):`), then the screen brought up
to date as its update timer would.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import unicodedata
from collections.abc import Iterator
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.worker import WorkerState

WORKER_WAIT_SECONDS = 1.0
"""How long a key waits for the app's workers (Textual's own wait gave up at 1 s); a test
that holds a worker on purpose says so (`workers_held`), and does not wait."""
QUIET_TURNS = 3
"""Turns of the event loop with nothing in flight that make the app quiet: a message sent
from a thread (a worker's result) takes up to two turns to reach its queue."""
UPDATE_WAIT_SECONDS = 5.0
"""How long a key waits for the app's messages, timers and screen to settle before going
on regardless (an app that never settles shows as a slow test, as with Textual's wait)."""
POLL_SECONDS = 0.001
"""How often a wait for workers or a timer looks again: short, and it gives their thread the GIL."""
SHORT_TIMER_SECONDS = 0.02
"""A one-off timer this short is waited for, as Textual's own 20 ms sleep would have."""


class _Dispatching:
    """How many messages are being handled right now, across every pump (a handler may
    await, so a message taken off its queue is not yet done)."""

    count = 0


async def counted_dispatch(pump: MessagePump, message: Message) -> None:
    """`MessagePump._dispatch_message`, counted in `_Dispatching` while it runs."""
    _Dispatching.count += 1
    try:
        await _DISPATCH(pump, message)
    finally:
        _Dispatching.count -= 1


_DISPATCH = MessagePump._dispatch_message


def _pump_busy(pump: MessagePump) -> bool:
    """Whether a widget, screen or the app has a message or callback waiting."""
    if pump._closing or pump._closed:
        return False
    return bool(pump._message_queue.values or pump._pending_message or pump._next_callbacks)


def _messages_queued(app: App[object]) -> bool:
    """Whether the app or any of its widgets and screens has a message or callback waiting."""
    return _pump_busy(app) or any(_pump_busy(node) for node in list(app._registry))


def _short_timer_due(app: App[object]) -> bool:
    """Whether a one-off timer of at most `SHORT_TIMER_SECONDS` is waiting to fire or
    firing (Textual settles a resize that way): one Textual's own 20 ms sleep would see."""
    for pump in [app, *list(app._registry)]:
        if not pump._timers:  # most have none: skip building a list from the weak set
            continue
        for timer in list(pump._timers):
            task = timer._task
            if (
                task is not None
                and not task.done()
                and timer._repeat == 0
                and timer._interval <= SHORT_TIMER_SECONDS
            ):
                return True
    return False


def _workers_running(app: App[object]) -> bool:
    """Whether a worker of the app (its screens' and widgets' included) is yet to finish."""
    return any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)


def _screen_out_of_date(app: App[object]) -> bool:
    """Whether the current screen has layout, a repaint or after-refresh callbacks due
    (which its update timer would see to within a frame)."""
    screen = app.screen
    return bool(
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
        or screen._callbacks
    )


async def _handle_messages(app: App[object], started: float, workers_held: bool) -> None:
    """Let the loop run until, on `QUIET_TURNS` turns in a row, no message is waiting, no
    short timer is due, and nothing is being handled and no worker is running (waited
    for up to `WORKER_WAIT_SECONDS`, or not at all when `workers_held`: a handler may be
    awaiting the held work)."""
    give_up_at = started + UPDATE_WAIT_SECONDS
    wait_for_work_until = started if workers_held else started + WORKER_WAIT_SECONDS
    quiet_turns = 0
    while quiet_turns < QUIET_TURNS and app.is_running:
        now = time.monotonic()
        if _messages_queued(app) and now < give_up_at:
            quiet_turns = 0
            await asyncio.sleep(0)
        elif (_short_timer_due(app) and now < give_up_at) or (
            (_Dispatching.count or _workers_running(app)) and now < wait_for_work_until
        ):
            quiet_turns = 0
            await asyncio.sleep(POLL_SECONDS)  # what runs now runs in a thread or a timer
        else:
            quiet_turns += 1
            await asyncio.sleep(0)


async def until_quiet(app: App[object], *, workers_held: bool = False) -> None:
    """Return once `app` has handled every message sent to it so far and whatever those
    messages sent on, its workers are done (unless `workers_held`), and its screen is laid
    out and painted as its update timer would have done; or, once it has stopped, closed."""
    started = time.monotonic()
    while app.is_running:
        await _handle_messages(app, started, workers_held)
        await app.animator.wait_until_complete()
        out_of_date = _screen_out_of_date(app)
        _update_screen(app)
        if not out_of_date or time.monotonic() > started + UPDATE_WAIT_SECONDS:
            return
    await _shut_down(app)


async def _shut_down(app: App[object]) -> None:
    """Wait for an app that stopped running to finish closing (its workers cancelled and
    gone), as Textual's own wait did by sleeping through it."""
    closing = app._task
    if closing is not None and not closing.done():
        await asyncio.wait([closing], timeout=UPDATE_WAIT_SECONDS)


def _update_screen(app: App[object]) -> None:
    """What the screen's update timer does, now, as `app` (with two apps under test, the
    screen asks the app in context whether it is the current screen)."""
    with app._context():
        app.screen._on_timer_update()


def key_event(key: str) -> events.Key:
    """The key event Textual's own `Pilot.press` sends for `key` (a name or a character)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class QuietPilot(Pilot[object]):
    """`Pilot` with `press` and `pause` waiting for the app to be quiet (see the module).
    Inside `with workers_held(pilot):` they do not wait for workers: the test holds one."""

    workers_held_now = False

    async def press(self, *keys: str) -> None:
        """Press each key in turn, waiting for the app to be done with it."""
        app = self.app
        for key in keys:
            app.post_message(key_event(key))
            await until_quiet(app, workers_held=self.workers_held_now)

    async def pause(self, delay: float | None = None) -> None:
        """Wait for the app to be quiet; with `delay`, sleep that long as Textual does."""
        if delay is not None:
            await super().pause(delay)
            return
        await self._wait_for_screen()
        await until_quiet(self.app, workers_held=self.workers_held_now)


@contextlib.contextmanager
def workers_held(pilot: Pilot[Any]) -> Iterator[None]:
    """Keys pressed and pauses inside do not wait for the app's workers, one of which the
    test holds on purpose (a read or an opening it lets finish later)."""
    assert isinstance(pilot, QuietPilot)
    pilot.workers_held_now = True
    try:
        yield
    finally:
        pilot.workers_held_now = False
