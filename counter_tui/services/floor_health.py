"""Floor health for shift leads: who waits unowned, who asked for help and is unanswered
(the escalations, alerted on any screen), overdue check-backs, and unusually long visits.

Computed from the open visits only, so it stays quick on a shop with years of history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, NeedKind, Visit, VisitNeed
from counter_tui.services.changes import Change
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.review_views import Escalation, FloorAlert, FloorHealth


def _minutes(delta: timedelta) -> int:
    return max(int(delta.total_seconds() // 60), 0)


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


ANSWERS_ONLY = frozenset(
    {
        "visit.claimed",
        "visit.ended",
        "visit.note_added",
        "visit.helper_added",
        "visit.customer_attached",
        "visit.preferences_set",
        "visit.claim_blocked",
        "visit.reviewed",
    }
)
"""Changes to a visit that can answer a 'needs help' (someone has the customer, or the
visit is over) or leave it as it was, but never leave one unanswered: a claim on another
terminal need not make every lead's terminal read every open visit."""


def may_escalate(changes: Iterable[Change]) -> bool:
    """Whether these changes can have made a new escalation (without reading). A lead's own
    changes count too: releasing a customer who asked for help long ago escalates them."""
    return any(change.entity in ESCALATION_CAUSES and change.action not in ANSWERS_ONLY for change in changes)


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
