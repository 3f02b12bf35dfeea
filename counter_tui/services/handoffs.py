"""Hand-offs: only the owner may ask to pass a customer on, and only a lead decides.

Every decision is a conditional UPDATE on the request's status, so two leads
approving at once cannot both move the visit.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, HandoffRequest, HandoffStatus, Staff, Visit
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit, ownership
from counter_tui.services.colleagues import available_colleague
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, allows, require, staff_target
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.views import HandoffView
from counter_tui.services.visits import load_visit, require_on_visit, require_open

SUPERSEDED = "superseded by a reassignment"


def _reason(text: str, what: str) -> str:
    reason = limited(text, "reason")
    if not reason:
        raise InvalidInput(
            f"Give a reason for the {what}; the shift lead and the log need it.", field="reason"
        )
    return reason


def request_handoff(ctx: ShopContext, actor: Actor, visit_id: int, to_staff_id: int, reason: str) -> int:
    """The owner asks a lead to pass this customer to a named colleague; returns the request id."""
    reason = _reason(reason, "hand-off")
    blocked: AlreadyOwned | None = None
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        try:
            require_on_visit(session, ctx, actor, Action.REQUEST_HANDOFF, visit)
        except AlreadyOwned as refused:
            audit.record(
                session,
                ctx,
                actor,
                "handoff.blocked",
                "visit",
                visit_id,
                owner_id=visit.owner_id,
                to_id=to_staff_id,
            )
            blocked = refused
    if blocked is not None:
        raise blocked
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        try:
            staff = require_on_visit(session, ctx, actor, Action.REQUEST_HANDOFF, visit)
        except AlreadyOwned:
            raise Conflict("This customer changed hands a moment ago. Refresh and try again.") from None
        target = available_colleague(session, to_staff_id)
        if target.id == staff.id:
            raise InvalidInput("Pick a colleague other than yourself.")
        existing = session.exec(
            select(HandoffRequest).where(
                HandoffRequest.visit_id == visit_id, HandoffRequest.status == HandoffStatus.PENDING
            )
        ).first()
        if existing is not None:
            raise Conflict("A hand-off for this customer is already waiting for a shift lead.")
        request = HandoffRequest(
            visit_id=visit_id,
            from_staff_id=staff.id or 0,
            to_staff_id=to_staff_id,
            reason=reason,
            requested_at=ctx.now(),
        )
        session.add(request)
        session.flush()
        audit.record(
            session,
            ctx,
            actor,
            "handoff.requested",
            "handoff",
            request.id,
            visit_id=visit_id,
            to_staff_id=to_staff_id,
            reason=reason,
        )
        assert request.id is not None
        return request.id


def _decide(
    session: Session, ctx: ShopContext, actor: Actor, request_id: int, status: str, note: str
) -> HandoffRequest:
    lead = require(session, actor, Action.DECIDE_HANDOFF)
    result = session.connection().execute(
        update(HandoffRequest)
        .where(
            col(HandoffRequest.id) == request_id,
            col(HandoffRequest.status) == HandoffStatus.PENDING,
        )
        .values(status=status, decided_at=ctx.now(), decided_by=lead.id, decision_note=note)
    )
    request = session.get(HandoffRequest, request_id)
    if request is None:
        raise NotFound("That hand-off request no longer exists.")
    if result.rowcount != 1:
        raise already_decided(session, ctx, request)
    session.refresh(request)
    return request


def already_decided(session: Session, ctx: ShopContext, request: HandoffRequest) -> Conflict:
    """The refusal of a decision on a request decided meanwhile, saying who decided and when
    ("Priya already approved this hand-off at 11:04."), or why it was cancelled."""
    if request.status == HandoffStatus.CANCELLED and request.decision_note == SUPERSEDED:
        moved = session.exec(
            select(HandoffRequest).where(
                HandoffRequest.visit_id == request.visit_id,
                HandoffRequest.status == HandoffStatus.REASSIGNED,
                HandoffRequest.decided_at == request.decided_at,
            )
        ).first()
        if moved is not None and moved.decided_at is not None:
            names = staff_names(session)
            visit = session.get(Visit, request.visit_id)
            customer = session.get(Customer, visit.customer_id) if visit and visit.customer_id else None
            lead, to = names.get(moved.decided_by or 0, "A shift lead"), names.get(moved.to_staff_id, "?")
            who = visit_who(visit, customer) if visit else "the customer"
            when = ctx.calendar.local(moved.decided_at).format("HH:mm")
            return Conflict(f"{lead} reassigned {who} to {to} at {when}, so this hand-off was cancelled.")
    withdrawn = request.status == HandoffStatus.CANCELLED and not request.decision_note
    if withdrawn and request.decided_by is None and request.decided_at is not None:  # `cancel_handoff`
        requester = staff_names(session).get(request.from_staff_id, "The colleague who asked")
        when = ctx.calendar.local(request.decided_at).format("HH:mm")
        return Conflict(f"{requester} withdrew this hand-off request at {when}.")
    if request.status == HandoffStatus.CANCELLED or request.decided_by is None or request.decided_at is None:
        why = f" ({request.decision_note})" if request.decision_note else ""
        return Conflict(f"This hand-off was already {request.status}{why}.")
    who = staff_names(session).get(request.decided_by, "A shift lead")
    when = ctx.calendar.local(request.decided_at).format("HH:mm")
    return Conflict(f"{who} already {request.status} this hand-off at {when}.")


def approve_handoff(ctx: ShopContext, actor: Actor, request_id: int, note: str = "") -> None:
    """A lead approves: the visit moves to the named colleague, if it is still the
    requester's (`ownership`: the request carries the owner it was made by)."""
    note = limited(note, "short_note", param="note")
    with ctx.database.write() as session:
        request = _decide(session, ctx, actor, request_id, HandoffStatus.APPROVED, note)
        available_colleague(session, request.to_staff_id)
        assert request.decided_at is not None
        try:
            ownership.move(
                session, ctx, request.visit_id, request.from_staff_id, request.to_staff_id, request.decided_at
            )
        except ownership.OwnerChanged as changed:
            raise Conflict(f"{changed.change} Nothing was moved.") from None
        audit.record(
            session,
            ctx,
            actor,
            "handoff.approved",
            "handoff",
            request_id,
            visit_id=request.visit_id,
            from_staff_id=request.from_staff_id,
            to_staff_id=request.to_staff_id,
            note=note,
        )


def deny_handoff(ctx: ShopContext, actor: Actor, request_id: int, note: str) -> None:
    """A lead denies, saying why; the owner keeps the customer."""
    note = _reason(note, "denial")
    with ctx.database.write() as session:
        request = _decide(session, ctx, actor, request_id, HandoffStatus.DENIED, note)
        audit.record(
            session,
            ctx,
            actor,
            "handoff.denied",
            "handoff",
            request_id,
            visit_id=request.visit_id,
            note=note,
        )


def cancel_handoff(ctx: ShopContext, actor: Actor, request_id: int) -> None:
    """The requester withdraws a pending request."""
    with ctx.database.write() as session:
        request = session.get(HandoffRequest, request_id)
        if request is None:
            raise NotFound("That hand-off request no longer exists.")
        require(session, actor, Action.WITHDRAW_HANDOFF, staff_target(session, request.from_staff_id))
        result = session.connection().execute(
            update(HandoffRequest)
            .where(
                col(HandoffRequest.id) == request_id,
                col(HandoffRequest.status) == HandoffStatus.PENDING,
            )
            .values(status=HandoffStatus.CANCELLED, decided_at=ctx.now())
        )
        if result.rowcount != 1:
            session.refresh(request)
            raise already_decided(session, ctx, request)
        audit.record(session, ctx, actor, "handoff.cancelled", "handoff", request_id)


def reassign_visit(
    ctx: ShopContext, actor: Actor, visit_id: int, to_staff_id: int, reason: str, *, seen_owner_id: int | None
) -> None:
    """A lead moves a visit to a colleague directly, with a reason (e.g. the owner went
    home). `seen_owner_id` is the owner the lead saw (None: nobody); when someone else
    has changed the owner since, nothing moves and `ownership.OwnerChanged` says who
    changed it to whom and when."""
    reason = _reason(reason, "reassignment")
    with ctx.database.write() as session:
        lead = require(session, actor, Action.REASSIGN_VISIT)
        visit = load_visit(session, visit_id)
        require_open(visit)
        target = available_colleague(session, to_staff_id)
        if visit.owner_id == target.id and seen_owner_id == target.id:
            raise InvalidInput(f"{target.name} already owns this customer.")
        move_visit(
            session, ctx, actor, visit, target, reason, decided_by=lead.id, seen_owner_id=seen_owner_id
        )


def move_visit(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    visit: Visit,
    target: Staff,
    reason: str,
    *,
    decided_by: int | None,
    seen_owner_id: int | None,
) -> None:
    """Give an open visit to `target` as a reassignment, in the caller's transaction, if
    its owner is still `seen_owner_id` (`ownership.move`, refused with OwnerChanged):
    pending requests on it are superseded, the move is kept in the hand-off log and
    audited. The one way a visit changes owner without a request (a lead's reassignment,
    or a deactivated member's customers passed on)."""
    assert visit.id is not None and target.id is not None
    now = ctx.now()
    # The requests first, then the visit's row: the order approving a hand-off locks them.
    session.connection().execute(
        update(HandoffRequest)
        .where(col(HandoffRequest.visit_id) == visit.id, col(HandoffRequest.status) == HandoffStatus.PENDING)
        .values(
            status=HandoffStatus.CANCELLED,
            decided_at=now,
            decided_by=decided_by,
            decision_note=SUPERSEDED,
        )
    )
    ownership.move(session, ctx, visit.id, seen_owner_id, target.id, now)
    record = HandoffRequest(
        visit_id=visit.id,
        from_staff_id=seen_owner_id or decided_by or target.id,
        to_staff_id=target.id,
        reason=reason,
        status=HandoffStatus.REASSIGNED,
        requested_at=now,
        decided_at=now,
        decided_by=decided_by,
    )
    session.add(record)
    session.refresh(visit)
    audit.record(
        session,
        ctx,
        actor,
        "visit.reassigned",
        "visit",
        visit.id,
        from_staff_id=seen_owner_id,
        to_staff_id=target.id,
        reason=reason,
    )


def pending_handoffs(ctx: ShopContext, actor: Actor) -> list[HandoffView]:
    """Requests waiting for a lead, oldest first (leads see all; others see their own)."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        query = select(HandoffRequest).where(HandoffRequest.status == HandoffStatus.PENDING)
        if not allows(Actor.of(staff), Action.SEE_ALL_HANDOFFS):
            query = query.where(HandoffRequest.from_staff_id == staff.id)
        return handoff_views(session, query.order_by(col(HandoffRequest.requested_at)))


def handoff_views(session: Session, statement: object) -> list[HandoffView]:
    """Run a `select(HandoffRequest)` and dress the rows for display."""
    requests = list(session.exec(statement))  # type: ignore[call-overload]
    names = staff_names(session)
    views = []
    for request in requests:
        visit = session.get(Visit, request.visit_id)
        customer = session.get(Customer, visit.customer_id) if visit and visit.customer_id else None
        views.append(
            HandoffView(
                id=request.id or 0,
                visit_id=request.visit_id,
                who=visit_who(visit, customer) if visit else "?",
                from_staff_id=request.from_staff_id,
                from_name=names.get(request.from_staff_id, "?"),
                to_name=names.get(request.to_staff_id, "?"),
                reason=request.reason,
                status=request.status,
                requested_at=request.requested_at,
                decision_note=request.decision_note,
                decided_by_name=names.get(request.decided_by or -1, ""),
            )
        )
    return views
