"""`counter-tui mail test ADDRESS` (issue 11): a shift lead sends one test message to the
local SMTP server started by the test and reads the server's answer in one line; a
refusing server's reason is the one red line; an associate may not."""

from __future__ import annotations

import json

from counter_tui.db.models import OutboxMessage
from tests.mail_server import LocalSmtp
from tests.unit.test_cli import assert_one_line_failure, shop
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke


def _point_at(shop_url: str, server: LocalSmtp) -> None:
    for key, value in {
        "mail.host": "127.0.0.1",
        "mail.port": str(server.port),
        "mail.security": "none",
        "mail.sender": "shop@test-shop.example",
    }.items():
        assert invoke(shop_url, "shop", "set", key, value, env=LEAD_ENV).exit_code == 0


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
