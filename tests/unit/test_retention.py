"""Retention: customers not seen for longer than the shop keeps them are erased through
the erasure service, visit text older than its rule is blanked, a dry run changes
nothing, a rule at 0 is off, and every run is audited; a shift lead's job."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, Customer, CustomerNote, NeedKind, Outcome, Visit, VisitNeed
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import customers, retention, shop_settings, visit_needs, visits
from counter_tui.services.audit_verify import verify_chain
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules
from tests.unit.test_cli_staff import LEAD_ENV, invoke


def on_file(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        return sorted(session.exec(select(Customer.name).where(col(Customer.erased_at).is_(None))))


def ended_visit(ctx: ShopContext, team: Team, customer_id: int | None, text: str) -> int:
    visit = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, description=text, claim=True)
    visit_needs.set_need(ctx, team.sam, visit, NeedKind.PICKUP, detail=f"{text} detail")
    visits.add_visit_note(ctx, team.sam, visit, f"{text} note")
    visits.end_visit(ctx, team.sam, visit, Outcome.NO_PURCHASE)
    return visit


def test_customers_unseen_for_longer_than_the_rule_are_erased_after_a_dry_run(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Old Visit", phone="07700 900111")
    ended_visit(ctx, team, ann, "ann")
    customers.create_customer(ctx, team.sam, name="Cal Never Came", phone="07700 900333")
    dee = customers.create_customer(ctx, team.sam, name="Dee Came Back", phone="07700 900444")
    clock.advance(days=380)
    ended_visit(ctx, team, dee, "dee")
    clock.advance(days=20)
    customers.create_customer(ctx, team.sam, name="Bea New", phone="07700 900222")
    set_shop_rules(ctx, {"retention.customers_unseen_days": 365})

    planned = retention.run_retention(ctx, team.lead, dry_run=True)
    assert (planned.dry_run, planned.customers_erased) == (True, 2)
    assert len(on_file(ctx)) == 4

    done = retention.run_retention(ctx, team.lead)

    assert done.customers_erased == 2
    assert on_file(ctx) == ["Bea New", "Dee Came Back"]
    with ctx.database.read() as session:
        reasons = [
            json.loads(event.details)["reason"]
            for event in session.exec(select(AuditEvent).where(AuditEvent.action == "customer.erased"))
        ]
        ran = session.exec(select(AuditEvent).where(AuditEvent.action == retention.RAN)).one()
    assert reasons == ["retention rule: not seen for 365 days"] * 2
    assert json.loads(ran.details) == {"customers_erased": 2, "visits_blanked": 0}
    assert ran.actor_id == team.lead.staff_id


def test_visit_text_older_than_the_rule_is_blanked_and_newer_or_open_visits_keep_theirs(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    old = ended_visit(ctx, team, None, "old")
    still_open = visits.new_walk_in(ctx, team.sam, description="open one", claim=True)
    clock.advance(days=35)
    recent = ended_visit(ctx, team, None, "recent")
    set_shop_rules(ctx, {"retention.visit_text_days": 30})

    assert retention.run_retention(ctx, team.lead, dry_run=True).visits_blanked == 1
    done = retention.run_retention(ctx, team.lead)

    assert done.visits_blanked == 1
    with ctx.database.read() as session:
        described = {v.id: v.description for v in session.exec(select(Visit))}
        details = {n.visit_id: n.detail for n in session.exec(select(VisitNeed))}
        notes = {n.visit_id: n.body for n in session.exec(select(CustomerNote))}
        blanked = session.exec(select(AuditEvent).where(AuditEvent.action == "visits.text_blanked")).one()
    assert described == {old: "", still_open: "open one", recent: "recent"}
    assert (details[old], details[recent]) == ("", "recent detail")
    assert (notes[old], notes[recent]) == ("(erased)", "recent note")
    assert json.loads(blanked.details) == {"visits": 1, "reason": "retention rule: visit text kept 30 days"}


def test_need_details_in_earlier_audit_events_go_too_and_the_trail_still_verifies(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ended_visit(ctx, team, None, "wheelchair ramp")
    clock.advance(days=35)
    set_shop_rules(ctx, {"retention.visit_text_days": 30})

    retention.run_retention(ctx, team.lead)
    retention.run_retention(ctx, team.lead)  # nothing left to take out: no new redactions

    with ctx.database.read() as session:
        held = [event.details for event in session.exec(select(AuditEvent))]
        redactions = session.exec(select(AuditEvent).where(AuditEvent.action == "audit.redacted")).all()
    assert not [details for details in held if "wheelchair" in details]
    assert len(redactions) == 1
    assert verify_chain(ctx).intact


def test_rules_at_zero_do_nothing_and_only_a_lead_runs_them(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    clock.advance(days=5000)
    done = retention.run_retention(ctx, team.lead)
    assert (done.customers_erased, done.visits_blanked, done.plan.unseen_since) == (0, 0, None)
    assert on_file(ctx) == ["Ann Lee"]
    with pytest.raises(NotAllowed, match="Only a shift lead can apply the shop's retention rules"):
        retention.run_retention(ctx, team.sam, dry_run=True)


def test_a_retention_setting_is_days_from_0_to_100_years(ctx: ShopContext, team: Team) -> None:
    shop_settings.change(ctx, team.lead, {"retention.customers_unseen_days": "730"})
    assert ctx.read_rules().retention.customers_unseen_days == 730
    with pytest.raises(InvalidInput, match=r"retention\.visit_text_days"):
        shop_settings.change(ctx, team.lead, {"retention.visit_text_days": "-1"})


def test_cli_dry_run_then_run(shop_with_lead: str) -> None:
    assert (
        invoke(
            shop_with_lead, "shop", "set", "retention.customers_unseen_days", "365", env=LEAD_ENV
        ).exit_code
        == 0
    )

    dry = invoke(shop_with_lead, "retention", "run", "--dry-run", env=LEAD_ENV)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("Would erase 0 customers not seen since ")
    assert dry.stdout.endswith("would blank no visit text (retention.visit_text_days is 0).\n")
    ran = invoke(shop_with_lead, "retention", "run", env=LEAD_ENV)
    assert ran.exit_code == 0, ran.output
    assert ran.stdout.startswith("Erased 0 customers not seen since ")
