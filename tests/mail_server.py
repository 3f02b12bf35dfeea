"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), whose behaviour a test
sets: accept, refuse with 550, drop the connection mid-message, or hold the message
without answering until released (a slow server; a sender killed mid-send). Every
message that reaches DATA is kept, so a test counts deliveries by Message-ID the way a
receiving mail program would (one message per Message-ID)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from counter_tui.db.models import Channel, Outcome
from counter_tui.services import customers, outbox, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules

LINE = "Hope the blue kettle suits your new kitchen"


@dataclass
class Received:
    """One message as the server got it; `raw` byte for byte, as it came after DATA."""

    message_id: str
    to: list[str]
    headers: dict[str, str]
    body: str
    raw: bytes


@dataclass
class LocalSmtp:
    """The handler and what it received; `mode` is accept, refuse, drop or hold."""

    port: int = 0
    mode: str = "accept"
    received: list[Received] = field(default_factory=list)
    got_data: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def unique_deliveries(self) -> set[str]:
        """The Message-IDs received: what a receiving mail program shows as messages."""
        return {message.message_id for message in self.received}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "refuse":
            return "550 5.1.1 Mailbox unavailable"
        if self.mode == "drop":
            server.transport.close()
            return "421 closing"
        parsed = message_from_bytes(envelope.content)
        self.received.append(
            Received(
                message_id=str(parsed["Message-ID"]),
                to=list(envelope.rcpt_tos),
                headers={name: str(value) for name, value in parsed.items()},
                body=parsed.get_payload(decode=True).decode().replace("\r\n", "\n").rstrip("\n") + "\n",
                raw=envelope.original_content,
            )
        )
        if self.mode == "hold":
            self.got_data.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return "250 2.0.0 Queued as 1234"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(**options: Any) -> Iterator[LocalSmtp]:
    """A local SMTP server (aiosmtpd `options`), stopped (and any held message let go) after."""
    handler = LocalSmtp(port=_free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port, **options)
    controller.start()
    try:
        yield handler
    finally:
        handler.release.set()
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[LocalSmtp]:
    """A fresh local SMTP server for one test."""
    with _serving() as server:
        yield server


SMTP_USER, SMTP_PASSWORD = "shop", "right-password"


def _the_shops_login(_server: Any, _session: Any, _envelope: Any, _mechanism: str, login: Any) -> AuthResult:
    """Right or wrong, the server answers (235, or 535 for a wrong login)."""
    right = (login.login, login.password) == (SMTP_USER.encode(), SMTP_PASSWORD.encode())
    return AuthResult(success=right, handled=False)


@pytest.fixture
def smtp_server_with_login() -> Iterator[LocalSmtp]:
    """A fresh local SMTP server that checks a login (as SMTP_USER with SMTP_PASSWORD,
    over plain text: it is on 127.0.0.1, for the test) and refuses a wrong one."""
    with _serving(authenticator=_the_shops_login, auth_require_tls=False) as server:
        yield server


def unused_port() -> int:
    """A port on 127.0.0.1 where nothing listens: a mail server that cannot be reached."""
    return _free_port()


@pytest.fixture
def mail_shop(ctx: ShopContext, smtp_server: LocalSmtp) -> ShopContext:
    """The test shop sending through the local server, without encryption or login."""
    set_shop_rules(
        ctx,
        {
            "mail.host": "127.0.0.1",
            "mail.port": smtp_server.port,
            "mail.security": "none",
            "mail.sender": "shop@test-shop.example",
            "mail.reply_to": "Sam <sam@test-shop.example>",
        },
    )
    return ctx


def thank_you(ctx: ShopContext, team: Team, customer_id: int) -> int:
    """End a purchase visit owned by Sam; returns the thank-you it queued."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    assert result.thank_you_id is not None
    return result.thank_you_id


def queue_thank_you_email(ctx: ShopContext, team: Team, customer_id: int) -> tuple[int, int]:
    """The customer agreed to email; Sam completes their thank-you by email.
    Returns (follow-up id, outbox message id)."""
    customers.record_consent(ctx, team.sam, customer_id, Channel.EMAIL, granted=True, source="counter")
    followup_id = thank_you(ctx, team, customer_id)
    message_id = outbox.complete_by_email(
        ctx, team.sam, followup_id, what_was_done="Emailed the thank-you", personal_line=LINE
    )
    return followup_id, message_id
