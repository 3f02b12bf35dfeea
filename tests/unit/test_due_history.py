"""A follow-up's due history read model: first due, due now, each move with its reason
and who made it, oldest first; a follow-up never moved has no moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from counter_tui.errors import NotFound
from counter_tui.services import customers, followups
from counter_tui.services.context import ShopContext
from counter_tui.services.due_history import followup_due_history
from counter_tui.services.followup_snooze import reschedule_followup
from tests.conftest import Team

TWO_PM = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def test_the_history_keeps_first_due_and_every_move_with_who_and_why(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    promise = followups.add_promise(ctx, team.sam, bob, promise="Ring about the kettle", due_at=TWO_PM)
    assert followup_due_history(ctx, team.alex, promise).moves == ()
    reschedule_followup(ctx, team.sam, promise, "mon 12:00", "Bob away")
    history = followup_due_history(ctx, team.alex, promise)
    assert (history.original_due_at, history.due_at) == (TWO_PM, datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    [move] = history.moves
    assert (move.from_due_at, move.to_due_at, move.reason, move.moved_by) == (
        TWO_PM,
        datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
        "Bob away",
        "Sam",
    )
    assert (history.kind_label, history.customer_name, history.summary) == (
        "promise",
        "Bob Jones",
        "Ring about the kettle",
    )


def test_a_missing_follow_up_is_said_plainly(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotFound, match="no longer exists"):
        followup_due_history(ctx, team.sam, 999)
