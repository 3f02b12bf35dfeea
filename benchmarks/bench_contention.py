"""Claims under contention: eight terminal processes at once, on SQLite and PostgreSQL.

Two workloads, each with eight spawned processes (one connection each):

- *same customer*: every round all eight claim the same walk-in at the same instant
  (a barrier); one wins, seven are told who has the customer;
- *busy floor*: a floor of walk-ins, every process working through all of them in its
  own random order, claiming whatever is still free.

Printed: claims per second (successful) and attempts per second, claim latency
p50/p95/p99 over every attempt, errors other than the expected refusal (must be 0),
and double owners (must be 0), counted from the audit log: visits with more than one
`visit.claimed` event, or whose owner is not the one process that was told it won.

Figures only, no assertions:

    .venv/bin/python benchmarks/bench_contention.py [--rounds 100] [--floor 400] [--pg URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import time
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from bench_sync import open_bench_shop, percentile, temporary_database
from sqlmodel import col, func, select

from counter_tui.config import load_settings
from counter_tui.db.engine import Database
from counter_tui.db.models import AuditEvent, Visit
from counter_tui.errors import AlreadyOwned, DomainError
from counter_tui.services import visits
from counter_tui.services.context import Actor, ShopContext

PROCESSES = 8


def worker(
    url: str,
    actor: Actor,
    visit_ids: list[int],
    same_instant: bool,
    barrier: Barrier,
    results: Queue[Any],
) -> None:
    """Claim each visit in `visit_ids` (in this order); report (visit, outcome, seconds)."""
    ctx = ShopContext(database=Database(url), settings=load_settings(database_url=url))
    outcomes = []
    barrier.wait()
    for visit_id in visit_ids:
        if same_instant:
            barrier.wait()
        started = time.perf_counter()
        try:
            visits.claim_visit(ctx, actor, visit_id)
            outcome = "won"
        except AlreadyOwned:
            outcome = "blocked"
        except DomainError as error:
            outcome = f"error: {type(error).__name__}: {error}"
        except Exception as error:
            outcome = f"error: {type(error).__name__}: {error}"
        outcomes.append((visit_id, outcome, time.perf_counter() - started))
    results.put((actor.staff_id, outcomes))
    ctx.database.dispose()


def double_owners(ctx: ShopContext, winners: dict[int, list[int | None]]) -> int:
    """Visits with more than one claim event or winner, or owned by someone not told so."""
    with ctx.database.read() as session:
        claims = dict(
            session.exec(
                select(AuditEvent.entity_id, func.count())
                .where(AuditEvent.action == "visit.claimed")
                .group_by(col(AuditEvent.entity_id))
            ).all()
        )
        owners = {
            v.id: v.owner_id for v in session.exec(select(Visit).where(col(Visit.id).in_(list(winners))))
        }
    bad = 0
    for visit_id, won_by in winners.items():
        if claims.get(visit_id, 0) != 1 or len(won_by) != 1 or owners[visit_id] != won_by[0]:
            bad += 1
    return bad


def run(kind: str, url: str, workload: str, count: int) -> None:
    """Run one workload on one database and print its figures."""
    ctx, actors = open_bench_shop(url, PROCESSES + 1)
    greeter, racers = actors[0], actors[1:]
    visit_ids = [visits.new_walk_in(ctx, greeter, description="bench") for _ in range(count)]
    same_instant = workload == "same customer"
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(PROCESSES + 1)
    results: Queue[Any] = spawn.Queue()
    processes = []
    for actor in racers:
        order = list(visit_ids)
        if not same_instant:
            random.shuffle(order)
        processes.append(
            spawn.Process(target=worker, args=(url, actor, order, same_instant, barrier, results))
        )
    for process in processes:
        process.start()
    barrier.wait()  # everyone connected; go
    started = time.perf_counter()
    if same_instant:
        for _ in visit_ids:
            barrier.wait()
    reports = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(timeout=30)

    winners: dict[int, list[int | None]] = {visit_id: [] for visit_id in visit_ids}
    latencies, tally, errors = [], Counter[str](), []
    for staff_id, outcomes in reports:
        for visit_id, outcome, seconds in outcomes:
            latencies.append(seconds)
            tally[outcome if not outcome.startswith("error") else "error"] += 1
            if outcome == "won":
                winners[visit_id].append(staff_id)
            elif outcome.startswith("error"):
                errors.append(outcome)
    doubles = double_owners(ctx, winners)
    ctx.database.dispose()

    def ms(fraction: float) -> str:
        return f"{percentile(latencies, fraction) * 1000:6.1f} ms"

    print(f"{kind}, {workload}: {PROCESSES} processes, {count} visits, {elapsed:.1f} s")
    print(
        f"  claims/s {tally['won'] / elapsed:7.1f}   attempts/s {len(latencies) / elapsed:7.1f}"
        f"   won {tally['won']}  blocked {tally['blocked']}  errors {tally['error']}"
    )
    print(f"  claim latency  p50 {ms(0.5)}  p95 {ms(0.95)}  p99 {ms(0.99)}")
    print(f"  double owners {doubles}")
    for error in sorted(set(errors))[:5]:
        print(f"  ! {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100, help="same-customer rounds")
    parser.add_argument("--floor", type=int, default=400, help="walk-ins on the busy floor")
    parser.add_argument("--pg", default=os.environ.get("COUNTER_TUI_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for kind in ("sqlite", "postgresql"):
        if kind == "postgresql" and not args.pg:
            print("postgresql: skipped (no --pg URL and COUNTER_TUI_TEST_POSTGRES_URL unset)")
            continue
        for workload, count in (("same customer", args.rounds), ("busy floor", args.floor)):
            with temporary_database(kind, args.pg) as url:
                run(kind, url, workload, count)


if __name__ == "__main__":
    main()
