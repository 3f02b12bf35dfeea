"""Finding a customer already on file with the same phone number or email, so a walk-in
is linked to their record instead of becoming a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from counter_tui.db.models import Customer
from counter_tui.errors import Conflict
from counter_tui.sentences import counted

CANDIDATES_MAX = 5


@dataclass(frozen=True)
class DuplicateCandidate:
    """A customer on file who may be the person being put on file, and why."""

    customer_id: int
    name: str
    phone: str
    email: str
    on_file_since: datetime
    same_phone: bool
    same_email: bool


class PossibleDuplicate(Conflict):
    """Putting someone on file (or correcting a record's phone or email, `correcting`) was
    stopped because customers with the same phone number or email are on file already;
    the UI offers to link the visit to one of them (or, with no visit, `on_visit=False`,
    to open their record) or to go ahead."""

    def __init__(
        self, candidates: tuple[DuplicateCandidate, ...], *, on_visit: bool = True, correcting: bool = False
    ) -> None:
        first = candidates[0]
        what = "phone number" if first.same_phone else "email"
        anyway = "save the change anyway" if correcting else "create a new customer anyway"
        if len(candidates) == 1:
            offer = "Link this visit to them" if on_visit else "Open their record"
            if correcting:
                offer += " (to merge them if they are one person)"
            message = f"{first.name} is on file with the same {what}. {offer}, or {anyway}."
        else:
            offer = "Link this visit to one of them" if on_visit else "Open one of their records"
            message = (
                f"{counted(len(candidates), 'customer')} on file have the same phone number or email. "
                f"{offer}, or {anyway}."
            )
        super().__init__(message)
        self.candidates = candidates


def kept_record(session: Session, customer: Customer) -> Customer | None:
    """The record a customer lives on now: itself, or the one it was merged into."""
    seen: set[int] = set()
    current: Customer | None = customer
    while current is not None and current.merged_into_id is not None and current.id not in seen:
        seen.add(current.id or 0)
        current = session.get(Customer, current.merged_into_id)
    if current is None or current.erased_at is not None:
        return None
    return current


def find_duplicates(
    session: Session, phone_normalised: str, email: str, *, exclude: int | None = None
) -> tuple[DuplicateCandidate, ...]:
    """Customers on file with this normalised phone or this (lower-case) email, oldest
    record first. A record merged into another stands for the one it was merged into."""
    conditions = []
    if phone_normalised:
        conditions.append(col(Customer.phone_normalised) == phone_normalised)
    if email:
        conditions.append(col(Customer.email) == email.lower())
    if not conditions:
        return ()
    found: dict[int, tuple[Customer, bool, bool]] = {}
    for row in session.exec(select(Customer).where(or_(*conditions), col(Customer.erased_at).is_(None))):
        kept = kept_record(session, row)
        if kept is None or kept.id is None or kept.id == exclude:
            continue
        phone_match = bool(phone_normalised) and row.phone_normalised == phone_normalised
        email_match = bool(email) and row.email == email.lower()
        _, had_phone, had_email = found.get(kept.id, (kept, False, False))
        found[kept.id] = (kept, had_phone or phone_match, had_email or email_match)
    ordered = sorted(found.values(), key=lambda item: (item[0].created_at, item[0].id or 0))
    return tuple(
        DuplicateCandidate(
            customer_id=kept.id or 0,
            name=kept.name,
            phone=kept.phone,
            email=kept.email,
            on_file_since=kept.created_at,
            same_phone=same_phone,
            same_email=same_email,
        )
        for kept, same_phone, same_email in ordered[:CANDIDATES_MAX]
    )
