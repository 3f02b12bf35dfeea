"""Follow-ups owed to customers, their due history, and the email outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, func
from sqlmodel import Field, SQLModel

from counter_tui.db.models.kinds import FollowUpStatus, OutboxStatus


class FollowUp(SQLModel, table=True):
    """Something owed to a customer: a thank-you, a call back, a promise, a status update,
    or an apology to someone who asked for help and left unserved."""

    __table_args__ = (Index("ix_followup_owner_open", "owner_id", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    kind: str = Field(max_length=20)
    owner_id: int = Field(foreign_key="staff.id")
    channel: str = Field(max_length=20)
    summary: str = Field(max_length=500)
    due_at: datetime
    # The due time first set, kept when the follow-up is snoozed (None: never moved); the
    # scorecard measures on-time against it. A change of the shop's hours that moves the
    # follow-up later moves this too, to the later time (services/due_moves.py).
    original_due_at: datetime | None = None
    # A status update's own "every N days" (None: the shop's `status_update_every_days`).
    every_days: int | None = None
    status: str = Field(default=FollowUpStatus.OPEN, max_length=20)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    done_at: datetime | None = None
    done_by: int | None = Field(default=None, foreign_key="staff.id")
    outcome_note: str = Field(default="", max_length=2000)
    personal_line: str = Field(default="", max_length=500)
    customer_informed: bool = Field(default=False)
    cancel_reason: str = Field(default="", max_length=200)


class FollowUpDue(SQLModel, table=True):
    """One move of a follow-up's due time (a snooze or reschedule): from when, to when,
    why and by whom, so the due history is kept."""

    id: int | None = Field(default=None, primary_key=True)
    followup_id: int = Field(foreign_key="followup.id", index=True)
    from_due_at: datetime
    to_due_at: datetime
    reason: str = Field(max_length=200)
    moved_at: datetime
    moved_by: int = Field(foreign_key="staff.id")


Index("ix_followup_kind_due", FollowUp.__table__.c.kind, FollowUp.__table__.c.due_at)  # type: ignore[attr-defined]


# The time a follow-up was first owed, which the scorecard measures against (migration 0017).
Index(
    "ix_followup_kind_owed",
    FollowUp.__table__.c.kind,  # type: ignore[attr-defined]
    func.coalesce(FollowUp.__table__.c.original_due_at, FollowUp.__table__.c.due_at),  # type: ignore[attr-defined]
)


class OutboxMessage(SQLModel, table=True):
    """An email to a customer, written in the transaction that completes its follow-up and
    delivered later by `services/mail_sender.py`. `message_id` is fixed when it is written,
    so a message sent again after a sender died mid-send is the same message to the
    receiving side."""

    __table_args__ = (Index("ix_outboxmessage_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    followup_id: int | None = Field(default=None, foreign_key="followup.id", index=True)
    to_address: str = Field(max_length=200)
    subject: str = Field(max_length=200)
    body: str = Field(sa_type=Text)
    message_id: str = Field(max_length=200, unique=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: datetime
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str = Field(default="", max_length=300)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="staff.id")
    held_since: datetime | None = None
    """Since when the shop's mail setup (no server reached, a login refused) has held it
    back, waiting with the others (`services/mail_hold.py`); None: nothing holds it back."""
