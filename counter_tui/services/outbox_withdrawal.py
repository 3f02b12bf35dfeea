"""Email a customer may no longer get is withdrawn, never sent: one mechanism for each way
that happens, both inside a write transaction with their audit events.

- Erasing a customer (`erasure.erase_customer`) calls `erase_outbox` in its own
  transaction: every unsent message about them is withdrawn, and every outbox row about
  them, sent ones too, keeps only what the audit needs (status, times, attempts, who
  wrote it, its Message-ID); the address, subject and body go.
- Everything else (email consent withdrawn, the address changed, or an erasure that a
  completion's write raced past) is caught by the sender: `mail_sender` asks
  `reason_not_to_send` inside the transaction of its claim, and withdraws the message
  instead of sending it, opening its follow-up again so the owner hears why. Recording a
  consent withdrawal or a new address does not touch the outbox; the claim is the only
  check, so a message cannot slip between two mechanisms.

A message already handed to a sender (mid-conversation with the server) when its
customer is erased is withdrawn and scrubbed all the same; if the server had accepted
it, the `mail.sent` event says it went after the withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from email.utils import parseaddr

from sqlmodel import Session, col, select

from counter_tui.db.models import Channel, Customer, FollowUp, OutboxMessage, OutboxStatus
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels

WITHDRAWN = "mail.withdrawn"
"""The audit action of a message withdrawn before it was sent (details: the reason)."""
ERASED = "Withdrawn: the customer's data was erased."
NO_CONSENT = "Withdrawn: they no longer agree to be contacted by email."
ADDRESS_CHANGED = "Withdrawn: their email address changed after it was written; send it again."
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)
SCRUBBED_TEXT = "(erased)"


def reason_not_to_send(session: Session, message: OutboxMessage) -> str:
    """Why this message may not go now (one sentence), or "" when it may: its customer
    was erased, no longer agrees to email, or no longer has the address it was written to."""
    followup = session.get(FollowUp, message.followup_id) if message.followup_id is not None else None
    if followup is None:
        return ""  # every message is written for a follow-up; nothing here says whose it is
    customer = session.get(Customer, followup.customer_id)
    if customer is None or customer.erased_at is not None:
        return ERASED
    if Channel.EMAIL not in consented_channels(session, followup.customer_id):
        return NO_CONSENT
    if parseaddr(message.to_address)[1].strip().casefold() != customer.email.strip().casefold():
        return ADDRESS_CHANGED
    return ""


def withdraw(
    session: Session, ctx: ShopContext, actor: Actor | None, message: OutboxMessage, reason: str
) -> None:
    """Withdraw one unsent message in the caller's transaction, keeping the reason."""
    message.status, message.claimed_until, message.last_error = OutboxStatus.WITHDRAWN, None, reason
    session.add(message)
    audit.record(
        session, ctx, actor, WITHDRAWN, "outbox", message.id, followup_id=message.followup_id, reason=reason
    )


def scrub(message: OutboxMessage, redact: Callable[[str], str]) -> None:
    """Take the customer's personal data out of one outbox row (the caller adds it)."""
    message.to_address = ""
    message.subject = message.body = SCRUBBED_TEXT
    message.last_error = redact(message.last_error)


def erase_outbox(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    customer_ids: Sequence[int],
    redact: Callable[[str], str],
) -> tuple[int, int]:
    """Inside an erasure's transaction: withdraw every unsent message about these
    customers and scrub every row about them; returns (withdrawn, scrubbed). The rows are
    locked (PostgreSQL), so a sender's claim either finished before or sees them withdrawn."""
    rows = list(
        session.exec(
            select(OutboxMessage)
            .join(FollowUp, col(FollowUp.id) == col(OutboxMessage.followup_id))
            .where(col(FollowUp.customer_id).in_(customer_ids))
            .order_by(col(OutboxMessage.id))
            .with_for_update(of=OutboxMessage)
        )
    )
    withdrawn = 0
    for message in rows:
        scrub(message, redact)
        session.add(message)
        if message.status in UNSENT:
            withdraw(session, ctx, actor, message, ERASED)
            withdrawn += 1
    return withdrawn, len(rows)
