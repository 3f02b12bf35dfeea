"""The key counter rules, on PostgreSQL: claims, hand-offs, follow-up due times, search."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from counter_tui.db.models import (
    AuditEvent,
    CustomerNote,
    FollowUp,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Outcome,
)
from counter_tui.errors import AlreadyOwned, Conflict, NotAllowed
from counter_tui.services import (
    audit_verify,
    customers,
    followups,
    handoffs,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import ChangeFeed
from counter_tui.sync.postgres_feed import PostgresFeed
from tests.conftest import Team

pytestmark = pytest.mark.postgres


def _actions(ctx: ShopContext, entity_id: int) -> list[str]:
    with ctx.database.read() as session:
        rows = session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "visit", AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id)  # type: ignore[arg-type]
        )
        return list(rows)


def test_this_really_is_postgresql(ctx: ShopContext) -> None:
    assert ctx.database.engine.dialect.name == "postgresql"
    assert isinstance(ChangeFeed(ctx, print).watcher, PostgresFeed)


def test_first_claim_owns_and_a_second_is_told_who_and_since_when(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    visits.claim_visit(ctx, team.sam, visit_id)
    with pytest.raises(AlreadyOwned, match=r"Sam has this customer since 11:00"):
        visits.claim_visit(ctx, team.alex, visit_id)
    assert visit_views.visit_detail(ctx, team.alex, visit_id).owner_name == "Sam"
    assert _actions(ctx, visit_id) == ["visit.created", "visit.claimed", "visit.claim_blocked"]


def test_handoff_needs_the_owner_and_one_lead_approval(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    assert team.alex.staff_id is not None and team.sam.staff_id is not None
    with pytest.raises(AlreadyOwned):
        handoffs.request_handoff(ctx, team.alex, visit_id, team.alex.staff_id, "I know them")
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id, "break")
    with pytest.raises(NotAllowed):
        handoffs.approve_handoff(ctx, team.sam, request_id)
    handoffs.approve_handoff(ctx, team.lead, request_id)
    with pytest.raises(Conflict, match="already approved"):
        handoffs.approve_handoff(ctx, team.lead, request_id)
    assert visit_views.visit_detail(ctx, team.lead, visit_id).owner_name == "Alex"


def test_followup_due_times_come_back_in_utc_from_the_store_calendar(ctx: ShopContext, team: Team) -> None:
    customer_id = customers.create_customer(
        ctx, team.sam, name="Robin Shaw", phone="0161 496 0000", opted_in=["phone"]
    )
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    callback_id = followups.add_callback(ctx, team.sam, customer_id, about="the kettle")
    visits.end_visit(
        ctx, team.sam, visit_id, "purchase", personal_line="Hope the blue kettle suits the kitchen"
    )
    with ctx.database.read() as session:
        callback = session.get(FollowUp, callback_id)
        thank_you = session.exec(select(FollowUp).where(FollowUp.kind == "thank_you")).one()
    assert callback is not None
    # Friday 11:00 in London (UTC+0 in November): call back before today's 17:30 close;
    # thank-you by the end of the next business day, Saturday's 16:00 close.
    assert callback.due_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert thank_you.due_at == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
    assert thank_you.owner_id == team.sam.staff_id


def test_find_customers_matches_case_insensitively(ctx: ShopContext, team: Team) -> None:
    customers.create_customer(ctx, team.sam, name="Dana Smith", email="Dana@Example.com")
    page = customers.find_customers(ctx, "SMI")
    assert [match.name for match in page.items] == ["Dana Smith"]


def test_a_busy_floor_visit_writes_its_rows_and_events_in_one_chain(ctx: ShopContext, team: Team) -> None:
    """Claim, need, note, and ending with a hand-off still waiting: the prepared statements
    and the one-insert audit chain on PostgreSQL."""
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    visits.claim_visit(ctx, team.sam, visit_id)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)
    visits.add_visit_note(ctx, team.sam, visit_id, "asked about sizes")
    assert team.alex.staff_id is not None
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id, "break")
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    with ctx.database.read() as session:
        notes = session.exec(select(CustomerNote.body).where(CustomerNote.visit_id == visit_id)).all()
        request = session.get(HandoffRequest, request_id)
    assert notes == ["asked about sizes"]
    assert request is not None and request.status == HandoffStatus.CANCELLED
    assert request.decision_note == "visit ended"
    assert _actions(ctx, visit_id)[-4:] == [
        "visit.claimed",
        "visit.need_set",
        "visit.note_added",
        "visit.ended",
    ]
    assert audit_verify.verify_chain(ctx).intact
