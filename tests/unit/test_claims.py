"""Claiming a visit: first claim wins; a second claimer is told who has the customer and
since when (store time), and the blocked attempt is logged; re-claiming by the owner is
a no-op; ended or missing visits cannot be claimed; kiosks cannot claim."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import Outcome, Visit
from counter_tui.errors import AlreadyOwned, Conflict, NotAllowed, NotFound
from counter_tui.services import staff, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team, make_settings
from tests.unit.conftest import AuditLog


def test_first_claim_wins_and_is_audited(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="tall, green coat")
    visits.claim_visit(ctx, team.sam, visit_id)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.owner_id, visit.claimed_at) == (team.sam.staff_id, ctx.now())
    assert [(e.actor_id, e.entity_id) for e in audit_log("visit.claimed")] == [(team.sam.staff_id, visit_id)]


def test_second_claimer_is_told_who_and_since_when_and_the_attempt_is_logged(
    ctx: ShopContext, team: Team, audit_log: AuditLog, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    clock.moment = datetime(2026, 11, 20, 10, 42, tzinfo=UTC)
    visit_id = visits.new_walk_in(ctx, team.lead, description="red hat")
    visits.claim_visit(ctx, team.sam, visit_id)
    clock.advance(minutes=3)
    with pytest.raises(AlreadyOwned) as blocked:
        visits.claim_visit(ctx, team.alex, visit_id)
    assert str(blocked.value) == (
        "Sam has this customer since 10:42. Ask Sam, or a shift lead can approve a hand-off."
    )
    assert fetch(Visit, visit_id).owner_id == team.sam.staff_id
    [event] = audit_log("visit.claim_blocked")
    assert (event.actor_id, event.entity_id) == (team.alex.staff_id, visit_id)
    assert json.loads(event.details) == {"owner_id": team.sam.staff_id, "owner": "Sam"}
    assert len(audit_log("visit.claimed")) == 1


def test_since_is_shown_in_the_store_time_zone(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    clock.moment = datetime(2026, 7, 17, 10, 42, tzinfo=UTC)  # 11:42 in London (BST)
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    with pytest.raises(AlreadyOwned, match="since 11:42"):
        visits.claim_visit(ctx, team.alex, visit_id)


def test_since_follows_the_configured_time_zone(database_url: str, clock: ManualClock) -> None:
    shop = open_shop(make_settings(database_url, timezone="America/New_York"), clock=clock, create=True)
    try:
        sam = staff.add_staff(shop, None, name="Sam", pin="2222")
        alex = staff.add_staff(shop, None, name="Alex", pin="3333")
        sam_actor = staff.sign_in(shop, sam.id, "2222")
        alex_actor = staff.sign_in(shop, alex.id, "3333")
        visit_id = visits.new_walk_in(shop, sam_actor, claim=True)
        with pytest.raises(AlreadyOwned, match="Sam has this customer since 06:00"):
            visits.claim_visit(shop, alex_actor, visit_id)
    finally:
        shop.database.dispose()


def test_claim_by_the_owner_again_changes_nothing(
    ctx: ShopContext, team: Team, audit_log: AuditLog, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="walk-in")
    visits.claim_visit(ctx, team.sam, visit_id)
    claimed_at = fetch(Visit, visit_id).claimed_at
    events_before = len(audit_log())
    clock.advance(minutes=10)
    visits.claim_visit(ctx, team.sam, visit_id)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.owner_id, visit.claimed_at) == (team.sam.staff_id, claimed_at)
    assert len(audit_log()) == events_before


def test_a_lead_is_blocked_from_claiming_too(ctx: ShopContext, team: Team, fetch: Callable[..., Any]) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    with pytest.raises(AlreadyOwned, match="Sam has this customer"):
        visits.claim_visit(ctx, team.lead, visit_id)
    assert fetch(Visit, visit_id).owner_id == team.sam.staff_id


def test_claiming_an_ended_visit_is_refused(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    visits.end_visit(ctx, team.alex, visit_id, Outcome.LEFT_UNSERVED)
    with pytest.raises(Conflict, match="already ended"):
        visits.claim_visit(ctx, team.sam, visit_id)
    assert fetch(Visit, visit_id).owner_id is None
    assert audit_log("visit.claimed", "visit.claim_blocked") == []


def test_claiming_a_missing_visit_is_not_found(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotFound, match="no longer exists"):
        visits.claim_visit(ctx, team.sam, 999)


def test_kiosk_and_deactivated_staff_cannot_claim(
    ctx: ShopContext, team: Team, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, Actor.kiosk("door"), needs=["needs_help"])
    with pytest.raises(NotAllowed, match="kiosk"):
        visits.claim_visit(ctx, Actor.kiosk("door"), visit_id)
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(NotAllowed, match="no longer active"):
        visits.claim_visit(ctx, team.alex, visit_id)
    assert fetch(Visit, visit_id).owner_id is None


def test_claim_at_walk_in_makes_the_greeter_the_owner(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.alex, description="with a pram", claim=True)
    assert fetch(Visit, visit_id).owner_id == team.alex.staff_id
    assert [e.action for e in audit_log("visit.created", "visit.claimed")] == [
        "visit.created",
        "visit.claimed",
    ]
    with pytest.raises(AlreadyOwned, match="Alex has this customer"):
        visits.claim_visit(ctx, team.sam, visit_id)


def test_of_several_racing_claims_exactly_one_wins(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    claimers = [team.sam, team.alex, team.lead]
    for _ in range(5):
        visit_id = visits.new_walk_in(ctx, team.lead)
        start = threading.Barrier(len(claimers))

        def claim(actor: Actor, visit_id: int = visit_id, start: threading.Barrier = start) -> str:
            start.wait()
            try:
                visits.claim_visit(ctx, actor, visit_id)
            except AlreadyOwned as refusal:
                return f"blocked: {refusal}"
            return "won"

        with ThreadPoolExecutor(max_workers=len(claimers)) as pool:
            results = list(pool.map(claim, claimers))
        assert results.count("won") == 1
        winner = claimers[results.index("won")]
        assert fetch(Visit, visit_id).owner_id == winner.staff_id
        for result in results:
            if result != "won":
                assert result.startswith(f"blocked: {winner.name} has this customer since 11:00")
        claimed = [e for e in audit_log("visit.claimed") if e.entity_id == visit_id]
        blocked = [e for e in audit_log("visit.claim_blocked") if e.entity_id == visit_id]
        assert [e.actor_id for e in claimed] == [winner.staff_id]
        assert len(blocked) == len(claimers) - 1
