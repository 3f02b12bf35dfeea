"""Closing the day closes what the lead was shown, or nothing: a visit claimed, ended or
arrived, or a hand-off requested or decided, after the preview is refused with one
sentence saying what changed (and nothing is written); a second lead confirming after
the first closed is told so, not given an empty close; an empty close is recorded only
when the preview was empty and still is. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, DayClose, HandoffRequest, HandoffStatus, Outcome, Visit
from counter_tui.services import closing, handoffs, reversals, staff, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team, postgres_url

AFTER_CLOSING = datetime(2026, 11, 20, 17, 35, tzinfo=UTC)  # Friday, closed at 17:30


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the check and the close are one transaction on each."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def _id(actor: Actor) -> int:
    assert actor.staff_id is not None
    return actor.staff_id


def _closes(ctx: ShopContext) -> list[int]:
    with ctx.database.read() as session:
        return [close.id or 0 for close in session.exec(select(DayClose).order_by(col(DayClose.id)))]


def _day_closed_events(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == "day.closed")).all())


def _open(ctx: ShopContext, visit_id: int) -> bool:
    with ctx.database.read() as session:
        return session.get_one(Visit, visit_id).ended_at is None


def _priya(ctx: ShopContext, team: Team) -> Actor:
    priya = staff.add_staff(ctx, team.lead, name="Priya", pin="7777", role="lead")
    return staff.sign_in(ctx, priya.id, "7777")


def test_a_visit_claimed_after_the_preview_is_refused_then_closed_once_shown(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ana = visits.new_walk_in(ctx, team.sam, description="Ana")
    clock.moment = AFTER_CLOSING
    shown = closing.close_day_preview(ctx, team.lead)
    visits.claim_visit(ctx, team.sam, ana)

    with pytest.raises(closing.CloseChanged) as refused:
        closing.close_day(ctx, team.lead, seen=shown.seen, reason="quiet")

    assert str(refused.value) == (
        "Since you opened this, Sam claimed Ana; check the list and press Enter again to close."
    )
    assert refused.value.nothing_left is False
    assert (_open(ctx, ana), _closes(ctx), _day_closed_events(ctx)) == (True, [], 0)
    again = closing.close_day_preview(ctx, team.lead)
    assert again.summary() == "1 visit: 1 with Sam"
    result = closing.close_day(ctx, team.lead, seen=again.seen, reason="quiet")
    assert result.closed_visit_ids == (ana,)


def test_a_hand_off_requested_after_the_preview_is_not_cancelled_unseen(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    kwame = visits.new_walk_in(ctx, team.sam, description="Kwame", claim=True)
    clock.moment = AFTER_CLOSING
    shown = closing.close_day_preview(ctx, team.lead)
    asked = handoffs.request_handoff(ctx, team.sam, kwame, _id(team.alex), "Alex knows bikes")

    with pytest.raises(closing.CloseChanged) as refused:
        closing.close_day(ctx, team.lead, seen=shown.seen)

    assert str(refused.value) == (
        "Since you opened this, Sam asked to hand Kwame to Alex; "
        "check the list and press Enter again to close."
    )
    with ctx.database.read() as session:
        assert session.get_one(HandoffRequest, asked).status == HandoffStatus.PENDING
    again = closing.close_day_preview(ctx, team.lead)
    assert closing.close_day(ctx, team.lead, seen=again.seen).cancelled_handoff_ids == (asked,)


def test_every_change_is_said_ended_arrived_moved_and_decided(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ana = visits.new_walk_in(ctx, team.sam, description="Ana", claim=True)
    bo = visits.new_walk_in(ctx, team.sam, description="Bo", claim=True)
    cy = visits.new_walk_in(ctx, team.sam, description="Cy", claim=True)
    asked = handoffs.request_handoff(ctx, team.sam, cy, _id(team.alex), "Alex knows bikes")
    clock.moment = AFTER_CLOSING
    shown = closing.close_day_preview(ctx, team.lead)
    visits.end_visit(ctx, team.sam, ana, Outcome.NO_PURCHASE)
    handoffs.reassign_visit(ctx, team.lead, bo, _id(team.alex), "Sam left", seen_owner_id=_id(team.sam))
    handoffs.deny_handoff(ctx, team.lead, asked, "stay with Sam")
    visits.new_walk_in(ctx, team.alex, description="Di")

    with pytest.raises(closing.CloseChanged) as refused:
        closing.close_day(ctx, team.lead, seen=shown.seen)

    assert str(refused.value) == (
        "Since you opened this, Sam ended Ana's visit, Bo moved from Sam to Alex, Di arrived "
        "and the hand-off request for Cy was decided; "
        "check the list and press Enter again to close."
    )
    assert _closes(ctx) == []
    visits.new_walk_in(ctx, team.alex, description="Ed")
    with pytest.raises(closing.CloseChanged, match=", Di arrived and 2 more changes; check the list"):
        closing.close_day(ctx, team.lead, seen=shown.seen)


def test_a_second_lead_confirming_after_the_first_closed_is_told_so_not_given_an_empty_close(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    visits.new_walk_in(ctx, team.sam, description="Ana", claim=True)
    clock.moment = AFTER_CLOSING
    priya = _priya(ctx, team)
    danas = closing.close_day_preview(ctx, team.lead)
    priyas = closing.close_day_preview(ctx, priya)
    first = closing.close_day(ctx, team.lead, seen=danas.seen)

    with pytest.raises(closing.CloseChanged) as refused:
        closing.close_day(ctx, priya, seen=priyas.seen, reason="end of day")

    assert str(refused.value) == "Dana already closed the day at 17:35; nothing is left to close."
    assert refused.value.nothing_left is True
    assert (_closes(ctx), _day_closed_events(ctx)) == ([first.day_close_id], 1)


def test_an_empty_close_is_recorded_only_when_shown_empty_and_still_empty(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    clock.moment = AFTER_CLOSING
    priya = _priya(ctx, team)
    danas = closing.close_day_preview(ctx, team.lead)
    priyas = closing.close_day_preview(ctx, priya)
    assert danas.visits == ()

    first = closing.close_day(ctx, team.lead, seen=danas.seen, reason="quiet day")
    assert first.closed_visit_ids == ()
    with pytest.raises(closing.CloseChanged, match=r"^Dana already closed the day at 17:35; nothing is left"):
        closing.close_day(ctx, priya, seen=priyas.seen)

    empty = closing.close_day_preview(ctx, priya)
    late = visits.new_walk_in(ctx, team.sam, description="late Lou")
    with pytest.raises(closing.CloseChanged) as refused:
        closing.close_day(ctx, priya, seen=empty.seen)
    assert str(refused.value) == (
        "Since you opened this, late Lou arrived; check the list and press Enter again to close."
    )
    assert (_closes(ctx), _open(ctx, late)) == ([first.day_close_id], True)
    with ctx.database.read() as session:
        (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "day.closed")).all()
    assert json.loads(event.details)["reason"] == "quiet day"


def test_a_close_undone_meanwhile_is_no_change(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    ana = visits.new_walk_in(ctx, team.sam, description="Ana", claim=True)
    clock.moment = AFTER_CLOSING
    shown = closing.close_day_preview(ctx, team.lead)
    priya = _priya(ctx, team)
    closed = closing.close_day(ctx, priya, seen=closing.close_day_preview(ctx, priya).seen)
    reversals.undo_day_close(ctx, priya, closed.day_close_id or 0, "too soon")
    assert closing.close_day(ctx, team.lead, seen=shown.seen).closed_visit_ids == (ana,)
