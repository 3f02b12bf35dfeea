"""Undoing a merge of two customer records: which merges can still be undone, and putting
one back (shift leads, with a reason, until the end of the day it was made).

Undoing puts back what the merge moved and nothing else: visits, notes, follow-ups and
feedback added to the kept record after the merge stay there, and a consent, standing
need or preference changed on the kept record after the merge keeps its newer value.
An undo is of the merge its dialog named (`merge_id`), never a later one: a merge undone
since is refused saying who undid it, and one made again since is a merge of its own.
The merge itself, and when one becomes final, is services/merge.py.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from counter_tui.db.models import ContactConsent, Customer, CustomerMerge, StandingNeed
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.customers import load_customer
from counter_tui.services.merge import MOVED_ROWS, MergeView
from counter_tui.services.merge_rows import consent_rows, standing_rows, withdrawn_at_of
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names


def undoable_merges(ctx: ShopContext, actor: Actor, customer_id: int) -> tuple[MergeView, ...]:
    """Merges into this customer that can still be undone (newest first)."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        names = staff_names(session)
        rows = session.exec(
            select(CustomerMerge, Customer)
            .join(Customer, col(Customer.id) == col(CustomerMerge.merged_id))
            .where(
                CustomerMerge.kept_id == customer_id,
                col(CustomerMerge.undone_at).is_(None),
                col(CustomerMerge.final_at) > ctx.now(),
            )
            .order_by(col(CustomerMerge.merged_at).desc())
        ).all()
        return tuple(
            MergeView(
                merge.id or 0, merged.name, merge.merged_at, names.get(merge.merged_by, "?"), merge.final_at
            )
            for merge, merged in rows
        )


def _undone_already(session: Session, ctx: ShopContext, record: CustomerMerge) -> Conflict:
    """The refusal for a merge undone since its undo dialog opened: who undid it, when (a
    merge made again since is another merge, never undone unseen)."""
    who = staff_names(session).get(record.undone_by or 0, "Someone")
    at = ctx.calendar.local(record.undone_at or ctx.now()).format("HH:mm")
    return Conflict(f"{who} already undid this merge at {at}; nothing is left to undo.")


def _restore_consents(session: Session, kept_id: int, merged_id: int, state: dict[str, Any]) -> None:
    kept_rows = consent_rows(session, kept_id)
    duplicate = state["duplicate"]
    for channel, before in state["kept_before"].items():
        row = kept_rows.get(channel)
        written = duplicate[channel]["recorded_at"]
        if row is None or row.recorded_at.isoformat() != written:
            continue  # changed on the kept record since the merge: the newer answer stays
        if before is None:
            session.delete(row)
        else:
            row.granted, row.source = before["granted"], before["source"]
            row.by_import = before.get("by_import", False)  # merges from before it was kept: by a person
            row.recorded_at = datetime.fromisoformat(before["recorded_at"])
            row.recorded_by = before["recorded_by"]
            row.withdrawn_at = withdrawn_at_of(before)
            session.add(row)
    for channel, theirs in duplicate.items():
        session.add(
            ContactConsent(
                customer_id=merged_id,
                channel=channel,
                granted=theirs["granted"],
                source=theirs["source"],
                recorded_at=datetime.fromisoformat(theirs["recorded_at"]),
                recorded_by=theirs["recorded_by"],
                by_import=theirs.get("by_import", False),
                withdrawn_at=withdrawn_at_of(theirs),
            )
        )


def _restore_standing_needs(session: Session, kept_id: int, merged_id: int, state: dict[str, Any]) -> None:
    kept_rows = standing_rows(session, kept_id)
    duplicate = state["duplicate"]
    for kind, before in state["kept_before"].items():
        row = kept_rows.get(kind)
        if row is None or row.updated_at.isoformat() != duplicate[kind]["updated_at"]:
            continue  # changed on the kept record since the merge
        if before is None:
            session.delete(row)
        else:
            row.detail, row.updated_at = before["detail"], datetime.fromisoformat(before["updated_at"])
            session.add(row)
    for kind, theirs in duplicate.items():
        session.add(
            StandingNeed(
                customer_id=merged_id,
                kind=kind,
                detail=theirs["detail"],
                updated_at=datetime.fromisoformat(theirs["updated_at"]),
            )
        )


def _give_back_contact(kept: Customer, taken: dict[str, str]) -> None:
    """Clear the phone or email the merge gave the kept record, unless changed since."""
    if taken.get("phone") and kept.phone == taken["phone"]:
        kept.phone = kept.phone_digits = kept.phone_normalised = ""
    if taken.get("email") and kept.email == taken["email"]:
        kept.email = ""


def undo_merge(ctx: ShopContext, actor: Actor, merge_id: int, reason: str) -> None:
    """Put a merge back as it was (shift leads only, with a reason, until the end of the
    day it was made); changes made to the kept record since then are kept."""
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput("Say why the merge is undone (e.g. 'different people, same family phone').")
    with ctx.database.write() as session:
        lead = require(session, actor, Action.UNDO_MERGE)
        record = session.get(CustomerMerge, merge_id)
        if record is None:
            raise NotFound("That merge no longer exists.")
        if record.undone_at is not None:
            raise _undone_already(session, ctx, record)
        now = ctx.now()
        if now >= record.final_at:
            final = ctx.calendar.local(record.final_at).format("HH:mm on ddd D MMM")
            raise Conflict(
                f"That merge became final at {final}, the end of its day. It cannot be undone now."
            )
        kept = load_customer(session, record.kept_id)
        merged = session.get(Customer, record.merged_id)
        if merged is None or merged.erased_at is not None:
            raise Conflict("The merged record has been erased since, so the merge cannot be undone.")
        moved = json.loads(record.moved)
        connection = session.connection()
        for key, model in MOVED_ROWS.items():
            connection.execute(
                update(model)
                .where(col(model.id).in_(moved[key]), model.customer_id == record.kept_id)
                .values(customer_id=record.merged_id)
            )
        _restore_consents(session, record.kept_id, record.merged_id, moved["consents"])
        _restore_standing_needs(session, record.kept_id, record.merged_id, moved["standing_needs"])
        if kept.preferences == moved["preferences"]["combined"]:
            kept.preferences = moved["preferences"]["kept_before"]
        _give_back_contact(kept, moved.get("contact", {}))
        merged.merged_into_id = None
        record.undone_at, record.undone_by, record.undo_reason = now, lead.id, reason
        session.add_all([kept, merged, record])
        write_search_terms(session, record.kept_id, kept.name_key, kept.phone_digits, kept.email)
        write_search_terms(session, record.merged_id, merged.name_key, merged.phone_digits, merged.email)
        audit.record(
            session,
            ctx,
            actor,
            "customer.merge_undone",
            "customer",
            record.kept_id,
            merge_id=merge_id,
            merged_id=record.merged_id,
            reason=reason,
        )
