"""Audit events: the one way to write them, in the caller's transaction so a change and
its record commit or roll back together, chained so that later tampering shows.

`record` keeps the event with the session; when the transaction commits, its events are
appended to the shop's audit chain (see `audit_chain`) and inserted. `redact` is the one
way to rewrite what an earlier event says (an erasure taking personal data out), and it
records which events it rewrote so the chain still verifies.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy import update
from sqlmodel import Session, col

from counter_tui.db.models import AuditEvent
from counter_tui.services import audit_chain
from counter_tui.services.context import Actor, ShopContext

DETAILS_MAX = 4000
GENESIS = audit_chain.GENESIS
REDACTED_ACTION = "audit.redacted"
REDACTIONS_PER_EVENT = 50
"""Events one `audit.redacted` event vouches for (50 short hashes fit its details)."""
CLAIM_LENGTH = 32
_PENDING = "counter_tui.audit.pending"


def record(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **details: Any,
) -> audit_chain.PendingEvent:
    """Add one audit event to the session's transaction.

    The event is inserted (and gets its id) when the transaction commits, after the
    change it records; queries earlier in the same transaction do not see it.
    """
    if actor is not None and actor.is_kiosk:
        details.setdefault("kiosk", actor.name)
    payload = json.dumps(details, default=str, ensure_ascii=False)
    if len(payload) > DETAILS_MAX:
        payload = json.dumps({"truncated": payload[: DETAILS_MAX - 40]}, ensure_ascii=False)
    event = audit_chain.PendingEvent(
        at=ctx.now(),
        actor_id=actor.staff_id if actor else None,
        terminal=ctx.terminal,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=payload,
    )
    session.info.setdefault(_PENDING, []).append(event)
    return event


def redact(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    customer_id: int | None,
    rewrites: dict[int, str],
    *,
    entity: str = "customer",
) -> None:
    """Replace the details of earlier events with `rewrites` (event id -> new details) and
    mark them redacted. `audit.redacted` events (about the customer, or with `entity`
    "visit" and no id, about the visits a retention rule blanked) list each rewritten
    event with the hash of its new details, which is what `audit verify` checks them by."""
    ordered = sorted(rewrites.items())
    for start in range(0, len(ordered), REDACTIONS_PER_EVENT):
        chunk = ordered[start : start + REDACTIONS_PER_EVENT]
        for event_id, details in chunk:
            session.execute(
                update(AuditEvent)
                .where(col(AuditEvent.id) == event_id)
                .values(details=details, redacted=True)
            )
        claims = {str(event_id): redaction_claim(details) for event_id, details in chunk}
        record(session, ctx, actor, REDACTED_ACTION, entity, customer_id, events=claims)


def redaction_claim(details: str) -> str:
    """What an `audit.redacted` event stores for one rewritten event's new details."""
    return audit_chain.details_digest(details)[:CLAIM_LENGTH]


@orm_event.listens_for(Session, "before_commit")
def _append_recorded_events(session: Session) -> None:
    """Chain and insert the events recorded in this transaction, as it commits."""
    pending: list[audit_chain.PendingEvent] | None = session.info.pop(_PENDING, None)
    if pending:
        audit_chain.append(session, pending)


@orm_event.listens_for(Session, "after_rollback")
def _forget_recorded_events(session: Session) -> None:
    """Events of a transaction that rolled back are never written."""
    session.info.pop(_PENDING, None)
