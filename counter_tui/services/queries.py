"""Read helpers shared by several services: names and follow-up rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Customer,
    FollowUp,
    FollowUpStatus,
    OutboxMessage,
    OutboxStatus,
    Staff,
    Visit,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.labels import FOLLOWUP_LABELS
from counter_tui.services.views import FollowUpView

ANONYMOUS = "walk-in"


def staff_names(session: Session) -> dict[int, str]:
    """Every staff member's name by id (a shop has few staff)."""
    return {s.id or 0: s.name for s in session.exec(select(Staff))}


TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "fr"})
"""Titles a name on file may start with (with or without a full stop, in any case)."""


def first_name(name: str) -> str:
    """What a customer is greeted by in a thank-you or an email: the first word of their
    name as it is on file, or their title and surname when it starts with a title
    ("Mrs Jane Smith" is greeted as "Mrs Smith", not "Mrs")."""
    words = name.split()
    if len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        return f"{words[0]} {words[-1]}"
    return words[0] if words else name


def visit_who(visit: Visit, customer: Customer | None) -> str:
    """How a visit's customer is named on screen: their name, or the description given."""
    if customer is None:
        return named_as(visit.description, None, None)
    return named_as(visit.description, customer.name, customer.erased_at)


def named_as(description: str | None, customer_name: str | None, erased_at: datetime | None) -> str:
    """`visit_who` from the columns: the customer's name unless there is no customer (no
    name) or they were erased, else the visit's description, else "walk-in"."""
    if customer_name is not None and erased_at is None:
        return customer_name
    return description or ANONYMOUS


def followup_views(session: Session, ctx: ShopContext, statement: Any) -> tuple[FollowUpView, ...]:
    """Run a `select(FollowUp)` statement and dress each row for display."""
    rows: list[FollowUp] = list(session.exec(statement))
    names = staff_names(session)
    customer_ids = {row.customer_id for row in rows}
    customers = {
        c.id: c.name
        for c in session.exec(select(Customer).where(Customer.id.in_(customer_ids)))  # type: ignore[union-attr]
    }
    now = ctx.now()
    problems = _mail_problems(session, [row.id for row in rows if row.status == FollowUpStatus.OPEN])
    return tuple(
        FollowUpView(
            id=row.id or 0,
            kind=row.kind,
            kind_label=FOLLOWUP_LABELS.get(row.kind, row.kind),
            customer_id=row.customer_id,
            customer_name=customers.get(row.customer_id, "?"),
            owner_id=row.owner_id,
            owner_name=names.get(row.owner_id, "?"),
            channel=row.channel,
            summary=row.summary,
            due_at=row.due_at,
            status=row.status,
            overdue=row.status == FollowUpStatus.OPEN and row.due_at < now,
            personal_line=row.personal_line,
            outcome_note=row.outcome_note,
            mail_problem=problems.get(row.id or 0, ""),
            every_days=row.every_days,
            original_due_at=row.original_due_at,
        )
        for row in rows
    )


def _mail_problems(session: Session, followup_ids: list[int | None]) -> dict[int, str]:
    """Open follow-up id -> why its email failed or was withdrawn (the latest), for the owner."""
    if not followup_ids:
        return {}
    failed = session.exec(
        select(OutboxMessage)
        .where(
            col(OutboxMessage.followup_id).in_(followup_ids),
            col(OutboxMessage.status).in_((OutboxStatus.FAILED, OutboxStatus.WITHDRAWN)),
        )
        .order_by(col(OutboxMessage.id))
    )
    return {message.followup_id: message.last_error for message in failed if message.followup_id is not None}
