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
from counter_tui.services import customer_record, customers, erasure, staff, visit_needs, visit_views, visits
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


def test_needs_ticked_together_keep_each_its_own_detail(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    """Callback wanted and language ticked at once, a detail for each: each need stores
    its own (one text was stored on both: the language read "when ramp in")."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visit_needs.update_needs(
        ctx,
        team.sam,
        visit_id,
        add=[NeedKind.CALLBACK_WANTED, NeedKind.LANGUAGE],
        details={NeedKind.CALLBACK_WANTED: "when the ramp is in", NeedKind.LANGUAGE: "Polish 🇵🇱"},
        remember=[NeedKind.LANGUAGE],
    )
    assert _active(ctx, team.sam, visit_id) == {
        NeedKind.CALLBACK_WANTED: "when the ramp is in",
        NeedKind.LANGUAGE: "Polish 🇵🇱",
    }
    with ctx.database.read() as session:
        standing = [(s.kind, s.detail) for s in session.exec(select(StandingNeed))]
    assert standing == [(NeedKind.LANGUAGE, "Polish 🇵🇱")]
    [event] = audit_log("visit.needs_updated")
    assert json.loads(event.details) == {
        "added": ["callback_wanted", "language"],
        "cleared": [],
        "detail": {"callback_wanted": "when the ramp is in", "language": "Polish 🇵🇱"},
        "remember": ["language"],
    }


def test_a_detail_belongs_to_a_need_being_set(ctx: ShopContext, team: Team, row_count: RowCount) -> None:
    """A detail for a need not ticked is refused, naming the need."""
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    with pytest.raises(InvalidInput) as refused:
        visit_needs.update_needs(
            ctx, team.sam, visit_id, add=[NeedKind.LANGUAGE], details={NeedKind.PICKUP: "order 1182"}
        )
    assert str(refused.value).startswith("'Pickup' is not ticked")
    assert refused.value.field == "detail_pickup"
    assert row_count(VisitNeed) == 0


@pytest.mark.parametrize("kind", [NeedKind.CALLBACK_WANTED, NeedKind.PICKUP, NeedKind.ORDER_QUESTION])
def test_a_one_off_need_is_not_remembered(
    ctx: ShopContext, team: Team, bob: int, kind: NeedKind, row_count: RowCount, audit_log: AuditLog
) -> None:
    """A call back, a pickup or an order question is about this visit: remembering it is
    refused in one sentence about the Remember box, and nothing is stored (the next visit
    said "callback wanted" when they had asked once)."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with pytest.raises(InvalidInput) as refused:
        visit_needs.update_needs(
            ctx, team.sam, visit_id, add=[kind, NeedKind.LANGUAGE], remember=[kind, NeedKind.LANGUAGE]
        )
    assert "this visit only" in str(refused.value)
    assert refused.value.field == f"remember_{kind}"
    with pytest.raises(InvalidInput):
        visit_needs.set_need(ctx, team.sam, visit_id, kind, remember=True)
    with pytest.raises(InvalidInput):
        customers.set_standing_need(ctx, team.sam, bob, kind, remember=True)
    assert (row_count(VisitNeed), row_count(StandingNeed)) == (0, 0)
    assert audit_log("visit.needs_updated", "visit.need_set", "customer.standing_need_set") == []


def test_a_one_off_need_remembered_before_is_not_applied_to_the_next_visit(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    """A callback remembered before the rule (still in the database) no longer comes back
    on every visit; the language remembered with it does."""
    with ctx.database.write() as session:
        for kind, detail in ((NeedKind.CALLBACK_WANTED, "Polish"), (NeedKind.LANGUAGE, "Polish")):
            session.add(StandingNeed(customer_id=bob, kind=kind, detail=detail, updated_at=ctx.now()))
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob)
    assert _active(ctx, team.sam, visit_id) == {NeedKind.LANGUAGE: "Polish"}


def test_retention_blanks_each_needs_details_in_the_audit_event(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    """The details kept per need in `visit.needs_updated` go when the visit's text does."""
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    visit_needs.update_needs(
        ctx, team.sam, visit_id, add=[NeedKind.LANGUAGE], details={NeedKind.LANGUAGE: "Welsh"}
    )
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    erasure.blank_visit_text(ctx, team.lead, ctx.now() + timedelta(days=1), reason="retention")
    [event] = audit_log("visit.needs_updated")
    assert "Welsh" not in event.details
