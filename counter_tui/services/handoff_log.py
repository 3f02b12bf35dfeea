"""The hand-off log for shift leads: every hand-off request, reassignment and blocked
attempt, newest first, filtered by day, by who was involved, and by reason text.

Scoped by store-local day and limited, so it stays quick on a shop with years of history.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, or_, select

from counter_tui.db.models import AuditEvent, Customer, HandoffRequest, HandoffStatus, Visit
from counter_tui.limits import limited
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.review_views import HandoffLogEntry

BLOCKED_ACTIONS = ("visit.claim_blocked", "handoff.blocked")
LOG_LIMIT = 200


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def handoff_log(
    ctx: ShopContext,
    actor: Actor,
    *,
    day: date | None = None,
    staff_id: int | None = None,
    reason: str = "",
    limit: int = LOG_LIMIT,
) -> tuple[HandoffLogEntry, ...]:
    """Every hand-off request, reassignment and blocked attempt, newest first.

    Filters: a store-local `day`; a `staff_id` involved (requester, target, deciding
    lead, the person blocked, or the owner they were blocked by); and `reason` text
    (case-insensitive, in the reason, the lead's note, or the blocked-attempt wording).
    """
    reason_text = limited(reason, "search", param="reason").lower()
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_HANDOFF_LOG)
        names = staff_names(session)
        requests = _logged_requests(session, ctx, day, staff_id, reason_text, limit)
        blocked = _blocked_attempts(session, ctx, day, staff_id, limit)
        visit_ids = {r.visit_id for r in requests} | {e.entity_id or 0 for e in blocked}
        who = _visit_whos(session, visit_ids)
    entries = [_request_entry(r, names, who) for r in requests]
    for event in blocked:
        entry = _blocked_entry(event, names, who)
        if reason_text and reason_text not in entry.reason.lower():
            continue
        entries.append(entry)
    entries.sort(key=lambda e: e.at, reverse=True)
    return tuple(entries[:limit])


def _logged_requests(
    session: Session,
    ctx: ShopContext,
    day: date | None,
    staff_id: int | None,
    reason_text: str,
    limit: int,
) -> list[HandoffRequest]:
    query = select(HandoffRequest)
    if day is not None:
        start, end = ctx.calendar.day_bounds(day)
        query = query.where(col(HandoffRequest.requested_at) >= start, col(HandoffRequest.requested_at) < end)
    if staff_id is not None:
        query = query.where(
            or_(
                col(HandoffRequest.from_staff_id) == staff_id,
                col(HandoffRequest.to_staff_id) == staff_id,
                col(HandoffRequest.decided_by) == staff_id,
            )
        )
    if reason_text:
        pattern = _like_pattern(reason_text)
        query = query.where(
            or_(
                func.lower(HandoffRequest.reason).like(pattern, escape="\\"),
                func.lower(HandoffRequest.decision_note).like(pattern, escape="\\"),
            )
        )
    query = query.order_by(col(HandoffRequest.requested_at).desc(), col(HandoffRequest.id).desc())
    return list(session.exec(query.limit(limit)))


def _blocked_attempts(
    session: Session, ctx: ShopContext, day: date | None, staff_id: int | None, limit: int
) -> list[AuditEvent]:
    query = select(AuditEvent).where(col(AuditEvent.action).in_(BLOCKED_ACTIONS))
    if day is not None:
        start, end = ctx.calendar.day_bounds(day)
        query = query.where(col(AuditEvent.at) >= start, col(AuditEvent.at) < end)
    if staff_id is not None:
        # Details are written by json.dumps with its default separators.
        query = query.where(
            or_(
                col(AuditEvent.actor_id) == staff_id,
                col(AuditEvent.details).like(f'%"owner_id": {int(staff_id)},%'),
                col(AuditEvent.details).like(f'%"owner_id": {int(staff_id)}}}%'),
            )
        )
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    return list(session.exec(query.limit(limit)))


def _visit_whos(session: Session, visit_ids: set[int]) -> dict[int, str]:
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .where(col(Visit.id).in_(visit_ids))
    ).all()
    return {visit.id or 0: visit_who(visit, customer) for visit, customer in rows}


def _request_entry(request: HandoffRequest, names: dict[int, str], who: dict[int, str]) -> HandoffLogEntry:
    reassigned = request.status == HandoffStatus.REASSIGNED
    decided_by = names.get(request.decided_by, "") if request.decided_by else ""
    return HandoffLogEntry(
        at=request.requested_at,
        kind="reassignment" if reassigned else "handoff",
        visit_id=request.visit_id,
        who=who.get(request.visit_id, "?"),
        actor_name=decided_by if reassigned else names.get(request.from_staff_id, "?"),
        from_name=names.get(request.from_staff_id, "?"),
        to_name=names.get(request.to_staff_id, "?"),
        reason=request.reason,
        status=request.status,
        decided_by_name=decided_by,
        decision_note=request.decision_note,
        decided_at=request.decided_at,
    )


def _blocked_entry(event: AuditEvent, names: dict[int, str], who: dict[int, str]) -> HandoffLogEntry:
    details: dict[str, Any] = json.loads(event.details or "{}")
    owner_id = details.get("owner_id")
    owner = names.get(owner_id, "a colleague") if isinstance(owner_id, int) else "a colleague"
    tried = names.get(event.actor_id, "?") if event.actor_id else "?"
    claim = event.action == "visit.claim_blocked"
    to_id = details.get("to_id")
    # A blocked claim would have moved the customer to whoever tried; a blocked hand-off to
    # whom they named (not said before this was recorded: "?").
    to = tried if claim else names.get(to_id, "?") if isinstance(to_id, int) else "?"
    wording = (
        f"tried to claim a customer {owner} owns"
        if claim
        else f"tried to hand off a customer {owner} owns, to {to}"
    )
    return HandoffLogEntry(
        at=event.at,
        kind="blocked_claim" if claim else "blocked_handoff",
        visit_id=event.entity_id or 0,
        who=who.get(event.entity_id or 0, "?"),
        actor_name=tried,
        from_name=owner,
        to_name=to,
        reason=wording,
        status="blocked",
        decided_by_name="",
        decision_note="",
    )
