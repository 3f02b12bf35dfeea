"""The visits flagged for a lead's review are found through an index of their own, not by
walking every visit of the last 30 days: on a shop of 2,000,000 past visits that walk
read 76,705 visits and took 195 ms each time the Day end tab opened, to find none.
Checked by SQLite's query plan, not by timing it (benchmarks/bench_review.py times it)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from counter_tui.services import flagged_visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team


def test_flagged_visits_are_read_through_their_index(ctx: ShopContext, team: Team) -> None:
    if not ctx.database.is_sqlite:
        pytest.skip("SQLite's query plan")
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "flagged_for_review" in statement:
            statements.append((statement, parameters))

    event.listen(ctx.database.engine, "before_cursor_execute", note)
    try:
        assert flagged_visits.flagged_visits(ctx, team.lead) == ()
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", note)
    ((statement, parameters),) = statements
    with ctx.database.engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    steps = " / ".join(row[-1] for row in plan)
    used = "visit USING INDEX ix_visit_flagged (flagged_for_review=? AND arrived_at>? AND arrived_at<?)"
    assert used in steps, steps
