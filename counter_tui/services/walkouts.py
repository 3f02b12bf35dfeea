"""Walk-outs: a customer who asked for help (or checked in at the kiosk) and left without
being served is owed an apology. In the transaction that ends their visit, and only if
they are on file and agreed to be contacted, an apology follow-up is queued for the lead on
shift, saying how long they waited; never twice for one visit.

"Waited" is the time nobody had them: from arrival to the first claim (to when they left,
if nobody ever claimed them). A visit claimed at arrival ("I'm greeting them now") kept
nobody waiting, and asking for help once someone has them adds no wait (their owner is
with them), so the apology then says nothing about minutes.

"Left without being served" is known when the visit ends as "left unserved" (staff saw
them go), or is closed at the end of the day never claimed by anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from counter_tui.db.models import (
    AuditEvent,
    Channel,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    NeedKind,
    Outcome,
    Role,
    Staff,
    Visit,
    VisitNeed,
)
from counter_tui.limits import fitted
from counter_tui.sentences import counted
from counter_tui.services import audit, terminal_sessions
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels
from counter_tui.services.followups import insert_followup

APOLOGY_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL)


def left_unserved(visit: Visit) -> bool:
    """Whether the visit ended with the customer leaving unserved: ended as "left
    unserved", or closed at the end of the day with nobody ever claiming them."""
    if visit.outcome == Outcome.LEFT_UNSERVED:
        return True
    return visit.outcome == Outcome.LEFT_AT_CLOSE and visit.claimed_at is None


def asked_for_help(session: Session, visit: Visit) -> bool:
    """Whether they checked in at the kiosk or were marked as needing help on this visit."""
    if visit.source.startswith("kiosk"):
        return True
    return (
        session.exec(
            select(VisitNeed.id).where(VisitNeed.visit_id == visit.id, VisitNeed.kind == NeedKind.NEEDS_HELP)
        ).first()
        is not None
    )


def lead_on_shift(session: Session, actor: Actor | None, now: datetime) -> Staff | None:
    """The lead on shift: of the leads signed in at a running app at `now`, the one who
    signed in last; else the acting staff member if a lead; else the active lead who signed
    in last; else the first active lead by name (None in a shop without leads)."""
    leads = select(Staff).where(col(Staff.active).is_(True), Staff.role == Role.LEAD)
    on_shift = sorted(terminal_sessions.signed_in_staff(session, now), key=lambda row: row[1], reverse=True)
    for staff_id, _since in on_shift:
        signed_in = session.get(Staff, staff_id)
        if signed_in is not None and signed_in.active and signed_in.role == Role.LEAD:
            return signed_in
    acting = session.get(Staff, actor.staff_id) if actor is not None and actor.staff_id else None
    if acting is not None and acting.active and acting.role == Role.LEAD:
        return acting
    last = session.exec(
        leads.join(AuditEvent, col(AuditEvent.actor_id) == col(Staff.id))
        .where(AuditEvent.action == "staff.signed_in")
        .order_by(col(AuditEvent.id).desc())
    ).first()
    return last or session.exec(leads.order_by(func.lower(Staff.name))).first()


@dataclass(frozen=True)
class WalkOut:
    """A walk-out just recorded: the apology queued for it, or why there is none."""

    apology_id: int | None
    why_not: str = ""

    def sentence(self) -> str:
        """What the person ending the visit is told about the apology."""
        if self.apology_id is not None:
            return "They asked for help and left unserved: an apology is queued for the shift lead."
        return f"They asked for help and left unserved; no apology is queued: {WHY_NOT_SAID[self.why_not]}."


WHY_NOT_SAID = {
    "no contact consent": "they have not agreed to be contacted",
    "no shift lead to own it": "there is no shift lead to own it",
}


def owe_apology(session: Session, ctx: ShopContext, actor: Actor | None, visit: Visit) -> WalkOut | None:
    """Inside the transaction that ended `visit` (as it now is, ended): when it is a
    walk-out (see the module's docstring), queue the apology it is owed and say so, or say
    why none is; the walk-out is audited either way. None when it is no walk-out, or one
    already owed."""
    visit_id = visit.id or 0
    if visit.customer_id is None or visit.ended_at is None or not left_unserved(visit):
        return None
    if not asked_for_help(session, visit):
        return None
    already = session.exec(
        select(FollowUp.id).where(
            FollowUp.visit_id == visit_id,
            FollowUp.kind == FollowUpKind.APOLOGY,
            FollowUp.status != FollowUpStatus.CANCELLED,
        )
    ).first()
    if already is not None:
        return None
    greeted_at = visit.claimed_at
    waited = max(0, int(((greeted_at or visit.ended_at) - visit.arrived_at).total_seconds() // 60))
    consented = consented_channels(session, visit.customer_id)
    channel = next((c for c in APOLOGY_CHANNELS if c in consented), None)
    lead = lead_on_shift(session, actor, ctx.now())
    if channel is None or lead is None or lead.id is None:
        why = "no contact consent" if channel is None else "no shift lead to own it"
        audit.record(
            session, ctx, actor, "walkout.no_apology", "visit", visit_id, waited_minutes=waited, why=why
        )
        return WalkOut(None, why)
    followup_id = insert_followup(
        session,
        ctx,
        actor,
        None,
        visit.customer_id,
        FollowUpKind.APOLOGY,
        channel,
        fitted(_apology_summary(ctx, visit, waited, greeted=greeted_at is not None), "followup"),
        ctx.calendar.callback_due(ctx.now(), ctx.rules.followups.callback_cutoff_minutes),
        owner_id=lead.id,
        visit_id=visit_id,
        audit_details={"owner_id": lead.id, "waited_minutes": waited},
    )
    return WalkOut(followup_id)


def _apology_summary(ctx: ShopContext, visit: Visit, waited: int, *, greeted: bool) -> str:
    """What the lead reads: when and how they asked for help, and how long nobody had
    them, when somebody kept them waiting."""
    assert visit.ended_at is not None
    arrived = ctx.calendar.local(visit.arrived_at).format("ddd D MMM HH:mm")
    how = "checked in at the kiosk" if visit.source.startswith("kiosk") else "asked for help"
    waiting = counted(waited, "minute")
    if greeted and waited == 0:
        return f"Apologise: they {how} at {arrived} and left unserved."
    if greeted:
        greeting = f"waited {waiting} before anyone greeted them"
        return f"Apologise: they {how} at {arrived} and {greeting}; they left unserved."
    until = "the end of the day" if visit.outcome == Outcome.LEFT_AT_CLOSE else "they left"
    return f"Apologise: they {how} at {arrived} and waited {waiting} until {until}, unserved."
