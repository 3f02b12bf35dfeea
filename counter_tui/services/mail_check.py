"""`counter-tui mail test ADDRESS`: one test message through the shop's mail server, and
the server's answer, so a lead setting up email sees at once whether it works.

The test message does not go through the outbox (nothing is queued or retried: the lead
is waiting for the answer); it is audited as the lead, with whether it was accepted and
the answer, but not the address typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from counter_tui.errors import InvalidInput
from counter_tui.sentences import join_sentences
from counter_tui.services import audit
from counter_tui.services.contact import clean_email
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.smtp_transport import (
    TIMEOUT_SECONDS,
    MailFailure,
    Outgoing,
    Transport,
    send_via_smtp,
)


@dataclass(frozen=True)
class MailTest:
    """Whether the server accepted the test message, and its answer (or reason) in one line."""

    accepted: bool
    answer: str


def send_test(
    ctx: ShopContext,
    actor: Actor,
    address: str,
    *,
    transport: Transport = send_via_smtp,
    timeout: float = TIMEOUT_SECONDS,
) -> MailTest:
    """Send one test message to `address` (a shift lead only) and return the answer."""
    to_address = clean_email(address)
    if not to_address:
        raise InvalidInput("Give the address to send the test message to.", field="address")
    with ctx.database.read() as session:
        require(session, actor, Action.CHANGE_SHOP_SETTINGS)
    mail = ctx.refresh_rules().mail
    if not mail.configured:
        raise InvalidInput(
            "The shop has no mail server yet: a lead sets mail.host and mail.sender (counter-tui shop set)."
        )
    domain = mail.sender.rsplit("@", 1)[-1].strip(" >")
    outgoing = Outgoing(
        to_address=to_address,
        subject=f"Test message from {ctx.rules.shop.name}",
        body="This is a test message from the shop's counter. Email to customers works.\n",
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    try:
        result = MailTest(True, f"Accepted by {mail.host}: {transport(mail, outgoing, timeout)}")
    except MailFailure as failure:
        result = MailTest(False, join_sentences(failure.reason, failure.fix))
    with ctx.database.write() as session:
        audit.record(
            session,
            ctx,
            actor,
            "mail.tested",
            "shop_settings",
            None,
            accepted=result.accepted,
            answer=result.answer,
        )
    return result
