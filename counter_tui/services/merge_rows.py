"""The rows a merge combines rather than moves: a customer's consent per channel and
standing needs per kind, where the later answer wins, each kept as it was so the
merge's undo (services/merge_undo.py) can put it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlmodel import Session, col, select

from counter_tui.db.models import ContactConsent, StandingNeed

RowT = TypeVar("RowT", ContactConsent, StandingNeed)


def consent_rows(session: Session, customer_id: int, *, lock: bool = False) -> dict[str, ContactConsent]:
    """A customer's consent rows by channel (a merge and its undo compare them); with
    `lock`, locked until the transaction ends (PostgreSQL)."""
    return {row.channel: row for row in _rows_of(session, ContactConsent, customer_id, lock)}


def standing_rows(session: Session, customer_id: int, *, lock: bool = False) -> dict[str, StandingNeed]:
    """A customer's standing needs by kind (a merge and its undo compare them); with
    `lock`, locked until the transaction ends (PostgreSQL)."""
    return {row.kind: row for row in _rows_of(session, StandingNeed, customer_id, lock)}


def _rows_of(session: Session, model: type[RowT], customer_id: int, lock: bool) -> Sequence[RowT]:
    """`model`'s rows of one customer, read as they are now and locked with `lock`."""
    statement = select(model).where(model.customer_id == customer_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.exec(statement).all()


def _consent_state(row: ContactConsent | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "granted": row.granted,
        "source": row.source,
        "recorded_at": row.recorded_at.isoformat(),
        "recorded_by": row.recorded_by,
        "by_import": row.by_import,
        "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at is not None else None,
    }


def withdrawn_at_of(state: dict[str, Any]) -> datetime | None:
    """The withdrawal a consent's kept state holds (a merge from before it was kept: none)."""
    kept = state.get("withdrawn_at")
    return datetime.fromisoformat(kept) if kept else None


def _need_state(row: StandingNeed | None) -> dict[str, Any] | None:
    return None if row is None else {"detail": row.detail, "updated_at": row.updated_at.isoformat()}


def move_consents(session: Session, kept_id: int, merged_id: int) -> dict[str, Any]:
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
        row.granted, row.source, row.by_import = theirs.granted, theirs.source, theirs.by_import
        row.recorded_at, row.recorded_by = theirs.recorded_at, theirs.recorded_by
        row.withdrawn_at = theirs.withdrawn_at
        session.add(row)
    duplicate = {channel: _consent_state(row) for channel, row in merged_rows.items()}
    session.flush()
    session.connection().execute(delete(ContactConsent).where(col(ContactConsent.customer_id) == merged_id))
    return {"kept_before": before, "duplicate": duplicate}


def move_standing_needs(session: Session, kept_id: int, merged_id: int) -> dict[str, Any]:
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
