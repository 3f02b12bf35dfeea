"""Walk-outs: a customer on file who asked for help (or checked in at the kiosk) and left
unserved is owed an apology, queued for the lead on shift with how long they waited, only
with their consent, audited, and never twice for one visit."""

from __future__ import annotations

from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus, NeedKind, Outcome, Visit
from counter_tui.services import (
    closing,
    customers,
    followups,
    kiosk,
    reversals,
    staff,
    visit_customer,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.walkouts import owe_apology
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _apologies(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.APOLOGY)))


def _consent(ctx: ShopContext, team: Team, customer_id: int, channel: str = Channel.PHONE) -> None:
    customers.record_consent(ctx, team.sam, customer_id, channel, granted=True, source="counter")


def _waiting_for_help(ctx: ShopContext, team: Team, customer_id: int) -> int:
    return visits.new_walk_in(ctx, team.sam, customer_id=customer_id, needs=[NeedKind.NEEDS_HELP])


def test_a_customer_who_asked_for_help_and_left_is_owed_an_apology_by_the_lead_on_shift(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, audit_log: AuditLog
) -> None:
    _consent(ctx, team, bob)
    visit_id = _waiting_for_help(ctx, team, bob)
    clock.advance(minutes=25)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    [apology] = _apologies(ctx)
    assert (apology.owner_id, apology.customer_id, apology.visit_id, apology.channel) == (
        team.lead.staff_id,
        bob,
        visit_id,
        Channel.PHONE,
    )
    assert "asked for help at Fri 20 Nov 11:00 and waited 25 minutes until they left" in apology.summary
    assert "apology is queued for the shift lead" in result.message
    queued = [e for e in audit_log("followup.queued") if e.entity_id == apology.id]
    assert len(queued) == 1 and '"waited_minutes": 25' in queued[0].details


def test_no_apology_without_consent_and_the_walk_out_is_audited(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    visit_id = _waiting_for_help(ctx, team, bob)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    assert _apologies(ctx) == []
    assert result.message == (
        "Visit ended. They asked for help and left unserved; no apology is queued: "
        "they have not agreed to be contacted."
    )
    [event] = audit_log("walkout.no_apology")
    assert event.entity_id == visit_id and '"why": "no contact consent"' in event.details


def test_a_withdrawn_consent_is_no_consent(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob)
    customers.record_consent(ctx, team.sam, bob, Channel.PHONE, granted=False, source="asked us to stop")
    visits.end_visit(ctx, team.sam, _waiting_for_help(ctx, team, bob), Outcome.LEFT_UNSERVED)
    assert _apologies(ctx) == []


def test_a_kiosk_check_in_linked_to_their_record_counts_as_asking(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _consent(ctx, team, bob, Channel.EMAIL)
    visit_id = kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="Bob", need=NeedKind.PICKUP)).visit_id
    visit_customer.attach_customer(ctx, team.sam, visit_id, bob)
    clock.advance(minutes=1)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    [apology] = _apologies(ctx)
    assert apology.channel == Channel.EMAIL
    assert "checked in at the kiosk" in apology.summary and "waited 1 minute until" in apology.summary


def test_someone_browsing_who_left_or_anyone_served_is_owed_nothing(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    _consent(ctx, team, bob)
    browsing = visits.new_walk_in(ctx, team.sam, customer_id=bob, needs=[NeedKind.BROWSE_PRIVATELY])
    visits.end_visit(ctx, team.sam, browsing, Outcome.LEFT_UNSERVED)
    helped = _waiting_for_help(ctx, team, bob)
    visits.claim_visit(ctx, team.sam, helped)
    visits.end_visit(ctx, team.sam, helped, Outcome.NO_PURCHASE)
    assert _apologies(ctx) == []


def test_never_twice_for_one_visit_even_when_reopened_and_ended_again(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    _consent(ctx, team, bob)
    visit_id = _waiting_for_help(ctx, team, bob)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    reversals.reopen_visit(ctx, team.lead, visit_id, "ended by mistake")
    visits.end_visit(ctx, team.lead, visit_id, Outcome.LEFT_UNSERVED)
    with ctx.database.write() as session:
        assert owe_apology(session, ctx, team.lead, session.get_one(Visit, visit_id)) is None
    assert [a.status for a in _apologies(ctx)] == [FollowUpStatus.CANCELLED, FollowUpStatus.OPEN]


def test_an_apology_already_made_is_not_made_again_after_a_reopen(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    _consent(ctx, team, bob)
    visit_id = _waiting_for_help(ctx, team, bob)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    [apology] = _apologies(ctx)
    assert apology.id is not None
    followups.complete_followup(ctx, team.lead, apology.id, what_was_done="Rang Bob and said sorry")
    reversals.reopen_visit(ctx, team.lead, visit_id, "ended by mistake")
    visits.end_visit(ctx, team.lead, visit_id, Outcome.LEFT_UNSERVED)
    assert [a.status for a in _apologies(ctx)] == [FollowUpStatus.DONE]


def test_reopening_a_walk_out_that_was_a_purchase_withdraws_its_apology(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    """Ended as 'left unserved' by mistake: the customer who bought is not rung to be
    apologised to; they are thanked instead."""
    _consent(ctx, team, bob)
    visit_id = _waiting_for_help(ctx, team, bob)
    visits.claim_visit(ctx, team.sam, visit_id)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    reversals.reopen_visit(ctx, team.lead, visit_id, "wrong outcome")
    visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE, personal_line="Enjoy the new phone case")
    [apology] = _apologies(ctx)
    assert (apology.status, apology.cancel_reason) == (
        FollowUpStatus.CANCELLED,
        "Visit reopened: wrong outcome",
    )
    [reopened] = audit_log("visit.reopened")
    assert f'"apology_cancelled": {apology.id}' in reopened.details
    with ctx.database.read() as session:
        owed = session.exec(
            select(FollowUp.kind).where(FollowUp.visit_id == visit_id, FollowUp.status == FollowUpStatus.OPEN)
        ).all()
    assert owed == [FollowUpKind.THANK_YOU]


def test_never_claimed_and_closed_at_end_of_day_is_a_walk_out(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _consent(ctx, team, bob, Channel.SMS)
    _waiting_for_help(ctx, team, bob)
    clock.advance(hours=7)
    closing.close_day(ctx, team.lead, seen=closing.close_day_preview(ctx, team.lead).seen, reason="")
    [apology] = _apologies(ctx)
    assert apology.channel == Channel.SMS and "until the end of the day" in apology.summary


def test_the_lead_on_shift_is_the_lead_signed_in_last(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    lee = staff.add_staff(ctx, None, name="Lee", pin="4444", role="lead")
    clock.advance(minutes=5)
    staff.sign_in(ctx, lee.id, "4444")
    _consent(ctx, team, bob)
    visits.end_visit(ctx, team.sam, _waiting_for_help(ctx, team, bob), Outcome.LEFT_UNSERVED)
    assert [a.owner_id for a in _apologies(ctx)] == [lee.id]


def test_a_customer_greeted_at_arrival_is_not_said_to_have_waited(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock, audit_log: AuditLog
) -> None:
    """ "I'm greeting them now" claims them at arrival: nobody kept them waiting, so the
    apology says nothing about minutes, however long the visit ran."""
    _consent(ctx, team, bob)
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, needs=[NeedKind.NEEDS_HELP], claim=True)
    clock.advance(minutes=22)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    [apology] = _apologies(ctx)
    assert apology.summary == "Apologise: they asked for help at Fri 20 Nov 11:00 and left unserved."
    [queued] = [e for e in audit_log("followup.queued") if e.entity_id == apology.id]
    assert '"waited_minutes": 0' in queued.details


def test_the_wait_is_from_arrival_to_the_first_claim(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _consent(ctx, team, bob)
    visit_id = _waiting_for_help(ctx, team, bob)
    clock.advance(minutes=9)
    visits.claim_visit(ctx, team.sam, visit_id)
    clock.advance(minutes=13)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    [apology] = _apologies(ctx)
    assert apology.summary == (
        "Apologise: they asked for help at Fri 20 Nov 11:00 and waited 9 minutes before anyone "
        "greeted them; they left unserved."
    )
