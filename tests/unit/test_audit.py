"""Audit events: every service that changes data writes exactly the events expected, with
actor, terminal and time; refused changes write neither data nor events; and a failure
injected mid-transaction rolls back the change and its audit event together."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    FollowUp,
    HandoffRequest,
    HandoffStatus,
    Outcome,
    Staff,
    Visit,
    VisitNeed,
)
from counter_tui.errors import AlreadyOwned, InvalidInput, NotAllowed
from counter_tui.services import (
    audit,
    changes,
    customers,
    followups,
    handoffs,
    staff,
    status_updates,
    thank_yous,
    visit_customer,
    visit_needs,
    visits,
)
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


class Injected(RuntimeError):
    """A failure injected into a service halfway through its transaction."""


def _fail_on(monkeypatch: pytest.MonkeyPatch, action: str) -> None:
    """Make `audit.record` raise when asked to record `action` (after the change was made
    in the same session), and behave normally otherwise."""
    real_record = audit.record

    def record(session: Any, ctx: Any, actor: Any, recorded: str, *args: Any, **kw: Any) -> Any:
        if recorded == action:
            raise Injected(action)
        return real_record(session, ctx, actor, recorded, *args, **kw)

    monkeypatch.setattr(audit, "record", record)


def _refused(error: type[Exception], call: Callable[..., Any], *args: Any) -> None:
    with pytest.raises(error):
        call(*args)


def _id(actor: Actor) -> int:
    assert actor.staff_id is not None
    return actor.staff_id


def test_every_change_writes_exactly_its_audit_events(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    sam, alex, lead = team.sam, team.alex, team.lead
    state: dict[str, int] = {}
    due = ctx.now() + timedelta(days=2)

    steps: list[tuple[Callable[[], Any], list[str]]] = [
        (lambda: staff.add_staff(ctx, lead, name="Kim", pin="5555"), ["staff.added"]),
        (lambda: staff.set_pin(ctx, lead, name="Kim", pin="6666"), ["staff.pin_changed"]),
        (lambda: staff.deactivate(ctx, lead, name="Kim"), ["staff.deactivated"]),
        (lambda: staff.sign_in(ctx, _id(sam), "2222"), ["staff.signed_in"]),
        (
            lambda: state.__setitem__(
                "bob", customers.create_customer(ctx, sam, name="Bob", phone="0770090")
            ),
            ["customer.created"],
        ),
        (
            lambda: customers.update_contact(ctx, sam, state["bob"], name="Bob J", phone="0770090", email=""),
            ["customer.updated"],
        ),
        (lambda: customers.add_note(ctx, sam, state["bob"], "likes tea"), ["customer.note_added"]),
        (
            lambda: customers.set_preferences(ctx, sam, state["bob"], "large print"),
            ["customer.preferences_set"],
        ),
        (
            lambda: customers.set_standing_need(ctx, sam, state["bob"], "language", remember=True),
            ["customer.standing_need_set"],
        ),
        (
            lambda: customers.record_consent(ctx, sam, state["bob"], "sms", granted=True, source="counter"),
            ["customer.consent_recorded"],
        ),
        (
            lambda: state.__setitem__("anon", visits.new_walk_in(ctx, sam, description="red hat")),
            ["visit.created"],
        ),
        (lambda: visits.claim_visit(ctx, sam, state["anon"]), ["visit.claimed"]),
        (lambda: visits.claim_visit(ctx, sam, state["anon"]), []),  # the owner again: no-op
        (
            lambda: _refused(AlreadyOwned, visits.claim_visit, ctx, alex, state["anon"]),
            ["visit.claim_blocked"],
        ),
        (lambda: visit_needs.set_need(ctx, sam, state["anon"], "needs_help"), ["visit.need_set"]),
        (lambda: visit_needs.clear_need(ctx, sam, state["anon"], "needs_help"), ["visit.need_cleared"]),
        (lambda: visits.add_helper(ctx, sam, state["anon"], _id(alex)), ["visit.helper_added"]),
        (lambda: visits.add_visit_note(ctx, alex, state["anon"], "wants blue"), ["visit.note_added"]),
        (
            lambda: visit_customer.attach_customer(ctx, sam, state["anon"], state["bob"]),
            ["visit.customer_attached"],
        ),
        (
            lambda: state.__setitem__(
                "request", handoffs.request_handoff(ctx, sam, state["anon"], _id(alex), "break")
            ),
            ["handoff.requested"],
        ),
        (lambda: handoffs.cancel_handoff(ctx, sam, state["request"]), ["handoff.cancelled"]),
        (
            lambda: _refused(AlreadyOwned, handoffs.request_handoff, ctx, alex, state["anon"], 1, "x"),
            ["handoff.blocked"],
        ),
        (
            lambda: state.__setitem__(
                "request", handoffs.request_handoff(ctx, sam, state["anon"], _id(alex), "break")
            ),
            ["handoff.requested"],
        ),
        (lambda: handoffs.deny_handoff(ctx, lead, state["request"], "busy"), ["handoff.denied"]),
        (
            lambda: state.__setitem__(
                "request", handoffs.request_handoff(ctx, sam, state["anon"], _id(alex), "break")
            ),
            ["handoff.requested"],
        ),
        (lambda: handoffs.approve_handoff(ctx, lead, state["request"]), ["handoff.approved"]),
        (
            lambda: handoffs.reassign_visit(
                ctx, lead, state["anon"], _id(sam), "Alex left", seen_owner_id=_id(alex)
            ),
            ["visit.reassigned"],
        ),
        (
            lambda: visits.end_visit(ctx, sam, state["anon"], Outcome.PURCHASE),
            ["visit.ended", "followup.queued"],
        ),
        (
            lambda: state.__setitem__(
                "walk_in", visits.new_walk_in(ctx, sam, customer_id=state["bob"], claim=True)
            ),
            ["visit.created", "visit.claimed"],
        ),
        (
            lambda: visits.end_visit(ctx, sam, state["walk_in"], Outcome.NO_PURCHASE),
            ["visit.ended"],
        ),
        (
            lambda: followups.add_callback(ctx, sam, state["bob"], about="x", consent_source="asked"),
            ["customer.consent_recorded", "followup.queued"],
        ),
        (
            lambda: state.__setitem__(
                "promise", followups.add_promise(ctx, sam, state["bob"], promise="ring", due_at=due)
            ),
            ["followup.queued"],
        ),
        (
            lambda: followups.cancel_followup(ctx, sam, state["promise"], reason="not needed"),
            ["followup.cancelled"],
        ),
        (
            lambda: state.__setitem__(
                "update",
                status_updates.start_status_update(
                    ctx, sam, state["bob"], about="repair", channel="sms", every_days=3
                ),
            ),
            ["followup.queued"],
        ),
        (
            lambda: followups.complete_followup(
                ctx, sam, state["update"], what_was_done="texted", still_open=True
            ),
            ["followup.done", "followup.queued"],
        ),
    ]
    seen = len(audit_log())
    for number, (step, expected) in enumerate(steps):
        step()
        events = audit_log()
        assert [e.action for e in events[seen:]] == expected, f"step {number}"
        seen = len(events)

    for event in audit_log():
        assert event.at == ctx.now()
        assert event.terminal == "counter"
        assert isinstance(json.loads(event.details), dict)
    assert audit_log("visit.claim_blocked")[0].actor_id == _id(alex)
    assert all(e.actor_id == _id(lead) for e in audit_log("handoff.approved", "visit.reassigned"))


def test_events_name_the_actor_entity_and_terminal(
    ctx: ShopContext, team: Team, audit_log: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ctx, "settings", ctx.settings.model_copy(update={"terminal_name": "till-2"}))
    visit_id = visits.new_walk_in(ctx, team.alex, claim=True)
    events = audit_log("visit.created", "visit.claimed")
    assert [(e.actor_id, e.entity, e.entity_id, e.terminal) for e in events] == [
        (_id(team.alex), "visit", visit_id, "till-2"),
        (_id(team.alex), "visit", visit_id, "till-2"),
    ]


def test_kiosk_events_say_which_kiosk(ctx: ShopContext, audit_log: AuditLog) -> None:
    visits.new_walk_in(ctx, Actor.kiosk("door"), needs=["needs_help"])
    [event] = audit_log("visit.created")
    assert event.actor_id is None
    assert json.loads(event.details)["kiosk"] == "kiosk door"


def test_oversized_details_are_truncated_not_refused(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    with ctx.database.write() as session:
        audit.record(session, ctx, team.sam, "test.big", "visit", 1, blob="x" * 10_000)
    [event] = audit_log("test.big")
    assert len(event.details) <= audit.DETAILS_MAX
    assert "truncated" in json.loads(event.details)


@pytest.mark.parametrize(
    ("refused", "error"),
    [
        (lambda ctx, team: staff.add_staff(ctx, team.sam, name="Kim", pin="5555"), NotAllowed),
        (lambda ctx, team: customers.create_customer(ctx, team.sam, name=""), InvalidInput),
        (lambda ctx, team: visits.new_walk_in(ctx, team.sam, needs=["nope"]), InvalidInput),
        (
            lambda ctx, team: followups.add_promise(
                ctx, team.sam, 1, promise="x", due_at=ctx.now() - timedelta(hours=1)
            ),
            InvalidInput,
        ),
        (lambda ctx, team: handoffs.reassign_visit(ctx, team.sam, 1, 1, "x", seen_owner_id=None), NotAllowed),
    ],
)
def test_a_refused_change_leaves_no_data_and_no_event(
    ctx: ShopContext,
    team: Team,
    audit_log: AuditLog,
    row_count: RowCount,
    refused: Callable[[ShopContext, Team], Any],
    error: type[Exception],
) -> None:
    customers.create_customer(ctx, team.sam, name="Bob")
    visits.new_walk_in(ctx, team.sam, claim=True)
    tables = (Staff, Customer, Visit, VisitNeed, FollowUp, HandoffRequest)
    before = [row_count(table) for table in tables], len(audit_log())
    with pytest.raises(error):
        refused(ctx, team)
    assert ([row_count(table) for table in tables], len(audit_log())) == before


def test_claim_and_its_event_roll_back_together(
    ctx: ShopContext,
    team: Team,
    audit_log: AuditLog,
    fetch: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    _fail_on(monkeypatch, "visit.claimed")
    with pytest.raises(Injected):
        visits.claim_visit(ctx, team.sam, visit_id)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.owner_id, visit.claimed_at) == (None, None)
    assert audit_log("visit.claimed") == []
    monkeypatch.undo()
    visits.claim_visit(ctx, team.alex, visit_id)  # the visit is still free to claim
    assert fetch(Visit, visit_id).owner_id == _id(team.alex)


def test_ending_a_visit_rolls_back_with_a_failing_thank_you(
    ctx: ShopContext,
    team: Team,
    bob: int,
    audit_log: AuditLog,
    row_count: RowCount,
    fetch: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, _id(team.alex), "break")

    def failing_thank_you(*args: Any, **kwargs: Any) -> int:
        raise Injected("thank-you")

    monkeypatch.setattr(thank_yous, "queue_thank_you", failing_thank_you)
    with pytest.raises(Injected):
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.ended_at, visit.outcome) == (None, None)
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.PENDING
    assert audit_log("visit.ended", "followup.queued") == []
    assert row_count(FollowUp) == 0


def test_thank_you_and_visit_end_roll_back_when_the_thank_you_event_fails(
    ctx: ShopContext,
    team: Team,
    bob: int,
    audit_log: AuditLog,
    row_count: RowCount,
    fetch: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    _fail_on(monkeypatch, "followup.queued")
    with pytest.raises(Injected):
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    assert fetch(Visit, visit_id).ended_at is None
    assert row_count(FollowUp) == 0
    assert audit_log("visit.ended") == []


def test_consent_given_for_a_callback_rolls_back_with_it(
    ctx: ShopContext,
    team: Team,
    bob: int,
    audit_log: AuditLog,
    row_count: RowCount,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fail_on(monkeypatch, "followup.queued")
    with pytest.raises(Injected):
        followups.add_callback(ctx, team.sam, bob, about="x", consent_source="asked", channel=Channel.SMS)
    assert row_count(ContactConsent) == 0
    assert row_count(FollowUp) == 0
    assert audit_log("customer.consent_recorded", "followup.queued") == []


def test_approval_rolls_back_with_its_event(
    ctx: ShopContext,
    team: Team,
    audit_log: AuditLog,
    fetch: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, _id(team.alex), "break")
    _fail_on(monkeypatch, "handoff.approved")
    with pytest.raises(Injected):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    assert fetch(Visit, visit_id).owner_id == _id(team.sam)
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.PENDING
    monkeypatch.undo()
    handoffs.approve_handoff(ctx, team.lead, request_id)
    assert fetch(Visit, visit_id).owner_id == _id(team.alex)


def test_a_new_staff_member_and_their_event_roll_back_together(
    ctx: ShopContext, audit_log: AuditLog, row_count: RowCount, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on(monkeypatch, "staff.added")
    with pytest.raises(Injected):
        staff.add_staff(ctx, None, name="Kim", pin="5555")
    assert row_count(Staff) == 0
    assert audit_log("staff.added") == []


def test_the_change_feed_follows_the_audit_log(ctx: ShopContext, team: Team) -> None:
    start = changes.latest_event_id(ctx)
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    feed = changes.changes_since(ctx, start)
    assert [(c.entity, c.entity_id, c.action) for c in feed] == [
        ("visit", visit_id, "visit.created"),
        ("visit", visit_id, "visit.claimed"),
    ]
    assert changes.latest_event_id(ctx) == feed[-1].event_id
    assert changes.changes_since(ctx, feed[-1].event_id) == []
