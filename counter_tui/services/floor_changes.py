"""Which floor-board rows a batch of committed changes touched, read again as they are now.

A terminal's floor board updates from the change feed row by row instead of reading the
whole board again: each change names what it changed (the audit event's entity and id),
this module turns that into visit ids and reads just those visits. When the changes
cannot say which visits they touched (the day closed, the shop's thresholds changed, a
merge moved visits between customers, an event without an id), it answers None and the
screen reads the whole board.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from counter_tui.db.models import HandoffRequest, Visit
from counter_tui.services import changes as change_log
from counter_tui.services import visit_views
from counter_tui.services.changes import Change
from counter_tui.services.context import ShopContext
from counter_tui.services.views import FloorRow
from counter_tui.services.visit_views import floor_rows

OFF_THE_FLOOR = frozenset(
    {"kudos", "followup", "outbox", "export", "feedback", "feedback_topic", "staff", "kiosk"}
)
"""Entities whose changes never change an open visit's row (staff names never change;
a deactivated owner's visits are reassigned with visit events of their own)."""

CUSTOMER_MOVES = frozenset({"customer.merged", "customer.merge_undone", "customer.erased"})
"""Customer changes that move or detach visits: the customer id no longer finds them all."""


@dataclass(frozen=True)
class FloorPatch:
    """The visits some changes touched, and those of them still open, as they are now
    (a touched visit missing from `rows` has left the board)."""

    visit_ids: frozenset[int]
    rows: tuple[FloorRow, ...]


def floor_patch(
    ctx: ShopContext, changes: Iterable[Change], *, visit_ids: Iterable[int] = ()
) -> FloorPatch | None:
    """The rows `changes` touched (and `visit_ids`), read again; None when only the whole
    board will do."""
    visit_ids = set(visit_ids)
    customer_ids: set[int] = set()
    handoff_ids: set[int] = set()
    for change in changes:
        if change.entity in OFF_THE_FLOOR:
            continue
        if change.entity_id is None or change.action in CUSTOMER_MOVES:
            return None
        if change.entity == "visit":
            visit_ids.add(change.entity_id)
        elif change.entity == "customer":
            customer_ids.add(change.entity_id)
        elif change.entity == "handoff":
            handoff_ids.add(change.entity_id)
        else:
            return None
    if not (visit_ids or customer_ids or handoff_ids):
        return FloorPatch(frozenset(), ())
    with ctx.database.read() as session:
        visit_ids |= _visits_of(session, customer_ids, handoff_ids)
        rows = floor_rows(session, ctx, visit_ids)
    return FloorPatch(frozenset(visit_ids), tuple(rows))


def whole_board(ctx: ShopContext) -> tuple[int, list[FloorRow]]:
    """The whole board, and the newest change it shows (the mark a catch-up starts from)."""
    mark = change_log.latest_event_id(ctx)
    return mark, visit_views.floor_board(ctx)


def floor_catch_up(ctx: ShopContext, mark: int, changes: Iterable[Change]) -> tuple[int, FloorPatch | None]:
    """The rows changed since `mark` (this terminal's own changes too, which the feed may
    not have reported yet) and by `changes`, with the new mark; None when only the whole
    board will do (more changes than one read of the log holds)."""
    news = change_log.changes_since(ctx, mark, limit=CATCH_UP_LIMIT)
    newest = news[-1].event_id if news else mark
    if len(news) == CATCH_UP_LIMIT:
        return newest, None
    return newest, floor_patch(ctx, [*news, *changes])


CATCH_UP_LIMIT = 500


def _visits_of(session: Session, customer_ids: set[int], handoff_ids: set[int]) -> set[int]:
    """Open visits of these customers, and the visits these hand-off requests are about."""
    found: set[int] = set()
    if customer_ids:
        found.update(
            visit_id
            for visit_id in session.exec(
                select(Visit.id).where(
                    col(Visit.customer_id).in_(customer_ids), col(Visit.ended_at).is_(None)
                )
            )
            if visit_id is not None
        )
    if handoff_ids:
        found.update(
            session.exec(select(HandoffRequest.visit_id).where(col(HandoffRequest.id).in_(handoff_ids)))
        )
    return found
