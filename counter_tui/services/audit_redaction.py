"""What an erasure takes out of earlier audit events.

Events *about* the erased customer (their record, and their visits, follow-ups,
hand-offs and feedback) keep their shape, ids, numbers and the words the app itself
writes (kinds, outcomes, channels, staff names); every other text in them (a name, a
need's detail, a reason, a note) becomes "[erased]". Any other event whose text mentions
the customer's name, phone or email has just those words replaced. Events of the audit
trail itself (`audit.*`) are never rewritten.

The events are found with indexed queries on (entity, entity_id); the one full scan, for
mentions in unrelated events, runs in a read transaction before the erasure's write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select

from counter_tui.db.models import AuditEvent, Customer, Feedback, FollowUp, HandoffRequest, Visit
from counter_tui.services.context import ShopContext

ERASED = "[erased]"
SAFE_KEYS = frozenset(
    {
        "kind", "channel", "outcome", "status", "kiosk", "owner", "topic", "topics", "needs",
        "added", "cleared", "due_at", "day", "role", "changed", "till",
    }
)  # fmt: skip
"""Detail keys whose text the app writes itself, never the customer or staff (`changed`:
the names of the fields an update changed; `till`: which till an import read)."""
SHORTEST_TERM = 4
"""Shorter names or numbers are not searched for in unrelated events (too many false hits)."""


@dataclass(frozen=True)
class PersonalData:
    """The records being erased and the words that identify them (lowercase)."""

    customer_ids: tuple[int, ...]
    terms: tuple[str, ...]


def personal_data(session: Session, customer_ids: Iterable[int]) -> PersonalData:
    """The names, phones and emails of these customer records, before they are erased."""
    ids = tuple(customer_ids)
    terms: set[str] = set()
    for customer in session.exec(select(Customer).where(col(Customer.id).in_(ids))):
        known = (
            customer.name,
            customer.email,
            customer.phone,
            customer.phone_digits,
            customer.phone_normalised,
        )
        terms.update(value.strip().lower() for value in known if len(value.strip()) >= SHORTEST_TERM)
    return PersonalData(ids, tuple(sorted(terms, key=len, reverse=True)))


def events_mentioning(ctx: ShopContext, terms: tuple[str, ...]) -> set[int]:
    """Ids of events whose details mention any of `terms` (a full scan; outside writes)."""
    if not terms:
        return set()
    details = func.lower(AuditEvent.details)
    query = select(AuditEvent.id).where(
        or_(*(details.contains(term, autoescape=True) for term in terms)),
        col(AuditEvent.action).not_like("audit.%"),
    )
    with ctx.database.read() as session:
        return {event_id for event_id in session.exec(query) if event_id is not None}


def redactions(session: Session, data: PersonalData, mentioning: set[int]) -> dict[int, str]:
    """New details for every earlier event that holds the customers' personal data."""
    about = _events_about(session, data.customer_ids)
    wanted = about | mentioning
    if not wanted:
        return {}
    pattern = _terms_pattern(data.terms)
    rewrites: dict[int, str] = {}
    rows = session.exec(
        select(AuditEvent.id, AuditEvent.details).where(
            col(AuditEvent.id).in_(wanted), col(AuditEvent.action).not_like("audit.%")
        )
    )
    for event_id, details in rows:
        if event_id is None:
            continue
        rewritten = _scrub_all(details) if event_id in about else _scrub_terms(details, pattern)
        if rewritten != details:
            rewrites[event_id] = rewritten
    return rewrites


def _events_about(session: Session, customer_ids: tuple[int, ...]) -> set[int]:
    """Events whose entity is one of the customers or one of their visits, follow-ups,
    hand-off requests or feedback."""
    query = select(AuditEvent.id).where(about_customers(customer_ids))
    return {event_id for event_id in session.exec(query) if event_id is not None}


def about_customers(customer_ids: Any) -> ColumnElement[bool]:
    """The condition "this audit event is about one of these customers": its entity is
    the customer or one of their visits, follow-ups, hand-off requests or feedback.
    `customer_ids` is a collection of ids or a subquery selecting them."""
    visits = select(Visit.id).where(col(Visit.customer_id).in_(customer_ids))
    owed = select(FollowUp.id).where(col(FollowUp.customer_id).in_(customer_ids))
    said = select(Feedback.id).where(col(Feedback.customer_id).in_(customer_ids))
    handoffs = select(HandoffRequest.id).where(col(HandoffRequest.visit_id).in_(visits))
    entity, entity_id = col(AuditEvent.entity), col(AuditEvent.entity_id)
    return or_(
        and_(entity == "customer", entity_id.in_(customer_ids)),
        and_(entity == "visit", entity_id.in_(visits)),
        and_(entity == "followup", entity_id.in_(owed)),
        and_(entity == "feedback", entity_id.in_(said)),
        and_(entity == "handoff", entity_id.in_(handoffs)),
    )


def _scrub_all(details: str) -> str:
    """Every text the app did not write itself becomes "[erased]"."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return json.dumps({"details": ERASED})
    return json.dumps(_scrub_value(parsed, ""), ensure_ascii=False)


def _scrub_value(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return {name: _scrub_value(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_scrub_value(item, key) for item in value]
    if isinstance(value, str) and value and key not in SAFE_KEYS:
        return ERASED
    return value


def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def _scrub_terms(details: str, pattern: re.Pattern[str] | None) -> str:
    """The customers' names, phones and emails replaced wherever they appear."""
    if pattern is None:
        return details
    try:
        parsed = json.loads(details)
    except ValueError:
        return pattern.sub(ERASED, details)
    return json.dumps(_replace_terms(parsed, pattern), ensure_ascii=False)


def _replace_terms(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, dict):
        return {name: _replace_terms(item, pattern) for name, item in value.items()}
    if isinstance(value, list):
        return [_replace_terms(item, pattern) for item in value]
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    return value
