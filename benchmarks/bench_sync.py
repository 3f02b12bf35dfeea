"""How fast does a claim on one terminal show on another?

For SQLite (a temporary file) and PostgreSQL (a temporary database on the server named
by `--pg` or COUNTER_TUI_TEST_POSTGRES_URL), a listener process runs a `ChangeFeed`
while this process claims walk-ins one at a time. Propagation is measured from just
before `claim_visit` is called to the moment the listener's callback sees the
`visit.claimed` change (both processes read the same system-wide monotonic clock), so
it includes writing the claim. Also printed: the claim call alone, and the CPU the
listener's feed burns while the shop is idle.

With `--screen`, the same claim is timed to the screen: the listener is the real
`counter-tui` signed in under a pseudo-terminal (120x40) on bench_floor.py's shop of 500
open visits, and a claim counts as seen when the row with the claimer's name is painted.
The first claim after signing in is printed on its own (both terminals do it cold: this
process compiles its claim, the app draws its first change); p50 and p95 are of the
claims after it, as a terminal that has been in use a while sees them.
Also printed: the CPU that app used per claim (all its threads, while the claims
arrived), less swayed by a busy machine than wall time. `--profile PATH` runs that app
under cProfile while the claims arrive (its UI thread) and prints where its time went,
and how long a claim kept that thread busy (under cProfile: several times its real time,
but comparable between runs).

Figures only, no assertions:

    .venv/bin/python benchmarks/bench_sync.py [--samples 200] [--poll 0.03] [--pg URL]
    .venv/bin/python benchmarks/bench_sync.py --screen [--profile /tmp/receiver] [--pg URL]
        [--only postgresql]

To compare two versions in turns, run this script with PYTHONPATH naming the other
checkout: the shop, the claims and the receiving app are then that checkout's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.queues import Queue
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.db.engine import Database
from counter_tui.db.models import Staff
from counter_tui.services import staff, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.sync.feed import FeedEvent, open_feed
from counter_tui.sync.sqlite_feed import SQLITE_POLL_SECONDS

IDLE_SECONDS = 5.0
KINDS = ("sqlite", "postgresql")


@contextmanager
def temporary_database(kind: str, pg_url: str | None) -> Iterator[str]:
    """A URL for an empty SQLite file or a fresh PostgreSQL database, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    assert pg_url is not None
    server = make_url(pg_url).set(drivername="postgresql")
    admin = server.render_as_string(hide_password=False)
    name = f"counter_tui_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def open_bench_shop(url: str, people: int) -> tuple[ShopContext, list[Actor]]:
    """A migrated shop with `people` leads (inserted directly: PIN hashing is slow)."""
    ctx = open_shop(load_settings(database_url=url), create=True)
    pin_hash = staff.hash_pin("1234")
    with ctx.database.write() as session:
        rows = [
            Staff(name=f"Staff {n + 1}", role="lead", pin_hash=pin_hash, created_at=ctx.now())
            for n in range(people)
        ]
        session.add_all(rows)
        session.flush()
        return ctx, [Actor.of(row) for row in rows]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def listener(url: str, poll: float, seen: Queue[Any], commands: Queue[str]) -> None:
    """Another terminal: runs a feed and reports when each claim arrives."""
    ctx = ShopContext(database=Database(url), settings=load_settings(database_url=url))

    def on_event(event: FeedEvent) -> None:
        now = time.monotonic()
        for change in event.changes:
            if change.action == "visit.claimed":
                seen.put(("claimed", change.entity_id, now))

    feed = open_feed(ctx, on_event, poll_seconds=poll)
    seen.put(("ready", 0, 0.0))
    while (command := commands.get()) != "stop":
        if command == "cpu":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            seen.put(("cpu", 0, usage.ru_utime + usage.ru_stime))
    feed.stop()
    ctx.database.dispose()


def _expect(seen: Queue[Any], kind: str, entity_id: int = 0) -> float:
    while True:
        got_kind, got_id, value = seen.get(timeout=30)
        if got_kind == kind and (kind != "claimed" or got_id == entity_id):
            return float(value)


def measure(kind: str, url: str, samples: int, poll: float) -> None:
    """Print propagation figures for one backend."""
    ctx, (greeter, claimer) = open_bench_shop(url, 2)
    spawn = multiprocessing.get_context("spawn")
    seen: Queue[Any] = spawn.Queue()
    commands: Queue[str] = spawn.Queue()
    process = spawn.Process(target=listener, args=(url, poll, seen, commands), daemon=True)
    process.start()
    _expect(seen, "ready")
    propagation, claim_calls, after_return = [], [], []
    for _ in range(samples):
        visit_id = visits.new_walk_in(ctx, greeter, description="bench")
        time.sleep(random.uniform(0.0, 0.05))  # land anywhere in the poll cycle
        started = time.monotonic()
        visits.claim_visit(ctx, claimer, visit_id)
        returned = time.monotonic()
        claim_calls.append(returned - started)
        arrived = _expect(seen, "claimed", visit_id)
        propagation.append(arrived - started)
        after_return.append(arrived - returned)
    commands.put("cpu")
    cpu_before = _expect(seen, "cpu")
    time.sleep(IDLE_SECONDS)
    commands.put("cpu")
    idle_cpu = (_expect(seen, "cpu") - cpu_before) / IDLE_SECONDS
    commands.put("stop")
    process.join(timeout=10)
    ctx.database.dispose()

    def ms(values: list[float], fraction: float) -> str:
        return f"{percentile(values, fraction) * 1000:7.1f} ms"

    label = f"{kind} (poll {poll * 1000:.0f} ms)" if kind == "sqlite" else kind
    print(f"{label}: {samples} claims")
    print(
        f"  propagation  p50 {ms(propagation, 0.5)}  p95 {ms(propagation, 0.95)}"
        f"  p99 {ms(propagation, 0.99)}  max {max(propagation) * 1000:7.1f} ms"
    )
    print(
        f"  claim call   p50 {ms(claim_calls, 0.5)}  p95 {ms(claim_calls, 0.95)}"
        f"  mean {statistics.fmean(claim_calls) * 1000:6.1f} ms"
    )
    print(
        f"  seen after the claim call returned  p50 {ms(after_return, 0.5)}"
        f"  p95 {ms(after_return, 0.95)}  (negative: seen before the call returned)"
    )
    print(f"  idle feed CPU {idle_cpu * 100:.2f} % of one core (listener process, {IDLE_SECONDS:.0f} s)")


PROFILED_APP = """
import cProfile, os, signal, sys
out = sys.argv.pop(1)
profile = cProfile.Profile()
def dump(*_):
    profile.disable()
    profile.dump_stats(out + ".part")
    os.replace(out + ".part", out)
signal.signal(signal.SIGUSR2, lambda *_: profile.enable())
signal.signal(signal.SIGUSR1, dump)
from counter_tui.cli import main
main()
"""
"""`counter-tui` under cProfile: SIGUSR2 starts it, SIGUSR1 writes the stats to argv[1]."""


def app_cpu(pid: int) -> float:
    """CPU seconds a process has used (user and system; Linux), which a busy machine
    sways far less than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_screen(kind: str, url: str, profile: str | None) -> None:
    """Print claim -> painted on the other terminal's screen for one backend (and, with
    `profile`, the receiving app's cProfile while the claims arrived)."""
    import pstats
    import re
    import signal
    import sys

    import bench_floor as floor
    from bench_large_shop import compiled_as_installed

    from counter_tui.services import visit_views

    ctx, claimer, unowned = floor.build_shop(url)
    first_row = visit_views.floor_board(ctx)[0].who
    stats = f"{profile}.{kind}.prof" if profile else ""
    compiled_as_installed()
    command = (
        [sys.executable, "-P", "-c", PROFILED_APP, stats]
        if profile
        else [sys.executable, "-P", "-m", "counter_tui"]
    )
    board = floor.Terminal([*command, "--db", url])
    try:
        board.until(floor.SERVER, timeout=60)
        board.drain()
        floor.sign_in(board, first_row)
        if profile:
            board.child.kill(signal.SIGUSR2)
        seen, after_return, claim_calls = [], [], []
        cpu_before = app_cpu(board.child.pid)
        for visit_id in unowned[1:]:
            time.sleep(random.uniform(0.05, 0.15))  # land anywhere in the feed's poll cycle
            board.drain(0.01)
            description = f"visit {unowned.index(visit_id):04d}"
            started = time.monotonic()
            visits.claim_visit(ctx, claimer, visit_id)
            returned = time.monotonic()
            painted = board.until(re.compile(rf"{description}.*{floor.CLAIMER}"), timeout=10)
            seen.append(painted - started)
            after_return.append(painted - returned)
            claim_calls.append(returned - started)
        cpu = (app_cpu(board.child.pid) - cpu_before) / len(seen)
        if profile:
            board.drain(0.3)
            board.child.kill(signal.SIGUSR1)
            deadline = time.monotonic() + 30
            while not Path(stats).exists() and time.monotonic() < deadline:
                board.drain(0.1)
    finally:
        board.close()
        ctx.database.dispose()
    (first, *seen), (first_after_return, *after_return) = seen, after_return
    print(f"{kind}: claim on A -> on B's screen, {len(seen) + 1} claims on a board of {floor.OPEN_VISITS}")
    print(
        f"  the first after signing in {first * 1000:7.1f} ms"
        f" ({first_after_return * 1000:.1f} ms after the claim call returned)"
    )
    print(
        f"  the {len(seen)} after it: p50 {percentile(seen, 0.5) * 1000:7.1f} ms"
        f"  p95 {percentile(seen, 0.95) * 1000:7.1f} ms  max {max(seen) * 1000:7.1f} ms;"
        f"  receiving app's CPU {cpu * 1000:.0f} ms a claim (all {len(seen) + 1})"
    )
    print(
        f"  painted after the claim call returned: p50 {percentile(after_return, 0.5) * 1000:7.1f} ms"
        f"  p95 {percentile(after_return, 0.95) * 1000:7.1f} ms;  the claim call p50"
        f" {percentile(claim_calls[1:], 0.5) * 1000:5.1f} ms"
    )
    if profile and Path(stats).exists():
        profiled = pstats.Stats(stats)
        waiting = sum(
            row[2]
            for where, row in profiled.stats.items()  # type: ignore[attr-defined]
            if where[2] == "<method 'poll' of 'select.epoll' objects>"
        )
        busy = (profiled.total_tt - waiting) / len(seen)  # type: ignore[attr-defined]
        print(f"  receiving app's UI thread busy {busy * 1000:.1f} ms a claim under cProfile (not waiting)")
        print(f"  receiving app's UI thread while the claims arrived ({stats}, cumulative):")
        profiled.sort_stats("cumulative").print_stats(
            r"_data_table|fitted_table|placed_cells|floor\.py|_compositor", 14
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--poll", type=float, default=SQLITE_POLL_SECONDS, help="SQLite poll, s")
    parser.add_argument("--pg", default=os.environ.get("COUNTER_TUI_TEST_POSTGRES_URL"))
    parser.add_argument("--screen", action="store_true", help="time claims to the other app's screen")
    parser.add_argument("--profile", metavar="PATH", help="with --screen: cProfile the receiving app")
    parser.add_argument("--only", choices=KINDS, help="measure one database, not both")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("COUNTER_TUI_CONFIG", str(Path(folder) / "no-config.toml"))
        for kind in (args.only,) if args.only else KINDS:
            if kind == "postgresql" and not args.pg:
                print("postgresql: skipped (no --pg URL and COUNTER_TUI_TEST_POSTGRES_URL unset)")
                continue
            with temporary_database(kind, args.pg) as url:
                if args.screen:
                    measure_screen(kind, url, args.profile)
                else:
                    measure(kind, url, args.samples, args.poll)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
