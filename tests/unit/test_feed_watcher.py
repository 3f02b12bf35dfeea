"""The change feed's shared logic, without a real watch connection: a scripted backend
whose connection opens or fails on cue drives the offline, reconnect and catch-up rules
of `sync/base.py` on a real shop database, one step at a time (no thread, no sleeping)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from counter_tui.services import customers, shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.sync import base
from counter_tui.sync.base import FeedWatcher, backoff_delays
from counter_tui.sync.events import FeedEvent
from tests.conftest import Team


class ScriptedFeed(FeedWatcher):
    """A backend whose `_open` fails while `down` is set, counting every attempt."""

    def __init__(self, ctx: ShopContext) -> None:
        self.events: list[FeedEvent] = []
        super().__init__(ctx, self.events.append)
        self.down = False
        self.opened = 0
        self.closed = 0

    def _open(self) -> None:
        self.opened += 1
        if self.down:
            raise OSError("connection refused")

    def _watch(self) -> None:
        raise AssertionError("the tests drive the feed step by step")

    def _close(self) -> None:
        self.closed += 1


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reconnect attempts follow one another at once (the delays are tested on their own)."""
    monkeypatch.setattr(base, "backoff_delays", lambda: iter(lambda: 0.0, None))


@pytest.fixture
def watcher(ctx: ShopContext, team: Team) -> Iterator[ScriptedFeed]:
    feed = ScriptedFeed(ctx)
    feed.take_starting_point()  # what `start` does before its thread
    yield feed
    feed._stop.set()


def put_on_file(ctx: ShopContext, team: Team, name: str) -> int:
    return customers.create_customer(ctx, team.sam, name=name)


def test_backoff_doubles_from_the_first_wait_up_to_the_cap_with_a_little_jitter() -> None:
    delays = backoff_delays(first=0.1, cap=1.0)
    waits = [next(delays) for _ in range(8)]
    for wait, plan in zip(waits, [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 1.0], strict=True):
        assert plan * 0.8 <= wait <= plan * 1.2


def test_changes_after_the_start_are_reported_once_each(
    watcher: ScriptedFeed, ctx: ShopContext, team: Team
) -> None:
    bob = put_on_file(ctx, team, "Bob Jones")
    first = watcher.poll_once()
    assert first is not None
    assert [(c.entity, c.entity_id) for c in first.changes] == [("customer", bob)]
    assert watcher.poll_once() is None
    assert watcher.accept(first.changes) == ()


def test_a_lost_connection_is_reported_once_then_one_catch_up_with_what_was_missed(
    watcher: ScriptedFeed, ctx: ShopContext, team: Team
) -> None:
    watcher.down = True
    watcher.report_offline()  # the watch loop lost its connection
    missed = put_on_file(ctx, team, "Cara Lee")
    watcher.opened = 0
    attempts = iter([True, True, False])  # two more refusals, then the server is back

    def open_when_back() -> None:
        watcher.opened += 1
        if next(attempts):
            raise OSError("connection refused")

    watcher._open = open_when_back  # type: ignore[method-assign]
    watcher._reconnect()

    assert watcher.opened == 3
    assert [event.online for event in watcher.events] == [False, True]
    back = watcher.events[-1]
    assert back.resumed
    assert [(c.entity, c.entity_id) for c in back.changes] == [("customer", missed)]
    assert watcher.online
    assert watcher.poll_once() is None  # the catch-up is not reported again


def test_a_feed_started_while_the_database_is_down_catches_up_when_it_answers(
    ctx: ShopContext, team: Team
) -> None:
    feed = ScriptedFeed(ctx)
    feed.down = True
    feed.take_starting_point()  # what `start` does before its thread
    assert feed.closed == 1
    feed.down = False
    feed._reconnect()
    assert len(feed.events) == 1 and feed.events[0].resumed and feed.events[0].online


def test_a_reconnect_with_nothing_missed_says_nothing(watcher: ScriptedFeed) -> None:
    watcher._reconnect()
    assert watcher.events == []
    assert watcher.online


def test_a_stopped_feed_gives_up_reconnecting(watcher: ScriptedFeed) -> None:
    watcher.down = True
    watcher._stop.set()
    watcher._reconnect()
    assert watcher.opened == 1  # the start only
    assert watcher.events == []


def test_more_changes_than_one_read_holds_are_all_reported(
    watcher: ScriptedFeed, ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "CHANGES_PER_READ", 2)
    made = [
        put_on_file(ctx, team, name) for name in ("Ann Ash", "Ben Birch", "Cy Cedar", "Di Dale", "Ed Elm")
    ]
    event = watcher.poll_once()
    assert event is not None
    assert [c.entity_id for c in event.changes if c.entity == "customer"] == made


def test_a_callback_that_raises_is_logged_and_the_feed_carries_on(
    ctx: ShopContext, team: Team, unexpected_errors: list[object]
) -> None:
    calls: list[FeedEvent] = []

    def fragile(event: FeedEvent) -> None:
        calls.append(event)
        raise RuntimeError("a screen's bug")

    feed = ScriptedFeed(ctx)
    feed.on_event = fragile
    feed.emit(FeedEvent(online=True))
    feed.emit(FeedEvent(online=True))
    assert len(calls) == 2


def test_a_settings_change_is_read_before_screens_hear_of_it(
    watcher: ScriptedFeed, ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    kept = ctx.rules.thresholds.greet_within_minutes  # this terminal has read the rules
    assert kept != 9
    lead = team.lead
    shop_settings.change(other_terminal, lead, {"thresholds.greet_within_minutes": "9"})
    event = watcher.poll_once()
    assert event is not None
    watcher.emit(event)
    assert ctx.rules.thresholds.greet_within_minutes == 9
