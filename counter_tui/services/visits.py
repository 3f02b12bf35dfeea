"""Visit commands: walk-ins, claiming, helpers, notes, ending.

The rules of needs are in services/need_rules.py, the needs commands in
services/visit_needs.py, linking a customer in
services/visit_customer.py, the reads (floor board, a visit's detail) in
services/visit_views.py.

The first person to claim a visit owns it for the whole visit. Claiming is one
conditional UPDATE (`WHERE owner_id IS NULL`), so of two terminals claiming at once
exactly one wins; the other is told who has the customer and since when, and the
blocked attempt is logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    CustomerNote,
    FollowUp,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Outcome,
    Staff,
    StandingNeed,
    Visit,
    VisitHelper,
)
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotFound
from counter_tui.kiosk_words import LANGUAGES
from counter_tui.limits import limited
from counter_tui.services import audit, ownership
from counter_tui.services.colleagues import available_colleague
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import (
    load_customer,
)
from counter_tui.services.need_rules import add_need, refuse_exclusive_needs, standing_kinds_to_add
from counter_tui.services.permissions import (
    Action,
    check,
    ending,
    owned_sentence,
    require,
    require_visit,
    visit_target,
)

# The statements of the floor's busiest writes, built once (building one cost more than
# sending it, and every write waits for the one holding the write lock).
_VISIT_BY_ID = select(Visit).where(col(Visit.id) == bindparam("visit_id"))
_CANCEL_PENDING_HANDOFFS = (
    update(HandoffRequest)
    .where(
        col(HandoffRequest.visit_id) == bindparam("visit"),
        col(HandoffRequest.status) == HandoffStatus.PENDING,
    )
    .values(status=HandoffStatus.CANCELLED, decided_at=bindparam("now"), decision_note=bindparam("why"))
)
_ADD_NOTE = insert(CustomerNote)
"""A note is one prepared INSERT (no row object and unit of work: nothing reads it back)."""


@dataclass(frozen=True)
class EndResult:
    """What ending a visit did: the thank-you it queued, if any, and a sentence to show."""

    thank_you_id: int | None
    message: str


UNNAMED_WALK_IN = "walk-in"
"""The description of a walk-in nobody has described or named yet."""


def load_visit(session: Session, visit_id: int) -> Visit:
    """The visit row, or a NotFound the user can read."""
    visit = session.exec(_VISIT_BY_ID, params={"visit_id": visit_id}).first()
    if visit is None:
        raise NotFound("That visit no longer exists. Refresh the floor board.")
    return visit


def require_open(visit: Visit) -> None:
    """Refuse changes to a visit that has ended."""
    if visit.ended_at is not None:
        raise Conflict("This visit has already ended.")


def require_nothing_kept_about_erased(session: Session, visit: Visit, what: str) -> None:
    """Refuse `what` (a note, a need's detail) on a visit whose customer's record was erased
    while it was open: the erasure blanked what the visit said about them, and new text
    would be kept against their record again."""
    if visit.customer_id is None:
        return
    customer = session.get(Customer, visit.customer_id)
    if customer is not None and customer.erased_at is not None:
        raise Conflict(
            f"This customer's details were erased at their request, so {what} about them is not kept. "
            "Nothing was saved; their visit goes on as a walk-in's."
        )


def require_on_visit(session: Session, ctx: ShopContext, actor: Actor, action: Action, visit: Visit) -> Staff:
    """The actor's staff row if the permissions let them take `action` on this visit;
    otherwise their refusal (e.g. the owner's name and what to do)."""
    return require_visit(session, ctx, actor, action, visit)


def new_walk_in(
    ctx: ShopContext,
    actor: Actor,
    *,
    customer_id: int | None = None,
    description: str = "",
    needs: Iterable[str] = (),
    claim: bool = False,
    language: str | None = None,
) -> int:
    """Record a customer who just came in; returns the visit id.

    A known customer's standing needs are applied. With `claim`, the staff member who
    greeted them owns the visit from the start. Kiosks create unowned visits only, with
    the language the customer picked (`services/kiosk.py` quotes their wait too).
    """
    with ctx.database.write() as session:
        return add_walk_in(
            session,
            ctx,
            actor,
            customer_id=customer_id,
            description=description,
            needs=needs,
            claim=claim,
            language=language,
        )


def add_walk_in(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    *,
    customer_id: int | None = None,
    description: str = "",
    needs: Iterable[str] = (),
    claim: bool = False,
    quoted_wait_minutes: int | None = None,
    language: str | None = None,
) -> int:
    """`new_walk_in` within the caller's write transaction (a kiosk quotes the wait from
    the floor in the same transaction, so two kiosks at once quote two places)."""
    description = limited(description, "description")
    wanted = [kind for kind in dict.fromkeys(needs)]
    unknown = [kind for kind in wanted if kind not in set(NeedKind)]
    if unknown:
        raise InvalidInput(f"Unknown need {unknown[0]!r}.")
    refuse_exclusive_needs(wanted)
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"The kiosk has no such language; it speaks {', '.join(LANGUAGES)}.")
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
        wanted += standing_kinds_to_add(standing, wanted)
    standing_details = {s.kind: s.detail for s in standing}
    now = ctx.now()
    visit = Visit(
        customer_id=customer_id,
        description=description or ("" if customer_id else UNNAMED_WALK_IN),
        source=source,
        arrived_at=now,
        created_by=actor.staff_id,
        owner_id=actor.staff_id if claim else None,
        claimed_at=now if claim else None,
        owner_since=now if claim else None,
        quoted_wait_minutes=quoted_wait_minutes,
        language=language,
    )
    session.add(visit)
    session.flush()
    assert visit.id is not None
    for kind in wanted:
        add_need(session, ctx, actor, visit, kind, standing_details.get(kind, ""))
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
        quoted_wait_minutes=quoted_wait_minutes,
        language=language,
    )
    if claim:
        audit.record(session, ctx, actor, "visit.claimed", "visit", visit.id)
    return visit.id


def claim_visit(ctx: ShopContext, actor: Actor, visit_id: int) -> None:
    """Take ownership of an unowned visit; exactly one of several racing claims wins
    (`ownership`: a claim is a move from nobody, the owner the claimer saw)."""
    blocked: AlreadyOwned | None = None
    with ctx.database.write() as session:
        staff = require(session, actor, Action.CLAIM_VISIT)
        now = ctx.now()
        if ownership.try_move(session, visit_id, None, staff.id or 0, now):
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


def add_helper(ctx: ShopContext, actor: Actor, visit_id: int, helper_id: int) -> None:
    """Bring in a colleague to help; the owner keeps ownership."""
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        staff = require_on_visit(session, ctx, actor, Action.ADD_HELPER, visit)
        helper = available_colleague(session, helper_id)
        if helper.id == visit.owner_id:
            raise InvalidInput(f"{helper.name} already owns this visit.")
        if helper_id in visit_target(session, ctx, visit).helper_ids:
            raise Conflict(f"{helper.name} is already helping.")
        session.add(
            VisitHelper(visit_id=visit_id, staff_id=helper_id, added_by=staff.id or 0, added_at=ctx.now())
        )
        audit.record(session, ctx, actor, "visit.helper_added", "visit", visit_id, helper_id=helper_id)


def _refuse_line_without_thank_you(personal_line: str, why: str) -> None:
    """Refuse ending with a personal line when no thank-you can be queued (`why`); inside
    the ending's transaction, so nothing of the ending is saved."""
    if personal_line:
        raise InvalidInput(
            f"No thank-you can be queued yet: {why}. Clear the personal line to end the visit without one.",
            field="personal_line",
        )


def end_visit(
    ctx: ShopContext, actor: Actor, visit_id: int, outcome: str, *, personal_line: str = ""
) -> EndResult:
    """End a visit (owner or lead). A purchase queues a thank-you for the owner; a call
    back the customer asked for is queued too (`asked_callbacks`).

    Anyone may close an unowned visit as "left unserved"; other outcomes need an owner.
    A personal line no thank-you would carry (another outcome, not on file, or held by the
    contact cadence) is refused, the visit left open, so that what was typed is not lost.
    """
    from counter_tui.services.asked_callbacks import queue_asked_callback
    from counter_tui.services.cadence import held_sentence, holding_contact
    from counter_tui.services.thank_yous import queue_thank_you
    from counter_tui.services.walkouts import owe_apology

    if outcome not in (Outcome.PURCHASE, Outcome.NO_PURCHASE, Outcome.LEFT_UNSERVED):
        raise InvalidInput("Pick how the visit ended: purchase, no purchase, or left unserved.")
    personal_line = limited(personal_line, "personal_line")
    if personal_line and outcome != Outcome.PURCHASE:
        raise InvalidInput(
            "A personal line goes with a purchase's thank-you: pick Purchase, or clear the line.",
            field="personal_line",
        )
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        require_open(visit)
        staff = require_on_visit(session, ctx, actor, ending(outcome), visit)
        visit.outcome, visit.ended_at, visit.ended_by = outcome, ctx.now(), staff.id
        session.add(visit)
        cancel_pending_handoffs(session, ctx, visit_id, "visit ended")
        audit.record(session, ctx, actor, "visit.ended", "visit", visit_id, outcome=outcome)
        thank_you_id: int | None = None
        message = "Visit ended."
        if (walk_out := owe_apology(session, ctx, actor, visit)) is not None:
            message = f"Visit ended. {walk_out.sentence()}"
        if outcome == Outcome.PURCHASE:
            if visit.customer_id is None:
                _refuse_line_without_thank_you(personal_line, "the customer is not on file")
                message = "Visit ended. No thank-you queued: the customer is not on file."
            elif (contact := holding_contact(session, ctx, visit.customer_id)) is not None:
                customer = load_customer(session, visit.customer_id)
                held = held_sentence(ctx, customer, contact)
                _refuse_line_without_thank_you(personal_line, held)
                message = f"Visit ended. No new thank-you: {held}."
            else:
                thank_you_id = queue_thank_you(session, ctx, actor, visit, personal_line)
                message = (
                    f"Visit ended. A thank-you is queued for {_whose(session, staff, visit, thank_you_id)}."
                )
        if asked := queue_asked_callback(session, ctx, actor, visit):
            message = f"{message} {asked}"
        return EndResult(thank_you_id, message)


def _whose(session: Session, staff: Staff, visit: Visit, followup_id: int) -> str:
    """Whom an ending's thank-you is for, in words: "the owner" when it is the person
    ending the visit's, else their name ("Alex, who served them")."""
    followup = session.get(FollowUp, followup_id)
    owner_id = followup.owner_id if followup is not None else staff.id
    if owner_id == staff.id:
        return "the owner"
    owner = session.get(Staff, owner_id)
    name = owner.name if owner is not None else "a colleague"
    return f"{name}, who served them" if owner_id == visit.owner_id else name


def cancel_pending_handoffs(session: Session, ctx: ShopContext, visit_id: int, why: str) -> None:
    """Cancel the visit's hand-off requests still waiting for a lead, saying `why` (the visit
    ended, or the day was closed): nobody should approve passing on a visit that is over.
    One UPDATE, sent at once (a request object loaded earlier in the session would not
    see it; the callers load none): the requests are locked before the visit's own row,
    in the order approving a hand-off takes them."""
    session.connection().execute(_CANCEL_PENDING_HANDOFFS, {"visit": visit_id, "now": ctx.now(), "why": why})


def add_visit_note(ctx: ShopContext, actor: Actor, visit_id: int, body: str) -> None:
    """Add a note to a visit (and to its customer's record, when they are on file)."""
    body = limited(body, "note", param="body")
    if not body:
        raise InvalidInput("The note is empty. Type what colleagues should know.", field="body")
    with ctx.database.write() as session:
        visit = load_visit(session, visit_id)
        staff = require_on_visit(session, ctx, actor, Action.WORK_ON_VISIT, visit)
        require_nothing_kept_about_erased(session, visit, "a note")
        session.connection().execute(
            _ADD_NOTE,
            {
                "customer_id": visit.customer_id,
                "visit_id": visit_id,
                "author_id": staff.id or 0,
                "body": body,
                "created_at": ctx.now(),
            },
        )
        audit.record(session, ctx, actor, "visit.note_added", "visit", visit_id)


def name_given_at_kiosk(visit: Visit) -> str:
    """The first name the customer typed at the kiosk ("" when they skipped it, or did not
    check in at a kiosk: only kiosk check-ins record a language)."""
    if visit.language is None or visit.description == UNNAMED_WALK_IN:
        return ""
    return visit.description or ""
