"""A 100,000-row till export imported into an empty shop: time and peak memory.

Writes a Shopify admin export (`Customer ID`, `Default Address …`, Excel-guarded ids and
phones, one row in twenty unusable, a third opted in to email), then, through the
service the CLI calls:

1. a dry run (counts, nothing written);
2. the import (batches of 1,000 rows per transaction; an audit event for each customer);
3. the same file again (everything unchanged);
4. a later export in which everyone opted in to email (two customers in three updated,
   each with an audit event).

Printed for each: wall time (and this process's CPU time, steadier on a shared
machine), rows per second, the counts, and the process's resident
memory before it and at its peak during it (Linux; the file is streamed, so the peak
stays flat however long the file).
Figures only, no assertions:

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--batch-rows 1000] [--pg URL]
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench_sync import open_bench_shop, temporary_database

from counter_tui.services.customer_import import ImportRequest, import_customers

HEADERS = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip


def write_export(path: Path, rows: int, *, all_opted_in: bool = False) -> None:
    """A Shopify admin export of `rows` customers, one in twenty unusable, streamed to disk;
    a third opted in to email, or all of them."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(HEADERS)
        for n in range(1, rows + 1):
            email = "broken@" if n % 20 == 0 else f"customer{n}@example.com"
            opted_in = "yes" if all_opted_in or n % 3 == 0 else "no"
            writer.writerow([
                f"'{7_000_000_000 + n}", f"Customer{n}", "Smith", email, opted_in,
                "", f"{n} High Street", "", "Leeds", "", "GB", "LS1 1AA", "",
                f"'+4477{n:08d}", "no", "12.50", "1", "Likes blue\nAsk about sizes" if n % 7 == 0 else "",
                "no", "",
            ])  # fmt: skip


def reset_peak() -> None:
    """Start measuring the peak afresh (Linux: clear the high-water mark of resident memory)."""
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():
        clear_refs.write_text("5")


def memory_mib() -> tuple[float, float]:
    """(resident now, peak resident since `reset_peak`) in MiB; elsewhere than Linux the
    peak is the process's whole-life peak."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    unit = 1024 * 1024 if sys.platform == "darwin" else 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit
    return peak, peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-rows", type=int, default=1_000)
    parser.add_argument("--pg", help="a PostgreSQL server URL to run on instead of SQLite")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        temporary_database("postgresql" if args.pg else "sqlite", args.pg) as url,
    ):
        path, later = Path(folder) / "customers_export.csv", Path(folder) / "customers_export_later.csv"
        write_export(path, args.rows)
        write_export(later, args.rows, all_opted_in=True)
        ctx, (lead,) = open_bench_shop(url, 1)
        print(
            f"{args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB, {'PostgreSQL' if args.pg else 'SQLite'}"
        )
        for label, dry_run, file in (
            ("dry run", True, path),
            ("import", False, path),
            ("again", False, path),
            ("later", False, later),
        ):
            before, _ = memory_mib()
            reset_peak()
            started, cpu_started = time.perf_counter(), time.process_time()
            request = ImportRequest(file, dry_run=dry_run, batch_rows=args.batch_rows)
            counts = import_customers(ctx, lead, request)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            peak = memory_mib()[1]
            print(
                f"{label:<8} {took:6.1f} s (CPU {cpu:6.1f} s)  {counts.rows / took:6.0f} rows/s  "
                f"new {counts.new:,} updated {counts.updated:,} unchanged {counts.unchanged:,} "
                f"rejected {counts.rejected:,}  memory {before:.0f} MiB before, peak {peak:.0f} MiB"
            )
        ctx.database.dispose()


if __name__ == "__main__":
    main()
