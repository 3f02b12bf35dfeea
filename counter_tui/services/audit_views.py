"""The audit log as leads read it: every recorded change, newest first, a page at a time,
filtered by customer (a name search), staff member, action and day.

Details come back as plain text ("outcome: purchase · reason: …"), for the screen to
show as it is; an event an erasure rewrote comes back marked redacted, without its
details. Paging goes by event id (the order events joined the audit chain), so a change
recorded meanwhile never shifts what the next page holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from counter_tui.db.models import AuditEvent, Customer
from counter_tui.limits import limited
from counter_tui.services import customer_search
from counter_tui.services.audit_redaction import about_customers
from counter_tui.services.audit_subjects import Subject, subject_names, subject_text
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names
from counter_tui.text import clean_text

PAGE_SIZE = 50
DETAIL_SEPARATOR = " · "


@dataclass(frozen=True)
class AuditFilter:
    """What to show: events about customers whose name contains `customer`, done by
    `staff_id`, of one `action` (e.g. "visit.claimed"), on a store-local `day`; empty
    parts do not filter."""

    customer: str = ""
    staff_id: int | None = None
    action: str = ""
    day: date | None = None

    @property
    def empty(self) -> bool:
        """Whether nothing is filtered."""
        return self == NO_FILTER


NO_FILTER = AuditFilter()
"""Every event."""


@dataclass(frozen=True)
class AuditEntry:
    """One audit event, dressed for display; `details` is plain text ("" when redacted)."""

    id: int
    at: datetime
    staff_name: str
    terminal: str
    action: str
    about: str
    """Who the event is about, by name ("Bob Jones"), or its `subject` when no person is."""
    details: str
    redacted: bool
    detail_lines: tuple[str, ...] = ()
    """Every detail, nested values indented, for the whole event ("" when redacted)."""
    subject: str = ""
    """The entity and id the audit holds ("visit 240")."""

    @property
    def about_in_full(self) -> str:
        """Who and what the event is about: "Bob Jones (visit 240)", or the subject alone."""
        if not self.subject or self.about == self.subject:
            return self.about
        return f"{self.about} ({self.subject})"


@dataclass(frozen=True)
class AuditPage:
    """Up to a page of entries, newest first, and whether older ones match too."""

    entries: tuple[AuditEntry, ...]
    has_older: bool


def audit_log(
    ctx: ShopContext,
    actor: Actor,
    filters: AuditFilter = NO_FILTER,
    *,
    before_id: int | None = None,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """The events matching `filters`, newest first, older than event `before_id` when given."""
    conditions = _conditions(ctx, filters)
    if before_id is not None:
        conditions.append(col(AuditEvent.id) < before_id)
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_AUDIT_LOG)
        names = staff_names(session)
        query = select(AuditEvent).where(*conditions).order_by(col(AuditEvent.id).desc()).limit(page_size + 1)
        rows = list(session.exec(query))
        about = subject_names(session, rows[:page_size], names)
    entries = tuple(_entry(row, names, about) for row in rows[:page_size])
    return AuditPage(entries, has_older=len(rows) > page_size)


def audit_actions(ctx: ShopContext, actor: Actor) -> tuple[str, ...]:
    """Every action the audit holds, in alphabetical order (the choices of the action filter)."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_AUDIT_LOG)
        return tuple(session.exec(select(AuditEvent.action).distinct().order_by(col(AuditEvent.action))))


def _conditions(ctx: ShopContext, filters: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    name = limited(filters.customer, "search", param="customer").lower()
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        in_name = col(Customer.name_key).like(pattern, escape="\\")
        folded = customer_search.named(name)
        matching = select(Customer.id).where(
            in_name if folded is None else or_(in_name, col(Customer.id).in_(folded))
        )
        conditions.append(about_customers(matching))
    if filters.staff_id is not None:
        conditions.append(col(AuditEvent.actor_id) == filters.staff_id)
    if filters.action:
        conditions.append(col(AuditEvent.action) == clean_text(filters.action))
    if filters.day is not None:
        start = ctx.calendar.start_of_day(filters.day)
        end = ctx.calendar.start_of_day(filters.day + timedelta(days=1))
        conditions.extend([col(AuditEvent.at) >= start, col(AuditEvent.at) < end])
    return conditions


def _entry(row: AuditEvent, names: dict[int, str], about: dict[Subject, str]) -> AuditEntry:
    subject = subject_text(row)
    return AuditEntry(
        id=row.id or 0,
        at=row.at,
        staff_name=names.get(row.actor_id or 0, ""),
        terminal=row.terminal,
        action=row.action,
        about=about.get((row.entity, row.entity_id or 0), subject),
        subject=subject,
        details="" if row.redacted else details_text(row.details),
        redacted=row.redacted,
        detail_lines=() if row.redacted else detail_lines(row.details),
    )


def details_text(details: str) -> str:
    """An event's JSON details as one plain line: `key: value · key: value` (a list or a
    mapping shows its items, comma-separated); text that is not JSON stays as it is."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return details
    if not isinstance(parsed, dict):
        return _value_text(parsed)
    return DETAIL_SEPARATOR.join(
        f"{key}: {_value_text(value)}" for key, value in parsed.items() if value not in (None, "", [], {})
    )


def detail_lines(details: str) -> tuple[str, ...]:
    """An event's JSON details in full, one `key: value` a line: a mapping's items indented
    beneath its key, a change shown `from → to`; text that is not JSON stays as it is."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return (details,)
    if not isinstance(parsed, dict):
        return (_value_text(parsed),)
    return tuple(_item_lines(parsed, ""))


def _item_lines(mapping: dict[str, Any], indent: str) -> list[str]:
    lines: list[str] = []
    for key, value in mapping.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            lines.append(f"{indent}{key}: {_shown(value['from'])} → {_shown(value['to'])}")
        elif isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines.extend(_item_lines(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {_value_text(value)}")
    return lines


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else _value_text(value)


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(str(key) for key in value)
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value)
    return str(value)
