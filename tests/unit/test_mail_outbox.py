"""Email from the counter (issue 11): completing a thank-you or promise "by email" writes
the message to the outbox in the same transaction (refused, writing nothing, without
email consent), and the sender delivers it to a real SMTP server on 127.0.0.1 started by
the test: accepted, refused (550), dropped mid-message and slow (timeout). Nothing is
sent anywhere else."""

from __future__ import annotations

import pytest
from sqlmodel import select

from counter_tui.db.models import Channel, FollowUp, FollowUpStatus, OutboxMessage, OutboxStatus
from counter_tui.errors import NotAllowed
from counter_tui.services import changes, customers, followups, mail_sender, notices, outbox
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules
from tests.mail_server import LINE, SMTP_USER, LocalSmtp, queue_thank_you_email, thank_you, unused_port
from tests.unit.conftest import AuditLog, RowCount


def _message(ctx: ShopContext, message_id: int) -> OutboxMessage:
    with ctx.database.read() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return row


def _followup(ctx: ShopContext, followup_id: int) -> FollowUp:
    with ctx.database.read() as session:
        row = session.exec(select(FollowUp).where(FollowUp.id == followup_id)).one()
        return row


def test_without_email_consent_sending_is_refused_and_nothing_is_written(
    mail_shop: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    followup_id = thank_you(mail_shop, team, bob)

    with pytest.raises(NotAllowed, match="Bob Jones has not agreed to be contacted by email"):
        outbox.complete_by_email(
            mail_shop, team.sam, followup_id, what_was_done="Emailed", personal_line=LINE
        )

    assert row_count(OutboxMessage) == 0
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN


def test_the_preview_is_what_the_customer_receives(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    customers.record_consent(mail_shop, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    followup_id = thank_you(mail_shop, team, bob)
    shown = outbox.preview(mail_shop, team.sam, followup_id, personal_line=LINE)
    message_id = outbox.complete_by_email(
        mail_shop, team.sam, followup_id, what_was_done="Emailed the thank-you", personal_line=LINE
    )

    assert _followup(mail_shop, followup_id).status == FollowUpStatus.DONE
    assert [e.action for e in audit_log("followup.done", "mail.queued")][-2:] == [
        "followup.done",
        "mail.queued",
    ]
    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert run == mail_sender.DeliveryRun(sent=1, retrying=0, failed=0)
    (got,) = smtp_server.received
    stored = _message(mail_shop, message_id)
    assert (got.to, got.message_id) == (["bob@example.com"], stored.message_id)
    assert (got.headers["Subject"], got.body) == (shown.subject, shown.body)
    assert LINE in got.body and "Thank you for visiting Test Shop, Bob." in got.body
    assert got.headers["Reply-To"] == "Sam <sam@test-shop.example>"
    assert (stored.status, stored.attempts, stored.sent_at) == (OutboxStatus.SENT, 1, mail_shop.now())
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 0


def test_a_refusing_server_fails_the_message_and_opens_the_follow_up_with_its_reason(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    smtp_server.mode = "refuse"
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    stored = _message(mail_shop, message_id)
    assert run.failed == 1 and stored.status == OutboxStatus.FAILED
    assert stored.last_error == "The mail server refused the message: 550 5.1.1 Mailbox unavailable."
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN
    (reopened,) = audit_log("followup.reopened")
    assert reopened.entity_id == followup_id
    (shown,) = followups.my_followups(mail_shop, team.sam).upcoming
    assert shown.mail_problem == stored.last_error


def test_the_owner_is_told_on_any_terminal_why_their_email_was_not_sent(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    smtp_server.mode = "refuse"
    queue_thank_you_email(mail_shop, team, bob)
    seen = changes.latest_event_id(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)

    new = changes.changes_since(mail_shop, seen)
    told = {actor.name: notices.notices_for(mail_shop, actor, new) for actor in (team.sam, team.lead)}
    assert [notice.message for notice in told["Sam"]] == [
        "Your email to Bob Jones was not sent. The mail server refused the message: 550 5.1.1 Mailbox "
        "unavailable. It is open again in My follow-ups (f)."
    ]
    assert told["Dana"] == []


@pytest.mark.parametrize(
    ("mode", "reason", "tries_counted"),
    [
        ("drop", "The mail server closed the connection before accepting the message.", 3),
        # No answer in time is the shop's setup (mail_hold): it holds the email back, no try counted.
        ("hold", "The mail server did not answer within 0.5 seconds.", 0),
    ],
)
def test_a_dropped_or_slow_server_is_tried_again_later_waiting_longer_each_time(
    mail_shop: ShopContext,
    team: Team,
    bob: int,
    smtp_server: LocalSmtp,
    mode: str,
    reason: str,
    tries_counted: int,
) -> None:
    smtp_server.mode = mode
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)

    first = mail_sender.deliver_pending(mail_shop, timeout=0.5)
    after_first = _message(mail_shop, message_id)
    assert first.retrying == 1
    assert (after_first.status, after_first.last_error) == (OutboxStatus.PENDING, reason)
    assert mail_sender.deliver_pending(mail_shop, timeout=0.5).retrying == 0  # not due yet
    waits = []
    for _ in range(2):
        mail_shop.clock.moment = _message(mail_shop, message_id).next_attempt_at  # type: ignore[attr-defined]
        before = mail_shop.now()
        mail_sender.deliver_pending(mail_shop, timeout=0.5)
        waits.append(_message(mail_shop, message_id).next_attempt_at - before)
    assert waits[1] == 2 * waits[0]
    assert _message(mail_shop, message_id).attempts == tries_counted
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.DONE

    smtp_server.mode = "accept"
    smtp_server.release.set()
    mail_shop.clock.advance(hours=2)  # type: ignore[attr-defined]
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1
    assert _message(mail_shop, message_id).status == OutboxStatus.SENT
    assert len(smtp_server.unique_deliveries()) == 1


def test_a_message_claimed_by_one_sender_is_not_claimed_by_another(
    mail_shop: ShopContext, team: Team, bob: int
) -> None:
    _, message_id = queue_thank_you_email(mail_shop, team, bob)

    assert mail_sender._claim(mail_shop, message_id) is not None
    assert mail_sender._claim(mail_shop, message_id) is None
    mail_shop.clock.advance(seconds=mail_sender.LEASE.total_seconds())  # type: ignore[attr-defined]
    assert mail_sender._claim(mail_shop, message_id) is not None  # that sender died: lease over


def test_after_the_last_try_the_message_fails_and_the_follow_up_opens_again(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, audit_log: AuditLog
) -> None:
    smtp_server.mode = "drop"
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)

    runs = []
    for _ in range(mail_sender.MOST_ATTEMPTS):
        runs.append(mail_sender.deliver_pending(mail_shop, timeout=5))
        mail_shop.clock.advance(hours=2)  # type: ignore[attr-defined]

    assert [(run.retrying, run.failed) for run in runs] == [(1, 0)] * (mail_sender.MOST_ATTEMPTS - 1) + [
        (0, 1)
    ]
    stored = _message(mail_shop, message_id)
    assert (stored.status, stored.attempts) == (OutboxStatus.FAILED, mail_sender.MOST_ATTEMPTS)
    assert stored.last_error == "The mail server closed the connection before accepting the message."
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN
    assert len(audit_log("mail.retrying")) == mail_sender.MOST_ATTEMPTS - 1
    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(0, 0, 0)


def test_with_the_mail_server_unset_nothing_is_sent_and_the_message_waits(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    set_shop_rules(mail_shop, {"mail.host": ""})

    assert mail_sender.deliver_pending(mail_shop, timeout=5) == mail_sender.DeliveryRun(
        0,
        0,
        0,
        waiting=1,
        problem="The shop has no mail server (mail.host is empty). A shift lead sets it with: "
        "counter-tui shop set mail.host SERVER.",
    )
    assert (_message(mail_shop, message_id).status, smtp_server.received) == (OutboxStatus.PENDING, [])


def test_a_server_that_cannot_be_reached_ends_the_pass_and_fails_nothing_for_good(
    mail_shop: ShopContext, team: Team, bob: int
) -> None:
    """Every other message would fail alike, each waiting out the timeout: the first one
    tried is retried later, the rest are not tried. The failure is the shop's, so no
    attempt is counted against either (the one tried had one counted)."""
    first = queue_thank_you_email(mail_shop, team, bob)[1]
    ann = customers.create_customer(mail_shop, team.sam, name="Ann Lee", email="ann@example.com")
    second = queue_thank_you_email(mail_shop, team, ann)[1]
    set_shop_rules(mail_shop, {"mail.port": unused_port()})

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert (run.sent, run.retrying, run.failed, run.waiting) == (0, 1, 0, 2)
    assert run.problem == (
        "The mail server could not be reached (ConnectionRefusedError). Check mail.host and mail.port "
        f"(now 127.0.0.1:{mail_shop.rules.mail.port}) and mail.security, and that the server is running."
    )
    assert [_message(mail_shop, m).attempts for m in (first, second)] == [0, 0]
    assert {_message(mail_shop, m).status for m in (first, second)} == {OutboxStatus.PENDING}


def test_a_refused_login_is_the_shops_to_fix_not_the_messages(
    mail_shop: ShopContext,
    team: Team,
    bob: int,
    smtp_server_with_login: LocalSmtp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It failed the message for good and opened its follow-up again, telling its owner
    the server "refused the message" when it was the shop's password that was wrong."""
    followup_id, message_id = queue_thank_you_email(mail_shop, team, bob)
    set_shop_rules(mail_shop, {"mail.port": smtp_server_with_login.port, "mail.user": SMTP_USER})
    monkeypatch.setenv("COUNTER_TUI_SMTP_PASSWORD", "wrong")

    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    assert run.problem.startswith("The mail server did not accept the user name and password: 535 ")
    assert run.problem.endswith(
        "Check mail.user and the password in COUNTER_TUI_SMTP_PASSWORD where this runs."
    )
    assert _message(mail_shop, message_id).status == OutboxStatus.PENDING
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.DONE


def _header_lines(raw: bytes) -> list[bytes]:
    """The header section's lines as received, whatever ends them."""
    return raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].split(b"\n")


def test_no_stored_text_can_start_a_header_line_of_its_own(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    """A message's subject is stored text; a line break in it, however it got there, goes out
    as a space on the Subject line: never a header of its own, and never a sender that
    stops on it (Python's email package raises ValueError on such a header)."""
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    with mail_shop.database.write() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.subject = "Thanks\r\nBcc: evil@example.com\u2028X-Evil: 1"
        session.add(row)

    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1

    (got,) = smtp_server.received
    assert got.headers["Subject"] == "Thanks Bcc: evil@example.com X-Evil: 1"
    assert [line for line in _header_lines(got.raw) if line.lower().startswith((b"bcc", b"x-evil"))] == []
    assert got.to == ["bob@example.com"]


def test_every_line_on_the_wire_ends_in_crlf_and_only_the_senders_headers_are_there(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    """SMTP lines end in CR LF; real servers refuse a message with bare line feeds (it was
    sent with them). Read byte for byte as the server received it."""
    queue_thank_you_email(mail_shop, team, bob)

    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1

    (got,) = smtp_server.received
    lines = got.raw.split(b"\r\n")
    assert lines[-1] == b""  # the last line ends in CR LF too
    assert [line for line in lines if b"\r" in line or b"\n" in line] == []
    assert b"From: shop@test-shop.example" in lines
    assert b"Reply-To: Sam <sam@test-shop.example>" in lines
    assert {line.split(b":")[0] for line in _header_lines(got.raw)} == {
        b"From",
        b"To",
        b"Reply-To",
        b"Subject",
        b"Message-ID",
        b"Date",
        b"Content-Type",
        b"Content-Transfer-Encoding",
        b"MIME-Version",
    }
    assert LINE.encode() in lines
