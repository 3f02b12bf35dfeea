"""Lead review: floor health and escalations, the hand-off log, and follow-up oversight.

Everything here is for shift leads (an associate is refused). Floor health is computed
from the open visits only; the hand-off log and follow-up lists are scoped by day and
by the indexes on owner, status and due time, so they stay quick on a shop with years
of history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from counter_tui.db.models import (
    AuditEvent,
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Staff,
    Visit,
    VisitNeed,
)
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.changes import Change
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import followup_views, staff_names, visit_who
from counter_tui.services.review_views import (
    Escalation,
    FloorAlert,
    FloorHealth,
    FollowUpOversight,
    HandoffLogEntry,
    OwnerFollowUps,
)
from counter_tui.services.views import FollowUpView

BLOCKED_ACTIONS = ("visit.claim_blocked", "handoff.blocked")
LOG_LIMIT = 200


def _minutes(delta: timedelta) -> int:
    return max(int(delta.total_seconds() // 60), 0)


def _day_bounds(ctx: ShopContext, day: date) -> tuple[datetime, datetime]:
    """The store-local day as a UTC half-open range [start, end)."""
    calendar = ctx.calendar
    return calendar.start_of_day(day), calendar.start_of_day(day + timedelta(days=1))


# --- floor health ------------------------------------------------------------------------


def floor_health(ctx: ShopContext, actor: Actor) -> FloorHealth:
    """Customers waiting unowned past the greet threshold, unanswered 'needs help'
    (the escalations), browse-privately check-backs overdue, and unusually long visits."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_FLOOR_HEALTH)
        return _floor_health(session, ctx)


ESCALATION_CAUSES = frozenset({"visit", "day", "shop_settings"})
"""The kinds of change that can make a 'needs help' customer unanswered at once: a visit
released, reassigned or given a need, a closed day reopened, the escalation minutes
shortened. Waiting alone makes the rest, and the periodic check finds those."""


def may_escalate(changes: Iterable[Change]) -> bool:
    """Whether these changes can have made a new escalation (without reading). A lead's own
    changes count too: releasing a customer who asked for help long ago escalates them."""
    return any(change.entity in ESCALATION_CAUSES for change in changes)


def escalations(ctx: ShopContext, actor: Actor) -> tuple[Escalation, ...]:
    """What a lead must be alerted to now, even on another screen: 'needs help' customers
    nobody has claimed within `needs_help_escalate_minutes`. Each has a stable `key`."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_ESCALATIONS)
        return _floor_health(session, ctx).needs_help_unanswered


def _floor_health(session: Session, ctx: ShopContext) -> FloorHealth:
    thresholds = ctx.rules.thresholds
    now = ctx.now()
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .where(col(Visit.ended_at).is_(None))
        .order_by(col(Visit.arrived_at), col(Visit.id))
    ).all()
    visit_ids = [visit.id for visit, _ in rows]
    needs: dict[int, list[VisitNeed]] = {}
    for need in session.exec(
        select(VisitNeed)
        .where(col(VisitNeed.visit_id).in_(visit_ids), col(VisitNeed.cleared_at).is_(None))
        .order_by(col(VisitNeed.set_at), col(VisitNeed.id))
    ):
        needs.setdefault(need.visit_id, []).append(need)
    names = staff_names(session)
    greet = timedelta(minutes=thresholds.greet_within_minutes)
    escalate = timedelta(minutes=thresholds.needs_help_escalate_minutes)
    long_visit = timedelta(minutes=thresholds.long_visit_minutes)
    waiting: list[FloorAlert] = []
    unanswered: list[Escalation] = []
    check_backs: list[FloorAlert] = []
    long_visits: list[FloorAlert] = []
    for visit, customer in rows:
        visit_id = visit.id or 0
        who = visit_who(visit, customer)

        def alert(since: datetime, visit: Visit = visit, who: str = who) -> FloorAlert:
            return FloorAlert(
                visit_id=visit.id or 0,
                who=who,
                arrived_at=visit.arrived_at,
                owner_id=visit.owner_id,
                owner_name=names.get(visit.owner_id) if visit.owner_id else None,
                since=since,
                minutes=_minutes(now - since),
            )

        visit_needs = needs.get(visit_id, [])
        kinds = {need.kind for need in visit_needs}
        unowned = visit.owner_id is None
        if unowned and NeedKind.BROWSE_PRIVATELY not in kinds and now - visit.arrived_at > greet:
            waiting.append(alert(visit.arrived_at))
        for need in visit_needs:
            if unowned and need.kind == NeedKind.NEEDS_HELP and now - need.set_at > escalate:
                unanswered.append(
                    Escalation(
                        key=f"needs_help:{visit_id}:{need.id}",
                        visit_id=visit_id,
                        who=who,
                        arrived_at=visit.arrived_at,
                        need_set_at=need.set_at,
                        minutes_waiting=_minutes(now - need.set_at),
                    )
                )
            if (
                need.kind == NeedKind.BROWSE_PRIVATELY
                and need.check_back_at is not None
                and need.check_back_at <= now
            ):
                check_backs.append(alert(need.check_back_at))
        if now - visit.arrived_at > long_visit:
            long_visits.append(alert(visit.arrived_at))
    return FloorHealth(
        waiting_unowned=tuple(waiting),
        needs_help_unanswered=tuple(sorted(unanswered, key=lambda e: (e.need_set_at, e.key))),
        check_backs_overdue=tuple(sorted(check_backs, key=lambda a: (a.since, a.visit_id))),
        long_visits=tuple(long_visits),
    )


# --- hand-off log ------------------------------------------------------------------------


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
        start, end = _day_bounds(ctx, day)
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
        start, end = _day_bounds(ctx, day)
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
    wording = (
        f"tried to claim a customer {owner} owns" if claim else f"tried to hand off a customer {owner} owns"
    )
    return HandoffLogEntry(
        at=event.at,
        kind="blocked_claim" if claim else "blocked_handoff",
        visit_id=event.entity_id or 0,
        who=who.get(event.entity_id or 0, "?"),
        actor_name=tried,
        from_name=owner,
        to_name=tried,
        reason=wording,
        status="blocked",
        decided_by_name="",
        decision_note="",
    )


# --- follow-up oversight -----------------------------------------------------------------


def _open_followups_due_before(
    session: Session, ctx: ShopContext, before: datetime, kinds: Sequence[str] = ()
) -> tuple[FollowUpView, ...]:
    """Open follow-ups due before `before`, oldest due first. Listing every staff id lets
    the (owner, status, due) index answer it instead of a scan of all past follow-ups."""
    owner_ids = list(session.exec(select(Staff.id)))
    query = select(FollowUp).where(
        col(FollowUp.owner_id).in_(owner_ids),
        FollowUp.status == FollowUpStatus.OPEN,
        col(FollowUp.due_at) < before,
    )
    if kinds:
        # `|| ''` keeps SQLite off the (kind, due) index, which would read every past one.
        query = query.where((col(FollowUp.kind) + "").in_(list(kinds)))
    return followup_views(session, ctx, query.order_by(col(FollowUp.due_at), col(FollowUp.id)))


def open_callbacks_due_by(session: Session, ctx: ShopContext, day: date) -> tuple[FollowUpView, ...]:
    """Callbacks still open that were due by the end of store-local `day` (overdue ones
    from earlier days included): the calls not returned."""
    _, end = _day_bounds(ctx, day)
    return _open_followups_due_before(session, ctx, end, (FollowUpKind.CALLBACK,))


def overdue_followups_as_of(session: Session, ctx: ShopContext, moment: datetime) -> tuple[FollowUpView, ...]:
    """Open follow-ups other than callbacks whose due time is before `moment`."""
    kinds = [kind for kind in FollowUpKind if kind != FollowUpKind.CALLBACK]
    return _open_followups_due_before(session, ctx, moment, kinds)


def followup_oversight(ctx: ShopContext, actor: Actor) -> FollowUpOversight:
    """Every owner's overdue and due-today follow-ups (owners with none are left out),
    and the open callbacks due today or earlier, which must be returned before close."""
    now = ctx.now()
    end_of_today = ctx.calendar.end_of_today(now)
    with ctx.database.read() as session:
        require(session, actor, Action.OVERSEE_FOLLOWUPS)
        views = _open_followups_due_before(session, ctx, end_of_today)
        calls = open_callbacks_due_by(session, ctx, ctx.calendar.local_date(now))
    grouped: dict[int, list[FollowUpView]] = {}
    for view in views:
        grouped.setdefault(view.owner_id, []).append(view)
    by_owner = tuple(
        OwnerFollowUps(
            owner_id=owner_id,
            owner_name=items[0].owner_name,
            overdue=tuple(v for v in items if v.due_at < now),
            due_today=tuple(v for v in items if v.due_at >= now),
        )
        for owner_id, items in sorted(grouped.items(), key=lambda kv: kv[1][0].owner_name.lower())
    )
    return FollowUpOversight(by_owner=by_owner, unreturned_calls=calls)


def unreturned_calls(ctx: ShopContext, actor: Actor, day: date | None = None) -> tuple[FollowUpView, ...]:
    """Open callbacks due by the end of `day` (default today, store time)."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_UNRETURNED_CALLS)
        return open_callbacks_due_by(session, ctx, day or ctx.calendar.local_date(ctx.now()))


def reassign_followup(
    ctx: ShopContext, actor: Actor, followup_id: int, to_staff_id: int, reason: str
) -> None:
    """A lead gives an open follow-up to a colleague (e.g. its owner is away), with a reason."""
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput("Give a reason for the reassignment; the new owner and the log need it.")
    with ctx.database.write() as session:
        require(session, actor, Action.REASSIGN_FOLLOWUP)
        followup = session.get(FollowUp, followup_id)
        if followup is None:
            raise NotFound("That follow-up no longer exists.")
        if followup.status != FollowUpStatus.OPEN:
            raise Conflict(f"This follow-up is already {followup.status}; nothing to reassign.")
        target = session.get(Staff, to_staff_id)
        if target is None or not target.active:
            raise NotFound("That colleague is not available. Pick someone else.")
        if followup.owner_id == to_staff_id:
            raise InvalidInput(f"{target.name} already owns this follow-up.")
        previous = followup.owner_id
        followup.owner_id = to_staff_id
        session.add(followup)
        audit.record(
            session,
            ctx,
            actor,
            "followup.reassigned",
            "followup",
            followup_id,
            from_staff_id=previous,
            to_staff_id=to_staff_id,
            reason=reason,
        )
