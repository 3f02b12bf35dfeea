"""Audit events, written in the caller's transaction so a change and its record
commit or roll back together."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from counter_tui.db.models import AuditEvent
from counter_tui.services.context import Actor, ShopContext

DETAILS_MAX = 4000


def record(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **details: Any,
) -> AuditEvent:
    """Add one audit event to the session's transaction."""
    if actor is not None and actor.is_kiosk:
        details.setdefault("kiosk", actor.name)
    payload = json.dumps(details, default=str, ensure_ascii=False)
    if len(payload) > DETAILS_MAX:
        payload = json.dumps({"truncated": payload[: DETAILS_MAX - 40]}, ensure_ascii=False)
    event = AuditEvent(
        at=ctx.now(),
        actor_id=actor.staff_id if actor else None,
        terminal=ctx.terminal,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=payload,
    )
    session.add(event)
    return event
