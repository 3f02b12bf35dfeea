"""Who may do what: every rule of the shop in one place.

The services ask `require` before they change anything and refuse with the sentence it
gives; the screens ask `refusal` (or `allows`) with the same actor and target to decide
which keys to offer and what to explain. So a screen never offers what the service
refuses, and no rule is written twice.

The rules, by who is acting:
- a **kiosk** only checks customers in;
- an **associate** claims unowned customers; works on a visit they own or help on, or
  that nobody owns yet; brings in a helper, asks for a hand-off and ends the visits they
  own; works their own follow-ups; keeps any customer's record;
- a **shift lead** may do all of that to anyone's visit or follow-up, and everything
  marked lead-only below (deciding hand-offs, reassigning, reopening, closing the day,
  the review screens, staff, kudos, merging and erasing customers, the shop's settings,
  backups, restores, exports and retention).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, select

from counter_tui.db.models import Outcome, Staff, Visit, VisitHelper
from counter_tui.errors import AlreadyOwned, Conflict, DomainError, InvalidInput, NotAllowed
from counter_tui.services.context import KIOSK_SENTENCE, Actor, ShopContext, load_staff_actor


class Action(StrEnum):
    """Something a person may or may not do; the value completes "Only a shift lead can …"."""

    CHECK_IN = "check a customer in"
    START_VISIT = "start a visit for a customer on file"
    CLAIM_VISIT = "claim a customer"
    WORK_ON_VISIT = "work on this visit"
    ADD_HELPER = "bring in a helper"
    END_VISIT = "end a visit"
    END_VISIT_UNSERVED = "end a visit as left unserved"
    REQUEST_HANDOFF = "ask for a hand-off"
    WITHDRAW_HANDOFF = "withdraw a hand-off"
    VIEW = "look at customers, visits and your own work"
    SIGN_OUT = "sign out"
    KEEP_CUSTOMER_RECORD = "keep a customer's record"
    WORK_ON_FOLLOWUP = "work on this follow-up"
    RESTORE_FOLLOWUP = "restore a follow-up"
    # Lead-only.
    DECIDE_HANDOFF = "decide hand-offs"
    SEE_ALL_HANDOFFS = "see everyone's hand-off requests"
    REASSIGN_VISIT = "reassign a customer"
    REOPEN_VISIT = "reopen a visit"
    REASSIGN_FOLLOWUP = "reassign a follow-up"
    MERGE_CUSTOMERS = "merge customer records"
    UNDO_MERGE = "undo a merge"
    ERASE_CUSTOMER = "erase a customer's personal data"
    CLOSE_DAY = "close the day"
    UNDO_DAY_CLOSE = "undo a day close"
    REVIEW_FLAGGED = "review flagged visits"
    SEE_END_OF_DAY = "see the end-of-day check"
    SEE_FLOOR_HEALTH = "see floor health"
    SEE_ESCALATIONS = "see escalations"
    SEE_HANDOFF_LOG = "see the hand-off log"
    SEE_AUDIT_LOG = "see the audit log"
    OVERSEE_FOLLOWUPS = "oversee follow-ups"
    SEE_UNRETURNED_CALLS = "see unreturned calls"
    SEE_SCORECARD = "see the scorecard"
    SEE_FEEDBACK_BOARD = "see the feedback board"
    CHANGE_FEEDBACK_BOARD = "change the feedback board"
    GIVE_KUDOS = "give kudos"
    ADD_STAFF = "add staff"
    CHANGE_PIN = "change a PIN"
    DEACTIVATE_STAFF = "deactivate staff"
    REACTIVATE_STAFF = "reactivate staff"
    CLEAR_LOCKOUT = "clear a lockout"
    MANAGE_STAFF = "manage staff"
    CHANGE_SHOP_SETTINGS = "change the shop's settings"
    BACK_UP_DATABASE = "back up the shop's database"
    RESTORE_DATABASE = "restore the shop's database from a backup"
    EXPORT_DATA = "export the shop's customers, visits and follow-ups"
    SUBJECT_ACCESS = "export everything held about a customer"
    IMPORT_CUSTOMERS = "import customers from a till"
    APPLY_RETENTION = "apply the shop's retention rules"
    # Allowed by a lead's PIN typed where it is needed, whoever is signed in.
    UNLOCK_KIOSK = "unlock the kiosk"
    CLOSE_STAFF_APP = "close the staff app"
    ALLOW_COMMAND = "allow a command-line change"


LEAD_ONLY = frozenset(
    {
        Action.DECIDE_HANDOFF,
        Action.SEE_ALL_HANDOFFS,
        Action.REASSIGN_VISIT,
        Action.REOPEN_VISIT,
        Action.REASSIGN_FOLLOWUP,
        Action.MERGE_CUSTOMERS,
        Action.UNDO_MERGE,
        Action.ERASE_CUSTOMER,
        Action.CLOSE_DAY,
        Action.UNDO_DAY_CLOSE,
        Action.REVIEW_FLAGGED,
        Action.SEE_END_OF_DAY,
        Action.SEE_FLOOR_HEALTH,
        Action.SEE_ESCALATIONS,
        Action.SEE_HANDOFF_LOG,
        Action.SEE_AUDIT_LOG,
        Action.OVERSEE_FOLLOWUPS,
        Action.SEE_UNRETURNED_CALLS,
        Action.SEE_SCORECARD,
        Action.SEE_FEEDBACK_BOARD,
        Action.CHANGE_FEEDBACK_BOARD,
        Action.GIVE_KUDOS,
        Action.ADD_STAFF,
        Action.CHANGE_PIN,
        Action.DEACTIVATE_STAFF,
        Action.REACTIVATE_STAFF,
        Action.CLEAR_LOCKOUT,
        Action.MANAGE_STAFF,
        Action.CHANGE_SHOP_SETTINGS,
        Action.BACK_UP_DATABASE,
        Action.RESTORE_DATABASE,
        Action.EXPORT_DATA,
        Action.SUBJECT_ACCESS,
        Action.IMPORT_CUSTOMERS,
        Action.APPLY_RETENTION,
        Action.UNLOCK_KIOSK,
        Action.CLOSE_STAFF_APP,
        Action.ALLOW_COMMAND,
    }
)
"""Actions only a shift lead may take (the review screens, staff, and decisions about
other people's work)."""

_Rule = Callable[[Actor, "Target"], "Refusal | None"]


@dataclass(frozen=True)
class Target:
    """What an action is done to, as far as the rules care: whose it is and who helps.

    `owner_id` is the visit's owner, the follow-up's owner, the hand-off's requester, or
    the staff member concerned (kudos, deactivation); `owner_since` is the owner's claim
    time as the shop's clock shows it ("" when there is none)."""

    owner_id: int | None = None
    owner_name: str = ""
    owner_since: str = ""
    helper_ids: frozenset[int] = field(default_factory=frozenset)


NOBODY = Target()
"""The target of actions that concern no one's work (e.g. closing the day)."""


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: the sentence to show, and the error the service raises."""

    sentence: str
    kind: type[DomainError] = NotAllowed

    def error(self) -> DomainError:
        """The domain error a service raises for this refusal."""
        return self.kind(self.sentence)


def owned_sentence(owner_name: str, owner_since: str) -> str:
    """The sentence a non-owner sees: who has the customer, since when, and what to do."""
    name = owner_name or "A colleague"
    since = f" since {owner_since}" if owner_since else ""
    return f"{name} has this customer{since}. Ask {name}, or a shift lead can approve a hand-off."


def refusal(actor: Actor, action: Action, target: Target = NOBODY) -> Refusal | None:
    """Why `actor` may not take `action` on `target`, or None when they may."""
    if actor.is_kiosk:
        return None if action == Action.CHECK_IN else Refusal(KIOSK_SENTENCE)
    if action in LEAD_ONLY and not actor.is_lead:
        return Refusal(f"Only a shift lead can {action}. Ask a shift lead.")
    rule = _TARGET_RULES.get(action)
    return rule(actor, target) if rule is not None else None


def allows(actor: Actor, action: Action, target: Target = NOBODY) -> bool:
    """Whether `actor` may take `action` on `target` (for screens deciding what to offer)."""
    return refusal(actor, action, target) is None


def ending(outcome: str) -> Action:
    """What ending a visit with `outcome` asks for: anyone may end an unclaimed visit as
    left unserved; any other outcome needs its owner or a lead."""
    return Action.END_VISIT_UNSERVED if outcome == Outcome.LEFT_UNSERVED else Action.END_VISIT


def check(actor: Actor, action: Action, target: Target = NOBODY) -> None:
    """Raise the refusal, if any, as a domain error: for an actor with no staff row to
    load (a kiosk); signed-in staff go through `require`."""
    refused = refusal(actor, action, target)
    if refused is not None:
        raise refused.error()


def require(session: Session, actor: Actor, action: Action, target: Target = NOBODY) -> Staff:
    """The actor's staff row if they may take `action` on `target`; otherwise the refusal
    as a domain error. The role is read from the database, so a change of role counts
    at once. (Kiosks and deactivated staff are refused here too.)"""
    staff = load_staff_actor(session, actor)
    check(Actor.of(staff), action, target)
    return staff


def bare(target: Target) -> Target:
    """A target as far as whose it is: the owner's id alone, no name, time or helpers."""
    return Target(owner_id=target.owner_id)


def require_visit(session: Session, ctx: ShopContext, actor: Actor, action: Action, visit: Visit) -> Staff:
    """`require` for an action on `visit`. Asked with the owner's id alone first, which
    decides every rule but a helper's (the owner's name and claim time only make the
    sentence; helpers only let more people in): the owner's row, the time and the helpers
    are read, and the question asked again, only when that refuses. So the owner's own
    writes, and a lead's, read no more than they need while they hold the write lock."""
    staff = load_staff_actor(session, actor)
    who = Actor.of(staff)
    if refusal(who, action, Target(owner_id=visit.owner_id)) is not None:
        check(who, action, visit_target(session, ctx, visit))
    return staff


def visit_target(session: Session, ctx: ShopContext, visit: Visit) -> Target:
    """A visit as a target: its owner (by name, since when) and its helpers."""
    owner = session.get(Staff, visit.owner_id) if visit.owner_id is not None else None
    since = ctx.calendar.local(visit.owner_since).format("HH:mm") if visit.owner_since else ""
    helpers = session.exec(select(VisitHelper.staff_id).where(VisitHelper.visit_id == visit.id))
    return Target(
        owner_id=visit.owner_id,
        owner_name=owner.name if owner is not None else "",
        owner_since=since,
        helper_ids=frozenset(helpers),
    )


def staff_target(session: Session, staff_id: int | None) -> Target:
    """A staff member's work (a follow-up they own, a request they made) as a target."""
    person = session.get(Staff, staff_id) if staff_id is not None else None
    return Target(owner_id=staff_id, owner_name=person.name if person is not None else "")


def _owns(actor: Actor, target: Target) -> bool:
    return target.owner_id is not None and target.owner_id == actor.staff_id


def _not_theirs(target: Target) -> Refusal:
    return Refusal(owned_sentence(target.owner_name, target.owner_since), AlreadyOwned)


def _work_on_visit(actor: Actor, target: Target) -> Refusal | None:
    if target.owner_id is None or _owns(actor, target) or actor.is_lead:
        return None
    return None if actor.staff_id in target.helper_ids else _not_theirs(target)


def _owner_or_lead(actor: Actor, target: Target) -> Refusal | None:
    return None if _owns(actor, target) or actor.is_lead else _not_theirs(target)


def _add_helper(actor: Actor, target: Target) -> Refusal | None:
    if target.owner_id is None:
        return Refusal("Claim this customer first; then you can bring in a helper.", Conflict)
    return _owner_or_lead(actor, target)


def _end_visit(actor: Actor, target: Target) -> Refusal | None:
    """A purchase or no purchase needs someone who served them; a shift lead too (a sale
    nobody served would hide a walk-out and credit nobody)."""
    if target.owner_id is None:
        return Refusal(
            "Nobody has claimed this customer. Claim them first, or end as 'left unserved'.", Conflict
        )
    return _owner_or_lead(actor, target)


def _end_unserved(actor: Actor, target: Target) -> Refusal | None:
    return None if target.owner_id is None else _owner_or_lead(actor, target)


def _request_handoff(actor: Actor, target: Target) -> Refusal | None:
    if target.owner_id is None:
        return Refusal(
            "Nobody owns this customer yet, so there is nothing to hand off. Claim them.", Conflict
        )
    return None if _owns(actor, target) else _not_theirs(target)


def _withdraw_handoff(actor: Actor, target: Target) -> Refusal | None:
    if _owns(actor, target):
        return None
    return Refusal("Only the person who asked for this hand-off can withdraw it.")


def _followup_owner_or_lead(then: str) -> _Rule:
    def rule(actor: Actor, target: Target) -> Refusal | None:
        if _owns(actor, target) or actor.is_lead:
            return None
        name = target.owner_name or "its owner"
        return Refusal(f"This follow-up is {name}'s. Ask {name}, or a shift lead can {then}.")

    return rule


def _not_yourself(sentence: str, kind: type[DomainError] = NotAllowed) -> _Rule:
    def rule(actor: Actor, target: Target) -> Refusal | None:
        return Refusal(sentence, kind) if _owns(actor, target) else None

    return rule


_TARGET_RULES: dict[Action, _Rule] = {
    Action.WORK_ON_VISIT: _work_on_visit,
    Action.ADD_HELPER: _add_helper,
    Action.END_VISIT: _end_visit,
    Action.END_VISIT_UNSERVED: _end_unserved,
    Action.REQUEST_HANDOFF: _request_handoff,
    Action.WITHDRAW_HANDOFF: _withdraw_handoff,
    Action.WORK_ON_FOLLOWUP: _followup_owner_or_lead("reassign it"),
    Action.RESTORE_FOLLOWUP: _followup_owner_or_lead("restore it"),
    Action.DEACTIVATE_STAFF: _not_yourself("You cannot deactivate yourself. Ask another shift lead."),
    Action.GIVE_KUDOS: _not_yourself(
        "Kudos are for a colleague. Pick someone other than yourself.", InvalidInput
    ),
}
"""Rules that depend on whose the target is; actions not listed only depend on the role."""
