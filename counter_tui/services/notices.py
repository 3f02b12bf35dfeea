"""Who must hear about a change of hands, and what they are told, the moment any
terminal commits it: leads hear of each new hand-off request; the requester hears the
lead's decision; the new owner hears that a customer is now theirs and from whom (after
an approved hand-off or a lead's reassignment); the previous owner hears of a
reassignment they did not make; a visit's owner hears that someone else ended or
reopened it (not of the day close, which ends every visit at once); a follow-up's owner
hears that its email was not sent, with the server's reason, and how many of theirs a
lead's change of the shop's hours or holidays moved (one notice, not one a follow-up);
everyone hears that the shop's mail setup holds email back (once, when it starts; a
shift lead with what to check), and that it goes again. Nobody is told about what they
did themselves.

The change feed gives every terminal the same changes; each terminal asks this module
what its signed-in person should hear, so the rule lives here and not in the screens.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from counter_tui.db.models import AuditEvent, Customer, FollowUp, HandoffRequest, Outcome, Staff, Visit
from counter_tui.sentences import counted, join_sentences
from counter_tui.services import mail_hold
from counter_tui.services.changes import Change
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.labels import FOLLOWUP_LABELS, OUTCOME_LABELS
from counter_tui.services.permissions import Action, allows, require
from counter_tui.services.queries import staff_names, visit_who
from counter_tui.services.when import day_words

HANDOFF_ACTIONS = ("handoff.requested", "handoff.approved", "handoff.denied")
EMAIL_NOT_SENT = "followup.reopened"
"""The outbox's sender gave up on an email and opened its follow-up again."""
ENDING_ACTIONS = ("visit.ended", "visit.reopened")
DUE_MOVED = "followup.due_moved"
"""A change of the shop's hours or holidays moved open follow-ups (`due_moves.py`)."""
MAIL_HOLD_ACTIONS = (mail_hold.HELD, mail_hold.RESUMED)
FOLLOWUP_PASSED = "followup.reassigned"
"""A lead gave a follow-up to another owner (`followup_oversight.move_followup`)."""
NOTICE_ACTIONS = (
    *HANDOFF_ACTIONS,
    "visit.reassigned",
    FOLLOWUP_PASSED,
    *ENDING_ACTIONS,
    EMAIL_NOT_SENT,
    DUE_MOVED,
    *MAIL_HOLD_ACTIONS,
)
PASSED_ACTIONS = ("handoff.approved", "visit.reassigned")
SIGNED_IN = "staff.signed_in"


@dataclass(frozen=True)
class Notice:
    """One message for one person. `urgent` ones want attention now (a request waiting
    for a lead): the terminal rings and keeps the message up longer. `asks`: what the
    person is asked to do about it (a hand-off to decide); the screen they are on adds
    which of its keys does that (the same key does other things on other screens)."""

    title: str
    message: str
    urgent: bool = False
    asks: Action | None = None


def may_tell(staff_id: int | None, changes: Sequence[Change]) -> bool:
    """Whether `notices_for` could have anything for this person in these changes, without
    reading: only a change of hands or an unsent email by someone else can (a change whose
    author the feed does not know counts as someone else's)."""
    return any(
        change.action in NOTICE_ACTIONS and (change.actor_id is None or change.actor_id != staff_id)
        for change in changes
    )


def notices_for(ctx: ShopContext, actor: Actor, changes: Sequence[Change]) -> list[Notice]:
    """What `actor` should be told about these changes, oldest first."""
    event_ids = [change.event_id for change in changes if change.action in NOTICE_ACTIONS]
    if not event_ids:
        return []
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        names = staff_names(session)
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id).in_(event_ids)).order_by(col(AuditEvent.id))
        )
        notices = []
        passed: list[AuditEvent] = []
        for event in events:
            if event.actor_id == staff.id:
                continue
            if event.action == EMAIL_NOT_SENT:
                notice = _email_notice(session, staff, event)
            elif event.action == DUE_MOVED:
                notice = _due_moved_notice(staff, names, event)
            elif event.action in MAIL_HOLD_ACTIONS:
                notice = _mail_hold_notice(ctx, actor, event)
            elif event.action == FOLLOWUP_PASSED:
                passed.append(event)
                continue
            elif event.action in HANDOFF_ACTIONS:
                notice = _handoff_notice(session, staff, names, event)
            elif event.action in ENDING_ACTIONS:
                notice = _ending_notice(session, staff, names, event)
            else:
                notice = _reassignment_notice(session, staff, names, event)
            if notice is not None:
                notices.append(notice)
        return notices + _followups_passed_notices(session, staff, names, passed)


def _email_notice(session: Session, staff: Staff, event: AuditEvent) -> Notice | None:
    """The owner of a follow-up whose email the server refused hears why, wherever they are."""
    followup = session.get(FollowUp, event.entity_id) if event.entity_id is not None else None
    if followup is None or followup.owner_id != staff.id:
        return None
    who = _customer_called(session, followup.customer_id)
    reason = json.loads(event.details).get("reason", "")
    return Notice(
        "Email not sent",
        join_sentences(f"Your email to {who} was not sent", reason, "It is open again in My follow-ups (f)"),
    )


def _customer_called(session: Session, customer_id: int) -> str:
    """The customer's name in a notice ("a customer" once erased)."""
    customer = session.get(Customer, customer_id)
    return customer.name if customer is not None and customer.erased_at is None else "a customer"


def _due_moved_notice(staff: Staff, names: dict[int, str], event: AuditEvent) -> Notice | None:
    """An owner whose follow-ups a lead's change of hours or holidays moved hears how many."""
    details = json.loads(event.details)
    mine = int(details.get("owners", {}).get(str(staff.id), 0))
    if not mine:
        return None
    reason = str(details.get("reason", "the shop's hours changed"))
    by = names.get(event.actor_id or -1, "a shift lead")
    return Notice(
        "Follow-ups moved",
        join_sentences(
            f"{reason[:1].upper()}{reason[1:]} ({by}): {counted(mine, 'follow-up')} of yours fell when "
            "the shop is closed and moved to when it is open",
            "See My follow-ups (f)",
        ),
    )


def _mail_hold_notice(ctx: ShopContext, actor: Actor, event: AuditEvent) -> Notice | None:
    """Everyone hears when the shop's mail setup starts holding email back (a shift lead
    what to check, anyone else to tell one), and when the server answers again."""
    details = json.loads(event.details)
    waiting = int(details.get("waiting", 0))
    if event.action == mail_hold.HELD:
        if not details.get("began") or not waiting:
            return None
        reason = str(details.get("reason", ""))
        return Notice(
            "Email held back",
            join_sentences(
                f"Email is not going out: {reason[:1].lower()}{reason[1:]}",
                f"{counted(waiting, 'email')} {'is' if waiting == 1 else 'are'} waiting in the outbox "
                "and will go once the server answers",
                mail_hold.what_to_do(actor, str(details.get("fix", ""))),
            ),
        )
    since = day_words(
        ctx.calendar, datetime.fromisoformat(str(details.get("since"))), ctx.now(), at_time=True
    )
    going = "is" if waiting == 1 else "are"
    return Notice(
        "Email going out",
        f"The mail server answers again: {counted(waiting, 'email')} held back since {since} "
        f"{going} going out.",
    )


def passed_while_away(ctx: ShopContext, actor: Actor) -> list[Notice]:
    """What `actor`, just signed in, missed while signed out: customers passed to them
    (an approved hand-off or a lead's reassignment) since their previous sign-in that are
    still in the shop and still theirs. A person who was not at a terminal when a customer
    became theirs hears it as soon as they sign in, wherever that is."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        sign_ins = session.exec(
            select(AuditEvent.id)
            .where(AuditEvent.action == SIGNED_IN, AuditEvent.actor_id == staff.id)
            .order_by(col(AuditEvent.id).desc())
            .limit(2)
        ).all()
        since = sign_ins[1] if len(sign_ins) > 1 else 0
        names = staff_names(session)
        events = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action).in_(PASSED_ACTIONS), col(AuditEvent.id) > since)
            .order_by(col(AuditEvent.id))
        )
        notices = []
        for event in events:
            if event.actor_id == staff.id or not _still_theirs(session, staff, event):
                continue
            notice = (
                _handoff_notice(session, staff, names, event)
                if event.action in HANDOFF_ACTIONS
                else _reassignment_notice(session, staff, names, event)
            )
            if notice is not None:
                notices.append(notice)
        return notices


def _still_theirs(session: Session, staff: Staff, event: AuditEvent) -> bool:
    """Whether the visit an approval or reassignment passed is still open and `staff`'s."""
    visit_id = event.entity_id
    if event.action == "handoff.approved":
        request = session.get(HandoffRequest, event.entity_id) if event.entity_id is not None else None
        visit_id = request.visit_id if request is not None else None
    visit = session.get(Visit, visit_id) if visit_id is not None else None
    return visit is not None and visit.ended_at is None and visit.owner_id == staff.id


def _who(session: Session, visit_id: int | None) -> str:
    visit = session.get(Visit, visit_id) if visit_id is not None else None
    if visit is None:
        return "a customer"
    customer = session.get(Customer, visit.customer_id) if visit.customer_id else None
    return visit_who(visit, customer)


def _handoff_notice(
    session: Session, staff: Staff, names: dict[int, str], event: AuditEvent
) -> Notice | None:
    request = session.get(HandoffRequest, event.entity_id) if event.entity_id is not None else None
    if request is None:
        return None
    who = _who(session, request.visit_id)
    asker, taker = names.get(request.from_staff_id, "?"), names.get(request.to_staff_id, "?")
    decider = names.get(request.decided_by or -1, "A shift lead")
    if event.action == "handoff.requested":
        if staff.id == request.from_staff_id or not allows(Actor.of(staff), Action.DECIDE_HANDOFF):
            return None
        message = join_sentences(f"{asker} asks to pass {who} to {taker}: {request.reason}")
        return Notice("Hand-off request", message, urgent=True, asks=Action.DECIDE_HANDOFF)
    if event.action == "handoff.approved" and staff.id == request.to_staff_id:
        message = join_sentences(f"{who} is now yours: {asker} passed them to you ({request.reason})")
        return Notice("Hand-off", join_sentences(message, f"{decider} approved it"))
    if staff.id != request.from_staff_id:
        return None
    if event.action == "handoff.approved":
        return Notice("Hand-off", f"{decider} approved your hand-off: {who} is now with {taker}.")
    return Notice(
        "Hand-off",
        join_sentences(
            f"{decider} denied your hand-off of {who}: {request.decision_note}", "You keep the customer"
        ),
    )


def _reassignment_notice(
    session: Session, staff: Staff, names: dict[int, str], event: AuditEvent
) -> Notice | None:
    details = json.loads(event.details)
    to_id, from_id = details.get("to_staff_id"), details.get("from_staff_id")
    if staff.id not in (to_id, from_id):
        return None
    who = _who(session, event.entity_id)
    by = names.get(event.actor_id or -1, "A shift lead")
    reason = details.get("reason", "")
    if staff.id == to_id:
        previous = f" (was with {names[from_id]})" if from_id in names else ""
        return Notice("Reassigned", join_sentences(f"{by} passed {who} to you{previous}: {reason}"))
    return Notice("Reassigned", join_sentences(f"{by} passed {who} to {names.get(to_id, '?')}: {reason}"))


def _followups_passed_notices(
    session: Session, staff: Staff, names: dict[int, str], events: list[AuditEvent]
) -> list[Notice]:
    """The new owner of follow-ups a lead passed on hears they are theirs now (they would
    sit on their list unseen), and the one they were taken from hears where they went:
    one notice for each lead, pair of owners and reason (a deactivation passes many)."""
    groups: dict[tuple[int | None, int, int, str], list[FollowUp]] = {}
    for event in events:
        details = json.loads(event.details)
        to_id, from_id = details.get("to_staff_id"), details.get("from_staff_id")
        followup = session.get(FollowUp, event.entity_id) if event.entity_id is not None else None
        if followup is not None and staff.id in (to_id, from_id):
            key = (event.actor_id, from_id, to_id, str(details.get("reason", "")))
            groups.setdefault(key, []).append(followup)
    return [_passed_notice(session, staff, names, key, moved) for key, moved in groups.items()]


def _passed_notice(
    session: Session,
    staff: Staff,
    names: dict[int, str],
    key: tuple[int | None, int, int, str],
    moved: list[FollowUp],
) -> Notice:
    actor_id, from_id, to_id, reason = key
    by = names.get(actor_id or -1, "A shift lead")
    if len(moved) == 1:
        who = _customer_called(session, moved[0].customer_id)
        label = FOLLOWUP_LABELS.get(moved[0].kind, "follow-up")
        article = "an" if label[:1] in "aeiou" else "a"
        yours, theirs = f"{article} {label} for {who}", f"your {label} for {who}"
    else:
        yours = theirs = counted(len(moved), "follow-up")
        theirs = f"{theirs} of yours"
    if staff.id == to_id:
        was = f" (was {names[from_id]}'s)" if from_id in names else ""
        return Notice("Follow-ups for you", join_sentences(f"{by} gave you {yours}{was}: {reason}"))
    return Notice(
        "Follow-ups passed on",
        join_sentences(f"{by} gave {theirs} to {names.get(to_id, 'a colleague')}: {reason}"),
    )


def _ending_notice(session: Session, staff: Staff, names: dict[int, str], event: AuditEvent) -> Notice | None:
    """The owner of a visit someone else ended (not by closing the day) or reopened."""
    visit = session.get(Visit, event.entity_id) if event.entity_id is not None else None
    if visit is None or visit.owner_id != staff.id:
        return None
    details = json.loads(event.details)
    who = _who(session, visit.id)
    by = names.get(event.actor_id or -1, "A shift lead")
    if event.action == "visit.ended":
        outcome = details.get("outcome", "")
        if outcome == Outcome.LEFT_AT_CLOSE:
            return None
        return Notice(
            "Visit ended", f"{by} ended your visit with {who}: {OUTCOME_LABELS.get(outcome, outcome)}."
        )
    withdrawn = "Its thank-you was withdrawn" if details.get("thank_you_cancelled") else ""
    return Notice(
        "Visit reopened",
        join_sentences(f"{by} reopened your visit with {who}: {details.get('reason', '')}", withdrawn),
    )
