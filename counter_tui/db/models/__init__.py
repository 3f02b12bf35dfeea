"""SQLModel tables, one module per part of the shop. Times are aware datetimes stored in
UTC; enumerations are stored as short strings (`kinds`) so that migrations and other tools
(psql, sqlite3, spreadsheets) can read them without knowing the Python enums.

Everything is importable from here (`from counter_tui.db.models import Visit`); importing
this package registers every table on `SQLModel.metadata`.
"""

from __future__ import annotations

from counter_tui.db.models.audit import AuditChainHead, AuditEvent
from counter_tui.db.models.customers import (
    SEARCH_TERM_TYPE,
    ContactConsent,
    Customer,
    CustomerMerge,
    CustomerNote,
    CustomerSearchTerm,
    ErasedContact,
    StandingNeed,
    TillCustomer,
)
from counter_tui.db.models.followups import FollowUp, FollowUpDue, OutboxMessage
from counter_tui.db.models.kinds import (
    Channel,
    FeedbackStatus,
    FollowUpKind,
    FollowUpStatus,
    HandoffStatus,
    NeedKind,
    OutboxStatus,
    Outcome,
    Role,
)
from counter_tui.db.models.people import PinGuard, Presence, Staff, TerminalSession
from counter_tui.db.models.shop import (
    DatabaseGeneration,
    Feedback,
    FeedbackTag,
    FeedbackTopicStatus,
    Kudos,
    ShopKey,
    ShopSetting,
)
from counter_tui.db.models.visits import DayClose, HandoffRequest, TrendQuarter, Visit, VisitHelper, VisitNeed

__all__ = [
    "SEARCH_TERM_TYPE",
    "AuditChainHead",
    "AuditEvent",
    "Channel",
    "ContactConsent",
    "Customer",
    "CustomerMerge",
    "CustomerNote",
    "CustomerSearchTerm",
    "DatabaseGeneration",
    "DayClose",
    "ErasedContact",
    "Feedback",
    "FeedbackStatus",
    "FeedbackTag",
    "FeedbackTopicStatus",
    "FollowUp",
    "FollowUpDue",
    "FollowUpKind",
    "FollowUpStatus",
    "HandoffRequest",
    "HandoffStatus",
    "Kudos",
    "NeedKind",
    "OutboxMessage",
    "OutboxStatus",
    "Outcome",
    "PinGuard",
    "Presence",
    "Role",
    "ShopKey",
    "ShopSetting",
    "Staff",
    "StandingNeed",
    "TerminalSession",
    "TillCustomer",
    "TrendQuarter",
    "Visit",
    "VisitHelper",
    "VisitNeed",
]
