"""The audit event of each customer an import puts on file or changes, so that their
subject access and the audit log show how their record came to be: `customer.created`
and `customer.updated`, as the counter writes them, with the file, the row, the till
and (for an update) what the row changed. Recorded in the batch's transaction, with the
batch; a row that changes nothing has none.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.till_import.matching import Change, Result


def record_changes(
    session: Session, ctx: ShopContext, actor: Actor, file: str, till: str, changes: list[Change]
) -> None:
    """One event a change, after the batch is written (a new customer has an id by then).

    A new customer's event names them, as `customer.created` does at the counter; an
    update's always says `changed` (maybe empty, when it recorded only consents), as
    `contact_merge` takes an event without it to have changed every contact field.
    """
    for change in changes:
        details: dict[str, Any] = {"name": change.customer.name} if change.result is Result.NEW else {}
        details.update(file=file, row=change.row, till=till)
        if change.result is Result.UPDATED:
            details["changed"] = list(change.fields)
        if change.consents:
            details["consents"] = change.consents
        action = "customer.created" if change.result is Result.NEW else "customer.updated"
        audit.record(session, ctx, actor, action, "customer", change.customer.id, **details)
