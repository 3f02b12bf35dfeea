"""Visit read models: the floor board, one visit as a person may see it, and who still owns
customers (sign-out asks).

Reads only: each opens a read transaction and hands back frozen views (services/views.py),
so no screen ever triggers a query.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    CustomerNote,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Staff,
    Visit,
    VisitHelper,
    VisitNeed,
)
from counter_tui.errors import Conflict
from counter_tui.kiosk_words import tag
from counter_tui.sentences import counted
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_record import build_customer_detail
from counter_tui.services.labels import need_label
from counter_tui.services.permissions import Action, refusal, require, visit_target
from counter_tui.services.queries import named_as, staff_names, visit_who
from counter_tui.services.views import FloorRow, HandoffView, NeedView, NoteView, VisitDetail, floor_order
from counter_tui.services.visits import load_visit, name_given_at_kiosk


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
        raise Conflict(
            f"You still own {counted(len(owned), 'customer')} ({names}). "
            "Hand them off or end the visits before signing out."
        )


def floor_board(ctx: ShopContext) -> list[FloorRow]:
    """Every open visit, the ones that need attention first."""
    with ctx.database.read() as session:
        board = floor_rows(session, ctx)
    board.sort(key=floor_order)
    return board


def floor_rows(
    session: Session, ctx: ShopContext, visit_ids: Collection[int] | None = None
) -> list[FloorRow]:
    """Floor rows for the open visits, or those of them among `visit_ids` (in arrival
    order), read in `session` in one statement (each is a round trip to a PostgreSQL
    server, and a claim on another terminal waits for this read): the visit with its
    customer, owner, active needs and helpers joined (a visit comes back once per need and
    helper pair) and whether a hand-off waits. The board and the screens' updates of a
    few rows build them the same way."""
    greet_within = timedelta(minutes=ctx.rules.thresholds.greet_within_minutes)
    first_language = ctx.rules.kiosk.languages[0]
    now = ctx.now()
    board: list[FloorRow] = []
    last: tuple[int, Any] | None = None
    needs: dict[int, NeedView] = {}
    helpers: dict[int, str] = {}

    def finish() -> None:
        if last is not None:
            board.append(
                _floor_row(
                    last[1], tuple(needs.values()), tuple(helpers.values()), now, greet_within, first_language
                )
            )

    if visit_ids is None:
        result = session.connection().execute(_open_visits())
    else:
        result = session.connection().execute(_open_visits_among(), {"visit_ids": list(visit_ids)})
    for row in result:
        if last is None or last[0] != row.id:
            finish()
            last, needs, helpers = (row.id, row), {}, {}
        if row.need_id is not None and row.need_id not in needs:
            needs[row.need_id] = NeedView(
                row.need_id, row.need_kind, need_label(row.need_kind), row.need_detail, row.need_check_back_at
            )
        if row.helper_id is not None and row.helper_id not in helpers:
            helpers[row.helper_id] = row.helper_name or "?"
    finish()
    return board


def _floor_row(
    row: Any,
    visit_needs: tuple[NeedView, ...],
    helper_names: tuple[str, ...],
    now: datetime,
    greet_within: timedelta,
    first_language: str,
) -> FloorRow:
    """One visit's floor row from its row of `_floor_read`, its needs and helpers."""
    kinds = {need.kind for need in visit_needs}
    unowned = row.owner_id is None
    browsing = NeedKind.BROWSE_PRIVATELY in kinds
    greet_by = row.arrived_at + greet_within if unowned and not browsing else None
    check_backs = [need.check_back_at for need in visit_needs if need.check_back_at is not None]
    check_back_at = min(check_backs) if check_backs else None
    return FloorRow(
        visit_id=row.id,
        customer_id=row.customer_id,
        who=named_as(row.description, row.customer_name, row.customer_erased_at),
        source=row.source,
        arrived_at=row.arrived_at,
        owner_id=row.owner_id,
        owner_name=row.owner_name if row.owner_id else None,
        owner_since=row.owner_since,
        needs=visit_needs,
        helper_names=helper_names,
        waiting_too_long=greet_by is not None and now > greet_by,
        needs_help_unclaimed=unowned and NeedKind.NEEDS_HELP in kinds,
        check_back_due=check_back_at is not None and check_back_at <= now,
        handoff_pending=bool(row.handoff_pending),
        greet_by=greet_by,
        check_back_at=check_back_at,
        language_tag=tag(row.language) if row.language not in (None, first_language) else "",
    )


@functools.cache
def _open_visits() -> Select[*tuple[Any, ...]]:
    """Every open visit's floor row (the statements are built once: building one, or
    adding a `where` to one, took about a third of a few rows' read)."""
    return _floor_read().where(col(Visit.ended_at).is_(None))


@functools.cache
def _open_visits_among() -> Select[*tuple[Any, ...]]:
    """The floor rows of the open visits among the list bound as `visit_ids`."""
    return _open_visits().where(col(Visit.id).in_(bindparam("visit_ids", expanding=True)))


def _floor_read() -> Select[*tuple[Any, ...]]:
    """The floor rows' statement without its `where`."""
    owner = aliased(Staff)
    helper = aliased(Staff)
    pending = (
        exists()
        .where(
            col(HandoffRequest.visit_id) == col(Visit.id),
            col(HandoffRequest.status) == HandoffStatus.PENDING,
        )
        .correlate(Visit)
    )
    return (
        sa_select(
            col(Visit.id),
            col(Visit.customer_id),
            col(Visit.description),
            col(Visit.source),
            col(Visit.arrived_at),
            col(Visit.owner_id),
            col(Visit.owner_since),
            col(Visit.language),
            col(Customer.name).label("customer_name"),
            col(Customer.erased_at).label("customer_erased_at"),
            col(owner.name).label("owner_name"),
            pending.label("handoff_pending"),
            col(VisitNeed.id).label("need_id"),
            col(VisitNeed.kind).label("need_kind"),
            col(VisitNeed.detail).label("need_detail"),
            col(VisitNeed.check_back_at).label("need_check_back_at"),
            col(VisitHelper.id).label("helper_id"),
            col(helper.name).label("helper_name"),
        )
        .select_from(Visit)
        .join(Customer, col(Visit.customer_id) == col(Customer.id), isouter=True)
        .join(owner, col(owner.id) == col(Visit.owner_id), isouter=True)
        .join(
            VisitNeed,
            and_(col(VisitNeed.visit_id) == col(Visit.id), col(VisitNeed.cleared_at).is_(None)),
            isouter=True,
        )
        .join(VisitHelper, col(VisitHelper.visit_id) == col(Visit.id), isouter=True)
        .join(helper, col(helper.id) == col(VisitHelper.staff_id), isouter=True)
        .order_by(
            col(Visit.arrived_at),
            col(Visit.id),
            col(VisitNeed.set_at),
            col(VisitNeed.id),
            col(VisitHelper.id),
        )
    )


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
            owner_since=visit.owner_since,
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
            name_given=name_given_at_kiosk(visit),
        )
