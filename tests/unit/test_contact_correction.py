"""Two terminals correcting one customer's details (found by the tester): Sam's form,
opened before Dana corrected the phone, put the old phone back on Enter. A correction is
merged field by field with what the form started from: a field the person did not change
keeps what the record holds now; only the same field changed to different values at both
is refused, naming the field, who changed it and their value; Enter again saves over
that field alone, the others still merged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.db.models import Customer
from counter_tui.services import customers
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog

OPENED = ("Bob Jones", "07700 900123", "bob@example.com")


def _stored(fetch: Callable[..., Any], bob: int) -> tuple[str, str, str]:
    customer = fetch(Customer, bob)
    return (customer.name, customer.phone, customer.email)


def test_two_corrections_from_the_same_form_of_different_fields_are_both_kept(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    customers.update_contact(
        ctx, team.lead, bob, name="Bob Jones", phone="07700 111222", email="bob@example.com", opened=OPENED
    )
    customers.update_contact(
        ctx, team.sam, bob, name="Bob Jones", phone="07700 900123", email="bj@example.org", opened=OPENED
    )
    assert _stored(fetch, bob) == ("Bob Jones", "07700 111222", "bj@example.org")
    assert fetch(Customer, bob).phone_normalised == "+447700111222"
    assert [json.loads(e.details) for e in audit_log("customer.updated")] == [
        {"changed": ["phone"]},
        {"changed": ["email"]},
    ]
    assert [c.name for c in customers.find_customers(ctx, "7700111222").items] == ["Bob Jones"]


def test_the_same_field_changed_to_different_values_is_refused_naming_it_and_saved_over_next(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    customers.update_contact(
        ctx, team.lead, bob, name="Bob Jones", phone="07700 111222", email="bob@example.com", opened=OPENED
    )
    with pytest.raises(ChangedMeanwhile) as refused:
        customers.update_contact(
            ctx, team.sam, bob, name="Robert Jones", phone="07700 333444", email="b@x.org", opened=OPENED
        )
    assert str(refused.value) == (
        "Dana changed the phone to 07700 111222 at 11:00 while this was open. What you typed "
        "is kept: Enter saves yours over theirs, Esc keeps theirs."
    )
    assert getattr(refused.value, "field", "") == "phone"
    assert _stored(fetch, bob) == ("Bob Jones", "07700 111222", "bob@example.com")
    customers.update_contact(
        ctx,
        team.sam,
        bob,
        name="Robert Jones",
        phone="07700 333444",
        email="b@x.org",
        opened=refused.value.now,
    )
    assert _stored(fetch, bob) == ("Robert Jones", "07700 333444", "b@x.org")
    assert [json.loads(e.details) for e in audit_log("customer.updated")][-1] == {
        "changed": ["name", "phone", "email"]
    }


def test_saving_over_one_field_keeps_a_colleagues_change_to_another(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    customers.update_contact(
        ctx, team.lead, bob, name="Robert Jones", phone="07700 111222", email="bob@example.com", opened=OPENED
    )
    with pytest.raises(
        ChangedMeanwhile, match=r"^Dana changed the phone to 07700 111222 at 11:00 while"
    ) as refused:
        customers.update_contact(
            ctx, team.sam, bob, name="Bob Jones", phone="07700 333444", email="bob@example.com", opened=OPENED
        )
    assert _stored(fetch, bob) == ("Robert Jones", "07700 111222", "bob@example.com")
    customers.update_contact(
        ctx,
        team.sam,
        bob,
        name="Bob Jones",
        phone="07700 333444",
        email="bob@example.com",
        opened=refused.value.now,
    )
    assert _stored(fetch, bob) == ("Robert Jones", "07700 333444", "bob@example.com")


def test_the_same_change_at_both_terminals_is_not_a_conflict_and_an_emptied_field_is_named(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any]
) -> None:
    customers.update_contact(
        ctx, team.lead, bob, name="Bob Jones", phone="07700 111222", email="bob@example.com", opened=OPENED
    )
    customers.update_contact(
        ctx, team.sam, bob, name="Bob Jones", phone="07700 111222", email="bob@example.com", opened=OPENED
    )
    assert _stored(fetch, bob) == ("Bob Jones", "07700 111222", "bob@example.com")
    opened = _stored(fetch, bob)
    customers.update_contact(
        ctx, team.lead, bob, name="Bob Jones", phone="", email="bob@example.com", opened=opened
    )
    with pytest.raises(ChangedMeanwhile, match=r"^Dana removed the phone at 11:00 while this was open"):
        customers.update_contact(
            ctx, team.sam, bob, name="Bob Jones", phone="07700 555666", email="bob@example.com", opened=opened
        )
    assert _stored(fetch, bob) == ("Bob Jones", "", "bob@example.com")
