"""An email the customer may no longer get is never sent: erasing a customer withdraws
every unsent message to them and scrubs their personal data from every outbox row about
them (sent ones too) in the erasure's transaction; and the sender, as it claims a
message, withdraws it instead when the customer was erased, withdrew email consent or
no longer has that address. Each against a real SMTP server on 127.0.0.1, to show that
nothing reaches it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from counter_tui.db.models import Channel, FollowUp, FollowUpStatus, OutboxMessage, OutboxStatus
from counter_tui.services import (
    changes,
    customers,
    erasure,
    feedback,
    followups,
    mail_sender,
    notices,
    outbox,
    status_updates,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.mail_server import LINE, LocalSmtp, queue_thank_you_email, thank_you
from tests.unit.conftest import AuditLog

BOB_SAYS = ("Bob", "Jones", "bob@example.com", "07700", LINE)


def _messages(ctx: ShopContext) -> list[OutboxMessage]:
    with ctx.database.read() as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))  # type: ignore[arg-type]


def _message(ctx: ShopContext, message_id: int) -> OutboxMessage:
    (row,) = [row for row in _messages(ctx) if row.id == message_id]
    return row


def _followup(ctx: ShopContext, followup_id: int) -> FollowUp:
    with ctx.database.read() as session:
        return session.exec(select(FollowUp).where(FollowUp.id == followup_id)).one()


def _holds_personal_data(row: OutboxMessage) -> list[str]:
    text = " ".join((row.to_address, row.subject, row.body, row.last_error))
    return [piece for piece in BOB_SAYS if piece.lower() in text.lower()]


def test_erasing_a_customer_withdraws_their_queued_email_and_scrubs_every_outbox_row(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    _, sent_id = queue_thank_you_email(mail_shop, team, bob)
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1
    mail_shop.clock.advance(days=3)  # type: ignore[attr-defined]  # past the shop's cadence
    _, waiting_id = queue_thank_you_email(mail_shop, team, bob)
    assert _holds_personal_data(_message(mail_shop, waiting_id))

    result = erasure.erase_customer(mail_shop, team.lead, bob, "asked by email on 3 Nov")

    assert (result.emails_withdrawn, result.emails_scrubbed) == (1, 2)
    sent, waiting = _message(mail_shop, sent_id), _message(mail_shop, waiting_id)
    assert (sent.status, waiting.status) == (OutboxStatus.SENT, OutboxStatus.WITHDRAWN)
    assert waiting.last_error == "Withdrawn: the customer's data was erased."
    assert [_holds_personal_data(row) for row in (sent, waiting)] == [[], []]
    assert sent.to_address == waiting.to_address == ""
    (withdrawn,) = audit_log("mail.withdrawn")
    assert (withdrawn.entity, withdrawn.entity_id) == ("outbox", waiting_id)
    assert json.loads(withdrawn.details)["reason"] == "Withdrawn: the customer's data was erased."
    (erased,) = audit_log("customer.erased")
    details = json.loads(erased.details)
    assert (details["emails_withdrawn"], details["emails_scrubbed"]) == (1, 2)

    mail_shop.clock.advance(hours=2)  # type: ignore[attr-defined]
    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)
    assert len(smtp_server.received) == 1  # only the one sent before the erasure


def test_an_email_claimed_for_an_already_erased_customer_is_withdrawn_and_scrubbed(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    # A completion that read the customer before the erasure committed (READ COMMITTED)
    # can write its message after the erasure looked for them: the sender is the last check.
    customers.record_consent(mail_shop, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    followup_id = thank_you(mail_shop, team, bob)
    erasure.erase_customer(mail_shop, team.lead, bob, "asked by email on 3 Nov")
    with mail_shop.database.write() as session:
        late = OutboxMessage(
            followup_id=followup_id,
            to_address="bob@example.com",
            subject="Thank you, Bob",
            body=f"Thank you for visiting, Bob.\n\n{LINE}\n",
            message_id=f"<{uuid.uuid4().hex}@test-shop.example>",
            next_attempt_at=mail_shop.now(),
            created_at=mail_shop.now(),
        )
        session.add(late)
        session.flush()
        late_id = late.id
    assert late_id is not None

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert (run.sent, run.withdrawn, smtp_server.received) == (0, 1, [])
    row = _message(mail_shop, late_id)
    assert (row.status, _holds_personal_data(row)) == (OutboxStatus.WITHDRAWN, [])
    assert (row.to_address, row.body, row.last_error) == (
        "",
        "(erased)",
        "Withdrawn: the customer's data was erased.",
    )
    (withdrawn,) = audit_log("mail.withdrawn")
    assert json.loads(withdrawn.details)["reason"] == "Withdrawn: the customer's data was erased."


def test_an_email_whose_customer_withdrew_email_consent_is_withdrawn_and_its_owner_told(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)
    customers.record_consent(mail_shop, team.lead, bob, Channel.EMAIL, granted=False, source="phoned in")
    seen = changes.latest_event_id(mail_shop)

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert (run.sent, run.withdrawn, smtp_server.received) == (0, 1, [])
    reason = "Withdrawn: they no longer agree to be contacted by email."
    row = _message(mail_shop, message_id)
    assert (row.status, row.last_error, row.attempts) == (OutboxStatus.WITHDRAWN, reason, 0)
    (withdrawn,) = audit_log("mail.withdrawn")
    assert (withdrawn.entity_id, json.loads(withdrawn.details)["reason"]) == (message_id, reason)
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN
    (shown,) = followups.my_followups(mail_shop, team.sam).upcoming
    assert shown.mail_problem == reason
    told = notices.notices_for(mail_shop, team.sam, changes.changes_since(mail_shop, seen))
    assert [notice.message for notice in told] == [
        f"Your email to Bob Jones was not sent. {reason} It is open again in My follow-ups (f)."
    ]
    mail_shop.clock.advance(hours=2)  # type: ignore[attr-defined]
    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)
    assert smtp_server.received == []


def test_an_email_to_an_address_that_is_no_longer_theirs_is_withdrawn(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)
    customers.update_contact(
        mail_shop, team.sam, bob, name="Bob Jones", phone="07700 900123", email="robert@example.com"
    )

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert (run.sent, run.withdrawn, smtp_server.received) == (0, 1, [])
    row = _message(mail_shop, message_id)
    assert (row.status, row.last_error) == (
        OutboxStatus.WITHDRAWN,
        "Withdrawn: their email address changed after it was written; send it again.",
    )
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN


def test_an_address_written_in_other_capitals_is_still_theirs_and_the_email_goes(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    with mail_shop.database.write() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.to_address = " Bob@Example.com"
        session.add(row)

    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1
    assert len(smtp_server.received) == 1


def test_consent_given_again_does_not_bring_a_withdrawn_email_back(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    customers.record_consent(mail_shop, team.lead, bob, Channel.EMAIL, granted=False, source="phoned in")
    mail_sender.deliver_pending(mail_shop, timeout=5)
    customers.record_consent(mail_shop, team.lead, bob, Channel.EMAIL, granted=True, source="asked again")
    mail_shop.clock.advance(hours=2)  # type: ignore[attr-defined]

    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)
    assert (_message(mail_shop, message_id).status, smtp_server.received) == (OutboxStatus.WITHDRAWN, [])


def test_an_email_withdrawn_while_it_was_on_its_way_stays_withdrawn_and_scrubbed(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    outgoing = mail_sender._claim(mail_shop, message_id)
    assert outgoing is not None  # a sender has it, mid-conversation with the server

    erasure.erase_customer(mail_shop, team.lead, bob, "asked by email on 3 Nov")
    mail_sender._record_sent(mail_shop, message_id)

    row = _message(mail_shop, message_id)
    assert (row.status, _holds_personal_data(row)) == (OutboxStatus.WITHDRAWN, [])
    (sent,) = audit_log("mail.sent")
    assert json.loads(sent.details)["after_withdrawal"] is True


def _promise(ctx: ShopContext, team: Team, bob: int) -> int:
    return followups.add_promise(
        ctx, team.sam, bob, promise="order the blue kettle", due_at=ctx.now() + timedelta(days=2)
    )


def _status_update(ctx: ShopContext, team: Team, bob: int) -> int:
    return status_updates.start_status_update(
        ctx, team.sam, bob, about="the watch repair", channel=Channel.EMAIL, every_days=3
    )


def _feedback_acted_on(ctx: ShopContext, team: Team, bob: int) -> int:
    feedback.record_feedback(ctx, team.sam, body="Nowhere to park", customer_id=bob, topics=["parking"])
    [acted_id] = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "Ten new spaces").followup_ids
    return acted_id


@pytest.mark.parametrize(
    "owed",
    [thank_you, _promise, _status_update, _feedback_acted_on],
    ids=["thank-you", "promise kept", "status update", "feedback acted on"],
)
def test_every_kind_of_email_to_an_erased_customer_is_withdrawn_unsent(
    mail_shop: ShopContext,
    team: Team,
    bob: int,
    smtp_server: LocalSmtp,
    owed: Callable[[ShopContext, Team, int], int],
) -> None:
    customers.record_consent(mail_shop, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    followup_id = owed(mail_shop, team, bob)
    message_id = outbox.complete_by_email(
        mail_shop, team.lead, followup_id, what_was_done="Ten spaces behind the shop", personal_line=LINE
    )

    erasure.erase_customer(mail_shop, team.lead, bob, "asked by email on 3 Nov")

    row = _message(mail_shop, message_id)
    assert (row.status, _holds_personal_data(row)) == (OutboxStatus.WITHDRAWN, [])
    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)
    assert smtp_server.received == []
