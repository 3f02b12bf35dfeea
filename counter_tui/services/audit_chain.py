"""The shop's audit chain: how an event's hash is made, and appending a transaction's
events to the chain when it commits.

Each event's `chain_hash` is SHA-256 over the previous event's hash and the event itself
(time, actor, terminal, action, entity, and the hash of its details). Changing, inserting
or removing an event without recomputing every later hash breaks a link that
`audit_verify` finds.

Appending happens in the transaction's `before_commit`, as its last step: the
transaction's own changes are flushed, then the one chain head row is locked (`SELECT …
FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already lets one writer in at a
time), the events are linked and inserted (one statement for all of them), and the head
moves on. Locking last means a transaction holds the head only for the moment it takes
to commit, never while it waits for another lock (no deadlocks), and event ids are
handed out in chain order, so "newer id" still means "committed later" for live sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, insert, text, update
from sqlmodel import Session, col, select

from counter_tui.db.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
"""The `prev_hash` of the first event of a shop."""
CHAIN_VERSION = 1
HEAD_ID = 1
RESTORE_LOCK_KEY = 0x0C0_07E6
HEAD_RESTORED = "audit.chain_head_restored"


@dataclass(slots=True)
class PendingEvent:
    """An event recorded in a transaction that has not committed yet: a plain record,
    cheap to make (an `AuditEvent` row object costs several times as much), inserted with
    its hashes as the transaction commits."""

    at: datetime
    actor_id: int | None
    terminal: str
    action: str
    entity: str
    entity_id: int | None
    details: str
    details_hash: str = ""
    prev_hash: str = ""
    chain_hash: str = ""


_PENDING_FIELDS = tuple(field.name for field in fields(PendingEvent))


def details_digest(details: str) -> str:
    """The hash of an event's details text."""
    return hashlib.sha256(details.encode("utf-8")).hexdigest()


def utc_text(moment: datetime) -> str:
    """A moment as the chain hashes it: UTC to the microsecond (naive means UTC)."""
    aware = moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_digest(
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    terminal: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details_hash: str,
) -> str:
    """The chain hash of one event, given the previous event's hash."""
    fields = [CHAIN_VERSION, prev_hash, utc_text(at), actor_id, terminal, action, entity, entity_id]
    canonical = json.dumps([*fields, details_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def link(event: PendingEvent | AuditEvent, prev_hash: str) -> str:
    """Fill in an event's hashes after `prev_hash`; its own chain hash."""
    details_hash = details_digest(event.details)
    chain_hash = event_digest(
        prev_hash,
        event.at,
        event.actor_id,
        event.terminal,
        event.action,
        event.entity,
        event.entity_id,
        details_hash,
    )
    event.details_hash, event.prev_hash, event.chain_hash = details_hash, prev_hash, chain_hash
    return chain_hash


def append(session: Session, events: list[PendingEvent]) -> None:
    """Link `events` onto the end of the chain, insert them and move the head.

    Called while the transaction commits; the head stays locked until it has. The
    transaction's other changes are flushed first, so the head is locked only for the
    chain's own three statements: the head read, one insert of all the events, the head
    written (all prepared once, with no ORM unit of work).
    """
    session.flush()
    connection = session.connection()
    head = connection.execute(_LOCK_HEAD).first()
    if head is None:
        last = _restore_head(session)
        events = [_restored_event(events[0]), *events]
    else:
        last = head.last_hash
    for event in events:
        last = link(event, last)
    rows = [{name: getattr(event, name) for name in _PENDING_FIELDS} for event in events]
    connection.execute(_INSERT_EVENTS, rows if len(rows) > 1 else rows[0])
    connection.execute(_MOVE_HEAD, {"last_hash": last, "appended": len(events)})


_HEAD = AuditChainHead.__table__  # type: ignore[attr-defined]
_LOCK_HEAD = select(_HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(last_hash=bindparam("last_hash"), events=_HEAD.c.events + bindparam("appended"))
)
_INSERT_EVENTS = insert(AuditEvent.__table__).values(redacted=False)  # type: ignore[attr-defined]


def _restore_head(session: Session) -> str:
    """Put back a deleted head row after the newest event; the newest event's hash.

    The restored head counts the events there are now; the event saying it was restored
    is appended (and counted) next.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Two writers may both find the head gone; the second waits here, then finds
        # the head the first one put back.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RESTORE_LOCK_KEY})
        again = connection.execute(_LOCK_HEAD).first()
        if again is not None:
            return str(again.last_hash)
    newest = session.exec(select(AuditEvent.chain_hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    count = int(session.exec(select(func.count()).select_from(AuditEvent)).one())
    connection.execute(insert(_HEAD).values(id=HEAD_ID, last_hash=newest or GENESIS, events=count))
    return newest or GENESIS


def _restored_event(first: PendingEvent) -> PendingEvent:
    """The event that says the head was put back, so the audit history shows it."""
    return PendingEvent(
        at=first.at,
        actor_id=None,
        terminal=first.terminal,
        action=HEAD_RESTORED,
        entity="audit",
        entity_id=None,
        details="{}",
    )
