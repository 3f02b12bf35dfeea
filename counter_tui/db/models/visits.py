"""Visits and their working parts: day closes, helpers, needs and hand-off requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from counter_tui.db.models.kinds import HandoffStatus


class Visit(SQLModel, table=True):
    """One customer's time in the shop, from arrival to end."""

    __table_args__ = (
        Index("ix_visit_open", "ended_at", "arrived_at"),
        Index("ix_visit_flagged", "flagged_for_review", "arrived_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    description: str = Field(default="", max_length=200)
    source: str = Field(default="counter", max_length=80)
    # What an anonymous walk-in said they prefer; moves to their record when they are put
    # on file or linked to one.
    preferences: str = Field(default="", max_length=2000)
    arrived_at: datetime
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    owner_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    # When someone first greeted (claimed) the customer: set once, never moved by a change
    # of owner; greet-time figures and exports read it.
    claimed_at: datetime | None = None
    # Since when the owner now has the customer: their claim, or the approved hand-off,
    # reassignment or pass-on that gave them the customer (None while nobody owns it).
    owner_since: datetime | None = None
    outcome: str | None = Field(default=None, max_length=20)
    ended_at: datetime | None = None
    ended_by: int | None = Field(default=None, foreign_key="staff.id")
    flagged_for_review: bool = Field(default=False)
    day_close_id: int | None = Field(default=None, foreign_key="dayclose.id", index=True)
    # The wait the kiosk quoted at check-in, in minutes (None: no quote was given);
    # the scorecard compares it with the actual wait (services/wait_quotes.py).
    quoted_wait_minutes: int | None = None
    # The language the customer picked at the kiosk (`counter_tui.kiosk_words`), shown
    # to staff on the floor board; None for visits started at the counter.
    language: str | None = Field(default=None, max_length=8)


class DayClose(SQLModel, table=True):
    """One closing of the day, by a lead or automatically after close. The visits it
    ended point at it (`Visit.day_close_id`), so a lead can undo it as one action the
    same day, with a reason."""

    id: int | None = Field(default=None, primary_key=True)
    day: date
    closed_at: datetime = Field(index=True)
    visits_ended_at: datetime
    closed_by: int | None = Field(default=None, foreign_key="staff.id")
    auto: bool = Field(default=False)
    reason: str = Field(default="", max_length=200)
    undone_at: datetime | None = None
    undone_by: int | None = Field(default=None, foreign_key="staff.id")
    undo_reason: str = Field(default="", max_length=200)


class VisitHelper(SQLModel, table=True):
    """A colleague brought in to help; ownership stays with the owner."""

    __table_args__ = (UniqueConstraint("visit_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    added_by: int = Field(foreign_key="staff.id")
    added_at: datetime


class VisitNeed(SQLModel, table=True):
    """A need on one visit; active until cleared."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    kind: str = Field(max_length=40)
    detail: str = Field(default="", max_length=200)
    check_back_at: datetime | None = None
    set_at: datetime
    set_by: int | None = Field(default=None, foreign_key="staff.id")
    cleared_at: datetime | None = None
    cleared_by: int | None = Field(default=None, foreign_key="staff.id")
    # "Remember for next visits" asked on a walk-in not yet on file: becomes a standing
    # need of the customer they are put on file as, or linked to.
    remember: bool = Field(default=False)


class HandoffRequest(SQLModel, table=True):
    """A request to pass a visit to a colleague, decided by a lead; or a lead's reassignment."""

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    from_staff_id: int = Field(foreign_key="staff.id")
    to_staff_id: int = Field(foreign_key="staff.id")
    reason: str = Field(max_length=200)
    status: str = Field(default=HandoffStatus.PENDING, max_length=20, index=True)
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="staff.id")
    decision_note: str = Field(default="", max_length=200)
    # The day close that cancelled this request while it was pending: undoing that close
    # brings it back (`services.reversals`), unless it has become moot meanwhile.
    day_close_id: int | None = Field(default=None, foreign_key="dayclose.id", index=True)


# Range scans of the scorecard and end-of-day report (migration 0004).
Index("ix_visit_arrived_at", Visit.__table__.c.arrived_at)  # type: ignore[attr-defined]


class TrendQuarter(SQLModel, table=True):
    """The scorecard trend's figures for one UTC quarter hour of arrivals that can no
    longer change (every visit in it ended days ago), for one greeting threshold: kept so
    the trend reads a few thousand rows instead of working through every visit of four
    weeks again (`services/trend_quarters.py`). Derived from visits and their claims;
    never edited, and dropping the table loses nothing."""

    bucket: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    greet_limit_micros: int = Field(primary_key=True, sa_type=BigInteger)
    visits: int
    measured: int
    on_time: int
