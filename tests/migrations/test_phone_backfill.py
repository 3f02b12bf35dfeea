"""Migration 0006 on a database with customers in it: each phone gets its international
form, read with the shop's country; merges and walk-in details start empty. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade
from counter_tui.services.contact import normalise_phone

PEOPLE = [
    ("Dana Smith", "07700 900123", "+447700900123"),
    ("Lee Chan", "+353 87 123 4567", "+353871234567"),
    ("Pat Ng", "0044 20 7946 0958", "+442079460958"),
    ("No Phone", "", ""),
    ("Odd Number", "12", ""),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def test_upgrading_from_0005_normalises_the_phones_on_file(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0005")
        at = datetime(2026, 11, 1, tzinfo=UTC)
        with database.write() as session:
            for name, phone, _ in PEOPLE:
                session.connection().execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, email, preferences, "
                        "created_at) VALUES (:name, :key, :phone, '', '', '', :at)"
                    ),
                    {"name": name, "key": name.lower(), "phone": phone, "at": at},
                )
            session.connection().execute(
                text(
                    "INSERT INTO visit (customer_id, description, source, arrived_at, flagged_for_review) "
                    "VALUES (1, '', 'counter', :at, :no)"
                ),
                {"at": at, "no": False},
            )
        upgrade(database, phone_region="GB")
        with database.read() as session:
            rows = session.connection().execute(
                text("SELECT name, phone_normalised, merged_into_id FROM customer ORDER BY id")
            )
            stored = [tuple(row) for row in rows]
            visit = session.connection().execute(text("SELECT preferences FROM visit")).one()
    finally:
        database.dispose()
    assert stored == [(name, normalised, None) for name, _, normalised in PEOPLE]
    assert tuple(visit) == ("",)


def test_the_backfill_and_the_app_agree() -> None:
    for _, phone, normalised in PEOPLE:
        assert normalise_phone(phone, "GB") == normalised
