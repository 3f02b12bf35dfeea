"""The SQLite change feed: another terminal's changes arrive without anyone asking."""

from __future__ import annotations

import pytest

from counter_tui.services import presence, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync import base
from counter_tui.sync.feed import ChangeFeed, FeedEvent, open_feed
from counter_tui.sync.sqlite_feed import SqliteFeed
from tests.concurrency.inbox import Inbox
from tests.conftest import Team


def test_feed_for_sqlite_polls_the_file(feed: ChangeFeed) -> None:
    assert isinstance(feed.watcher, SqliteFeed)


def test_a_claim_on_another_terminal_is_reported(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="red coat")
    visits.claim_visit(other_terminal, team.sam, visit_id)
    actions = inbox.actions_until("visit.claimed", visit_id)
    assert actions[-2:] == [("visit.created", visit_id), ("visit.claimed", visit_id)]
    assert all(event.online and not event.resumed for event in inbox.seen)


def test_each_change_is_reported_once_and_in_order(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    first = visits.new_walk_in(other_terminal, team.sam, description="one")
    second = visits.new_walk_in(other_terminal, team.alex, description="two")
    third = visits.new_walk_in(other_terminal, team.sam, description="three")
    actions = inbox.actions_until("visit.created", third)
    visit_actions = [a for a in actions if a[0].startswith("visit.")]
    assert visit_actions == [("visit.created", v) for v in (first, second, third)]
    ids = [c.event_id for event in inbox.seen for c in event.changes]
    assert ids == sorted(set(ids))


def test_a_heartbeat_alone_reports_nothing_but_arriving_and_leaving_do(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="red coat")
    inbox.actions_until("visit.created", visit_id)
    presence.touch(other_terminal, team.alex, visit_id)
    assert inbox.next().presence == (visit_id,)
    presence.touch(other_terminal, team.alex, visit_id)
    visits.claim_visit(other_terminal, team.sam, visit_id)
    after_heartbeat = inbox.next()
    assert after_heartbeat.presence == ()
    assert [c.action for c in after_heartbeat.changes] == ["visit.claimed"]
    presence.leave(other_terminal, team.alex, visit_id)
    assert inbox.next().presence == (visit_id,)


def test_poll_once_returns_changes_not_yet_reported(
    ctx: ShopContext, other_terminal: ShopContext, team: Team, inbox: Inbox
) -> None:
    feed = ChangeFeed(ctx, inbox, poll_seconds=3600)
    feed.start()
    try:
        visit_id = visits.new_walk_in(other_terminal, team.sam, description="hat")
        event = feed.poll_once()
        assert event is not None
        assert [(c.action, c.entity_id) for c in event.changes] == [("visit.created", visit_id)]
        assert feed.poll_once() is None
    finally:
        feed.stop()


def test_a_failing_screen_callback_does_not_stop_the_feed(
    ctx: ShopContext, other_terminal: ShopContext, team: Team, inbox: Inbox
) -> None:
    def flaky(event: FeedEvent) -> None:
        inbox(event)
        raise RuntimeError("a screen bug")

    feed = open_feed(ctx, flaky)
    try:
        first = visits.new_walk_in(other_terminal, team.sam, description="one")
        inbox.actions_until("visit.created", first)
        second = visits.new_walk_in(other_terminal, team.sam, description="two")
        inbox.actions_until("visit.created", second)
        assert feed.online
        assert all(event.online and not event.resumed for event in inbox.seen)
    finally:
        feed.stop()


def test_more_changes_than_one_read_holds_are_all_reported(
    ctx: ShopContext, other_terminal: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "CHANGES_PER_READ", 2)
    feed = ChangeFeed(ctx, Inbox(), poll_seconds=3600)  # asked below, never by its thread
    feed.start()
    try:
        made = [visits.new_walk_in(other_terminal, team.sam, description=f"coat {n}") for n in range(5)]
        event = feed.poll_once()
        assert event is not None
        assert [change.entity_id for change in event.changes if change.action == "visit.created"] == made
    finally:
        feed.stop()
