"""Lead review: floor health and escalations (thresholds, stable keys), the hand-off log
(hand-offs, reassignments, blocked attempts; filters by day, staff and reason), follow-up
oversight by owner, unreturned calls, and reassigning a follow-up; each lead-only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, NeedKind
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import (
    customers,
    floor_health,
    followup_oversight,
    followups,
    handoff_log,
    handoffs,
    visit_needs,
    visits,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda ctx, a: floor_health.floor_health(ctx, a),
        lambda ctx, a: floor_health.escalations(ctx, a),
        lambda ctx, a: handoff_log.handoff_log(ctx, a),
        lambda ctx, a: followup_oversight.followup_oversight(ctx, a),
        lambda ctx, a: followup_oversight.unreturned_calls(ctx, a),
        lambda ctx, a: followup_oversight.reassign_followup(ctx, a, 1, 1, "owner is off sick"),
    ],
    ids=["floor_health", "escalations", "handoff_log", "oversight", "unreturned", "reassign"],
)
def test_associates_are_refused_every_review_service(
    ctx: ShopContext, team: Team, call: Callable[..., Any]
) -> None:
    with pytest.raises(NotAllowed, match="Only a shift lead"):
        call(ctx, team.sam)


# --- floor health ------------------------------------------------------------------------


def test_unowned_customer_shows_only_once_past_the_greet_threshold(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="blue scarf")
    clock.advance(minutes=5)
    assert floor_health.floor_health(ctx, team.lead).waiting_unowned == ()
    clock.advance(minutes=1)
    (alert,) = floor_health.floor_health(ctx, team.lead).waiting_unowned
    assert (alert.visit_id, alert.who, alert.minutes, alert.owner_name) == (
        visit_id,
        "blue scarf",
        6,
        None,
    )
    visits.claim_visit(ctx, team.alex, visit_id)
    assert floor_health.floor_health(ctx, team.lead).waiting_unowned == ()


def test_browsing_privately_is_not_waiting_but_its_check_back_can_be_overdue(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visit_id = visits.new_walk_in(
        ctx, team.sam, description="quiet browser", needs=[NeedKind.BROWSE_PRIVATELY]
    )
    clock.advance(minutes=14)
    health = floor_health.floor_health(ctx, team.lead)
    assert (health.waiting_unowned, health.check_backs_overdue) == ((), ())
    clock.advance(minutes=3)
    (alert,) = floor_health.floor_health(ctx, team.lead).check_backs_overdue
    assert (alert.visit_id, alert.since, alert.minutes) == (visit_id, _utc(2026, 11, 20, 11, 15), 2)


def test_needs_help_escalates_after_the_threshold_with_a_stable_key(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", needs=[NeedKind.NEEDS_HELP])
    clock.advance(minutes=3)
    assert floor_health.escalations(ctx, team.lead) == ()
    clock.advance(minutes=1)
    (first,) = floor_health.escalations(ctx, team.lead)
    assert (first.visit_id, first.who, first.minutes_waiting) == (visit_id, "red coat", 4)
    clock.advance(minutes=2)
    (again,) = floor_health.escalations(ctx, team.lead)
    assert again.key == first.key and again.minutes_waiting == 6
    assert floor_health.floor_health(ctx, team.lead).needs_help_unanswered == (again,)
    visits.claim_visit(ctx, team.alex, visit_id)
    assert floor_health.escalations(ctx, team.lead) == ()


def test_needs_help_set_afresh_is_a_new_escalation(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="hat", needs=[NeedKind.NEEDS_HELP])
    clock.advance(minutes=4)
    (first,) = floor_health.escalations(ctx, team.lead)
    visit_needs.clear_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)
    assert floor_health.escalations(ctx, team.lead) == ()
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)
    clock.advance(minutes=4)
    (second,) = floor_health.escalations(ctx, team.lead)
    assert second.visit_id == visit_id and second.key != first.key
    assert second.minutes_waiting == 4


def test_long_visits_are_listed_whoever_owns_them(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    owned = visits.new_walk_in(ctx, team.sam, description="long chat", claim=True)
    clock.advance(minutes=60)
    assert floor_health.floor_health(ctx, team.lead).long_visits == ()
    clock.advance(minutes=1)
    (alert,) = floor_health.floor_health(ctx, team.lead).long_visits
    assert (alert.visit_id, alert.owner_name, alert.minutes) == (owned, "Sam", 61)


# --- hand-off log ------------------------------------------------------------------------


def _log_day(ctx: ShopContext, team: Team, clock: ManualClock) -> dict[str, int]:
    """Thursday: one approved hand-off. Friday: a blocked claim, a blocked hand-off request,
    a denied request and a lead's reassignment."""
    clock.moment = _utc(2026, 11, 19, 10, 0)
    thursday = visits.new_walk_in(ctx, team.sam, description="thursday", claim=True)
    request = handoffs.request_handoff(ctx, team.sam, thursday, team.alex.staff_id or 0, "Going on break")
    handoffs.approve_handoff(ctx, team.lead, request, "fine")
    clock.moment = _utc(2026, 11, 20, 11, 0)
    friday = visits.new_walk_in(ctx, team.sam, description="friday", claim=True)
    clock.advance(minutes=1)
    with pytest.raises(AlreadyOwned):
        visits.claim_visit(ctx, team.alex, friday)
    clock.advance(minutes=1)
    with pytest.raises(AlreadyOwned):
        handoffs.request_handoff(ctx, team.alex, friday, team.lead.staff_id or 0, "mine now")
    clock.advance(minutes=1)
    denied = handoffs.request_handoff(ctx, team.sam, friday, team.alex.staff_id or 0, "Needs a repair expert")
    handoffs.deny_handoff(ctx, team.lead, denied, "Stay with them, ask Alex to help")
    clock.advance(minutes=1)
    handoffs.reassign_visit(
        ctx, team.lead, friday, team.alex.staff_id or 0, "Sam went home ill", seen_owner_id=team.sam.staff_id
    )
    return {"thursday": thursday, "friday": friday}


def test_hand_off_log_lists_every_kind_newest_first(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    ids = _log_day(ctx, team, clock)
    log = handoff_log.handoff_log(ctx, team.lead)
    assert [(e.kind, e.status, e.who, e.actor_name, e.from_name, e.to_name) for e in log] == [
        ("reassignment", "reassigned", "friday", "Dana", "Sam", "Alex"),
        ("handoff", "denied", "friday", "Sam", "Sam", "Alex"),
        ("blocked_handoff", "blocked", "friday", "Alex", "Sam", "Dana"),
        ("blocked_claim", "blocked", "friday", "Alex", "Sam", "Alex"),
        ("handoff", "approved", "thursday", "Sam", "Sam", "Alex"),
    ]
    assert log[0].reason == "Sam went home ill" and log[0].decided_by_name == "Dana"
    assert log[1].decision_note == "Stay with them, ask Alex to help"
    assert log[3].reason == "tried to claim a customer Sam owns"
    assert log[2].reason == "tried to hand off a customer Sam owns, to Dana"
    assert log[4].visit_id == ids["thursday"] and log[4].at == _utc(2026, 11, 19, 10, 0)


def test_hand_off_log_says_when_each_decision_was_made(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The request time is not the decision time: a lead who decides 20 minutes later is
    logged at that later time; a request still waiting has no decision time."""
    first = visits.new_walk_in(ctx, team.sam, description="first", claim=True)
    second = visits.new_walk_in(ctx, team.sam, description="second", claim=True)
    decided = handoffs.request_handoff(ctx, team.sam, first, team.alex.staff_id or 0, "break")
    handoffs.request_handoff(ctx, team.sam, second, team.alex.staff_id or 0, "lunch")
    clock.advance(minutes=20)
    handoffs.approve_handoff(ctx, team.lead, decided)
    by_who = {entry.who: entry for entry in handoff_log.handoff_log(ctx, team.lead)}
    assert (by_who["first"].at, by_who["first"].decided_at) == (
        _utc(2026, 11, 20, 11, 0),
        _utc(2026, 11, 20, 11, 20),
    )
    assert by_who["first"].decided_by_name == "Dana"
    assert (by_who["second"].status, by_who["second"].decided_at) == ("pending", None)


def test_hand_off_log_filters_by_day_staff_and_reason(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    _log_day(ctx, team, clock)

    def kinds(**filters: Any) -> list[str]:
        return [e.kind for e in handoff_log.handoff_log(ctx, team.lead, **filters)]

    assert kinds(day=date(2026, 11, 19)) == ["handoff"]
    assert kinds(day=date(2026, 11, 21)) == []
    assert len(kinds(day=date(2026, 11, 20))) == 4
    assert kinds(reason="BREAK") == ["handoff"]
    assert kinds(reason="ask alex") == ["handoff"]  # the lead's note matches too
    assert kinds(reason="tried to claim") == ["blocked_claim"]
    assert kinds(reason="100%") == []
    # The lead decided or reassigned in three entries; Dana was the blocked hand-off's target
    # but the attempt never became a request, so it is not hers.
    assert kinds(staff_id=team.lead.staff_id) == ["reassignment", "handoff", "handoff"]
    # Sam owned the customer in both blocked attempts, so they show under Sam too.
    assert len(kinds(staff_id=team.sam.staff_id)) == 5
    assert kinds(staff_id=team.sam.staff_id, day=date(2026, 11, 20), reason="sick") == []
    assert kinds(limit=2) == ["reassignment", "handoff"]


def test_blocked_entries_match_the_owner_id_exactly(
    ctx: ShopContext, team: Team, clock: ManualClock, audit_log: AuditLog
) -> None:
    _log_day(ctx, team, clock)
    (blocked,) = audit_log("visit.claim_blocked")
    assert json.loads(blocked.details)["owner_id"] == team.sam.staff_id
    # A staff id that is a prefix of Sam's (e.g. 2 vs 20) must not match: use a large id.
    assert handoff_log.handoff_log(ctx, team.lead, staff_id=(team.sam.staff_id or 0) * 10) == ()


# --- follow-up oversight -----------------------------------------------------------------


@pytest.fixture
def consenting(ctx: ShopContext, team: Team) -> int:
    """A customer who agreed to phone and email contact."""
    return customers.create_customer(
        ctx,
        team.sam,
        name="Cara Lee",
        phone="07700 900456",
        email="cara@example.com",
        opted_in=["phone", "email"],
    )


def test_oversight_groups_overdue_and_due_today_by_owner(
    ctx: ShopContext, team: Team, clock: ManualClock, consenting: int
) -> None:
    clock.moment = _utc(2026, 11, 19, 11, 0)
    yesterday_call = followups.add_callback(ctx, team.sam, consenting, about="the kettle")
    clock.moment = _utc(2026, 11, 20, 9, 0)
    today_call = followups.add_callback(ctx, team.sam, consenting, about="the toaster")
    promise = followups.add_promise(
        ctx, team.alex, consenting, promise="order blue paint", due_at=_utc(2026, 11, 20, 10, 0)
    )
    followups.add_promise(
        ctx, team.alex, consenting, promise="ring on Monday", due_at=_utc(2026, 11, 23, 10, 0)
    )
    clock.moment = _utc(2026, 11, 20, 11, 0)
    oversight = followup_oversight.followup_oversight(ctx, team.lead)
    assert [
        (o.owner_name, [v.id for v in o.overdue], [v.id for v in o.due_today]) for o in oversight.by_owner
    ] == [("Alex", [promise], []), ("Sam", [yesterday_call], [today_call])]
    assert [v.id for v in oversight.unreturned_calls] == [yesterday_call, today_call]
    assert [v.id for v in followup_oversight.unreturned_calls(ctx, team.lead)] == [yesterday_call, today_call]
    assert [v.id for v in followup_oversight.unreturned_calls(ctx, team.lead, date(2026, 11, 19))] == [
        yesterday_call
    ]
    followups.complete_followup(ctx, team.sam, today_call, what_was_done="Called back")
    assert [v.id for v in followup_oversight.unreturned_calls(ctx, team.lead)] == [yesterday_call]


def test_reassign_followup_moves_it_with_a_reason_and_an_audit_event(
    ctx: ShopContext,
    team: Team,
    consenting: int,
    audit_log: AuditLog,
    fetch: Callable[..., Any],
) -> None:
    call = followups.add_callback(ctx, team.sam, consenting, about="the kettle")
    followup_oversight.reassign_followup(
        ctx, team.lead, call, team.alex.staff_id or 0, "  Sam is off\x1b today "
    )
    assert fetch(FollowUp, call).owner_id == team.alex.staff_id
    (event,) = audit_log("followup.reassigned")
    assert (event.actor_id, event.entity_id) == (team.lead.staff_id, call)
    assert json.loads(event.details) == {
        "from_staff_id": team.sam.staff_id,
        "to_staff_id": team.alex.staff_id,
        "reason": "Sam is off today",
    }
    assert [v.id for v in followups.my_followups(ctx, team.alex).due_today] == [call]


def test_reassign_followup_refusals(
    ctx: ShopContext, team: Team, consenting: int, audit_log: AuditLog
) -> None:
    call = followups.add_callback(ctx, team.sam, consenting, about="the kettle")
    with pytest.raises(InvalidInput, match="reason"):
        followup_oversight.reassign_followup(ctx, team.lead, call, team.alex.staff_id or 0, "  ")
    with pytest.raises(InvalidInput, match="already owns"):
        followup_oversight.reassign_followup(ctx, team.lead, call, team.sam.staff_id or 0, "swap")
    with pytest.raises(NotFound, match="colleague"):
        followup_oversight.reassign_followup(ctx, team.lead, call, 999, "swap")
    with pytest.raises(NotFound, match="follow-up"):
        followup_oversight.reassign_followup(ctx, team.lead, 999, team.alex.staff_id or 0, "swap")
    followups.complete_followup(ctx, team.sam, call, what_was_done="Called back")
    with pytest.raises(Conflict, match="already done"):
        followup_oversight.reassign_followup(ctx, team.lead, call, team.alex.staff_id or 0, "swap")
    assert audit_log("followup.reassigned") == []
