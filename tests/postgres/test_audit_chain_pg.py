"""The audit chain on PostgreSQL: times with microseconds and time zones hash the same
when read back, tampering with SQL is named, and an upgraded shop's history verifies."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import col, select

from counter_tui.db.engine import Database
from counter_tui.db.models import AuditEvent
from counter_tui.services import audit, audit_verify, customers, erasure, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.migrations.test_audit_chain_migration import check_upgrade_chains_the_history

pytestmark = pytest.mark.postgres


def raw_sql(url: str, statement: str, *params: object) -> None:
    """Run one statement as someone with a SQL prompt on the server would."""
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(statement, params)  # type: ignore[arg-type]


def test_the_chain_verifies_and_tampering_is_named(ctx: ShopContext, team: Team, database_url: str) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    ctx.clock.advance(microseconds=123_457)  # type: ignore[attr-defined]
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, "purchase")
    report = audit_verify.verify_chain(ctx)
    assert report.intact, report.problems
    with ctx.database.read() as session:
        ids = [
            row[0] for row in session.connection().exec_driver_sql("SELECT id FROM auditevent ORDER BY id")
        ]

    # ids[0] is the import of the shop's settings on its first start.
    raw_sql(database_url, "UPDATE auditevent SET details = '{}' WHERE id = %s", ids[7])
    raw_sql(database_url, "DELETE FROM auditevent WHERE id = %s", ids[9])

    problems = audit_verify.verify_chain(ctx).problems
    assert [(p.kind, p.event_id) for p in problems] == [("changed", ids[7]), ("removed", ids[10])]


def test_erasure_redacts_earlier_events_and_the_chain_verifies(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", email="BOB@example.com")
    with ctx.database.write() as session:
        audit.record(session, ctx, team.lead, "test.note", "staff", 1, note="bob@example.com rang")

    erasure.erase_customer(ctx, team.lead, bob, "asked at the till")

    with ctx.database.read() as session:
        details = [row[0] for row in session.exec(select(AuditEvent.details).order_by(col(AuditEvent.id)))]
    assert not [d for d in details if "bob" in d.lower()]
    assert audit_verify.verify_chain(ctx).intact


def test_upgrade_chains_existing_events_on_postgresql(pg_url: str) -> None:
    database = Database(pg_url)
    try:
        check_upgrade_chains_the_history(database)
    finally:
        database.dispose()


def test_one_event_hashed_by_the_server_verifies_with_any_terminal_name(ctx: ShopContext, team: Team) -> None:
    """A transaction's one event is hashed by PostgreSQL (`audit_chain._append_one`): the
    text it hashes is the one Python hashes, escapes and non-ASCII names included."""
    with ctx.database.write() as session:
        event = audit.record(session, ctx, team.lead, "test.note", "staff", None, note='Zoë "東京" \\ ok')
        event.terminal = 'Kasse Ü 東 "front" \\ 😀'
    ctx.clock.advance(microseconds=7)  # type: ignore[attr-defined]
    visits.new_walk_in(ctx, team.sam, description="red coat")
    with ctx.database.read() as session:
        stored = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(2)).all()
    assert [e.action for e in stored] == ["visit.created", "test.note"]
    assert stored[0].prev_hash == stored[1].chain_hash == event.chain_hash
    report = audit_verify.verify_chain(ctx)
    assert report.intact, report.problems


def test_a_removed_chain_head_is_put_back_on_postgresql(
    ctx: ShopContext, team: Team, database_url: str
) -> None:
    visits.new_walk_in(ctx, team.sam, description="red coat")
    raw_sql(database_url, "DELETE FROM auditchainhead")

    visits.new_walk_in(ctx, team.sam, description="blue hat")

    with ctx.database.read() as session:
        actions = session.exec(select(AuditEvent.action).order_by(col(AuditEvent.id).desc()).limit(2)).all()
    assert list(actions) == ["visit.created", "audit.chain_head_restored"]
    assert audit_verify.verify_chain(ctx).intact
