"""Upgrading a shop with audit history to the audit chain: the events already there are
chained so the shop verifies, and new events carry the chain on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from counter_tui.db.engine import Database
from counter_tui.db.migrate import downgrade, upgrade
from counter_tui.services import audit_verify, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import make_settings
from tests.migrations.audit_history import BEFORE_THE_CHAIN, EVENTS, write_old_history


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url, create=True)
    yield db
    db.dispose()


def check_upgrade_chains_the_history(database: Database) -> None:
    """Upgrade from before the chain with history in it; the chain verifies, and grows."""
    upgrade(database, BEFORE_THE_CHAIN)
    write_old_history(database)

    upgrade(database)

    ctx = ShopContext(database=database, settings=make_settings(database.url))
    report = audit_verify.verify_chain(ctx)
    assert report.intact, report.problems
    assert report.events == EVENTS
    visits.new_walk_in(ctx, Actor(staff_id=1, name="Dana", role="lead"), claim=True)
    report = audit_verify.verify_chain(ctx)
    assert report.intact and report.events == EVENTS + 2


def test_upgrade_chains_existing_events_on_sqlite(database: Database) -> None:
    check_upgrade_chains_the_history(database)


def test_downgrade_keeps_the_events(database: Database) -> None:
    upgrade(database, BEFORE_THE_CHAIN)
    write_old_history(database)
    upgrade(database)
    downgrade(database, BEFORE_THE_CHAIN)
    upgrade(database)
    ctx = ShopContext(database=database, settings=make_settings(database.url))
    assert audit_verify.verify_chain(ctx).events == EVENTS
