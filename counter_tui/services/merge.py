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

**What the lead was shown.** The preview carries what it shows (`MergePreview.seen`), and
the merge takes that back: it merges exactly that, or refuses with one sentence saying
what changed (services/merge_seen.py), so nothing moves that the lead was told would not.

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
    Customer,
    CustomerMerge,
    CustomerNote,
    CustomerSearchTerm,
    Feedback,
    FollowUp,
    FollowUpStatus,
    Staff,
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
from counter_tui.services.merge_rows import consent_rows, move_consents, move_standing_needs, standing_rows
from counter_tui.services.merge_seen import (
    RACED,
    ConsentOutcome,
    MergeChanged,
    MergeSeen,
    already_merged,
    what_changed,
)
from counter_tui.services.permissions import Action, require

MOVED_ROWS: dict[str, Any] = {
    "visits": Visit,
    "notes": CustomerNote,
    "followups": FollowUp,
    "feedback": Feedback,
}


@dataclass(frozen=True)
class MergePreview:
    """What a merge will change, shown to the lead before it happens; `seen` is what it
    shows, for `merge_customers` to merge exactly that or refuse."""

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
    seen: MergeSeen
    phone_taken: str = ""
    email_taken: str = ""
    kept_contact: str = ""
    """The kept record's phone, else its email (told apart from a namesake by it)."""
    merged_contact: str = ""


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


def _ids(session: Session, model: Any, customer_id: int) -> tuple[int, ...]:
    statement = select(model.id).where(model.customer_id == customer_id).order_by(model.id)
    return tuple(session.exec(statement))


def _followups(session: Session, customer_id: int) -> tuple[tuple[int, bool], ...]:
    """The customer's follow-ups, each with whether it is open."""
    statement = select(FollowUp.id, FollowUp.status).where(FollowUp.customer_id == customer_id)
    rows = session.exec(statement.order_by(col(FollowUp.id)))
    return tuple((row_id or 0, status == FollowUpStatus.OPEN) for row_id, status in rows)


def _build_preview(
    session: Session, ctx: ShopContext, kept: Customer, merged: Customer, *, lock: bool = False
) -> MergePreview:
    """What merging `merged` into `kept` would do, read now (with `lock`, the consents and
    needs it compares locked, for the merge that follows in this transaction). Remembered
    needs are those the kept record takes: the duplicate's newer ones."""
    assert kept.id is not None and merged.id is not None
    kept_consents = consent_rows(session, kept.id, lock=lock)
    consents = []
    for channel, theirs in sorted(consent_rows(session, merged.id, lock=lock).items()):
        ours = kept_consents.get(channel)
        wins = ours is None or theirs.recorded_at > ours.recorded_at
        chosen = theirs if wins else ours
        assert chosen is not None
        consents.append(ConsentOutcome(channel, chosen.granted, chosen.source, chosen.recorded_at, wins))
    kept_needs = standing_rows(session, kept.id, lock=lock)
    needs = tuple(
        (kind, theirs.detail)
        for kind, theirs in sorted(standing_rows(session, merged.id, lock=lock).items())
        if kind not in kept_needs or theirs.updated_at > kept_needs[kind].updated_at
    )
    combined = combine_preferences(kept.preferences, merged.preferences)
    seen = MergeSeen(
        kept_id=kept.id,
        merged_id=merged.id,
        kept_name=kept.name,
        merged_name=merged.name,
        visits=_ids(session, Visit, merged.id),
        notes=_ids(session, CustomerNote, merged.id),
        followups=_followups(session, merged.id),
        feedback=_ids(session, Feedback, merged.id),
        consents=tuple(consents),
        standing_needs=needs,
        preferences=combined,
        phone_taken=merged.phone if not kept.phone else "",
        email_taken=merged.email if not kept.email else "",
    )
    return MergePreview(
        kept_id=kept.id,
        kept_name=kept.name,
        merged_id=merged.id,
        merged_name=merged.name,
        visits=len(seen.visits),
        notes=len(seen.notes),
        open_followups=sum(1 for _row, is_open in seen.followups if is_open),
        other_followups=sum(1 for _row, is_open in seen.followups if not is_open),
        feedback=len(seen.feedback),
        consents=seen.consents,
        standing_needs=tuple(need_label(kind) for kind, _detail in needs),
        preferences=combined,
        preferences_change=combined != kept.preferences.strip(),
        final_at=merge_final_at(ctx.calendar, ctx.now()),
        seen=seen,
        phone_taken=seen.phone_taken,
        email_taken=seen.email_taken,
        kept_contact=kept.phone or kept.email,
        merged_contact=merged.phone or merged.email,
    )


def preview_merge(ctx: ShopContext, actor: Actor, kept_id: int, merged_id: int) -> MergePreview:
    """What merging `merged_id` into `kept_id` would move and change (nothing is written);
    its `seen` is what `merge_customers` merges."""
    with ctx.database.read() as session:
        require(session, actor, Action.MERGE_CUSTOMERS)
        kept, merged = _pair(session, kept_id, merged_id)
        return _build_preview(session, ctx, kept, merged)


def _take_contact(kept: Customer, merged: Customer, preview: MergePreview) -> dict[str, str]:
    """Give the kept record the duplicate's phone or email where it has none (its consent
    for that channel may come with the merge); what was taken, for an undo."""
    if preview.phone_taken:
        kept.phone, kept.phone_digits = merged.phone, merged.phone_digits
        kept.phone_normalised = merged.phone_normalised
    if preview.email_taken:
        kept.email = merged.email
    return {"phone": preview.phone_taken, "email": preview.email_taken}


def merge_customers(ctx: ShopContext, actor: Actor, seen: MergeSeen) -> MergeView:
    """Merge the duplicate into the kept record as the lead was shown it (`seen`, from
    `preview_merge`; shift leads only); returns the merge, with the moment until which it
    can be undone. If what would move or change is no longer what was shown, nothing is
    merged and MergeChanged says what changed, with the preview as it is now."""
    try:
        with ctx.database.write() as session:
            lead = require(session, actor, Action.MERGE_CUSTOMERS)
            kept, merged = _locked_pair(session, ctx, seen)
            preview = _build_preview(session, ctx, kept, merged, lock=True)
            changed = what_changed(seen, preview)
            if changed is not None:
                raise changed
            return _merge(session, ctx, actor, lead, kept, merged, preview)
    except _Raced:
        with ctx.database.read() as session:
            now = _build_preview(session, ctx, *_pair(session, seen.kept_id, seen.merged_id))
            raise what_changed(seen, now) or MergeChanged(RACED, now) from None


class _Raced(Exception):
    """The rows a merge moved were not those it checked for (rolled back)."""


def _locked_pair(session: Session, ctx: ShopContext, seen: MergeSeen) -> tuple[Customer, Customer]:
    """Both records, locked until the merge commits (PostgreSQL: nothing can be added to
    either meanwhile, and a second merge of either waits for this one); a duplicate merged
    since the dialog opened is refused with who merged it."""
    session.exec(
        select(Customer)
        .where(col(Customer.id).in_([seen.kept_id, seen.merged_id]))
        .order_by(col(Customer.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    duplicate = session.get(Customer, seen.merged_id)
    if duplicate is not None and duplicate.erased_at is None and duplicate.merged_into_id is not None:
        raise already_merged(session, ctx, seen.merged_id, duplicate.name)
    return _pair(session, seen.kept_id, seen.merged_id)


def _move_rows(session: Session, seen: MergeSeen) -> dict[str, Any]:
    """Give the kept record every visit, note, follow-up and piece of feedback of the
    duplicate; they must be the ones the lead was shown (else _Raced, all rolled back)."""
    moved: dict[str, Any] = {}
    connection = session.connection()
    for key, model in MOVED_ROWS.items():
        statement = update(model).where(model.customer_id == seen.merged_id).values(customer_id=seen.kept_id)
        if model is FollowUp:
            rows = connection.execute(statement.returning(col(FollowUp.id), col(FollowUp.status))).all()
            found = tuple(sorted((row_id, status == FollowUpStatus.OPEN) for row_id, status in rows))
            if found != seen.followups:
                raise _Raced
            moved[key] = [row_id for row_id, _open in found]
        else:
            moved[key] = sorted(connection.execute(statement.returning(model.id)).scalars())
            if tuple(moved[key]) != getattr(seen, key):
                raise _Raced
    return moved


def _merge(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    lead: Staff,
    kept: Customer,
    merged: Customer,
    preview: MergePreview,
) -> MergeView:
    """Merge `merged` into `kept` as `preview` (checked: what the lead was shown) says,
    with its audit event, in the caller's transaction."""
    kept_id, merged_id = preview.kept_id, preview.merged_id
    now = ctx.now()
    moved = _move_rows(session, preview.seen)
    moved["consents"] = move_consents(session, kept_id, merged_id)
    moved["standing_needs"] = move_standing_needs(session, kept_id, merged_id)
    moved["preferences"] = {"kept_before": kept.preferences, "combined": preview.preferences}
    kept.preferences = preview.preferences
    moved["contact"] = _take_contact(kept, merged, preview)
    merged.merged_into_id = kept_id
    session.add(kept)
    session.add(merged)
    terms = delete(CustomerSearchTerm).where(col(CustomerSearchTerm.customer_id) == merged_id)
    session.connection().execute(terms)
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
