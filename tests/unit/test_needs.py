"""Needs on a visit: browse privately with its quiet check-back time, needs help, the two
replacing each other, the other kinds a shop wants, remembering a need on the customer,
clearing, and who may set needs on an owned or unowned visit."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import col, select

from counter_tui.db.models import NeedKind, Outcome, StandingNeed, VisitNeed
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotAllowed
from counter_tui.services import customer_record, customers, staff, visit_needs, visit_views, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team, set_shop_rules
from tests.unit.conftest import AuditLog, RowCount


def _active(ctx: ShopContext, actor: Actor, visit_id: int) -> dict[str, str]:
    return {need.kind: need.detail for need in visit_views.visit_detail(ctx, actor, visit_id).needs}


def test_browse_privately_sets_a_quiet_check_back_time(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.BROWSE_PRIVATELY)
    [need] = visit_views.visit_detail(ctx, team.sam, visit_id).needs
    minutes = ctx.rules.thresholds.browse_check_back_minutes
    assert need.kind == NeedKind.BROWSE_PRIVATELY
    assert need.check_back_at == ctx.now() + timedelta(minutes=minutes)
    assert minutes == 15
    [event] = audit_log("visit.need_set")
    assert event.entity_id == visit_id
    assert json.loads(event.details) == {
        "kind": "browse_privately",
        "detail": "",
        "remember": False,
    }


def test_check_back_minutes_come_from_the_settings(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"thresholds.browse_check_back_minutes": 40})
    visit_id = visits.new_walk_in(ctx, team.sam, needs=[NeedKind.BROWSE_PRIVATELY])
    [need] = visit_views.visit_detail(ctx, team.sam, visit_id).needs
    assert need.check_back_at == ctx.now() + timedelta(minutes=40)


def test_browse_privately_and_needs_help_replace_each_other(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, needs=[NeedKind.BROWSE_PRIVATELY])
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.LANGUAGE, detail="Polish")
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)
    assert _active(ctx, team.sam, visit_id) == {
        NeedKind.LANGUAGE: "Polish",
        NeedKind.NEEDS_HELP: "",
    }
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.BROWSE_PRIVATELY)
    assert set(_active(ctx, team.sam, visit_id)) == {NeedKind.LANGUAGE, NeedKind.BROWSE_PRIVATELY}
    with ctx.database.read() as session:
        cleared = session.exec(select(VisitNeed).where(col(VisitNeed.cleared_at).is_not(None))).all()
    assert sorted(n.kind for n in cleared) == [NeedKind.BROWSE_PRIVATELY, NeedKind.NEEDS_HELP]
    assert all(n.cleared_by == team.sam.staff_id for n in cleared)


def test_setting_a_need_again_updates_it_rather_than_duplicating(
    ctx: ShopContext, team: Team, row_count: RowCount
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.PICKUP, detail="order 1")
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.PICKUP, detail="order 2")
    assert _active(ctx, team.sam, visit_id) == {NeedKind.PICKUP: "order 2"}
    assert row_count(VisitNeed) == 1


@pytest.mark.parametrize(
    "kind",
    [
        NeedKind.CALLBACK_WANTED,
        NeedKind.ACCESSIBILITY,
        NeedKind.LANGUAGE,
        NeedKind.PICKUP,
        NeedKind.ORDER_QUESTION,
    ],
)
def test_every_other_need_kind_can_be_set_and_cleared(
    ctx: ShopContext, team: Team, kind: str, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    visit_needs.set_need(ctx, team.sam, visit_id, kind, detail="\x1b[1mdetail\x07")
    [need] = visit_views.visit_detail(ctx, team.sam, visit_id).needs
    assert (need.kind, need.detail, need.check_back_at) == (kind, "[1mdetail", None)
    visit_needs.clear_need(ctx, team.sam, visit_id, kind)
    assert visit_views.visit_detail(ctx, team.sam, visit_id).needs == ()
    [cleared] = audit_log("visit.need_cleared")
    assert json.loads(cleared.details) == {"kind": kind}
    with pytest.raises(Conflict, match="is not set on this visit"):
        visit_needs.clear_need(ctx, team.sam, visit_id, kind)


def test_unknown_need_is_refused(ctx: ShopContext, team: Team, row_count: RowCount) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    with pytest.raises(InvalidInput, match="Unknown need 'telepathy'"):
        visit_needs.set_need(ctx, team.sam, visit_id, "telepathy")
    assert row_count(VisitNeed) == 0


def test_remember_keeps_the_need_for_the_next_visit(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    first = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visit_needs.set_need(ctx, team.sam, first, NeedKind.ACCESSIBILITY, detail="step-free", remember=True)
    visit_needs.set_need(ctx, team.sam, first, NeedKind.PICKUP, detail="one-off")
    with ctx.database.read() as session:
        [standing] = session.exec(select(StandingNeed)).all()
    assert (standing.customer_id, standing.kind, standing.detail) == (
        bob,
        NeedKind.ACCESSIBILITY,
        "step-free",
    )
    visits.end_visit(ctx, team.sam, first, Outcome.NO_PURCHASE)

    second = visits.new_walk_in(ctx, team.alex, customer_id=bob)
    assert _active(ctx, team.alex, second) == {NeedKind.ACCESSIBILITY: "step-free"}
    detail = customer_record.customer_detail(ctx, team.alex, bob)
    assert [(n.kind, n.detail) for n in detail.standing_needs] == [(NeedKind.ACCESSIBILITY, "step-free")]
    visit_needs.set_need(ctx, team.alex, second, NeedKind.ACCESSIBILITY, detail="ramp at side", remember=True)
    assert row_count(StandingNeed) == 1


def test_todays_choice_beats_a_remembered_need_it_would_replace(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    customers.set_standing_need(ctx, team.sam, bob, NeedKind.BROWSE_PRIVATELY, remember=True)
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, needs=[NeedKind.NEEDS_HELP])
    assert set(_active(ctx, team.sam, visit_id)) == {NeedKind.NEEDS_HELP}
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    again = visits.new_walk_in(ctx, team.sam, customer_id=bob)
    assert set(_active(ctx, team.sam, again)) == {NeedKind.BROWSE_PRIVATELY}


def test_remembering_on_a_walk_in_waits_until_they_are_on_file(
    ctx: ShopContext, team: Team, row_count: RowCount, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="red hat")
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.LANGUAGE, remember=True)
    assert row_count(VisitNeed) == 1
    assert row_count(StandingNeed) == 0  # kept on the visit (tests/unit/test_walk_in_to_file.py)
    assert len(audit_log("visit.need_set")) == 1


def test_a_colleague_cannot_set_or_clear_needs_on_an_owned_visit(
    ctx: ShopContext, team: Team, row_count: RowCount, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True, needs=[NeedKind.LANGUAGE])
    with pytest.raises(AlreadyOwned) as blocked:
        visit_needs.set_need(ctx, team.alex, visit_id, NeedKind.NEEDS_HELP)
    assert "Sam has this customer since 11:00" in str(blocked.value)
    assert "shift lead can approve a hand-off" in str(blocked.value)
    with pytest.raises(AlreadyOwned):
        visit_needs.clear_need(ctx, team.alex, visit_id, NeedKind.LANGUAGE)
    assert _active(ctx, team.sam, visit_id) == {NeedKind.LANGUAGE: ""}
    assert row_count(VisitNeed) == 1
    assert audit_log("visit.need_set", "visit.need_cleared") == []


def test_the_owner_and_a_lead_may_set_needs_on_an_owned_visit(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)
    visit_needs.set_need(ctx, team.lead, visit_id, NeedKind.LANGUAGE, detail="Welsh")
    assert set(_active(ctx, team.sam, visit_id)) == {NeedKind.NEEDS_HELP, NeedKind.LANGUAGE}


def test_anyone_may_set_needs_on_an_unowned_visit(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead)
    visit_needs.set_need(ctx, team.alex, visit_id, NeedKind.NEEDS_HELP)
    visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.ACCESSIBILITY)
    visit_needs.clear_need(ctx, team.alex, visit_id, NeedKind.ACCESSIBILITY)
    assert set(_active(ctx, team.sam, visit_id)) == {NeedKind.NEEDS_HELP}


def test_needs_cannot_change_on_an_ended_visit(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    with pytest.raises(Conflict, match="already ended"):
        visit_needs.set_need(ctx, team.sam, visit_id, NeedKind.NEEDS_HELP)


def test_kiosk_and_inactive_staff_cannot_set_needs(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam)
    with pytest.raises(NotAllowed, match="kiosk"):
        visit_needs.set_need(ctx, Actor.kiosk("door"), visit_id, NeedKind.NEEDS_HELP)
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(NotAllowed, match="no longer active"):
        visit_needs.set_need(ctx, team.alex, visit_id, NeedKind.NEEDS_HELP)
