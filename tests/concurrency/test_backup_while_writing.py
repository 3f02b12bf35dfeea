"""A backup taken while another terminal (a real process) writes as fast as it can is
the database at one moment: restored, it passes the integrity check and `audit verify`,
holds everything committed before the backup began, nothing committed after it ended,
and no gaps, and every visit in it has exactly
its own audit events (no change without its event, no event without its change)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import col, func, select
from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.db.engine import sqlite_path
from counter_tui.db.models import AuditEvent, Visit
from counter_tui.services import backup
from counter_tui.services.context import ShopContext
from tests.concurrency.race import open_race_shop
from tests.concurrency.test_killed_terminal import WriterProcess

pytestmark = pytest.mark.slow

COMMITS_BEFORE = 20
COMMITS_DURING = 10


def _reported_created(lines: list[str]) -> set[int]:
    return {int(line.split()[1]) for line in lines if line.startswith("created ")}


def _newest_visit(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return session.exec(select(func.max(Visit.id))).one() or 0


def _visits_and_events(ctx: ShopContext) -> tuple[dict[int, int | None], Counter[tuple[str, int]]]:
    with ctx.database.read() as session:
        owners = {visit.id or 0: visit.owner_id for visit in session.exec(select(Visit))}
        events = Counter(
            (action, entity_id or 0)
            for action, entity_id in session.exec(
                select(AuditEvent.action, AuditEvent.entity_id).where(col(AuditEvent.entity) == "visit")
            )
        )
    return owners, events


def test_a_backup_under_continuous_writes_restores_consistent(shared_url: str, tmp_path: Path) -> None:
    ctx, (lead, writer_actor) = open_race_shop(shared_url, leads=1, associates=1)
    writer = WriterProcess(shared_url, writer_actor)
    try:
        for _ in range(COMMITS_BEFORE):
            writer.read_line()
        committed_before = _reported_created(writer.lines)
        newest_before = _newest_visit(ctx)
        made = backup.back_up(ctx, lead, tmp_path / "during.backup")
        newest_after = _newest_visit(ctx)
        for _ in range(COMMITS_DURING):  # the writer went on meanwhile
            writer.read_line()
    finally:
        writer.kill()
    written_after = _reported_created(writer.lines) - committed_before

    backup.restore(ctx, lead, made.path)

    if ctx.database.is_sqlite:
        path = sqlite_path(shared_url)
        assert path is not None
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    verified = CliRunner().invoke(app, ["--db", shared_url, "audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("Audit trail intact")

    owners, events = _visits_and_events(ctx)
    assert committed_before <= set(owners)
    assert sorted(owners) == list(range(1, max(owners) + 1))  # a moment's state: no gaps
    assert set(owners) <= committed_before | written_after
    assert newest_before <= max(owners) <= newest_after  # the moment was during the backup
    assert {visit: events["visit.created", visit] for visit in owners} == dict.fromkeys(owners, 1)
    claimed = {visit for visit, owner in owners.items() if owner is not None}
    assert {visit for (action, visit) in events if action == "visit.claimed"} == claimed
    ctx.database.dispose()
