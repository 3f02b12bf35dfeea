"""Real processes writing at once still make one unbroken audit chain, with ids in chain
order, on SQLite and PostgreSQL: eight terminals racing for the same customers (each
race writes a claim and seven blocked-claim events at the same instant), and writer
processes that write flat out and are killed mid-write."""

from __future__ import annotations

import pytest

from counter_tui.services import audit_verify, visits
from counter_tui.services.context import ShopContext
from tests.concurrency.race import RacePool, open_race_shop
from tests.concurrency.test_killed_terminal import WriterProcess

pytestmark = pytest.mark.slow

RACE_ROUNDS = 10
WRITERS = 4
COMMITS_EACH = 15


def assert_chain_intact(ctx: ShopContext, events_at_least: int) -> None:
    report = audit_verify.verify_chain(ctx)
    assert report.intact, [problem.sentence for problem in report.problems]
    assert report.events >= events_at_least


def test_eight_terminals_racing_make_one_chain(shared_url: str, eight_workers: RacePool) -> None:
    ctx, actors = open_race_shop(shared_url, leads=8, associates=1)
    racers, greeter = actors[:8], actors[8]
    for _ in range(RACE_ROUNDS):
        visit_id = visits.new_walk_in(ctx, greeter, description="round")
        outcomes = eight_workers.race(shared_url, racers, "claim", visit_id)
        assert [o for o in outcomes if o.result == "failure"] == []
    assert_chain_intact(ctx, RACE_ROUNDS * 9)
    ctx.database.dispose()


def test_writers_killed_mid_write_leave_one_chain(shared_url: str) -> None:
    ctx, actors = open_race_shop(shared_url, leads=0, associates=WRITERS)
    writers = [WriterProcess(shared_url, actor) for actor in actors]
    try:
        for _ in range(COMMITS_EACH):
            for writer in writers:
                writer.read_line()
    finally:
        for writer in writers:
            writer.kill()
    assert_chain_intact(ctx, WRITERS * COMMITS_EACH)
    ctx.database.dispose()
