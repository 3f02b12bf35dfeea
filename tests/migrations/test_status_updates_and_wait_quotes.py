"""Migration 0016 on a database with follow-ups and visits in place: they keep their rows,
a status update gets no interval of its own (the shop's applies) and a visit no quote."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def test_upgrading_from_0015_keeps_follow_ups_and_visits(database_url: str) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0015")
        at = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
        with database.write() as session:
            connection = session.connection()
            connection.execute(
                text(
                    "INSERT INTO staff (name, role, pin_hash, active, created_at) "
                    "VALUES ('Sam', 'associate', 'x', true, :at)"
                ),
                {"at": at},
            )
            connection.execute(
                text(
                    "INSERT INTO customer (name, name_key, phone, phone_digits, phone_normalised, email, "
                    "preferences, created_at) VALUES ('Bob', 'bob', '', '', '', '', '', :at)"
                ),
                {"at": at},
            )
            connection.execute(
                text(
                    "INSERT INTO followup (customer_id, kind, owner_id, channel, summary, due_at, status, "
                    "created_at, outcome_note, personal_line, customer_informed, cancel_reason) VALUES "
                    "(1, 'status_update', 1, 'in_person', 'Watch repair', :at, 'open', :at, "
                    "'', '', false, '')"
                ),
                {"at": at},
            )
            connection.execute(
                text(
                    "INSERT INTO visit (description, source, preferences, arrived_at, flagged_for_review) "
                    "VALUES ('Ann', 'kiosk door', '', :at, false)"
                ),
                {"at": at},
            )
        upgrade(database, "0016")
        with database.read() as session:
            connection = session.connection()
            followups = connection.execute(text("SELECT summary, every_days FROM followup")).all()
            visits = connection.execute(text("SELECT description, quoted_wait_minutes FROM visit")).all()
        assert [tuple(row) for row in followups] == [("Watch repair", None)]
        assert [tuple(row) for row in visits] == [("Ann", None)]
    finally:
        database.dispose()
