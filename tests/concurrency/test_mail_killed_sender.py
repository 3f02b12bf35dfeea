"""A terminal killed mid-send neither loses nor duplicates an email (issue 11): a real
sending process is SIGKILLed while the local SMTP server holds the message it was
handed; the message stays claimed until its lease runs out, and the next run sends it
again with the same Message-ID, so the receiving side has exactly one message. Two
senders running at once claim each message with one conditional UPDATE, so each is sent
once (without the claim's condition this fails in most runs); the same holds for two
staff apps started at once, each delivering the outbox by itself."""

from __future__ import annotations

import pytest

from counter_tui.db.models import OutboxMessage, OutboxStatus
from counter_tui.services import customers, mail_sender
from counter_tui.services.context import ShopContext
from tests.concurrency.line_process import LineProcess
from tests.conftest import Team
from tests.mail_server import LocalSmtp, queue_thank_you_email

pytestmark = pytest.mark.slow


def _message(ctx: ShopContext, message_id: int) -> OutboxMessage:
    with ctx.database.read() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        return row


def _queue_thank_yous(ctx: ShopContext, team: Team, count: int) -> list[int]:
    """`count` customers agreeing to email, each with a thank-you queued; the message ids."""
    queued = []
    for number in range(count):
        customer = customers.create_customer(
            ctx, team.sam, name=f"Customer {number}", email=f"c{number}@example.com"
        )
        queued.append(queue_thank_you_email(ctx, team, customer)[1])
    return queued


def _two_at_once(module: str, ctx: ShopContext, database_url: str, first_line: str) -> list[LineProcess]:
    """Two processes of `module` started together on the shop, at its clock's time, each
    having printed `first_line`."""
    now = ctx.now().isoformat()
    started = [LineProcess(module, database_url, now) for _ in range(2)]
    for process in started:
        assert process.read_line() == first_line
    return started


def _assert_each_sent_once(ctx: ShopContext, smtp_server: LocalSmtp, queued: list[int]) -> None:
    assert len(smtp_server.received) == len(smtp_server.unique_deliveries()) == len(queued)
    assert {_message(ctx, message_id).status for message_id in queued} == {OutboxStatus.SENT}


def test_a_sender_killed_mid_send_gives_exactly_one_delivery_after_a_rerun(
    mail_shop: ShopContext,
    team: Team,
    smtp_server: LocalSmtp,
    database_url: str,
) -> None:
    bob = customers.create_customer(mail_shop, team.sam, name="Bob Jones", email="bob@example.com")
    _, message_id = queue_thank_you_email(mail_shop, team, bob)
    smtp_server.mode = "hold"

    sender = LineProcess("tests.concurrency.mail_sender_process", database_url, mail_shop.now().isoformat())
    assert sender.read_line() == "sending"
    assert smtp_server.got_data.wait(60), "the sender never reached DATA"
    sender.kill()

    killed = _message(mail_shop, message_id)
    assert (killed.status, killed.attempts) == (OutboxStatus.SENDING, 1)
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 0  # its claim still holds

    smtp_server.mode = "accept"
    smtp_server.release.set()
    mail_shop.clock.advance(seconds=mail_sender.LEASE.total_seconds())  # type: ignore[attr-defined]
    rerun = LineProcess("tests.concurrency.mail_sender_process", database_url, mail_shop.now().isoformat())
    assert rerun.read_line() == "sending"
    assert rerun.read_line() == "done 1 0 0"
    rerun.kill()

    sent = _message(mail_shop, message_id)
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 2)
    assert [got.message_id for got in smtp_server.received] == [sent.message_id] * 2
    assert smtp_server.unique_deliveries() == {sent.message_id}


def test_two_senders_at_once_send_each_message_once(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp, database_url: str
) -> None:
    queued = _queue_thank_yous(mail_shop, team, 8)
    senders = _two_at_once("tests.concurrency.mail_sender_process", mail_shop, database_url, "sending")
    runs = []
    for sender in senders:
        runs.append([int(part) for part in sender.read_line().split()[1:]])
        sender.kill()

    assert sum(run[0] for run in runs) == len(queued)
    _assert_each_sent_once(mail_shop, smtp_server, queued)


def test_two_staff_apps_started_at_once_deliver_each_message_once_by_themselves(
    mail_shop: ShopContext, team: Team, smtp_server: LocalSmtp, database_url: str
) -> None:
    queued = _queue_thank_yous(mail_shop, team, 6)
    terminals = _two_at_once("tests.concurrency.mail_app_process", mail_shop, database_url, "ready")
    for terminal in terminals:
        terminal.send("go")
    for terminal in terminals:
        assert terminal.read_line() == "done"
        terminal.kill()

    _assert_each_sent_once(mail_shop, smtp_server, queued)
