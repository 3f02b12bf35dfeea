"""What a busy-floor write sends to SQLite while it holds the write lock: every statement
is time every other terminal waits. A claim, a need, a note and an ending by the visit's
owner read the visit and the actor's staff row and no more (who the owner is, since when,
and who helps are read only to explain a refusal), write their change, and end with the
audit chain's three statements. (PostgreSQL's claim: tests/postgres/test_claim_round_trips_pg.py.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from counter_tui.db.models import NeedKind, Outcome
from counter_tui.services import visit_needs, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team

CHAIN = ["select auditchainhead", "insert auditevent", "update auditchainhead"]


def label(sql: str) -> str:
    """What a statement does, and to which table: "begin immediate", "select visit"..."""
    words = sql.lower().replace('"', "").split()
    if words[0] == "begin":
        return " ".join(words[:2])
    if words[0] == "select":
        return f"select {words[words.index('from') + 1]}"
    table = words[1] if words[0] == "update" else words[2]
    return f"{words[0]} {table}"


@contextmanager
def sent(ctx: ShopContext) -> Iterator[list[str]]:
    """The statements sent while inside, each as its first words (the table it is on)."""
    statements: list[str] = []

    def statement(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        statements.append(label(sql))

    event.listen(ctx.database.engine, "before_cursor_execute", statement)
    try:
        yield statements
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", statement)


def _floor_write(ctx: ShopContext, call: Callable[[], object]) -> list[str]:
    with sent(ctx) as statements:
        call()
    return statements


def test_an_owners_busy_floor_writes_read_only_the_visit_and_their_staff_row(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    assert _floor_write(ctx, lambda: visits.claim_visit(ctx, team.sam, visit_id)) == [
        "begin immediate",
        "select staff",
        "update visit",
        *CHAIN,
    ]
    assert _floor_write(ctx, lambda: visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)) == [
        "begin immediate",
        "select visit",
        "select staff",
        "select visitneed",
        "insert visitneed",
        *CHAIN,
    ]
    assert _floor_write(ctx, lambda: visits.add_visit_note(ctx, team.sam, visit_id, "asked about sizes")) == [
        "begin immediate",
        "select visit",
        "select staff",
        "insert customernote",
        *CHAIN,
    ]
    ending = _floor_write(ctx, lambda: visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE))
    assert ending == [
        "begin immediate",
        "select visit",
        "select staff",
        "update handoffrequest",  # hand-offs still waiting are cancelled, in one statement
        "select visitneed",  # did they ask for a call back?
        "update visit",
        *CHAIN,
    ]
