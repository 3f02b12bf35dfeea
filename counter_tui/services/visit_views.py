"""Visit read models: the floor board, one visit as a person may see it, and who still owns
customers (sign-out asks).

Reads only: each opens a read transaction and hands back frozen views (services/views.py),
so no screen ever triggers a query.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    CustomerNote,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Visit,
    VisitHelper,
    VisitNeed,
)
from counter_tui.errors import Conflict
from counter_tui.kiosk_words import tag
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import build_customer_detail
from counter_tui.services.labels import need_label
from counter_tui.services.permissions import Action, refusal, require, visit_target
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.views import FloorRow, HandoffView, NeedView, NoteView, VisitDetail, floor_order
from counter_tui.services.visits import load_visit


def open_visits_owned_by(ctx: ShopContext, actor: Actor) -> list[FloorRow]:
    """The actor's open visits (sign-out asks for these to be handed off or ended). A
    kiosk owns none (unowned visits are nobody's, not the kiosk's)."""
    if actor.staff_id is None:
        return []
    return [row for row in floor_board(ctx) if row.owner_id == actor.staff_id]


def check_can_sign_out(ctx: ShopContext, actor: Actor) -> None:
    """Refuse to sign out someone who still owns customers in the shop."""
    owned = open_visits_owned_by(ctx, actor)
    if owned:
        names = ", ".join(row.who for row in owned[:3]) + (" …" if len(owned) > 3 else "")
        count = "1 customer" if len(owned) == 1 else f"{len(owned)} customers"
        raise Conflict(
            f"You still own {count} ({names}). Hand them off or end the visits before signing out."
        )


def floor_board(ctx: ShopContext) -> list[FloorRow]:
    """Every open visit, the ones that need attention first."""
    with ctx.database.read() as session:
        board = floor_rows(session, ctx, col(Visit.ended_at).is_(None))
    board.sort(key=floor_order)
    return board


def floor_rows(session: Session, ctx: ShopContext, *where: ColumnElement[bool]) -> list[FloorRow]:
    """Floor rows for the visits matching `where` (in arrival order), read in `session`;
    the board and the screens' updates of a few rows build them the same way."""
    thresholds = ctx.rules.thresholds
    first_language = ctx.rules.kiosk.languages[0]
    now = ctx.now()
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .where(*where)
        .order_by(col(Visit.arrived_at))
    ).all()
    visit_ids = [visit.id for visit, _ in rows]
    names = staff_names(session)
    needs = _active_needs(session, visit_ids)
    helpers: dict[int, list[str]] = {}
    for helper in session.exec(select(VisitHelper).where(col(VisitHelper.visit_id).in_(visit_ids))):
        helpers.setdefault(helper.visit_id, []).append(names.get(helper.staff_id, "?"))
    pending = set(
        session.exec(
            select(HandoffRequest.visit_id).where(
                col(HandoffRequest.visit_id).in_(visit_ids),
                HandoffRequest.status == HandoffStatus.PENDING,
            )
        )
    )
    board: list[FloorRow] = []
    for visit, customer in rows:
        visit_needs = needs.get(visit.id or 0, ())
        kinds = {need.kind for need in visit_needs}
        unowned = visit.owner_id is None
        browsing = NeedKind.BROWSE_PRIVATELY in kinds
        greet_by = (
            visit.arrived_at + timedelta(minutes=thresholds.greet_within_minutes)
            if unowned and not browsing
            else None
        )
        check_backs = [need.check_back_at for need in visit_needs if need.check_back_at is not None]
        check_back_at = min(check_backs) if check_backs else None
        board.append(
            FloorRow(
                visit_id=visit.id or 0,
                customer_id=visit.customer_id,
                who=visit_who(visit, customer),
                source=visit.source,
                arrived_at=visit.arrived_at,
                owner_id=visit.owner_id,
                owner_name=names.get(visit.owner_id) if visit.owner_id else None,
                claimed_at=visit.claimed_at,
                needs=visit_needs,
                helper_names=tuple(helpers.get(visit.id or 0, ())),
                waiting_too_long=greet_by is not None and now > greet_by,
                needs_help_unclaimed=unowned and NeedKind.NEEDS_HELP in kinds,
                check_back_due=check_back_at is not None and check_back_at <= now,
                handoff_pending=visit.id in pending,
                greet_by=greet_by,
                check_back_at=check_back_at,
                language_tag=tag(visit.language) if visit.language not in (None, first_language) else "",
            )
        )
    return board


def _active_needs(session: Session, visit_ids: list[int | None]) -> dict[int, tuple[NeedView, ...]]:
    grouped: dict[int, list[NeedView]] = {}
    for need in session.exec(
        select(VisitNeed)
        .where(col(VisitNeed.visit_id).in_(visit_ids), col(VisitNeed.cleared_at).is_(None))
        .order_by(col(VisitNeed.set_at))
    ):
        grouped.setdefault(need.visit_id, []).append(
            NeedView(need.id or 0, need.kind, need_label(need.kind), need.detail, need.check_back_at)
        )
    return {visit_id: tuple(views) for visit_id, views in grouped.items()}


def visit_detail(ctx: ShopContext, actor: Actor, visit_id: int) -> VisitDetail:
    """A visit with its customer, as the actor may see it (read-only for non-owners)."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        visit = load_visit(session, visit_id)
        customer = session.get(Customer, visit.customer_id) if visit.customer_id else None
        names = staff_names(session)
        target = visit_target(session, ctx, visit)
        pending = session.exec(
            select(HandoffRequest).where(
                HandoffRequest.visit_id == visit_id, HandoffRequest.status == HandoffStatus.PENDING
            )
        ).first()
        who = visit_who(visit, customer)
        is_owner = visit.owner_id is not None and visit.owner_id == staff.id
        refused = refusal(Actor.of(staff), Action.WORK_ON_VISIT, target)
        can_act = visit.ended_at is None and refused is None
        blocked = refused.sentence if visit.ended_at is None and refused is not None else ""
        visit_notes = tuple(
            NoteView(names.get(n.author_id, "?"), n.body, n.created_at)
            for n in session.exec(
                select(CustomerNote)
                .where(CustomerNote.visit_id == visit_id)
                .order_by(col(CustomerNote.created_at).desc())
            )
        )
        return VisitDetail(
            visit_id=visit_id,
            who=who,
            source=visit.source,
            arrived_at=visit.arrived_at,
            owner_id=visit.owner_id,
            owner_name=names.get(visit.owner_id) if visit.owner_id else None,
            claimed_at=visit.claimed_at,
            ended_at=visit.ended_at,
            outcome=visit.outcome,
            needs=_active_needs(session, [visit_id]).get(visit_id, ()),
            helper_names=tuple(names.get(h, "?") for h in sorted(target.helper_ids)),
            pending_handoff=(
                HandoffView(
                    id=pending.id or 0,
                    visit_id=visit_id,
                    who=who,
                    from_staff_id=pending.from_staff_id,
                    from_name=names.get(pending.from_staff_id, "?"),
                    to_name=names.get(pending.to_staff_id, "?"),
                    reason=pending.reason,
                    status=pending.status,
                    requested_at=pending.requested_at,
                )
                if pending
                else None
            ),
            customer=build_customer_detail(session, ctx, customer.id)
            if customer is not None and customer.id is not None and customer.erased_at is None
            else None,
            target=target,
            can_act=can_act,
            is_owner=is_owner,
            blocked_reason=blocked,
            notes=visit_notes,
            preferences=visit.preferences,
            language=visit.language,
        )
