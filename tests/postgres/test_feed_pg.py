"""The PostgreSQL change feed: LISTEN/NOTIFY, and what happens when the server drops it."""

from __future__ import annotations

import psycopg
import pytest

from counter_tui.services import presence, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import ChangeFeed, FeedEvent, open_feed
from counter_tui.sync.postgres_feed import PostgresFeed
from tests.concurrency.inbox import Inbox
from tests.conftest import Team
from tests.postgres.plug import refuse_connections, terminate

pytestmark = pytest.mark.postgres


def _listener_pid(feed: ChangeFeed) -> int:
    assert isinstance(feed.watcher, PostgresFeed)
    pid = feed.watcher.backend_pid
    assert pid is not None
    return pid


def test_a_claim_arrives_as_a_notification(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="red coat")
    visits.claim_visit(other_terminal, team.sam, visit_id)
    actions = inbox.actions_until("visit.claimed", visit_id)
    assert actions[-2:] == [("visit.created", visit_id), ("visit.claimed", visit_id)]
    ids = [c.event_id for event in inbox.seen for c in event.changes]
    assert len(ids) == len(set(ids))


def test_lookers_arriving_and_leaving_notify_but_heartbeats_do_not(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="red coat")
    inbox.actions_until("visit.created", visit_id)
    presence.touch(other_terminal, team.alex, visit_id)
    assert inbox.next() == FeedEvent(online=True, presence=(visit_id,))
    presence.touch(other_terminal, team.alex, visit_id)
    presence.leave(other_terminal, team.alex, visit_id)
    assert inbox.next() == FeedEvent(online=True, presence=(visit_id,))
    assert presence.lookers(other_terminal, team.sam, visit_id) == []


def test_feed_reconnects_after_the_server_drops_it(
    feed: ChangeFeed,
    inbox: Inbox,
    other_terminal: ShopContext,
    team: Team,
    server: psycopg.Connection,
    database_url: str,
) -> None:
    dropped = _listener_pid(feed)
    assert terminate(server, database_url, dropped) == 1
    back = inbox.next()
    assert back.online and back.resumed
    assert _listener_pid(feed) != dropped
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="after the drop")
    assert inbox.actions_until("visit.created", visit_id)[-1] == ("visit.created", visit_id)


def test_feed_reports_offline_while_refused_and_catches_up_when_back(
    feed: ChangeFeed,
    inbox: Inbox,
    other_terminal: ShopContext,
    team: Team,
    server: psycopg.Connection,
    database_url: str,
) -> None:
    visit_id = visits.new_walk_in(other_terminal, team.sam, description="red coat")
    inbox.actions_until("visit.created", visit_id)
    refuse_connections(server, database_url, refuse=True)
    terminate(server, database_url, _listener_pid(feed))
    assert inbox.next() == FeedEvent(online=False)
    assert not feed.online
    # The other terminal still holds a connection it opened before, and claims meanwhile.
    visits.claim_visit(other_terminal, team.sam, visit_id)

    refuse_connections(server, database_url, refuse=False)
    back = inbox.next()
    assert back.online and back.resumed
    assert [(c.action, c.entity_id) for c in back.changes] == [("visit.claimed", visit_id)]


def test_feed_started_while_the_server_is_unreachable_says_so(ctx: ShopContext, inbox: Inbox) -> None:
    down = ShopContext(
        database=type(ctx.database)("postgresql+psycopg://postgres@127.0.0.1:1/test"),
        settings=ctx.settings,
        clock=ctx.clock,
    )
    feed = open_feed(down, inbox)
    try:
        assert inbox.next() == FeedEvent(online=False)
        assert not feed.online
    finally:
        feed.stop()
