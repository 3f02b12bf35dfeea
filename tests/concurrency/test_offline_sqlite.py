"""When the SQLite file goes away (its folder moved, a share unmounted), every call is
refused with a sentence and nothing is half-written; the feed says it is offline and
recovers by itself when the file is back."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import FeedEvent, open_feed
from tests.concurrency.inbox import Inbox
from tests.concurrency.service_calls import (
    assert_nothing_written_then_working,
    audit_count,
    build_world,
    every_service_call,
)
from tests.conftest import Team, make_settings


@pytest.fixture
def shop_dir(tmp_path: Path) -> Path:
    return tmp_path / "shop"


@pytest.fixture
def database_url(shop_dir: Path) -> str:
    """The database lives in its own folder, which the tests move away and back."""
    return f"sqlite:///{shop_dir / 'counter.sqlite3'}"


@pytest.fixture
def moved_dir(tmp_path: Path) -> Path:
    return tmp_path / "elsewhere"


def test_every_service_refuses_while_the_file_is_gone_and_nothing_is_written(
    ctx: ShopContext, team: Team, shop_dir: Path, moved_dir: Path
) -> None:
    world = build_world(ctx, team)
    before = audit_count(ctx)
    shop_dir.rename(moved_dir)
    not_refused = []
    for name, call in every_service_call(ctx, team, world):
        try:
            call()
        except DatabaseUnavailable as error:
            assert "cannot be reached" in str(error) and "Nothing was saved" in str(error)
        else:
            not_refused.append(name)
    assert not_refused == []
    assert not shop_dir.exists(), "a refused call must not create an empty database"

    moved_dir.rename(shop_dir)
    assert_nothing_written_then_working(ctx, team, world, audit_events_before=before)


def test_feed_reports_offline_then_catches_up_when_the_file_is_back(
    ctx: ShopContext, team: Team, shop_dir: Path, moved_dir: Path, clock: ManualClock
) -> None:
    inbox = Inbox()
    feed = open_feed(ctx, inbox)
    try:
        shop_dir.rename(moved_dir)
        assert inbox.next() == FeedEvent(online=False)
        assert not feed.online
        # A terminal that can still reach the file at its new place writes meanwhile.
        elsewhere = open_shop(
            make_settings(f"sqlite:///{moved_dir / 'counter.sqlite3'}"), clock=clock, migrate=False
        )
        visit_id = visits.new_walk_in(elsewhere, team.sam, description="while away")
        elsewhere.database.dispose()

        moved_dir.rename(shop_dir)
        back = inbox.next()
        assert back.online and back.resumed
        assert [(c.action, c.entity_id) for c in back.changes] == [("visit.created", visit_id)]
        visits.claim_visit(ctx, team.alex, visit_id)
        assert inbox.actions_until("visit.claimed", visit_id)[-1] == ("visit.claimed", visit_id)
    finally:
        feed.stop()
