"""Who is told about a change of hands (services/notices.py): the people it concerns,
never the person who made it, and typed notes joined as sentences."""

from __future__ import annotations

from datetime import UTC, date, datetime

from counter_tui.db.models import Outcome
from counter_tui.services import (
    changes,
    closing,
    customers,
    followups,
    handoffs,
    notices,
    reversals,
    shop_settings,
    staff,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.permissions import Action
from tests.conftest import Team


def messages(ctx: ShopContext, team: Team, since: int) -> dict[str, list[str]]:
    """What each of the team would be told about everything after `since`."""
    new = changes.changes_since(ctx, since)
    return {
        actor.name: [notice.message for notice in notices.notices_for(ctx, actor, new)]
        for actor in (team.lead, team.sam, team.alex)
    }


def test_a_request_alerts_leads_only_and_a_denial_reads_as_two_sentences(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    seen = changes.latest_event_id(ctx)
    request_id = handoffs.request_handoff(
        ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes"
    )
    assert messages(ctx, team, seen) == {
        "Dana": ["Sam asks to pass bike repair to Alex: Alex fixes bikes."],  # the screen adds its key
        "Sam": [],
        "Alex": [],
    }
    seen = changes.latest_event_id(ctx)
    handoffs.deny_handoff(ctx, team.lead, request_id, "Alex is on lunch until two")
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": [
            "Dana denied your hand-off of bike repair: Alex is on lunch until two. You keep the customer."
        ],
        "Alex": [],
    }


def test_a_request_asks_the_lead_to_decide_and_leaves_the_key_to_the_screen(
    ctx: ShopContext, team: Team
) -> None:
    """The request's notice says what it asks (deciding a hand-off), not which key: h is
    the floor board's key for it, and due history on Lead review."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    seen = changes.latest_event_id(ctx)
    handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes")
    [notice] = notices.notices_for(ctx, team.lead, changes.changes_since(ctx, seen))
    assert notice.asks == Action.DECIDE_HANDOFF and "Press" not in notice.message


def test_a_lead_reassigning_their_own_customer_is_not_told(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat", claim=True)
    seen = changes.latest_event_id(ctx)
    handoffs.reassign_visit(
        ctx, team.lead, visit_id, team.alex.staff_id or 0, "going on break", seen_owner_id=team.lead.staff_id
    )
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": [],
        "Alex": ["Dana passed red coat to you (was with Dana): going on break."],
    }


def test_a_customer_passed_while_signed_out_is_told_at_the_next_sign_in_once_still_theirs(
    ctx: ShopContext, team: Team
) -> None:
    """Alex was not at any terminal when Sam's and Dana's customers became his: his next
    sign-in tells him about each one still in the shop and his, and nothing else."""
    alex_id = team.alex.staff_id or 0
    bike = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    coat = visits.new_walk_in(ctx, team.lead, description="red coat", claim=True)
    gone = visits.new_walk_in(ctx, team.lead, description="left already", claim=True)
    request_id = handoffs.request_handoff(ctx, team.sam, bike, alex_id, "Alex fixes bikes")
    handoffs.approve_handoff(ctx, team.lead, request_id)
    handoffs.reassign_visit(ctx, team.lead, coat, alex_id, "going on break", seen_owner_id=team.lead.staff_id)
    handoffs.reassign_visit(ctx, team.lead, gone, alex_id, "going on break", seen_owner_id=team.lead.staff_id)
    visits.end_visit(ctx, team.alex, gone, Outcome.NO_PURCHASE)

    alex = staff.sign_in(ctx, alex_id, "3333")
    assert [notice.message for notice in notices.passed_while_away(ctx, alex)] == [
        "bike repair is now yours: Sam passed them to you (Alex fixes bikes). Dana approved it.",
        "Dana passed red coat to you (was with Dana): going on break.",
    ]
    again = staff.sign_in(ctx, alex_id, "3333")
    assert notices.passed_while_away(ctx, again) == []


def test_the_owner_hears_that_a_lead_ended_or_reopened_their_visit(ctx: ShopContext, team: Team) -> None:
    """Sam's screen said nothing when Dana ended his customer's visit, or reopened it and
    withdrew his thank-you."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    seen = changes.latest_event_id(ctx)
    visits.end_visit(ctx, team.lead, visit_id, Outcome.PURCHASE)
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": ["Dana ended your visit with Bob Jones: purchase."],
        "Alex": [],
    }
    seen = changes.latest_event_id(ctx)
    reversals.reopen_visit(ctx, team.lead, visit_id, "wrong outcome")
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": ["Dana reopened your visit with Bob Jones: wrong outcome. Its thank-you was withdrawn."],
        "Alex": [],
    }


def test_nobody_hears_of_their_own_ending_nor_of_the_day_close_ending_visits(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="blue hat", claim=True)
    other = visits.new_walk_in(ctx, team.alex, description="red coat", claim=True)
    seen = changes.latest_event_id(ctx)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    preview = closing.close_day_preview(ctx, team.lead)
    closing.close_day(ctx, team.lead, seen=preview.seen, reason="closing early for a delivery")
    assert messages(ctx, team, seen) == {"Dana": [], "Sam": [], "Alex": []}
    assert other


def test_each_owner_hears_how_many_of_their_follow_ups_the_shops_new_hours_moved(
    ctx: ShopContext, team: Team
) -> None:
    """Sam's and Alex's follow-ups due on Monday moved when Dana made Monday a holiday: each
    hears how many of theirs (a notice, not one per follow-up), and Dana, who did it, is
    told by the reply to her change instead."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    monday = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    for actor, count in ((team.sam, 2), (team.alex, 1), (team.lead, 1)):
        for number in range(count):
            followups.add_promise(ctx, actor, bob, promise=f"Order number {number}", due_at=monday)
    seen = changes.latest_event_id(ctx)
    assert shop_settings.add_holiday(ctx, team.lead, date(2026, 11, 23)).followups_moved == 4
    new = changes.changes_since(ctx, seen)
    assert notices.may_tell(team.sam.staff_id, new)
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": [
            "The shop's holidays changed (Dana): 2 follow-ups of yours fell when the shop is "
            "closed and moved to when it is open. See My follow-ups (f)."
        ],
        "Alex": [
            "The shop's holidays changed (Dana): 1 follow-up of yours fell when the shop is "
            "closed and moved to when it is open. See My follow-ups (f)."
        ],
    }


def test_both_owners_hear_that_a_lead_passed_a_follow_up_from_one_to_the_other(
    ctx: ShopContext, team: Team
) -> None:
    """Found by a tester: Sam was not told when a lead gave him Alex's callback, so it sat
    on his list unseen until it was overdue."""
    from counter_tui.services import followup_oversight

    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    callback = followups.add_callback(
        ctx, team.alex, bob, about="Price of the blue kettle", consent_source="asked at the counter"
    )
    seen = changes.latest_event_id(ctx)
    followup_oversight.reassign_followup(
        ctx, team.lead, callback, team.sam.staff_id or 0, "Alex is off today"
    )
    assert messages(ctx, team, seen) == {
        "Dana": [],
        "Sam": ["Dana gave you a callback for Bob Jones (was Alex's): Alex is off today."],
        "Alex": ["Dana gave your callback for Bob Jones to Sam: Alex is off today."],
    }
    # Many passed at once (as deactivating someone does) are one notice, not one each.
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900456")
    second = followups.add_callback(ctx, team.sam, ann, about="Delivery date", consent_source="asked")
    seen = changes.latest_event_id(ctx)
    for followup_id in (callback, second):
        followup_oversight.reassign_followup(
            ctx, team.lead, followup_id, team.alex.staff_id or 0, "Sam is off"
        )
    told = messages(ctx, team, seen)
    assert told["Sam"] == ["Dana gave 2 follow-ups of yours to Alex: Sam is off."]
    assert told["Alex"] == ["Dana gave you 2 follow-ups (was Sam's): Sam is off."]
