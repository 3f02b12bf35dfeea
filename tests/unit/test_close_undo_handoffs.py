"""A day close says which pending hand-off requests it cancels, and undoing it brings
back exactly those (pending, same requester, colleague and reason), unless moot by then,
saying which were not brought back and why. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, HandoffRequest, HandoffStatus
from counter_tui.services import closing, handoffs, reversals, staff, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team, postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the request remembers its close in a migrated column."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def _id(actor: object) -> int:
    staff_id = getattr(actor, "staff_id", None)
    assert staff_id is not None
    return int(staff_id)


def _request(ctx: ShopContext, request_id: int) -> HandoffRequest:
    with ctx.database.read() as session:
        return session.get_one(HandoffRequest, request_id)


def _close(ctx: ShopContext, team: Team) -> closing.ClosePreview:
    preview = closing.close_day_preview(ctx, team.lead)
    closing.close_day(ctx, team.lead, seen=preview.seen, reason="Burst pipe")
    return preview


def _undo(ctx: ShopContext, team: Team, reason: str) -> reversals.UndoResult:
    shown = reversals.undoable_close(ctx, team.lead)
    assert shown is not None
    return reversals.undo_day_close(ctx, team.lead, shown.day_close_id, reason)


def test_the_close_says_which_requests_it_cancels_and_the_undo_brings_them_back(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    kwame = visits.new_walk_in(ctx, team.sam, description="Kwame", claim=True)
    visits.new_walk_in(ctx, team.alex, description="red hat", claim=True)
    asked = handoffs.request_handoff(ctx, team.sam, kwame, _id(team.alex), "Alex knows bikes")
    clock.advance(minutes=30)

    preview = _close(ctx, team)

    assert [(h.request_id, h.said()) for h in preview.handoffs] == [(asked, "Kwame: Sam → Alex")]
    cancelled = _request(ctx, asked)
    assert (cancelled.status, cancelled.decision_note) == (
        HandoffStatus.CANCELLED,
        "visit closed at end of day",
    )
    undoable = reversals.undoable_close(ctx, team.lead)
    assert undoable is not None
    assert [h.request_id for h in undoable.handoffs] == [asked]
    assert undoable.summary().endswith(", and brings back 1 pending hand-off request")

    undone = _undo(ctx, team, "Closed by mistake")

    assert (undone.handoffs_restored, undone.handoffs_not_restored) == ((asked,), ())
    back = _request(ctx, asked)
    assert (back.status, back.from_staff_id, back.to_staff_id, back.reason) == (
        HandoffStatus.PENDING,
        _id(team.sam),
        _id(team.alex),
        "Alex knows bikes",
    )
    assert (back.decided_at, back.decided_by, back.decision_note, back.day_close_id) == (None, None, "", None)
    assert [h.id for h in handoffs.pending_handoffs(ctx, team.lead)] == [asked]
    with ctx.database.read() as session:
        [closed] = session.exec(select(AuditEvent).where(AuditEvent.action == "day.closed")).all()
        assert json.loads(closed.details)["handoffs_cancelled"] == [asked]
        [restored] = session.exec(select(AuditEvent).where(AuditEvent.action == "handoff.restored")).all()
        assert restored.entity_id == asked
        [undo] = session.exec(select(AuditEvent).where(AuditEvent.action == "day.close_undone")).all()
        assert json.loads(undo.details)["handoffs_restored"] == [asked]


def test_requests_made_moot_meanwhile_are_not_brought_back_and_the_undo_says_why(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    kwame = visits.new_walk_in(ctx, team.sam, description="Kwame", claim=True)
    hat = visits.new_walk_in(ctx, team.alex, description="red hat", claim=True)
    to_alex = handoffs.request_handoff(ctx, team.sam, kwame, _id(team.alex), "Alex knows bikes")
    to_sam = handoffs.request_handoff(ctx, team.alex, hat, _id(team.sam), "break")
    clock.advance(minutes=30)
    _close(ctx, team)
    staff.deactivate(ctx, team.lead, name="Alex")  # owns nothing open now; is asked for by Kwame's

    undone = _undo(ctx, team, "Closed by mistake")

    assert undone.handoffs_restored == ()
    assert dict(undone.handoffs_not_restored) == {
        to_alex: "Kwame's hand-off from Sam to Alex was not brought back: Alex is no longer active.",
        to_sam: "red hat's hand-off from Alex to Sam was not brought back: nobody has them now.",
    }
    assert {_request(ctx, to_alex).status, _request(ctx, to_sam).status} == {HandoffStatus.CANCELLED}


def test_a_close_that_found_nothing_pending_brings_nothing_back(ctx: ShopContext, team: Team) -> None:
    hat = visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    asked = handoffs.request_handoff(ctx, team.sam, hat, _id(team.alex), "break")
    handoffs.deny_handoff(ctx, team.lead, asked, "stay with them")
    preview = _close(ctx, team)
    assert preview.handoffs == ()
    undone = _undo(ctx, team, "Closed by mistake")
    assert (undone.handoffs_restored, undone.handoffs_not_restored) == ((), ())
    assert _request(ctx, asked).status == HandoffStatus.DENIED
