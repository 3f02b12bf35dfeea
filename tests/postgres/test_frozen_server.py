"""A frozen PostgreSQL server (every process stopped with SIGSTOP, still listening) is
reported within seconds instead of hanging each call: a write fails with a sentence
naming the server, the change feed reports offline, and both recover once it runs again.

Runs on a throwaway cluster of its own, never on the shared server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from sqlmodel import select

from counter_tui.bootstrap import open_shop
from counter_tui.db.models import Visit
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import FeedEvent, open_feed
from tests.concurrency.inbox import Inbox
from tests.conftest import make_settings
from tests.postgres.cluster import Cluster, postgres_bin, throwaway_cluster

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL's server programs are not installed"),
]

T = TypeVar("T")
UPPER_BOUND_SECONDS = 60  # for a slow machine; without time limits the call never returns


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as started:
        yield started


@pytest.fixture
def shop(cluster: Cluster) -> Iterator[ShopContext]:
    ctx = open_shop(make_settings(cluster.create_database("shop")), create=True)
    yield ctx
    ctx.database.dispose()


def returns_within_bound(call: Callable[[], T]) -> T | BaseException:
    """What `call` returned or raised, run in a thread so a hang fails the test instead
    of freezing it (the bound is not a measurement)."""
    outcome: list[T | BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(UPPER_BOUND_SECONDS)
    assert outcome, "the call hung on the frozen server"
    return outcome[0]


def test_a_frozen_server_is_reported_offline_and_recovers(cluster: Cluster, shop: ShopContext) -> None:
    lead = staff.add_staff(shop, None, name="Dana", pin="1111", role="lead")
    dana = staff.sign_in(shop, lead.id, "1111")
    visits.new_walk_in(shop, dana, description="before")  # a pooled connection is open
    inbox = Inbox()
    feed = open_feed(shop, inbox)
    try:
        cluster.freeze()

        refused = returns_within_bound(lambda: visits.new_walk_in(shop, dana, description="while frozen"))
        assert isinstance(refused, DatabaseUnavailable), refused
        assert str(refused).startswith(f"The database server 127.0.0.1:{cluster.port} did not answer within ")
        assert str(refused).endswith(
            "seconds. Nothing was saved; it may be frozen or overloaded. Check the server, then try again."
        )
        assert inbox.until(lambda event: not event.online)[-1] == FeedEvent(online=False)

        cluster.thaw()
        assert inbox.until(lambda event: event.online)[-1].resumed
        visit_id = visits.new_walk_in(shop, dana, description="after")
        assert inbox.actions_until("visit.created", visit_id)[-1] == ("visit.created", visit_id)
    finally:
        feed.stop()
    with shop.database.read() as session:
        saved = set(session.exec(select(Visit.description)))
    assert saved == {"before", "after"}
