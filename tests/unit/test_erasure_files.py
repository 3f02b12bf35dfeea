"""Erasure erases from the disk: after erasing a customer, the bytes of the SQLite file and
its write-ahead log hold none of their name, phone or email (secure_delete overwrote what
was deleted or replaced; the log was checkpointed and emptied)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from counter_tui.db.engine import sqlite_path
from counter_tui.services import customers, erasure, followups, visit_needs, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team

SECRETS = ("Bob Jones", "Jones", "07700 900123", "07700900123", "32100900770", "bob@example.com", "Welsh")


def files_of(ctx: ShopContext) -> list[Path]:
    path = sqlite_path(ctx.database.url)
    assert path is not None
    return [path, path.with_name(path.name + "-wal")]


def found_in_files(ctx: ShopContext) -> dict[str, list[str]]:
    """Which secrets each database file holds, byte for byte (ignoring case)."""
    found: dict[str, list[str]] = {}
    for path in files_of(ctx):
        data = path.read_bytes().lower() if path.exists() else b""
        found[path.name] = [s for s in SECRETS if s.lower().encode() in data]
    return found


def checkpoint_without_emptying_the_log(ctx: ShopContext) -> None:
    with ctx.database.read() as session:
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def test_the_files_hold_none_of_the_erased_data(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com"
    )
    visit = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visit_needs.set_need(ctx, team.sam, visit, "language", detail="Welsh")
    checkpoint_without_emptying_the_log(ctx)  # copies in the database file and in the log
    customers.add_note(ctx, team.sam, bob, "Jones family, Welsh speakers")
    followups.add_callback(ctx, team.sam, bob, about="Welsh kettle", consent_source="asked")
    customers.find_customers(other_terminal, "jones")  # another terminal has read them too
    found = found_in_files(ctx)
    assert set(found["counter.sqlite3"]) >= {"Bob Jones", "bob@example.com"}
    assert set(found["counter.sqlite3-wal"]) >= {"Bob Jones", "Welsh"}

    erasure.erase_customer(other_terminal, team.lead, bob, "asked at the till")

    assert found_in_files(ctx) == {"counter.sqlite3": [], "counter.sqlite3-wal": []}
    assert customers.find_customers(ctx, "jones").items == ()


def test_every_connection_overwrites_deleted_data(ctx: ShopContext) -> None:
    """Some SQLite builds (this one among them) default to secure_delete; the engine sets
    it anyway, so a build that does not still overwrites. (With it off, the test above
    finds the erased data in free pages.)"""
    with ctx.database.read() as session:
        assert session.connection().execute(text("PRAGMA secure_delete")).scalar() == 1
