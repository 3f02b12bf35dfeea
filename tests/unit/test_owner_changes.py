"""Every ownership change carries the owner the person saw (`services.ownership`): of two
leads moving the same customer, the later one is refused with one sentence naming who
changed the owner to whom and when, and saving again, having seen it, applies it. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, HandoffRequest, HandoffStatus, Visit
from counter_tui.errors import AlreadyOwned, Conflict
from counter_tui.services import handoffs, reversals, staff, visit_views, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.ownership import OwnerChanged
from tests.conftest import Team, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the check is one conditional UPDATE on each."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


@pytest.fixture
def priya(ctx: ShopContext, team: Team) -> Actor:
    """A second shift lead."""
    lead = staff.add_staff(ctx, None, name="Priya", pin="4444", role="lead")
    return staff.sign_in(ctx, lead.id, "4444")


def _id(actor: Actor) -> int:
    assert actor.staff_id is not None
    return actor.staff_id


def _owner(ctx: ShopContext, visit_id: int) -> int | None:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.owner_id


def test_a_reassignment_over_a_change_made_meanwhile_is_refused_then_applied_on_purpose(
    ctx: ShopContext, other_terminal: ShopContext, team: Team, priya: Actor, clock: ManualClock
) -> None:
    kwame = visits.new_walk_in(ctx, team.sam, description="Kwame", claim=True)
    seen = _owner(ctx, kwame)  # Dana's dialog opens: Sam has Kwame
    clock.advance(minutes=4)
    handoffs.reassign_visit(
        other_terminal, priya, kwame, _id(team.alex), "Alex knows bikes", seen_owner_id=seen
    )
    with pytest.raises(OwnerChanged) as refused:
        handoffs.reassign_visit(ctx, team.lead, kwame, _id(team.lead), "Sam went home", seen_owner_id=seen)
    assert refused.value.change == "Priya reassigned Kwame to Alex at 11:04."
    assert refused.value.now == _id(team.alex)
    assert _owner(ctx, kwame) == _id(team.alex)
    with ctx.database.read() as session:
        moves = session.exec(select(AuditEvent).where(AuditEvent.action == "visit.reassigned")).all()
        assert len(moves) == 1
    handoffs.reassign_visit(
        ctx, team.lead, kwame, _id(team.lead), "Sam went home", seen_owner_id=refused.value.now
    )  # type: ignore[arg-type]
    assert _owner(ctx, kwame) == _id(team.lead)
    with ctx.database.read() as session:
        moves = session.exec(select(AuditEvent).where(AuditEvent.action == "visit.reassigned")).all()
        assert [json.loads(m.details)["from_staff_id"] for m in moves] == [_id(team.sam), _id(team.alex)]


def test_a_reassignment_after_a_claim_or_an_approved_hand_off_names_them(
    ctx: ShopContext, team: Team, priya: Actor, clock: ManualClock
) -> None:
    unowned = visits.new_walk_in(ctx, team.sam, description="man with a dog")
    clock.advance(minutes=2)
    visits.claim_visit(ctx, team.alex, unowned)
    with pytest.raises(OwnerChanged, match=r"^Alex claimed man with a dog at 11:02\. Your choice is kept"):
        handoffs.reassign_visit(ctx, team.lead, unowned, _id(team.sam), "Sam knows dogs", seen_owner_id=None)
    hat = visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    request = handoffs.request_handoff(ctx, team.sam, hat, _id(team.alex), "break")
    clock.advance(minutes=5)
    handoffs.approve_handoff(ctx, priya, request)
    with pytest.raises(OwnerChanged) as refused:
        handoffs.reassign_visit(ctx, team.lead, hat, _id(team.lead), "cover", seen_owner_id=_id(team.sam))
    assert refused.value.change == "Priya approved the hand-off of red hat to Alex at 11:07."


def test_approving_a_hand_off_superseded_by_a_reassignment_says_who_moved_the_customer(
    ctx: ShopContext, team: Team, priya: Actor, clock: ManualClock
) -> None:
    hat = visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    request = handoffs.request_handoff(ctx, team.sam, hat, _id(team.alex), "break")
    clock.advance(minutes=3)
    handoffs.reassign_visit(ctx, priya, hat, _id(priya), "I will take them", seen_owner_id=_id(team.sam))
    with pytest.raises(
        Conflict, match=r"^Priya reassigned red hat to Priya at 11:03, so this hand-off was cancelled\.$"
    ):
        handoffs.approve_handoff(ctx, team.lead, request)
    assert _owner(ctx, hat) == _id(priya)


def test_a_claim_from_a_stale_screen_names_who_has_the_customer(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    unowned = visits.new_walk_in(ctx, team.sam, description="man with a dog")
    visits.claim_visit(other_terminal, team.alex, unowned)
    with pytest.raises(AlreadyOwned, match="Alex"):
        visits.claim_visit(ctx, team.sam, unowned)
    assert _owner(ctx, unowned) == _id(team.alex)


def test_a_reassignment_of_a_visit_ended_meanwhile_moves_nothing(ctx: ShopContext, team: Team) -> None:
    hat = visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    visits.end_visit(ctx, team.sam, hat, "no_purchase")
    with pytest.raises(Conflict, match="already ended"):
        handoffs.reassign_visit(ctx, team.lead, hat, _id(team.alex), "cover", seen_owner_id=_id(team.sam))
    with ctx.database.read() as session:
        assert (
            session.exec(
                select(HandoffRequest).where(HandoffRequest.status == HandoffStatus.REASSIGNED)
            ).all()
            == []
        )


def _greeting(ctx: ShopContext, visit_id: int) -> tuple[int | None, datetime | None, datetime | None]:
    """(owner, first greeted at, with that owner since)."""
    with ctx.database.read() as session:
        visit = session.get_one(Visit, visit_id)
        return visit.owner_id, visit.claimed_at, visit.owner_since


def test_a_change_of_owner_keeps_when_the_customer_was_first_greeted(
    ctx: ShopContext, team: Team, priya: Actor, clock: ManualClock
) -> None:
    """Found by the tester: Jordan greeted Kwame at 05:11, Dana approved his hand-off to
    Sam at 05:52, and the visit said Kwame was first greeted at 05:52 (a 43-minute wait in
    the export). Every change of owner keeps the first greeting (`claimed_at`) and says
    since when the new owner has the customer (`owner_since`): an approved hand-off, a
    lead's reassignment, a deactivated colleague's customers passed on."""
    kwame = visits.new_walk_in(ctx, team.lead, description="Kwame")
    clock.advance(minutes=2)
    visits.claim_visit(ctx, team.sam, kwame)
    greeted = ctx.now()
    assert _greeting(ctx, kwame) == (_id(team.sam), greeted, greeted)
    request = handoffs.request_handoff(ctx, team.sam, kwame, _id(team.alex), "Alex does the mixers")
    clock.advance(minutes=41)
    handoffs.approve_handoff(ctx, team.lead, request)
    assert _greeting(ctx, kwame) == (_id(team.alex), greeted, ctx.now())
    [row] = visit_views.floor_board(ctx)
    assert (row.owner_name, row.owner_since) == ("Alex", ctx.now())
    assert visit_views.visit_detail(ctx, team.alex, kwame).owner_since == ctx.now()
    with pytest.raises(AlreadyOwned, match=r"^Alex has this customer since 11:43\."):
        visits.claim_visit(ctx, team.sam, kwame)
    clock.advance(minutes=5)
    handoffs.reassign_visit(
        ctx, priya, kwame, _id(team.sam), "Alex is on the till", seen_owner_id=_id(team.alex)
    )
    assert _greeting(ctx, kwame) == (_id(team.sam), greeted, ctx.now())
    clock.advance(minutes=3)
    staff.deactivate(ctx, priya, name="Sam", pass_to="Alex")
    assert _greeting(ctx, kwame) == (_id(team.alex), greeted, ctx.now())


def test_the_owner_who_claimed_again_after_a_move_is_named_with_their_own_claim(
    ctx: ShopContext, team: Team, priya: Actor, clock: ManualClock
) -> None:
    """A visit reopened after its owner left comes back with nobody owning it; whoever
    claims it then has the customer since that claim, while the first greeting stays."""
    hat = visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    greeted = ctx.now()
    clock.advance(minutes=2)
    handoffs.reassign_visit(ctx, priya, hat, _id(team.alex), "cover", seen_owner_id=_id(team.sam))
    visits.end_visit(ctx, team.alex, hat, "no_purchase")
    staff.deactivate(ctx, priya, name="Alex")
    reversals.reopen_visit(ctx, team.lead, hat, "still in the shop")
    assert _greeting(ctx, hat) == (None, greeted, None)
    clock.advance(minutes=3)
    visits.claim_visit(ctx, team.sam, hat)
    assert _greeting(ctx, hat) == (_id(team.sam), greeted, ctx.now())
    with pytest.raises(OwnerChanged, match=r"^Sam claimed red hat at 11:05\. "):
        handoffs.reassign_visit(ctx, team.lead, hat, _id(priya), "cover", seen_owner_id=None)
