"""Needs on a visit: set, clear, or several at once; a need to remember is kept on the
customer (or, on a walk-in not yet on file, until they are put on file or linked).

Each need has its own detail (several set at once take a detail each, never one text for
all), and a need about this visit only (`customers.ONE_OFF_NEEDS`: a call back, a pickup,
an order question) is never remembered.

Setting a need and the rule that "browse privately" and "needs help" replace each other
live in `need_rules.add_need`, which a walk-in's first needs share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session, col, select

from counter_tui.db.models import NeedKind, Visit, VisitNeed
from counter_tui.errors import Conflict, InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import remember_need, require_rememberable
from counter_tui.services.labels import need_label
from counter_tui.services.need_rules import add_need, refuse_exclusive_needs
from counter_tui.services.permissions import Action
from counter_tui.services.visits import (
    load_visit,
    require_nothing_kept_about_erased,
    require_on_visit,
    require_open,
)


def _remember(session: Session, ctx: ShopContext, visit: Visit, need: VisitNeed) -> None:
    """Keep a need for the customer's next visits; on a walk-in not yet on file, mark it
    so it becomes theirs when they are put on file or linked (services/linking.py)."""
    if visit.customer_id is not None:
        remember_need(session, ctx, visit.customer_id, need.kind, need.detail)
    else:
        need.remember = True
        session.add(need)


def set_need(
    ctx: ShopContext,
    actor: Actor,
    visit_id: int,
    kind: str,
    *,
    detail: str = "",
    remember: bool = False,
) -> None:
    """Record a need on a visit; `remember` also keeps it on the customer for next time.

    Browse privately gets a quiet check-back time instead of showing as unattended;
    it and "needs help" replace each other.
    """
    if kind not in set(NeedKind):
        raise InvalidInput(f"Unknown need {kind!r}.")
    if remember:
        require_rememberable(kind)
    detail = limited(detail, "detail")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        if detail or remember:
            require_nothing_kept_about_erased(
                session, visit, "a need's detail" if detail else "a need to remember"
            )
        need = add_need(session, ctx, actor, visit, kind, detail)
        if remember:
            _remember(session, ctx, visit, need)
        audit.record(
            session,
            ctx,
            actor,
            "visit.need_set",
            "visit",
            visit_id,
            kind=kind,
            detail=detail,
            remember=remember,
        )


def clear_need(ctx: ShopContext, actor: Actor, visit_id: int, kind: str) -> None:
    """Clear an active need on a visit."""
    if kind not in set(NeedKind):
        raise InvalidInput(f"Unknown need {kind!r}.")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        needs = session.exec(
            select(VisitNeed).where(
                VisitNeed.visit_id == visit_id,
                VisitNeed.kind == kind,
                col(VisitNeed.cleared_at).is_(None),
            )
        ).all()
        if not needs:
            raise Conflict(f"'{need_label(kind)}' is not set on this visit.")
        for need in needs:
            need.cleared_at, need.cleared_by = ctx.now(), actor.staff_id
            session.add(need)
        audit.record(session, ctx, actor, "visit.need_cleared", "visit", visit_id, kind=kind)


def update_needs(
    ctx: ShopContext,
    actor: Actor,
    visit_id: int,
    *,
    add: Iterable[str] = (),
    clear: Iterable[str] = (),
    details: Mapping[str, str] | None = None,
    remember: Iterable[str] = (),
) -> None:
    """Set and clear several needs at once, in one transaction (the needs dialog).

    `details` gives each need being set its own detail (kind → text; a need set again
    without one keeps its detail, one given as "" is emptied); `remember` names the needs
    to keep for the customer's next visits. Both name only needs in `add`, and a need
    about this visit only cannot be remembered: each refusal names the need's field
    (`detail_<kind>`, `remember_<kind>`).
    """
    to_add, to_clear = list(dict.fromkeys(add)), list(dict.fromkeys(clear))
    given, to_remember = dict(details or {}), list(dict.fromkeys(remember))
    for kind in to_add + to_clear + list(given) + to_remember:
        if kind not in set(NeedKind):
            raise InvalidInput(f"Unknown need {kind!r}.")
    refuse_exclusive_needs(to_add)
    for kind in [*given, *to_remember]:
        if kind not in to_add:
            raise InvalidInput(
                f"'{need_label(kind).capitalize()}' is not ticked: tick it, or leave its detail empty "
                "and its Remember unticked.",
                field=f"detail_{kind}" if kind in given else f"remember_{kind}",
            )
    for kind in to_remember:
        require_rememberable(kind, field=f"remember_{kind}")
    cleaned = {kind: limited(text, "detail", param=f"detail_{kind}") for kind, text in given.items()}
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        if any(cleaned.values()) or to_remember:
            require_nothing_kept_about_erased(
                session, visit, "a need's detail" if any(cleaned.values()) else "a need to remember"
            )
        for need in session.exec(
            select(VisitNeed).where(
                VisitNeed.visit_id == visit_id,
                col(VisitNeed.kind).in_(to_clear),
                col(VisitNeed.cleared_at).is_(None),
            )
        ):
            need.cleared_at, need.cleared_by = ctx.now(), actor.staff_id
            session.add(need)
        for kind in to_add:
            need = add_need(session, ctx, actor, visit, kind, cleaned.get(kind, ""))
            if kind in cleaned:
                need.detail = cleaned[kind]
            if kind in to_remember:
                _remember(session, ctx, visit, need)
        audit.record(
            session,
            ctx,
            actor,
            "visit.needs_updated",
            "visit",
            visit_id,
            added=to_add,
            cleared=to_clear,
            detail={kind: text for kind, text in cleaned.items() if text},
            remember=to_remember,
        )
