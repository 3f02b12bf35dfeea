"""Which of a person's follow-ups a batch of committed changes touched, read again as they
are now.

My follow-ups updates from the change feed row by row, like the floor board: each change
names what it changed (the audit event's entity and id), this module turns that into
follow-up ids (a customer's follow-ups when the customer changed, a message's follow-up
when an email failed) and reads just those. Changes to visits, hand-offs and the rest
never touch the list and read nothing. When the changes cannot say which follow-ups they
touched (a merge or erasure moved or removed a customer's, the shop's hours changed what
is due today, an event without an id), or email is held back or goes again (the list's
line about it changes), it answers None and the screen reads the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_tui.db.models import FollowUp, FollowUpStatus, OutboxMessage
from counter_tui.services import followups, mail_hold, reversals
from counter_tui.services.changes import Change
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.floor_changes import CUSTOMER_MOVES
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import followup_views
from counter_tui.services.views import FollowUpView

MAIL_HOLD_ACTIONS = (mail_hold.HELD, mail_hold.RESUMED)
OFF_THE_LIST = frozenset(
    {"visit", "handoff", "kudos", "feedback", "feedback_topic", "export", "kiosk", "staff", "day"}
)
"""Entities whose changes never change a row of My follow-ups (a follow-up a visit or the
day's close creates, and one passed on when its owner is deactivated, comes with a
follow-up event of its own)."""


@dataclass(frozen=True)
class FollowUpList:
    """A person's follow-ups as My follow-ups shows them: the open ones (soonest due
    first) and those cancelled today (newest first); and `mail_held`, while the shop's mail
    setup holds email back, that it does (`mail_hold.held_back`)."""

    open: tuple[FollowUpView, ...]
    cancelled: tuple[FollowUpView, ...]
    mail_held: str = ""


@dataclass(frozen=True)
class FollowUpPatch:
    """The follow-ups some changes touched, and those of them still on the list, as they
    are now (a touched follow-up in neither has left it)."""

    followup_ids: frozenset[int]
    open: tuple[FollowUpView, ...]
    cancelled: tuple[FollowUpView, ...]


def concerns_the_list(change: Change) -> bool:
    """Whether a change may alter what My follow-ups shows (so is worth a read)."""
    return change.entity not in OFF_THE_LIST


def whole_list(ctx: ShopContext, actor: Actor) -> FollowUpList:
    """The actor's whole list: open follow-ups, and those cancelled today."""
    mine = followups.my_followups(ctx, actor)
    return FollowUpList(
        open=(*mine.overdue, *mine.due_today, *mine.upcoming),
        cancelled=reversals.cancelled_today(ctx, actor),
        mail_held=mail_hold.held_back(ctx, actor),
    )


def followup_patch(ctx: ShopContext, actor: Actor, changes: Iterable[Change]) -> FollowUpPatch | None:
    """The actor's follow-ups `changes` touched, read again; None when only the whole
    list will do."""
    followup_ids: set[int] = set()
    customer_ids: set[int] = set()
    message_ids: set[int] = set()
    for change in changes:
        if not concerns_the_list(change):
            continue
        if change.entity_id is None or change.action in (*CUSTOMER_MOVES, *MAIL_HOLD_ACTIONS):
            return None
        if change.entity == "followup":
            followup_ids.add(change.entity_id)
        elif change.entity == "customer":
            customer_ids.add(change.entity_id)
        elif change.entity == "outbox":
            message_ids.add(change.entity_id)
        else:
            return None
    if not (followup_ids or customer_ids or message_ids):
        return FollowUpPatch(frozenset(), (), ())
    start = ctx.calendar.start_of_day(ctx.calendar.local_date(ctx.now()))
    with ctx.database.read() as session:
        staff = require(session, actor, Action.VIEW)
        followup_ids |= _followups_of(session, staff.id or 0, customer_ids, message_ids)
        touched = col(FollowUp.id).in_(followup_ids)
        mine = FollowUp.owner_id == staff.id
        still_open = followup_views(
            session,
            ctx,
            select(FollowUp)
            .where(touched, mine, FollowUp.status == FollowUpStatus.OPEN)
            .order_by(col(FollowUp.due_at), col(FollowUp.id)),
        )
        cancelled = followup_views(
            session,
            ctx,
            select(FollowUp)
            .where(touched, mine, FollowUp.status == FollowUpStatus.CANCELLED, col(FollowUp.done_at) >= start)
            .order_by(col(FollowUp.done_at).desc(), col(FollowUp.id).desc()),
        )
    return FollowUpPatch(frozenset(followup_ids), still_open, cancelled)


def _followups_of(session: Session, owner_id: int, customer_ids: set[int], message_ids: set[int]) -> set[int]:
    """The owner's follow-ups for these customers, and those these messages were sent for."""
    found: set[int] = set()
    if customer_ids:
        found.update(
            followup_id
            for followup_id in session.exec(
                select(FollowUp.id).where(
                    col(FollowUp.customer_id).in_(customer_ids), FollowUp.owner_id == owner_id
                )
            )
            if followup_id is not None
        )
    if message_ids:
        found.update(
            followup_id
            for followup_id in session.exec(
                select(OutboxMessage.followup_id).where(col(OutboxMessage.id).in_(message_ids))
            )
            if followup_id is not None
        )
    return found
