"""SQLite writers queue on a file lock (`counter_tui.db.write_lock`), with real processes:
a terminal killed while holding its turn frees the queue for the next writer (the kernel
drops the lock), and eight terminals writing flat out at once lose nothing: every commit
they report has its audit events, no visit has two owners, and the chain verifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.db.models import AuditEvent, Visit
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import audit_verify, visits
from tests.concurrency.line_process import LineProcess
from tests.concurrency.race import open_race_shop
from tests.concurrency.test_killed_terminal import WriterProcess

pytestmark = pytest.mark.slow

WRITERS = 8
CLAIMS_EACH = 8


def test_a_writer_killed_holding_its_turn_frees_the_queue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    ctx, (actor,) = open_race_shop(url, leads=0, associates=1)
    holder = LineProcess("tests.concurrency.write_lock_holder", url)
    assert holder.read_line() == "holding"
    assert ctx.database.write_lock is not None
    wait = ctx.database.write_lock.timeout_seconds
    ctx.database.write_lock.timeout_seconds = 0.05
    with pytest.raises(DatabaseUnavailable, match="busy with another terminal"):
        visits.new_walk_in(ctx, actor, description="while it holds the lock")

    holder.kill()
    ctx.database.write_lock.timeout_seconds = wait
    visit_id = visits.new_walk_in(ctx, actor, description="after the kill", claim=True)

    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.owner_id == actor.staff_id
        assert session.exec(select(Visit.description)).all() == ["after the kill"]
    ctx.database.dispose()


def test_eight_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    ctx, actors = open_race_shop(url, leads=0, associates=WRITERS)
    writers = [WriterProcess(url, actor) for actor in actors]
    try:
        for _ in range(2 * CLAIMS_EACH):  # "created", then "claimed", per visit
            for writer in writers:
                writer.read_line()  # a writer that hit any error has died: this fails
    finally:
        for writer in writers:
            writer.kill()

    with ctx.database.read() as session:
        owners = {visit_id or 0: owner for visit_id, owner in session.exec(select(Visit.id, Visit.owner_id))}
        claims = session.exec(
            select(AuditEvent.entity_id, AuditEvent.actor_id).where(col(AuditEvent.action) == "visit.claimed")
        ).all()
        created_events = select(AuditEvent.entity_id).where(col(AuditEvent.action) == "visit.created")
        created = [visit_id or 0 for visit_id in session.exec(created_events)]
    for writer, actor in zip(writers, actors, strict=True):
        claimed = {int(line.split()[1]) for line in writer.lines if line.startswith("claimed ")}
        assert len(claimed) >= CLAIMS_EACH
        assert {owners[visit_id] for visit_id in claimed} == {actor.staff_id}
    assert sorted(created) == sorted(owners)  # every visit's creation was audited
    owned = sorted(visit_id for visit_id, owner in owners.items() if owner)
    assert sorted(visit_id or 0 for visit_id, _ in claims) == owned
    assert all(owners[visit_id or 0] == actor_id for visit_id, actor_id in claims)  # one owner, the claimer
    report = audit_verify.verify_chain(ctx)
    assert report.intact, [problem.sentence for problem in report.problems]
    ctx.database.dispose()
