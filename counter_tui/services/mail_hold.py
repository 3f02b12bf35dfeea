"""Email the shop's mail setup holds back: held, never failed for it.

A failure of the shop's setup (`smtp_transport.MailFailure.fix`: no server reached, no
answer in time, a login or the sender refused) is not the email's, so it uses none of its
tries. Every email waiting is held back together (`OutboxMessage.held_since`) and tried
again, one for all, after a wait that grows with how long email has been held back
(FIRST_WAIT, doubling, up to LONGEST_WAIT); an email written meanwhile joins them instead
of trying on its own. The first hold is told to every member of staff (the `HELD` event,
`notices`) and My follow-ups says it while it lasts (`held_back`). The server's first
answer about any email (it took one, or refused one) ends it: every held email is due at
once, and the staff hear that email is going out (`RESUMED`). A lead changing a mail
setting, or anyone running `counter-tui mail send`, has it tried again at once.

An email still held back when the server is tried after the close of the next business
day after it was first held fails, and its follow-up opens again for its owner with why,
as a refused email's does: a person decides whether to send it again or to reach the
customer another way. Waiting on for days, a thank-you would arrive days late, and the
contact cadence would hold every other outreach to that customer meanwhile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select, update

from counter_tui.db.models import AuditEvent, OutboxMessage, OutboxStatus
from counter_tui.sentences import counted, join_sentences
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, allows, require
from counter_tui.services.smtp_transport import MailFailure
from counter_tui.services.when import day_words

HELD = "mail.held"
"""The shop's setup kept email from going; its details say why, what to check, how many
wait and whether this began the hold (`began`)."""
RESUMED = "mail.resumed"
"""The server answered again: the emails held back are due at once."""
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=10)
TELL_A_LEAD = "Tell a shift lead."


@dataclass(frozen=True)
class Hold:
    """Email held back now: since when, how many emails, and when they are tried again."""

    since: datetime
    waiting: int
    next_try: datetime


def _held(session: Session) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.PENDING, col(OutboxMessage.held_since).is_not(None)
            )
        )
    )


def current(session: Session) -> Hold | None:
    """The hold email is under now, if any."""
    since, waiting, next_try = session.exec(
        select(
            func.min(OutboxMessage.held_since), func.count(), func.min(OutboxMessage.next_attempt_at)
        ).where(OutboxMessage.status == OutboxStatus.PENDING, col(OutboxMessage.held_since).is_not(None))
    ).one()
    if not waiting or since is None or next_try is None:
        return None
    return Hold(since, int(waiting), next_try)


def _give_up_at(ctx: ShopContext, held_since: datetime) -> datetime:
    """When an email held back since `held_since` stops waiting: the close of the next
    business day (a weekend or a holiday does not use up the shop's time to fix it)."""
    return ctx.calendar.next_open_days_close(ctx.calendar.local_date(held_since))


def hold_back(
    session: Session, ctx: ShopContext, tried: OutboxMessage, failure: MailFailure
) -> list[tuple[OutboxMessage, str]]:
    """After `tried` failed for the shop's setup, inside the caller's transaction: it is not
    counted as a try; every email waiting is held back, tried again together after the
    wait. Returns the emails held back too long, each with why, for the caller to fail
    (left as they were); the others keep the failure's reason as why they wait."""
    now = ctx.now()
    tried.attempts -= 1  # the shop's setup failed, not this email
    tried.status, tried.claimed_until = OutboxStatus.PENDING, None
    session.add(tried)
    waiting = list(  # locked in one order, so two senders holding back at once take turns
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING)
            .order_by(col(OutboxMessage.id))
            .with_for_update()
        )
    )
    began = all(row.held_since is None for row in waiting)
    since = min((row.held_since for row in waiting if row.held_since is not None), default=now)
    next_try = now + min(max(now - since, FIRST_WAIT), LONGEST_WAIT)
    too_long = [
        row for row in waiting if row.held_since is not None and now >= _give_up_at(ctx, row.held_since)
    ]
    held = [row for row in waiting if row not in too_long]
    for row in held:
        row.held_since = row.held_since or now
        row.next_attempt_at = max(row.next_attempt_at, next_try)
        row.last_error = failure.reason[:300]
        session.add(row)
    audit.record(  # with none left waiting too: what My follow-ups says of the hold changed
        session,
        ctx,
        None,
        HELD,
        "outbox",
        tried.id,
        reason=failure.reason,
        fix=failure.fix,
        waiting=len(held),
        began=began,
        since=since,
    )
    return [(row, _too_long_sentence(ctx, row, failure)) for row in too_long]


def _too_long_sentence(ctx: ShopContext, row: OutboxMessage, failure: MailFailure) -> str:
    """Why an email held back too long failed, for its owner."""
    assert row.held_since is not None
    since = day_words(ctx.calendar, row.held_since, ctx.now(), at_time=True)
    until = day_words(ctx.calendar, _give_up_at(ctx, row.held_since), ctx.now(), at_time=True)
    return join_sentences(
        f"It waited from {since} until the close of the next business day ({until}) and the shop's "
        "mail server still could not take it",
        failure.reason,
    )


def release(session: Session, ctx: ShopContext, answered: OutboxMessage) -> None:
    """The server answered about `answered` (took it or refused it), inside the caller's
    transaction: nothing holds email back any longer, so every held email is due now."""
    held = _held(session)
    was_held = [row for row in (answered, *held) if row.held_since is not None]
    if not was_held:
        return
    since = min(row.held_since for row in was_held if row.held_since is not None)
    answered.held_since = None
    for row in held:
        row.held_since, row.next_attempt_at, row.last_error = None, ctx.now(), ""
        session.add(row)
    audit.record(session, ctx, None, RESUMED, "outbox", None, waiting=len(was_held), since=since)


def due_now(session: Session, ctx: ShopContext) -> None:
    """Email held back is tried at the next pass, not after its wait (a lead changed the
    mail settings), inside the caller's transaction."""
    session.connection().execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING, col(OutboxMessage.held_since).is_not(None))
        .values(next_attempt_at=ctx.now())
    )


def join_hold(session: Session, message: OutboxMessage) -> None:
    """A new email written while email is held back waits with the others (it would only
    fail alike, after up to the whole timeout), held from now."""
    hold = current(session)
    if hold is not None:
        message.held_since, message.next_attempt_at = message.created_at, hold.next_try


def queued_sentence(session: Session, ctx: ShopContext) -> str:
    """What an email written now will do while email is held back ("" when it is not)."""
    hold = current(session)
    if hold is None:
        return ""
    return join_sentences(
        f"Email is held back since {day_words(ctx.calendar, hold.since, ctx.now(), at_time=True)}: "
        f"{_lowered(_latest_details(session).get('reason', ''))}",
        "This one waits in the outbox with the others and goes once the server answers",
    )


def held_back(ctx: ShopContext, actor: Actor) -> str:
    """For My follow-ups: that email is held back, since when and why, how many emails wait
    and how many are the person's own, and what to do ("" while email goes)."""
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        held = _held(session)
        if not held:
            return ""
        details = _latest_details(session)
        mine = sum(row.created_by == staff.id for row in held)
        since = min(row.held_since for row in held if row.held_since is not None)
        words = day_words(ctx.calendar, since, ctx.now(), at_time=True)
        one = len(held) == 1
        waits = f"{counted(len(held), 'email')} {'waits' if one else 'wait'}"
        return join_sentences(
            f"Email held back since {words}: {_lowered(details.get('reason', ''))}",
            f"{waits}, {_whose(len(held), mine)}, and {'goes' if one else 'go'} once the server answers",
            what_to_do(actor, details.get("fix", "")),
        )


def what_to_do(actor: Actor, fix: str) -> str:
    """A shift lead is told what to check; anyone else, to tell one."""
    return fix if fix and allows(actor, Action.CHANGE_SHOP_SETTINGS) else TELL_A_LEAD


def _whose(waiting: int, mine: int) -> str:
    if mine == 0:
        return "not yours" if waiting == 1 else "none yours"
    if mine == waiting:
        return {1: "yours", 2: "both yours"}.get(waiting, "all yours")
    return f"{mine} of them yours"


def _latest_details(session: Session) -> dict[str, str]:
    """The newest hold's reason and what to check."""
    details = session.exec(
        select(AuditEvent.details)
        .where(AuditEvent.action == HELD)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    loaded = json.loads(details) if details else {}
    return {key: str(loaded.get(key, "")) for key in ("reason", "fix")}


def _lowered(sentence: str) -> str:
    """A sentence to go after a colon: "The mail server …" as "the mail server …"."""
    return sentence[:1].lower() + sentence[1:]
