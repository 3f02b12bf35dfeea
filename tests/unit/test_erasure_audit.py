"""Erasure and the audit trail: earlier events that hold the erased customer's personal
data are redacted, the chain records each redaction and still verifies, tampering with a
redacted event is still caught, and nothing about anyone else changes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from sqlmodel import select

from counter_tui.db.models import AuditEvent
from counter_tui.services import audit, audit_verify, customers, erasure, handoffs, visit_needs, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog
from tests.unit.test_audit_chain import raw_file

BOB = ("Bob Jones", "07700 900123", "07700900123", "bob@example.com", "Welsh", "his wife")


@dataclass
class Shop:
    bob: int
    cara: int
    visit: int


@pytest.fixture
def shop(ctx: ShopContext, team: Team) -> Shop:
    """Bob on file (name, phone, email in `customer.created`), a need with a detail, a
    hand-off whose reason is about him; a staff note elsewhere that names him; Cara."""
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com"
    )
    visit = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visit_needs.set_need(ctx, team.sam, visit, "language", detail="Welsh")
    assert team.alex.staff_id is not None
    handoffs.request_handoff(ctx, team.sam, visit, team.alex.staff_id, "his wife asked for Alex")
    with ctx.database.write() as session:
        audit.record(session, ctx, team.lead, "test.note", "staff", 1, note="Bob Jones rang: 07700900123")
    cara = customers.create_customer(ctx, team.alex, name="Cara Lee", phone="07700 900456")
    return Shop(bob, cara, visit)


def mentions(details: str, secrets: tuple[str, ...]) -> list[str]:
    """The secrets found in some details, as whole words, ignoring case."""
    return [s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", details, re.IGNORECASE)]


def test_earlier_events_lose_the_personal_data_and_the_chain_still_verifies(
    ctx: ShopContext, team: Team, shop: Shop, audit_log: AuditLog
) -> None:
    before = {event.id: event for event in audit_log()}
    [created] = [e for e in before.values() if e.action == "customer.created" and e.entity_id == shop.bob]
    assert json.loads(created.details)["name"] == "Bob Jones"
    assert [e for e in before.values() if mentions(e.details, BOB)]

    result = erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    after = {event.id: event for event in audit_log()}
    assert [(e.id, mentions(e.details, BOB)) for e in after.values() if mentions(e.details, BOB)] == []
    assert json.loads(after[created.id].details) == {"name": "[erased]"}
    assert json.loads(after[next(e.id for e in before.values() if e.action == "test.note")].details) == {
        "note": "[erased] rang: [erased]"
    }
    need_set = next(e for e in after.values() if e.action == "visit.need_set")
    assert json.loads(need_set.details) == {"kind": "language", "detail": "[erased]", "remember": False}
    redacted = {event_id for event_id, event in after.items() if event.redacted}
    assert len(redacted) == result.audit_events_redacted
    [redaction] = [e for e in after.values() if e.action == "audit.redacted"]
    assert (redaction.entity, redaction.entity_id, redaction.actor_id) == (
        "customer",
        shop.bob,
        team.lead.staff_id,
    )
    assert {int(event_id) for event_id in json.loads(redaction.details)["events"]} == redacted
    # Ids, times, who and what stay as they were.
    for event_id in redacted:
        old, new = before[event_id], after[event_id]
        assert (old.at, old.actor_id, old.action, old.entity_id) == (
            new.at,
            new.actor_id,
            new.action,
            new.entity_id,
        )
        assert (old.chain_hash, old.details_hash) == (new.chain_hash, new.details_hash)
    report = audit_verify.verify_chain(ctx)
    assert report.intact, [p.sentence for p in report.problems]


def test_events_of_other_customers_and_staff_do_not_change(
    ctx: ShopContext, team: Team, shop: Shop, audit_log: AuditLog
) -> None:
    unrelated = {
        e.id: e.details
        for e in audit_log()
        if not mentions(e.details, BOB) and not (e.entity == "customer" and e.entity_id == shop.bob)
        and e.entity not in ("visit", "handoff")
    }  # fmt: skip

    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    assert {e.id: e.details for e in audit_log() if e.id in unrelated} == unrelated
    assert json.loads(next(e for e in audit_log("customer.created") if e.entity_id == shop.cara).details) == {
        "name": "Cara Lee"
    }


def test_a_redacted_event_changed_afterwards_is_named(ctx: ShopContext, team: Team, shop: Shop) -> None:
    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")
    with ctx.database.read() as session:
        created = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "customer.created", AuditEvent.entity_id == shop.bob
            )
        ).one()
    with raw_file(ctx) as connection:
        connection.execute(
            'UPDATE auditevent SET details = \'{"name": "Robert"}\' WHERE id = ?', (created.id,)
        )

    [problem] = audit_verify.verify_chain(ctx).problems

    assert (problem.kind, problem.event_id) == ("changed", created.id)


def test_marking_an_event_redacted_by_hand_is_named(ctx: ShopContext, team: Team, shop: Shop) -> None:
    """Someone sets `redacted` on an event to get its changed details past the check."""
    with ctx.database.read() as session:
        cara_created = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "customer.created", AuditEvent.entity_id == shop.cara
            )
        ).one()
    with raw_file(ctx) as connection:
        connection.execute(
            'UPDATE auditevent SET details = \'{"name": "[erased]"}\', redacted = 1 WHERE id = ?',
            (cara_created.id,),
        )

    [problem] = audit_verify.verify_chain(ctx).problems

    assert (problem.kind, problem.event_id) == ("changed", cara_created.id)


def test_many_events_are_vouched_for_by_several_redaction_events(
    ctx: ShopContext, team: Team, shop: Shop, audit_log: AuditLog
) -> None:
    for number in range(audit.REDACTIONS_PER_EVENT + 5):
        customers.add_note(ctx, team.sam, shop.bob, f"note {number}")
        customers.set_preferences(ctx, team.sam, shop.bob, f"likes {number}")
        with ctx.database.write() as session:
            audit.record(session, ctx, team.sam, "test.mention", "staff", 2, text=f"saw Bob Jones {number}")

    result = erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    assert result.audit_events_redacted > audit.REDACTIONS_PER_EVENT
    assert len(audit_log("audit.redacted")) == -(-result.audit_events_redacted // audit.REDACTIONS_PER_EVENT)
    assert all(len(e.details) <= audit.DETAILS_MAX for e in audit_log("audit.redacted"))
    assert audit_verify.verify_chain(ctx).intact
