"""No hounding (`followups.contact_cadence_days`, services/cadence.py): within the cadence
after any contact, outreach the shop starts waits — a thank-you is not queued, a callback
the shop places is refused, a status update or a feedback message is not completed by
phone, text or email, and feedback acted on is queued for when the cadence allows — while
what the customer asked for (a callback they requested, a promise kept) is never held.
The customer view says when they were last contacted and how."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpKind
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import customer_record, customers, feedback, followups, status_updates, visits
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules

GOOD_LINE = "Enjoy the walnut chopping board in the new kitchen"


def _buy(ctx: ShopContext, team: Team, customer_id: int) -> visits.EndResult:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id, claim=True)
    return visits.end_visit(ctx, team.sam, visit_id, "purchase")


def _bought_and_thanked(ctx: ShopContext, team: Team) -> tuple[int, visits.EndResult]:
    """Ada buys something and is thanked by email straight away."""
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace", email="ada@example.com")
    first = _buy(ctx, team, ada)
    assert first.thank_you_id is not None
    followups.complete_followup(
        ctx, team.sam, first.thank_you_id, what_was_done="Emailed", personal_line=GOOD_LINE
    )
    return ada, first


def _thank_yous(ctx: ShopContext) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.THANK_YOU)))


def test_a_purchase_soon_after_a_thank_you_queues_none_and_says_why(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ada, _ = _bought_and_thanked(ctx, team)
    clock.advance(days=1)
    second = _buy(ctx, team, ada)
    assert second.thank_you_id is None
    assert "Ada Lovelace was contacted on Fri 20 Nov in person (thank-you)" in second.message
    assert "at most once every 2 days so as not to hound them: not before Sun 22 Nov" in second.message
    assert len(_thank_yous(ctx)) == 1


def test_a_personal_line_for_a_thank_you_the_cadence_holds_is_refused_and_nothing_ends(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The line was thrown away: the visit ended and said no thank-you was queued."""
    ada, _ = _bought_and_thanked(ctx, team)
    clock.advance(days=1)
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=ada, claim=True)

    with pytest.raises(
        InvalidInput, match="No thank-you can be queued yet: Ada Lovelace was contacted"
    ) as refused:
        visits.end_visit(ctx, team.sam, visit_id, "purchase", personal_line="Lovely to see the ramp fitted")

    assert refused.value.field == "personal_line"
    assert "Clear the personal line to end the visit without one." in str(refused.value)
    with ctx.database.read() as session:
        assert visits.load_visit(session, visit_id).ended_at is None
    assert len(_thank_yous(ctx)) == 1


def test_after_the_cadence_a_new_thank_you_is_queued(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ada, first = _bought_and_thanked(ctx, team)
    clock.advance(days=3)
    second = _buy(ctx, team, ada)
    assert second.thank_you_id is not None
    assert second.thank_you_id != first.thank_you_id
    assert len(_thank_yous(ctx)) == 2


def test_a_cadence_of_zero_days_thanks_every_purchase(ctx: ShopContext, team: Team) -> None:
    set_shop_rules(ctx, {"followups.contact_cadence_days": 0})
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace")
    first = _buy(ctx, team, ada)
    assert first.thank_you_id is not None
    followups.complete_followup(
        ctx, team.sam, first.thank_you_id, what_was_done="Said it in person", personal_line=GOOD_LINE
    )
    assert _buy(ctx, team, ada).thank_you_id is not None


def _contacted_by_email_today(ctx: ShopContext, team: Team) -> int:
    """Bob agreed to email and phone, and was told today by email that a promise is kept."""
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com"
    )
    for channel in (Channel.EMAIL, Channel.PHONE):
        customers.record_consent(ctx, team.sam, bob, channel, granted=True, source="counter")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="order the kettle", due_at=ctx.now() + timedelta(hours=2), channel="email"
    )
    followups.complete_followup(ctx, team.sam, promise, what_was_done="Emailed", customer_informed=True)
    return bob


def test_a_callback_the_shop_places_waits_but_one_they_asked_for_never_does(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    bob = _contacted_by_email_today(ctx, team)
    with pytest.raises(
        NotAllowed, match=re.escape("Bob Jones was contacted on Fri 20 Nov by email (promise)")
    ):
        followups.add_callback(ctx, team.sam, bob, about="New range is in", asked_by_customer=False)
    assert followups.add_callback(ctx, team.sam, bob, about="Wants the price of the blue one") > 0

    clock.advance(days=2)
    assert followups.add_callback(ctx, team.sam, bob, about="New range is in", asked_by_customer=False) > 0


@pytest.mark.parametrize("kind", ["status_update", "feedback_acted_on"])
def test_a_status_update_or_feedback_message_by_phone_or_email_waits_for_the_cadence(
    ctx: ShopContext, team: Team, clock: ManualClock, kind: str
) -> None:
    bob = _contacted_by_email_today(ctx, team)
    if kind == "status_update":
        followup_id = status_updates.start_status_update(
            ctx, team.sam, bob, about="the watch repair", channel=Channel.PHONE, every_days=1
        )
    else:
        feedback.record_feedback(ctx, team.sam, body="No parking", customer_id=bob, topics=["parking"])
        [followup_id] = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "New bays").followup_ids
        assert _due(ctx, followup_id) >= ctx.now() + timedelta(days=2)  # queued for when it may go

    with pytest.raises(NotAllowed, match=r"not before Sun 22 Nov, .* Snooze it until then, or cancel it"):
        followups.complete_followup(ctx, team.sam, followup_id, what_was_done="Rang them")
    clock.advance(days=2)
    followups.complete_followup(ctx, team.sam, followup_id, what_was_done="Rang them")


def test_told_in_person_is_never_held(ctx: ShopContext, team: Team) -> None:
    bob = _contacted_by_email_today(ctx, team)
    followup_id = status_updates.start_status_update(
        ctx, team.sam, bob, about="the watch repair", channel=Channel.IN_PERSON, every_days=1
    )
    followups.complete_followup(ctx, team.sam, followup_id, what_was_done="Told them at the counter")


def test_a_promise_kept_is_never_held(ctx: ShopContext, team: Team) -> None:
    bob = _contacted_by_email_today(ctx, team)
    promise = followups.add_promise(
        ctx,
        team.sam,
        bob,
        promise="ring the supplier",
        due_at=ctx.now() + timedelta(hours=2),
        channel="phone",
    )
    followups.complete_followup(ctx, team.sam, promise, what_was_done="Rang", customer_informed=True)


def test_the_customer_view_says_when_and_how_they_were_last_contacted(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", email="bob@example.com")
    assert customer_record.customer_detail(ctx, team.sam, bob).last_contacted == ""
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="order it", due_at=ctx.now() + timedelta(hours=2), channel="email"
    )
    followups.complete_followup(ctx, team.sam, promise, what_was_done="Emailed", customer_informed=True)
    assert (
        customer_record.customer_detail(ctx, team.sam, bob).last_contacted == "Fri 20 Nov by email (promise)"
    )


def test_a_last_contact_in_another_year_names_its_year(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """The record, the cadence's refusal and every other day in words read a day the same
    way: the year only when it is not this year's."""
    bob = _contacted_by_email_today(ctx, team)
    set_shop_rules(ctx, {"followups.contact_cadence_days": 60})
    with pytest.raises(NotAllowed, match=re.escape("not before Tue 19 Jan 2027, 11:00")):
        followups.add_callback(ctx, team.sam, bob, about="New range is in", asked_by_customer=False)
    clock.advance(days=42)
    assert customer_record.customer_detail(ctx, team.sam, bob).last_contacted == (
        "Fri 20 Nov 2026 by email (promise)"
    )
    with pytest.raises(NotAllowed, match=re.escape("was contacted on Fri 20 Nov 2026 by email")):
        followups.add_callback(ctx, team.sam, bob, about="New range is in", asked_by_customer=False)


def _due(ctx: ShopContext, followup_id: int) -> datetime:
    with ctx.database.read() as session:
        row = session.get(FollowUp, followup_id)
        assert row is not None
        return row.due_at


def test_an_email_follow_up_done_another_way_records_how_it_reached_them(
    ctx: ShopContext, team: Team
) -> None:
    """The email was not sent (no mail server, or the owner chose not to): checked off as
    told in person, the customer view and the cadence say in person, not by email."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", email="bob@example.com")
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="order it", due_at=ctx.now() + timedelta(hours=2), channel="email"
    )
    followups.complete_followup(
        ctx,
        team.sam,
        promise,
        what_was_done="Told him at the till",
        customer_informed=True,
        reached_by="in_person",
    )
    assert (
        customer_record.customer_detail(ctx, team.sam, bob).last_contacted == "Fri 20 Nov in person (promise)"
    )


def test_reached_another_way_needs_their_consent_for_that_way(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com"
    )
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="counter")
    promise = followups.add_promise(
        ctx, team.sam, bob, promise="order it", due_at=ctx.now() + timedelta(hours=2), channel="email"
    )
    with pytest.raises(NotAllowed, match="Bob Jones has not agreed to be contacted by phone"):
        followups.complete_followup(
            ctx, team.sam, promise, what_was_done="Rang him", customer_informed=True, reached_by="phone"
        )
    with ctx.database.read() as session:
        still = session.get(FollowUp, promise)
        assert still is not None and (still.status, still.channel) == ("open", "email")
