"""Migration 0024 on a shop whose customers changed hands: each visit's `claimed_at` goes
back to its first greeting (the first `visit.claimed` event: a hand-off, a reassignment
or a reopening had moved or cleared it), and `owner_since` takes what `claimed_at` held,
since when the owner had the customer. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from counter_tui.db.engine import Database
from counter_tui.db.migrate import upgrade

_time = sa.DateTime(timezone=True)
_visit = sa.table(
    "visit",
    sa.column("id", sa.Integer),
    sa.column("description", sa.String),
    sa.column("source", sa.String),
    sa.column("preferences", sa.String),
    sa.column("arrived_at", _time),
    sa.column("owner_id", sa.Integer),
    sa.column("claimed_at", _time),
    sa.column("ended_at", _time),
    sa.column("flagged_for_review", sa.Boolean),
)
_event = sa.table(
    "auditevent",
    sa.column("at", _time),
    sa.column("actor_id", sa.Integer),
    sa.column("terminal", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("details", sa.String),
    sa.column("details_hash", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("chain_hash", sa.String),
    sa.column("redacted", sa.Boolean),
)
_handoff = sa.table(
    "handoffrequest",
    sa.column("visit_id", sa.Integer),
    sa.column("from_staff_id", sa.Integer),
    sa.column("to_staff_id", sa.Integer),
    sa.column("reason", sa.String),
    sa.column("status", sa.String),
    sa.column("requested_at", _time),
    sa.column("decided_at", _time),
    sa.column("decided_by", sa.Integer),
    sa.column("decision_note", sa.String),
)
JORDAN, SAM, DANA = 1, 2, 3


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 20, hour, minute, tzinfo=UTC)


CLAIMED, REOPENED = "visit.claimed", "visit.reopened"
# (description, owner, claimed_at as 0023 left it, ended, its audit events)
VISITS = [
    ("Kwame, handed from Jordan to Sam", SAM, _at(5, 52), None, [(CLAIMED, _at(5, 11))]),
    ("red hat, never moved", SAM, _at(10, 0), None, [(CLAIMED, _at(10, 0))]),
    ("man with a dog, waiting", None, None, None, []),
    (
        "green scarf, reopened after Jordan left",
        None,
        None,
        None,
        [(CLAIMED, _at(9, 0)), (REOPENED, _at(9, 30))],
    ),
    (
        "pink scarf, reopened after Jordan left, claimed again",
        SAM,
        _at(9, 40),
        None,
        [(CLAIMED, _at(9, 0)), (REOPENED, _at(9, 30)), (CLAIMED, _at(9, 40))],
    ),
    ("blue coat, reassigned to Dana, ended", DANA, _at(12, 20), _at(12, 40), [(CLAIMED, _at(12, 0))]),
    ("grey hoodie, handed on, no claim kept", SAM, _at(13, 20), None, []),
]
# (description, first greeting, owner since) after the upgrade
EXPECTED = [
    ("Kwame, handed from Jordan to Sam", _at(5, 11), _at(5, 52)),
    ("red hat, never moved", _at(10, 0), _at(10, 0)),
    ("man with a dog, waiting", None, None),
    ("green scarf, reopened after Jordan left", _at(9, 0), None),
    ("pink scarf, reopened after Jordan left, claimed again", _at(9, 0), _at(9, 40)),
    ("blue coat, reassigned to Dana, ended", _at(12, 0), _at(12, 20)),
    ("grey hoodie, handed on, no claim kept", _at(13, 20), _at(13, 20)),
]
MOVES = [(1, JORDAN, SAM, "approved", _at(5, 52)), (6, SAM, DANA, "reassigned", _at(12, 20))]
MOVES += [(7, JORDAN, SAM, "approved", _at(13, 20)), (2, SAM, JORDAN, "denied", _at(10, 5))]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path}/counter.sqlite3"


def _write_0023_shop(database: Database) -> None:
    with database.write() as session:
        connection = session.connection()
        for name, role in (("Jordan", "associate"), ("Sam", "associate"), ("Dana", "lead")):
            connection.execute(
                sa.text(
                    "INSERT INTO staff (name, role, pin_hash, active, created_at) "
                    "VALUES (:name, :role, 'x', true, '2026-11-01 00:00:00.000000')"
                ),
                {"name": name, "role": role},
            )
        for number, (description, owner, claimed, ended, events) in enumerate(VISITS, 1):
            connection.execute(
                sa.insert(_visit).values(
                    id=number,
                    description=description,
                    source="counter",
                    preferences="",
                    arrived_at=_at(5, 9),
                    owner_id=owner,
                    claimed_at=claimed,
                    ended_at=ended,
                    flagged_for_review=False,
                )
            )
            for action, at in events:
                connection.execute(
                    sa.insert(_event).values(
                        at=at,
                        actor_id=JORDAN,
                        terminal="till1",
                        action=action,
                        entity="visit",
                        entity_id=number,
                        details="{}",
                        details_hash="",
                        prev_hash="",
                        chain_hash="",
                        redacted=False,
                    )
                )
        for visit_id, giver, taker, status, decided in MOVES:
            connection.execute(
                sa.insert(_handoff).values(
                    visit_id=visit_id,
                    from_staff_id=giver,
                    to_staff_id=taker,
                    reason="cover",
                    status=status,
                    requested_at=decided,
                    decided_at=decided,
                    decided_by=DANA,
                    decision_note="",
                )
            )


def _stored(database: Database, *columns: str) -> list[tuple[object, ...]]:
    table = sa.table("visit", sa.column("id", sa.Integer), sa.column("description", sa.String))
    typed = [sa.column(name, _time) for name in columns]
    query = sa.select(table.c.description, *typed).select_from(table).order_by(table.c.id)
    with database.read() as session:
        rows = session.connection().execute(query).all()
    return [(description, *(_utc(at) for at in times)) for description, *times in rows]


def _utc(at: datetime | None) -> datetime | None:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    if at is None:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def test_upgrading_from_0023_gives_back_the_first_greeting_and_keeps_the_owners_start(
    database_url: str,
) -> None:
    database = Database(database_url, create=True)
    try:
        upgrade(database, "0023")
        _write_0023_shop(database)
        upgrade(database, "0024")
        assert _stored(database, "claimed_at", "owner_since") == EXPECTED
    finally:
        database.dispose()
