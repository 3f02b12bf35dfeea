"""Delivering the outbox: each waiting message is claimed by one sender, handed to the
shop's SMTP server, and marked sent only once the server has accepted it.

A claim is one conditional UPDATE (several terminals may run a sender at once; only one
gets each message) and holds the message for a lease; a sender killed mid-send leaves
the claim to run out, and the next sender sends the same message again with its same
Message-ID (the receiving side keeps one). A server that is busy, slow or drops the
connection is tried again later, waiting twice as long each time; a server that refuses
for good (5xx), or too many tries, fails the message with the server's reason in one
sentence and opens its follow-up again for the owner. Nothing slow happens inside a
write transaction: the SMTP conversation is between the claim and the outcome.

The claim is also the last check before anything leaves: inside its transaction the
message is withdrawn, not sent, when its customer was erased, no longer agrees to email or
no longer has that address (`outbox_withdrawal`; this is the only check for a consent
withdrawn or an address changed after the message was written).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, or_, select, update

from counter_tui.db.models import FollowUp, FollowUpStatus, OutboxMessage, OutboxStatus
from counter_tui.mail_settings import MailRules, smtp_password
from counter_tui.services import audit, outbox_withdrawal
from counter_tui.services.context import ShopContext
from counter_tui.text import clean_text

MOST_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 30.0


class MailFailure(Exception):
    """The server did not accept a message; `reason` is one sentence, `permanent` when
    trying again would not help (the server refused it)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """One message as the server receives it."""

    to_address: str
    subject: str
    body: str
    message_id: str


@dataclass(frozen=True)
class DeliveryRun:
    """What one pass over the outbox did."""

    sent: int
    retrying: int
    failed: int
    withdrawn: int = 0


@dataclass(frozen=True)
class Withdrawn:
    """A claimed message the customer may no longer get: withdrawn, with why."""

    reason: str


Transport = Callable[[MailRules, Outgoing, float], str]


def send_via_smtp(mail: MailRules, outgoing: Outgoing, timeout: float) -> str:
    """Hand one message to the shop's server; returns the server's answer to it (e.g.
    `250 OK`), or raises MailFailure with the reason."""
    message = EmailMessage(policy=SMTP)  # every line ends in CR LF, as servers require
    headers = {"From": mail.sender, "To": outgoing.to_address}
    if mail.reply_to:
        headers["Reply-To"] = mail.reply_to
    headers |= {"Subject": outgoing.subject, "Message-ID": outgoing.message_id}
    for name, value in headers.items():
        # One line each, whatever the database holds: a line break would end the header
        # and start another (a Bcc), and the email package raises on one.
        message[name] = clean_text(value)
    message["Date"] = format_datetime(datetime.now(UTC))
    message.set_content(outgoing.body)
    try:
        with _connect(mail, timeout) as smtp:
            if mail.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if mail.user:
                smtp.login(mail.user, smtp_password())
            smtp.ehlo_or_helo_if_needed()
            _expect(smtp.mail(_bare(mail.sender)), (250,))
            _expect(smtp.rcpt(outgoing.to_address), (250, 251))
            code, answer = smtp.data(message.as_bytes())
            _expect((code, answer), (250,))
            return f"{code} {answer.decode(errors='replace')}".strip()
    except MailFailure:
        raise
    except smtplib.SMTPResponseException as error:
        raise _refusal(error.smtp_code, error.smtp_error) from error
    except (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError) as error:
        if isinstance(error.__context__, TimeoutError):  # smtplib reports a timeout as a disconnect
            raise _timed_out(timeout) from error
        raise MailFailure(
            "The mail server closed the connection before accepting the message.", permanent=False
        ) from error
    except TimeoutError as error:
        raise _timed_out(timeout) from error
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailure(
            f"The mail server could not be reached ({type(error).__name__}).", permanent=False
        ) from error


def deliver_pending(
    ctx: ShopContext, *, transport: Transport = send_via_smtp, timeout: float = TIMEOUT_SECONDS
) -> DeliveryRun:
    """Send every message that is due (waiting, due for a retry, or whose sender's claim
    ran out), one at a time; returns how many were sent, will be retried, failed, or were
    withdrawn at the claim. Sends nothing while the shop has no mail server set."""
    sent = retrying = failed = withdrawn = 0
    mail = ctx.refresh_rules().mail
    if not mail.configured:
        return DeliveryRun(0, 0, 0)  # never to a server nobody chose (an empty host is this machine)
    for message_id in _due_ids(ctx):
        outgoing = _claim(ctx, message_id)
        if outgoing is None:
            continue  # another sender has it
        if isinstance(outgoing, Withdrawn):
            withdrawn += 1
            continue
        try:
            transport(mail, outgoing, timeout)
        except MailFailure as failure:
            outcome = _record_failure(ctx, message_id, failure)
            failed += outcome == OutboxStatus.FAILED
            retrying += outcome == OutboxStatus.PENDING
            continue
        _record_sent(ctx, message_id)
        sent += 1
    return DeliveryRun(sent, retrying, failed, withdrawn)


def _due_ids(ctx: ShopContext) -> list[int]:
    now = ctx.now()
    with ctx.database.read() as session:
        return [
            message_id
            for message_id in session.exec(
                select(OutboxMessage.id).where(_claimable(now)).order_by(col(OutboxMessage.id))
            )
            if message_id is not None
        ]


def _claimable(now: datetime) -> ColumnElement[bool]:
    """Waiting and due, or claimed by a sender whose lease ran out (it died mid-send)."""
    return or_(
        (col(OutboxMessage.status) == OutboxStatus.PENDING) & (col(OutboxMessage.next_attempt_at) <= now),
        (col(OutboxMessage.status) == OutboxStatus.SENDING) & (col(OutboxMessage.claimed_until) <= now),
    )


def _claim(ctx: ShopContext, message_id: int) -> Outgoing | Withdrawn | None:
    """Take the message for this sender (one conditional UPDATE: of several senders, one
    wins), counting the attempt; None when someone else has it or it is done. In the same
    transaction, withdraw it instead (Withdrawn) when its customer may no longer get it:
    erased (its personal data scrubbed too), no email consent, or another address; the
    follow-up opens again so its owner hears why, unless the customer was erased."""
    now = ctx.now()
    with ctx.database.write() as session:
        result = session.connection().execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == message_id, _claimable(now))
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
        if row.status == OutboxStatus.WITHDRAWN:
            row.claimed_until = None
            session.add(row)
            return row.status
        row.last_error = failure.reason[:300]
        row.claimed_until = None
        give_up = failure.permanent or row.attempts >= MOST_ATTEMPTS
        if give_up:
            row.status = OutboxStatus.FAILED
            _reopen(session, ctx, row.followup_id, failure.reason)
        else:
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + min(FIRST_RETRY * 2 ** (row.attempts - 1), LONGEST_RETRY)
        session.add(row)
        audit.record(
            session,
            ctx,
            None,
            "mail.failed" if give_up else "mail.retrying",
            "outbox",
            message_id,
            attempts=row.attempts,
            reason=failure.reason,
        )
        return row.status


def _reopen(session: Session, ctx: ShopContext, followup_id: int | None, reason: str) -> None:
    followup = session.get(FollowUp, followup_id) if followup_id is not None else None
    if followup is None or followup.status != FollowUpStatus.DONE:
        return
    followup.status, followup.done_at, followup.done_by = FollowUpStatus.OPEN, None, None
    followup.customer_informed = False
    session.add(followup)
    audit.record(session, ctx, None, "followup.reopened", "followup", followup_id, reason=reason)


def _connect(mail: MailRules, timeout: float) -> smtplib.SMTP:
    if mail.security == "tls":
        return smtplib.SMTP_SSL(mail.host, mail.port, timeout=timeout, context=ssl.create_default_context())
    return smtplib.SMTP(mail.host, mail.port, timeout=timeout)


def _expect(reply: tuple[int, bytes], codes: tuple[int, ...]) -> None:
    code, answer = reply
    if code not in codes:
        raise _refusal(code, answer)


def _refusal(code: int, answer: bytes | str) -> MailFailure:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
    text = " ".join(text.split()).rstrip(".")
    if code >= 500:
        return MailFailure(f"The mail server refused the message: {code} {text}.", permanent=True)
    return MailFailure(f"The mail server asked to try later: {code} {text}.", permanent=False)


def _timed_out(timeout: float) -> MailFailure:
    return MailFailure(f"The mail server did not answer within {timeout:g} seconds.", permanent=False)


def _bare(address: str) -> str:
    return parseaddr(address)[1]
