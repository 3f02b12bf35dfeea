"""A small shop world and one call of each service, for the offline tests on both databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import func, select

from counter_tui.db.models import AuditEvent, Visit
from counter_tui.services import (
    customers,
    followups,
    handoffs,
    presence,
    staff,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.changes import changes_since, latest_event_id
from counter_tui.services.context import ShopContext
from tests.conftest import Team


@dataclass(frozen=True)
class World:
    """Ids of things the calls act on: a customer, a visit Sam owns, a pending hand-off."""

    customer_id: int
    visit_id: int
    unowned_visit_id: int
    request_id: int
    followup_id: int


def build_world(ctx: ShopContext, team: Team) -> World:
    """A customer who agreed to phone calls, visiting, owned by Sam, with a hand-off pending."""
    customer_id = customers.create_customer(
        ctx, team.sam, name="Robin Shaw", phone="0161 496 0000", opted_in=["phone"]
    )
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    unowned = visits.new_walk_in(ctx, team.sam, description="green scarf")
    assert team.alex.staff_id is not None
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id, "on break")
    followup_id = followups.add_callback(ctx, team.sam, customer_id, about="the blue kettle")
    return World(customer_id, visit_id, unowned, request_id, followup_id)


def every_service_call(ctx: ShopContext, team: Team, world: World) -> list[tuple[str, Callable[[], object]]]:
    """(name, call) for one representative call of each service, reads and writes."""
    later = ctx.now() + timedelta(days=1)
    assert team.alex.staff_id is not None
    return [
        ("sign_in", lambda: staff.sign_in(ctx, team.sam.staff_id or 0, "2222")),
        ("list_staff", lambda: staff.list_staff(ctx)),
        ("add_staff", lambda: staff.add_staff(ctx, team.lead, name="Kim", pin="4444")),
        ("new_walk_in", lambda: visits.new_walk_in(ctx, team.sam, description="tall hat")),
        ("claim_visit", lambda: visits.claim_visit(ctx, team.alex, world.unowned_visit_id)),
        ("set_need", lambda: visit_needs.set_need(ctx, team.sam, world.visit_id, "needs_help")),
        ("add_note", lambda: visits.add_visit_note(ctx, team.sam, world.visit_id, "likes tea")),
        ("end_visit", lambda: visits.end_visit(ctx, team.sam, world.visit_id, "no_purchase")),
        ("floor_board", lambda: visit_views.floor_board(ctx)),
        ("visit_detail", lambda: visit_views.visit_detail(ctx, team.sam, world.visit_id)),
        ("approve_handoff", lambda: handoffs.approve_handoff(ctx, team.lead, world.request_id)),
        (
            "reassign_visit",
            lambda: handoffs.reassign_visit(
                ctx,
                team.lead,
                world.visit_id,
                team.alex.staff_id or 0,
                "Sam went home",
                seen_owner_id=team.sam.staff_id,
            ),
        ),
        ("pending_handoffs", lambda: handoffs.pending_handoffs(ctx, team.lead)),
        (
            "create_customer",
            lambda: customers.create_customer(ctx, team.sam, name="Lee Park"),
        ),
        ("find_customers", lambda: customers.find_customers(ctx, "rob")),
        (
            "add_promise",
            lambda: followups.add_promise(
                ctx, team.sam, world.customer_id, promise="order the lid", due_at=later
            ),
        ),
        (
            "complete_followup",
            lambda: followups.complete_followup(
                ctx, team.sam, world.followup_id, what_was_done="called, lid on order"
            ),
        ),
        ("my_followups", lambda: followups.my_followups(ctx, team.sam)),
        ("presence.touch", lambda: presence.touch(ctx, team.alex, world.visit_id)),
        ("presence.leave", lambda: presence.leave(ctx, team.alex, world.visit_id)),
        ("presence.lookers", lambda: presence.lookers(ctx, team.sam, world.visit_id)),
        ("latest_event_id", lambda: latest_event_id(ctx)),
        ("changes_since", lambda: changes_since(ctx, 0)),
    ]


def audit_count(ctx: ShopContext) -> int:
    """How many audit events the database holds."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(AuditEvent)).one())


def assert_nothing_written_then_working(
    ctx: ShopContext, team: Team, world: World, *, audit_events_before: int
) -> None:
    """After an outage: no audit event was added, the visit is as it was, and a change now
    goes through (and is audited) again without a restart."""
    assert audit_count(ctx) == audit_events_before
    with ctx.database.read() as session:
        visit = session.get(Visit, world.visit_id)
        assert visit is not None
        assert (visit.owner_id, visit.ended_at) == (team.sam.staff_id, None)
    visit_needs.set_need(ctx, team.sam, world.visit_id, "needs_help")
    assert audit_count(ctx) == audit_events_before + 1
