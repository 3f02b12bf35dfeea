"""Snoozing or rescheduling a follow-up to a typed time, with a reason. Each move is kept
(`FollowUpDue`) and the first due time stays in `original_due_at`, so the scorecard still
measures on-time against what was first owed."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from counter_tui.db.models import FollowUpDue
from counter_tui.errors import InvalidInput
from counter_tui.limits import limited
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.followups import load_open, require_owner_or_lead
from counter_tui.services.permissions import Action, require
from counter_tui.services.when import parse_due, require_within_reach


def reschedule_followup(
    ctx: ShopContext, actor: Actor, followup_id: int, due: str | datetime, reason: str
) -> datetime:
    """Move an open follow-up's due time to `due` (typed text such as "tomorrow 17:00",
    "fri" or "in 2 working hours", or a time) for `reason`; returns the new due time.
    Allowed to whoever may complete it (its owner or a shift lead)."""
    reason = limited(reason, "reason")
    if not reason:
        raise InvalidInput("Say why it is moved (e.g. 'part arrives Thursday').", field="reason")
    now = ctx.now()
    if isinstance(due, str):
        try:
            due_at = parse_due(due, ctx.calendar, now)
        except InvalidInput as error:
            raise InvalidInput(str(error), field="due") from None
    elif due.tzinfo is None:
        raise InvalidInput("The due time needs a time zone.", field="due")
    else:
        due_at = due
    if due_at <= now:
        raise InvalidInput("That time has already passed. Pick a time in the future.", field="due")
    require_within_reach(due_at, ctx.calendar, now, field="due")
    with ctx.database.write() as session:
        followup = load_open(session, followup_id)
        staff = require_owner_or_lead(session, actor, followup)
        assert staff.id is not None
        previous = followup.due_at
        if previous == due_at:
            raise InvalidInput(
                "It is already due then. Pick another time, or leave it as it is.", field="due"
            )
        if followup.original_due_at is None:
            followup.original_due_at = previous
        followup.due_at = due_at
        session.add(followup)
        session.add(
            FollowUpDue(
                followup_id=followup_id,
                from_due_at=previous,
                to_due_at=due_at,
                reason=reason,
                moved_at=now,
                moved_by=staff.id,
            )
        )
        audit.record(
            session,
            ctx,
            actor,
            "followup.rescheduled",
            "followup",
            followup_id,
            from_due_at=previous,
            due_at=due_at,
            reason=reason,
        )
    return due_at


def due_history(ctx: ShopContext, actor: Actor, followup_id: int) -> list[FollowUpDue]:
    """Every move of this follow-up's due time, oldest first."""
    with ctx.database.read() as session:
        require(session, actor, Action.VIEW)
        return list(
            session.exec(
                select(FollowUpDue)
                .where(FollowUpDue.followup_id == followup_id)
                .order_by(col(FollowUpDue.moved_at), col(FollowUpDue.id))
            )
        )
