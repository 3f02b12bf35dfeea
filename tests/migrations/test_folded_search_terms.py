"""Migration 0013 on a shop whose name terms are lowercase words: every customer on file
gets the folded terms (a record merged into another lends them to the record it lives
on), so "renee", "oneill" and "siobhan ni" find the people already on file; email and
phone terms stay. On SQLite and PostgreSQL. The migration's copy of the folding agrees
with the app's for any name."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade
from counter_tui.services import customers
from counter_tui.services.customer_search import search_terms
from counter_tui.services.folding import name_words
from tests.conftest import make_settings

migration = importlib.import_module("counter_tui.db.migrations.versions.0013_folded_search")

CUSTOMERS = [  # name, phone digits, email, merged into (1-based id), erased
    ("Renée Dupont", "07700900564", "renee@example.com", None, False),
    ("Seán O'Neill", "", "", None, False),
    ("Siobhán Ní Bhriain", "", "", 1, False),
    ("Małgorzata Straße", "", "", None, True),
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def _names(shop: object, query: str) -> list[str]:
    return [match.name for match in customers.find_customers(shop, query).items]  # type: ignore[arg-type]


def test_upgrading_from_0012_folds_the_name_terms_on_file(database_url: str) -> None:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0012")
        with database.write() as session:
            connection = session.connection()
            for name, digits, email, _, erased in CUSTOMERS:
                connection.execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, phone_normalised, "
                        "email, preferences, created_at, erased_at) "
                        "VALUES (:name, :key, :digits, :digits, '', :email, '', :at, :erased)"
                    ),
                    {"name": name, "key": name.lower(), "digits": digits, "email": email}
                    | {"at": at, "erased": at if erased else None},
                )
            for index, (name, digits, email, merged_into, erased) in enumerate(CUSTOMERS, start=1):
                if merged_into is not None:
                    connection.execute(
                        text("UPDATE customer SET merged_into_id = :kept WHERE id = :id"),
                        {"kept": merged_into, "id": index},
                    )
                home = merged_into or index
                rows = set() if erased else {("name", word) for word in name.lower().split()}
                if not erased and merged_into is None:
                    rows |= search_terms("", digits, email)
                for kind, term in sorted(rows):
                    connection.execute(
                        text(
                            "INSERT INTO customersearchterm (customer_id, kind, term) "
                            "VALUES (:id, :kind, :term) ON CONFLICT DO NOTHING"
                        ),
                        {"id": home, "kind": kind, "term": term},
                    )
        upgrade(database)
        with database.read() as session:
            stored = {
                (row[0], row[1], row[2])
                for row in session.connection().execute(
                    text("SELECT customer_id, kind, term FROM customersearchterm")
                )
            }
    finally:
        database.dispose()
    renee_and_siobhan = name_words("Renée Dupont") | name_words("Siobhán Ní Bhriain")
    assert stored == (
        {(1, "name", word) for word in renee_and_siobhan}
        | {(1, kind, term) for kind, term in search_terms("", "07700900564", "renee@example.com")}
        | {(2, "name", word) for word in name_words("Seán O'Neill")}
    )
    shop = open_shop(make_settings(database_url), clock=ManualClock(datetime(2026, 11, 20, 11, tzinfo=UTC)))
    try:
        assert _names(shop, "renee") == ["Renée Dupont"]
        assert _names(shop, "siobhan ni") == ["Renée Dupont"]  # merged into Renée's record
        assert _names(shop, "oneill") == ["Seán O'Neill"]
        assert _names(shop, "o neill") == ["Seán O'Neill"]
        assert _names(shop, "malgorzata") == []
        assert _names(shop, "renee@") == ["Renée Dupont"]
        assert _names(shop, "0564") == ["Renée Dupont"]
    finally:
        shop.database.dispose()


@settings(max_examples=300, deadline=None)
@given(name=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_the_migration_folds_names_as_the_app_does(name: str) -> None:
    assert migration.name_terms(name) == {word[:200] for word in name_words(name)}
