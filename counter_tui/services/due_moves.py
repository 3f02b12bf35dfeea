"""Keeping follow-ups off the times the shop is shut when a shift lead changes its hours,
holidays or time zone: every open follow-up still ahead whose due time now falls while
the shop is shut moves by the calendar's one rule (`StoreCalendar.kept_open`), in the
transaction that changes the settings.

Each move is kept in the due history (`FollowUpDue`, with the lead and the reason). The
scorecard measures a follow-up against `original_due_at` (what was first owed, kept
through snoozes): a move earlier keeps it, a move later makes it the later of the two, so
an owner is never late for the shop's own change of hours; one audit event says how many
moved for whom, and
each owner hears it (`notices.py`). The pass is set-based: one read of the distinct due
times still ahead, one conditional update per due time that moves (however many
follow-ups share it), one insert of the history. The update re-checks that a follow-up
is still open and still due then, so one checked off or snoozed on another terminal
meanwhile is left as that terminal left it (on PostgreSQL it waits for that terminal's
row lock, then reads the row again).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, insert, literal, update
from sqlmodel import Session, col, select

from counter_tui.db.models import FollowUp, FollowUpDue, FollowUpStatus, Staff
from counter_tui.errors import InvalidInput
from counter_tui.sentences import counted
from counter_tui.services import audit
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.context import Actor, ShopContext

MOVED = "followup.due_moved"
"""The audit event of one pass: the reason, how many moved, and how many were whose."""
CALENDAR_KEYS = ("shop.timezone", "shop.holidays")
"""Settings (with every `shop.hours.*`) that change when the shop is open."""

_FOLLOWUP = FollowUp.__table__  # type: ignore[attr-defined]
_DUE_HISTORY = FollowUpDue.__table__  # type: ignore[attr-defined]
_FIRST_DUE = func.coalesce(_FOLLOWUP.c.original_due_at, _FOLLOWUP.c.due_at)
"""The due time the scorecard measures against (first set, kept through snoozes)."""


@dataclass(frozen=True)
class DueMoves:
    """What one pass moved: how many follow-ups, and how many of them were whose."""

    moved: int = 0
    owners: Mapping[int, int] = field(default_factory=dict)


NOTHING_MOVED = DueMoves()


def changes_when_open(keys: set[str]) -> bool:
    """Whether changing these settings can change when the shop is open."""
    return any(key.startswith("shop.hours.") or key in CALENDAR_KEYS for key in keys)


def reason_for(keys: set[str]) -> str:
    """Why the follow-ups moved, as the due history and each owner read it."""
    hours = any(key.startswith("shop.hours.") for key in keys)
    holidays = "shop.holidays" in keys
    if "shop.timezone" in keys:
        return "the shop's time zone changed"
    if hours and holidays:
        return "the shop's hours and holidays changed"
    return "the shop's holidays changed" if holidays else "the shop's hours changed"


def moved_said(moved: int) -> str:
    """What the lead who made the change is told (empty when nothing moved): the same
    sentence on the command line and on the settings screen."""
    if not moved:
        return ""
    return (
        f"Moved {counted(moved, 'follow-up')} due when the shop is now closed to when it is open; "
        "each owner is told."
    )


def move_off_closed_times(
    session: Session,
    ctx: ShopContext,
    actor: Actor,
    before: StoreCalendar,
    after: StoreCalendar,
    reason: str,
    *,
    notice: timedelta,
    field: str = "",
) -> DueMoves:
    """Move every open follow-up still ahead whose due time `after` leaves shut, inside the
    caller's write transaction (the one that changes the settings), as `actor`; `before`
    is the calendar the due times were set by (it says which were "by close"), `notice`
    the least time an earlier due time must leave (the shop's callback cut-off). Refuses
    (`InvalidInput` about `field`) hours that leave nowhere to move them."""
    assert actor.staff_id is not None, "only a shift lead changes the shop's hours"
    now = ctx.now()
    owner_ids = list(session.exec(select(Staff.id)))
    owned_open = (
        col(FollowUp.owner_id).in_(owner_ids),  # the (owner, status, due) index, not a scan
        col(FollowUp.status) == FollowUpStatus.OPEN,
    )
    ahead = select(FollowUp.due_at).where(*owned_open, col(FollowUp.due_at) > now).distinct()
    due_times = session.exec(ahead)
    shut = sorted(due for due in due_times if not after.is_open_or_closing_at(due))
    if not shut:
        return NOTHING_MOVED
    try:
        plan = {
            due: after.kept_open(due, now, by_close=before.is_close_of_business(due), notice=notice)
            for due in shut
        }
    except ValueError:
        owed = session.exec(
            select(func.count()).select_from(FollowUp).where(*owned_open, col(FollowUp.due_at).in_(shut))
        ).one()
        raise InvalidInput(
            "With these hours and holidays the shop would never open in the next year, so "
            f"{counted(owed, 'open follow-up')} could not be moved to a time it is open. "
            "Keep at least one day open.",
            field=field,
        ) from None
    connection = session.connection()
    history: list[dict[str, Any]] = []
    owners: Counter[int] = Counter()
    for old, new in plan.items():
        later = literal(new, _FIRST_DUE.type)
        measured = case((later > _FIRST_DUE, later), else_=_FIRST_DUE) if new > old else _FIRST_DUE
        moved = connection.execute(
            update(_FOLLOWUP)
            .where(*owned_open, _FOLLOWUP.c.due_at == old)
            .values(due_at=new, original_due_at=measured)
            .returning(_FOLLOWUP.c.id, _FOLLOWUP.c.owner_id)
        ).all()
        owners.update(owner_id for _id, owner_id in moved)
        history.extend(
            {
                "followup_id": followup_id,
                "from_due_at": old,
                "to_due_at": new,
                "reason": reason,
                "moved_at": now,
                "moved_by": actor.staff_id,
            }
            for followup_id, _owner in moved
        )
    if not history:
        return NOTHING_MOVED
    connection.execute(insert(_DUE_HISTORY), history)
    by_owner = dict(sorted(owners.items()))
    audit.record(
        session,
        ctx,
        actor,
        MOVED,
        "followup",
        None,
        reason=reason,
        moved=len(history),
        owners={str(owner_id): count for owner_id, count in by_owner.items()},
    )
    return DueMoves(len(history), by_owner)
