"""A withdrawn consent is shown as what it is: after Bob took back his yes to email, his
record read "May contact by nothing agreed yet (in person only)", as if nobody had ever
asked him. It now says what was withdrawn and when ("email withdrawn Mon 30 Nov; in
person only"), kept through a merge and its undoing; a no never preceded by a yes (they
declined when asked) is not a withdrawal."""

from __future__ import annotations

from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel, ContactConsent
from counter_tui.services import customer_record, customers, merge, merge_undo
from counter_tui.services.context import ShopContext
from counter_tui.ui.widgets.sections import contact_block
from tests.conftest import Team


def _may_contact(ctx: ShopContext, team: Team, customer_id: int) -> str:
    return customer_record.customer_detail(ctx, team.sam, customer_id).may_contact


def _agreed(ctx: ShopContext, team: Team, customer_id: int, *channels: str) -> None:
    customers.set_consents(
        ctx, team.sam, customer_id, dict.fromkeys(channels, True), source="asked at the counter"
    )


def test_withdrawing_email_says_what_was_withdrawn_and_when(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _agreed(ctx, team, bob, Channel.EMAIL)
    assert _may_contact(ctx, team, bob) == "email"
    clock.advance(days=10)

    customers.set_consents(ctx, team.sam, bob, {Channel.EMAIL: False}, source="asked us to stop")

    assert _may_contact(ctx, team, bob) == "email withdrawn Mon 30 Nov; in person only"
    shown = contact_block(customer_record.customer_detail(ctx, team.sam, bob)).plain
    assert "May contact by  email withdrawn Mon 30 Nov; in person only" in shown


def test_a_channel_still_agreed_comes_first_then_what_was_withdrawn(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _agreed(ctx, team, bob, Channel.PHONE, Channel.SMS, Channel.EMAIL)
    clock.advance(days=10)
    customers.set_consents(ctx, team.sam, bob, {Channel.EMAIL: False, Channel.SMS: False}, source="asked")

    assert _may_contact(ctx, team, bob) == "phone; email and text message withdrawn Mon 30 Nov"


def test_a_no_without_a_yes_before_it_is_not_a_withdrawal_but_is_not_nothing_either(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    """Found by a tester: a customer who said no when first asked read "nothing agreed
    yet", as if nobody had asked, inviting a colleague to ask again."""
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=False, source="declined when asked")
    clock.advance(days=10)

    assert _may_contact(ctx, team, bob) == "email declined Fri 20 Nov; in person only"
    _agreed(ctx, team, bob, Channel.PHONE)
    assert _may_contact(ctx, team, bob) == "phone; email declined Fri 20 Nov"


def test_agreeing_again_ends_the_withdrawal(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    _agreed(ctx, team, bob, Channel.EMAIL)
    customers.set_consents(ctx, team.sam, bob, {Channel.EMAIL: False}, source="asked us to stop")
    clock.advance(days=1)
    _agreed(ctx, team, bob, Channel.EMAIL)

    assert _may_contact(ctx, team, bob) == "email"
    with ctx.database.read() as session:
        assert session.exec(select(ContactConsent.withdrawn_at)).all() == [None]


def test_a_withdrawal_moves_with_a_merge_and_back_with_its_undoing(
    ctx: ShopContext, team: Team, bob: int, clock: ManualClock
) -> None:
    dup = customers.create_customer(
        ctx, team.sam, name="Robert Jones", phone="07700 900124", create_anyway=True
    )
    _agreed(ctx, team, dup, Channel.EMAIL)
    clock.advance(days=10)
    customers.set_consents(ctx, team.sam, dup, {Channel.EMAIL: False}, source="asked us to stop")

    done = merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, bob, dup).seen)
    assert _may_contact(ctx, team, bob) == "email withdrawn Mon 30 Nov; in person only"

    merge_undo.undo_merge(ctx, team.lead, done.merge_id, "not the same person")
    assert _may_contact(ctx, team, bob) == "nothing agreed yet (in person only)"
    assert _may_contact(ctx, team, dup) == "email withdrawn Mon 30 Nov; in person only"
