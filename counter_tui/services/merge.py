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

Undoing (services/merge_undo.py) puts back what the merge moved and nothing else; what
the merge moved is kept with it (`CustomerMerge.moved`) for that. Every merge and undo
writes its audit event in the same transaction.
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
from counter_tui.errors import Conflict, InvalidInput
from counter_tui.services import audit
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_search import write_search_terms
from counter_tui.services.customers import load_customer, merged_records
from counter_tui.services.labels import need_label
from counter_tui.services.linking import combine_preferences
from counter_tui.services.permissions import Action, require

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
    phone_taken: str = ""
    email_taken: str = ""


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


def consent_rows(session: Session, customer_id: int) -> dict[str, ContactConsent]:
    """A customer's consent rows by channel (a merge and its undo compare them)."""
    rows = session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
    return {row.channel: row for row in rows}


def standing_rows(session: Session, customer_id: int) -> dict[str, StandingNeed]:
    """A customer's standing needs by kind (a merge and its undo compare them)."""
    rows = session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
    return {row.kind: row for row in rows}


def _count(session: Session, model: Any, customer_id: int, *conditions: Any) -> int:
    statement = select(func.count()).select_from(model).where(model.customer_id == customer_id, *conditions)
    return int(session.exec(statement).one())


def _build_preview(session: Session, ctx: ShopContext, kept: Customer, merged: Customer) -> MergePreview:
    assert kept.id is not None and merged.id is not None
    kept_consents = consent_rows(session, kept.id)
    consents = []
    for channel, theirs in sorted(consent_rows(session, merged.id).items()):
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
        standing_needs=tuple(need_label(kind) for kind in sorted(standing_rows(session, merged.id))),
        preferences=combined,
        preferences_change=combined != kept.preferences.strip(),
        final_at=merge_final_at(ctx.calendar, ctx.now()),
        phone_taken=merged.phone if not kept.phone else "",
        email_taken=merged.email if not kept.email else "",
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
    kept_rows, merged_rows = consent_rows(session, kept_id), consent_rows(session, merged_id)
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
    kept_rows, merged_rows = standing_rows(session, kept_id), standing_rows(session, merged_id)
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


def _take_contact(kept: Customer, merged: Customer, preview: MergePreview) -> dict[str, str]:
    """Give the kept record the duplicate's phone or email where it has none (its consent
    for that channel may come with the merge); what was taken, for an undo."""
    if preview.phone_taken:
        kept.phone, kept.phone_digits = merged.phone, merged.phone_digits
        kept.phone_normalised = merged.phone_normalised
    if preview.email_taken:
        kept.email = merged.email
    return {"phone": preview.phone_taken, "email": preview.email_taken}


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
        moved["contact"] = _take_contact(kept, merged, preview)
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
            took_phone=bool(preview.phone_taken),
            took_email=bool(preview.email_taken),
            final_at=preview.final_at.isoformat(),
        )
        return MergeView(record.id, merged.name, now, lead.name, preview.final_at)


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
