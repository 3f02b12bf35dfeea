"""Read models handed to screens and the CLI: plain frozen dataclasses, detached from
the database, so no widget ever triggers a query."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from counter_tui.services.permissions import Target


@dataclass(frozen=True)
class NeedView:
    """An active need on a visit."""

    id: int
    kind: str
    label: str
    detail: str
    check_back_at: datetime | None


@dataclass(frozen=True)
class FloorRow:
    """One open visit on the floor board.

    `waiting_too_long` and `check_back_due` are as of when the row was read; `greet_by`
    and `check_back_at` say when they turn true, so a screen can move them on with the
    clock (`as_of`) without reading the board again."""

    visit_id: int
    customer_id: int | None
    who: str
    source: str
    arrived_at: datetime
    owner_id: int | None
    owner_name: str | None
    owner_since: datetime | None
    """Since when the owner has the customer (their claim, or the change of owner that gave them it)."""
    needs: tuple[NeedView, ...]
    helper_names: tuple[str, ...]
    waiting_too_long: bool
    needs_help_unclaimed: bool
    check_back_due: bool
    handoff_pending: bool
    greet_by: datetime | None = None
    check_back_at: datetime | None = None
    language_tag: str = ""
    """E.g. "ES": the customer checked in at the kiosk in another language than the shop's first."""

    @property
    def urgent(self) -> bool:
        """Stands out at the top of the board."""
        return self.waiting_too_long or self.needs_help_unclaimed

    def as_of(self, now: datetime) -> FloorRow:
        """This row with the clock moved on to `now` (itself when nothing turned)."""
        waiting = self.greet_by is not None and now > self.greet_by
        check = self.check_back_at is not None and self.check_back_at <= now
        if waiting == self.waiting_too_long and check == self.check_back_due:
            return self
        return replace(self, waiting_too_long=waiting, check_back_due=check)


def floor_order(row: FloorRow) -> tuple[bool, bool, bool, datetime, int]:
    """Where a row goes on the floor board: unclaimed "needs help" first, then the
    others needing attention, then the rest waiting, then those being served, each by
    arrival."""
    return (
        not row.needs_help_unclaimed,
        not row.urgent,
        row.owner_id is not None,
        row.arrived_at,
        row.visit_id,
    )


@dataclass(frozen=True)
class ConsentView:
    """Where a customer stands on one contact channel."""

    channel: str
    granted: bool
    source: str
    recorded_at: datetime
    withdrawn_at: datetime | None = None
    """When a yes on this channel was taken back (None: a yes, or a no they gave when asked)."""


@dataclass(frozen=True)
class NoteView:
    """A note on a customer."""

    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class VisitSummary:
    """A past or current visit in a customer's history."""

    visit_id: int
    arrived_at: datetime
    ended_at: datetime | None
    owner_name: str | None
    outcome: str | None


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as lists and the customer view show it."""

    id: int
    kind: str
    kind_label: str
    customer_id: int
    customer_name: str
    owner_id: int
    owner_name: str
    channel: str
    summary: str
    due_at: datetime
    status: str
    overdue: bool
    personal_line: str
    outcome_note: str
    # Why its email did not go (the mail server's reason), while it is open again.
    mail_problem: str = ""
    # A status update's own interval in days (None: the shop's), and the due time first
    # set when it has been snoozed (None: never moved).
    every_days: int | None = None
    original_due_at: datetime | None = None


@dataclass(frozen=True)
class HandoffView:
    """A hand-off request."""

    id: int
    visit_id: int
    who: str
    from_staff_id: int
    from_name: str
    to_name: str
    reason: str
    status: str
    requested_at: datetime
    decision_note: str = ""
    decided_by_name: str = ""


@dataclass(frozen=True)
class CustomerDetail:
    """Everything the owner view shows about a known customer."""

    id: int
    name: str
    phone: str
    email: str
    preferences: str
    standing_needs: tuple[NeedView, ...]
    consents: tuple[ConsentView, ...]
    notes: tuple[NoteView, ...]
    history: tuple[VisitSummary, ...]
    open_followups: tuple[FollowUpView, ...]
    open_visit_id: int | None
    may_contact: str = ""
    """How the shop may reach them, e.g. "phone; email withdrawn Mon 30 Nov", or "nothing
    agreed yet (in person only)"."""
    last_contacted: str = ""
    """When and how the shop last reached them, e.g. "Fri 20 Nov by email (thank-you)" (an
    email from when the server took it), and any email not yet sent ("; email queued …")."""


@dataclass(frozen=True)
class VisitDetail:
    """A visit as its owner (or a read-only colleague) sees it."""

    visit_id: int
    who: str
    source: str
    arrived_at: datetime
    owner_id: int | None
    owner_name: str | None
    owner_since: datetime | None
    """Since when the owner has the customer (their claim, or the change of owner that gave them it)."""
    ended_at: datetime | None
    outcome: str | None
    needs: tuple[NeedView, ...]
    helper_names: tuple[str, ...]
    pending_handoff: HandoffView | None
    customer: CustomerDetail | None
    target: Target
    """The visit as the permissions see it (owner, helpers): screens ask them with it."""
    can_act: bool
    is_owner: bool
    blocked_reason: str = ""
    notes: tuple[NoteView, ...] = field(default=())
    preferences: str = ""
    language: str | None = None
    """The language the customer picked at the kiosk (None: not checked in at a kiosk)."""
    name_given: str = ""
    """The first name the customer typed at the kiosk ("" when they gave none or did not
    check in there): the name a form putting them on file starts with."""


@dataclass(frozen=True)
class CustomerMatch:
    """One row of a customer search."""

    id: int
    name: str
    phone: str
    email: str
    in_shop: bool


@dataclass(frozen=True)
class Page:
    """One page of search results, and whether more follow."""

    items: tuple[CustomerMatch, ...]
    page: int
    page_size: int
    has_more: bool


@dataclass(frozen=True)
class MyFollowUps:
    """A staff member's open follow-ups, in the three groups the screen shows."""

    overdue: tuple[FollowUpView, ...]
    due_today: tuple[FollowUpView, ...]
    upcoming: tuple[FollowUpView, ...]
