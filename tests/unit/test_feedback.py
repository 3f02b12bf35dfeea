"""Feedback: recording it (text, optional 1-5 rating, normalised topics), the lead's topic
board over 30 days with statuses, and acting on a topic, which queues a status update to
each consenting customer who raised it, owned by whoever heard them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    Feedback,
    FeedbackStatus,
    FeedbackTag,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
)
from counter_tui.errors import InvalidInput, NotAllowed, NotFound
from counter_tui.services import customers, feedback, staff, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _followups(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).order_by(col(FollowUp.id))))


# --- topics ------------------------------------------------------------------------------


def test_topics_are_trimmed_lowered_folded_deduplicated_and_refused_when_too_long() -> None:
    assert feedback.normalise_topics(
        ["  Parking ", "#parking", "PARKING", "Queue   at\ttills", "", "  ", "\x1b", "#" + "x" * 40]
    ) == ("parking", "queue at tills", "x" * 40)
    with pytest.raises(InvalidInput, match=r"^A topic can be at most 40 characters; this one has 41\.$"):
        feedback.normalise_topics(["parking", "x" * 41])
    assert feedback.normalise_topic("İ" * 40) == ("İ" * 40).lower()[:40]  # lower case is longer
    assert feedback.parse_topics("Parking, staff friendliness ,,parking") == (
        "parking",
        "staff friendliness",
    )


# --- recording ---------------------------------------------------------------------------


def test_feedback_at_the_end_of_a_visit_takes_the_visits_customer(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    feedback_id = feedback.record_feedback(
        ctx,
        team.sam,
        body="Car park was full\x1b again.\n\nHad to park miles away.",
        visit_id=visit_id,
        rating=3,
        topics=["Parking", "parking "],
    )
    row: Feedback = fetch(Feedback, feedback_id)
    assert (row.customer_id, row.visit_id, row.rating, row.recorded_by) == (
        bob,
        visit_id,
        3,
        team.sam.staff_id,
    )
    assert row.body == "Car park was full again.\n\nHad to park miles away."
    (event,) = audit_log("feedback.recorded")
    assert json.loads(event.details) == {
        "customer_id": bob,
        "visit_id": visit_id,
        "rating": 3,
        "topics": ["parking"],
    }


def test_anonymous_feedback_any_time(ctx: ShopContext, team: Team, row_count: RowCount) -> None:
    feedback.record_feedback(ctx, team.alex, body="Lovely music today")
    assert (row_count(Feedback), row_count(FeedbackTag)) == (1, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"body": "  "}, "Write down"),
        ({"body": "ok", "rating": 0}, "1 to 5"),
        ({"body": "ok", "rating": 6}, "1 to 5"),
        ({"body": "ok", "rating": True}, "1 to 5"),
        ({"body": "ok", "topics": [f"t{n}" for n in range(9)]}, "at most 8"),
    ],
)
def test_invalid_feedback_is_refused(
    ctx: ShopContext, team: Team, kwargs: dict[str, Any], message: str, row_count: RowCount
) -> None:
    with pytest.raises(InvalidInput, match=message):
        feedback.record_feedback(ctx, team.sam, **kwargs)
    assert row_count(Feedback) == 0


def test_feedback_refuses_a_visit_of_another_customer_and_the_kiosk(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    other = customers.create_customer(ctx, team.sam, name="Cara Lee")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob)
    with pytest.raises(InvalidInput, match="another customer"):
        feedback.record_feedback(ctx, team.sam, body="hi", visit_id=visit_id, customer_id=other)
    with pytest.raises(NotFound):
        feedback.record_feedback(ctx, team.sam, body="hi", customer_id=999)
    with pytest.raises(NotAllowed):
        feedback.record_feedback(ctx, Actor.kiosk("door"), body="hi")


# --- board -------------------------------------------------------------------------------


def test_board_counts_topics_of_the_last_30_days(
    ctx: ShopContext, team: Team, clock: ManualClock, bob: int
) -> None:
    clock.advance(days=-31)
    feedback.record_feedback(ctx, team.sam, body="old", customer_id=bob, topics=["parking"])
    clock.advance(days=31)
    feedback.record_feedback(ctx, team.sam, body="a", customer_id=bob, rating=2, topics=["parking"])
    feedback.record_feedback(ctx, team.sam, body="b", customer_id=bob, rating=4, topics=["Parking"])
    clock.advance(minutes=5)
    feedback.record_feedback(ctx, team.alex, body="c", topics=["parking", "tills"])
    board = feedback.topic_board(ctx, team.lead)
    assert [
        (r.topic, r.raised, r.customers, r.average_rating, r.status, r.raised_since_status) for r in board
    ] == [("parking", 3, 1, 3.0, FeedbackStatus.NEW, 3), ("tills", 1, 0, None, FeedbackStatus.NEW, 1)]
    assert board[0].last_raised_at == ctx.now()
    assert [f.body for f in feedback.topic_feedback(ctx, team.lead, "PARKING")] == ["c", "b", "a"]
    assert feedback.topic_feedback(ctx, team.lead, "tills")[0].topics == ("parking", "tills")


def test_acknowledging_a_topic(ctx: ShopContext, team: Team, clock: ManualClock, audit_log: AuditLog) -> None:
    feedback.record_feedback(ctx, team.sam, body="a", topics=["tills"])
    clock.advance(minutes=1)
    feedback.acknowledge_topic(ctx, team.lead, " Tills ", note="looking at staffing")
    (row,) = feedback.topic_board(ctx, team.lead)
    assert (row.status, row.status_by_name, row.status_at, row.raised_since_status) == (
        FeedbackStatus.ACKNOWLEDGED,
        "Dana",
        ctx.now(),
        0,
    )
    clock.advance(minutes=1)
    feedback.record_feedback(ctx, team.sam, body="b", topics=["tills"])
    assert feedback.topic_board(ctx, team.lead)[0].raised_since_status == 1
    (event,) = audit_log("feedback.topic_acknowledged")
    assert json.loads(event.details) == {"topic": "tills", "note": "looking at staffing"}


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx, a: feedback.topic_board(ctx, a),
        lambda ctx, a: feedback.topic_feedback(ctx, a, "tills"),
        lambda ctx, a: feedback.acknowledge_topic(ctx, a, "tills"),
        lambda ctx, a: feedback.mark_topic_acted_on(ctx, a, "tills", "more staff"),
    ],
    ids=["board", "topic_feedback", "acknowledge", "acted_on"],
)
def test_the_board_is_for_leads(ctx: ShopContext, team: Team, call: Callable[..., Any]) -> None:
    feedback.record_feedback(ctx, team.sam, body="a", topics=["tills"])
    with pytest.raises(NotAllowed, match="Only a shift lead"):
        call(ctx, team.sam)


def test_unknown_topics_and_empty_actions_are_refused(ctx: ShopContext, team: Team) -> None:
    feedback.record_feedback(ctx, team.sam, body="a", topics=["tills"])
    with pytest.raises(NotFound):
        feedback.acknowledge_topic(ctx, team.lead, "parking")
    with pytest.raises(NotFound):
        feedback.mark_topic_acted_on(ctx, team.lead, "parking", "new signs")
    with pytest.raises(InvalidInput, match="what was done"):
        feedback.mark_topic_acted_on(ctx, team.lead, "tills", "  ")


# --- acting on a topic -------------------------------------------------------------------


def _customer(ctx: ShopContext, team: Team, name: str, opted_in: list[str]) -> int:
    return customers.create_customer(
        ctx,
        team.sam,
        name=name,
        phone="07700 900123",
        email=f"{name.split()[0].lower()}@example.com",
        opted_in=opted_in,
        create_anyway=True,  # one household phone
    )


def test_acting_on_a_topic_tells_each_consenting_customer_once(
    ctx: ShopContext, team: Team, clock: ManualClock, audit_log: AuditLog
) -> None:
    emailable = _customer(ctx, team, "Ann Email", ["sms", "email"])
    textable = _customer(ctx, team, "Ben Text", ["sms"])
    silent = _customer(ctx, team, "Cy Nocontact", [])
    feedback.record_feedback(ctx, team.sam, body="1", customer_id=emailable, topics=["parking"])
    feedback.record_feedback(ctx, team.alex, body="2", customer_id=emailable, topics=["parking"])
    feedback.record_feedback(ctx, team.sam, body="3", customer_id=textable, topics=["parking"])
    feedback.record_feedback(ctx, team.sam, body="4", customer_id=silent, topics=["parking"])
    feedback.record_feedback(ctx, team.sam, body="5", topics=["parking"])
    feedback.record_feedback(ctx, team.sam, body="6", customer_id=textable, topics=["tills"])
    clock.advance(minutes=10)

    result = feedback.mark_topic_acted_on(ctx, team.lead, "Parking", "Ten new spaces\nbehind the shop")

    assert (result.topic, result.customers_told, result.customers_without_consent) == ("parking", 2, 1)
    assert result.anonymous_raises == 1
    rows = _followups(ctx)
    assert [r.id for r in rows] == list(result.followup_ids)
    assert [(r.customer_id, r.kind, r.channel, r.owner_id, r.status) for r in rows] == [
        (emailable, FollowUpKind.FEEDBACK_ACTED_ON, "email", team.alex.staff_id, FollowUpStatus.OPEN),
        (textable, FollowUpKind.FEEDBACK_ACTED_ON, "sms", team.sam.staff_id, FollowUpStatus.OPEN),
    ]
    assert rows[0].summary == ("We acted on your feedback about 'parking': Ten new spaces behind the shop")
    # Friday: due by the end of the next business day, Saturday 16:00.
    assert {r.due_at for r in rows} == {_utc(2026, 11, 21, 16, 0)}
    assert rows[0].created_by == team.lead.staff_id
    (row,) = [r for r in feedback.topic_board(ctx, team.lead) if r.topic == "parking"]
    assert (row.status, row.action_taken) == (
        FeedbackStatus.ACTED_ON,
        "Ten new spaces\nbehind the shop",
    )
    (event,) = audit_log("feedback.topic_acted_on")
    details = json.loads(event.details)
    assert (details["followup_ids"], details["without_consent"], details["anonymous"]) == (
        list(result.followup_ids),
        1,
        1,
    )
    assert len(audit_log("followup.queued")) == 2
    tills = [r for r in feedback.topic_board(ctx, team.lead) if r.topic == "tills"]
    assert tills[0].status == FeedbackStatus.NEW


def test_acting_again_only_tells_customers_who_raised_it_since(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    first = _customer(ctx, team, "Ann First", ["email"])
    second = _customer(ctx, team, "Ben Second", ["email"])
    feedback.record_feedback(ctx, team.sam, body="1", customer_id=first, topics=["parking"])
    feedback.mark_topic_acted_on(ctx, team.lead, "parking", "New signs")
    clock.advance(days=1)
    feedback.record_feedback(ctx, team.sam, body="2", customer_id=second, topics=["parking"])
    assert feedback.topic_board(ctx, team.lead)[0].raised_since_status == 1
    result = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "Bigger signs")
    assert [r.customer_id for r in _followups(ctx)] == [first, second]
    assert result.customers_told == 1


def test_a_deactivated_recorder_hands_the_update_to_the_lead(ctx: ShopContext, team: Team) -> None:
    customer = _customer(ctx, team, "Ann Email", ["email"])
    feedback.record_feedback(ctx, team.alex, body="1", customer_id=customer, topics=["parking"])
    staff.deactivate(ctx, None, name="Alex")
    feedback.mark_topic_acted_on(ctx, team.lead, "parking", "New signs")
    assert [r.owner_id for r in _followups(ctx)] == [team.lead.staff_id]


def test_withdrawn_consent_means_no_contact(ctx: ShopContext, team: Team) -> None:
    customer = _customer(ctx, team, "Ann Email", ["email"])
    customers.record_consent(ctx, team.sam, customer, "email", granted=False, source="asked us to stop")
    feedback.record_feedback(ctx, team.alex, body="1", customer_id=customer, topics=["parking"])
    result = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "New signs")
    assert (result.customers_told, result.customers_without_consent, _followups(ctx)) == (0, 1, [])


def test_board_window_can_be_widened(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    feedback.record_feedback(ctx, team.sam, body="old", topics=["parking"])
    clock.advance(days=40)
    assert feedback.topic_board(ctx, team.lead) == ()
    assert [r.topic for r in feedback.topic_board(ctx, team.lead, days=60)] == ["parking"]
