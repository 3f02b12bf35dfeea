"""The short-string enumerations the tables store (roles, needs, outcomes, statuses,
kinds and channels), readable by psql, sqlite3 and spreadsheets without Python."""

from __future__ import annotations

from enum import StrEnum


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


class FeedbackStatus(StrEnum):
    """Where a lead stands on a recurring feedback topic."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ACTED_ON = "acted_on"


class OutboxStatus(StrEnum):
    """Where an outgoing email stands: waiting (or waiting to retry), being handed to the
    server by one sender, accepted by the server, given up on (the reason kept), or
    withdrawn unsent because the customer may no longer get it (`outbox_withdrawal`)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
