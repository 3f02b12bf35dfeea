"""The PostgreSQL change feed: LISTEN/NOTIFY, and what happens when the server drops it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from counter_tui.services import presence, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.customer_import import ImportRequest, import_customers
from counter_tui.sync.feed import ChangeFeed, FeedEvent, open_feed
from counter_tui.sync.postgres_feed import PostgresFeed
from tests.concurrency.inbox import Inbox
from tests.conftest import Team
from tests.postgres.plug import refuse_connections, terminate
from tests.unit.till_exports import SHOPIFY_ADMIN, shopify_customer, write_export

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


def test_an_import_reaches_other_terminals_as_one_event_a_transaction(
    feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team, tmp_path: Path
) -> None:
    """Each audit row is a NOTIFY of its own; a 5,000-row import (5 batches and the last
    event: 6 transactions) reached other terminals as 36 events, one a network packet of
    notifications, and their screens reloaded on each. Now what the server was sending
    when the first notification arrived is passed on with it: one event a transaction
    (two transactions committed close together may share one)."""
    rows = 2_500
    path = write_export(
        tmp_path / "big.csv", SHOPIFY_ADMIN, [shopify_customer(n) for n in range(1, rows + 1)]
    )

    counts = import_customers(other_terminal, team.lead, ImportRequest(path, batch_rows=1_000))

    assert counts.new == rows
    events = inbox.until(lambda event: any(c.action == "customers.imported" for c in event.changes))
    ends = ("customers.import_batch", "customers.imported")
    assert [event.changes[-1].action in ends for event in events] == [True] * len(events), [
        (len(event.changes), event.changes[-1].action) for event in events
    ]
    assert len(events) <= 4, "3 batches and the import's own event"
    ids = [change.event_id for event in events for change in event.changes]
    assert len(ids) == len(set(ids)) == rows + 4
