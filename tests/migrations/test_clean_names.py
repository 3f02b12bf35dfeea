"""Migration 0011 on a database with names typed before text was cleaned: decomposed
(NFD) names become NFC, bidi overrides and zero-width spaces go, and the customer is
found by the clean name (also through the record they were merged into); a staff name
that would collide with a colleague's stays as it was. On SQLite and PostgreSQL. The
migration's copy of the cleaning agrees with the app's for any name."""

from __future__ import annotations

import importlib
import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade
from counter_tui.text import clean_text

migration = importlib.import_module("counter_tui.db.migrations.versions.0011_clean_names")

NFD_RENEE = unicodedata.normalize("NFD", "Renée Dupont")
CUSTOMERS = [  # name as stored, merged into (1-based id), name after the upgrade
    (NFD_RENEE, None, "Renée Dupont"),
    ("Bob\u202egnp.exe", None, "Bobgnp.exe"),
    ("Zoë\u200b Okafor", 1, "Zoë Okafor"),
    ("Plain Name", None, "Plain Name"),
]
STAFF = [("Dana\u200b", "Dana"), ("Sam", "Sam"), ("sam\u2066", "sam\u2066")]  # the last would clash


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def test_upgrading_from_0010_cleans_the_names_on_file(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0010")
        at = datetime(2026, 11, 1, tzinfo=UTC)
        with database.write() as session:
            connection = session.connection()
            for name, _, _ in CUSTOMERS:
                connection.execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, phone_normalised, email, "
                        "preferences, created_at) VALUES (:name, :key, '', '', '', '', '', :at)"
                    ),
                    {"name": name, "key": name.lower(), "at": at},
                )
            for index, (name, merged_into, _) in enumerate(CUSTOMERS, start=1):
                if merged_into is not None:
                    connection.execute(
                        text("UPDATE customer SET merged_into_id = :kept WHERE id = :id"),
                        {"kept": merged_into, "id": index},
                    )
                for word in name.lower().split():
                    connection.execute(
                        text(
                            "INSERT INTO customersearchterm (customer_id, kind, term) "
                            "VALUES (:id, 'name', :t)"
                        ),
                        {"id": index, "t": word},
                    )
            for name, _ in STAFF:
                connection.execute(
                    text(
                        "INSERT INTO staff (name, role, pin_hash, active, created_at) "
                        "VALUES (:n, 'lead', 'x', :y, :at)"
                    ),
                    {"n": name, "y": True, "at": at},
                )
        upgrade(database, "0011")
        with database.read() as session:
            connection = session.connection()
            customers = [
                tuple(row)
                for row in connection.execute(text("SELECT name, name_key FROM customer ORDER BY id"))
            ]
            staff = [row[0] for row in connection.execute(text("SELECT name FROM staff ORDER BY id"))]
            terms = {
                (row[0], row[1])
                for row in connection.execute(
                    text("SELECT customer_id, term FROM customersearchterm WHERE kind = 'name'")
                )
            }
    finally:
        database.dispose()
    assert customers == [(clean, clean.lower()) for _, _, clean in CUSTOMERS]
    assert staff == [clean for _, clean in STAFF]
    assert {(1, "renée"), (2, "bobgnp.exe"), (3, "zoë"), (1, "zoë"), (1, "okafor")} <= terms


@settings(max_examples=300, deadline=None)
@given(name=st.text(st.characters(exclude_categories=()), max_size=100))
def test_the_migration_cleans_names_as_the_app_does(name: str) -> None:
    assert migration.clean_name(name) == clean_text(name)[:80].strip()
