"""Handing one message to the shop's SMTP server, and what went wrong, in one sentence
that also says whose it is to fix (`MailFailure`).

The message's own: the server refused it or its recipient for good (`permanent`).
Nobody's in particular: the server asked to try later, or dropped the connection while
taking the message. The shop's mail setup (`fix` says what to check or set): no server
answered at mail.host and mail.port, encryption or the login failed, or the server
refused the sender address. Such a failure is never the message's fault, so it never
fails a message for good, and every other message would fail alike until it is fixed.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from counter_tui.mail_settings import PASSWORD_ENV, MailRules, smtp_password
from counter_tui.text import clean_text

TIMEOUT_SECONDS = 30.0
LOGIN_FIX = f"Check mail.user and the password in {PASSWORD_ENV} where this runs."
SENDER_FIX = "Check mail.sender is an address this server lets the shop send from."


class MailFailure(Exception):
    """The server did not accept a message; `reason` is one sentence, `permanent` when
    trying again would not help (the server refused it), and `fix`, when the shop's mail
    setup is at fault (every message would fail alike), what to check or set."""

    def __init__(self, reason: str, *, permanent: bool, fix: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.fix = fix


@dataclass(frozen=True)
class Outgoing:
    """One message as the server receives it."""

    to_address: str
    subject: str
    body: str
    message_id: str


Transport = Callable[[MailRules, Outgoing, float], str]


def send_via_smtp(mail: MailRules, outgoing: Outgoing, timeout: float) -> str:
    """Hand one message to the shop's server; returns the server's answer to it (e.g.
    `250 OK`), or raises MailFailure with the reason."""
    message = _as_sent(mail, outgoing)
    signed_in = False  # until then, what fails is the shop's mail setup
    try:
        with _connect(mail, timeout) as smtp:
            if mail.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if mail.user:
                smtp.login(mail.user, smtp_password())
            smtp.ehlo_or_helo_if_needed()
            signed_in = True
            code, answer = smtp.mail(_bare(mail.sender))
            if code != 250:
                raise MailFailure(
                    _refused("the sender address", code, answer), permanent=False, fix=SENDER_FIX
                )
            _expect(smtp.rcpt(outgoing.to_address), (250, 251))
            code, answer = smtp.data(message.as_bytes())
            _expect((code, answer), (250,))
            return f"{code} {answer.decode(errors='replace')}".strip()
    except MailFailure:
        raise
    except smtplib.SMTPAuthenticationError as error:
        reason = _refused("the user name and password", error.smtp_code, error.smtp_error)
        raise MailFailure(reason, permanent=False, fix=LOGIN_FIX) from error
    except smtplib.SMTPResponseException as error:
        if not signed_in:  # the greeting or STARTTLS refused
            raise _unreachable(mail, f"it answered {_said(error.smtp_code, error.smtp_error)}") from error
        raise _refusal(error.smtp_code, error.smtp_error) from error
    except (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError) as error:
        if isinstance(error.__context__, TimeoutError):  # smtplib reports a timeout as a disconnect
            raise _timed_out(mail, timeout) from error
        if not signed_in:
            raise _unreachable(mail, type(error).__name__) from error
        raise MailFailure(
            "The mail server closed the connection before accepting the message.", permanent=False
        ) from error
    except TimeoutError as error:
        raise _timed_out(mail, timeout) from error
    except (OSError, smtplib.SMTPException) as error:
        raise _unreachable(mail, type(error).__name__) from error


def _as_sent(mail: MailRules, outgoing: Outgoing) -> EmailMessage:
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
    return message


def _connect(mail: MailRules, timeout: float) -> smtplib.SMTP:
    if mail.security == "tls":
        return smtplib.SMTP_SSL(mail.host, mail.port, timeout=timeout, context=ssl.create_default_context())
    return smtplib.SMTP(mail.host, mail.port, timeout=timeout)


def _expect(reply: tuple[int, bytes], codes: tuple[int, ...]) -> None:
    code, answer = reply
    if code not in codes:
        raise _refusal(code, answer)


def _said(code: int, answer: bytes | str) -> str:
    """A server's reply on one line: `550 5.1.1 Mailbox unavailable`."""
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else answer
    return f"{code} {' '.join(text.split()).rstrip('.')}"


def _refused(what: str, code: int, answer: bytes | str) -> str:
    return f"The mail server did not accept {what}: {_said(code, answer)}."


def _refusal(code: int, answer: bytes | str) -> MailFailure:
    if code >= 500:
        return MailFailure(f"The mail server refused the message: {_said(code, answer)}.", permanent=True)
    return MailFailure(f"The mail server asked to try later: {_said(code, answer)}.", permanent=False)


def _reach_fix(mail: MailRules) -> str:
    return (
        f"Check mail.host and mail.port (now {mail.host}:{mail.port}) and mail.security, "
        "and that the server is running."
    )


def _unreachable(mail: MailRules, why: str) -> MailFailure:
    return MailFailure(
        f"The mail server could not be reached ({why}).", permanent=False, fix=_reach_fix(mail)
    )


def _timed_out(mail: MailRules, timeout: float) -> MailFailure:
    return MailFailure(
        f"The mail server did not answer within {timeout:g} seconds.", permanent=False, fix=_reach_fix(mail)
    )


def _bare(address: str) -> str:
    return parseaddr(address)[1]
