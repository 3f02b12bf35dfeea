"""Hand-offs: only the owner requests one, with a reason, to another active colleague; one
pending at a time; only a lead approves or denies (denial needs a note); approval moves
the owner, once; a lead reassigns directly with a reason; the requester can withdraw;
ending the visit cancels what is pending."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import HandoffRequest, HandoffStatus, Outcome, Visit
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import handoffs, staff, visit_needs, visit_views, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


@pytest.fixture
def owned_visit(ctx: ShopContext, team: Team) -> int:
    """A visit Sam claimed at 11:00."""
    return visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)


def _id(actor: Any) -> int:
    assert actor.staff_id is not None
    return int(actor.staff_id)


def test_owner_requests_a_hand_off_with_a_reason(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), " lunch \x07")
    request: HandoffRequest = fetch(HandoffRequest, request_id)
    assert (request.from_staff_id, request.to_staff_id, request.reason, request.status) == (
        _id(team.sam),
        _id(team.alex),
        "lunch",
        HandoffStatus.PENDING,
    )
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)
    [event] = audit_log("handoff.requested")
    assert event.entity_id == request_id
    assert json.loads(event.details) == {
        "visit_id": owned_visit,
        "to_staff_id": _id(team.alex),
        "reason": "lunch",
    }
    [pending] = handoffs.pending_handoffs(ctx, team.lead)
    assert (pending.who, pending.from_name, pending.to_name) == ("red hat", "Sam", "Alex")
    assert [p.id for p in handoffs.pending_handoffs(ctx, team.sam)] == [request_id]
    assert handoffs.pending_handoffs(ctx, team.alex) == []
    assert visit_views.visit_detail(ctx, team.sam, owned_visit).pending_handoff is not None


def test_a_non_owner_cannot_request_and_the_attempt_is_logged(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, row_count: RowCount
) -> None:
    with pytest.raises(AlreadyOwned) as blocked:
        handoffs.request_handoff(ctx, team.alex, owned_visit, _id(team.alex), "I know them")
    assert "Sam has this customer since 11:00" in str(blocked.value)
    assert "Ask Sam, or a shift lead can approve a hand-off" in str(blocked.value)
    assert row_count(HandoffRequest) == 0
    [event] = audit_log("handoff.blocked")
    assert (event.actor_id, event.entity_id) == (_id(team.alex), owned_visit)


def test_a_lead_who_does_not_own_the_visit_reassigns_instead_of_requesting(
    ctx: ShopContext, team: Team, owned_visit: int, row_count: RowCount
) -> None:
    with pytest.raises(AlreadyOwned):
        handoffs.request_handoff(ctx, team.lead, owned_visit, _id(team.alex), "busy")
    assert row_count(HandoffRequest) == 0


def test_request_rules(
    ctx: ShopContext, team: Team, owned_visit: int, row_count: RowCount, audit_log: AuditLog
) -> None:
    with pytest.raises(InvalidInput, match="Give a reason"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "  \x1b ")
    with pytest.raises(InvalidInput, match="other than yourself"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.sam), "break")
    with pytest.raises(NotFound, match="not available"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, 999, "break")
    kim = staff.add_staff(ctx, None, name="Kim", pin="5555")
    staff.deactivate(ctx, None, name="Kim")
    with pytest.raises(NotFound, match="not available"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, kim.id, "break")
    unowned = visits.new_walk_in(ctx, team.sam)
    with pytest.raises(Conflict, match="Nobody owns this customer yet"):
        handoffs.request_handoff(ctx, team.sam, unowned, _id(team.alex), "break")
    assert row_count(HandoffRequest) == 0
    assert audit_log("handoff.requested") == []


def test_only_one_pending_request_at_a_time(
    ctx: ShopContext, team: Team, owned_visit: int, row_count: RowCount
) -> None:
    handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    with pytest.raises(Conflict, match="already waiting for a shift lead"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.lead), "break")
    assert row_count(HandoffRequest) == 1


def test_an_associate_cannot_decide(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    for actor in (team.alex, team.sam):
        with pytest.raises(NotAllowed, match="Only a shift lead can decide hand-offs"):
            handoffs.approve_handoff(ctx, actor, request_id)
        with pytest.raises(NotAllowed, match="Only a shift lead"):
            handoffs.deny_handoff(ctx, actor, request_id, "no")
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.PENDING
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)
    assert audit_log("handoff.approved", "handoff.denied") == []


def test_approval_moves_the_owner(
    ctx: ShopContext,
    team: Team,
    owned_visit: int,
    audit_log: AuditLog,
    clock: ManualClock,
    fetch: Callable[..., Any],
) -> None:
    greeted = ctx.now()
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    clock.advance(minutes=4)
    handoffs.approve_handoff(ctx, team.lead, request_id, note="ok")
    visit: Visit = fetch(Visit, owned_visit)
    # Sam greeted the customer at 11:00 (kept); Alex has them since the approval.
    assert (visit.owner_id, visit.claimed_at, visit.owner_since) == (_id(team.alex), greeted, ctx.now())
    request: HandoffRequest = fetch(HandoffRequest, request_id)
    assert (request.status, request.decided_by, request.decision_note) == (
        HandoffStatus.APPROVED,
        _id(team.lead),
        "ok",
    )
    [event] = audit_log("handoff.approved")
    assert json.loads(event.details) == {
        "visit_id": owned_visit,
        "from_staff_id": _id(team.sam),
        "to_staff_id": _id(team.alex),
        "note": "ok",
    }
    # Now Alex owns it: Sam is the one who is blocked.
    visit_needs.set_need(ctx, team.alex, owned_visit, "needs_help")
    with pytest.raises(AlreadyOwned, match="Alex has this customer since 11:04"):
        visit_needs.set_need(ctx, team.sam, owned_visit, "pickup")


def test_double_approval_is_refused(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    handoffs.approve_handoff(ctx, team.lead, request_id)
    with pytest.raises(Conflict, match=r"^Dana already approved this hand-off at \d\d:\d\d\.$"):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    with pytest.raises(Conflict, match=r"^Dana already approved this hand-off at \d\d:\d\d\.$"):
        handoffs.deny_handoff(ctx, team.lead, request_id, "changed my mind")
    assert len(audit_log("handoff.approved")) == 1
    assert fetch(Visit, owned_visit).owner_id == _id(team.alex)
    with pytest.raises(NotFound):
        handoffs.approve_handoff(ctx, team.lead, 999)


def test_denial_keeps_the_owner_and_needs_a_note(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    with pytest.raises(InvalidInput, match="Give a reason for the denial"):
        handoffs.deny_handoff(ctx, team.lead, request_id, " ")
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.PENDING
    handoffs.deny_handoff(ctx, team.lead, request_id, "Alex is on the till")
    request: HandoffRequest = fetch(HandoffRequest, request_id)
    assert (request.status, request.decision_note) == (HandoffStatus.DENIED, "Alex is on the till")
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)
    [event] = audit_log("handoff.denied")
    assert json.loads(event.details)["note"] == "Alex is on the till"
    # A new request may follow a denial.
    handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.lead), "need a lead")


def test_approval_fails_cleanly_when_the_visit_ended_meanwhile(
    ctx: ShopContext, team: Team, owned_visit: int, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    visits.end_visit(ctx, team.sam, owned_visit, Outcome.NO_PURCHASE)
    with pytest.raises(Conflict, match="already cancelled"):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)


def test_approval_to_a_colleague_deactivated_meanwhile_moves_nothing(
    ctx: ShopContext, team: Team, owned_visit: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    """Deactivating Alex cancels the request to pass a customer to Alex."""
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(Conflict, match=r"already cancelled \(Alex was deactivated\)\."):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    cancelled = fetch(HandoffRequest, request_id)
    assert (cancelled.status, cancelled.decision_note) == (HandoffStatus.CANCELLED, "Alex was deactivated")
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)
    assert audit_log("handoff.approved") == []


def test_a_lead_reassigns_directly_with_a_reason(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    pending = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    with pytest.raises(InvalidInput, match="Give a reason for the reassignment"):
        handoffs.reassign_visit(ctx, team.lead, owned_visit, _id(team.lead), "", seen_owner_id=_id(team.sam))
    with pytest.raises(InvalidInput, match="Sam already owns"):
        handoffs.reassign_visit(
            ctx, team.lead, owned_visit, _id(team.sam), "why not", seen_owner_id=_id(team.sam)
        )
    handoffs.reassign_visit(
        ctx, team.lead, owned_visit, _id(team.lead), "Sam went home ill", seen_owner_id=_id(team.sam)
    )
    assert fetch(Visit, owned_visit).owner_id == _id(team.lead)
    superseded: HandoffRequest = fetch(HandoffRequest, pending)
    assert superseded.status == HandoffStatus.CANCELLED
    [event] = audit_log("visit.reassigned")
    assert json.loads(event.details) == {
        "from_staff_id": _id(team.sam),
        "to_staff_id": _id(team.lead),
        "reason": "Sam went home ill",
    }
    with ctx.database.read() as session:
        from sqlmodel import select

        [record] = session.exec(
            select(HandoffRequest).where(HandoffRequest.status == HandoffStatus.REASSIGNED)
        ).all()
    assert (record.from_staff_id, record.to_staff_id, record.reason) == (
        _id(team.sam),
        _id(team.lead),
        "Sam went home ill",
    )


def test_an_associate_cannot_reassign(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    for actor in (team.sam, team.alex):
        with pytest.raises(NotAllowed, match="Only a shift lead can reassign"):
            handoffs.reassign_visit(
                ctx, actor, owned_visit, _id(team.alex), "swap", seen_owner_id=_id(team.sam)
            )
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)
    assert audit_log("visit.reassigned") == []


def test_the_requester_can_withdraw_but_nobody_else(
    ctx: ShopContext, team: Team, owned_visit: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    for actor in (team.alex, team.lead):
        with pytest.raises(NotAllowed, match="Only the person who asked"):
            handoffs.cancel_handoff(ctx, actor, request_id)
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.PENDING
    handoffs.cancel_handoff(ctx, team.sam, request_id)
    assert fetch(HandoffRequest, request_id).status == HandoffStatus.CANCELLED
    assert [e.entity_id for e in audit_log("handoff.cancelled")] == [request_id]
    # Found by a tester: a lead deciding a request withdrawn meanwhile read "This hand-off
    # was already cancelled.", not who withdrew it or when.
    withdrawn = "Sam withdrew this hand-off request at 11:00."
    with pytest.raises(Conflict, match=f"^{withdrawn}$"):
        handoffs.cancel_handoff(ctx, team.sam, request_id)
    with pytest.raises(Conflict, match=f"^{withdrawn}$"):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    assert fetch(Visit, owned_visit).owner_id == _id(team.sam)


def test_ending_the_visit_cancels_pending_requests(
    ctx: ShopContext, team: Team, owned_visit: int, fetch: Callable[..., Any]
) -> None:
    request_id = handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "break")
    visits.end_visit(ctx, team.lead, owned_visit, Outcome.NO_PURCHASE)
    request: HandoffRequest = fetch(HandoffRequest, request_id)
    assert (request.status, request.decision_note) == (HandoffStatus.CANCELLED, "visit ended")
    assert handoffs.pending_handoffs(ctx, team.lead) == []
    with pytest.raises(Conflict, match="already ended"):
        handoffs.request_handoff(ctx, team.sam, owned_visit, _id(team.alex), "again")
