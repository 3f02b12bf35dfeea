"""Migration 0026 on a database with consents in it: a "no" recorded after a "yes" on the
same channel (the audit log's consent events say so) becomes a withdrawal dated when the
no was recorded; a no never preceded by a yes (declined when asked), and a yes, are no
withdrawal. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade

AGREED = datetime(2026, 11, 1, tzinfo=UTC)
SAID_NO = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
# Each customer's email consent events, oldest first, and the answer kept.
HISTORIES = [
    ([True, False], False),  # agreed, then withdrew
    ([False], False),  # declined when asked
    ([True], True),  # agreed
    ([True, False, True], True),  # withdrew, then agreed again
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def test_upgrading_from_0025_dates_each_withdrawal_the_audit_log_shows(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0025")
        with database.write() as session:
            connection = session.connection()
            for number, (answers, kept) in enumerate(HISTORIES, 1):
                connection.execute(
                    text(
                        "INSERT INTO customer (name, name_key, phone, phone_digits, phone_normalised, email, "
                        "preferences, created_at) VALUES (:name, :name, '', '', '', '', '', :at)"
                    ),
                    {"name": f"customer {number}", "at": AGREED},
                )
                connection.execute(
                    text(
                        "INSERT INTO contactconsent (customer_id, channel, granted, source, recorded_at, "
                        "by_import) VALUES (:id, 'email', :yes, 'at the counter', :at, :no)"
                    ),
                    {"id": number, "yes": kept, "at": SAID_NO if len(answers) > 1 else AGREED, "no": False},
                )
                for answer in answers:
                    details = {"channel": "email", "granted": answer, "source": "at the counter"}
                    connection.execute(
                        text(
                            "INSERT INTO auditevent (at, terminal, action, entity, entity_id, details, "
                            "details_hash, prev_hash, chain_hash, redacted) VALUES (:at, '', "
                            "'customer.consent_recorded', 'customer', :id, :details, '', '', '', :no)"
                        ),
                        {"at": AGREED, "id": number, "details": json.dumps(details), "no": False},
                    )
        upgrade(database)
        with database.read() as session:
            query = text("SELECT withdrawn_at FROM contactconsent ORDER BY customer_id")
            withdrawn = [row[0] for row in session.connection().execute(query)]
        assert [value is not None for value in withdrawn] == [True, False, False, False]
        assert str(withdrawn[0]).startswith("2026-11-30 10:00")
    finally:
        database.dispose()
