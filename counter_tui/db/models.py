"""SQLModel tables. Times are aware datetimes stored in UTC.

Enumerations are stored as short strings so that migrations and other tools
(psql, sqlite3, spreadsheets) can read them without knowing the Python enums.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    """What a staff member may do."""

    ASSOCIATE = "associate"
    LEAD = "lead"


class NeedKind(StrEnum):
    """What a customer needs on this visit."""

    BROWSE_PRIVATELY = "browse_privately"
    NEEDS_HELP = "needs_help"
    CALLBACK_WANTED = "callback_wanted"
    ACCESSIBILITY = "accessibility"
    LANGUAGE = "language"
    PICKUP = "pickup"
    ORDER_QUESTION = "order_question"


class Outcome(StrEnum):
    """How a visit ended."""

    PURCHASE = "purchase"
    NO_PURCHASE = "no_purchase"
    LEFT_UNSERVED = "left_unserved"
    LEFT_AT_CLOSE = "left_at_close"


class HandoffStatus(StrEnum):
    """Where a hand-off request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    CANCELLED = "cancelled"
    REASSIGNED = "reassigned"


class FollowUpKind(StrEnum):
    """What was promised to the customer."""

    THANK_YOU = "thank_you"
    CALLBACK = "callback"
    PROMISE = "promise"
    STATUS_UPDATE = "status_update"
    APOLOGY = "apology"
    FEEDBACK_ACTED_ON = "feedback_acted_on"


class FollowUpStatus(StrEnum):
    """Open until done (with what was done) or cancelled (with why)."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    """How a customer may be contacted. In person needs no consent."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    IN_PERSON = "in_person"


class Staff(SQLModel, table=True):
    """A person who signs in at a terminal."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    role: str = Field(default=Role.ASSOCIATE, max_length=20)
    pin_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    created_at: datetime


class Customer(SQLModel, table=True):
    """Someone the shop knows by name; walk-ins may stay anonymous (no row)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    name_key: str = Field(default="", max_length=80, index=True)
    phone: str = Field(default="", max_length=40)
    phone_digits: str = Field(default="", max_length=40, index=True)
    # The phone in international (E.164) form, e.g. +447700900123, read with the shop's
    # country for numbers typed without +; empty when it cannot be read as a number.
    phone_normalised: str = Field(default="", max_length=40, index=True)
    email: str = Field(default="", max_length=200, index=True)
    preferences: str = Field(default="", max_length=2000)
    created_at: datetime
    erased_at: datetime | None = None
    # Set when a lead merged this record into another (services/merge.py); it is then
    # hidden everywhere, and the merge can be undone until the end of that day.
    merged_into_id: int | None = Field(default=None, foreign_key="customer.id", index=True)


class TillCustomer(SQLModel, table=True):
    """A customer's id in a till (POS) they were imported from, so importing a later
    export of that till finds the same customer even when their phone or email changed
    (services/customer_import.py). Kept after an erasure, so an old export does not bring
    an erased customer back."""

    till: str = Field(max_length=20, primary_key=True)
    till_id: str = Field(max_length=80, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    # A hash of the row as last imported: a row the till has not changed since is left
    # alone, so corrections made in the shop are not undone by importing again.
    row_hash: str = Field(default="", max_length=64)


# Search terms compare in code-point order on both databases: SQLite's default BINARY
# collation already does; on PostgreSQL the column (and so its index) is COLLATE "C",
# because under a language collation such as en_US a range `term >= 'smi' AND term <
# 'smj'` is not the same as "starts with smi" and a plain index cannot serve LIKE 'smi%'.
SEARCH_TERM_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


class CustomerSearchTerm(SQLModel, table=True):
    """One word a customer can be found by: a lowercase name word, the email, the phone's
    digits, or those digits reversed (so the last digits typed are a prefix too).

    Kept in the same transaction as the customer row; search asks for term ranges
    (`term >= 'smi' AND term < 'smj'`), which an index serves, instead of LIKE '%smi%'.
    """

    __table_args__ = (Index("ix_customersearchterm_kind_term", "kind", "term", "customer_id"),)

    customer_id: int = Field(foreign_key="customer.id", primary_key=True)
    kind: str = Field(max_length=10, primary_key=True)
    term: str = Field(sa_type=SEARCH_TERM_TYPE, primary_key=True)


class CustomerNote(SQLModel, table=True):
    """A dated note by a staff member, about a customer on file and/or one visit."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", index=True)
    author_id: int = Field(foreign_key="staff.id")
    body: str = Field(max_length=2000)
    created_at: datetime


class StandingNeed(SQLModel, table=True):
    """A need remembered on the customer and applied to each new visit."""

    __table_args__ = (UniqueConstraint("customer_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    kind: str = Field(max_length=40)
    detail: str = Field(default="", max_length=200)
    updated_at: datetime


class ContactConsent(SQLModel, table=True):
    """Opt-in per channel, with where and when it was given (or withdrawn)."""

    __table_args__ = (UniqueConstraint("customer_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    channel: str = Field(max_length=20)
    granted: bool
    source: str = Field(max_length=200)
    recorded_at: datetime
    recorded_by: int | None = Field(default=None, foreign_key="staff.id")


class Visit(SQLModel, table=True):
    """One customer's time in the shop, from arrival to end."""

    __table_args__ = (Index("ix_visit_open", "ended_at", "arrived_at"),)

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
    claimed_at: datetime | None = None
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
    # scorecard measures on-time against it.
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


class CustomerMerge(SQLModel, table=True):
    """A lead's merge of a duplicate record into the one kept, with what it moved (so it
    can be undone until `final_at`, the end of that shop day)."""

    id: int | None = Field(default=None, primary_key=True)
    kept_id: int = Field(foreign_key="customer.id", index=True)
    merged_id: int = Field(foreign_key="customer.id", index=True)
    merged_at: datetime
    merged_by: int = Field(foreign_key="staff.id")
    final_at: datetime
    moved: str = Field(default="{}", sa_type=Text)
    undone_at: datetime | None = None
    undone_by: int | None = Field(default=None, foreign_key="staff.id")
    undo_reason: str = Field(default="", max_length=200)


class AuditEvent(SQLModel, table=True):
    """One change, written in the same transaction as the change itself.

    Each event is a link of the shop's audit chain: `chain_hash` covers the event (its
    details through `details_hash`) and `prev_hash`, the previous event's `chain_hash`.
    `redacted` marks details an erasure rewrote; the chain keeps their original hash and
    the erasure's `audit.redacted` event vouches for the new text.
    """

    __table_args__ = (Index("ix_auditevent_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    terminal: str = Field(default="", max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    details: str = Field(default="{}", max_length=4000)
    details_hash: str = Field(default="", max_length=64)
    prev_hash: str = Field(default="", max_length=64)
    chain_hash: str = Field(default="", max_length=64)
    redacted: bool = Field(default=False)


class AuditChainHead(SQLModel, table=True):
    """The end of the audit chain: the newest event's hash and how many events the chain
    holds. Appending locks this one row, so concurrent writers queue for the chain."""

    id: int = Field(default=1, primary_key=True)
    last_hash: str = Field(max_length=64)
    events: int = Field(default=0)


class PinGuard(SQLModel, table=True):
    """Wrong-PIN state of one PIN check (a staff member's, or a kiosk's unlock) at one
    terminal: attempts counted in the current window, and until when it is locked.

    Its own table rather than something derived from audit rows, so deleting audit rows
    cannot lift a lockout; one row per terminal, so guessing at one terminal locks only
    that terminal.
    """

    subject: str = Field(max_length=40, primary_key=True)
    terminal: str = Field(max_length=80, primary_key=True)
    attempts: int = Field(default=0)
    window_started_at: datetime
    locked_until: datetime | None = None


class Presence(SQLModel, table=True):
    """A staff member with a visit open on some terminal right now ("who's looking").

    A heartbeat moves `seen_at`; `opened_at` changes only when someone starts looking,
    which is what other terminals are told about.
    """

    __table_args__ = (UniqueConstraint("visit_id", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    opened_at: datetime
    seen_at: datetime = Field(index=True)


class FeedbackStatus(StrEnum):
    """Where a lead stands on a recurring feedback topic."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ACTED_ON = "acted_on"


class Feedback(SQLModel, table=True):
    """Open-ended feedback a customer gave, in their words, recorded by a member of staff."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    recorded_by: int = Field(foreign_key="staff.id")
    body: str = Field(max_length=2000)
    rating: int | None = None
    created_at: datetime = Field(index=True)


class FeedbackTag(SQLModel, table=True):
    """One topic of one piece of feedback; `resolved_at` is set when a lead acts on the topic."""

    __table_args__ = (UniqueConstraint("feedback_id", "topic"),)

    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)
    topic: str = Field(max_length=40, index=True)
    resolved_at: datetime | None = None


class FeedbackTopicStatus(SQLModel, table=True):
    """A lead's decision on a topic: acknowledged, or acted on with what was done."""

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=40, unique=True)
    status: str = Field(default=FeedbackStatus.NEW, max_length=20)
    action_taken: str = Field(default="", max_length=2000)
    updated_at: datetime
    updated_by: int = Field(foreign_key="staff.id")


class Kudos(SQLModel, table=True):
    """Public thanks from a lead to a colleague for a specific act of care."""

    id: int | None = Field(default=None, primary_key=True)
    to_staff_id: int = Field(foreign_key="staff.id", index=True)
    from_staff_id: int = Field(foreign_key="staff.id")
    body: str = Field(max_length=500)
    created_at: datetime = Field(index=True)


# Range scans of the scorecard and end-of-day report (migration 0004).
Index("ix_visit_arrived_at", Visit.__table__.c.arrived_at)  # type: ignore[attr-defined]
Index("ix_followup_kind_due", FollowUp.__table__.c.kind, FollowUp.__table__.c.due_at)  # type: ignore[attr-defined]
# Each visit's first claim, for the scorecard (migration 0017). The migration makes it a
# partial index on PostgreSQL too; a `postgresql_where` here would load SQLAlchemy's
# PostgreSQL dialect on every start, SQLite shops included (test_schema_version).
Index(
    "ix_auditevent_claims",
    AuditEvent.__table__.c.entity_id,  # type: ignore[attr-defined]
    AuditEvent.__table__.c.at,  # type: ignore[attr-defined]
    AuditEvent.__table__.c.actor_id,  # type: ignore[attr-defined]
    sqlite_where=text("action = 'visit.claimed'"),
)
# The time a follow-up was first owed, which the scorecard measures against (migration 0017).
Index(
    "ix_followup_kind_owed",
    FollowUp.__table__.c.kind,  # type: ignore[attr-defined]
    func.coalesce(FollowUp.__table__.c.original_due_at, FollowUp.__table__.c.due_at),  # type: ignore[attr-defined]
)


class ShopSetting(SQLModel, table=True):
    """One shop-wide setting (e.g. `shop.hours.fri`, `thresholds.greet_within_minutes`),
    the same for every terminal: its value as JSON, and who changed it last and when.
    `counter_tui.services.shop_settings` is the one way to read and change them."""

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(sa_type=Text)
    changed_at: datetime
    changed_by: int | None = Field(default=None, foreign_key="staff.id")


class OutboxStatus(StrEnum):
    """Where an outgoing email stands: waiting (or waiting to retry), being handed to the
    server by one sender, accepted by the server, or given up on (the reason kept)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


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
