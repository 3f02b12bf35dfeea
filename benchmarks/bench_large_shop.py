"""A large shop: how fast is the real app to start, and the operations staff wait on?

Builds a SQLite shop of 100,000 customers and 500,000 past visits (in bulk, not through
the services, search terms included: `shop_builder.py`; 1,000,000 and 2,000,000 take a
few minutes), or reuses one given with `--db`, then prints:

- time to the first sign-in frame of the real `counter-tui` process, spawned under a
  pseudo-terminal, and time until the staff list is on screen (interactive);
- p50/p95 latency, through the services, of claiming a visit, opening a customer
  (visit detail and customer detail), finding customers (several queries), and the
  floor board.

Figures only, no assertions:

    .venv/bin/python benchmarks/bench_large_shop.py [--customers N --visits N] [--db PATH]
    .venv/bin/python benchmarks/bench_large_shop.py --customers 1000000 --visits 2000000 \
        --db /tmp/shop1m.sqlite3 --build-only      # build once, keep it, measure later
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from shop_builder import build_shop
from sqlmodel import func, select

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.db.models import Customer, Outcome, Visit
from counter_tui.demo.data import DEMO_STAFF
from counter_tui.services import customer_record, customers, staff, visit_views, visits
from counter_tui.services.context import Actor, ShopContext

ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


@dataclass(frozen=True)
class Figures:
    """Latencies of one operation, in milliseconds."""

    name: str
    samples: list[float]

    def line(self) -> str:
        """`name  p50  p95  max  (n)` as one aligned line."""
        ordered = sorted(self.samples)
        p50 = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return (
            f"  {self.name:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   "
            f"max {ordered[-1]:8.1f} ms   (n={len(ordered)})"
        )


def timed(action: Callable[[], Any]) -> float:
    """Milliseconds `action` took."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def row_count(ctx: ShopContext, model: Any) -> int:
    """Rows in a table."""
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


# --- the real app under a pseudo-terminal --------------------------------------------


def staff_app_command() -> list[str]:
    """`counter-tui` from this virtual environment (or `python -m counter_tui`), its
    modules compiled to bytecode first (`compiled_as_installed`)."""
    compiled_as_installed()
    script = Path(sys.executable).with_name("counter-tui")
    return [str(script)] if script.exists() else [sys.executable, "-P", "-m", "counter_tui"]


def compiled_as_installed() -> None:
    """Compile counter_tui's modules to bytecode, as `pip install` does for an installed
    app (and did for Textual and the rest here): run from this editable checkout with
    PYTHONDONTWRITEBYTECODE set, every launch compiled from source the 26 modules of the
    first frame (about 13 ms of CPU) and whichever others it used. Quick when done."""
    import compileall

    import counter_tui

    compileall.compile_dir(Path(counter_tui.__file__).parent, quiet=1)


def time_to_sign_in(database_url: str, config_path: Path) -> tuple[float, float]:
    """Seconds from spawning `counter-tui --db URL` to the sign-in screen's first frame
    ("Who are you?") and to the staff list being on it (a staff name shown)."""
    import pexpect

    command = [*staff_app_command(), "--db", database_url]
    environment = {
        **os.environ,
        "TERM": "xterm-256color",
        "COUNTER_TUI_CONFIG": str(config_path),
    }
    started = time.perf_counter()
    child = pexpect.spawn(command[0], command[1:], env=environment, dimensions=(40, 120), encoding="utf-8")
    screen = ""
    first_frame = interactive = 0.0
    deadline = started + 120
    try:
        while time.perf_counter() < deadline and not interactive:
            try:
                screen += child.read_nonblocking(size=65536, timeout=0.02)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
            plain = ANSI.sub("", screen)
            if not first_frame and "Who are you?" in plain:
                first_frame = time.perf_counter() - started
            if first_frame and DEMO_STAFF[-1][0] in plain:
                interactive = time.perf_counter() - started
    finally:
        try:
            child.sendcontrol("q")
            child.expect(pexpect.EOF, timeout=5)
        except (OSError, pexpect.TIMEOUT, pexpect.EOF):
            pass
        child.close(force=True)
    if not first_frame:
        raise SystemExit("The sign-in screen never appeared:\n" + ANSI.sub("", screen)[-2000:])
    return first_frame, interactive


# --- service latencies ---------------------------------------------------------------


def sign_in_everyone(ctx: ShopContext) -> list[Actor]:
    """Every demo staff member, signed in through the services."""
    pins = {name: pin for name, _, pin in DEMO_STAFF}
    return [staff.sign_in(ctx, person.id, pins[person.name]) for person in staff.list_staff(ctx)]


def measure_services(
    ctx: ShopContext, samples: int, customer_count: int, rng: random.Random
) -> list[Figures]:
    """Claim, open customer, find customers and the floor board, through the services."""
    team = sign_in_everyone(ctx)
    greeter, claimers = team[0], team[1:]
    lead = next(actor for actor in team if actor.is_lead)
    customer_ids = rng.sample(range(1, customer_count + 1), samples)
    walk_ins = [visits.new_walk_in(ctx, greeter, customer_id=customer_id) for customer_id in customer_ids]
    figures = [
        Figures(
            "claim_visit",
            [timed(partial(visits.claim_visit, ctx, rng.choice(claimers), v)) for v in walk_ins],
        ),
        Figures(
            "floor_board (with the claimed visits open)",
            [timed(partial(visit_views.floor_board, ctx)) for _ in range(max(samples // 4, 10))],
        ),
        Figures(
            "visit_detail (open customer from the floor)",
            [timed(partial(visit_views.visit_detail, ctx, greeter, v)) for v in walk_ins],
        ),
        Figures(
            "customer_detail (open customer from find)",
            [
                timed(partial(customer_record.customer_detail, ctx, greeter, c))
                for c in rng.sample(range(1, customer_count + 1), samples)
            ],
        ),
    ]
    queries = [
        ("find 'o' (one letter)", "o", 0),
        ("find 'smi' (common surname prefix)", "smi", 0),
        ("find 'olivia smith' (full name)", "olivia smith", 0),
        ("find 'ngu' (accented names)", "ngu", 0),
        ("find 'o'neill' (apostrophe)", "o'neill", 0),
        ("find 'oneill' (apostrophe left out)", "oneill", 0),
        ("find 'renee' (accent left out)", "renee", 0),
        ("find 'malgorzata' (ł typed as l)", "malgorzata", 0),
        ("find 'siobhan ni' (folded words)", "siobhan ni", 0),
        ("find phone '+44 7700 900123' (international form)", "+44 7700 900123", 0),
        ("find 'ol' (first names, late in name order)", "ol", 0),
        ("find phone digits '0770012'", "0770012", 0),
        ("find phone last digits '4821'", "4821", 0),
        ("find email 'olivia.sm'", "olivia.sm", 0),
        ("find 'zzzz' (no match)", "zzzz", 0),
        ("find 'a', page 50", "a", 50),
    ]
    rounds = max(samples // 10, 10)
    for label, query, page in queries:
        figures.append(
            Figures(
                label,
                [timed(partial(customers.find_customers, ctx, query, page=page)) for _ in range(rounds)],
            )
        )
    for visit_id in walk_ins:  # leave the floor empty for the next run
        visits.end_visit(ctx, lead, visit_id, Outcome.NO_PURCHASE)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Build (or reuse) the large shop and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=500_000)
    parser.add_argument("--samples", type=int, default=200, help="service calls per figure")
    parser.add_argument("--starts", type=int, default=3, help="app starts to time")
    parser.add_argument("--db", type=Path, help="SQLite file to keep the shop in (reused if it exists)")
    parser.add_argument("--build-only", action="store_true", help="build the shop (if needed) and stop")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    work_dir = Path(tempfile.mkdtemp(prefix="counter-tui-bench-"))
    database_file = args.db or work_dir / "large.sqlite3"
    database_url = f"sqlite:///{database_file.resolve()}"
    config_path = work_dir / "no-config.toml"  # never read the user's own settings
    os.environ["COUNTER_TUI_CONFIG"] = str(config_path)
    try:
        print(f"Database: {database_file}")
        if not database_file.exists():
            print("Building the shop:")
            build_shop(database_file, args.customers, args.visits, args.seed)
        if args.build_only:
            return
        ctx = open_shop(load_settings(database_url=database_url))
        customer_count = row_count(ctx, Customer)
        visit_count = row_count(ctx, Visit)
        files = [database_file, database_file.with_name(database_file.name + "-wal")]
        size_mb = sum(path.stat().st_size for path in files if path.exists()) / 1e6
        print(f"Shop: {customer_count:,} customers, {visit_count:,} visits, {size_mb:,.0f} MB\n")

        print("Staff app start (counter-tui --db URL under a pseudo-terminal, 120x40):")
        for attempt in range(1, args.starts + 1):
            first_frame, interactive = time_to_sign_in(database_url, config_path)
            print(
                f"  start {attempt}: first sign-in frame {first_frame:5.2f} s, "
                f"staff list on screen {interactive:5.2f} s"
            )
        print()
        print("Service latency (this process, SQLite file, warm):")
        for figure in measure_services(ctx, args.samples, customer_count, random.Random(args.seed)):
            print(figure.line())
        ctx.database.dispose()
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)  # the shop too, unless --db put it elsewhere


if __name__ == "__main__":
    main()
