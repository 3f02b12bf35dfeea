"""Migrations on PostgreSQL: up, down, up again; the notify triggers come and go with them."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import current_revision, downgrade, head_revision, upgrade

pytestmark = pytest.mark.postgres


def _tables(database: Database) -> set[str]:
    return set(inspect(database.engine).get_table_names())


def _triggers(database: Database) -> set[str]:
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars()
        return set(rows)


@pytest.fixture
def database(pg_url: str) -> Iterator[Database]:
    db = Database(pg_url)
    yield db
    db.dispose()


def test_upgrade_downgrade_and_upgrade_again(database: Database) -> None:
    upgrade(database)
    assert current_revision(database) == head_revision(database)
    assert {"visit", "auditevent", "presence"} <= _tables(database)
    assert _triggers(database) == {
        "auditevent_notify",
        "presence_notify_arrive_leave",
        "presence_notify_reopen",
    }

    downgrade(database, "0002")
    assert "presence" not in _tables(database)
    assert _triggers(database) == {"auditevent_notify"}

    downgrade(database, "0001")
    assert _triggers(database) == set()

    downgrade(database, "base")
    assert _tables(database) <= {"alembic_version"}

    upgrade(database)
    assert current_revision(database) == head_revision(database)
    assert len(_triggers(database)) == 3


def test_terminals_starting_together_migrate_once(pg_url: str) -> None:
    databases = [Database(pg_url) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(databases))

    def start_terminal(database: Database) -> None:
        start.wait()
        try:
            upgrade(database)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start_terminal, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert current_revision(databases[0]) == head_revision(databases[0])
    for database in databases:
        database.dispose()
