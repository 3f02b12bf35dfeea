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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from counter_tui.db.models import Channel, Customer, FollowUp, FollowUpKind, FollowUpStatus
from counter_tui.errors import NotAllowed
from counter_tui.sentences import counted
from counter_tui.services.context import ShopContext
from counter_tui.services.labels import CHANNEL_LABELS, FOLLOWUP_LABELS
from counter_tui.services.when import day_words

OUTREACH_KINDS = (FollowUpKind.THANK_YOU, FollowUpKind.STATUS_UPDATE, FollowUpKind.FEEDBACK_ACTED_ON)
"""Follow-ups the shop starts (with a callback the shop places, checked when it is asked)."""


@dataclass(frozen=True)
class LastContact:
    """When the customer was last reached, how, and by which kind of follow-up."""

    at: datetime
    channel: str
    kind: str

    def how(self) -> str:
        """E.g. "by email (thank-you)"; in person reads "in person (promise)"."""
        channel = "in person" if self.channel == Channel.IN_PERSON else f"by {CHANNEL_LABELS[self.channel]}"
        return f"{channel} ({FOLLOWUP_LABELS.get(self.kind, self.kind)})"


def last_contact(session: Session, customer_id: int, *, excluding: int | None = None) -> LastContact | None:
    """The latest follow-up done with the customer told (`excluding` one being done now)."""
    statement = (
        select(FollowUp)
        .where(
            FollowUp.customer_id == customer_id,
            FollowUp.status == FollowUpStatus.DONE,
            col(FollowUp.customer_informed).is_(True),
            col(FollowUp.done_at).is_not(None),
        )
        .order_by(col(FollowUp.done_at).desc(), col(FollowUp.id).desc())
        .limit(1)
    )
    if excluding is not None:
        statement = statement.where(FollowUp.id != excluding)
    row = session.exec(statement).first()
    if row is None or row.done_at is None:
        return None
    return LastContact(row.done_at, row.channel, row.kind)


def holding_contact(
    session: Session, ctx: ShopContext, customer_id: int, *, excluding: int | None = None
) -> LastContact | None:
    """The contact that holds outreach to this customer now (within the cadence), if any."""
    days = ctx.rules.followups.contact_cadence_days
    last = last_contact(session, customer_id, excluding=excluding)
    if days <= 0 or last is None or last.at <= ctx.now() - timedelta(days=days):
        return None
    return last


def allowed_from(ctx: ShopContext, contact: LastContact) -> datetime:
    """When the cadence lets the shop reach out again after `contact`."""
    return contact.at + timedelta(days=ctx.rules.followups.contact_cadence_days)


def held_sentence(ctx: ShopContext, customer: Customer, contact: LastContact) -> str:
    """Why outreach waits, and until when, in words (no full stop at the end)."""
    when = day_words(ctx.calendar, contact.at, ctx.now())
    until = day_words(ctx.calendar, allowed_from(ctx, contact), ctx.now(), at_time=True)
    days = ctx.rules.followups.contact_cadence_days
    return (
        f"{customer.name} was contacted on {when} {contact.how()}, and the shop reaches out at most once "
        f"every {counted(days, 'day')} so as not to hound them: not before {until}"
    )


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
