"""Who each audit event is about, by name, so a lead reads "Bob Jones" rather than
"visit 240": the customer of a visit, follow-up, feedback or hand-off (a walk-in nobody
named by its description), or the staff member (the one thanked, for kudos). Names are
read for a page of events at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from counter_tui.db.models import AuditEvent, Customer, Feedback, FollowUp, HandoffRequest, Kudos, Visit
from counter_tui.services.queries import ANONYMOUS

Subject = tuple[str, int]
"""An event's entity and its id, e.g. ("visit", 240)."""


def subject_text(row: AuditEvent) -> str:
    """The event's entity and id as the audit holds them ("visit 240"), or the entity alone."""
    return f"{row.entity} {row.entity_id}" if row.entity_id is not None else row.entity


def subject_names(session: Session, rows: Iterable[AuditEvent], staff: dict[int, str]) -> dict[Subject, str]:
    """The name each event of `rows` is about, by (entity, id); an event with no person
    behind it (a setting, an import) or whose record is gone is left out."""
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.entity_id is not None:
            ids[row.entity].add(row.entity_id)
    visit_ids = set(ids["visit"])
    handoff_visits = _pairs(session, HandoffRequest, col(HandoffRequest.visit_id), ids["handoff"])
    visit_ids.update(handoff_visits.values())
    visit_customers, descriptions = _visits(session, visit_ids)
    followup_customers = _pairs(session, FollowUp, col(FollowUp.customer_id), ids["followup"])
    feedback_customers = _pairs(session, Feedback, col(Feedback.customer_id), ids["feedback"])
    kudos_staff = _pairs(session, Kudos, col(Kudos.to_staff_id), ids["kudos"])
    customer_ids = (
        ids["customer"]
        | set(visit_customers.values())
        | set(followup_customers.values())
        | set(feedback_customers.values())
    )
    customers = _customer_names(session, customer_ids)

    def visit_name(visit_id: int) -> str | None:
        customer_id = visit_customers.get(visit_id)
        if customer_id is not None:
            return customers.get(customer_id)
        if visit_id not in descriptions:
            return None
        return descriptions[visit_id] or ANONYMOUS

    found: dict[Subject, str | None] = {}
    for customer_id in ids["customer"]:
        found[("customer", customer_id)] = customers.get(customer_id)
    for visit_id in ids["visit"]:
        found[("visit", visit_id)] = visit_name(visit_id)
    for handoff_id, visit_id in handoff_visits.items():
        found[("handoff", handoff_id)] = visit_name(visit_id)
    for kind, owners in (("followup", followup_customers), ("feedback", feedback_customers)):
        for entity_id, customer_id in owners.items():
            found[(kind, entity_id)] = customers.get(customer_id)
    for staff_id in ids["staff"]:
        found[("staff", staff_id)] = staff.get(staff_id)
    for kudos_id, staff_id in kudos_staff.items():
        found[("kudos", kudos_id)] = staff.get(staff_id)
    return {subject: name for subject, name in found.items() if name}


def _pairs(session: Session, model: type, column: object, entity_ids: set[int]) -> dict[int, int]:
    """`column` of the rows of `model` with these ids, by id (rows without one left out)."""
    if not entity_ids:
        return {}
    model_id = col(model.id)  # type: ignore[attr-defined]
    rows = session.exec(select(model_id, column).where(model_id.in_(entity_ids)))  # type: ignore[call-overload]
    return {row_id: value for row_id, value in rows if value is not None}


def _visits(session: Session, visit_ids: set[int]) -> tuple[dict[int, int], dict[int, str]]:
    """Each visit's customer id (when on file) and its description."""
    if not visit_ids:
        return {}, {}
    rows = session.exec(
        select(Visit.id, Visit.customer_id, Visit.description).where(col(Visit.id).in_(visit_ids))
    )
    customers: dict[int, int] = {}
    descriptions: dict[int, str] = {}
    for visit_id, customer_id, description in rows:
        if visit_id is None:
            continue
        if customer_id is not None:
            customers[visit_id] = customer_id
        descriptions[visit_id] = description
    return customers, descriptions


def _customer_names(session: Session, customer_ids: set[int]) -> dict[int, str]:
    """The customers' names (an erased customer's is "erased customer #12" by then)."""
    if not customer_ids:
        return {}
    rows = session.exec(select(Customer.id, Customer.name).where(col(Customer.id).in_(customer_ids)))
    return {customer_id: name for customer_id, name in rows if customer_id is not None}
