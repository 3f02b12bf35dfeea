"""Follow-ups: callbacks and promises, and checking any follow-up off with what was done
(thank-yous are queued by `thank_yous.py`, status updates started by `status_updates.py`),
each owned by someone, due at a time computed from the store's hours, on a channel the
customer agreed to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Channel,
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Staff,
    Visit,
)
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.cadence import require_outreach_allowed, require_shop_callback_allowed
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels, load_customer, write_consent
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.permissions import Action, require, staff_target
from counter_tui.services.personal_line import require_personal
from counter_tui.services.queries import followup_views
from counter_tui.services.views import FollowUpView, MyFollowUps
from counter_tui.services.when import require_within_reach

CALLBACK_CHANNELS = (Channel.PHONE, Channel.SMS)


def _owner_for(session: Session, customer_id: int, actor_staff: Staff) -> int:
    """The owner of a new follow-up: the owner of the customer's open visit, else the actor."""
    owner_id = _visit_owner(session, customer_id)
    return owner_id if owner_id is not None else actor_staff.id or 0


def _visit_owner(session: Session, customer_id: int) -> int | None:
    """Who owns the customer's open visit (None: no open visit, or nobody has it)."""
    visit = session.exec(
        select(Visit).where(Visit.customer_id == customer_id, col(Visit.ended_at).is_(None))
    ).first()
    return visit.owner_id if visit is not None else None


def queued_words(ctx: ShopContext, actor: Actor, followup_id: int, done: str) -> str:
    """`done` ("Callback queued") as a sentence, saying whose the follow-up is when it is
    not the actor's: "Callback queued for Alex, who owns this customer." A follow-up added
    on a customer someone is serving is theirs, not whoever typed it (`_owner_for`)."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        followup = session.get(FollowUp, followup_id)
        if followup is None:
            raise NotFound("That follow-up no longer exists.")
        if followup.owner_id == staff.id:
            return f"{done}."
        owner = session.get(Staff, followup.owner_id)
        name = owner.name if owner is not None else "a colleague"
        if _visit_owner(session, followup.customer_id) == followup.owner_id:
            return f"{done} for {name}, who owns this customer."
        return f"{done} for {name}."


def add_callback(
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    *,
    about: str,
    channel: str = Channel.PHONE,
    consent_source: str = "",
    asked_by_customer: bool = True,
) -> int:
    """Queue a call back: due before today's close, or the next business day's close if
    asked within the last hour. Needs the customer's consent for the channel; give
    `consent_source` when they agree now, and it is recorded in the same transaction.
    A call the shop wants to place (not `asked_by_customer`) keeps to the contact cadence."""
    about = limited(about, "followup", param="about")
    if not about:
        raise InvalidInput("Say what the call is about, so whoever calls knows.", field="about")
    if channel not in CALLBACK_CHANNELS:
        raise InvalidInput("A callback is by phone or text message.")
    with ctx.database.write() as session:
        staff = require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        if consent_source.strip():
            write_consent(session, ctx, actor, customer_id, channel, granted=True, source=consent_source)
        elif channel not in consented_channels(session, customer_id):
            raise NotAllowed(
                f"{customer.name} has not agreed to be contacted by {CHANNEL_LABELS[channel]}. "
                "Ask them, and record that they agreed."
            )
        if not customer.phone:
            raise InvalidInput(f"{customer.name} has no phone number on file. Add one first.")
        if not asked_by_customer:
            require_shop_callback_allowed(session, ctx, customer)
        due = ctx.calendar.callback_due(ctx.now(), ctx.rules.followups.callback_cutoff_minutes)
        return insert_followup(
            session, ctx, actor, staff, customer_id, FollowUpKind.CALLBACK, channel, about, due
        )


def add_promise(
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    *,
    promise: str,
    due_at: datetime,
    channel: str = Channel.IN_PERSON,
) -> int:
    """Record something promised to a customer, due when the staff member said."""
    promise = limited(promise, "followup", param="promise")
    if not promise:
        raise InvalidInput("Say what was promised, in the words you used with the customer.", field="promise")
    if due_at.tzinfo is None:
        raise InvalidInput("The due time needs a time zone.")
    with ctx.database.write() as session:
        staff = require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        if due_at <= ctx.now():
            raise InvalidInput("The due time has already passed. Pick a time in the future.", field="due_at")
        if channel != Channel.IN_PERSON and channel not in consented_channels(session, customer_id):
            raise NotAllowed(
                f"{customer.name} has not agreed to be contacted by "
                f"{CHANNEL_LABELS.get(channel, channel)}. "
                "Use 'in person', or record their consent first."
            )
        return insert_followup(
            session, ctx, actor, staff, customer_id, FollowUpKind.PROMISE, channel, promise, due_at
        )


def insert_followup(
    session: Session,
    ctx: ShopContext,
    actor: Actor | None,
    staff: Staff | None,
    customer_id: int,
    kind: str,
    channel: str,
    summary: str,
    due_at: datetime,
    *,
    owner_id: int | None = None,
    visit_id: int | None = None,
    personal_line: str = "",
    every_days: int | None = None,
    audit_details: Mapping[str, object] | None = None,
) -> int:
    """Add a follow-up and its audit event inside the caller's transaction. Without a
    `staff` (the shop itself acting), `owner_id` must be given. Every follow-up is
    created through here, so none is due more than a year ahead."""
    require_within_reach(due_at, ctx.calendar, ctx.now(), field="due_at")
    if owner_id is None:
        assert staff is not None, "a follow-up the shop queues by itself names its owner"
        owner_id = _owner_for(session, customer_id, staff)
    followup = FollowUp(
        every_days=every_days,
        customer_id=customer_id,
        visit_id=visit_id,
        personal_line=personal_line,
        kind=kind,
        owner_id=owner_id,
        channel=channel,
        summary=summary,
        due_at=due_at,
        created_at=ctx.now(),
        created_by=staff.id if staff is not None else actor.staff_id if actor is not None else None,
    )
    session.add(followup)
    session.flush()
    audit.record(
        session,
        ctx,
        actor,
        "followup.queued",
        "followup",
        followup.id,
        kind=kind,
        customer_id=customer_id,
        visit_id=visit_id,
        due_at=due_at,
        **(audit_details or {}),
    )
    assert followup.id is not None
    return followup.id


def load_open(session: Session, followup_id: int) -> FollowUp:
    """The follow-up, if it is still open; otherwise a sentence saying why not."""
    followup = session.get(FollowUp, followup_id)
    if followup is None:
        raise NotFound("That follow-up no longer exists.")
    if followup.status != FollowUpStatus.OPEN:
        raise Conflict(f"This follow-up is already {followup.status}.")
    return followup


def require_owner_or_lead(session: Session, actor: Actor, followup: FollowUp) -> Staff:
    """The acting staff member, if they own the follow-up or are a shift lead."""
    return require(session, actor, Action.WORK_ON_FOLLOWUP, staff_target(session, followup.owner_id))


def complete_followup(
    ctx: ShopContext,
    actor: Actor,
    followup_id: int,
    *,
    what_was_done: str,
    personal_line: str = "",
    customer_informed: bool = False,
    still_open: bool = False,
    reached_by: str | None = None,
) -> None:
    """Check a follow-up off, saying what was done. A thank-you needs a personal line;
    a status update on an order or repair that is `still_open` queues the next one;
    `reached_by` is how it reached the customer when not on its channel (an email left
    unsent and the customer told in person)."""
    with ctx.database.write() as session:
        followup = load_open(session, followup_id)
        staff = require_owner_or_lead(session, actor, followup)
        complete_followup_in(
            session,
            ctx,
            actor,
            followup,
            staff,
            what_was_done=what_was_done,
            personal_line=personal_line,
            customer_informed=customer_informed,
            still_open=still_open,
            reached_by=reached_by,
        )


def complete_followup_in(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    followup: FollowUp,
    staff: Staff,
    *,
    what_was_done: str,
    personal_line: str = "",
    customer_informed: bool = False,
    still_open: bool = False,
    reached_by: str | None = None,
) -> None:
    """`complete_followup` inside the caller's transaction (completing by email writes its
    outbox message in the same one), for a follow-up already loaded open and permitted."""
    what_was_done = limited(what_was_done, "what_was_done")
    if not what_was_done:
        raise InvalidInput(
            "Say what was done (e.g. 'Called, left a message about the repair').", field="what_was_done"
        )
    personal_line = limited(personal_line, "personal_line")
    customer = load_customer(session, followup.customer_id)
    if reached_by is not None and reached_by != followup.channel:
        followup.channel = _reachable_by(session, customer, reached_by)
    require_outreach_allowed(session, ctx, followup, customer)
    if followup.kind == FollowUpKind.THANK_YOU:
        line = personal_line or followup.personal_line
        require_personal(line, followup.summary)
        followup.personal_line = line
    followup.status = FollowUpStatus.DONE
    followup.done_at, followup.done_by = ctx.now(), staff.id
    followup.outcome_note = what_was_done
    followup.customer_informed = customer_informed or followup.kind != FollowUpKind.PROMISE
    session.add(followup)
    audit.record(
        session,
        ctx,
        actor,
        "followup.done",
        "followup",
        followup.id,
        kind=followup.kind,
        on_time=followup.done_at <= (followup.original_due_at or followup.due_at),
        channel=followup.channel,
    )
    if followup.kind == FollowUpKind.STATUS_UPDATE and still_open:
        insert_followup(
            session,
            ctx,
            actor,
            staff,
            followup.customer_id,
            FollowUpKind.STATUS_UPDATE,
            followup.channel,
            followup.summary,
            status_update_due(ctx, ctx.now(), followup.every_days),
            owner_id=followup.owner_id,
            every_days=followup.every_days,
        )


def _reachable_by(session: Session, customer: Customer, channel: str) -> str:
    """`channel`, when the customer may be reached that way: in person always, another
    channel only with their consent (the customer view and the cadence read it back)."""
    if channel not in set(Channel):
        raise InvalidInput(f"Unknown way to reach a customer: {channel!r}.", field="reached_by")
    if channel != Channel.IN_PERSON and channel not in consented_channels(session, customer.id or 0):
        raise NotAllowed(
            f"{customer.name} has not agreed to be contacted by {CHANNEL_LABELS[channel]}. "
            "Choose in person, or record their consent first."
        )
    return channel


def cancel_followup(ctx: ShopContext, actor: Actor, followup_id: int, *, reason: str) -> None:
    """Cancel a follow-up that no longer applies, with the reason."""
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput(
            "Say why it is cancelled (e.g. 'customer collected it in person').", field="reason"
        )
    with ctx.database.write() as session:
        followup = load_open(session, followup_id)
        require_owner_or_lead(session, actor, followup)
        followup.status, followup.cancel_reason = FollowUpStatus.CANCELLED, reason
        followup.done_at, followup.done_by = ctx.now(), actor.staff_id
        session.add(followup)
        audit.record(session, ctx, actor, "followup.cancelled", "followup", followup_id, reason=reason)


def my_followups(ctx: ShopContext, actor: Actor) -> MyFollowUps:
    """The actor's open follow-ups: overdue, due today, and upcoming."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        views = followup_views(
            session,
            ctx,
            select(FollowUp)
            .where(FollowUp.owner_id == staff.id, FollowUp.status == FollowUpStatus.OPEN)
            .order_by(col(FollowUp.due_at)),
        )
    return grouped(ctx, views)


def grouped(ctx: ShopContext, views: Iterable[FollowUpView]) -> MyFollowUps:
    """Open follow-ups in the three groups My follow-ups shows, soonest due first in each
    (the same for the whole list read and for rows a change read again)."""
    now = ctx.now()
    end_of_today = ctx.calendar.end_of_today(now)
    ordered = sorted(views, key=lambda view: (view.due_at, view.id))
    return MyFollowUps(
        overdue=tuple(v for v in ordered if v.due_at < now),
        due_today=tuple(v for v in ordered if now <= v.due_at < end_of_today),
        upcoming=tuple(v for v in ordered if v.due_at >= end_of_today),
    )


def followup(ctx: ShopContext, actor: Actor, followup_id: int) -> FollowUpView:
    """One follow-up as the completion dialog shows it."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        views = followup_views(session, ctx, select(FollowUp).where(FollowUp.id == followup_id))
    if not views:
        raise NotFound("That follow-up no longer exists.")
    return views[0]


def status_update_due(ctx: ShopContext, from_moment: datetime, every_days: int | None = None) -> datetime:
    """When the next status update on an open order or repair falls due: `every_days` on
    (the shop's `status_update_every_days` when None), at close, on an open day."""
    days = every_days or ctx.rules.followups.status_update_every_days
    return ctx.calendar.status_update_due(from_moment, days)
