"""Real processes racing for the same customer and the same hand-off.

Exactly one claim wins each time and the others are told who has the customer; every
attempt leaves exactly one audit event; no "database is locked" or driver error
reaches a person.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.db.models import HandoffRequest, Visit
from counter_tui.services import handoffs, visits
from counter_tui.services.context import Actor, ShopContext
from tests.concurrency.race import RacePool, audit_actions, open_race_shop
from tests.concurrency.workers import Outcome

pytestmark = pytest.mark.slow

TWO_PROCESS_ROUNDS = 40
EIGHT_PROCESS_CLAIM_ROUNDS = 12
EIGHT_PROCESS_HANDOFF_ROUNDS = 5


def _winner(outcomes: list[Outcome], refusal: str) -> int:
    """The index of the one worker that won; checks everyone else got `refusal`."""
    failures = [o for o in outcomes if o.result == "failure"]
    assert failures == [], failures[0].message
    results = Counter(o.result for o in outcomes)
    assert results == {"won": 1, refusal: len(outcomes) - 1}
    return next(o.worker for o in outcomes if o.result == "won")


def _check_claim(ctx: ShopContext, racers: list[Actor], greeter: Actor, visit_id: int, winner: int) -> None:
    """The winner owns the visit, with one claim event; each loser has one blocked event."""
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.owner_id == racers[winner].staff_id
    expected = Counter({("visit.created", greeter.staff_id or 0): 1})
    for index, racer in enumerate(racers):
        action = "visit.claimed" if index == winner else "visit.claim_blocked"
        expected[(action, racer.staff_id or 0)] += 1
    assert audit_actions(ctx, "visit", visit_id) == expected


def test_two_processes_claiming_the_same_visit_one_wins_every_round(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'two.sqlite3'}"
    ctx, actors = open_race_shop(url, leads=0, associates=3)
    racers, greeter = actors[:2], actors[2]
    wins: Counter[int] = Counter()
    with RacePool(2) as pool:
        for _ in range(TWO_PROCESS_ROUNDS):
            visit_id = visits.new_walk_in(ctx, greeter, description="round")
            outcomes = pool.race(url, racers, "claim", visit_id)
            winner = _winner(outcomes, "AlreadyOwned")
            loser = outcomes[1 - winner]
            assert racers[winner].name in loser.message
            _check_claim(ctx, racers, greeter, visit_id, winner)
            wins[winner] += 1
    assert sum(wins.values()) == TWO_PROCESS_ROUNDS
    ctx.database.dispose()


def test_eight_processes_claiming_the_same_visits(shared_url: str, eight_workers: RacePool) -> None:
    ctx, actors = open_race_shop(shared_url, leads=8, associates=1)
    racers, greeter = actors[:8], actors[8]
    for _ in range(EIGHT_PROCESS_CLAIM_ROUNDS):
        visit_id = visits.new_walk_in(ctx, greeter, description="round")
        winner = _winner(eight_workers.race(shared_url, racers, "claim", visit_id), "AlreadyOwned")
        _check_claim(ctx, racers, greeter, visit_id, winner)
    ctx.database.dispose()


def test_eight_leads_approving_the_same_handoff(shared_url: str, eight_workers: RacePool) -> None:
    ctx, actors = open_race_shop(shared_url, leads=8, associates=2)
    leads, owner, colleague = actors[:8], actors[8], actors[9]
    assert colleague.staff_id is not None
    for _ in range(EIGHT_PROCESS_HANDOFF_ROUNDS):
        visit_id = visits.new_walk_in(ctx, owner, description="round", claim=True)
        request_id = handoffs.request_handoff(ctx, owner, visit_id, colleague.staff_id, "going on break")
        winner = _winner(eight_workers.race(shared_url, leads, "approve", request_id), "Conflict")
        with ctx.database.read() as session:
            visit = session.get(Visit, visit_id)
            request = session.get(HandoffRequest, request_id)
            assert visit is not None and request is not None
            assert visit.owner_id == colleague.staff_id
            assert (request.status, request.decided_by) == ("approved", leads[winner].staff_id)
        assert audit_actions(ctx, "handoff", request_id) == Counter(
            {
                ("handoff.requested", owner.staff_id or 0): 1,
                ("handoff.approved", leads[winner].staff_id or 0): 1,
            }
        )
    ctx.database.dispose()


def test_eight_leads_reassigning_the_same_customer_one_moves_them(
    shared_url: str, eight_workers: RacePool
) -> None:
    """Eight leads who all saw the owner give the customer to themselves at once: exactly
    one moves them; the others are told who did (none overrides it unseen)."""
    ctx, actors = open_race_shop(shared_url, leads=8, associates=1)
    leads, owner = actors[:8], actors[8]
    for _ in range(EIGHT_PROCESS_HANDOFF_ROUNDS):
        visit_id = visits.new_walk_in(ctx, owner, description="round", claim=True)
        outcomes = eight_workers.race(shared_url, leads, f"reassign_from:{owner.staff_id}", visit_id)
        winner = _winner(outcomes, "OwnerChanged")
        for outcome in outcomes:
            if outcome.worker != winner:
                assert outcome.message.startswith(
                    f"{leads[winner].name} reassigned round to {leads[winner].name}"
                )
        with ctx.database.read() as session:
            visit = session.get(Visit, visit_id)
            assert visit is not None and visit.owner_id == leads[winner].staff_id
            moves = session.exec(select(HandoffRequest).where(HandoffRequest.visit_id == visit_id)).all()
            assert [(m.from_staff_id, m.to_staff_id) for m in moves] == [
                (owner.staff_id, leads[winner].staff_id)
            ]
        assert audit_actions(ctx, "visit", visit_id) == Counter(
            {
                ("visit.created", owner.staff_id or 0): 1,
                ("visit.claimed", owner.staff_id or 0): 1,
                ("visit.reassigned", leads[winner].staff_id or 0): 1,
            }
        )
    ctx.database.dispose()
