"""A customer who asked for a call back ("callback wanted" on their visit) is never
forgotten when the visit ends: the callback is queued for the visit's owner, due as a
callback is, unless one is open already; when it cannot be (not on file, no phone, no
consent to be called or texted), ending says so and the audit log records why."""

from __future__ import annotations

from sqlmodel import select

from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus, NeedKind, Outcome
from counter_tui.services import closing, customers, followups, visit_needs, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _callbacks(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.CALLBACK)))


def _asking(ctx: ShopContext, team: Team, customer_id: int | None, detail: str = "") -> int:
    """Sam's visit, with "callback wanted" (and what about) set."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, description="Fay", claim=True)
    visit_needs.update_needs(
        ctx, team.sam, visit_id, add=[NeedKind.CALLBACK_WANTED], details={NeedKind.CALLBACK_WANTED: detail}
    )
    return visit_id


def _consent(ctx: ShopContext, team: Team, customer_id: int, channel: str = Channel.PHONE) -> None:
    customers.record_consent(ctx, team.sam, customer_id, channel, granted=True, source="counter")


def test_ending_the_visit_queues_the_callback_they_asked_for(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    _consent(ctx, team, bob)
    visit_id = _asking(ctx, team, bob, detail="when the wheelchair ramp is in")
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    [callback] = _callbacks(ctx)
    assert (callback.owner_id, callback.customer_id, callback.visit_id, callback.channel) == (
        team.sam.staff_id,
        bob,
        visit_id,
        Channel.PHONE,
    )
    assert callback.status == FollowUpStatus.OPEN
    assert "when the wheelchair ramp is in" in callback.summary
    assert result.message == "Visit ended. The call back they asked for is queued for Sam."
    assert [e.entity_id for e in audit_log("followup.queued")] == [callback.id]


def test_by_text_when_that_is_what_they_agreed_to(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob, Channel.SMS)
    visits.end_visit(ctx, team.sam, _asking(ctx, team, bob), Outcome.PURCHASE)
    [callback] = _callbacks(ctx)
    assert callback.channel == Channel.SMS
    assert "asked for a call back" in callback.summary


def test_a_callback_already_queued_is_not_queued_twice(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob)
    visit_id = _asking(ctx, team, bob)
    followups.add_callback(ctx, team.sam, bob, about="Price for the re-grip")
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    assert [c.summary for c in _callbacks(ctx)] == ["Price for the re-grip"]
    assert result.message == "Visit ended."


def test_a_need_cleared_during_the_visit_asks_for_nothing(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob)
    visit_id = _asking(ctx, team, bob)
    visit_needs.update_needs(ctx, team.sam, visit_id, clear=[NeedKind.CALLBACK_WANTED])
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    assert _callbacks(ctx) == []


def test_when_it_cannot_be_queued_ending_says_why_and_the_log_keeps_it(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    no_consent = visits.end_visit(ctx, team.sam, _asking(ctx, team, bob), Outcome.NO_PURCHASE)
    assert no_consent.message == (
        "Visit ended. They asked for a call back, but none is queued: Bob Jones has not agreed to be "
        "called or texted. Add it with b on their record once they agree."
    )
    not_on_file = visits.end_visit(ctx, team.sam, _asking(ctx, team, None), Outcome.NO_PURCHASE)
    assert not_on_file.message == (
        "Visit ended. They asked for a call back, but none is queued: they are not on file."
    )
    assert _callbacks(ctx) == []
    assert ['"why": "no consent"' in e.details for e in audit_log("callback.not_queued")] == [True, False]


def test_closing_the_day_queues_the_call_back_too(ctx: ShopContext, team: Team, bob: int) -> None:
    _consent(ctx, team, bob)
    visit_id = _asking(ctx, team, bob, detail="about the hire bike")
    preview = closing.close_day_preview(ctx, team.lead)
    closing.close_day(ctx, team.lead, seen=preview.seen, reason="closing early")
    [callback] = _callbacks(ctx)
    assert (callback.owner_id, callback.visit_id) == (team.sam.staff_id, visit_id)
