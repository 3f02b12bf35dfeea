"""The floor board's rows are read in one statement, whole board or a few rows: each
statement is a round trip to a PostgreSQL server, and a claim on another terminal waits
for this read before it shows. On both databases, the rows say the same as before: the
customer's name or the visit's description, the owner, the helpers, the needs in the
order they were set, and a pending hand-off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from counter_tui.db.models import NeedKind
from counter_tui.services import customers, floor_changes, handoffs, visit_needs, visit_views, visits
from counter_tui.services.changes import Change
from counter_tui.services.context import ShopContext
from tests.conftest import Team, postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path}/counter.sqlite3"


@contextmanager
def statements(ctx: ShopContext) -> Iterator[list[str]]:
    """The statements sent while inside, transaction control (BEGIN, ROLLBACK) left out."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.split(None, 1)[0].upper() not in {"BEGIN", "ROLLBACK", "COMMIT"}:
            sent.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", note)


def busy_visit(ctx: ShopContext, team: Team) -> tuple[int, int]:
    """Ama's visit, claimed by Sam with Alex helping, two needs and a hand-off asked for;
    and a walk-in nobody has yet."""
    ama = customers.create_customer(ctx, team.sam, name="Ama Owusu")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=ama)
    visits.claim_visit(ctx, team.sam, visit_id)
    visits.add_helper(ctx, team.sam, visit_id, team.alex.staff_id or 0)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.PICKUP, detail="order 1182")
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.ACCESSIBILITY, detail="step-free")
    handoffs.request_handoff(ctx, team.sam, visit_id, team.lead.staff_id or 0, "Dana knows the order")
    waiting = visits.new_walk_in(ctx, team.alex, description="green scarf")
    return visit_id, waiting


def test_a_few_rows_are_read_again_in_one_statement(ctx: ShopContext, team: Team) -> None:
    visit_id, waiting = busy_visit(ctx, team)
    claimed = [Change(event_id=1, entity="visit", entity_id=visit_id, action="visit.claimed")]
    with statements(ctx) as sent:
        patch = floor_changes.floor_patch(ctx, claimed, visit_ids=[waiting])
    assert len(sent) == 1, sent
    assert patch is not None
    assert {row.visit_id: row for row in patch.rows} == {
        row.visit_id: row for row in visit_views.floor_board(ctx)
    }


def test_the_whole_board_is_read_in_one_statement(ctx: ShopContext, team: Team) -> None:
    visit_id, waiting = busy_visit(ctx, team)
    with statements(ctx) as sent:
        board = visit_views.floor_board(ctx)
    assert len(sent) == 1, sent
    rows = {row.visit_id: row for row in board}
    row = rows[visit_id]
    assert (row.who, row.owner_name, row.helper_names, row.handoff_pending) == (
        "Ama Owusu",
        "Sam",
        ("Alex",),
        True,
    )
    assert [(need.kind, need.detail) for need in row.needs] == [
        (NeedKind.PICKUP, "order 1182"),
        (NeedKind.ACCESSIBILITY, "step-free"),
    ]
    other = rows[waiting]
    assert (other.who, other.owner_name, other.helper_names, other.needs, other.handoff_pending) == (
        "green scarf",
        None,
        (),
        (),
        False,
    )


def test_a_customer_with_no_open_visit_reads_no_row(ctx: ShopContext, team: Team) -> None:
    """Their change touches no row of the board: the read of none comes back empty."""
    ama = customers.create_customer(ctx, team.sam, name="Ama Owusu")
    visits.new_walk_in(ctx, team.sam, description="green scarf")
    renamed = [Change(event_id=1, entity="customer", entity_id=ama, action="customer.updated")]
    patch = floor_changes.floor_patch(ctx, renamed)
    assert patch is not None
    assert (patch.visit_ids, patch.rows) == (frozenset(), ())
