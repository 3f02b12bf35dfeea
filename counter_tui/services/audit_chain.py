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
moves on; on PostgreSQL a transaction's one event is all of that in one statement, the
server hashing the text Python would. Locking last means a transaction holds the head
only for the moment it takes to commit, never while it waits for another lock (no
deadlocks), and event ids are handed out in chain order, so "newer id" still means
"committed later" for live sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, func, insert, text, update
from sqlmodel import Session, col, select

from counter_tui.db.models import AuditChainHead, AuditEvent
from counter_tui.db.turns import Turn, one_at_a_time

GENESIS = "0" * 64
"""The `prev_hash` of the first event of a shop."""
CHAIN_VERSION = 1
HEAD_ID = 1
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
    before, after = hashed_around(at, actor_id, terminal, action, entity, entity_id, details_hash)
    return hashlib.sha256((before + prev_hash + after).encode("utf-8")).hexdigest()


def hashed_around(
    at: datetime,
    actor_id: int | None,
    terminal: str,
    action: str,
    entity: str,
    entity_id: int | None,
    details_hash: str,
) -> tuple[str, str]:
    """The text an event's chain hash is taken of, before and after the previous event's
    hash (hex, so it needs no escaping): the canonical JSON list [version, previous hash,
    time, actor, terminal, action, entity, entity id, details hash]. PostgreSQL hashes
    `before || head || after` itself when one event is appended (`append`)."""
    tail = [utc_text(at), actor_id, terminal, action, entity, entity_id, details_hash]
    rest = json.dumps(tail, ensure_ascii=False, separators=(",", ":"))
    return f'[{CHAIN_VERSION},"', '",' + rest[1:]


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
    chain's own statements (prepared once, with no ORM unit of work). On PostgreSQL one
    event (a claim's, most changes') is one statement, one round trip (`_append_one`);
    otherwise three: the head read, one insert of all the events, the head written.
    """
    session.flush()
    connection = session.connection()
    if len(events) == 1 and connection.dialect.name == "postgresql" and _append_one(connection, events[0]):
        return
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


def _append_one(connection: Connection, event: PendingEvent) -> bool:
    """PostgreSQL: lock the head, hash the event after it, move the head on and insert the
    event, in one statement; whether it did (False: the head row is gone, nothing done).

    The head is locked (`FOR UPDATE`) before it is read: a writer that waited for it
    reads the hash its predecessor committed, as the three-statement way does; the
    server hashes the same text `link` would (`hashed_around`), and the event's id is
    taken after the lock, so ids stay in chain order.
    """
    event.details_hash = details_digest(event.details)
    before, after = hashed_around(
        event.at,
        event.actor_id,
        event.terminal,
        event.action,
        event.entity,
        event.entity_id,
        event.details_hash,
    )
    row = {name: getattr(event, name) for name in _PENDING_FIELDS if name not in ("prev_hash", "chain_hash")}
    linked = connection.execute(_APPEND_ONE, {**row, "before": before, "after": after}).first()
    if linked is None:
        return False
    event.prev_hash, event.chain_hash = linked.prev_hash, linked.chain_hash
    return True


_HEAD = AuditChainHead.__table__  # type: ignore[attr-defined]
_LOCK_HEAD = select(_HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID).with_for_update()
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == HEAD_ID)
    .values(last_hash=bindparam("last_hash"), events=_HEAD.c.events + bindparam("appended"))
)
_EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
_INSERT_EVENTS = insert(_EVENTS).values(redacted=False)
_APPEND_ONE = text(
    """
    WITH old AS (
        SELECT last_hash FROM auditchainhead WHERE id = :head FOR UPDATE
    ), moved AS (
        UPDATE auditchainhead AS head
        SET last_hash = encode(sha256(convert_to(:before || old.last_hash || :after, 'UTF8')), 'hex'),
            events = head.events + 1
        FROM old
        WHERE head.id = :head
        RETURNING old.last_hash AS prev_hash, head.last_hash AS chain_hash
    )
    INSERT INTO auditevent (at, actor_id, terminal, action, entity, entity_id, details,
                            details_hash, prev_hash, chain_hash, redacted)
    SELECT :at, :actor_id, :terminal, :action, :entity, :entity_id, :details,
           :details_hash, moved.prev_hash, moved.chain_hash, false
    FROM moved
    RETURNING prev_hash, chain_hash
    """
).bindparams(bindparam("head", HEAD_ID), bindparam("at", type_=_EVENTS.c.at.type))


def _restore_head(session: Session) -> str:
    """Put back a deleted head row after the newest event; the newest event's hash.

    The restored head counts the events there are now; the event saying it was restored
    is appended (and counted) next.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Two writers may both find the head gone; the second waits here, then finds
        # the head the first one put back.
        one_at_a_time(session, Turn.AUDIT_HEAD_RESTORE)
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
