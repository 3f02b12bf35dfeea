"""Visit commands: walk-ins, claiming, needs, helpers, linking a customer, notes, ending.

The reads (the floor board, a visit's detail) are in services/visit_views.py.

The first person to claim a visit owns it for the whole visit. Claiming is one
conditional UPDATE (`WHERE owner_id IS NULL`), so of two terminals claiming at once
exactly one wins; the other is told who has the customer and since when, and the
blocked attempt is logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    CustomerNote,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Outcome,
    Staff,
    StandingNeed,
    Visit,
    VisitHelper,
    VisitNeed,
)
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.contact import clean_contact
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import (
    insert_customer,
    load_customer,
    remember_need,
    write_consent,
)
from counter_tui.services.duplicates import PossibleDuplicate, find_duplicates
from counter_tui.services.labels import need_label
from counter_tui.services.linking import bring_walk_in_along, set_walk_in_preferences
from counter_tui.services.permissions import (
    Action,
    check,
    ending,
    owned_sentence,
    require,
    visit_target,
)

EXCLUSIVE_NEEDS = {
    NeedKind.BROWSE_PRIVATELY: NeedKind.NEEDS_HELP,
    NeedKind.NEEDS_HELP: NeedKind.BROWSE_PRIVATELY,
}


@dataclass(frozen=True)
class EndResult:
    """What ending a visit did: the thank-you it queued, if any, and a sentence to show."""

    thank_you_id: int | None
    message: str


def load_visit(session: Session, visit_id: int) -> Visit:
    """The visit row, or a NotFound the user can read."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound("That visit no longer exists. Refresh the floor board.")
    return visit


def require_open(visit: Visit) -> None:
    """Refuse changes to a visit that has ended."""
    if visit.ended_at is not None:
        raise Conflict("This visit has already ended.")


def require_on_visit(session: Session, ctx: ShopContext, actor: Actor, action: Action, visit: Visit) -> Staff:
    """The actor's staff row if the permissions let them take `action` on this visit;
    otherwise their refusal (e.g. the owner's name and what to do)."""
    return require(session, actor, action, visit_target(session, ctx, visit))


def new_walk_in(
    ctx: ShopContext,
    actor: Actor,
    *,
    customer_id: int | None = None,
    description: str = "",
    needs: Iterable[str] = (),
    claim: bool = False,
) -> int:
    """Record a customer who just came in; returns the visit id.

    A known customer's standing needs are applied. With `claim`, the staff member who
    greeted them owns the visit from the start. Kiosks create unowned visits only.
    """
    description = limited(description, "description")
    wanted = [kind for kind in dict.fromkeys(needs)]
    unknown = [kind for kind in wanted if kind not in set(NeedKind)]
    if unknown:
        raise InvalidInput(f"Unknown need {unknown[0]!r}.")
    with ctx.database.write() as session:
        action = Action.START_VISIT if customer_id is not None or claim else Action.CHECK_IN
        if actor.is_kiosk:
            check(actor, action)
            source = actor.name
        else:
            require(session, actor, action)
            source = ctx.terminal
        standing: list[StandingNeed] = []
        if customer_id is not None:
            customer = load_customer(session, customer_id)
            already = session.exec(
                select(Visit).where(Visit.customer_id == customer_id, col(Visit.ended_at).is_(None))
            ).first()
            if already is not None:
                raise Conflict(f"{customer.name} is already checked in. Open their visit instead.")
            standing = list(session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id)))
            wanted += _standing_kinds_to_add(standing, wanted)
        standing_details = {s.kind: s.detail for s in standing}
        now = ctx.now()
        visit = Visit(
            customer_id=customer_id,
            description=description or ("" if customer_id else "walk-in"),
            source=source,
            arrived_at=now,
            created_by=actor.staff_id,
            owner_id=actor.staff_id if claim else None,
            claimed_at=now if claim else None,
        )
        session.add(visit)
        session.flush()
        assert visit.id is not None
        for kind in wanted:
            _add_need(session, ctx, actor, visit, kind, standing_details.get(kind, ""))
        audit.record(
            session,
            ctx,
            actor,
            "visit.created",
            "visit",
            visit.id,
            customer_id=customer_id,
            needs=wanted,
            claimed=claim,
            source=source,
        )
        if claim:
            audit.record(session, ctx, actor, "visit.claimed", "visit", visit.id)
        return visit.id


def _standing_kinds_to_add(standing: list[StandingNeed], wanted: list[str]) -> list[str]:
    """Remembered needs a visit takes on: what the customer asked for today beats a
    remembered need it would replace."""
    return [
        s.kind
        for s in standing
        if s.kind not in wanted and EXCLUSIVE_NEEDS.get(NeedKind(s.kind)) not in wanted
    ]


def claim_visit(ctx: ShopContext, actor: Actor, visit_id: int) -> None:
    """Take ownership of an unowned visit; exactly one of several racing claims wins."""
    blocked: AlreadyOwned | None = None
    with ctx.database.write() as session:
        staff = require(session, actor, Action.CLAIM_VISIT)
        now = ctx.now()
        result = session.connection().execute(
            update(Visit)
            .where(
                col(Visit.id) == visit_id,
                col(Visit.owner_id).is_(None),
                col(Visit.ended_at).is_(None),
            )
            .values(owner_id=staff.id, claimed_at=now)
        )
        if result.rowcount == 1:
            audit.record(session, ctx, actor, "visit.claimed", "visit", visit_id)
            return
        visit = load_visit(session, visit_id)
        require_open(visit)
        if visit.owner_id == staff.id:
            return
        owner = visit_target(session, ctx, visit)
        audit.record(
            session,
            ctx,
            actor,
            "visit.claim_blocked",
            "visit",
            visit_id,
            owner_id=visit.owner_id,
            owner=owner.owner_name or "A colleague",
        )
        blocked = AlreadyOwned(owned_sentence(owner.owner_name, owner.owner_since))
    raise blocked


def _add_need(
    session: Session, ctx: ShopContext, actor: Actor, visit: Visit, kind: str, detail: str
) -> VisitNeed:
    active = {
        need.kind: need
        for need in session.exec(
            select(VisitNeed).where(VisitNeed.visit_id == visit.id, col(VisitNeed.cleared_at).is_(None))
        )
    }
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
    detail = limited(detail, "detail")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        need = _add_need(session, ctx, actor, visit, kind, detail)
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


def add_helper(ctx: ShopContext, actor: Actor, visit_id: int, helper_id: int) -> None:
    """Bring in a colleague to help; the owner keeps ownership."""
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        staff = require_on_visit(session, ctx, actor, Action.ADD_HELPER, visit)
        helper = session.get(Staff, helper_id)
        if helper is None or not helper.active:
            raise NotFound("That colleague is not available. Pick someone else.")
        if helper.id == visit.owner_id:
            raise InvalidInput(f"{helper.name} already owns this visit.")
        if helper_id in visit_target(session, ctx, visit).helper_ids:
            raise Conflict(f"{helper.name} is already helping.")
        session.add(
            VisitHelper(visit_id=visit_id, staff_id=helper_id, added_by=staff.id or 0, added_at=ctx.now())
        )
        audit.record(session, ctx, actor, "visit.helper_added", "visit", visit_id, helper_id=helper_id)


def attach_customer(ctx: ShopContext, actor: Actor, visit_id: int, customer_id: int) -> None:
    """Link an anonymous visit to a customer on file (e.g. once they give their name).

    What was written on the visit (notes, feedback, needs to remember, preferences) moves
    onto their record, and their remembered needs apply to the visit from now on.
    """
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        customer = load_customer(session, customer_id)
        if visit.customer_id == customer_id:
            return
        if visit.customer_id is not None:
            raise Conflict("This visit is already linked to another customer.")
        other = session.exec(
            select(Visit).where(
                Visit.customer_id == customer_id,
                col(Visit.ended_at).is_(None),
                Visit.id != visit_id,
            )
        ).first()
        if other is not None:
            raise Conflict(f"{customer.name} already has an open visit. Open that visit instead.")
        _link(session, ctx, actor, visit, customer)


def _link(session: Session, ctx: ShopContext, actor: Actor, visit: Visit, customer: Customer) -> None:
    """Link the visit to the customer, bring the walk-in's details along, and apply the
    customer's remembered needs (caller's transaction)."""
    assert visit.id is not None and customer.id is not None
    visit.customer_id = customer.id
    session.add(visit)
    brought = bring_walk_in_along(session, ctx, visit, customer)
    standing = list(session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer.id)))
    active = [
        kind
        for kind in session.exec(
            select(VisitNeed.kind).where(VisitNeed.visit_id == visit.id, col(VisitNeed.cleared_at).is_(None))
        )
    ]
    details = {s.kind: s.detail for s in standing}
    applied = _standing_kinds_to_add(standing, active)
    for kind in applied:
        _add_need(session, ctx, actor, visit, kind, details.get(kind, ""))
    audit.record(
        session,
        ctx,
        actor,
        "visit.customer_attached",
        "visit",
        visit.id,
        customer_id=customer.id,
        notes_moved=brought.notes,
        feedback_moved=brought.feedback,
        needs_remembered=brought.remembered_needs,
        preferences_moved=brought.preferences,
        standing_needs_applied=applied,
    )


def end_visit(
    ctx: ShopContext, actor: Actor, visit_id: int, outcome: str, *, personal_line: str = ""
) -> EndResult:
    """End a visit (owner or lead). A purchase queues a thank-you for the owner.

    Anyone may close an unowned visit as "left unserved"; other outcomes need an owner.
    """
    from counter_tui.services.followups import queue_thank_you, recently_thanked

    if outcome not in (Outcome.PURCHASE, Outcome.NO_PURCHASE, Outcome.LEFT_UNSERVED):
        raise InvalidInput("Pick how the visit ended: purchase, no purchase, or left unserved.")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        staff = require_on_visit(session, ctx, actor, ending(outcome), visit)
        visit.outcome, visit.ended_at, visit.ended_by = outcome, ctx.now(), staff.id
        session.add(visit)
        _close_pending_handoffs(session, ctx, visit_id)
        audit.record(session, ctx, actor, "visit.ended", "visit", visit_id, outcome=outcome)
        thank_you_id: int | None = None
        message = "Visit ended."
        if outcome == Outcome.PURCHASE:
            if visit.customer_id is None:
                message = "Visit ended. No thank-you queued: the customer is not on file."
            elif (thanked := recently_thanked(session, ctx, visit.customer_id)) is not None:
                days = ctx.rules.followups.contact_cadence_days
                message = (
                    f"Visit ended. No new thank-you: they were thanked on "
                    f"{ctx.calendar.local(thanked).format('ddd D MMM')}, and we thank at most once "
                    f"every {days} days so as not to hound them."
                )
            else:
                thank_you_id = queue_thank_you(session, ctx, actor, visit, personal_line)
                message = "Visit ended. A thank-you is queued for the owner."
        return EndResult(thank_you_id, message)


def _close_pending_handoffs(session: Session, ctx: ShopContext, visit_id: int) -> None:
    for request in session.exec(
        select(HandoffRequest).where(
            HandoffRequest.visit_id == visit_id, HandoffRequest.status == HandoffStatus.PENDING
        )
    ):
        request.status, request.decided_at = HandoffStatus.CANCELLED, ctx.now()
        request.decision_note = "visit ended"
        session.add(request)


def add_visit_note(ctx: ShopContext, actor: Actor, visit_id: int, body: str) -> None:
    """Add a note to a visit (and to its customer's record, when they are on file)."""
    body = limited(body, "note", param="body")
    if not body:
        raise InvalidInput("The note is empty. Type what colleagues should know.", field="body")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        staff = require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        session.add(
            CustomerNote(
                customer_id=visit.customer_id,
                visit_id=visit_id,
                author_id=staff.id or 0,
                body=body,
                created_at=ctx.now(),
            )
        )
        audit.record(session, ctx, actor, "visit.note_added", "visit", visit_id)


def update_needs(
    ctx: ShopContext,
    actor: Actor,
    visit_id: int,
    *,
    add: Iterable[str] = (),
    clear: Iterable[str] = (),
    detail: str = "",
    remember: bool = False,
) -> None:
    """Set and clear several needs at once, in one transaction (the needs dialog)."""
    to_add, to_clear = list(dict.fromkeys(add)), list(dict.fromkeys(clear))
    for kind in to_add + to_clear:
        if kind not in set(NeedKind):
            raise InvalidInput(f"Unknown need {kind!r}.")
    if NeedKind.BROWSE_PRIVATELY in to_add and NeedKind.NEEDS_HELP in to_add:
        raise InvalidInput("'Browse privately' and 'needs help' replace each other. Tick just one.")
    detail = limited(detail, "detail")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
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
            need = _add_need(session, ctx, actor, visit, kind, detail)
            if remember:
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
            detail=detail,
            remember=remember,
        )


def add_customer_to_visit(
    ctx: ShopContext,
    actor: Actor,
    visit_id: int,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    opted_in: Iterable[str] = (),
    create_anyway: bool = False,
) -> int:
    """Put an anonymous walk-in on file and link them to this visit, in one transaction.

    Customers already on file with the same phone number (compared in international
    form) or email stop it with a PossibleDuplicate naming them, so the walk-in can be
    linked to their record instead (`attach_customer`); `create_anyway` goes ahead.
    """
    details = clean_contact(ctx.rules.shop, name, phone, email)
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        if visit.customer_id is not None:
            raise Conflict("This visit is already linked to a customer on file.")
        if not create_anyway:
            candidates = find_duplicates(session, details.phone_normalised, details.email)
            if candidates:
                raise PossibleDuplicate(candidates)
        customer = insert_customer(session, ctx, details)
        assert customer.id is not None
        audit.record(
            session,
            ctx,
            actor,
            "customer.created",
            "customer",
            customer.id,
            name=details.name,
            despite_duplicates=create_anyway,
        )
        for channel in dict.fromkeys(opted_in):
            write_consent(
                session,
                ctx,
                actor,
                customer.id,
                channel,
                granted=True,
                source="agreed at the counter when their details were taken",
            )
        _link(session, ctx, actor, visit, customer)
        return customer.id


def set_visit_preferences(ctx: ShopContext, actor: Actor, visit_id: int, preferences: str) -> None:
    """What a walk-in not yet on file prefers, kept until they are put on file or linked."""
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        set_walk_in_preferences(session, ctx, actor, visit, preferences)
