"""On PostgreSQL, a write to a customer waits for a merge or erasure of that customer in
progress, then is refused by what it finds: a note written just as a lead merged the
duplicate landed on the hidden duplicate, where nobody would read it again."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from counter_tui.db.models import CustomerNote
from counter_tui.errors import DomainError, NotFound
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from tests.conftest import Team

pytestmark = pytest.mark.postgres


@contextmanager
def changing_elsewhere(database_url: str, customer_id: int, change: str) -> Iterator[psycopg.Connection]:
    """Another terminal's merge or erasure, mid-transaction: the customer's row locked and
    `change`d (an SQL SET clause), not yet committed (committed when the block ends)."""
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as other:
        other.execute("SELECT id FROM customer WHERE id = %s FOR UPDATE", (customer_id,))
        other.execute(f"UPDATE customer SET {change} WHERE id = %s", (customer_id,))
        yield other
        other.commit()


def waiting_for_a_lock(other: psycopg.Connection) -> bool:
    """Whether some other session of this database waits for a row lock."""
    row = other.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    ).fetchone()
    return bool(row and row[0])


def run_beside(write: Callable[[], None]) -> tuple[threading.Thread, list[BaseException | None]]:
    """Start `write` in a thread; what it raised (or None) lands in the list."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            write()
            outcome.append(None)
        except DomainError as refusal:
            outcome.append(refusal)

    thread = threading.Thread(target=attempt)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("merged_into_id = {kept}", "was merged into Ama Owusu's record"),
        ("erased_at = now()", "were erased at their request, so nothing was saved"),
    ],
)
def test_a_note_written_during_a_merge_or_erasure_waits_and_is_refused(
    ctx: ShopContext, team: Team, database_url: str, change: str, said: str
) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Ama Owusu")
    dup = customers.create_customer(ctx, team.sam, name="Ama O.")
    with changing_elsewhere(database_url, dup, change.format(kept=kept)) as other:
        thread, outcome = run_beside(lambda: customers.add_note(ctx, team.sam, dup, "Allergic to nuts"))
        while thread.is_alive() and not waiting_for_a_lock(other):
            thread.join(0.01)
        assert thread.is_alive(), "the note did not wait for the merge in progress"
    thread.join()
    assert isinstance(outcome[0], NotFound)
    assert said in str(outcome[0])
    with ctx.database.read() as session:
        assert session.exec(select(CustomerNote).where(CustomerNote.customer_id == dup)).all() == []
