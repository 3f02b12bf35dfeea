"""The end-of-day check: what the day left owed. Unreturned calls, overdue follow-ups,
hand-offs still waiting for a lead, visits flagged for review, and the day's scorecard; the
`counter-tui report day` command prints the same figures."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from counter_tui.db.models import HandoffRequest, HandoffStatus
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.flagged_visits import flagged_before
from counter_tui.services.followup_oversight import open_callbacks_due_by, overdue_followups_as_of
from counter_tui.services.handoffs import handoff_views
from counter_tui.services.permissions import Action, require
from counter_tui.services.review_views import EndOfDayReport
from counter_tui.services.scorecard import compute_period


def build_end_of_day(session: Session, ctx: ShopContext, day: date) -> EndOfDayReport:
    """The end-of-day check for store-local `day`, read in the caller's session without a
    permission check (the CLI report uses it). Outstanding items are as they stand now,
    for work due by the end of `day` (or by now, if the day is not over)."""
    calendar = ctx.calendar
    now = ctx.now()
    end = calendar.start_of_day(day + timedelta(days=1))
    pending = handoff_views(
        session,
        select(HandoffRequest)
        .where(
            HandoffRequest.status == HandoffStatus.PENDING,
            col(HandoffRequest.requested_at) < end,
        )
        .order_by(col(HandoffRequest.requested_at), col(HandoffRequest.id)),
    )
    return EndOfDayReport(
        day=day,
        shop_name=ctx.rules.shop.name,
        opens_at=calendar.opening(day),
        closes_at=calendar.closing(day),
        generated_at=now,
        unreturned_calls=open_callbacks_due_by(session, ctx, day),
        overdue_followups=overdue_followups_as_of(session, ctx, min(now, end)),
        pending_handoffs=tuple(pending),
        flagged_visits=flagged_before(session, ctx, end),
        scorecard=compute_period(session, ctx, day, day, day.isoformat()),
    )


def end_of_day(ctx: ShopContext, actor: Actor, day: date | None = None) -> EndOfDayReport:
    """The end-of-day screen for `day` (default today, store time)."""
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_END_OF_DAY)
        return build_end_of_day(session, ctx, day or ctx.calendar.local_date(ctx.now()))
