"""Find-customer at several shop sizes: is the search flat from 10,000 to 1,000,000?

For each shop (SQLite files built by `shop_builder.py`, made here if missing), prints
p50/p95/max of `customers.find_customers` per kind of query, in this process, warm:
wall time, and this thread's CPU time (SQLite runs in it), which a busy machine
inflates far less, and the load average before and after.
`--plans` also prints SQLite's EXPLAIN QUERY PLAN of every statement one search runs.
Figures only, no assertions:

    .venv/bin/python benchmarks/bench_search.py --shops 10000:/tmp/shop10k.sqlite3 \\
        100000:/tmp/shop100k.sqlite3 1000000:/tmp/shop1m.sqlite3 [--rounds 40] [--plans]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from shop_builder import build_shop
from sqlalchemy import event

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.services import customers
from counter_tui.services.context import ShopContext

QUERIES = [
    ("one letter", "o"),
    ("two letters", "ol"),
    ("two letters, surname", "sm"),
    ("common surname prefix", "smi"),
    ("common surname", "smith"),
    ("common first name", "olivia"),
    ("full name", "olivia smith"),
    ("accent left out", "renee"),
    ("apostrophe", "o'neill"),
    ("phone, first digits", "07700 9"),
    ("phone, last digits", "4821"),
    ("phone, international", "+44 7700 900123"),
    ("email prefix", "olivia.sm"),
    ("no match", "zzzz"),
]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max of `samples`."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))], ordered[-1]


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages: how far wall times are to be trusted."""
    return " ".join(f"{load:.1f}" for load in os.getloadavg())


def show_plans(ctx: ShopContext, database_file: Path, query: str) -> None:
    """Run one search, then print the query plan of each statement it ran."""
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    engine = ctx.database.engine
    event.listen(engine, "before_cursor_execute", seen)
    customers.find_customers(ctx, query)
    event.remove(engine, "before_cursor_execute", seen)
    connection = sqlite3.connect(database_file)
    for statement, parameters in statements:
        print("    " + " ".join(statement.split())[:160])
        for row in connection.execute("EXPLAIN QUERY PLAN " + statement, parameters):
            print(f"      {row[-1]}")
    connection.close()


def measure(database_file: Path, rounds: int, plans: bool) -> None:
    """Print the figures for one shop."""
    ctx = open_shop(load_settings(database_url=f"sqlite:///{database_file.resolve()}"))
    count = customers.find_customers(ctx, "").has_more  # warm the connection and caches
    size = f"{database_file.stat().st_size / 1e6:,.0f} MB"
    print(f"{database_file} ({size}){'' if count else ' (small)'}, load average {load_average()}")
    for label, query in QUERIES:
        customers.find_customers(ctx, query)
        samples, cpu = [], []
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.thread_time()
            customers.find_customers(ctx, query)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        p50, p95, most = percentiles(samples)
        cpu50, cpu95, _ = percentiles(cpu)
        print(
            f"  {label + ' ' + repr(query):<40} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {most:6.1f} ms"
            f"   CPU p50 {cpu50:5.1f} ms  p95 {cpu95:5.1f} ms"
        )
        if plans:
            show_plans(ctx, database_file, query)
    print(f"  load average at the end {load_average()}")
    ctx.database.dispose()


def main() -> None:
    """Build the shops that are missing, then measure each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shops", nargs="+", default=["10000:/tmp/shop10k.sqlite3"], help="CUSTOMERS:PATH")
    parser.add_argument("--rounds", type=int, default=40, help="searches per query")
    parser.add_argument("--plans", action="store_true", help="print each statement's query plan")
    args = parser.parse_args()
    os.environ["COUNTER_TUI_CONFIG"] = str(Path(tempfile.mkdtemp()) / "no-config.toml")
    for shop in args.shops:
        size, _, path = shop.partition(":")
        database_file = Path(path)
        if not database_file.exists():
            print(f"Building {database_file}:")
            build_shop(database_file, int(size), 2 * int(size), seed=11)
        measure(database_file, args.rounds, args.plans)


if __name__ == "__main__":
    main()
