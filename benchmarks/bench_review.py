"""Lead review and scorecard on a shop with years of history: does opening them stay
flat as the history grows?

Builds (or reuses, with --db) SQLite shops with the same trade per day and more years
behind them: visits with their claims, ends and needs in the audit log, hand-offs,
thank-yous and callbacks (bulk inserts with SQLAlchemy core, not through the services;
staff through the services). For each shop it prints median and p95, through the
services, of:

- opening review: the reads of the tab on show (floor health, what `l` opens on), and
  for comparison the reads of all seven panes (what opening review used to wait for);
- the scorecard tab: today and this week, and the four-week trend.

With --pg URL (or COUNTER_TUI_TEST_POSTGRES_URL) it also claims walk-ins on that
PostgreSQL database (a fresh database of its own, dropped afterwards), counting the
round trips of each claim with SQLAlchemy events and timing it.

Figures only, no assertions:

    .venv/bin/python benchmarks/bench_review.py [--years 1 3] [--per-day 600] [--samples 20]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert
from sqlmodel import func, select

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.db.models import (
    AuditEvent,
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Outcome,
    Staff,
    Visit,
    VisitNeed,
)
from counter_tui.demo.data import DEMO_STAFF
from counter_tui.services import (
    end_of_day,
    feedback,
    floor_health,
    followup_oversight,
    handoffs,
    kudos,
    scorecard,
    staff,
    visits,
)
from counter_tui.services.context import Actor, ShopContext

CHUNK = 50_000


def figures(name: str, samples: list[float], cpu: list[float] | None = None) -> str:
    """`name  median  p95  (cpu median)  (n)` in milliseconds, as one aligned line."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    line = f"  {name:<50} median {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms"
    if cpu is not None:
        line += f"  cpu median {statistics.median(cpu):7.1f} ms"
    return f"{line}  (n={len(ordered)})"


def timed(name: str, action: Callable[[], Any], samples: int) -> str:
    """The figures of `samples` calls of `action` (after one warm-up call): wall time, and
    this process's CPU time, the figure to compare when the machine is busy."""
    action()
    wall, cpu = [], []
    for _ in range(samples):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return figures(name, wall, cpu)


# --- building the shop ---------------------------------------------------------------


def history_rows(
    days: int, per_day: int, staff_ids: list[int], now: datetime, rng: random.Random
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Past trade, day by day up to now: each visit with its audit events (created,
    claimed, ended), some browsing privately, some handed off, thank-yous and callbacks."""
    for day in range(days, -1, -1):
        opening = (now - timedelta(days=day)).replace(hour=9, minute=0, second=0, microsecond=0)
        for _ in range(per_day):
            arrived = opening + timedelta(seconds=rng.uniform(0, 9 * 3600))
            if arrived >= now:
                continue
            owner = rng.choice(staff_ids) if rng.random() < 0.9 else None
            claimed = arrived + timedelta(seconds=rng.uniform(0, 900)) if owner else None
            ended = arrived + timedelta(minutes=rng.uniform(5, 40))
            visit_id = next(VISIT_IDS)
            yield (
                "visit",
                {
                    "id": visit_id,
                    "description": "walk-in",
                    "source": "counter",
                    "arrived_at": arrived,
                    "created_by": staff_ids[0],
                    "owner_id": owner,
                    "claimed_at": claimed,
                    "owner_since": claimed,
                    "outcome": Outcome.PURCHASE if owner else Outcome.LEFT_UNSERVED,
                    "ended_at": ended,
                    "ended_by": owner or staff_ids[0],
                    "flagged_for_review": False,
                },
            )
            events = [("visit.created", arrived, staff_ids[0]), ("visit.ended", ended, owner or staff_ids[0])]
            if owner and claimed:
                events.append(("visit.claimed", claimed, owner))
            for action, at, actor in events:
                yield (
                    "audit",
                    {
                        "at": at,
                        "actor_id": actor,
                        "terminal": "bench",
                        "action": action,
                        "entity": "visit",
                        "entity_id": visit_id,
                        "details": "{}",
                    },
                )
            if rng.random() < 0.1:
                yield "need", {"visit_id": visit_id, "kind": NeedKind.BROWSE_PRIVATELY, "set_at": arrived}
            if owner and rng.random() < 0.03:
                yield (
                    "handoff",
                    {
                        "visit_id": visit_id,
                        "from_staff_id": owner,
                        "to_staff_id": rng.choice(staff_ids),
                        "reason": "knows the stock",
                        "status": HandoffStatus.APPROVED,
                        "requested_at": arrived,
                    },
                )
            if owner and rng.random() < 0.3:
                kind = FollowUpKind.THANK_YOU if rng.random() < 0.7 else FollowUpKind.CALLBACK
                due = ended + timedelta(hours=rng.uniform(2, 30))
                yield (
                    "followup",
                    {
                        "customer_id": 1,
                        "visit_id": visit_id,
                        "kind": kind,
                        "owner_id": owner,
                        "channel": "phone",
                        "summary": "thanks",
                        "due_at": due,
                        "status": FollowUpStatus.DONE if due < now else FollowUpStatus.OPEN,
                        "created_at": ended,
                        "done_at": due - timedelta(hours=1) if due < now else None,
                    },
                )


VISIT_IDS = iter(range(1, 10**9))
TABLES = {
    "visit": Visit,
    "audit": AuditEvent,
    "need": VisitNeed,
    "handoff": HandoffRequest,
    "followup": FollowUp,
}


def build(ctx: ShopContext, years: int, per_day: int, seed: int) -> None:
    """Staff through the services, one customer, then the history in large batches."""
    for name, role, pin in DEMO_STAFF:
        staff.add_staff(ctx, None, name=name, pin=pin, role=role)
    with ctx.database.write() as session:
        session.add(Customer(name="Bob Jones", name_key="bob jones", created_at=datetime.now(UTC)))
        staff_ids = [staff_id for staff_id in session.exec(select(Staff.id)) if staff_id]
    global VISIT_IDS
    VISIT_IDS = iter(range(1, 10**9))
    batches: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    written = dict.fromkeys(TABLES, 0)

    def flush(name: str) -> None:
        with ctx.database.write() as session:
            session.connection().execute(insert(TABLES[name].__table__), batches[name])  # type: ignore[attr-defined]
        written[name] += len(batches[name])
        batches[name] = []

    rows = history_rows(365 * years, per_day, staff_ids, datetime.now(UTC), random.Random(seed))
    for name, row in rows:
        batches[name].append(row)
        if len(batches[name]) >= CHUNK and (name == "visit" or not batches["visit"]):
            flush(name)
        elif len(batches[name]) >= CHUNK:
            flush("visit")
            flush(name)
    for name in TABLES:  # visits first: the others refer to them
        if batches[name]:
            flush(name)
    print("  " + ", ".join(f"{count:,} {name}s" for name, count in written.items()))


def count(ctx: ShopContext, model: Any) -> int:
    """Rows in a table."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def open_or_build(path: Path, years: int, per_day: int, seed: int) -> ShopContext:
    """The shop in `path`, built first if it is empty."""
    ctx = open_shop(load_settings(database_url=f"sqlite:///{path.resolve()}"), create=True)
    if count(ctx, Staff) == 0:
        started = time.perf_counter()
        print(f"Building {path.name}: {years} years of {per_day} visits a day")
        build(ctx, years, per_day, seed)
        print(f"  built in {time.perf_counter() - started:.1f} s")
    return ctx


def lead_of(ctx: ShopContext) -> Actor:
    """The demo lead, signed in through the services."""
    name, _role, pin = next(person for person in DEMO_STAFF if person[1] == "lead")
    person = next(p for p in staff.list_staff(ctx) if p.name == name)
    return staff.sign_in(ctx, person.id, pin)


# --- measuring ------------------------------------------------------------------------


def all_seven_panes(ctx: ShopContext, lead: Actor) -> None:
    """The reads opening review used to start at once, one per pane."""
    handoffs.pending_handoffs(ctx, lead)
    staff.list_staff(ctx, include_inactive=True)
    floor_health.floor_health(ctx, lead)
    followup_oversight.followup_oversight(ctx, lead)
    scorecard.scorecard_overview(ctx, lead)
    scorecard.trend(ctx, lead)
    feedback.topic_board(ctx, lead)
    kudos.thanks_wall(ctx, lead)
    end_of_day.end_of_day(ctx, lead)


def measure_shop(ctx: ShopContext, samples: int) -> list[str]:
    """Review open and the scorecard tab, through the services."""
    lead = lead_of(ctx)
    return [
        timed(
            "review open: the tab on show (floor health)",
            lambda: floor_health.floor_health(ctx, lead),
            samples,
        ),
        timed("review open: all seven panes' reads (as before)", lambda: all_seven_panes(ctx, lead), samples),
        timed(
            "scorecard tab: today + this week + 4-week trend",
            lambda: (scorecard.scorecard_overview(ctx, lead), scorecard.trend(ctx, lead)),
            samples,
        ),
        timed(
            "  scorecard_overview (today, this week)",
            lambda: scorecard.scorecard_overview(ctx, lead),
            samples,
        ),
        timed("  trend (four weeks by hour and weekday)", lambda: scorecard.trend(ctx, lead), samples),
    ]


def measure_claims_on_postgres(url: str, claims: int) -> list[str]:
    """Round trips and latency of claiming walk-ins on a fresh PostgreSQL database."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(url).set(drivername="postgresql")
    name = f"bench_review_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        ctx = open_shop(
            load_settings(database_url=make_url(url).set(database=name).render_as_string(False)), create=True
        )
        for person, role, pin in DEMO_STAFF:
            staff.add_staff(ctx, None, name=person, pin=pin, role=role)
        lead = lead_of(ctx)
        walk_ins = [visits.new_walk_in(ctx, lead, description="bench") for _ in range(claims + 1)]
        visits.claim_visit(ctx, lead, walk_ins.pop())
        engine = ctx.database.engine
        trips = [0]

        def one(*_: Any) -> None:
            trips[0] += 1

        real_ping = engine.dialect.do_ping

        def ping(connection: Any) -> bool:
            trips[0] += 1
            return bool(real_ping(connection))

        engine.dialect.do_ping = ping  # type: ignore[method-assign]
        for name_of_event in ("before_cursor_execute", "begin", "commit"):
            event.listen(engine, name_of_event, one)
        latencies, per_claim = [], []
        for visit_id in walk_ins:
            trips[0] = 0
            started = time.perf_counter()
            visits.claim_visit(ctx, lead, visit_id)
            latencies.append((time.perf_counter() - started) * 1000)
            per_claim.append(trips[0])
        ctx.database.dispose()
        return [
            f"  round trips per claim_visit: {statistics.median(per_claim):g}"
            " (pings, BEGIN, statements, COMMIT)",
            figures("claim_visit on PostgreSQL (this machine)", latencies),
        ]
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the shops and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--years", type=int, nargs="+", default=[1, 3], help="years of history, one shop each"
    )
    parser.add_argument("--per-day", type=int, default=600, help="visits a day")
    parser.add_argument("--samples", type=int, default=20, help="calls per figure")
    parser.add_argument("--db", type=Path, help="folder to keep and reuse the shops in")
    parser.add_argument("--pg", default=os.environ.get("COUNTER_TUI_TEST_POSTGRES_URL", ""))
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    work_dir = Path(tempfile.mkdtemp(prefix="counter-tui-bench-review-"))
    os.environ["COUNTER_TUI_CONFIG"] = str(work_dir / "no-config.toml")  # never the user's own
    folder = args.db or work_dir
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for years in args.years:
            path = folder / f"review-{years}y-{args.per_day}.sqlite3"
            ctx = open_or_build(path, years, args.per_day, args.seed)
            size = path.stat().st_size / 1e6
            visit_count, event_count = count(ctx, Visit), count(ctx, AuditEvent)
            print(f"\nShop: {visit_count:,} visits, {event_count:,} audit events, {size:,.0f} MB")
            for line in measure_shop(ctx, args.samples):
                print(line)
            ctx.database.dispose()
        if args.pg:
            print("\nClaims on PostgreSQL:")
            for line in measure_claims_on_postgres(args.pg, args.claims):
                print(line)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
