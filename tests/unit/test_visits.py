"""Visits: walk-ins (known customers with standing needs, anonymous descriptions, kiosk),
helpers, ending a visit and the thank-you it queues (owner, due time, channel), the
sign-out check, and the floor board and visit detail read models."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    Channel,
    FollowUp,
    FollowUpKind,
    NeedKind,
    Outcome,
    Visit,
    VisitHelper,
)
from counter_tui.errors import AlreadyOwned, Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import customer_record, customers, handoffs, staff, visit_needs, visit_views, visits
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team, set_shop_rules
from tests.unit.conftest import AuditLog, RowCount

GOOD_LINE = "Hope the blue kettle suits your new kitchen"


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def _with_holidays(ctx: ShopContext, *days: date) -> None:
    set_shop_rules(ctx, {"shop.holidays": [day.isoformat() for day in days]})


def _followups(ctx: ShopContext) -> list[FollowUp]:
    from sqlmodel import select

    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp)))


# --- walk-ins -------------------------------------------------------------------------


def test_known_customer_walk_in_applies_standing_needs(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    customers.set_standing_need(ctx, team.sam, bob, NeedKind.ACCESSIBILITY, remember=True, detail="step-free")
    customers.set_standing_need(ctx, team.sam, bob, NeedKind.LANGUAGE, remember=True)
    visit_id = visits.new_walk_in(ctx, team.alex, customer_id=bob, needs=[NeedKind.NEEDS_HELP])
    detail = visit_views.visit_detail(ctx, team.alex, visit_id)
    assert detail.who == "Bob Jones"
    assert {need.kind for need in detail.needs} == {
        NeedKind.NEEDS_HELP,
        NeedKind.ACCESSIBILITY,
        NeedKind.LANGUAGE,
    }
    assert detail.owner_id is None
    [created] = audit_log("visit.created")
    assert created.entity_id == visit_id
    assert json.loads(created.details)["customer_id"] == bob


def test_unknown_walk_in_is_described(ctx: ShopContext, team: Team, fetch: Callable[..., Any]) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="  tall\x1b[5m, green coat ")
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.customer_id, visit.description) == (None, "tall[5m, green coat")
    assert visit.arrived_at == ctx.now()
    anonymous = visits.new_walk_in(ctx, team.sam)
    assert visit_views.visit_detail(ctx, team.sam, anonymous).who == "walk-in"


def test_a_customer_already_in_the_shop_cannot_walk_in_again(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount
) -> None:
    visits.new_walk_in(ctx, team.sam, customer_id=bob)
    with pytest.raises(Conflict, match="Bob Jones is already checked in"):
        visits.new_walk_in(ctx, team.alex, customer_id=bob)
    assert row_count(Visit) == 1


def test_a_customer_can_come_back_after_their_visit_ended(ctx: ShopContext, team: Team, bob: int) -> None:
    first = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, first, Outcome.NO_PURCHASE)
    second = visits.new_walk_in(ctx, team.sam, customer_id=bob)
    assert second != first


def test_walk_in_refuses_unknown_needs_and_unknown_customers(
    ctx: ShopContext, team: Team, row_count: RowCount
) -> None:
    with pytest.raises(InvalidInput, match="Unknown need 'telepathy'"):
        visits.new_walk_in(ctx, team.sam, needs=["telepathy"])
    with pytest.raises(NotFound, match="no longer on file"):
        visits.new_walk_in(ctx, team.sam, customer_id=4242)
    assert row_count(Visit) == 0


def test_a_walk_in_both_browsing_privately_and_needing_help_is_refused(
    ctx: ShopContext, team: Team, row_count: RowCount
) -> None:
    """Both were taken, and one was cleared in the same millisecond without a word."""
    with pytest.raises(InvalidInput, match="replace each other") as refused:
        visits.new_walk_in(ctx, team.sam, needs=[NeedKind.BROWSE_PRIVATELY, NeedKind.NEEDS_HELP])
    assert refused.value.field == "needs"
    assert row_count(Visit) == 0


def test_kiosk_creates_unowned_walk_ins_only(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    kiosk = Actor.kiosk("door")
    visit_id = visits.new_walk_in(ctx, kiosk, needs=[NeedKind.BROWSE_PRIVATELY])
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.owner_id, visit.created_by, visit.source) == (None, None, "kiosk door")
    [created] = audit_log("visit.created")
    assert json.loads(created.details)["kiosk"] == "kiosk door"
    with pytest.raises(NotAllowed):
        visits.new_walk_in(ctx, kiosk, claim=True)
    with pytest.raises(NotAllowed):
        visits.new_walk_in(ctx, kiosk, customer_id=bob)


# --- helpers --------------------------------------------------------------------------


def test_owner_adds_a_helper_and_keeps_ownership(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    assert team.alex.staff_id is not None
    visits.add_helper(ctx, team.sam, visit_id, team.alex.staff_id)
    assert fetch(Visit, visit_id).owner_id == team.sam.staff_id
    detail = visit_views.visit_detail(ctx, team.alex, visit_id)
    assert detail.helper_names == ("Alex",)
    assert (detail.can_act, detail.is_owner) == (True, False)
    [event] = audit_log("visit.helper_added")
    assert json.loads(event.details) == {"helper_id": team.alex.staff_id}

    visit_needs.set_need(ctx, team.alex, visit_id, NeedKind.PICKUP, detail="order 1182")
    assert [n.kind for n in visit_views.visit_detail(ctx, team.sam, visit_id).needs] == [NeedKind.PICKUP]
    with pytest.raises(AlreadyOwned, match="Sam has this customer"):
        visits.claim_visit(ctx, team.alex, visit_id)


def test_a_non_owner_cannot_add_helpers(
    ctx: ShopContext, team: Team, row_count: RowCount, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    assert team.alex.staff_id is not None and team.lead.staff_id is not None
    with pytest.raises(AlreadyOwned, match="Sam has this customer"):
        visits.add_helper(ctx, team.alex, visit_id, team.alex.staff_id)
    assert row_count(VisitHelper) == 0
    assert audit_log("visit.helper_added") == []
    visits.add_helper(ctx, team.lead, visit_id, team.alex.staff_id)
    assert row_count(VisitHelper) == 1


def test_helper_rules(ctx: ShopContext, team: Team) -> None:
    assert team.alex.staff_id is not None and team.sam.staff_id is not None
    unowned = visits.new_walk_in(ctx, team.sam)
    with pytest.raises(Conflict, match="Claim this customer first"):
        visits.add_helper(ctx, team.sam, unowned, team.alex.staff_id)
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    with pytest.raises(InvalidInput, match="Sam already owns"):
        visits.add_helper(ctx, team.sam, visit_id, team.sam.staff_id)
    visits.add_helper(ctx, team.sam, visit_id, team.alex.staff_id)
    with pytest.raises(Conflict, match="Alex is already helping"):
        visits.add_helper(ctx, team.sam, visit_id, team.alex.staff_id)
    kim = staff.add_staff(ctx, None, name="Kim", pin="5555")
    staff.deactivate(ctx, None, name="Kim")
    with pytest.raises(NotFound, match="not available"):
        visits.add_helper(ctx, team.sam, visit_id, kim.id)


# --- ending a visit -------------------------------------------------------------------


def test_owner_ends_a_visit(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.outcome, visit.ended_at, visit.ended_by) == (
        Outcome.NO_PURCHASE,
        ctx.now(),
        team.sam.staff_id,
    )
    assert result.thank_you_id is None
    [event] = audit_log("visit.ended")
    assert json.loads(event.details) == {"outcome": "no_purchase"}
    with pytest.raises(Conflict, match="already ended"):
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)


def test_a_lead_may_end_someone_elses_visit(ctx: ShopContext, team: Team, fetch: Callable[..., Any]) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    visits.end_visit(ctx, team.lead, visit_id, Outcome.NO_PURCHASE)
    assert fetch(Visit, visit_id).ended_by == team.lead.staff_id


def test_a_colleague_cannot_end_an_owned_visit(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    for outcome in (Outcome.PURCHASE, Outcome.LEFT_UNSERVED):
        with pytest.raises(AlreadyOwned, match="Sam has this customer"):
            visits.end_visit(ctx, team.alex, visit_id, outcome)
    assert fetch(Visit, visit_id).ended_at is None
    assert audit_log("visit.ended") == []


def test_anyone_may_end_an_unowned_visit_only_as_left_unserved(
    ctx: ShopContext, team: Team, fetch: Callable[..., Any]
) -> None:
    """A shift lead too: a purchase nobody served would hide a walk-out (no apology owed)
    and credit nobody on the scorecard."""
    visit_id = visits.new_walk_in(ctx, team.lead)
    for outcome in (Outcome.PURCHASE, Outcome.NO_PURCHASE):
        for who in (team.alex, team.lead):
            with pytest.raises(Conflict, match="Nobody has claimed this customer"):
                visits.end_visit(ctx, who, visit_id, outcome)
    assert fetch(Visit, visit_id).ended_at is None
    visits.end_visit(ctx, team.alex, visit_id, Outcome.LEFT_UNSERVED)
    visit: Visit = fetch(Visit, visit_id)
    assert (visit.outcome, visit.ended_by) == (Outcome.LEFT_UNSERVED, team.alex.staff_id)


def test_unknown_outcomes_are_refused(ctx: ShopContext, team: Team) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    for outcome in ("stolen", Outcome.LEFT_AT_CLOSE):
        with pytest.raises(InvalidInput, match="Pick how the visit ended"):
            visits.end_visit(ctx, team.sam, visit_id, outcome)


def test_purchase_queues_one_thank_you_for_the_owner(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    result = visits.end_visit(ctx, team.lead, visit_id, Outcome.PURCHASE)
    [thank_you] = _followups(ctx)
    assert result.thank_you_id == thank_you.id
    assert "thank-you is queued" in result.message
    assert thank_you.kind == FollowUpKind.THANK_YOU
    assert thank_you.owner_id == team.sam.staff_id
    assert thank_you.visit_id == visit_id
    assert thank_you.customer_id == bob
    assert thank_you.channel == Channel.IN_PERSON
    assert thank_you.summary == "Thank you for visiting Test Shop, Bob."
    assert thank_you.due_at == _utc(2026, 11, 21, 16, 0)  # Saturday close
    [queued] = audit_log("followup.queued")
    assert queued.entity_id == thank_you.id


def test_purchase_with_a_personal_line_keeps_it(ctx: ShopContext, team: Team, bob: int) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE, personal_line=GOOD_LINE)
    [thank_you] = _followups(ctx)
    assert thank_you.personal_line == GOOD_LINE


def test_a_perfunctory_line_at_the_till_refuses_and_leaves_the_visit_open(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with pytest.raises(InvalidInput, match="words of your own about their visit"):
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE, personal_line="Thanks!")
    assert fetch(Visit, visit_id).ended_at is None
    assert _followups(ctx) == []
    assert audit_log("visit.ended", "followup.queued") == []


@pytest.mark.parametrize(
    ("outcome", "sentence"),
    [
        (
            Outcome.NO_PURCHASE,
            "A personal line goes with a purchase's thank-you: pick Purchase, or clear the line.",
        ),
        (
            Outcome.LEFT_UNSERVED,
            "A personal line goes with a purchase's thank-you: pick Purchase, or clear the line.",
        ),
    ],
)
def test_a_personal_line_no_thank_you_will_carry_is_refused_and_the_visit_stays_open(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], outcome: str, sentence: str
) -> None:
    """The dialog dropped the line it held when another outcome was chosen."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with pytest.raises(InvalidInput) as refused:
        visits.end_visit(ctx, team.sam, visit_id, outcome, personal_line=GOOD_LINE)
    assert (str(refused.value), refused.value.field) == (sentence, "personal_line")
    assert fetch(Visit, visit_id).ended_at is None


def test_a_second_purchase_does_not_queue_a_second_open_thank_you(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    for _ in range(2):
        visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    assert len(_followups(ctx)) == 1


def test_purchase_by_an_anonymous_walk_in_queues_no_thank_you_and_says_so(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="blue scarf", claim=True)
    result = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    assert result.thank_you_id is None
    assert "No thank-you queued" in result.message
    assert "not on file" in result.message
    assert _followups(ctx) == []
    assert audit_log("followup.queued") == []


@pytest.mark.parametrize(
    ("ended_at", "holidays", "due"),
    [
        (_utc(2026, 11, 20, 11, 0), (), _utc(2026, 11, 21, 16, 0)),  # Friday -> Saturday 16:00
        (_utc(2026, 11, 21, 11, 0), (), _utc(2026, 11, 23, 17, 30)),  # Saturday -> Monday
        (_utc(2026, 11, 22, 11, 0), (), _utc(2026, 11, 23, 17, 30)),  # Sunday -> Monday
        (_utc(2026, 11, 20, 19, 0), (), _utc(2026, 11, 21, 16, 0)),  # Friday after close
        # Thursday before a Friday holiday -> Saturday
        (_utc(2026, 11, 19, 12, 0), (date(2026, 11, 20),), _utc(2026, 11, 21, 16, 0)),
        # Christmas Eve (Thursday), shop shut 25 and 26 December -> Monday 28th
        (
            _utc(2026, 12, 24, 12, 0),
            (date(2026, 12, 25), date(2026, 12, 26)),
            _utc(2026, 12, 28, 17, 30),
        ),
        # Saturday before British Summer Time starts -> Monday 17:30 BST = 16:30 UTC
        (_utc(2026, 3, 28, 12, 0), (), _utc(2026, 3, 30, 16, 30)),
    ],
)
def test_thank_you_is_due_by_close_of_the_next_business_day(
    ctx: ShopContext,
    team: Team,
    bob: int,
    clock: ManualClock,
    ended_at: datetime,
    holidays: tuple[date, ...],
    due: datetime,
) -> None:
    _with_holidays(ctx, *holidays)
    clock.moment = ended_at
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    [thank_you] = _followups(ctx)
    assert thank_you.due_at == due


@pytest.mark.parametrize(
    ("consented", "channel"),
    [
        ((Channel.PHONE, Channel.SMS, Channel.EMAIL), Channel.EMAIL),
        ((Channel.PHONE, Channel.SMS), Channel.SMS),
        ((Channel.PHONE,), Channel.PHONE),
        ((), Channel.IN_PERSON),
    ],
)
def test_thank_you_goes_by_the_best_consented_channel(
    ctx: ShopContext, team: Team, bob: int, consented: tuple[str, ...], channel: str
) -> None:
    for given in consented:
        customers.record_consent(ctx, team.sam, bob, given, granted=True, source="counter")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    [thank_you] = _followups(ctx)
    assert thank_you.channel == channel


def test_withdrawn_consent_is_not_used_for_the_thank_you(ctx: ShopContext, team: Team, bob: int) -> None:
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="form")
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=False, source="opt-out")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE)
    [thank_you] = _followups(ctx)
    assert thank_you.channel == Channel.IN_PERSON


def test_ending_a_visit_cancels_its_pending_hand_off(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, claim=True)
    assert team.alex.staff_id is not None
    request_id = handoffs.request_handoff(ctx, team.sam, visit_id, team.alex.staff_id, "break")
    visits.end_visit(ctx, team.sam, visit_id, Outcome.NO_PURCHASE)
    assert handoffs.pending_handoffs(ctx, team.lead) == []
    from counter_tui.db.models import HandoffRequest, HandoffStatus

    with ctx.database.read() as session:
        request = session.get(HandoffRequest, request_id)
    assert request is not None
    assert (request.status, request.decision_note) == (HandoffStatus.CANCELLED, "visit ended")


# --- signing out ----------------------------------------------------------------------


def test_sign_out_is_refused_while_owning_open_visits(ctx: ShopContext, team: Team, bob: int) -> None:
    visit_views.check_can_sign_out(ctx, team.sam)
    first = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with pytest.raises(Conflict) as refused:
        visit_views.check_can_sign_out(ctx, team.sam)
    assert str(refused.value) == (
        "You still own 1 customer (Bob Jones). Hand them off or end the visits before signing out."
    )
    visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    with pytest.raises(Conflict, match=r"You still own 2 customers \(Bob Jones, red hat\)"):
        visit_views.check_can_sign_out(ctx, team.sam)
    visit_views.check_can_sign_out(ctx, team.alex)

    visits.end_visit(ctx, team.sam, first, Outcome.NO_PURCHASE)
    with pytest.raises(Conflict, match=r"1 customer \(red hat\)"):
        visit_views.check_can_sign_out(ctx, team.sam)


def test_sign_out_names_at_most_three_customers(ctx: ShopContext, team: Team) -> None:
    for description in ("one", "two", "three", "four"):
        visits.new_walk_in(ctx, team.sam, description=description, claim=True)
    with pytest.raises(Conflict, match=r"4 customers \(one, two, three …\)"):
        visit_views.check_can_sign_out(ctx, team.sam)


# --- read models ----------------------------------------------------------------------


def test_floor_board_puts_waiting_and_needs_help_customers_first(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    owned = visits.new_walk_in(ctx, team.sam, description="owned", claim=True)
    browsing = visits.new_walk_in(ctx, team.sam, description="browsing", needs=[NeedKind.BROWSE_PRIVATELY])
    clock.advance(minutes=10)
    fresh_help = visits.new_walk_in(ctx, team.sam, description="help", needs=["needs_help"])
    clock.advance(minutes=1)
    board = visit_views.floor_board(ctx)
    assert [row.visit_id for row in board] == [fresh_help, browsing, owned]
    rows = {row.visit_id: row for row in board}
    assert rows[fresh_help].needs_help_unclaimed and rows[fresh_help].urgent
    assert not rows[browsing].waiting_too_long  # browsing privately is not "unattended"
    assert not rows[browsing].check_back_due  # 11 of 15 quiet minutes so far
    assert rows[owned].owner_name == "Sam" and not rows[owned].urgent

    waiting = visits.new_walk_in(ctx, team.sam, description="waiting")
    clock.advance(minutes=6)
    board = visit_views.floor_board(ctx)
    assert [row.visit_id for row in board] == [fresh_help, waiting, browsing, owned]
    assert board[1].waiting_too_long
    assert board[2].check_back_due and not board[2].waiting_too_long


def test_visit_detail_is_read_only_for_a_colleague(ctx: ShopContext, team: Team, bob: int) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    mine = visit_views.visit_detail(ctx, team.sam, visit_id)
    theirs = visit_views.visit_detail(ctx, team.alex, visit_id)
    lead = visit_views.visit_detail(ctx, team.lead, visit_id)
    assert (mine.can_act, mine.is_owner, mine.blocked_reason) == (True, True, "")
    assert (theirs.can_act, theirs.is_owner) == (False, False)
    assert theirs.blocked_reason.startswith("Sam has this customer since 11:00.")
    assert lead.can_act and not lead.is_owner
    assert theirs.customer is not None and theirs.customer.name == "Bob Jones"


def test_visit_notes_need_permission(ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.add_visit_note(ctx, team.sam, visit_id, "Looking for a gift")
    with pytest.raises(AlreadyOwned):
        visits.add_visit_note(ctx, team.alex, visit_id, "I'll take it")
    notes = visit_views.visit_detail(ctx, team.sam, visit_id).notes
    assert [(n.author, n.body) for n in notes] == [("Sam", "Looking for a gift")]
    assert len(audit_log("visit.note_added")) == 1
    assert [n.body for n in customer_record.customer_detail(ctx, team.sam, bob).notes] == [
        "Looking for a gift"
    ]
