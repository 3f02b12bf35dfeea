"""Migration 0022 on a database with consents in it: a consent whose source is an
import's words ("Square export, …") is recorded as an import's, every other as a person's.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade

SOURCES = [
    ("Square export, march.csv, 2026-03-01", True),
    ("CSV export, old.csv, 2026-01-02", True),
    ("asked at the counter", False),
    ("Square export of March, read out by Dana", False),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def test_upgrading_from_0021_records_which_consents_an_import_gave(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0021")
        at = datetime(2026, 11, 1, tzinfo=UTC)
        with database.write() as session:
            connection = session.connection()
            for number, (source, _) in enumerate(SOURCES, 1):
                connection.execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, phone_normalised, email, "
                        "preferences, created_at) VALUES (:name, :name, '', '', '', '', '', :at)"
                    ),
                    {"name": f"customer {number}", "at": at},
                )
                connection.execute(
                    text(
                        "INSERT INTO contactconsent (customer_id, channel, granted, source, recorded_at) "
                        "VALUES (:id, 'email', :yes, :source, :at)"
                    ),
                    {"id": number, "yes": True, "source": source, "at": at},
                )
        upgrade(database)
        with database.read() as session:
            query = text("SELECT source, by_import FROM contactconsent ORDER BY id")
            rows = session.connection().execute(query)
            assert [(source, bool(by_import)) for source, by_import in rows] == SOURCES
    finally:
        database.dispose()
