"""Reversals: a lead reopens an ended visit, or undoes a day close as one action; a
cancelled follow-up is restored. Each needs a reason and writes its audit event.

**The same day.** A visit can be reopened on the shop day it ended, or on the day of the
close that ended it (an automatic close the next morning ends yesterday's visits today).
A day close can be undone on the shop day it was made, the latest one first. After that
the customer's next visit is a new visit.

**Still reopenable.** A visit is not reopened once its customer came back: another visit
of theirs is open, or one started after it (even if that one has ended: reopened, this
visit would have them in the shop all along, past their leaving again). Reopening it is
refused, and undoing a close leaves it ended, with the same sentence saying why. A visit
whose owner is no longer active comes back with nobody owning it.
Reopening withdraws the thank-you or walk-out apology its ending queued, if still open:
ending it again queues what the new outcome owes (a thank-you for a purchase, an apology
for a walk-out that was not already made).
"""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from counter_tui.db.models import (
    Customer,
    DayClose,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    Staff,
    Visit,
)
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.limits import fitted, limited
from counter_tui.sentences import join_sentences
from counter_tui.services import audit
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.closing import closing_handoffs, closing_visits
from counter_tui.services.closing_views import ClosingHandoff, ReopenResult, UndoableClose, UndoResult
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require, staff_target
from counter_tui.services.queries import followup_views, staff_names, visit_who
from counter_tui.services.views import FollowUpView
from counter_tui.services.visits import load_visit


def _reason(text: str, what: str) -> str:
    reason = limited(text, "reason")
    if not reason:
        raise InvalidInput(f"Say why you {what}; it is kept in the log.")
    return reason


def _refuse_if_back(session: Session, ctx: ShopContext, visit: Visit) -> None:
    """Refuse to reopen a visit whose customer came back (`_came_back`)."""
    came_back = _came_back(session, ctx, visit)
    if came_back is not None:
        raise Conflict(came_back)


def _came_back(session: Session, ctx: ShopContext, visit: Visit) -> str | None:
    """Why a visit may not be reopened because its customer came back, or None: another
    visit of theirs is open now, or one started after this one (reopened, this visit
    would have them in the shop all along, through that later visit and its ending)."""
    if visit.customer_id is None:
        return None
    other = session.exec(
        select(Visit)
        .where(
            Visit.customer_id == visit.customer_id,
            Visit.id != visit.id,
            or_(col(Visit.ended_at).is_(None), col(Visit.arrived_at) > visit.arrived_at),
        )
        .order_by(col(Visit.ended_at).is_not(None), col(Visit.arrived_at).desc())
    ).first()
    if other is None:
        return None
    name = visit_who(visit, session.get(Customer, visit.customer_id))
    if other.ended_at is None:
        return f"{name} is in the shop again (another visit is open)."
    came = ctx.calendar.local(other.arrived_at).format("HH:mm")
    left = ctx.calendar.local(other.ended_at).format("HH:mm")
    return (
        f"{name} came back at {came}, and that visit ended at {left}; "
        "if they are still here, reopen that visit or start a new one."
    )


QUEUED_BY_ENDING = (FollowUpKind.THANK_YOU, FollowUpKind.APOLOGY)
"""What ending a visit queues by itself: a purchase's thank-you, a walk-out's apology."""


def _withdraw_what_the_ending_queued(
    session: Session, ctx: ShopContext, actor: Actor, visit: Visit, reason: str
) -> dict[str, int]:
    """Cancel the still-open follow-ups the visit's ending queued (ending it again queues
    what the new outcome owes); the ids withdrawn, by kind. One already done stays."""
    queued = session.exec(
        select(FollowUp).where(
            FollowUp.visit_id == visit.id,
            col(FollowUp.kind).in_(QUEUED_BY_ENDING),
            FollowUp.status == FollowUpStatus.OPEN,
        )
    ).all()
    withdrawn: dict[str, int] = {}
    for followup in queued:
        assert followup.id is not None
        followup.status = FollowUpStatus.CANCELLED
        followup.cancel_reason = fitted(f"Visit reopened: {reason}", "reason")
        followup.done_at, followup.done_by = ctx.now(), actor.staff_id
        session.add(followup)
        audit.record(
            session, ctx, actor, "followup.cancelled", "followup", followup.id, reason=followup.cancel_reason
        )
        withdrawn[followup.kind] = followup.id
    return withdrawn


def _reopen(session: Session, ctx: ShopContext, actor: Actor, visit: Visit, reason: str) -> str:
    """Put an ended visit back on the floor; the sentence to show. Checks first, so a
    refusal changes nothing."""
    _refuse_if_back(session, ctx, visit)
    owner = session.get(Staff, visit.owner_id) if visit.owner_id is not None else None
    message = "Visit reopened."
    if owner is not None and not owner.active:
        message = f"Visit reopened. {owner.name} is no longer active, so nobody owns it: claim them."
        visit.owner_id, visit.owner_since = None, None  # when they were first greeted stays
    outcome, day_close_id = visit.outcome, visit.day_close_id
    visit.outcome, visit.ended_at, visit.ended_by = None, None, None
    visit.flagged_for_review, visit.day_close_id = False, None
    session.add(visit)
    withdrawn = _withdraw_what_the_ending_queued(session, ctx, actor, visit, reason)
    audit.record(
        session,
        ctx,
        actor,
        "visit.reopened",
        "visit",
        visit.id,
        reason=reason,
        outcome=outcome,
        owner_id=visit.owner_id,
        thank_you_cancelled=withdrawn.get(FollowUpKind.THANK_YOU),
        apology_cancelled=withdrawn.get(FollowUpKind.APOLOGY),
        day_close_id=day_close_id,
    )
    return message


def reopen_visit(ctx: ShopContext, actor: Actor, visit_id: int, reason: str) -> ReopenResult:
    """A lead puts an ended visit back on the floor (ended by mistake, with the wrong
    outcome, or closed at end of day too soon), the same day, with a reason."""
    reason = _reason(reason, "reopen the visit")
    with ctx.database.write() as session:
        require(session, actor, Action.REOPEN_VISIT)
        visit = load_visit(session, visit_id)
        if visit.ended_at is None:
            raise Conflict("This visit is not ended; there is nothing to reopen.")
        calendar, today = ctx.calendar, ctx.calendar.local_date(ctx.now())
        days = {calendar.local_date(visit.ended_at)}
        if visit.day_close_id is not None:
            close = session.get(DayClose, visit.day_close_id)
            if close is not None:
                days.add(calendar.local_date(close.closed_at))
        if today not in days:
            raise Conflict(
                "A visit can be reopened only on the day it ended. If they are here, start a new visit."
            )
        return ReopenResult(visit_id=visit_id, message=_reopen(session, ctx, actor, visit, reason))


def _latest_close_today(session: Session, ctx: ShopContext) -> DayClose | None:
    start = ctx.calendar.start_of_day(ctx.calendar.local_date(ctx.now()))
    return session.exec(
        select(DayClose)
        .where(col(DayClose.closed_at) >= start, col(DayClose.undone_at).is_(None))
        .order_by(col(DayClose.closed_at).desc(), col(DayClose.id).desc())
    ).first()


def _closed_by(session: Session, close: DayClose) -> list[Visit]:
    """The visits `close` ended that are still ended by it."""
    return list(
        session.exec(
            select(Visit)
            .where(Visit.day_close_id == close.id, col(Visit.ended_at).is_not(None))
            .order_by(col(Visit.arrived_at), col(Visit.id))
        )
    )


def _cancelled_by(session: Session, close: DayClose) -> tuple[ClosingHandoff, ...]:
    """The pending hand-off requests `close` cancelled, named, oldest first."""
    return closing_handoffs(
        session,
        select(HandoffRequest)
        .where(HandoffRequest.day_close_id == close.id, HandoffRequest.status == HandoffStatus.CANCELLED)
        .order_by(col(HandoffRequest.requested_at), col(HandoffRequest.id)),
    )


def _moot(session: Session, request: HandoffRequest) -> str:
    """Why a request a close cancelled cannot be pending again now; empty when it can: its
    visit is open, still the requester's, the colleague asked for still active, and no
    other request is waiting on it."""
    visit = session.get(Visit, request.visit_id)
    if visit is None or visit.ended_at is not None:
        return "their visit stays ended"
    if visit.owner_id != request.from_staff_id:
        names = staff_names(session)
        return f"{names[visit.owner_id]} has them now" if visit.owner_id in names else "nobody has them now"
    target = session.get(Staff, request.to_staff_id)
    if target is None or not target.active:
        return f"{target.name if target is not None else 'that colleague'} is no longer active"
    waiting = session.exec(
        select(HandoffRequest.id).where(
            HandoffRequest.visit_id == visit.id, HandoffRequest.status == HandoffStatus.PENDING
        )
    ).first()
    return "another hand-off for them is waiting" if waiting is not None else ""


def _restore_handoffs(
    session: Session, ctx: ShopContext, actor: Actor, close: DayClose, reason: str
) -> tuple[list[int], list[tuple[int, str]]]:
    """Bring back, pending as the close found them, the hand-off requests `close` cancelled,
    unless moot now; (restored, [(not restored, the sentence why)])."""
    restored: list[int] = []
    not_restored: list[tuple[int, str]] = []
    for named in _cancelled_by(session, close):
        request = session.get_one(HandoffRequest, named.request_id)
        why = _moot(session, request)
        if why:
            not_restored.append(
                (
                    named.request_id,
                    f"{named.who}'s hand-off from {named.from_name} to {named.to_name} "
                    f"was not brought back: {why}.",
                )
            )
            continue
        request.status, request.decided_at, request.decided_by = HandoffStatus.PENDING, None, None
        request.decision_note, request.day_close_id = "", None
        session.add(request)
        audit.record(
            session,
            ctx,
            actor,
            "handoff.restored",
            "handoff",
            named.request_id,
            visit_id=request.visit_id,
            day_close_id=close.id,
            reason=reason,
        )
        restored.append(named.request_id)
    return restored, not_restored


def undoable_close(ctx: ShopContext, actor: Actor) -> UndoableClose | None:
    """The day close a lead may undo now (the latest made today, not undone yet), with
    the visits undoing it would reopen; None when there is none."""
    with ctx.database.read() as session:
        require(session, actor, Action.UNDO_DAY_CLOSE)
        close = _latest_close_today(session, ctx)
        if close is None or close.id is None:
            return None
        return _undo_preview(session, ctx, close)


def _undo_preview(session: Session, ctx: ShopContext, close: DayClose) -> UndoableClose:
    """What undoing `close` would do now, by the undo's own rule (`_came_back`)."""
    assert close.id is not None
    names = staff_names(session)
    reopening: list[int] = []
    staying: list[tuple[int, str]] = []
    for visit in _closed_by(session, close):
        assert visit.id is not None
        came_back = _came_back(session, ctx, visit)
        if came_back is None:
            reopening.append(visit.id)
        else:
            staying.append((visit.id, came_back))
    return UndoableClose(
        day_close_id=close.id,
        day=close.day,
        closed_at=close.closed_at,
        auto=close.auto,
        closed_by_name=names.get(close.closed_by, "") if close.closed_by else "",
        visits=closing_visits(session, reopening),
        handoffs=_cancelled_by(session, close),
        staying=tuple(staying),
    )


class UndoChanged(ChangedMeanwhile):
    """What undoing the close would do changed since the lead was shown it; nothing was
    undone. `now` is the `UndoableClose` as it is now, for the next Enter to undo."""


def _refuse_unless_undoable(session: Session, ctx: ShopContext, close: DayClose) -> None:
    """Refuse, in one sentence, to undo `close` once it is undone or no longer today's
    latest close (the lead was shown it, and something changed since)."""
    names = staff_names(session)
    if close.undone_at is not None:
        who = names.get(close.undone_by, "Someone") if close.undone_by else "Someone"
        raise Conflict(f"{who} undid this close at {ctx.calendar.local(close.undone_at).format('HH:mm')}.")
    latest = _latest_close_today(session, ctx)
    if latest is None or ctx.calendar.local_date(close.closed_at) != ctx.calendar.local_date(ctx.now()):
        raise Conflict("A day close can be undone only on the day it was made.")
    if latest.id != close.id:
        by = "automatically" if latest.auto else f"by {names.get(latest.closed_by or 0, 'someone')}"
        raise Conflict(
            f"A later close was made at {ctx.calendar.local(latest.closed_at).format('HH:mm')} {by}; "
            "undo that one first, if at all."
        )


def undo_day_close(
    ctx: ShopContext,
    actor: Actor,
    day_close_id: int,
    reason: str,
    *,
    seen: tuple[tuple[int, ...], ...] | None = None,
) -> UndoResult:
    """A lead undoes the day close they were shown (`undoable_close`) as one action: every
    visit it ended that is still reopenable goes back on the floor, and every hand-off
    request it cancelled is pending again (same requester, colleague and reason); the
    others stay as they are and are listed with why. Refused if that close was undone
    meanwhile, or is no longer today's latest; and, given what the lead was shown
    (`UndoableClose.seen`), with `UndoChanged` when undoing it would now do otherwise."""
    reason = _reason(reason, "undo the day close")
    with ctx.database.write() as session:
        lead = require(session, actor, Action.UNDO_DAY_CLOSE)
        close = session.get(DayClose, day_close_id)
        if close is None:
            raise NotFound("That day close no longer exists.")
        _refuse_unless_undoable(session, ctx, close)
        if seen is not None and (now := _undo_preview(session, ctx, close)).seen != seen:
            raise UndoChanged(
                join_sentences(
                    "Since you opened this, what undoing the close would do changed: it now reopens "
                    + now.summary(),
                    now.staying_said(),
                    "Enter again undoes that; Esc leaves it",
                ),
                now,
            )
        reopened: list[int] = []
        skipped: list[tuple[int, str]] = []
        for visit in _closed_by(session, close):
            assert visit.id is not None
            try:
                _reopen(session, ctx, actor, visit, reason)
            except Conflict as refusal:
                skipped.append((visit.id, str(refusal)))
            else:
                reopened.append(visit.id)
        restored, not_restored = _restore_handoffs(session, ctx, actor, close, reason)
        close.undone_at, close.undone_by, close.undo_reason = ctx.now(), lead.id, reason
        session.add(close)
        audit.record(
            session,
            ctx,
            actor,
            "day.close_undone",
            "day",
            close.id,
            day=close.day,
            reopened=reopened,
            skipped=[visit_id for visit_id, _ in skipped],
            handoffs_restored=restored,
            handoffs_not_restored=[request_id for request_id, _ in not_restored],
            reason=reason,
        )
        assert close.id is not None
        return UndoResult(
            day_close_id=close.id,
            reopened=tuple(reopened),
            skipped=tuple(skipped),
            handoffs_restored=tuple(restored),
            handoffs_not_restored=tuple(not_restored),
        )


def restore_followup(ctx: ShopContext, actor: Actor, followup_id: int, reason: str) -> None:
    """Put a cancelled follow-up back on its owner's list (its owner or a lead), with a
    reason. It keeps its due time, so it may come back overdue."""
    reason = _reason(reason, "restore it")
    with ctx.database.write() as session:
        followup = session.get(FollowUp, followup_id)
        if followup is None:
            raise NotFound("That follow-up no longer exists.")
        require(session, actor, Action.RESTORE_FOLLOWUP, staff_target(session, followup.owner_id))
        if followup.status != FollowUpStatus.CANCELLED:
            raise Conflict("This follow-up is not cancelled; there is nothing to restore.")
        cancel_reason = followup.cancel_reason
        followup.status, followup.cancel_reason = FollowUpStatus.OPEN, ""
        followup.done_at, followup.done_by = None, None
        session.add(followup)
        audit.record(
            session,
            ctx,
            actor,
            "followup.restored",
            "followup",
            followup_id,
            reason=reason,
            cancel_reason=cancel_reason,
        )


def cancelled_today(ctx: ShopContext, actor: Actor) -> tuple[FollowUpView, ...]:
    """The actor's follow-ups cancelled today, newest first (so a slip can be undone)."""
    start = ctx.calendar.start_of_day(ctx.calendar.local_date(ctx.now()))
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        return followup_views(
            session,
            ctx,
            select(FollowUp)
            .where(
                FollowUp.owner_id == staff.id,
                FollowUp.status == FollowUpStatus.CANCELLED,
                col(FollowUp.done_at) >= start,
            )
            .order_by(col(FollowUp.done_at).desc(), col(FollowUp.id).desc()),
        )
