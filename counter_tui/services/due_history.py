"""A follow-up's due history as screens show it: when it was first due, when it is due
now, and each snooze or reschedule with its reason and who made it, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from counter_tui.db.models import Customer, FollowUp, FollowUpDue
from counter_tui.errors import NotFound
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.labels import FOLLOWUP_LABELS
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names


@dataclass(frozen=True)
class DueMove:
    """One move of the due time: from, to, why, when and by whom."""

    from_due_at: datetime
    to_due_at: datetime
    reason: str
    moved_at: datetime
    moved_by: str


@dataclass(frozen=True)
class DueHistory:
    """What a follow-up is, when it was first due, when it is due now, and every move."""

    followup_id: int
    kind_label: str
    customer_name: str
    summary: str
    original_due_at: datetime
    due_at: datetime
    moves: tuple[DueMove, ...]


def followup_due_history(ctx: ShopContext, actor: Actor, followup_id: int) -> DueHistory:
    """The due history of one follow-up (anyone signed in may see it)."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        followup = session.get(FollowUp, followup_id)
        if followup is None:
            raise NotFound("That follow-up no longer exists.")
        customer = session.get(Customer, followup.customer_id)
        names = staff_names(session)
        moves = session.exec(
            select(FollowUpDue)
            .where(FollowUpDue.followup_id == followup_id)
            .order_by(col(FollowUpDue.moved_at), col(FollowUpDue.id))
        )
        return DueHistory(
            followup_id=followup_id,
            kind_label=FOLLOWUP_LABELS.get(followup.kind, followup.kind),
            customer_name=customer.name if customer is not None and customer.erased_at is None else "?",
            summary=followup.summary,
            original_due_at=followup.original_due_at or followup.due_at,
            due_at=followup.due_at,
            moves=tuple(
                DueMove(
                    move.from_due_at,
                    move.to_due_at,
                    move.reason,
                    move.moved_at,
                    names.get(move.moved_by, "?"),
                )
                for move in moves
            ),
        )
