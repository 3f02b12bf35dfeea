"""The rules of a visit's needs, shared by a walk-in's first needs, the needs commands
and linking a customer: "browse privately" and "needs help" replace each other, browsing
gets its quiet check-back time, and a remembered need is taken on by each visit unless
today's need replaces it or it is about one visit only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from counter_tui.db.models import NeedKind, StandingNeed, Visit, VisitNeed
from counter_tui.errors import InvalidInput
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import ONE_OFF_NEEDS

_ACTIVE_NEEDS = select(VisitNeed).where(
    col(VisitNeed.visit_id) == bindparam("visit_id"), col(VisitNeed.cleared_at).is_(None)
)
"""Built once: one of the floor's busiest writes reads it."""

EXCLUSIVE_NEEDS = {
    NeedKind.BROWSE_PRIVATELY: NeedKind.NEEDS_HELP,
    NeedKind.NEEDS_HELP: NeedKind.BROWSE_PRIVATELY,
}


def refuse_exclusive_needs(kinds: Iterable[str]) -> None:
    """Refuse needs (known kinds) asked for together that replace each other (`EXCLUSIVE_NEEDS`)."""
    wanted = set(kinds)
    if any(EXCLUSIVE_NEEDS.get(NeedKind(kind)) in wanted for kind in wanted):
        raise InvalidInput(
            "'Browse privately' and 'needs help' replace each other. Tick just one.", field="needs"
        )


def standing_kinds_to_add(standing: list[StandingNeed], wanted: list[str]) -> list[str]:
    """Remembered needs a visit takes on: what the customer asked for today beats a
    remembered need it would replace. A need about one visit only (a call back, kept as
    standing before that was refused) is not taken on."""
    return [
        s.kind
        for s in standing
        if s.kind not in wanted
        and s.kind not in ONE_OFF_NEEDS
        and EXCLUSIVE_NEEDS.get(NeedKind(s.kind)) not in wanted
    ]


def add_need(
    session: Session, ctx: ShopContext, actor: Actor, visit: Visit, kind: str, detail: str
) -> VisitNeed:
    """Set a need on the visit in the caller's transaction: "browse privately" and "needs
    help" clear each other, and browsing gets its quiet check-back time."""
    active = {need.kind: need for need in session.exec(_ACTIVE_NEEDS, params={"visit_id": visit.id})}
    opposite = EXCLUSIVE_NEEDS.get(NeedKind(kind))
    if opposite is not None and opposite in active:
        cleared = active[opposite]
        cleared.cleared_at, cleared.cleared_by = ctx.now(), actor.staff_id
        session.add(cleared)
    need = active.get(kind) or VisitNeed(
        visit_id=visit.id or 0, kind=kind, set_at=ctx.now(), set_by=actor.staff_id
    )
    need.detail = detail or need.detail
    if kind == NeedKind.BROWSE_PRIVATELY:
        minutes = ctx.rules.thresholds.browse_check_back_minutes
        need.check_back_at = ctx.now() + timedelta(minutes=minutes)
    session.add(need)
    return need
