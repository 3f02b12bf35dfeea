"""Checking the audit chain: walk every event oldest first, recompute each hash, and
name each event that was changed, inserted or removed outside the app.

An event is *sound* when its stored hash matches its content and the previous hash it
names (and, unless redacted, its details match their hash). A sound event that names a
different previous hash than the event before it means events were removed in between;
an unsound one the chain goes on past as if it were not there was inserted; any other
unsound one was changed. A redacted event is vouched for by a later `audit.redacted`
event holding the hash of its new details. At the end, the chain head (the newest hash
and the number of events, kept in their own row) tells whether the newest events went.

This detects edits made with the database file or a SQL prompt. Someone who recomputes
every later hash, and the head, could rewrite history unnoticed by the chain alone; a head
written down earlier (`audit verify` prints it) and given back as `earlier_head` catches
that: the chain must still pass through it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter_tui.db.models import AuditChainHead, AuditEvent
from counter_tui.errors import InvalidInput
from counter_tui.sentences import counted
from counter_tui.services import audit, audit_chain
from counter_tui.services.context import ShopContext
from counter_tui.text import one_line

READ_BATCH = 2_000
EARLIER_HEAD_MIN = 16


@dataclass(frozen=True)
class EventRef:
    """Which event: its id, when it was written and what it records."""

    event_id: int
    at: datetime
    action: str

    def describe(self, ctx: ShopContext) -> str:
        """`#42 (2026-11-20 11:00:05, customer.created)`, in the shop's time zone."""
        local = ctx.calendar.local(self.at)
        return f"#{self.event_id} ({local:%Y-%m-%d %H:%M:%S}, {one_line(self.action, 60)})"


@dataclass(frozen=True)
class Problem:
    """One break in the chain; `kind` is changed, inserted, removed (just before the
    event), removed_newest (after the event), head_missing, head_changed or rewritten
    (an earlier head is no longer in the chain)."""

    kind: str
    event: EventRef | None
    sentence: str
    count: int = 0

    @property
    def event_id(self) -> int | None:
        """The event named, if any."""
        return self.event.event_id if self.event else None

    @property
    def action(self) -> str:
        """What the named event records."""
        return self.event.action if self.event else ""


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: how many events the chain holds, its newest event and
    head hash, and every problem, first (oldest) first."""

    events: int
    newest: EventRef | None
    head: str
    problems: tuple[Problem, ...]

    @property
    def intact(self) -> bool:
        """Whether nothing was changed, inserted or removed."""
        return not self.problems


@dataclass
class _Link:
    ref: EventRef
    prev_hash: str
    chain_hash: str
    sound: bool
    redacted: bool
    details_now: str
    claims: dict[int, str] = field(default_factory=dict)


def verify_chain(ctx: ShopContext, *, earlier_head: str | None = None) -> ChainReport:
    """Walk the whole audit chain and report what is wrong with it, if anything.

    `earlier_head` (a head hash written down before, or its first 16 or more characters)
    must still be a link of the chain, or the history up to it was rewritten.
    """
    anchor = _anchor(earlier_head)
    with ctx.database.read() as session:
        _one_snapshot(session, ctx)
        head = session.get(AuditChainHead, audit_chain.HEAD_ID)
        walk = _Walk(ctx, anchor)
        for found in _links(session):
            walk.see(found)
        return walk.finish(head)


def _anchor(earlier_head: str | None) -> str:
    if earlier_head is None:
        return ""
    anchor = earlier_head.strip().lower()
    if not EARLIER_HEAD_MIN <= len(anchor) <= 64 or any(ch not in "0123456789abcdef" for ch in anchor):
        raise InvalidInput(
            f"A chain head is {EARLIER_HEAD_MIN} to 64 of the characters 0-9 and a-f, "
            "as printed by an earlier audit verify."
        )
    return anchor


def _one_snapshot(session: Session, ctx: ShopContext) -> None:
    """Read every event and the head as of one moment (SQLite's read transaction
    already is one snapshot; PostgreSQL needs REPEATABLE READ for that)."""
    if not ctx.database.is_sqlite:
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _links(session: Session) -> Iterator[_Link]:
    query = select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=READ_BATCH)
    for event in session.exec(query):
        expected = audit_chain.event_digest(
            event.prev_hash,
            event.at,
            event.actor_id,
            event.terminal,
            event.action,
            event.entity,
            event.entity_id,
            event.details_hash,
        )
        details_now = audit_chain.details_digest(event.details)
        sound = expected == event.chain_hash and (event.redacted or details_now == event.details_hash)
        yield _Link(
            ref=EventRef(event.id or 0, event.at, event.action),
            prev_hash=event.prev_hash,
            chain_hash=event.chain_hash,
            sound=sound,
            redacted=event.redacted,
            details_now=details_now,
            claims=_claims(event) if sound and event.action == audit.REDACTED_ACTION else {},
        )


def _claims(event: AuditEvent) -> dict[int, str]:
    """The events an `audit.redacted` event vouches for, with their new details' hash."""
    try:
        listed: Any = json.loads(event.details).get("events", {})
        return {int(event_id): str(claim) for event_id, claim in listed.items()}
    except (ValueError, AttributeError, TypeError):
        return {}


class _Walk:
    """The state of one walk along the chain, one event at a time."""

    def __init__(self, ctx: ShopContext, anchor: str) -> None:
        self.ctx = ctx
        self.anchor = anchor
        self.anchor_seen = False
        self.expected = audit_chain.GENESIS
        self.before_last = audit_chain.GENESIS
        self.last: EventRef | None = None
        self.count = 0
        self.suspect: _Link | None = None
        self.redacted: list[_Link] = []
        self.claims: dict[int, tuple[int, str]] = {}
        self.problems: list[Problem] = []

    def see(self, found: _Link) -> None:
        """Take the next event (by id)."""
        if self.suspect is not None:
            self._judge(self.suspect, follows=found.prev_hash)
            self.suspect = None
        if not found.sound:
            self.suspect = found  # changed or inserted: the next event tells which
            return
        if found.prev_hash != self.expected:
            if self.last is not None and found.prev_hash == self.before_last:
                # The event before this one was slipped in with a well-made hash.
                self._problem("inserted", self.last, "was inserted: it is not part of the audit chain")
                self.count -= 1
            else:
                self._problem("removed", found.ref, "", prefix="Audit events were removed just before")
        self._accept(found)

    def finish(self, head: AuditChainHead | None) -> ChainReport:
        """Check the end of the chain against the head, and the redactions."""
        if self.suspect is not None:
            self._judge(self.suspect, follows=head.last_hash if head else None)
        for link in self.redacted:
            claim = self.claims.get(link.ref.event_id)
            if claim is None or claim[1] != link.details_now[: audit.CLAIM_LENGTH]:
                self._problem("changed", link.ref, "was changed after it was written")
        self.problems.sort(key=lambda p: p.event_id if p.event_id is not None else 1 << 62)
        self._check_head(head)
        if self.anchor and not self.anchor_seen:
            sentence = (
                "The chain no longer passes through the head you gave: the history up to it "
                "was rewritten, or that head is from another shop."
            )
            self.problems.append(Problem("rewritten", None, sentence))
        return ChainReport(self.count, self.last, self.expected, tuple(self.problems))

    def _judge(self, suspect: _Link, follows: str | None) -> None:
        if follows == self.expected:
            self._problem("inserted", suspect.ref, "was inserted: it is not part of the audit chain")
            return
        self._problem("changed", suspect.ref, "was changed after it was written")
        self._accept(suspect)
        if follows is not None:
            self.expected = follows

    def _accept(self, found: _Link) -> None:
        self.before_last, self.expected = self.expected, found.chain_hash
        self.last = found.ref
        self.count += 1
        if self.anchor and found.chain_hash.startswith(self.anchor):
            self.anchor_seen = True
        if found.redacted:
            self.redacted.append(found)
        for event_id, claim in found.claims.items():
            if event_id < found.ref.event_id:
                self.claims[event_id] = (found.ref.event_id, claim)

    def _check_head(self, head: AuditChainHead | None) -> None:
        if head is None:
            self.problems.append(
                Problem(
                    "head_missing",
                    None,
                    "The audit chain head was removed, so the newest events cannot be checked.",
                )
            )
            return
        if head.last_hash == self.expected and (head.events == self.count or self.problems):
            return
        if head.events > self.count and head.last_hash != self.expected and self.last is not None:
            missing = head.events - self.count
            were = "were" if missing != 1 else "was"
            where = self.last.describe(self.ctx)
            removed = f"The {counted(missing, 'newest audit event')} {were} removed"
            sentence = f"{removed} (the chain now ends at {where})."
            self.problems.append(Problem("removed_newest", self.last, sentence, count=missing))
            return
        self.problems.append(
            Problem(
                "head_changed",
                self.last,
                "The audit chain head does not match the newest events: one of them was changed.",
            )
        )

    def _problem(self, kind: str, ref: EventRef, what: str, *, prefix: str = "") -> None:
        where = ref.describe(self.ctx)
        sentence = f"{prefix} {where}." if prefix else f"Audit event {where} {what}."
        self.problems.append(Problem(kind, ref, sentence))
