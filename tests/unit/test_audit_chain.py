"""The tamper-evident audit chain: every event is chained to the one before it when its
transaction commits, and `verify_chain` names the first event that was changed, inserted
or removed behind the app's back (raw SQL on the database file, as someone holding the
file would do it)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise

import pytest
from sqlalchemy import event

from counter_tui.db.engine import sqlite_path
from counter_tui.services import audit, audit_verify, customers, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog


@contextmanager
def raw_file(ctx: ShopContext) -> Iterator[sqlite3.Connection]:
    """The database file opened with the sqlite3 module, outside the app; committed at the end."""
    path = sqlite_path(ctx.database.url)
    assert path is not None
    connection = sqlite3.connect(path)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


@pytest.fixture
def busy_shop(ctx: ShopContext, team: Team) -> list[int]:
    """A morning's work: a customer on file, walk-ins claimed, a visit ended. The ids of
    every audit event, oldest first."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    for minutes in range(3):
        ctx.clock.advance(minutes=minutes + 1)  # type: ignore[attr-defined]
        visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob if minutes == 0 else None)
        visits.claim_visit(ctx, team.alex, visit_id)
    visits.end_visit(ctx, team.alex, visit_id, "no_purchase")
    with raw_file(ctx) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM auditevent ORDER BY id")]


def event_row(ctx: ShopContext, event_id: int) -> tuple[str, str]:
    with raw_file(ctx) as connection:
        row = connection.execute("SELECT action, at FROM auditevent WHERE id = ?", (event_id,)).fetchone()
    return row[0], row[1]


def test_an_untouched_chain_verifies(ctx: ShopContext, busy_shop: list[int], audit_log: AuditLog) -> None:
    report = audit_verify.verify_chain(ctx)

    assert report.intact, report.problems
    assert report.events == len(busy_shop) == len(audit_log())
    events = audit_log()
    assert events[0].prev_hash == audit.GENESIS
    for earlier, later in pairwise(events):
        assert later.prev_hash == earlier.chain_hash
        assert (later.id or 0) > (earlier.id or 0)
    assert report.head == events[-1].chain_hash
    assert report.newest is not None and report.newest.event_id == busy_shop[-1]


def test_a_new_shops_chain_starts_with_its_settings_import_and_verifies(ctx: ShopContext) -> None:
    report = audit_verify.verify_chain(ctx)
    assert report.intact and report.events == 1
    assert report.newest is not None and report.newest.action == "shop_settings.imported"


def test_events_of_one_transaction_are_chained_in_the_order_recorded(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    visits.new_walk_in(ctx, team.sam, claim=True)  # visit.created then visit.claimed, one commit
    assert [event.action for event in audit_log()][-2:] == ["visit.created", "visit.claimed"]
    assert audit_verify.verify_chain(ctx).intact


def test_the_chain_comes_last_in_a_write_with_one_insert_for_all_its_events(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    """The change's own rows are flushed before the head is locked (on PostgreSQL the
    head is then held only for the chain's three statements), and the transaction's
    events go in with one insert."""
    sent: list[str] = []

    def statement(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        sent.append(" ".join(sql.split()[:3]).lower())

    event.listen(ctx.database.engine, "before_cursor_execute", statement)
    try:
        visits.new_walk_in(ctx, team.sam, claim=True, needs=["needs_help"])
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", statement)
    assert sent[-3:] == [
        "select auditchainhead.last_hash from",
        "insert into auditevent",
        "update auditchainhead set",
    ]
    assert sum(sql.startswith("insert into visitneed") for sql in sent[:-3]) == 1
    assert [e.action for e in audit_log()][-2:] == ["visit.created", "visit.claimed"]
    assert audit_verify.verify_chain(ctx).intact


def test_a_rolled_back_transaction_leaves_no_link_behind(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(RuntimeError), ctx.database.write() as session:
        audit.record(session, ctx, team.sam, "test.doomed", "visit", 1)
        raise RuntimeError("rolled back")
    visits.new_walk_in(ctx, team.sam)
    assert audit_verify.verify_chain(ctx).intact


def test_changing_an_events_details_is_named(ctx: ShopContext, busy_shop: list[int]) -> None:
    target = busy_shop[2]
    with raw_file(ctx) as connection:
        connection.execute(
            'UPDATE auditevent SET details = \'{"name": "Someone Else"}\' WHERE id = ?', (target,)
        )

    report = audit_verify.verify_chain(ctx)

    assert not report.intact
    problem = report.problems[0]
    assert (problem.kind, problem.event_id, problem.action) == ("changed", target, event_row(ctx, target)[0])
    assert f"#{target}" in problem.sentence and "changed" in problem.sentence
    assert len(report.problems) == 1


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor_id", "NULL"), ("action", "'visit.nothing'"), ("at", "'2026-11-19 09:00:00.000000'")],
)
def test_changing_who_what_or_when_is_named(
    ctx: ShopContext, busy_shop: list[int], column: str, value: str
) -> None:
    target = busy_shop[4]
    with raw_file(ctx) as connection:
        connection.execute(f"UPDATE auditevent SET {column} = {value} WHERE id = ?", (target,))

    [problem] = audit_verify.verify_chain(ctx).problems

    assert (problem.kind, problem.event_id) == ("changed", target)


def test_deleting_an_event_names_the_one_after_the_gap(ctx: ShopContext, busy_shop: list[int]) -> None:
    removed, after = busy_shop[3], busy_shop[4]
    with raw_file(ctx) as connection:
        connection.execute("DELETE FROM auditevent WHERE id = ?", (removed,))

    report = audit_verify.verify_chain(ctx)

    problem = report.problems[0]
    assert (problem.kind, problem.event_id) == ("removed", after)
    assert "removed" in problem.sentence and f"#{after}" in problem.sentence
    assert len(report.problems) == 1


def test_deleting_the_newest_event_is_noticed(ctx: ShopContext, busy_shop: list[int]) -> None:
    with raw_file(ctx) as connection:
        connection.execute("DELETE FROM auditevent WHERE id = ?", (busy_shop[-1],))

    [problem] = audit_verify.verify_chain(ctx).problems

    assert (problem.kind, problem.event_id) == ("removed_newest", busy_shop[-2])
    assert "1 newest audit event" in problem.sentence


def test_an_inserted_event_is_named_even_after_the_shop_carries_on(
    ctx: ShopContext, team: Team, busy_shop: list[int]
) -> None:
    """Someone adds a convincing row (linked to the newest event, with a made-up hash);
    the next change the app records still chains to the real newest event."""
    with raw_file(ctx) as connection:
        newest_hash, at = connection.execute(
            "SELECT chain_hash, at FROM auditevent ORDER BY id DESC LIMIT 1"
        ).fetchone()
        inserted = connection.execute(
            "INSERT INTO auditevent (at, actor_id, terminal, action, entity, entity_id, details, "
            "prev_hash, chain_hash, details_hash, redacted) "
            "VALUES (?, ?, 'counter', 'visit.claimed', 'visit', 1, '{}', ?, ?, ?, 0)",
            (at, team.sam.staff_id, newest_hash, "ab" * 32, "cd" * 32),
        ).lastrowid
    visits.new_walk_in(ctx, team.sam)

    report = audit_verify.verify_chain(ctx)

    [problem] = report.problems
    assert (problem.kind, problem.event_id, problem.action) == ("inserted", inserted, "visit.claimed")
    assert "inserted" in problem.sentence


def test_an_event_inserted_last_is_named(ctx: ShopContext, team: Team, busy_shop: list[int]) -> None:
    with raw_file(ctx) as connection:
        inserted = connection.execute(
            "INSERT INTO auditevent (at, actor_id, terminal, action, entity, entity_id, details) "
            "VALUES ('2026-11-20 12:00:00.000000', NULL, 'counter', 'staff.added', 'staff', 9, '{}')"
        ).lastrowid

    [problem] = audit_verify.verify_chain(ctx).problems

    assert (problem.kind, problem.event_id) == ("inserted", inserted)


def test_rewriting_an_events_hash_too_is_named(ctx: ShopContext, busy_shop: list[int]) -> None:
    target = busy_shop[1]
    with raw_file(ctx) as connection:
        connection.execute(
            "UPDATE auditevent SET details = '{}', details_hash = ?, chain_hash = ? WHERE id = ?",
            ("00" * 32, "11" * 32, target),
        )

    problem = audit_verify.verify_chain(ctx).problems[0]

    assert (problem.kind, problem.event_id) == ("changed", target)


def test_only_the_first_problem_matters_but_all_are_found(ctx: ShopContext, busy_shop: list[int]) -> None:
    with raw_file(ctx) as connection:
        connection.execute(
            "UPDATE auditevent SET terminal = 'x' WHERE id IN (?, ?)", (busy_shop[5], busy_shop[2])
        )

    report = audit_verify.verify_chain(ctx)

    assert [(p.kind, p.event_id) for p in report.problems] == [
        ("changed", busy_shop[2]),
        ("changed", busy_shop[5]),
    ]


def test_a_removed_chain_head_is_noticed_and_the_shop_carries_on(
    ctx: ShopContext, team: Team, busy_shop: list[int], audit_log: AuditLog
) -> None:
    with raw_file(ctx) as connection:
        connection.execute("DELETE FROM auditchainhead")
    assert [p.kind for p in audit_verify.verify_chain(ctx).problems] == ["head_missing"]

    visits.new_walk_in(ctx, team.sam)

    assert [event.action for event in audit_log()][-2:] == ["audit.chain_head_restored", "visit.created"]
    assert audit_verify.verify_chain(ctx).intact


def test_times_in_sentences_are_the_shops_local_time(ctx: ShopContext, busy_shop: list[int]) -> None:
    target = busy_shop[0]
    with raw_file(ctx) as connection:
        connection.execute("UPDATE auditevent SET entity_id = 99 WHERE id = ?", (target,))
    ctx.clock.advance(days=200)  # type: ignore[attr-defined]

    [problem] = audit_verify.verify_chain(ctx).problems

    assert "2026-11-20 11:00" in problem.sentence  # London in winter: UTC+0
