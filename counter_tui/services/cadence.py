"""No hounding: the contact-cadence rule (`followups.contact_cadence_days`), one mechanism
for every kind of outreach.

Outreach is what the shop starts: a thank-you, a callback the shop places, a status
update and a "feedback acted on" message. While anything reached the customer within
the cadence (any follow-up done with the customer told, on any channel), outreach
waits: a thank-you is not queued, a callback the shop wants to place is refused, a
feedback message is queued for when the cadence allows, and completing an outreach by
phone, text or email is refused until then (in person is never held: they came to us).
What the customer asked for is never held, though it counts as contact: a callback they
requested, a promise kept, an apology they are owed.

An email reaches the customer when the shop's mail server takes it: it counts as contact
from then (`sent_at`), not from when it was written, so the customer's quiet days start
when they got it. An email written and not yet taken (waiting, retried, held back by an
outage) is no contact yet, but it holds outreach while it waits: the shop has already
reached out, and a second outreach meanwhile would arrive together with it. One the server
never takes (refused, withdrawn, held back too long) opens its follow-up again, and then
holds nothing and counts as nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Channel,
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    OutboxMessage,
    OutboxStatus,
)
from counter_tui.errors import NotAllowed
from counter_tui.sentences import counted
from counter_tui.services.context import ShopContext
from counter_tui.services.labels import CHANNEL_LABELS, FOLLOWUP_LABELS
from counter_tui.services.when import day_words

OUTREACH_KINDS = (FollowUpKind.THANK_YOU, FollowUpKind.STATUS_UPDATE, FollowUpKind.FEEDBACK_ACTED_ON)
"""Follow-ups the shop starts (with a callback the shop places, checked when it is asked)."""


@dataclass(frozen=True)
class LastContact:
    """When the customer was last reached, how, and by which kind of follow-up; or, not
    `delivered`, an email written at `at` that the mail server has not taken yet, with
    why it has not gone (`not_sent_why`, "" when it has not been tried)."""

    at: datetime
    channel: str
    kind: str
    delivered: bool = True
    not_sent_why: str = ""

    def how(self) -> str:
        """E.g. "by email (thank-you)"; in person reads "in person (promise)"."""
        channel = "in person" if self.channel == Channel.IN_PERSON else f"by {CHANNEL_LABELS[self.channel]}"
        return f"{channel} ({FOLLOWUP_LABELS.get(self.kind, self.kind)})"

    def kind_label(self) -> str:
        """The follow-up's kind in words, e.g. "thank-you"."""
        return FOLLOWUP_LABELS.get(self.kind, self.kind)


_ON_ITS_WAY = (OutboxStatus.PENDING, OutboxStatus.SENDING)
_LIVE = (*_ON_ITS_WAY, OutboxStatus.SENT)


def _told(customer_id: int, excluding: int | None) -> list[ColumnElement[bool]]:
    """Follow-ups of the customer done with them told (but `excluding`)."""
    conditions: list[ColumnElement[bool]] = [
        col(FollowUp.customer_id) == customer_id,
        col(FollowUp.status) == FollowUpStatus.DONE,
        col(FollowUp.customer_informed).is_(True),
        col(FollowUp.done_at).is_not(None),
    ]
    if excluding is not None:
        conditions.append(col(FollowUp.id) != excluding)
    return conditions


def last_contact(session: Session, customer_id: int, *, excluding: int | None = None) -> LastContact | None:
    """The latest contact that reached the customer: a follow-up done with the customer
    told (`excluding` one being done now), when it was done, or, sent by email, when the
    mail server took it. An email not yet taken is none (`email_not_yet_sent`)."""
    without_email = (
        select(FollowUp)
        .where(
            *_told(customer_id, excluding),
            ~select(OutboxMessage.id)
            .where(OutboxMessage.followup_id == FollowUp.id, col(OutboxMessage.status).in_(_LIVE))
            .exists(),
        )
        .order_by(col(FollowUp.done_at).desc(), col(FollowUp.id).desc())
        .limit(1)
    )
    emailed = (
        select(FollowUp, OutboxMessage)
        .join(OutboxMessage, col(OutboxMessage.followup_id) == col(FollowUp.id))
        .where(*_told(customer_id, excluding), OutboxMessage.status == OutboxStatus.SENT)
        .order_by(col(OutboxMessage.sent_at).desc(), col(OutboxMessage.id).desc())
        .limit(1)
    )
    contacts = []
    row = session.exec(without_email).first()
    if row is not None and row.done_at is not None:
        contacts.append(LastContact(row.done_at, row.channel, row.kind))
    sent = session.exec(emailed).first()
    if sent is not None and sent[1].sent_at is not None:
        contacts.append(LastContact(sent[1].sent_at, Channel.EMAIL, sent[0].kind))
    return max(contacts, key=lambda contact: contact.at, default=None)


def email_not_yet_sent(
    session: Session, customer_id: int, *, excluding: int | None = None
) -> LastContact | None:
    """The latest email written to the customer that the mail server has not taken yet
    (waiting, retried or held back), as an undelivered `LastContact`."""
    row = session.exec(
        select(FollowUp, OutboxMessage)
        .join(OutboxMessage, col(OutboxMessage.followup_id) == col(FollowUp.id))
        .where(*_told(customer_id, excluding), col(OutboxMessage.status).in_(_ON_ITS_WAY))
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    followup, message = row
    why = message.last_error.strip().rstrip(".")
    return LastContact(message.created_at, Channel.EMAIL, followup.kind, delivered=False, not_sent_why=why)


def holding_contact(
    session: Session, ctx: ShopContext, customer_id: int, *, excluding: int | None = None
) -> LastContact | None:
    """The contact that holds outreach to this customer now, if any: an email not yet
    sent, however long it has waited, else the last contact within the cadence."""
    days = ctx.rules.followups.contact_cadence_days
    if days <= 0:
        return None
    waiting = email_not_yet_sent(session, customer_id, excluding=excluding)
    if waiting is not None:
        return waiting
    last = last_contact(session, customer_id, excluding=excluding)
    if last is None or last.at <= ctx.now() - timedelta(days=days):
        return None
    return last


def allowed_from(ctx: ShopContext, contact: LastContact) -> datetime:
    """When the cadence lets the shop reach out again after `contact` (after an email not
    yet sent, the soonest it could: were it to go now)."""
    start = contact.at if contact.delivered else max(contact.at, ctx.now())
    return start + timedelta(days=ctx.rules.followups.contact_cadence_days)


def held_sentence(ctx: ShopContext, customer: Customer, contact: LastContact) -> str:
    """Why outreach waits, and until when, in words (no full stop at the end)."""
    when = day_words(ctx.calendar, contact.at, ctx.now())
    days = ctx.rules.followups.contact_cadence_days
    hound = f"the shop reaches out at most once every {counted(days, 'day')} so as not to hound them"
    if not contact.delivered:
        return (
            f"{customer.name} has an email from the shop not yet sent ({contact.kind_label()}, written "
            f"{when}), and {hound}: not before {counted(days, 'day')} after it goes"
        )
    until = day_words(ctx.calendar, allowed_from(ctx, contact), ctx.now(), at_time=True)
    return f"{customer.name} was contacted on {when} {contact.how()}, and {hound}: not before {until}"


def contact_words(ctx: ShopContext, last: LastContact | None, waiting: LastContact | None) -> str:
    """The customer record's "Last contacted": e.g. "Fri 20 Nov by email (thank-you)", and
    an email not yet sent after it ("…; email queued Mon 23 Nov (thank-you), not yet sent:
    why"); "" when neither."""
    parts = []
    if last is not None:
        parts.append(f"{day_words(ctx.calendar, last.at, ctx.now())} {last.how()}")
    elif waiting is not None:
        parts.append("not yet")
    if waiting is not None:
        written = day_words(ctx.calendar, waiting.at, ctx.now())
        queued = f"email queued {written} ({waiting.kind_label()}), not yet sent"
        if waiting.not_sent_why:
            why = waiting.not_sent_why
            queued += f": {why[:1].lower()}{why[1:]}"
        parts.append(queued)
    return "; ".join(parts)


def require_outreach_allowed(
    session: Session, ctx: ShopContext, followup: FollowUp, customer: Customer
) -> None:
    """Refuse completing an outreach follow-up by phone, text or email within the cadence."""
    if followup.kind not in OUTREACH_KINDS or followup.channel == Channel.IN_PERSON:
        return
    contact = holding_contact(session, ctx, followup.customer_id, excluding=followup.id)
    if contact is not None:
        raise NotAllowed(f"{held_sentence(ctx, customer, contact)}. Snooze it until then, or cancel it.")


def require_shop_callback_allowed(session: Session, ctx: ShopContext, customer: Customer) -> None:
    """Refuse a callback the shop wants to place within the cadence (one the customer
    asked for is never held, and is not checked here)."""
    contact = holding_contact(session, ctx, customer.id or 0)
    if contact is not None:
        raise NotAllowed(
            f"{held_sentence(ctx, customer, contact)}. If they asked for this call, tick that they asked, "
            "and it is queued."
        )
