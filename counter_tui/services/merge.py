"""A shift lead merges two records of one customer, and can undo it the same day.

Everything about the duplicate moves to the record kept: visits, notes, follow-ups,
feedback and search terms (the kept customer is found by the duplicate's name, phone
and email too); consents per channel, the most recently recorded answer winning with its
source and time; standing needs, the most recently updated winning per kind; and the
preferences, combined. The duplicate is not deleted: it is marked merged into the kept
record and hidden everywhere (search, duplicate offers point at the kept record).

**The end of the day.** A merge can be undone, by a lead and with a reason, until the
shop closes on the shop-calendar day it was made (`StoreCalendar.closing`). A merge made
while the shop is already closed for that day (after closing time, on a closed weekday or
a holiday) can be undone until midnight in the shop's time zone. After that it is final.
The moment is fixed when the merge is made, and kept with it (`CustomerMerge.final_at`).

Undoing puts back what the merge moved and nothing else: visits, notes, follow-ups and
feedback added to the kept record after the merge stay there, and a consent, standing
need or preference changed on the kept record after the merge keeps its newer value.
Every merge and undo writes its audit event in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, or_, select

from counter_tui.db.models import (
    ContactConsent,
    Customer,
    CustomerMerge,
    CustomerNote,
    CustomerSearchTerm,
    Feedback,
    FollowUp,
    FollowUpStatus,
    StandingNeed,
    Visit,
)
from counter_tui.errors import Conflict, InvalidInput, NotFound
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.customers import load_customer, merged_records
from counter_tui.services.labels import need_label
from counter_tui.services.linking import combine_preferences
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names

MOVED_ROWS: dict[str, Any] = {
    "visits": Visit,
    "notes": CustomerNote,
    "followups": FollowUp,
    "feedback": Feedback,
}


@dataclass(frozen=True)
class ConsentOutcome:
    """Where the kept customer will stand on one channel after the merge."""

    channel: str
    granted: bool
    source: str
    recorded_at: datetime
    from_duplicate: bool


@dataclass(frozen=True)
class MergePreview:
    """What a merge will change, shown to the lead before it happens."""

    kept_id: int
    kept_name: str
    merged_id: int
    merged_name: str
    visits: int
    notes: int
    open_followups: int
    other_followups: int
    feedback: int
    consents: tuple[ConsentOutcome, ...]
    standing_needs: tuple[str, ...]
    preferences: str
    preferences_change: bool
    final_at: datetime


@dataclass(frozen=True)
class MergeView:
    """A merge into a customer that a lead can still undo."""

    merge_id: int
    merged_name: str
    merged_at: datetime
    merged_by: str
    final_at: datetime


def merge_final_at(calendar: StoreCalendar, moment: datetime) -> datetime:
    """When a merge made at `moment` becomes final: that day's closing time, or midnight
    when the shop is already closed that day (see the module docstring)."""
    closing = calendar.closing(calendar.local_date(moment))
    if closing is not None and moment < closing:
        return closing
    return calendar.end_of_today(moment)


def _pair(session: Session, kept_id: int, merged_id: int) -> tuple[Customer, Customer]:
    """Both records, refusing a customer merged with themselves or two open visits."""
    if kept_id == merged_id:
        raise InvalidInput("Pick a different customer: a record cannot be merged into itself.")
    kept, merged = load_customer(session, kept_id), load_customer(session, merged_id)
    open_visits = session.exec(
        select(func.count())
        .select_from(Visit)
        .where(col(Visit.customer_id).in_([kept_id, merged_id]), col(Visit.ended_at).is_(None))
    ).one()
    if open_visits > 1:
        raise Conflict(
            f"{kept.name} and {merged.name} both have a visit open now. End one of the visits first."
        )
    return kept, merged


def _consent_rows(session: Session, customer_id: int) -> dict[str, ContactConsent]:
    rows = session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
    return {row.channel: row for row in rows}


def _standing_rows(session: Session, customer_id: int) -> dict[str, StandingNeed]:
    rows = session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
    return {row.kind: row for row in rows}


def _count(session: Session, model: Any, customer_id: int, *conditions: Any) -> int:
    statement = select(func.count()).select_from(model).where(model.customer_id == customer_id, *conditions)
    return int(session.exec(statement).one())


def _build_preview(session: Session, ctx: ShopContext, kept: Customer, merged: Customer) -> MergePreview:
    assert kept.id is not None and merged.id is not None
    kept_consents = _consent_rows(session, kept.id)
    consents = []
    for channel, theirs in sorted(_consent_rows(session, merged.id).items()):
        ours = kept_consents.get(channel)
        wins = ours is None or theirs.recorded_at > ours.recorded_at
        chosen = theirs if wins else ours
        assert chosen is not None
        consents.append(ConsentOutcome(channel, chosen.granted, chosen.source, chosen.recorded_at, wins))
    combined = combine_preferences(kept.preferences, merged.preferences)
    open_status = col(FollowUp.status) == FollowUpStatus.OPEN
    return MergePreview(
        kept_id=kept.id,
        kept_name=kept.name,
        merged_id=merged.id,
        merged_name=merged.name,
        visits=_count(session, Visit, merged.id),
        notes=_count(session, CustomerNote, merged.id),
        open_followups=_count(session, FollowUp, merged.id, open_status),
        other_followups=_count(session, FollowUp, merged.id, ~open_status),
        feedback=_count(session, Feedback, merged.id),
        consents=tuple(consents),
        standing_needs=tuple(need_label(kind) for kind in sorted(_standing_rows(session, merged.id))),
        preferences=combined,
        preferences_change=combined != kept.preferences.strip(),
        final_at=merge_final_at(ctx.calendar, ctx.now()),
    )


def preview_merge(ctx: ShopContext, actor: Actor, kept_id: int, merged_id: int) -> MergePreview:
    """What merging `merged_id` into `kept_id` would move and change (nothing is written)."""
    with ctx.database.read() as session:
        require(session, actor, Action.MERGE_CUSTOMERS)
        kept, merged = _pair(session, kept_id, merged_id)
        return _build_preview(session, ctx, kept, merged)


def _consent_state(row: ContactConsent | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "granted": row.granted,
        "source": row.source,
        "recorded_at": row.recorded_at.isoformat(),
        "recorded_by": row.recorded_by,
    }


def _need_state(row: StandingNeed | None) -> dict[str, Any] | None:
    return None if row is None else {"detail": row.detail, "updated_at": row.updated_at.isoformat()}


def _move_consents(session: Session, kept_id: int, merged_id: int) -> dict[str, Any]:
    """Latest answer wins per channel; returns what undo needs to put it back."""
    kept_rows, merged_rows = _consent_rows(session, kept_id), _consent_rows(session, merged_id)
    before: dict[str, Any] = {}
    for channel, theirs in merged_rows.items():
        ours = kept_rows.get(channel)
        if ours is not None and ours.recorded_at >= theirs.recorded_at:
            continue
        before[channel] = _consent_state(ours)
        row = ours or ContactConsent(
            customer_id=kept_id,
            channel=channel,
            granted=theirs.granted,
            source=theirs.source,
            recorded_at=theirs.recorded_at,
        )
        row.granted, row.source = theirs.granted, theirs.source
        row.recorded_at, row.recorded_by = theirs.recorded_at, theirs.recorded_by
        session.add(row)
    duplicate = {channel: _consent_state(row) for channel, row in merged_rows.items()}
    session.flush()
    session.connection().execute(delete(ContactConsent).where(col(ContactConsent.customer_id) == merged_id))
    return {"kept_before": before, "duplicate": duplicate}


def _move_standing_needs(session: Session, kept_id: int, merged_id: int) -> dict[str, Any]:
    """Latest update wins per kind; returns what undo needs to put it back."""
    kept_rows, merged_rows = _standing_rows(session, kept_id), _standing_rows(session, merged_id)
    before: dict[str, Any] = {}
    for kind, theirs in merged_rows.items():
        ours = kept_rows.get(kind)
        if ours is not None and ours.updated_at >= theirs.updated_at:
            continue
        before[kind] = _need_state(ours)
        row = ours or StandingNeed(customer_id=kept_id, kind=kind, updated_at=theirs.updated_at)
        row.detail, row.updated_at = theirs.detail, theirs.updated_at
        session.add(row)
    duplicate = {kind: _need_state(row) for kind, row in merged_rows.items()}
    session.flush()
    session.connection().execute(delete(StandingNeed).where(col(StandingNeed.customer_id) == merged_id))
    return {"kept_before": before, "duplicate": duplicate}


def merge_customers(ctx: ShopContext, actor: Actor, kept_id: int, merged_id: int) -> MergeView:
    """Merge the duplicate `merged_id` into `kept_id` (shift leads only); returns the merge,
    with the moment until which it can be undone."""
    with ctx.database.write() as session:
        lead = require(session, actor, Action.MERGE_CUSTOMERS)
        kept, merged = _pair(session, kept_id, merged_id)
        preview = _build_preview(session, ctx, kept, merged)
        now = ctx.now()
        connection = session.connection()
        moved: dict[str, Any] = {}
        for key, model in MOVED_ROWS.items():
            ids = list(session.exec(select(model.id).where(model.customer_id == merged_id)))
            connection.execute(update(model).where(col(model.id).in_(ids)).values(customer_id=kept_id))
            moved[key] = ids
        moved["consents"] = _move_consents(session, kept_id, merged_id)
        moved["standing_needs"] = _move_standing_needs(session, kept_id, merged_id)
        moved["preferences"] = {"kept_before": kept.preferences, "combined": preview.preferences}
        kept.preferences = preview.preferences
        merged.merged_into_id = kept_id
        session.add(kept)
        session.add(merged)
        connection.execute(delete(CustomerSearchTerm).where(col(CustomerSearchTerm.customer_id) == merged_id))
        write_search_terms(session, kept_id, kept.name_key, kept.phone_digits, kept.email)
        record = CustomerMerge(
            kept_id=kept_id,
            merged_id=merged_id,
            merged_at=now,
            merged_by=lead.id or 0,
            final_at=preview.final_at,
            moved=json.dumps(moved),
        )
        session.add(record)
        session.flush()
        assert record.id is not None
        audit.record(
            session,
            ctx,
            actor,
            "customer.merged",
            "customer",
            kept_id,
            merge_id=record.id,
            merged_id=merged_id,
            visits=len(moved["visits"]),
            notes=len(moved["notes"]),
            followups=len(moved["followups"]),
            feedback=len(moved["feedback"]),
            consents_taken=sorted(moved["consents"]["kept_before"]),
            standing_needs_taken=sorted(moved["standing_needs"]["kept_before"]),
            preferences_changed=preview.preferences_change,
            final_at=preview.final_at.isoformat(),
        )
        return MergeView(record.id, merged.name, now, lead.name, preview.final_at)


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


def _restore_consents(session: Session, kept_id: int, merged_id: int, state: dict[str, Any]) -> None:
    kept_rows = _consent_rows(session, kept_id)
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
            row.recorded_at = datetime.fromisoformat(before["recorded_at"])
            row.recorded_by = before["recorded_by"]
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
            )
        )


def _restore_standing_needs(session: Session, kept_id: int, merged_id: int, state: dict[str, Any]) -> None:
    kept_rows = _standing_rows(session, kept_id)
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
            raise Conflict("That merge has already been undone.")
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


def erase_merged_records(
    session: Session, ctx: ShopContext, customer_id: int, erased_name: Callable[[int], str]
) -> int:
    """For an erasure of `customer_id` (caller's transaction): erase the records merged
    into it too, and what their merges kept for undoing; returns how many records. The
    erasure service does the customer itself and writes the audit event."""
    merged = merged_records(session, customer_id)
    ids = [customer_id, *(row.id for row in merged if row.id is not None)]
    for row in merged:
        row.name = erased_name(row.id or 0)
        row.name_key = row.phone = row.phone_digits = row.phone_normalised = ""
        row.email = row.preferences = ""
        row.erased_at = ctx.now()
        session.add(row)
    session.connection().execute(
        update(CustomerMerge)
        .where(or_(col(CustomerMerge.kept_id).in_(ids), col(CustomerMerge.merged_id).in_(ids)))
        .values(moved="{}")
    )
    return len(merged)
