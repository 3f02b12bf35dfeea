"""No hounding: a customer thanked recently is not queued another thank-you within the
contact cadence (`followups.contact_cadence_days`)."""

from __future__ import annotations

from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, FollowUpKind
from counter_tui.services import customers, followups, visits
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
    assert "thanked on Fri 20 Nov" in second.message
    assert "at most once every 2 days" in second.message
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
