"""No hounding (`followups.contact_cadence_days`, services/cadence.py): within the cadence
after any contact, outreach the shop starts waits — a thank-you is not queued, a callback
the shop places is refused, a status update or a feedback message is not completed by
phone, text or email, and feedback acted on is queued for when the cadence allows — while
what the customer asked for (a callback they requested, a promise kept) is never held.
The customer view says when they were last contacted and how: an email counts from when
the mail server took it; one written and not yet taken holds outreach, and the record says
it waits."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, FollowUp, FollowUpKind
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import (
    customer_record,
    customers,
    feedback,
    followups,
    mail_sender,
    status_updates,
    visits,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team, set_shop_rules
from tests.mail_server import LocalSmtp, queue_thank_you_email, unused_port

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


def _record(ctx: ShopContext, team: Team, customer_id: int) -> str:
    return customer_record.customer_detail(ctx, team.sam, customer_id).last_contacted


def test_an_email_not_yet_sent_is_not_a_contact_and_the_record_says_it_waits(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    """The record said "Fri 20 Nov by email (thank-you)" as soon as the thank-you was
    checked off by email, while the email was failing to go; it was never delivered."""
    smtp_server.mode = "drop"
    promise = followups.add_promise(
        mail_shop, team.sam, bob, promise="order it", due_at=mail_shop.now() + timedelta(hours=2)
    )
    followups.complete_followup(
        mail_shop, team.sam, promise, what_was_done="Told him", customer_informed=True
    )
    clock.advance(days=3)
    queue_thank_you_email(mail_shop, team, bob)
    assert _record(mail_shop, team, bob) == (
        "Fri 20 Nov in person (promise); email queued Mon 23 Nov (thank-you), not yet sent"
    )

    mail_sender.deliver_pending(mail_shop, timeout=5)
    assert _record(mail_shop, team, bob) == (
        "Fri 20 Nov in person (promise); email queued Mon 23 Nov (thank-you), not yet sent: "
        "the mail server closed the connection before accepting the message"
    )

    smtp_server.mode = "accept"
    clock.advance(days=1)
    assert mail_sender.deliver_pending(mail_shop, timeout=5).sent == 1
    assert _record(mail_shop, team, bob) == "Tue 24 Nov by email (thank-you)"  # when it went


def test_with_only_an_email_queued_the_record_says_not_yet(
    mail_shop: ShopContext, team: Team, bob: int
) -> None:
    queue_thank_you_email(mail_shop, team, bob)
    assert _record(mail_shop, team, bob) == "not yet; email queued Fri 20 Nov (thank-you), not yet sent"


def test_an_email_queued_holds_outreach_and_the_cadence_counts_from_its_delivery(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp, clock: ManualClock
) -> None:
    """The shop has already reached out: a second outreach meanwhile would land with it.
    Once it goes, the customer's quiet days start from when they got it."""
    customers.record_consent(mail_shop, team.sam, bob, Channel.PHONE, granted=True, source="counter")
    set_shop_rules(mail_shop, {"mail.port": unused_port()})
    queue_thank_you_email(mail_shop, team, bob)
    mail_sender.deliver_pending(mail_shop, timeout=5)
    clock.advance(days=3)  # well past the cadence since it was written; still held back

    with pytest.raises(NotAllowed) as held:
        followups.add_callback(mail_shop, team.sam, bob, about="New range is in", asked_by_customer=False)
    assert str(held.value) == (
        "Bob Jones has an email from the shop not yet sent (thank-you, written Fri 20 Nov), and the shop "
        "reaches out at most once every 2 days so as not to hound them: not before 2 days after it goes. "
        "If they asked for this call, tick that they asked, and it is queued."
    )
    assert followups.add_callback(mail_shop, team.sam, bob, about="Wants the price of the blue one") > 0

    set_shop_rules(mail_shop, {"mail.port": smtp_server.port})
    assert mail_sender.deliver_pending(mail_shop, timeout=5, held_now=True).sent == 1
    clock.advance(days=1)
    with pytest.raises(NotAllowed, match=re.escape("was contacted on Mon 23 Nov by email (thank-you)")):
        followups.add_callback(mail_shop, team.sam, bob, about="New range is in", asked_by_customer=False)
    clock.advance(days=1)
    assert followups.add_callback(mail_shop, team.sam, bob, about="New range is in", asked_by_customer=False)


def test_an_email_that_failed_for_good_holds_nothing_and_is_no_contact(
    mail_shop: ShopContext, team: Team, bob: int, smtp_server: LocalSmtp
) -> None:
    smtp_server.mode = "refuse"
    queue_thank_you_email(mail_shop, team, bob)
    mail_sender.deliver_pending(mail_shop, timeout=5)

    assert _record(mail_shop, team, bob) == ""
    customers.record_consent(mail_shop, team.sam, bob, Channel.PHONE, granted=True, source="counter")
    assert followups.add_callback(mail_shop, team.sam, bob, about="New range is in", asked_by_customer=False)
