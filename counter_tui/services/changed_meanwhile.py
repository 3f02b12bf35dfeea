"""A dialog saves over what it was opened on, never over a colleague's change it has not
seen: a service that replaces a record's values is given what the dialog showed
(`opened`), and refuses with ChangedMeanwhile, naming who changed it and when, when the
record no longer holds that. The dialog keeps what was typed; saving again then saves
over the change on purpose. Without `opened` (the command line, imports) nothing is
compared.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from counter_tui.db.models import AuditEvent
from counter_tui.errors import Conflict
from counter_tui.services.context import ShopContext
from counter_tui.services.queries import staff_names


class ChangedMeanwhile(Conflict):
    """Someone changed what a dialog was opened on before it was saved; `now` is what the
    record holds now, for the dialog to save over on purpose next time."""

    def __init__(self, message: str, now: object) -> None:
        super().__init__(message)
        self.now = now


def require_unchanged(
    session: Session,
    ctx: ShopContext,
    customer_id: int,
    opened: object | None,
    now: object,
    *,
    what: str,
    actions: tuple[str, ...],
) -> None:
    """Refuse with ChangedMeanwhile when `opened` (what the dialog showed; None: not
    compared) is no longer `now`; the last of the customer's `actions` in the audit log
    says who changed it and when."""
    if opened is None or opened == now:
        return
    last = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "customer",
            AuditEvent.entity_id == customer_id,
            col(AuditEvent.action).in_(actions),
        )
        .order_by(col(AuditEvent.id).desc())
    ).first()
    who = staff_names(session).get(last.actor_id or 0, "Someone") if last is not None else "Someone"
    when = f" at {ctx.calendar.local(last.at).format('HH:mm')}" if last is not None else ""
    raise ChangedMeanwhile(
        f"{who} changed {what}{when} while this was open. What you typed is kept: Enter saves it "
        "over their change, Esc keeps theirs.",
        now,
    )
