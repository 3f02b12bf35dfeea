"""What a staff member still owns (customers in the shop, open follow-ups), and passing it
to a colleague when they are deactivated: visits through the reassignment rule
(`handoffs.move_visit`), follow-ups one by one (`followup_oversight.move_followup`), each
audited, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    FollowUp,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    Staff,
    Visit,
)
from counter_tui.sentences import counted
from counter_tui.services import audit, handoffs
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.followup_oversight import move_followup
from counter_tui.services.queries import visit_who


@dataclass(frozen=True)
class OpenWork:
    """What a staff member still owns: customers in the shop (by who) and open follow-ups."""

    name: str
    visits: list[str]
    followups: int

    @property
    def empty(self) -> bool:
        """Nothing to pass on."""
        return not self.visits and not self.followups

    def describe(self) -> str:
        """ "1 customer (Bob Jones) and 2 open follow-ups"."""
        parts = []
        if self.visits:
            shown = ", ".join(self.visits[:3]) + (" …" if len(self.visits) > 3 else "")
            parts.append(f"{counted(len(self.visits), 'customer')} ({shown})")
        if self.followups:
            parts.append(counted(self.followups, "open follow-up"))
        return " and ".join(parts)


def _open_visits(session: Session, staff_id: int) -> list[Visit]:
    return list(
        session.exec(
            select(Visit)
            .where(Visit.owner_id == staff_id, col(Visit.ended_at).is_(None))
            .order_by(col(Visit.arrived_at))
        )
    )


def _open_followups(session: Session, staff_id: int) -> list[FollowUp]:
    return list(
        session.exec(
            select(FollowUp)
            .where(FollowUp.owner_id == staff_id, FollowUp.status == FollowUpStatus.OPEN)
            .order_by(col(FollowUp.due_at))
        )
    )


def work_of(session: Session, staff: Staff) -> OpenWork:
    assert staff.id is not None
    owned = _open_visits(session, staff.id)
    customers = {
        row.id: row
        for row in session.exec(
            select(Customer).where(col(Customer.id).in_([v.customer_id for v in owned if v.customer_id]))
        )
    }
    who = [visit_who(visit, customers.get(visit.customer_id or 0)) for visit in owned]
    return OpenWork(staff.name, who, len(_open_followups(session, staff.id)))


def pass_on(session: Session, ctx: ShopContext, actor: Actor | None, staff: Staff, target: Staff) -> None:
    """Give everything `staff` owns to `target`, audited."""
    assert staff.id is not None and target.id is not None
    reason = f"{staff.name} was deactivated; passed to {target.name}"
    decided_by = actor.staff_id if actor is not None else None
    for visit in _open_visits(session, staff.id):
        handoffs.move_visit(
            session, ctx, actor, visit, target, reason, decided_by=decided_by, seen_owner_id=staff.id
        )
    for followup in _open_followups(session, staff.id):
        move_followup(session, ctx, actor, followup, target.id, reason)


def cancel_handoffs_to(session: Session, ctx: ShopContext, actor: Actor | None, staff: Staff) -> None:
    """Requests to pass a customer *to* someone being deactivated can no longer be approved."""
    for request in session.exec(
        select(HandoffRequest).where(
            HandoffRequest.to_staff_id == staff.id, HandoffRequest.status == HandoffStatus.PENDING
        )
    ):
        request.status, request.decided_at = HandoffStatus.CANCELLED, ctx.now()
        request.decided_by = actor.staff_id if actor is not None else None
        request.decision_note = f"{staff.name} was deactivated"
        session.add(request)
        audit.record(session, ctx, actor, "handoff.cancelled", "handoff", request.id, reason="deactivated")
