"""Deactivating a staff member who still owns customers or follow-ups asks where the work
goes; the transfer goes through the reassignment rule and is audited; a deactivated
member can be reactivated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, HandoffRequest, HandoffStatus, Staff, Visit
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound, SignInFailed
from counter_tui.services import followups, handoffs, staff, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _owner(ctx: ShopContext, visit_id: int) -> int | None:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.owner_id


def _active(ctx: ShopContext, name: str) -> bool:
    with ctx.database.read() as session:
        return session.exec(select(Staff).where(Staff.name == name)).one().active


@pytest.fixture
def sams_work(ctx: ShopContext, team: Team, bob: int, clock: ManualClock) -> tuple[int, int]:
    """Sam owns an open visit (Bob) and an open promise to Bob; (visit id, follow-up id)."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="ring when the part arrives", due_at=clock() + timedelta(days=2)
    )
    return visit_id, promise


def test_open_work_names_what_a_member_still_owns(
    ctx: ShopContext, team: Team, sams_work: tuple[int, int]
) -> None:
    work = staff.open_work(ctx, team.lead, name="Sam")
    assert (work.visits, work.followups) == (["Bob Jones"], 1)
    assert staff.open_work(ctx, team.lead, name="Alex").empty


def test_deactivating_someone_with_open_work_is_refused_until_someone_takes_it(
    ctx: ShopContext, team: Team, sams_work: tuple[int, int], audit_log: AuditLog
) -> None:
    with pytest.raises(Conflict, match=r"Sam still owns 1 customer \(Bob Jones\) and 1 open follow-up"):
        staff.deactivate(ctx, team.lead, name="Sam")
    assert _active(ctx, "Sam")
    assert audit_log("staff.deactivated") == []


def test_deactivating_passes_visits_and_followups_to_a_colleague(
    ctx: ShopContext, team: Team, sams_work: tuple[int, int], audit_log: AuditLog
) -> None:
    visit_id, promise_id = sams_work
    staff.deactivate(ctx, team.lead, name="Sam", pass_to="alex")

    assert not _active(ctx, "Sam")
    assert _owner(ctx, visit_id) == team.alex.staff_id
    with ctx.database.read() as session:
        promise = session.get(FollowUp, promise_id)
        [reassignment] = session.exec(select(HandoffRequest).where(HandoffRequest.visit_id == visit_id))
    assert promise is not None and promise.owner_id == team.alex.staff_id
    assert (
        reassignment.status,
        reassignment.from_staff_id,
        reassignment.to_staff_id,
        reassignment.decided_by,
    ) == (
        HandoffStatus.REASSIGNED,
        team.sam.staff_id,
        team.alex.staff_id,
        team.lead.staff_id,
    )
    assert "Sam was deactivated" in reassignment.reason
    [moved_visit] = audit_log("visit.reassigned")
    [moved_followup] = audit_log("followup.reassigned")
    [deactivated] = audit_log("staff.deactivated")
    assert moved_visit.actor_id == moved_followup.actor_id == deactivated.actor_id == team.lead.staff_id
    assert '"passed_to": "Alex"' in deactivated.details


def test_pending_handoffs_to_the_member_are_cancelled(ctx: ShopContext, team: Team) -> None:
    assert team.sam.staff_id is not None
    visit_id = visits.new_walk_in(ctx, team.alex, description="blue hat", claim=True)
    request_id = handoffs.request_handoff(ctx, team.alex, visit_id, team.sam.staff_id, "Sam knows hats")
    staff.deactivate(ctx, team.lead, name="Sam")
    with ctx.database.read() as session:
        request = session.get(HandoffRequest, request_id)
    assert request is not None and request.status == HandoffStatus.CANCELLED
    assert _owner(ctx, visit_id) == team.alex.staff_id


@pytest.mark.parametrize(
    ("pass_to", "refusal", "message"),
    [
        ("Sam", InvalidInput, "someone other than Sam"),
        ("Nobody", NotFound, "No staff member called 'Nobody'"),
    ],
)
def test_work_cannot_go_to_the_member_or_to_nobody(
    ctx: ShopContext,
    team: Team,
    sams_work: tuple[int, int],
    pass_to: str,
    refusal: type[Exception],
    message: str,
) -> None:
    with pytest.raises(refusal, match=message):
        staff.deactivate(ctx, team.lead, name="Sam", pass_to=pass_to)
    assert _active(ctx, "Sam")
    assert _owner(ctx, sams_work[0]) == team.sam.staff_id


def test_work_cannot_go_to_someone_deactivated(
    ctx: ShopContext, team: Team, sams_work: tuple[int, int]
) -> None:
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(InvalidInput, match="Alex is deactivated"):
        staff.deactivate(ctx, team.lead, name="Sam", pass_to="Alex")
    assert _owner(ctx, sams_work[0]) == team.sam.staff_id


def test_reactivating_lets_them_sign_in_again_and_is_audited(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    assert team.alex.staff_id is not None
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, team.alex.staff_id, "3333")
    staff.reactivate(ctx, team.lead, name="alex")
    assert staff.sign_in(ctx, team.alex.staff_id, "3333").name == "Alex"
    [event] = audit_log("staff.reactivated")
    assert (event.actor_id, event.entity_id) == (team.lead.staff_id, team.alex.staff_id)
    with pytest.raises(InvalidInput, match="Alex is already active"):
        staff.reactivate(ctx, team.lead, name="Alex")


def test_associates_cannot_reactivate(ctx: ShopContext, team: Team) -> None:
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(NotAllowed, match="Only a shift lead can reactivate staff"):
        staff.reactivate(ctx, team.sam, name="Alex")
    assert not _active(ctx, "Alex")


def test_deactivating_twice_says_so(ctx: ShopContext, team: Team) -> None:
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(InvalidInput, match="Alex is already deactivated"):
        staff.deactivate(ctx, team.lead, name="Alex")
