"""The start-up schema check (`db/schema_version`) reads what Alembic reads, without
Alembic: the same head, and the same revision on an up-to-date, an old and an empty
database (SQLite, and PostgreSQL when COUNTER_TUI_TEST_POSTGRES_URL is set); opening an
up-to-date shop leaves Alembic unloaded (and PostgreSQL's driver, on SQLite), an old one
is still upgraded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from counter_tui.db.engine import Database
from counter_tui.db.migrate import current_revision, head_revision, upgrade
from counter_tui.db.schema_version import shipped_head, stored_revision


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """An empty database of each kind (PostgreSQL skipped unless a server is given)."""
    url = request.getfixturevalue("database_url" if request.param == "sqlite" else "pg_url")
    db = Database(url, create=True)
    yield db
    db.dispose()


def test_the_head_known_without_alembic_is_alembics_head(database_url: str) -> None:
    assert shipped_head() == head_revision(Database(database_url, create=True))


def test_an_empty_database_is_at_no_revision_for_both(database: Database) -> None:
    assert stored_revision(database) is None
    assert current_revision(database) is None


def test_an_up_to_date_database_is_at_the_head_for_both(database: Database) -> None:
    upgrade(database)

    assert stored_revision(database) == current_revision(database) == shipped_head()


def test_an_old_database_is_at_its_own_revision_for_both(database: Database) -> None:
    upgrade(database, "0010")

    assert stored_revision(database) == current_revision(database) == "0010"
    assert stored_revision(database) != shipped_head()


OPEN_SHOP = (
    "import sys\n"
    "from counter_tui.bootstrap import open_shop\n"
    "from counter_tui.config import Settings\n"
    "shop = open_shop(Settings(database_url=sys.argv[1]))\n"
    "from counter_tui.db.schema_version import stored_revision\n"
    "postgres = any(m == 'psycopg' or m.startswith('sqlalchemy.dialects.postgresql') for m in sys.modules)\n"
    "print(stored_revision(shop.database), 'alembic' in sys.modules, postgres)\n"
)


def opened_in_fresh_interpreter(url: str) -> list[str]:
    """(revision after opening, whether Alembic was imported, whether PostgreSQL's driver
    or dialect was) in a new interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", OPEN_SHOP, url], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.split()


def test_opening_an_up_to_date_shop_does_not_load_alembic(database: Database) -> None:
    upgrade(database)

    on_postgres = str(not database.is_sqlite)
    assert opened_in_fresh_interpreter(database.url) == [shipped_head(), "False", on_postgres]


def test_opening_an_old_shop_upgrades_it(database: Database) -> None:
    upgrade(database, "0010")

    assert opened_in_fresh_interpreter(database.url)[:2] == [shipped_head(), "True"]
