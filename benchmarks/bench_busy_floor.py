"""The busy floor on SQLite: N terminal processes writing at once, each on its own visits.

Every process works through its own walk-ins: claim, set a need, add a note, end the
visit (four write transactions per visit). Printed per N (1, 4, 8, 16 by default) and
per mode: the latency of each write, p50/p95/p99/max, errors (anything raised, e.g. the
"busy" refusal; must be 0) and double owners (visits with more than one claim event, or
owned by someone other than the claimer; must be 0).

Modes: `queue` is the app as it is (writers wait in line on `<db>.writelock`, see
`counter_tui.db.write_lock`); `sleep` switches the queue off in the benchmark's own
processes only, leaving SQLite's busy handler (sleep and retry) as before issue 12.
Both modes run in the same batch, alternating, so they see the same machine load.

In `queue` mode each process also times how long each of its writes holds the write
lock, from getting it to letting it go (COMMIT and all): wall time, and the process's
CPU time meanwhile (`lock held`). The wait of every writer behind it is about N times
that, and the CPU figure hardly moves with the machine's load, so it compares changes to
the write path when the wall figures are swayed by other work on the machine.

Each process stands for a terminal that has been working, so after its warm-up read it
sets aside what it loaded from full garbage collections, as the app does after the
floor's warm-up (`counter_tui.ui.heap`), and it works one visit of its own through the
four writes before the clock starts: the first write of each kind in a process compiles
its SQL (about 3 ms instead of 1), and with all processes starting at once those first
writes bunched up into the tail of the figures, a moment a shop meets once a morning
and not on a busy floor. They are printed on their own line (`first writes`).
Figures only, no assertions:

    .venv/bin/python benchmarks/bench_busy_floor.py [--writers 1 4 8 16] [--visits 15] [--modes queue sleep]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from bench_sync import open_bench_shop, percentile, temporary_database
from sqlmodel import col, func, select

from counter_tui.config import load_settings
from counter_tui.db.engine import Database
from counter_tui.db.models import AuditEvent, NeedKind, Outcome, Visit
from counter_tui.services import visit_needs, visit_views, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.heap import set_aside_what_was_loaded


def timing_holds(held: Callable[[], AbstractContextManager[None]], holds: list[tuple[float, float]]) -> Any:
    """`WriteLock.held`, noting (wall, CPU) seconds from getting the lock to letting it go."""

    @contextmanager
    def timed() -> Iterator[None]:
        with held():
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                yield
            finally:
                holds.append((time.perf_counter() - wall, time.process_time() - cpu))

    return timed


def worker(
    url: str, queued: bool, actor: Actor, visit_ids: list[int], barrier: Barrier, results: Queue[Any]
) -> None:
    """Claim, need, note and end each visit; report every write's seconds and errors."""
    ctx = ShopContext(database=Database(url), settings=load_settings(database_url=url))
    holds: list[tuple[float, float]] = []
    if not queued:
        ctx.database.write_lock = None  # SQLite's busy handler alone, as before issue 12
    elif (lock := ctx.database.write_lock) is not None:
        lock.held = timing_holds(lock.held, holds)  # type: ignore[method-assign]
    steps = (
        lambda visit_id: visits.claim_visit(ctx, actor, visit_id),
        lambda visit_id: visit_needs.set_need(ctx, actor, visit_id, NeedKind.NEEDS_HELP),
        lambda visit_id: visits.add_visit_note(ctx, actor, visit_id, "asked about sizes"),
        lambda visit_id: visits.end_visit(ctx, actor, visit_id, Outcome.NO_PURCHASE),
    )
    visit_views.floor_board(ctx)  # connect and import before the clock starts
    set_aside_what_was_loaded()  # as a terminal does after warming up (ui/warm_up.py)
    first: list[float] = []
    seconds: list[float] = []
    errors: list[str] = []

    def write(step: Callable[[int], object], visit_id: int, into: list[float]) -> None:
        started = time.perf_counter()
        try:
            step(visit_id)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        into.append(time.perf_counter() - started)

    for step in steps:  # the process's first writes, before the others start
        write(step, visit_ids[0], first)
    barrier.wait()
    holds.clear()
    for visit_id in visit_ids[1:]:
        for step in steps:
            write(step, visit_id, seconds)
    results.put((seconds, first, errors, holds))
    ctx.database.dispose()


def double_owners(ctx: ShopContext) -> int:
    """Visits claimed more than once, or owned by someone other than their claimer."""
    with ctx.database.read() as session:
        claims = session.exec(
            select(AuditEvent.entity_id, func.count(), func.max(AuditEvent.actor_id))
            .where(col(AuditEvent.action) == "visit.claimed")
            .group_by(col(AuditEvent.entity_id))
        ).all()
        owners = dict(session.exec(select(Visit.id, Visit.owner_id)).all())
    return sum(1 for visit_id, count, claimer in claims if count > 1 or owners.get(visit_id) != claimer)


def run(writers: int, visits_each: int, queued: bool) -> str:
    """One busy-floor run on a fresh SQLite shop; its line of figures."""
    spawn = multiprocessing.get_context("spawn")
    with temporary_database("sqlite", None) as url:
        ctx, actors = open_bench_shop(url, writers + 1)
        greeter = actors[-1]
        plans = [  # the first visit of each: the process's first writes, timed apart
            [visits.new_walk_in(ctx, greeter, description="busy floor") for _ in range(visits_each + 1)]
            for _ in range(writers)
        ]
        barrier = spawn.Barrier(writers)
        results: Queue[Any] = spawn.Queue()
        processes = [
            spawn.Process(target=worker, args=(url, queued, actor, plan, barrier, results))
            for actor, plan in zip(actors[:writers], plans, strict=True)
        ]
        for process in processes:
            process.start()
        seconds: list[float] = []
        first: list[float] = []
        errors: list[str] = []
        holds: list[tuple[float, float]] = []
        for _ in processes:
            got_seconds, got_first, got_errors, got_holds = results.get(timeout=600)
            seconds += got_seconds
            first += got_first
            errors += got_errors
            holds += got_holds
        for process in processes:
            process.join()
        doubles = double_owners(ctx)
        ctx.database.dispose()
    ms = [1000 * s for s in seconds]
    mode = "queue" if queued else "sleep"
    line = (
        f"{mode:5}  N={writers:2}  writes={len(ms):4}  p50={percentile(ms, 0.5):7.1f}  "
        f"p95={percentile(ms, 0.95):7.1f}  p99={percentile(ms, 0.99):7.1f}  max={max(ms):7.1f} ms  "
        f"errors={len(errors)}  double owners={doubles}"
    )
    firsts = [1000 * s for s in first]
    line += f"\n       first writes ({len(firsts)}, each process's first of each kind): "
    line += f"p50={percentile(firsts, 0.5):7.1f}  max={max(firsts):7.1f} ms"
    if holds:
        wall, cpu = [1000 * h[0] for h in holds], [1000 * h[1] for h in holds]
        line += (
            "\n       lock held per write:"
            f" wall p50={percentile(wall, 0.5):5.2f} p99={percentile(wall, 0.99):6.2f}"
            f"  CPU p50={percentile(cpu, 0.5):5.2f} p99={percentile(cpu, 0.99):5.2f}"
            f" mean={sum(cpu) / len(cpu):5.2f} ms"
        )
    if errors:
        line += f"\n      first error: {errors[0]}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--visits", type=int, default=15, help="visits per process (4 writes each)")
    parser.add_argument("--modes", nargs="+", choices=["queue", "sleep"], default=["queue", "sleep"])
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)", flush=True)
    for writers in args.writers:
        for mode in args.modes:
            print(run(writers, args.visits, mode == "queue"), flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
