"""Completing a follow-up by email: the message the customer will get (its preview), and
writing it to the outbox in the same transaction that completes the follow-up.

Sending is refused, and nothing is written, when the customer has not agreed to email,
has no address, or the shop has no mail server; the sentence says which. The message
gets its Message-ID here, once, so that however often a sender has to try, the
customer's mail program sees one message (`services/mail_sender.py` delivers it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from counter_tui.db.models import Channel, Customer, FollowUp, FollowUpKind, OutboxMessage, Staff
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.limits import limited
from counter_tui.mail_templates import SUBJECT_LENGTH, fill
from counter_tui.services import audit, mail_hold
from counter_tui.services.cadence import require_outreach_allowed
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels, load_customer
from counter_tui.services.followups import complete_followup_in, load_open, require_owner_or_lead
from counter_tui.services.queries import first_name

QUEUED = "mail.queued"
"""The audit action of an email written to the outbox (terminals deliver on seeing it)."""
TEMPLATE_OF_KIND = {
    FollowUpKind.THANK_YOU: "thank_you",
    FollowUpKind.PROMISE: "promise_done",
    FollowUpKind.STATUS_UPDATE: "status_update",
    FollowUpKind.FEEDBACK_ACTED_ON: "feedback_acted_on",
}
"""Each kind of follow-up that can be completed by email, and its template (`mail.templates.*`)."""
EMAIL_KINDS = tuple(TEMPLATE_OF_KIND)
BY_EMAIL = "by_email"
"""The field a refusal to send names when email itself is what cannot be used (no mail
server, no address), so the form shows it beside its "send it by email" choice."""


@dataclass(frozen=True)
class MailPreview:
    """What the customer will receive, as the owner sees it before sending; `held_back`,
    while the shop's mail setup holds email back, says that this one will wait too."""

    to_address: str
    subject: str
    body: str
    held_back: str = ""


def preview(
    ctx: ShopContext, actor: Actor, followup_id: int, *, what_was_done: str = "", personal_line: str = ""
) -> MailPreview:
    """The email completing this follow-up would send; refused as sending would be."""
    what_was_done = limited(what_was_done, "what_was_done")
    personal_line = limited(personal_line, "personal_line")
    with ctx.database.read() as session:
        followup = load_open(session, followup_id)
        staff = require_owner_or_lead(session, actor, followup)
        return _compose(session, ctx, followup, staff, what_was_done, personal_line)


def complete_by_email(
    ctx: ShopContext,
    actor: Actor,
    followup_id: int,
    *,
    what_was_done: str,
    personal_line: str = "",
    still_open: bool = False,
) -> int:
    """Complete the follow-up and write its email to the outbox, in one transaction
    (a status update `still_open` queues the next, as completing it otherwise would).
    Returns the outbox message's id. If the server later refuses it for good, the sender
    opens the follow-up again with the server's reason. While email is held back, it waits
    with the others (`mail_hold`)."""
    what_was_done = limited(what_was_done, "what_was_done")
    personal_line = limited(personal_line, "personal_line")
    with ctx.database.write() as session:
        followup = load_open(session, followup_id)
        staff = require_owner_or_lead(session, actor, followup)
        mail = _compose(session, ctx, followup, staff, what_was_done, personal_line or followup.personal_line)
        complete_followup_in(
            session,
            ctx,
            actor,
            followup,
            staff,
            what_was_done=what_was_done,
            personal_line=personal_line,
            customer_informed=True,
            still_open=still_open,
        )
        sender_domain = ctx.rules.mail.sender.rsplit("@", 1)[-1].strip(" >")
        message = OutboxMessage(
            followup_id=followup_id,
            to_address=mail.to_address,
            subject=mail.subject,
            body=mail.body,
            message_id=f"<{uuid.uuid4().hex}@{sender_domain}>",
            next_attempt_at=ctx.now(),
            created_at=ctx.now(),
            created_by=staff.id,
        )
        mail_hold.join_hold(session, message)
        session.add(message)
        session.flush()
        audit.record(session, ctx, actor, QUEUED, "outbox", message.id, followup_id=followup_id)
        assert message.id is not None
        return message.id


def _compose(
    session: Session,
    ctx: ShopContext,
    followup: FollowUp,
    staff: Staff,
    what_was_done: str,
    personal_line: str,
) -> MailPreview:
    """The message for this follow-up, after the checks that would refuse sending it."""
    customer = load_customer(session, followup.customer_id)
    _require_sendable(session, ctx, followup, customer)
    template = getattr(ctx.rules.mail.templates, TEMPLATE_OF_KIND[FollowUpKind(followup.kind)])
    owner = session.get(Staff, followup.owner_id)
    owner_name = owner.name if owner is not None else staff.name
    values = {
        "customer_first_name": first_name(customer.name),
        "customer_name": customer.name,
        "owner_name": owner_name,
        "shop_name": ctx.rules.shop.name,
        "about": followup.summary,
    }
    own_words = personal_line if followup.kind == FollowUpKind.THANK_YOU else what_was_done
    paragraphs = [fill(template.opening, values), own_words, f"{owner_name}\n{ctx.rules.shop.name}"]
    return MailPreview(
        to_address=customer.email,
        subject=" ".join(fill(template.subject, values).split())[:SUBJECT_LENGTH],
        body="\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip()) + "\n",
        held_back=mail_hold.queued_sentence(session, ctx),
    )


def _require_sendable(session: Session, ctx: ShopContext, followup: FollowUp, customer: Customer) -> None:
    """Refuse, with the reason, an email that may not or cannot be sent."""
    if followup.kind not in EMAIL_KINDS:
        raise InvalidInput(
            "Only a thank-you, a promise kept, a status update or feedback acted on can be sent by email."
        )
    if Channel.EMAIL not in consented_channels(session, followup.customer_id):
        raise NotAllowed(
            f"{customer.name} has not agreed to be contacted by email, so nothing can be sent. "
            "Complete it another way, or record their consent first."
        )
    if not customer.email:
        raise InvalidInput(f"{customer.name} has no email address on file. Add one first.", field=BY_EMAIL)
    require_outreach_allowed(session, ctx, followup, customer)
    if not ctx.rules.mail.configured:
        raise InvalidInput(
            "The shop has no mail server yet: a lead sets mail.host and mail.sender (counter-tui shop set).",
            field=BY_EMAIL,
        )
