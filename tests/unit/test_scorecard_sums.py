"""The scorecard summed in the database gives exactly the figures of a row-by-row count in
Python (`scorecard_reference`), on a generated history: visits around the store's
midnight and across a DST change, waits a microsecond either side of the threshold,
claims repeated or missing from the audit log, browsing set before and after the
greeting, hand-offs in every status, follow-ups done on, before and after their (first)
due time, and callbacks due by split opening hours; in three time zones, one of them a
quarter-hour offset."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    AuditEvent,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HandoffRequest,
    HandoffStatus,
    NeedKind,
    Visit,
    VisitNeed,
)
from counter_tui.services import customers, followups, scorecard, shop_settings
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.scorecard_reference import reference_period, reference_trend

FIRST_DAY = date(2026, 10, 19)
LAST_DAY = date(2026, 11, 12)
SPLIT_HOURS = "09:00-12:30,13:30-17:30"


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = int((end - start) / timedelta(microseconds=1))
    return start + timedelta(microseconds=rng.randrange(span))


def _near_midnight(rng: random.Random, ctx: ShopContext) -> datetime:
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    midnight = ctx.calendar.start_of_day(day)
    return midnight + timedelta(minutes=rng.uniform(-40, 40))


def _history(ctx: ShopContext, team: Team, clock: ManualClock, seed: int) -> None:
    """Rows written straight into the tables (the scorecard reads rows, whatever wrote them),
    plus callbacks asked through the service so their due times follow the split hours."""
    rng = random.Random(seed)
    staff = [a.staff_id or 0 for a in (team.sam, team.alex, team.lead)]
    threshold = timedelta(minutes=ctx.rules.thresholds.greet_within_minutes)
    start = ctx.calendar.start_of_day(FIRST_DAY) - timedelta(days=3)
    end = ctx.calendar.start_of_day(LAST_DAY) + timedelta(hours=18)
    clock.moment = start
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    rows: list[object] = []
    with ctx.database.write() as session:
        for _ in range(260):
            arrived = _near_midnight(rng, ctx) if rng.random() < 0.3 else _moment(rng, start, end)
            visit = Visit(description="generated", arrived_at=arrived, created_by=staff[0])
            claim_delay = rng.choice(
                [
                    threshold,
                    threshold + timedelta(microseconds=1),
                    threshold - timedelta(microseconds=1),
                    timedelta(seconds=-1),
                    timedelta(days=1, hours=2),
                    timedelta(seconds=rng.uniform(0, 1800)),
                    timedelta(seconds=rng.uniform(0, 600)),
                    None,
                ]
            )
            greeted = arrived + claim_delay if claim_delay is not None else None
            if greeted is not None:
                visit.owner_id, visit.claimed_at = rng.choice(staff), greeted
                if rng.random() < 0.2:  # as a hand-off left claimed_at before migration 0024
                    visit.claimed_at = greeted + timedelta(minutes=rng.uniform(1, 30))
            if rng.random() < 0.6:
                visit.ended_at = arrived + timedelta(minutes=rng.uniform(0.5, 90))
            session.add(visit)
            session.flush()
            assert visit.id is not None
            if greeted is not None and rng.random() < 0.85:
                for repeat in range(rng.choice([1, 1, 2])):
                    at = greeted if repeat == 0 or rng.random() < 0.5 else greeted + timedelta(minutes=5)
                    actor = rng.choice(staff)
                    rows.append(
                        AuditEvent(
                            at=at, actor_id=actor, action="visit.claimed", entity="visit", entity_id=visit.id
                        )
                    )
            if rng.random() < 0.3:
                base = greeted or arrived
                for _ in range(rng.choice([1, 2])):
                    set_at = rng.choice(
                        [base, base - timedelta(minutes=2), base + timedelta(minutes=2), arrived]
                    )
                    rows.append(VisitNeed(visit_id=visit.id, kind=NeedKind.BROWSE_PRIVATELY, set_at=set_at))
            if rng.random() < 0.2:
                rows.append(VisitNeed(visit_id=visit.id, kind=NeedKind.NEEDS_HELP, set_at=arrived))
            if rng.random() < 0.25:
                rows.append(
                    HandoffRequest(
                        visit_id=visit.id,
                        from_staff_id=rng.choice(staff),
                        to_staff_id=rng.choice(staff),
                        reason="generated",
                        status=rng.choice(list(HandoffStatus)),
                        requested_at=arrived,
                    )
                )
        for _ in range(200):
            due = _near_midnight(rng, ctx) if rng.random() < 0.3 else _moment(rng, start, end)
            first_due = due - timedelta(hours=rng.uniform(1, 30)) if rng.random() < 0.25 else None
            owed = first_due or due
            status = rng.choice(list(FollowUpStatus))
            done_at = None
            if status == FollowUpStatus.DONE and rng.random() < 0.95:
                done_at = owed + rng.choice(
                    [
                        timedelta(0),
                        timedelta(microseconds=1),
                        -timedelta(microseconds=1),
                        timedelta(hours=rng.uniform(-5, 5)),
                    ]
                )
            rows.append(
                FollowUp(
                    customer_id=bob,
                    kind=rng.choice(list(FollowUpKind)),
                    owner_id=rng.choice(staff),
                    channel="phone",
                    summary="generated",
                    due_at=due,
                    original_due_at=first_due,
                    status=status,
                    created_at=start,
                    done_at=done_at,
                )
            )
        session.add_all(rows)
    for day_offset in range(0, (LAST_DAY - FIRST_DAY).days, 3):
        day = FIRST_DAY + timedelta(days=day_offset)
        clock.moment = ctx.calendar.start_of_day(day) + timedelta(
            hours=rng.choice([10, 12.75, 13, 16.9, 17.2])
        )
        asked = followups.add_callback(ctx, rng.choice((team.sam, team.alex)), bob, about="generated")
        if rng.random() < 0.5:
            clock.advance(minutes=rng.uniform(10, 400))
            followups.complete_followup(ctx, team.lead, asked, what_was_done="Called back")


@pytest.mark.parametrize("timezone", ["Europe/London", "Asia/Kathmandu", "America/St_Johns"])
def test_the_sums_match_a_row_by_row_count(
    ctx: ShopContext, team: Team, clock: ManualClock, timezone: str
) -> None:
    shop_settings.change(ctx, team.lead, {"shop.timezone": timezone})
    for weekday in ("mon", "tue", "wed", "thu", "fri", "sat"):
        shop_settings.set_hours(ctx, team.lead, weekday, SPLIT_HOURS)
    _history(ctx, team, clock, seed=sum(map(ord, timezone)))
    periods = [(day, day) for day in (FIRST_DAY + timedelta(days=n) for n in range(25))]
    periods += [(FIRST_DAY, LAST_DAY), (date(2026, 10, 26), date(2026, 11, 1)), (LAST_DAY, LAST_DAY)]
    for now in (
        datetime(2026, 11, 12, 14, 7, 13, 500_001, tzinfo=UTC),
        datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    ):
        clock.moment = now
        with ctx.database.read() as session:
            for first, last in periods:
                summed = scorecard.compute_period(session, ctx, first, last, "p")
                assert summed == reference_period(session, ctx, first, last, "p"), (first, last, now)
        for weeks in (1, 2, 4):
            assert scorecard.trend(ctx, team.lead, weeks=weeks) == reference_trend(ctx, weeks=weeks), weeks
    # Enough happened for the comparison to mean something.
    with ctx.database.read() as session:
        whole = scorecard.compute_period(session, ctx, FIRST_DAY, LAST_DAY, "all").overall
    assert whole.visits > 150 and whole.greeted_on_time.denominator > 50
    assert 0 < whole.greeted_on_time.numerator < whole.greeted_on_time.denominator
    assert whole.calls_returned_same_day.denominator > 10 and whole.handoffs_per_100_visits.numerator > 0
