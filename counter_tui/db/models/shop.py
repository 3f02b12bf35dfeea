"""The shop's own records: its settings, customer feedback and its topics, and kudos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from counter_tui.db.models.kinds import FeedbackStatus


class ShopSetting(SQLModel, table=True):
    """One shop-wide setting (e.g. `shop.hours.fri`, `thresholds.greet_within_minutes`),
    the same for every terminal: its value as JSON, and who changed it last and when.
    `counter_tui.services.shop_settings` is the one way to read and change them."""

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(sa_type=Text)
    changed_at: datetime
    changed_by: int | None = Field(default=None, foreign_key="staff.id")


class ShopKey(SQLModel, table=True):
    """A random secret the shop made for itself, one a purpose (`erased_contacts` keys its
    fingerprints with one), the same for every terminal. Not a setting: never shown,
    exported or changed."""

    purpose: str = Field(primary_key=True, max_length=40)
    secret: str = Field(max_length=64)


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


class DatabaseGeneration(SQLModel, table=True):
    """Which copy of the shop's data this is: one row, given a new `generation` whenever a
    restore replaces the data. Audit ids start again from the backup's, so a running
    terminal's change feed compares this to tell "nothing new" from "all new"."""

    id: int = Field(default=1, primary_key=True)
    generation: str = Field(max_length=32)
