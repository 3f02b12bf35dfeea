"""`counter-tui mail test ADDRESS` (issue 11): a shift lead sends one test message to the
local SMTP server started by the test and reads the server's answer in one line; a
refusing server's reason is the one red line; an associate may not.

`counter-tui mail send` (run from cron): exit code 0 when every email due went or none
was due; exit code 1, with one line saying what is wrong, what to set and how many emails
wait, when emails were due and the shop's own mail setup kept them from going (no server
set, a server that cannot be reached, a login it refuses)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from counter_tui.db.models import OutboxMessage, OutboxStatus
from counter_tui.services import customers
from counter_tui.services.context import Actor
from tests.conftest import Team
from tests.mail_server import SMTP_PASSWORD, SMTP_USER, LocalSmtp, queue_thank_you_email, unused_port
from tests.unit.test_cli import assert_one_line_failure, shop, staff_id
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke


def _point_at(shop_url: str, server: LocalSmtp | None, **more: str) -> None:
    """Set the shop's mail server: the local one, or (None) a port where nothing listens."""
    for key, value in {
        "mail.host": "127.0.0.1",
        "mail.port": str(server.port if server else unused_port()),
        "mail.security": "none",
        "mail.sender": "shop@test-shop.example",
        **more,
    }.items():
        assert invoke(shop_url, "shop", "set", key, value, env=LEAD_ENV).exit_code == 0


def _queue_emails(shop_url: str, count: int) -> None:
    """`count` thank-you emails waiting in the outbox, Sam's, each to its own customer."""
    here = shop(shop_url)
    dana, sam = (
        Actor(staff_id=staff_id(shop_url, name), name=name, role=role)
        for name, role in (("Dana", "lead"), ("Sam", "associate"))
    )
    team = Team(lead=dana, sam=sam, alex=sam)
    for number in range(count):
        customer = customers.create_customer(
            here, sam, name=f"Ann Number{number}", email=f"ann{number}@example.com"
        )
        queue_thank_you_email(here, team, customer)


def _statuses(shop_url: str) -> list[OutboxStatus]:
    with shop(shop_url).database.read() as session:
        return list(session.exec(select(OutboxMessage.status).order_by(col(OutboxMessage.id))))


def test_a_lead_sends_a_test_message_and_reads_the_servers_answer(
    shop_with_lead: str, smtp_server: LocalSmtp
) -> None:
    _point_at(shop_with_lead, smtp_server)

    result = invoke(shop_with_lead, "mail", "test", "dana@example.com", env=LEAD_ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout == "Accepted by 127.0.0.1: 250 2.0.0 Queued as 1234\n"
    (got,) = smtp_server.received
    assert got.to == ["dana@example.com"]
    (tested,) = events(shop_with_lead, "mail.tested")
    assert json.loads(tested.details)["accepted"] is True
    assert "dana@example.com" not in tested.details
    with shop(shop_with_lead).database.read() as session:
        assert session.get(OutboxMessage, 1) is None  # a test goes straight to the server


def test_a_refusal_is_one_line_with_the_servers_reason(shop_with_lead: str, smtp_server: LocalSmtp) -> None:
    _point_at(shop_with_lead, smtp_server)
    smtp_server.mode = "refuse"

    result = invoke(shop_with_lead, "mail", "test", "dana@example.com", env=LEAD_ENV)

    assert result.exit_code == 1
    assert "The mail server refused the message: 550 5.1.1 Mailbox unavailable." in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_associate_cannot_send_a_test(shop_with_lead: str, smtp_server: LocalSmtp) -> None:
    _point_at(shop_with_lead, smtp_server)

    result = invoke(shop_with_lead, "mail", "test", "dana@example.com", "--lead", "Sam", input="2222\n")

    assert result.exit_code == 1
    assert smtp_server.received == []


def test_a_sender_with_a_line_break_typed_is_one_red_line_and_the_old_sender_stays(
    shop_with_lead: str, smtp_server: LocalSmtp
) -> None:
    _point_at(shop_with_lead, smtp_server)

    result = invoke(
        shop_with_lead, "shop", "set", "mail.sender", "x@y\\r\\nBcc: evil@example.com", env=LEAD_ENV
    )

    assert_one_line_failure(
        result,
        """mail.sender: the part after the @-sign contains invalid characters: "\\", ':', '@', SPACE; """
        "write one email address, e.g. shop@example.com or Dana <dana@example.com>.",
    )
    assert shop(shop_with_lead).rules.mail.sender == "shop@test-shop.example"


def test_mail_send_with_every_email_delivered_exits_0(shop_with_lead: str, smtp_server: LocalSmtp) -> None:
    _point_at(shop_with_lead, smtp_server)
    _queue_emails(shop_with_lead, 2)

    result = invoke(shop_with_lead, "mail", "send")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "Sent 2 emails.\n"
    assert len(smtp_server.unique_deliveries()) == 2


def test_mail_send_with_nothing_due_exits_0_with_or_without_a_server(shop_with_lead: str) -> None:
    result = invoke(shop_with_lead, "mail", "send")

    assert (result.exit_code, result.stdout, result.stderr) == (0, "No emails were due.\n", "")


def test_mail_send_without_a_mail_server_says_what_to_set_and_what_waits(shop_with_lead: str) -> None:
    """Emails are queued only while a server is set; this one was unset afterwards."""
    _point_at(shop_with_lead, None)
    _queue_emails(shop_with_lead, 1)
    for key in ("mail.host", "mail.sender"):
        assert invoke(shop_with_lead, "shop", "set", key, "", env=LEAD_ENV).exit_code == 0

    result = invoke(shop_with_lead, "mail", "send")

    assert_one_line_failure(
        result,
        "No email went out: the shop has no mail server (mail.host and mail.sender are empty). "
        "A shift lead sets them with: counter-tui shop set mail.host SERVER, and mail.sender. "
        "1 email waits in the outbox.",
    )
    assert _statuses(shop_with_lead) == [OutboxStatus.PENDING]


def test_mail_send_to_a_server_that_cannot_be_reached_says_what_to_check(shop_with_lead: str) -> None:
    _point_at(shop_with_lead, None)
    port = shop(shop_with_lead).rules.mail.port
    _queue_emails(shop_with_lead, 3)

    result = invoke(shop_with_lead, "mail", "send")

    assert_one_line_failure(
        result,
        "No email went out: the mail server could not be reached (ConnectionRefusedError). "
        f"Check mail.host and mail.port (now 127.0.0.1:{port}) and mail.security, and that the server "
        "is running. 3 emails wait in the outbox.",
    )
    assert _statuses(shop_with_lead) == [OutboxStatus.PENDING] * 3


def test_mail_send_with_a_refused_login_says_so_and_keeps_the_emails(
    shop_with_lead: str, smtp_server_with_login: LocalSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password is the shop's to fix, not the message's fault: the emails wait
    (they were failed for good, and their follow-ups opened again, as if the customer's
    server had refused them)."""
    _point_at(shop_with_lead, smtp_server_with_login, **{"mail.user": SMTP_USER})
    _queue_emails(shop_with_lead, 2)
    monkeypatch.setenv("COUNTER_TUI_SMTP_PASSWORD", "wrong-password")

    refused = invoke(shop_with_lead, "mail", "send")

    assert_one_line_failure(
        refused,
        "No email went out: the mail server did not accept the user name and password: "
        "535 5.7.8 Authentication credentials invalid. Check mail.user and the password in "
        "COUNTER_TUI_SMTP_PASSWORD where this runs. 2 emails wait in the outbox.",
    )
    assert _statuses(shop_with_lead) == [OutboxStatus.PENDING] * 2
    monkeypatch.setenv("COUNTER_TUI_SMTP_PASSWORD", SMTP_PASSWORD)
    # Held back for the shop's setup, they are tried again at once when a person asks
    # (they waited out the growing interval, which is for the terminals' own passes).
    assert invoke(shop_with_lead, "mail", "send").stdout == "Sent 2 emails.\n"


def test_mail_send_with_an_address_refused_is_not_the_shops_to_fix_and_exits_0(
    shop_with_lead: str, smtp_server: LocalSmtp
) -> None:
    """The customer's address was refused: its owner is told in the app (the follow-up
    opens again with the reason); a cron job could do nothing about it."""
    _point_at(shop_with_lead, smtp_server)
    _queue_emails(shop_with_lead, 1)
    smtp_server.mode = "refuse"

    result = invoke(shop_with_lead, "mail", "send")

    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "Sent 0 emails; 1 failed (its owner sees why in My follow-ups).\n"


def test_mail_send_stopped_part_way_by_the_server_says_what_went_and_exits_1(
    shop_with_lead: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server went away after the first email: the rest wait, and cron hears of it."""
    from counter_tui.services import mail_sender

    problem = "The mail server did not answer within 30 seconds. Check mail.host and mail.port."
    run = mail_sender.DeliveryRun(sent=1, retrying=1, failed=0, waiting=2, problem=problem)
    monkeypatch.setattr(mail_sender, "deliver_pending", lambda _shop, **_: run)

    result = invoke(shop_with_lead, "mail", "send")

    assert_one_line_failure(
        result,
        "Sent 1 email, then stopped: the mail server did not answer within 30 seconds. "
        "Check mail.host and mail.port. 2 emails wait in the outbox.",
    )
