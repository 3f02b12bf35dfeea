"""`counter-tui audit verify`: exit 0 and the chain head when the trail is intact; one red
line naming the first changed, inserted or removed event and exit 1 when it is not; an
earlier head given back catches a history rewritten with every hash recomputed."""

from __future__ import annotations

import re

import pytest
from sqlmodel import col, select

from counter_tui.db.models import AuditChainHead, AuditEvent
from counter_tui.services import audit_chain, customers, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.test_audit_chain import raw_file
from tests.unit.test_cli import assert_one_line_failure, invoke


@pytest.fixture
def event_ids(ctx: ShopContext, team: Team) -> list[int]:
    """A customer and a claimed visit; every event id, oldest first."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with raw_file(ctx) as connection:
        return [row[0] for row in connection.execute("SELECT id FROM auditevent ORDER BY id")]


def printed_head(output: str) -> str:
    found = re.search(r"Chain head: ([0-9a-f]{64})", output)
    assert found, output
    return found.group(1)


def test_an_intact_trail_exits_0_and_prints_the_head(database_url: str, event_ids: list[int]) -> None:
    result = invoke(database_url, "audit", "verify")

    assert result.exit_code == 0, result.output
    assert f"Audit trail intact: {len(event_ids)} events, newest #{event_ids[-1]} (" in result.stdout
    assert "visit.claimed)" in result.stdout
    assert printed_head(result.stdout)


@pytest.mark.parametrize(
    ("tamper", "sentence"),
    [
        (
            "UPDATE auditevent SET details = '{{\"pin\": 1}}' WHERE id = {target}",
            "Audit event #{target} ({when}, {action}) was changed after it was written.",
        ),
        (
            "DELETE FROM auditevent WHERE id = {target}",
            "Audit events were removed just before #{after} ({after_when}, {after_action}).",
        ),
        (
            "INSERT INTO auditevent (id, at, terminal, action, entity, entity_id, details) "
            "VALUES ({free}, '2026-11-20 11:00:00.000000', 'counter', 'staff.added', 'staff', 7, '{{}}')",
            "Audit event #{free} (2026-11-20 11:00:00, staff.added) was inserted: "
            "it is not part of the audit chain.",
        ),
    ],
    ids=["edited", "deleted", "inserted"],
)
def test_tampering_is_one_red_line_naming_the_event(
    ctx: ShopContext, database_url: str, event_ids: list[int], tamper: str, sentence: str
) -> None:
    target, after = event_ids[3], event_ids[4]
    with raw_file(ctx) as connection:
        rows = {
            row[0]: (row[1][:19], row[2])
            for row in connection.execute("SELECT id, at, action FROM auditevent")
        }
        connection.execute(tamper.format(target=target, free=event_ids[-1] + 1))
    when, action = rows[target]
    after_when, after_action = rows[after]

    result = invoke(database_url, "audit", "verify")

    expected = sentence.format(
        target=target, when=when, action=action, after=after, after_when=after_when,
        after_action=after_action, free=event_ids[-1] + 1,
    )  # fmt: skip
    assert_one_line_failure(result, expected)


def test_several_problems_name_the_first_and_count_the_rest(
    ctx: ShopContext, database_url: str, event_ids: list[int]
) -> None:
    with raw_file(ctx) as connection:
        connection.execute("UPDATE auditevent SET terminal = 'x' WHERE id IN (?, ?, ?)", event_ids[1:4])

    result = invoke(database_url, "audit", "verify")

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Audit event #{event_ids[1]} (")
    assert result.stderr.strip().endswith("(2 more problems after it.)")


def rewrite_history_recomputing_every_hash(ctx: ShopContext) -> None:
    """What someone who knows how the chain is made could do: change an old event and
    recompute every hash after it, and the head."""
    with ctx.database.write() as session:
        events = list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))
        events[2].details = '{"name": "Someone Else"}'
        last = audit_chain.GENESIS
        for event in events:
            last = audit_chain.link(event, last)
            session.add(event)
        head = session.get(AuditChainHead, 1)
        assert head is not None
        head.last_hash = last
        session.add(head)


def test_an_earlier_head_catches_a_rewritten_history(
    ctx: ShopContext, team: Team, database_url: str, event_ids: list[int]
) -> None:
    written_down = printed_head(invoke(database_url, "audit", "verify").stdout)
    visits.new_walk_in(ctx, team.alex)  # the shop carries on after the head was noted
    assert invoke(database_url, "audit", "verify", "--head", written_down[:16]).exit_code == 0

    rewrite_history_recomputing_every_hash(ctx)

    assert invoke(database_url, "audit", "verify").exit_code == 0  # the chain alone cannot tell
    assert_one_line_failure(
        invoke(database_url, "audit", "verify", "--head", written_down),
        "The chain no longer passes through the head you gave: the history up to it was "
        "rewritten, or that head is from another shop.",
    )


@pytest.mark.parametrize("head", ["abc", "z" * 20, "0" * 65])
def test_a_malformed_head_is_refused(database_url: str, event_ids: list[int], head: str) -> None:
    assert_one_line_failure(
        invoke(database_url, "audit", "verify", "--head", head),
        "A chain head is 16 to 64 of the characters 0-9 and a-f, as printed by an earlier audit verify.",
    )
