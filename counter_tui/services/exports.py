"""Exporting the shop's customers, visits and follow-ups as a table (a shift lead's job).

The headers are the ones a person reads in a spreadsheet and that `customers import`
reads back (Name, Phone, Email, Accepts Email Marketing …). Erased customers are never
exported: their records are left out of the customer and follow-up exports, and their
visits keep their figures without saying whose they were. Records merged into another
are left out (their visits and follow-ups moved with the merge). Times are written in
the shop's time zone with their offset. Every export writes one audit event saying who
exported what, in which format, and how many rows, after the rows are written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TextIO

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from counter_tui.db.models import Channel, ContactConsent, Customer, FollowUp, Staff, Visit, VisitNeed
from counter_tui.errors import InvalidInput
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.export_format import Cell, ExportFormat, write_table
from counter_tui.services.permissions import Action, require
from counter_tui.text import clean_text

EXPORTED = "data.exported"

CUSTOMER_HEADERS = (
    "Customer ID",
    "Name",
    "Phone",
    "Phone (international)",
    "Email",
    "Accepts Email Marketing",
    "Accepts SMS Marketing",
    "Accepts Phone Calls",
    "Preferences",
    "On File Since",
)
VISIT_HEADERS = (
    "Visit ID",
    "Arrived At",
    "Customer ID",
    "Customer Name",
    "Description",
    "Source",
    "Served By",
    "Claimed At",
    "Needs",
    "Outcome",
    "Ended At",
    "Flagged For Review",
)
FOLLOWUP_HEADERS = (
    "Follow-up ID",
    "Customer ID",
    "Customer Name",
    "Kind",
    "Channel",
    "Owner",
    "Summary",
    "Due At",
    "Status",
    "Created At",
    "Done At",
    "Outcome Note",
    "Cancel Reason",
)


class ExportKind(StrEnum):
    """What is exported."""

    CUSTOMERS = "customers"
    VISITS = "visits"
    FOLLOWUPS = "followups"


@dataclass(frozen=True)
class Period:
    """Shop days from `first` to `last`, both included (None: no limit on that side)."""

    first: date | None = None
    last: date | None = None

    def describe(self) -> str:
        """e.g. "2026-11-01 to 2026-11-30" (for the audit event)."""
        first = self.first.isoformat() if self.first else "the first day"
        return f"{first} to {self.last.isoformat() if self.last else 'today'}"


def export(
    ctx: ShopContext,
    actor: Actor,
    kind: ExportKind,
    out: TextIO,
    fmt: ExportFormat = ExportFormat.CSV,
    *,
    bom: bool = False,
    period: Period = Period(),
    destination: str = "",
) -> int:
    """Write every row of `kind` to `out` in `fmt` and audit it; a shift lead only.
    `period` limits visits to those that arrived on those shop days; `destination` (where
    the rows went, cleaned) is recorded in the audit event. Returns the rows."""
    destination = clean_text(destination)
    if period.first and period.last and period.first > period.last:
        raise InvalidInput(
            f"The period starts ({period.first.isoformat()}) after it ends ({period.last.isoformat()}).",
            field="period",
        )
    with ctx.database.read() as session:
        require(session, actor, Action.EXPORT_DATA)
        headers, rows = _TABLES[kind](session, ctx, period)
    count = write_table(out, headers, rows, fmt, bom=bom)
    out.flush()
    with ctx.database.write() as session:
        require(session, actor, Action.EXPORT_DATA)
        details: dict[str, object] = {"what": kind.value, "format": fmt.value, "rows": count}
        if kind is ExportKind.VISITS:
            details["period"] = period.describe()
        audit.record(session, ctx, actor, EXPORTED, "export", None, to=destination or "output", **details)
    return count


Table = tuple[Sequence[str], list[list[Cell]]]


def _customers(session: Session, ctx: ShopContext, _period: Period) -> Table:
    consents: dict[int, dict[str, bool]] = {}
    for consent in session.exec(select(ContactConsent)):
        consents.setdefault(consent.customer_id, {})[consent.channel] = consent.granted
    rows: list[list[Cell]] = []
    for customer in session.exec(_on_file().order_by(col(Customer.id))):
        said = consents.get(customer.id or 0, {})
        rows.append(
            [
                customer.id,
                customer.name,
                customer.phone,
                customer.phone_normalised,
                customer.email,
                said.get(Channel.EMAIL),
                said.get(Channel.SMS),
                said.get(Channel.PHONE),
                customer.preferences,
                _when(ctx, customer.created_at),
            ]
        )
    return CUSTOMER_HEADERS, rows


def _visits(session: Session, ctx: ShopContext, period: Period) -> Table:
    query = select(Visit).order_by(col(Visit.arrived_at), col(Visit.id))
    if period.first is not None:
        query = query.where(col(Visit.arrived_at) >= ctx.calendar.start_of_day(period.first))
    if period.last is not None:
        next_day = ctx.calendar.start_of_day(period.last + timedelta(days=1))
        query = query.where(col(Visit.arrived_at) < next_day)
    visits = list(session.exec(query))
    staff = _staff_names(session)
    names = _names_on_file(session)
    needs: dict[int, list[str]] = {}
    visit_ids = [visit.id for visit in visits]
    for need in session.exec(select(VisitNeed).where(col(VisitNeed.visit_id).in_(visit_ids))):
        needs.setdefault(need.visit_id, []).append(need.kind)
    rows: list[list[Cell]] = []
    for visit in visits:
        on_file = visit.customer_id in names
        rows.append(
            [
                visit.id,
                _when(ctx, visit.arrived_at),
                visit.customer_id if on_file else None,
                names.get(visit.customer_id or 0, ""),
                visit.description if on_file or visit.customer_id is None else "",
                visit.source,
                staff.get(visit.owner_id or 0, ""),
                _when(ctx, visit.claimed_at),
                ", ".join(sorted(set(needs.get(visit.id or 0, [])))),
                visit.outcome or "",
                _when(ctx, visit.ended_at),
                visit.flagged_for_review,
            ]
        )
    return VISIT_HEADERS, rows


def _followups(session: Session, ctx: ShopContext, _period: Period) -> Table:
    staff = _staff_names(session)
    names = _names_on_file(session)
    rows: list[list[Cell]] = []
    for followup in session.exec(select(FollowUp).order_by(col(FollowUp.due_at), col(FollowUp.id))):
        if followup.customer_id not in names:
            continue
        rows.append(
            [
                followup.id,
                followup.customer_id,
                names[followup.customer_id],
                followup.kind,
                followup.channel,
                staff.get(followup.owner_id, ""),
                followup.summary,
                _when(ctx, followup.due_at),
                followup.status,
                _when(ctx, followup.created_at),
                _when(ctx, followup.done_at),
                followup.outcome_note,
                followup.cancel_reason,
            ]
        )
    return FOLLOWUP_HEADERS, rows


_TABLES = {
    ExportKind.CUSTOMERS: _customers,
    ExportKind.VISITS: _visits,
    ExportKind.FOLLOWUPS: _followups,
}


def _on_file() -> SelectOfScalar[Customer]:
    """Customers on file: not erased, not merged into another record."""
    return select(Customer).where(col(Customer.erased_at).is_(None), col(Customer.merged_into_id).is_(None))


def _names_on_file(session: Session) -> dict[int, str]:
    return {customer.id or 0: customer.name for customer in session.exec(_on_file())}


def _staff_names(session: Session) -> dict[int, str]:
    return {person.id or 0: person.name for person in session.exec(select(Staff))}


def _when(ctx: ShopContext, moment: datetime | None) -> str:
    """A time in the shop's zone, ISO 8601 with its offset; '' for none."""
    return ctx.calendar.local(moment).isoformat() if moment is not None else ""
