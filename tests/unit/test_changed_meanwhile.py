"""Two terminals, one record: a dialog saves over what it was opened on, never over a
colleague's change it has not seen (found by the tester: a consent dialog left open
re-granted an email consent the customer had just withdrawn at the other till, and a
details dialog erased a new email). Refused naming who changed it; saving again with
what is there now goes ahead."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.db.models import Channel, Customer
from counter_tui.services import customers
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog

SAID = "What you typed is kept: Enter saves it over their change, Esc keeps theirs."


def test_details_opened_before_a_colleagues_change_are_not_saved_over_it(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    """Different fields are merged; the same field is refused (`test_contact_correction`)."""
    opened = ("Bob Jones", "07700 900123", "bob@example.com")
    customers.update_contact(
        ctx, team.lead, bob, name="Bob Jones", phone="07700 900123", email="bj@example.org"
    )
    customers.update_contact(
        ctx,
        team.sam,
        bob,
        name="Robert Jones",
        phone="07700 900123",
        email="bob@example.com",
        opened=opened,
    )
    assert (fetch(Customer, bob).name, fetch(Customer, bob).email) == ("Robert Jones", "bj@example.org")
    assert [json.loads(e.details) for e in audit_log("customer.updated")] == [
        {"changed": ["email"]},
        {"changed": ["name"]},
    ]


def test_preferences_opened_before_a_colleagues_change_are_not_saved_over_it(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    customers.set_preferences(ctx, team.lead, bob, "likes green, size 9 shoes")
    with pytest.raises(ChangedMeanwhile, match=r"^Dana changed their preferences at 11:00"):
        customers.set_preferences(ctx, team.sam, bob, "no calls after 5", opened="")
    assert fetch(Customer, bob).preferences == "likes green, size 9 shoes"
    customers.set_preferences(
        ctx, team.sam, bob, "likes green; no calls after 5", opened="likes green, size 9 shoes"
    )
    assert fetch(Customer, bob).preferences == "likes green; no calls after 5"


def test_consent_answers_opened_before_a_withdrawal_do_not_grant_it_again(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    customers.set_consents(ctx, team.lead, bob, {Channel.EMAIL: True}, source="asked at the counter")
    opened = {Channel.EMAIL}
    customers.set_consents(ctx, team.lead, bob, {Channel.EMAIL: False, Channel.SMS: True}, source="asked")
    with pytest.raises(ChangedMeanwhile, match=r"^Dana changed what they agreed to at 11:00"):
        customers.set_consents(
            ctx, team.sam, bob, {Channel.EMAIL: True, Channel.SMS: False}, source="asked", opened=opened
        )
    with ctx.database.read() as session:
        assert customers.consented_channels(session, bob) == {Channel.SMS}
