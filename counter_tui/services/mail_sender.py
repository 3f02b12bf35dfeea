"""Delivering the outbox: each waiting message is claimed by one sender, handed to the
shop's SMTP server, and marked sent only once the server has accepted it.

A claim is one conditional UPDATE (several terminals may run a sender at once; only one
gets each message) and holds the message for a lease; a sender killed mid-send leaves
the claim to run out, and the next sender sends the same message again with its same
Message-ID (the receiving side keeps one). A server that is busy, slow or drops the
connection is tried again later, waiting twice as long each time; a server that refuses
for good (5xx), or too many tries, fails the message with the server's reason in one
sentence and opens its follow-up again for the owner. Only what the server says about the
message counts as one of its tries: a failure of the shop's own mail setup
(`smtp_transport`: no server reached, a login or sender refused) holds every waiting
message back together (`mail_hold`), ends the pass, and is said in its result, for
whoever runs it to fix. Nothing slow happens inside a write transaction: the SMTP
conversation (`smtp_transport`) is between the claim and the outcome.

The claim is also the last check before anything leaves: inside its transaction the
message is withdrawn, not sent, when its customer was erased, no longer agrees to email or
no longer has that address (`outbox_withdrawal`; this is the only check for a consent
withdrawn or an address changed after the message was written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, or_, select, update

from counter_tui.db.models import FollowUp, FollowUpStatus, OutboxMessage, OutboxStatus
from counter_tui.sentences import join_sentences
from counter_tui.services import audit, mail_hold, outbox_withdrawal
from counter_tui.services.context import ShopContext
from counter_tui.services.smtp_transport import (
    TIMEOUT_SECONDS,
    MailFailure,
    Outgoing,
    Transport,
    send_via_smtp,
)

MOST_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class DeliveryRun:
    """What one pass over the outbox did: messages sent, to be retried, failed for good
    and withdrawn; `waiting`, how many are still to go after it; and `problem`, when the
    shop's mail setup kept due messages from going (no server set, none reached, a login
    refused), what is wrong and what to set ("" otherwise)."""

    sent: int
    retrying: int
    failed: int
    withdrawn: int = 0
    waiting: int = 0
    problem: str = ""


@dataclass(frozen=True)
class Withdrawn:
    """A claimed message the customer may no longer get: withdrawn, with why."""

    reason: str


def deliver_pending(
    ctx: ShopContext,
    *,
    transport: Transport = send_via_smtp,
    timeout: float = TIMEOUT_SECONDS,
    held_now: bool = False,
) -> DeliveryRun:
    """Send every message that is due (waiting, due for a retry, or whose sender's claim
    ran out), one at a time; returns what became of them (`DeliveryRun`). Sends nothing
    while the shop has no mail server set, and stops at a failure of the shop's mail setup:
    every other message would fail alike (and wait for the whole timeout to), so all are
    held back (`mail_hold`). `held_now` tries the messages held back now, not after their
    wait (a person asked for it: `counter-tui mail send`)."""
    mail = ctx.refresh_rules().mail
    due = _due_ids(ctx, held_now)
    if not mail.configured:  # never to a server nobody chose (an empty host is this machine)
        return DeliveryRun(0, 0, 0, waiting=_waiting(ctx), problem=mail.unset_sentence if due else "")
    sent = retrying = failed = withdrawn = 0
    problem = ""
    tried: set[int] = set()
    answered = False
    while due:
        message_id = due.pop(0)
        tried.add(message_id)
        outgoing = _claim(ctx, message_id, held_now)
        if outgoing is None:
            continue  # another sender has it
        if isinstance(outgoing, Withdrawn):
            withdrawn += 1
            continue
        try:
            transport(mail, outgoing, timeout)
        except MailFailure as failure:
            if failure.fix:
                held, gave_up = _hold_back(ctx, message_id, failure)
                retrying += held
                failed += gave_up
                problem = join_sentences(failure.reason, failure.fix)
                break
            outcome = _record_failure(ctx, message_id, failure)
            failed += outcome == OutboxStatus.FAILED
            retrying += outcome == OutboxStatus.PENDING
        else:
            _record_sent(ctx, message_id)
            sent += 1
        if not answered:  # the server's first answer ended any hold: those held are due now
            answered = True
            due += [other for other in _due_ids(ctx, held_now) if other not in tried and other not in due]
    return DeliveryRun(sent, retrying, failed, withdrawn, waiting=_waiting(ctx), problem=problem)


def _waiting(ctx: ShopContext) -> int:
    """Messages still to go: waiting (due or not) or on their way."""
    to_go = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    with ctx.database.read() as session:
        query = select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.status).in_(to_go))
        return int(session.exec(query).one())


def _due_ids(ctx: ShopContext, held_now: bool = False) -> list[int]:
    now = ctx.now()
    with ctx.database.read() as session:
        return [
            message_id
            for message_id in session.exec(
                select(OutboxMessage.id).where(_claimable(now, held_now)).order_by(col(OutboxMessage.id))
            )
            if message_id is not None
        ]


def _claimable(now: datetime, held_now: bool = False) -> ColumnElement[bool]:
    """Waiting and due (or held back, with `held_now`), or claimed by a sender whose lease
    ran out (it died mid-send)."""
    due = col(OutboxMessage.next_attempt_at) <= now
    if held_now:
        due = due | col(OutboxMessage.held_since).is_not(None)
    return or_(
        (col(OutboxMessage.status) == OutboxStatus.PENDING) & due,
        (col(OutboxMessage.status) == OutboxStatus.SENDING) & (col(OutboxMessage.claimed_until) <= now),
    )


def _claim(ctx: ShopContext, message_id: int, held_now: bool = False) -> Outgoing | Withdrawn | None:
    """Take the message for this sender (one conditional UPDATE: of several senders, one
    wins), counting the attempt; None when someone else has it or it is done. In the same
    transaction, withdraw it instead (Withdrawn) when its customer may no longer get it:
    erased (its personal data scrubbed too), no email consent, or another address; the
    follow-up opens again so its owner hears why, unless the customer was erased."""
    now = ctx.now()
    with ctx.database.write() as session:
        result = session.connection().execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id, _claimable(now, held_now))
            .values(
                status=OutboxStatus.SENDING,
                claimed_until=now + LEASE,
                attempts=col(OutboxMessage.attempts) + 1,
            )
        )
        if result.rowcount != 1:
            return None
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        session.refresh(row)
        reason = outbox_withdrawal.reason_not_to_send(session, row)
        if not reason:
            return Outgoing(row.to_address, row.subject, row.body, row.message_id)
        row.attempts -= 1  # claimed, but never tried
        if reason == outbox_withdrawal.ERASED:
            outbox_withdrawal.scrub(row, lambda _: "")
        else:
            _reopen(session, ctx, row.followup_id, reason)
        outbox_withdrawal.withdraw(session, ctx, None, row, reason)
        return Withdrawn(reason)


def _record_sent(ctx: ShopContext, message_id: int) -> None:
    """Mark it sent; one withdrawn while it was on its way stays withdrawn (and scrubbed),
    its event saying that the server accepted it after the withdrawal."""
    with ctx.database.write() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.sent_at, row.claimed_until = ctx.now(), None
        late = row.status == OutboxStatus.WITHDRAWN
        if not late:
            row.status, row.last_error = OutboxStatus.SENT, ""
        mail_hold.release(session, ctx, row)
        session.add(row)
        after = {"after_withdrawal": True} if late else {}
        audit.record(session, ctx, None, "mail.sent", "outbox", message_id, attempts=row.attempts, **after)


def _record_failure(ctx: ShopContext, message_id: int, failure: MailFailure) -> str:
    """Keep the reason; retry later with a longer wait, or give up and open the follow-up
    again so its owner sees why the customer did not hear from them. Returns the status
    the message is left in (one withdrawn on its way stays withdrawn, unchanged)."""
    now = ctx.now()
    with ctx.database.write() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        mail_hold.release(session, ctx, row)  # the server answered about this message
        if row.status == OutboxStatus.WITHDRAWN:
            row.claimed_until = None
            session.add(row)
            return row.status
        if failure.permanent or row.attempts >= MOST_ATTEMPTS:
            _fail(session, ctx, row, failure.reason)
            return row.status
        row.last_error = failure.reason[:300]
        row.claimed_until = None
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = now + min(FIRST_RETRY * 2 ** (row.attempts - 1), LONGEST_RETRY)
        session.add(row)
        audit.record(
            session,
            ctx,
            None,
            "mail.retrying",
            "outbox",
            message_id,
            attempts=row.attempts,
            reason=failure.reason,
        )
        return row.status


def _hold_back(ctx: ShopContext, message_id: int, failure: MailFailure) -> tuple[int, int]:
    """The shop's mail setup kept the message from going: hold every waiting message back
    (`mail_hold`), none of them counting a try, and fail those held back too long.
    Returns (1 if the message tried is still to go else 0, how many failed)."""
    with ctx.database.write() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        if row.status == OutboxStatus.WITHDRAWN:  # withdrawn while it was on its way
            row.claimed_until = None
            session.add(row)
            return 0, 0
        too_long = mail_hold.hold_back(session, ctx, row, failure)
        for late, why in too_long:
            _fail(session, ctx, late, why)
        return int(all(late is not row for late, _ in too_long)), len(too_long)


def _fail(session: Session, ctx: ShopContext, row: OutboxMessage, reason: str) -> None:
    """Give the message up with `reason`, and open its follow-up again so its owner sees
    why the customer did not hear from them."""
    row.status, row.last_error, row.claimed_until = OutboxStatus.FAILED, reason[:300], None
    row.held_since = None
    session.add(row)
    _reopen(session, ctx, row.followup_id, reason)
    audit.record(session, ctx, None, "mail.failed", "outbox", row.id, attempts=row.attempts, reason=reason)


def _reopen(session: Session, ctx: ShopContext, followup_id: int | None, reason: str) -> None:
    followup = session.get(FollowUp, followup_id) if followup_id is not None else None
    if followup is None or followup.status != FollowUpStatus.DONE:
        return
    followup.status, followup.done_at, followup.done_by = FollowUpStatus.OPEN, None, None
    followup.customer_informed = False
    session.add(followup)
    audit.record(session, ctx, None, "followup.reopened", "followup", followup_id, reason=reason)
