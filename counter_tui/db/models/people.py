"""Staff and what the shop keeps about them at the terminals: PIN lockouts, who is
signed in at which running app, and who is looking at which visit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from counter_tui.db.models.kinds import Role


class Staff(SQLModel, table=True):
    """A person who signs in at a terminal."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    role: str = Field(default=Role.ASSOCIATE, max_length=20)
    pin_hash: str = Field(max_length=200)
    active: bool = Field(default=True)
    created_at: datetime


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


class TerminalSession(SQLModel, table=True):
    """One running staff app (a process: `session_id` is new each start) and who is signed
    in at it, if anyone; `terminal` is its configured name, for people to read (several
    apps on one computer share it). The app's heartbeat moves `seen_at`; a row not seen
    for a while is an app that crashed or lost its database, and no longer counts."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(max_length=32, unique=True)
    terminal: str = Field(max_length=80)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    signed_in_at: datetime | None = None
    seen_at: datetime = Field(index=True)
