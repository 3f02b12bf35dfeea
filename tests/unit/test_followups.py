"""Follow-ups: callbacks (due before close, next business day near or after close or on a
closed day; consent for the channel or a consent source recorded in the same
transaction), promises (due as entered, never in the past), completing (what was done;
a thank-you needs a personal line beyond the template), who may complete or cancel,
repeating status updates, and the my-follow-ups groups."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    Channel,
    ContactConsent,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Outcome,
)
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import customers, followups, status_updates, thank_yous, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.personal_line import is_personal
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount

GOOD_LINES = (
    "Hope the blue kettle suits your new kitchen",
    "Enjoy the walking boots on Snowdon next week!",
    "Good luck with Maya's birthday party on Saturday",
)
PERFUNCTORY_LINES = (
    "",
    "Thanks!",
    "Thank you!",
    "Thank you for visiting Test Shop today",
    "Thank you for visiting Test Shop, Bob.",
    "Thanks so much, hope to see you again soon!",
    "Great to see you Bob",
    "Thank you Bob, lovely to see you at the shop",
)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _consent(ctx: ShopContext, team: Team, customer_id: int, *channels: str) -> None:
    for channel in channels:
        customers.record_consent(ctx, team.sam, customer_id, channel, granted=True, source="counter")


def _thank_you(ctx: ShopContext, team: Team, customer_id: int) -> int:
    """End a purchase visit owned by Sam; returns the queued thank-you."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    assert result.thank_you_id is not None
    return result.thank_you_id


# --- callbacks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked_at", "due"),
    [
        (_utc(2026, 11, 20, 11, 0), _utc(2026, 11, 20, 17, 30)),  # Friday morning: today
        (_utc(2026, 11, 20, 7, 0), _utc(2026, 11, 20, 17, 30)),  # before opening: today
        (_utc(2026, 11, 20, 16, 29), _utc(2026, 11, 20, 17, 30)),  # just before the last hour
        (_utc(2026, 11, 20, 16, 30), _utc(2026, 11, 21, 16, 0)),  # last hour: Saturday close
        (_utc(2026, 11, 20, 17, 15), _utc(2026, 11, 21, 16, 0)),
        (_utc(2026, 11, 20, 19, 0), _utc(2026, 11, 21, 16, 0)),  # after close
        (_utc(2026, 11, 21, 15, 10), _utc(2026, 11, 23, 17, 30)),  # Saturday's last hour
        (_utc(2026, 11, 22, 12, 0), _utc(2026, 11, 23, 17, 30)),  # Sunday: closed
        (_utc(2026, 7, 17, 15, 0), _utc(2026, 7, 17, 16, 30)),  # summer: 16:00 BST, close 17:30
        (_utc(2026, 7, 17, 15, 45), _utc(2026, 7, 18, 15, 0)),  # 16:45 BST: Sat 16:00 BST
    ],
)
def test_callback_due_times(
    ctx: ShopContext,
    team: Team,
    bob: int,
    clock: ManualClock,
    fetch: Callable[..., Any],
    asked_at: datetime,
    due: datetime,
) -> None:
    clock.moment = asked_at
    _consent(ctx, team, bob, Channel.PHONE)
    followup_id = followups.add_callback(ctx, team.sam, bob, about="price of the blue kettle")
    callback: FollowUp = fetch(FollowUp, followup_id)
    assert callback.due_at == due
    assert (callback.kind, callback.channel, callback.owner_id) == (
        FollowUpKind.CALLBACK,
        Channel.PHONE,
        team.sam.staff_id,
    )


def test_callback_without_consent_is_refused(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount, audit_log: AuditLog
) -> None:
    with pytest.raises(NotAllowed, match="Bob Jones has not agreed to be contacted by phone"):
        followups.add_callback(ctx, team.sam, bob, about="repair ready?")
    customers.record_consent(ctx, team.sam, bob, Channel.SMS, granted=False, source="declined")
    with pytest.raises(NotAllowed, match="by text message"):
        followups.add_callback(ctx, team.sam, bob, about="repair ready?", channel=Channel.SMS)
    assert row_count(FollowUp) == 0
    assert audit_log("followup.queued") == []


def test_callback_with_a_consent_source_records_consent_in_the_same_transaction(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    followup_id = followups.add_callback(
        ctx, team.sam, bob, about="repair ready?", consent_source="asked at the counter"
    )
    assert fetch(FollowUp, followup_id).status == FollowUpStatus.OPEN
    with ctx.database.read() as session:
        [consent] = session.exec(select(ContactConsent)).all()
    assert (consent.channel, consent.granted, consent.source, consent.recorded_by) == (
        Channel.PHONE,
        True,
        "asked at the counter",
        team.sam.staff_id,
    )
    events = audit_log("customer.consent_recorded", "followup.queued")
    assert [e.action for e in events] == ["customer.consent_recorded", "followup.queued"]
    assert json.loads(events[0].details) == {
        "channel": "phone",
        "granted": True,
        "source": "asked at the counter",
    }


def test_consent_given_with_a_refused_callback_is_not_kept(
    ctx: ShopContext, team: Team, row_count: RowCount, audit_log: AuditLog
) -> None:
    no_phone = customers.create_customer(ctx, team.sam, name="Cleo", email="cleo@example.com")
    with pytest.raises(InvalidInput, match="no phone number on file"):
        followups.add_callback(ctx, team.sam, no_phone, about="order", consent_source="counter")
    assert row_count(ContactConsent) == 0
    assert row_count(FollowUp) == 0
    assert audit_log("customer.consent_recorded", "followup.queued") == []


def test_callback_needs_a_topic_and_a_phone_channel(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob, Channel.PHONE, Channel.EMAIL)
    with pytest.raises(InvalidInput, match="what the call is about"):
        followups.add_callback(ctx, team.sam, bob, about=" ")
    with pytest.raises(InvalidInput, match="phone or text message"):
        followups.add_callback(ctx, team.sam, bob, about="x", channel=Channel.EMAIL)


def test_a_new_follow_up_belongs_to_the_owner_of_the_open_visit(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    _consent(ctx, team, bob, Channel.PHONE)
    visits.new_walk_in(ctx, team.alex, customer_id=bob, claim=True)
    followup_id = followups.add_callback(ctx, team.lead, bob, about="stock check")
    assert fetch(FollowUp, followup_id).owner_id == team.alex.staff_id
    assert fetch(FollowUp, followup_id).created_by == team.lead.staff_id


def test_whoever_adds_a_follow_up_for_a_colleague_is_told_whose_it_is(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    """Sam's callback on Alex's customer became Alex's, and Sam read only "Callback queued.",
    expecting to make the call."""
    _consent(ctx, team, bob, Channel.PHONE)
    visits.new_walk_in(ctx, team.alex, customer_id=bob, claim=True)
    callback = followups.add_callback(ctx, team.sam, bob, about="stock check")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="order the blue one", due_at=ctx.now() + timedelta(hours=2)
    )

    assert followups.queued_words(ctx, team.sam, callback, "Callback queued") == (
        "Callback queued for Alex, who owns this customer."
    )
    assert followups.queued_words(ctx, team.sam, promise, "Promise recorded") == (
        "Promise recorded for Alex, who owns this customer."
    )
    assert followups.queued_words(ctx, team.alex, callback, "Callback queued") == "Callback queued."


def test_a_follow_up_of_ones_own_says_only_what_was_done(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob, Channel.PHONE)
    callback = followups.add_callback(ctx, team.sam, bob, about="stock check")
    assert followups.queued_words(ctx, team.sam, callback, "Callback queued") == "Callback queued."


def test_a_lead_ending_a_colleagues_sale_hears_whose_thank_you_it_is(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    visit_id = visits.new_walk_in(ctx, team.alex, customer_id=bob, claim=True)
    ended = visits.end_visit(ctx, team.lead, visit_id, Outcome.PURCHASE)
    assert ended.message == "Visit ended. A thank-you is queued for Alex, who served them."


# --- promises -------------------------------------------------------------------------


def test_promise_is_due_as_entered(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    due = _utc(2026, 11, 24, 10, 0)
    followup_id = followups.add_promise(ctx, team.sam, bob, promise="Order the size 9", due_at=due)
    promise: FollowUp = fetch(FollowUp, followup_id)
    assert (promise.kind, promise.due_at, promise.channel, promise.summary) == (
        FollowUpKind.PROMISE,
        due,
        Channel.IN_PERSON,
        "Order the size 9",
    )
    [event] = audit_log("followup.queued")
    assert json.loads(event.details)["kind"] == "promise"


def test_promise_entered_in_another_time_zone_keeps_its_instant(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    new_york_ten_am = datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    followup_id = followups.add_promise(ctx, team.sam, bob, promise="ring", due_at=new_york_ten_am)
    stored: FollowUp = fetch(FollowUp, followup_id)
    assert stored.due_at == _utc(2026, 11, 24, 15, 0)
    assert stored.due_at.utcoffset() == timedelta(0)


def test_promise_in_the_past_or_without_a_time_zone_is_refused(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    for due in (ctx.now(), ctx.now() - timedelta(minutes=1), _utc(2026, 1, 1, 9, 0)):
        with pytest.raises(InvalidInput, match="already passed"):
            followups.add_promise(ctx, team.sam, bob, promise="ring", due_at=due)
    with pytest.raises(InvalidInput, match="time zone"):
        followups.add_promise(ctx, team.sam, bob, promise="ring", due_at=datetime(2027, 1, 1, 9, 0))
    with pytest.raises(InvalidInput, match="what was promised"):
        followups.add_promise(ctx, team.sam, bob, promise="", due_at=_utc(2027, 1, 1, 9, 0))
    assert row_count(FollowUp) == 0


def test_a_promise_or_any_follow_up_more_than_a_year_ahead_is_refused(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount, audit_log: AuditLog
) -> None:
    """A due date with a slipped digit ("9999-12-31") was stored as typed. Every follow-up
    created (a promise, a callback, any kind) is due at most a year ahead."""
    far = datetime(9999, 12, 31, 12, 0, tzinfo=UTC)
    with pytest.raises(
        InvalidInput, match="at most a year ahead: pick a day up to Sat 20 Nov 2027"
    ) as refused:
        followups.add_promise(ctx, team.sam, bob, promise="ring", due_at=far)
    assert refused.value.field == "due_at"
    with pytest.raises(InvalidInput, match="at most a year ahead"), ctx.database.write() as session:
        followups.insert_followup(
            session, ctx, team.sam, None, bob, FollowUpKind.CALLBACK, Channel.PHONE, "ring", far, owner_id=2
        )
    assert (row_count(FollowUp), audit_log("followup.queued")) == (0, [])
    kept = followups.add_promise(ctx, team.sam, bob, promise="ring", due_at=ctx.now() + timedelta(days=365))
    assert kept > 0


def test_promise_on_a_channel_needs_consent(ctx: ShopContext, team: Team, bob: int) -> None:
    due = _utc(2026, 11, 24, 10, 0)
    with pytest.raises(NotAllowed, match="has not agreed to be contacted by email"):
        followups.add_promise(ctx, team.sam, bob, promise="send the manual", due_at=due, channel="email")
    _consent(ctx, team, bob, Channel.EMAIL)
    followups.add_promise(ctx, team.sam, bob, promise="send the manual", due_at=due, channel="email")


# --- completing and cancelling --------------------------------------------------------


def test_completing_records_what_was_done(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    due = _utc(2026, 11, 24, 10, 0)
    followup_id = followups.add_promise(ctx, team.sam, bob, promise="Order the size 9", due_at=due)
    with pytest.raises(InvalidInput, match="Say what was done"):
        followups.complete_followup(ctx, team.sam, followup_id, what_was_done=" \x07 ")
    assert fetch(FollowUp, followup_id).status == FollowUpStatus.OPEN
    followups.complete_followup(
        ctx, team.sam, followup_id, what_was_done="Ordered, arrives Tue", customer_informed=True
    )
    done: FollowUp = fetch(FollowUp, followup_id)
    assert (done.status, done.outcome_note, done.done_by, done.done_at, done.customer_informed) == (
        FollowUpStatus.DONE,
        "Ordered, arrives Tue",
        team.sam.staff_id,
        ctx.now(),
        True,
    )
    [event] = audit_log("followup.done")
    assert json.loads(event.details) == {"kind": "promise", "on_time": True, "channel": "in_person"}
    with pytest.raises(Conflict, match="already done"):
        followups.complete_followup(ctx, team.sam, followup_id, what_was_done="again")


def test_late_completion_is_recorded_as_late(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, audit_log: AuditLog
) -> None:
    followup_id = followups.add_promise(
        ctx, team.sam, bob, promise="ring back", due_at=ctx.now() + timedelta(hours=1)
    )
    clock.advance(hours=2)
    followups.complete_followup(ctx, team.sam, followup_id, what_was_done="rang")
    [event] = audit_log("followup.done")
    assert json.loads(event.details)["on_time"] is False


@pytest.mark.parametrize("line", PERFUNCTORY_LINES)
def test_a_thank_you_needs_more_than_the_template(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], line: str
) -> None:
    followup_id = _thank_you(ctx, team, bob)
    with pytest.raises(InvalidInput, match="words of your own about their visit"):
        followups.complete_followup(ctx, team.sam, followup_id, what_was_done="emailed", personal_line=line)
    thank_you: FollowUp = fetch(FollowUp, followup_id)
    assert (thank_you.status, thank_you.personal_line) == (FollowUpStatus.OPEN, "")


@pytest.mark.parametrize("line", GOOD_LINES)
def test_a_thank_you_with_a_personal_line_completes(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], line: str
) -> None:
    followup_id = _thank_you(ctx, team, bob)
    followups.complete_followup(ctx, team.sam, followup_id, what_was_done="told them", personal_line=line)
    thank_you: FollowUp = fetch(FollowUp, followup_id)
    assert (thank_you.status, thank_you.personal_line) == (FollowUpStatus.DONE, line)


def test_a_personal_line_given_at_the_till_counts_when_completing(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE, personal_line=GOOD_LINES[0])
    assert result.thank_you_id is not None
    followups.complete_followup(ctx, team.sam, result.thank_you_id, what_was_done="told them")
    assert fetch(FollowUp, result.thank_you_id).personal_line == GOOD_LINES[0]


def test_is_personal_judges_against_the_template() -> None:
    template = thank_yous.thank_you_template("Test Shop", "Bob")
    assert template == "Thank you for visiting Test Shop, Bob."
    assert not is_personal(template, template)
    assert not is_personal("Thank you for visiting Test Shop today", template)
    assert is_personal("Hope the blue kettle suits", template)
    assert not is_personal("Hope the blue", template)  # two words of its own


def test_only_the_owner_or_a_lead_completes_or_cancels(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    first = _thank_you(ctx, team, bob)
    with pytest.raises(NotAllowed, match=r"This follow-up is Sam's\. Ask Sam"):
        followups.complete_followup(ctx, team.alex, first, what_was_done="done", personal_line=GOOD_LINES[0])
    with pytest.raises(NotAllowed, match="Sam's"):
        followups.cancel_followup(ctx, team.alex, first, reason="dup")
    assert fetch(FollowUp, first).status == FollowUpStatus.OPEN
    assert audit_log("followup.done", "followup.cancelled") == []

    followups.complete_followup(ctx, team.lead, first, what_was_done="done", personal_line=GOOD_LINES[0])
    assert fetch(FollowUp, first).done_by == team.lead.staff_id

    second = followups.add_promise(ctx, team.sam, bob, promise="call", due_at=ctx.now() + timedelta(days=1))
    followups.cancel_followup(ctx, team.lead, second, reason="customer came in")
    cancelled: FollowUp = fetch(FollowUp, second)
    assert (cancelled.status, cancelled.cancel_reason) == (
        FollowUpStatus.CANCELLED,
        "customer came in",
    )
    [event] = audit_log("followup.cancelled")
    assert json.loads(event.details) == {"reason": "customer came in"}


def test_cancelling_needs_a_reason_and_an_open_follow_up(ctx: ShopContext, team: Team, bob: int) -> None:
    followup_id = followups.add_promise(
        ctx, team.sam, bob, promise="call", due_at=ctx.now() + timedelta(days=1)
    )
    with pytest.raises(InvalidInput, match="why it is cancelled"):
        followups.cancel_followup(ctx, team.sam, followup_id, reason="")
    followups.cancel_followup(ctx, team.sam, followup_id, reason="no longer needed")
    with pytest.raises(Conflict, match="already cancelled"):
        followups.cancel_followup(ctx, team.sam, followup_id, reason="again")
    with pytest.raises(Conflict, match="already cancelled"):
        followups.complete_followup(ctx, team.sam, followup_id, what_was_done="x")
    with pytest.raises(NotFound):
        followups.cancel_followup(ctx, team.sam, 999, reason="x")


# --- status updates -------------------------------------------------------------------


def test_status_update_repeats_every_n_days_while_open(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    _consent(ctx, team, bob, Channel.SMS)
    first = status_updates.start_status_update(
        ctx, team.sam, bob, about="watch repair", channel="sms", every_days=3
    )
    assert fetch(FollowUp, first).due_at == _utc(2026, 11, 23, 17, 30)  # Friday + 3 = Monday

    clock.moment = _utc(2026, 11, 23, 10, 0)
    followups.complete_followup(ctx, team.sam, first, what_was_done="texted: parts ordered", still_open=True)
    with ctx.database.read() as session:
        open_updates = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN)).all()
    [second] = open_updates
    assert (second.kind, second.summary, second.channel, second.owner_id) == (
        FollowUpKind.STATUS_UPDATE,
        "watch repair",
        Channel.SMS,
        team.sam.staff_id,
    )
    assert second.due_at == _utc(2026, 11, 26, 17, 30)  # Monday + 3 = Thursday

    assert second.id is not None
    clock.moment = _utc(2026, 11, 26, 10, 0)  # when it falls due (not within the contact cadence)
    followups.complete_followup(ctx, team.sam, second.id, what_was_done="texted: ready to collect")
    with ctx.database.read() as session:
        assert session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN)).all() == []


def test_status_update_due_moves_off_closed_days(ctx: ShopContext, team: Team, bob: int) -> None:
    # Thursday + 3 days is Sunday, when the shop is shut: due Monday instead.
    assert followups.status_update_due(ctx, _utc(2026, 11, 19, 12, 0)) == _utc(2026, 11, 23, 17, 30)


# --- my follow-ups --------------------------------------------------------------------


def test_my_followups_groups_overdue_due_today_and_upcoming(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    overdue = followups.add_promise(
        ctx, team.sam, bob, promise="ring at 11:30", due_at=_utc(2026, 11, 20, 11, 30)
    )
    today = followups.add_promise(
        ctx, team.sam, bob, promise="ring at 15:00", due_at=_utc(2026, 11, 20, 15, 0)
    )
    late_tonight = followups.add_promise(
        ctx, team.sam, bob, promise="email at 23:30", due_at=_utc(2026, 11, 20, 23, 30)
    )
    tomorrow = followups.add_promise(
        ctx, team.sam, bob, promise="ring tomorrow", due_at=_utc(2026, 11, 21, 0, 0)
    )
    thank_you = _thank_you(ctx, team, bob)
    followups.add_promise(ctx, team.alex, bob, promise="Alex's own", due_at=_utc(2026, 11, 20, 15, 0))
    clock.advance(hours=1)  # 12:00: the 11:30 one is now overdue

    mine = followups.my_followups(ctx, team.sam)
    assert [v.id for v in mine.overdue] == [overdue]
    assert [v.id for v in mine.due_today] == [today, late_tonight]
    assert [v.id for v in mine.upcoming] == [tomorrow, thank_you]
    assert mine.overdue[0].overdue and not mine.due_today[0].overdue
    assert mine.overdue[0].customer_name == "Bob Jones"
    assert mine.overdue[0].owner_name == "Sam"
    assert mine.upcoming[1].kind_label == "thank-you"

    followups.complete_followup(ctx, team.sam, overdue, what_was_done="rang")
    assert followups.my_followups(ctx, team.sam).overdue == ()
    alex = followups.my_followups(ctx, team.alex)
    assert [v.summary for v in alex.due_today] == ["Alex's own"]


def test_followup_view(ctx: ShopContext, team: Team, bob: int) -> None:
    followup_id = _thank_you(ctx, team, bob)
    view = followups.followup(ctx, team.alex, followup_id)
    assert (view.kind, view.owner_name, view.channel) == ("thank_you", "Sam", "in_person")
    with pytest.raises(NotFound):
        followups.followup(ctx, team.sam, 999)
