"""A mail server that cannot be reached is the shop's to fix, not the email's: an outage
(no server reached, a timeout, a login refused) uses none of an email's six tries. The
emails wait together, tried again at a growing interval, and the staff are told that
email is held back, and told again when it goes. Only what the server says about the
email itself (the address or the message refused, "try later", a drop mid-message)
counts as a try. An email held back until the close of the next business day fails, its
follow-up opened again for its owner with the reason, so a person decides: nothing is
dropped without someone hearing it. Against a real SMTP server on 127.0.0.1 (its port
changed to one where nothing listens, for the outage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, FollowUpStatus, OutboxMessage, OutboxStatus
from counter_tui.mail_settings import MailRules
from counter_tui.services import (
    changes,
    customers,
    followup_changes,
    followups,
    mail_hold,
    mail_sender,
    notices,
    outbox,
    shop_settings,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.smtp_transport import MailFailure, Outgoing
from tests.conftest import Team, set_shop_rules
from tests.mail_server import LINE, LocalSmtp, queue_thank_you_email, thank_you, unused_port
from tests.unit.conftest import AuditLog

UNREACHABLE = "The mail server could not be reached (ConnectionRefusedError)."


def _messages(ctx: ShopContext) -> list[OutboxMessage]:
    with ctx.database.read() as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def _followup(ctx: ShopContext, followup_id: int) -> FollowUp:
    with ctx.database.read() as session:
        return session.exec(select(FollowUp).where(FollowUp.id == followup_id)).one()


def _two_emails(ctx: ShopContext, team: Team, bob: int) -> list[int]:
    """Bob's and Ann's thank-yous, checked off by email by Sam: their follow-up ids."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", email="ann@example.com")
    return [queue_thank_you_email(ctx, team, customer)[0] for customer in (bob, ann)]


def _next_try(ctx: ShopContext) -> datetime:
    return min(row.next_attempt_at for row in _messages(ctx) if row.status == OutboxStatus.PENDING)


def _server_down(ctx: ShopContext) -> None:
    set_shop_rules(ctx, {"mail.port": unused_port()})


def _server_up(ctx: ShopContext, server: LocalSmtp) -> None:
    set_shop_rules(ctx, {"mail.port": server.port})


def test_an_outage_of_half_an_hour_uses_none_of_the_emails_tries(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    """The oldest email was tried on every pass, each try counted: six passes (about 15
    minutes) failed it for good and opened its follow-up again."""
    followup_ids = _two_emails(mail_shop, team, bob)
    _server_down(mail_shop)

    waits = []
    for _ in range(8):
        run = mail_sender.deliver_pending(mail_shop, timeout=5)
        assert (run.sent, run.failed, run.waiting) == (0, 0, 2)
        assert run.problem.startswith(UNREACHABLE)
        rows = _messages(mail_shop)
        assert [(row.status, row.attempts) for row in rows] == [(OutboxStatus.PENDING, 0)] * 2
        assert rows[0].next_attempt_at == rows[1].next_attempt_at  # they wait together
        waits.append((rows[0].next_attempt_at - mail_shop.now()).total_seconds())
        assert mail_sender.deliver_pending(mail_shop, timeout=5).problem == ""  # nothing tried meanwhile
        clock.moment = _next_try(mail_shop)

    assert waits == [30, 30, 60, 120, 240, 480, 600, 600]
    assert mail_shop.now() - _messages(mail_shop)[0].created_at > timedelta(minutes=30)
    assert {_followup(mail_shop, f).status for f in followup_ids} == {FollowUpStatus.DONE}

    _server_up(mail_shop, smtp_server)
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 2
    assert [(row.status, row.attempts, row.held_since) for row in _messages(mail_shop)] == [
        (OutboxStatus.SENT, 1, None)
    ] * 2


def test_what_the_server_says_about_the_email_still_counts_after_an_outage(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    followup_id, _ = queue_thank_you_email(mail_shop, team, bob)
    _server_down(mail_shop)
    for _ in range(4):
        mail_sender.deliver_pending(mail_shop, timeout=5)
        clock.moment = _next_try(mail_shop)

    _server_up(mail_shop, smtp_server)
    smtp_server.mode = "drop"
    runs = []
    for _ in range(mail_sender.MOST_ATTEMPTS):
        runs.append(mail_sender.deliver_pending(mail_shop, timeout=5))
        clock.advance(hours=2)

    assert [(run.retrying, run.failed) for run in runs] == [(1, 0)] * (mail_sender.MOST_ATTEMPTS - 1) + [
        (0, 1)
    ]
    (row,) = _messages(mail_shop)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, mail_sender.MOST_ATTEMPTS)
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN


def test_the_staff_hear_once_that_email_is_held_back_and_again_when_it_goes(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    _two_emails(mail_shop, team, bob)
    _server_down(mail_shop)
    port = mail_shop.rules.mail.port
    seen = changes.latest_event_id(mail_shop)
    for _ in range(3):
        mail_sender.deliver_pending(mail_shop, timeout=5)
        clock.moment = _next_try(mail_shop)

    new = changes.changes_since(mail_shop, seen)
    told = {actor.name: notices.notices_for(mail_shop, actor, new) for actor in (team.sam, team.lead)}
    held = (
        "Email is not going out: the mail server could not be reached (ConnectionRefusedError). "
        "2 emails are waiting in the outbox and will go once the server answers."
    )
    assert [(notice.title, notice.message) for notice in told["Sam"]] == [
        ("Email held back", f"{held} Tell a shift lead.")
    ]
    assert [notice.message for notice in told["Dana"]] == [
        f"{held} Check mail.host and mail.port (now 127.0.0.1:{port}) and mail.security, and that the "
        "server is running."
    ]

    _server_up(mail_shop, smtp_server)
    seen = changes.latest_event_id(mail_shop)
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 2
    new = changes.changes_since(mail_shop, seen)
    for actor in (team.sam, team.lead):
        assert [(n.title, n.message) for n in notices.notices_for(mail_shop, actor, new)] == [
            (
                "Email going out",
                "The mail server answers again: 2 emails held back since Fri 20 Nov, 11:00 are going out.",
            )
        ]


def test_my_follow_ups_say_while_email_is_held_back_and_whose_waits(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    assert mail_hold.held_back(mail_shop, team.sam) == ""
    _two_emails(mail_shop, team, bob)
    _server_down(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)

    said = (
        "Email held back since Fri 20 Nov, 11:00: the mail server could not be reached "
        "(ConnectionRefusedError). 2 emails wait, {yours}, and go once the server answers. {then}"
    )
    assert mail_hold.held_back(mail_shop, team.sam) == said.format(
        yours="both yours", then="Tell a shift lead."
    )
    assert mail_hold.held_back(mail_shop, team.alex) == said.format(
        yours="none yours", then="Tell a shift lead."
    )
    assert mail_hold.held_back(mail_shop, team.lead).endswith(
        "none yours, and go once the server answers. Check mail.host and mail.port "
        f"(now 127.0.0.1:{mail_shop.rules.mail.port}) and mail.security, and that the server is running."
    )
    _server_up(mail_shop, smtp_server)
    clock.moment = _next_try(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)
    assert mail_hold.held_back(mail_shop, team.sam) == ""


def test_one_email_held_back_is_said_in_the_singular(mail_shop: ShopContext, team: Team, bob: int) -> None:
    queue_thank_you_email(mail_shop, team, bob)
    _server_down(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)

    assert "(ConnectionRefusedError). 1 email waits, yours, and goes once the server answers." in (
        mail_hold.held_back(mail_shop, team.sam)
    )


class _Unreachable:
    """A transport whose server never answers: counts the tries."""

    def __init__(self) -> None:
        self.tries = 0

    def __call__(self, mail: MailRules, outgoing: Outgoing, timeout: float) -> str:
        self.tries += 1
        raise MailFailure(
            "The mail server could not be reached (TimeoutError).", permanent=False, fix="Check."
        )


def test_an_email_written_while_email_is_held_back_waits_with_the_others(
    mail_shop: ShopContext, team: Team, bob: int
) -> None:
    """It was tried at once, on its own: a connection (up to the whole timeout, on a
    server that does not answer) for every email checked off during an outage."""
    queue_thank_you_email(mail_shop, team, bob)
    server = _Unreachable()
    mail_sender.deliver_pending(mail_shop, transport=server)
    ann = customers.create_customer(mail_shop, team.sam, name="Ann Lee", email="ann@example.com")
    customers.record_consent(mail_shop, team.sam, ann, "email", granted=True, source="counter")
    followup_id = thank_you(mail_shop, team, ann)

    shown = outbox.preview(mail_shop, team.sam, followup_id, personal_line=LINE)
    outbox.complete_by_email(mail_shop, team.sam, followup_id, what_was_done="Emailed", personal_line=LINE)

    assert shown.held_back == (
        "Email is held back since Fri 20 Nov, 11:00: the mail server could not be reached "
        "(TimeoutError). This one waits in the outbox with the others and goes once the server answers."
    )
    first, second = _messages(mail_shop)
    assert (second.held_since, second.next_attempt_at) == (mail_shop.now(), first.next_attempt_at)
    mail_sender.deliver_pending(mail_shop, transport=server)
    assert server.tries == 1


def test_email_held_back_past_the_next_business_days_close_fails_and_its_owner_is_told(
    mail_shop: ShopContext,
    team: Team,
    bob: int,
    smtp_server: LocalSmtp,
    clock: ManualClock,
    audit_log: AuditLog,
) -> None:
    """Held back from Friday 11:00, it waits through Saturday (the shop closes at 16:00),
    then fails: its follow-up opens again with the reason for Sam to decide (send it again
    once the server answers, or reach Bob another way), and Sam is told."""
    followup_id, _ = queue_thank_you_email(mail_shop, team, bob)
    _server_down(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)
    clock.moment = datetime.fromisoformat("2026-11-21T15:59:00+00:00")
    assert mail_sender.deliver_pending(mail_shop, timeout=5).failed == 0
    seen = changes.latest_event_id(mail_shop)

    clock.moment = _next_try(mail_shop)
    run = mail_sender.deliver_pending(mail_shop, timeout=5)

    (row,) = _messages(mail_shop)
    why = (
        "It waited from Fri 20 Nov, 11:00 until the close of the next business day (Sat 21 Nov, 16:00) "
        f"and the shop's mail server still could not take it. {UNREACHABLE}"
    )
    assert (run.failed, run.waiting, row.status, row.last_error) == (1, 0, OutboxStatus.FAILED, why)
    assert _followup(mail_shop, followup_id).status == FollowUpStatus.OPEN
    (shown,) = followups.my_followups(mail_shop, team.sam).overdue
    assert shown.mail_problem == why
    told = notices.notices_for(mail_shop, team.sam, changes.changes_since(mail_shop, seen))
    assert [notice.message for notice in told] == [
        f"Your email to Bob Jones was not sent. {why} It is open again in My follow-ups (f)."
    ]
    assert [event.entity_id for event in audit_log("followup.reopened")] == [followup_id]
    assert mail_hold.held_back(mail_shop, team.sam) == ""  # nothing is held back any more
    assert (
        followup_changes.followup_patch(mail_shop, team.sam, changes.changes_since(mail_shop, seen)) is None
    )


def test_a_lead_changing_a_mail_setting_has_held_email_tried_at_the_next_pass(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    """The wait is for a server nobody touched; after a fix, the next pass tries."""
    queue_thank_you_email(mail_shop, team, bob)
    _server_down(mail_shop)
    for _ in range(6):
        mail_sender.deliver_pending(mail_shop, timeout=5)
        clock.moment = _next_try(mail_shop)
    mail_sender.deliver_pending(mail_shop, timeout=5)
    assert _next_try(mail_shop) - mail_shop.now() == mail_hold.LONGEST_WAIT

    shop_settings.change(mail_shop, team.lead, {"mail.port": str(smtp_server.port)})

    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1
