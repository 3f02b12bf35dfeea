"""Builds a large benchmark shop on SQLite in minutes: 1,000,000 customers and 2,000,000
past visits in bulk, as a real shop of that size would hold them.

The schema comes from the app (migrations) and the staff from the services (hashed
PINs, audit events). Then, on the file alone, the bulk tables are filled the fast way:

- PRAGMAs for a one-off load (no journal, no fsync, a large page cache, exclusive lock);
- the secondary indexes of the bulk tables dropped first and made again after the load
  (one sort per index instead of a random B-tree insert per row);
- one transaction per batch of 200,000 rows, raw `executemany` of tuples;
- search terms from `customer_search.search_terms` itself, the name part made once per
  distinct name (names repeat: first and last names come from the demo lists).

Times are written the way the app writes them (UTC, `YYYY-MM-DD HH:MM:SS.ffffff`).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.db.models import Outcome
from counter_tui.demo.data import DEMO_STAFF, FIRST_NAMES, LAST_NAMES, VISIT_NOTES
from counter_tui.services import customer_search, staff

BATCH = 200_000
BULK_TABLES = ("customer", "customersearchterm", "contactconsent", "customernote", "visit")


def stamp(moment: datetime) -> str:
    """A UTC time (naive here, for speed) as the app stores it in SQLite."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def customer_rows(count: int, rng: random.Random, now: datetime) -> Iterator[tuple[Any, ...]]:
    """(id, name, name_key, phone, phone_digits, email, created_at): realistic, often
    repeated names; UK mobile numbers; seven in ten with an email."""
    for customer_id in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        digits = f"07{rng.randrange(10**9):09d}"
        email = f"{first}.{last}{customer_id}@example.com".lower().replace(" ", "").replace("'", "")
        yield (
            customer_id,
            name,
            name.lower(),
            f"{digits[:5]} {digits[5:]}",
            digits,
            email if rng.random() < 0.7 else "",
            stamp(now - timedelta(days=rng.uniform(30, 1500))),
        )


def term_rows(people: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, str, str]]:
    """Each customer's search terms, exactly as `customers.insert_customer` writes them
    (`search_terms` is a union of a name part and a contact part, so the name part is
    made once per distinct name)."""
    name_terms: dict[str, set[tuple[str, str]]] = {}
    for customer_id, _, name_key, _, digits, email, _ in people:
        by_name = name_terms.get(name_key)
        if by_name is None:
            by_name = name_terms[name_key] = customer_search.search_terms(name_key, "", "")
        for kind, term in sorted(by_name | customer_search.search_terms("", digits, email)):
            yield customer_id, kind, term


def visit_rows(
    count: int, customer_count: int, staff_ids: list[int], rng: random.Random, now: datetime
) -> Iterator[tuple[Any, ...]]:
    """Ended visits over the last two years, most claimed, most with a customer on file."""
    outcomes = [str(Outcome.PURCHASE)] * 6 + [str(Outcome.NO_PURCHASE)] * 3 + [str(Outcome.LEFT_UNSERVED)]
    left = str(Outcome.LEFT_UNSERVED)
    for _ in range(count):
        arrived = now - timedelta(days=rng.uniform(1, 730))
        outcome = rng.choice(outcomes)
        owner = None if outcome == left else rng.choice(staff_ids)
        known = rng.random() < 0.8
        yield (
            rng.randint(1, customer_count) if known else None,
            "" if known else "walk-in",
            stamp(arrived),
            rng.choice(staff_ids),
            owner,
            stamp(arrived + timedelta(minutes=3)) if owner else None,
            stamp(arrived + timedelta(minutes=3)) if owner else None,
            outcome,
            stamp(arrived + timedelta(minutes=rng.randint(5, 40))),
            owner or rng.choice(staff_ids),
        )


INSERTS = {
    "customer": "INSERT INTO customer (id, name, name_key, phone, phone_digits, email, created_at,"
    " phone_normalised, preferences) VALUES (?, ?, ?, ?, ?, ?, ?, '', '')",
    "customersearchterm": "INSERT INTO customersearchterm (customer_id, kind, term) VALUES (?, ?, ?)",
    "contactconsent": "INSERT INTO contactconsent (customer_id, channel, granted, source, recorded_at,"
    " recorded_by) VALUES (?, ?, 1, 'signed the loyalty card form', ?, ?)",
    "customernote": "INSERT INTO customernote (customer_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
    "visit": "INSERT INTO visit (customer_id, description, source, preferences, arrived_at, created_by,"
    " owner_id, claimed_at, owner_since, outcome, ended_at, ended_by, flagged_for_review)"
    " VALUES (?, ?, 'counter', '', ?, ?, ?, ?, ?, ?, ?, ?, 0)",
}


def load(connection: sqlite3.Connection, table: str, rows: Iterator[tuple[Any, ...]]) -> None:
    """Insert `rows` into `table`, one transaction per BATCH rows, and say how long it took."""
    started, written = time.perf_counter(), 0
    while batch := list(islice(rows, BATCH)):
        connection.execute("BEGIN")
        connection.executemany(INSERTS[table], batch)
        connection.execute("COMMIT")
        written += len(batch)
    print(f"  {table:<19} {written:>10,} rows in {time.perf_counter() - started:6.1f} s", flush=True)


def build_shop(database_file: Path, customer_count: int, visit_count: int, seed: int) -> None:
    """Make `database_file` a migrated shop with the demo staff and the bulk data."""
    started = time.perf_counter()
    ctx = open_shop(load_settings(database_url=f"sqlite:///{database_file.resolve()}"), create=True)
    for name, role, pin in DEMO_STAFF:
        staff.add_staff(ctx, None, name=name, pin=pin, role=role)
    staff_ids = [person.id for person in staff.list_staff(ctx)]
    ctx.database.dispose()

    connection = sqlite3.connect(database_file, isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "locking_mode = EXCLUSIVE",
        "cache_size = -1000000",
        "temp_store = MEMORY",
        "foreign_keys = OFF",
    ):
        connection.execute(f"PRAGMA {pragma}")
    marks = ",".join("?" * len(BULK_TABLES))
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master"
        f" WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        BULK_TABLES,
    ).fetchall()
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    people = list(customer_rows(customer_count, rng, now))
    load(connection, "customer", iter(people))
    load(connection, "customersearchterm", term_rows(people))
    del people
    consents = (
        (cid, "email" if cid % 2 else "sms", stamp(now - timedelta(days=30)), staff_ids[0])
        for cid in range(1, customer_count + 1, 2)
    )
    load(connection, "contactconsent", consents)
    notes = (
        (
            rng.randint(1, customer_count),
            rng.choice(staff_ids),
            rng.choice(VISIT_NOTES),
            stamp(now - timedelta(days=rng.uniform(1, 700))),
        )
        for _ in range(customer_count // 2)
    )
    load(connection, "customernote", notes)
    load(connection, "visit", visit_rows(visit_count, customer_count, staff_ids, rng, now))

    indexed = time.perf_counter()
    for _, sql in indexes:
        connection.execute(sql)
    print(f"  {len(indexes)} indexes made again in {time.perf_counter() - indexed:6.1f} s", flush=True)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.close()
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
