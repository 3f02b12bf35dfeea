"""Customers: creating and correcting records, find_customers (name word prefix, phone
digits, email prefix, paging, literal `%`/`_`, in-shop flag), notes, preferences,
standing needs and contact consent."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    CustomerNote,
    NeedKind,
    Outcome,
    StandingNeed,
)
from counter_tui.errors import InvalidInput, NotAllowed, NotFound
from counter_tui.services import customer_record, customers, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.duplicates import PossibleDuplicate
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


def _names(ctx: ShopContext, query: str, **paging: int) -> list[str]:
    return [match.name for match in customers.find_customers(ctx, query, **paging).items]


@pytest.fixture
def shop_customers(ctx: ShopContext, team: Team) -> dict[str, int]:
    """A handful of customers with names, phones and emails that search can tell apart."""
    rows = [
        ("Dana Smith", "07700 900111", "dana.smith@example.com"),
        ("Smithers Waylon", "", "w@example.org"),
        ("Blacksmith Ann", "", ""),
        ("Percy 100% Cotton", "", ""),
        ("Under_Score Jo", "", ""),
        ("Underxscore Kai", "", ""),
        ("Pat Ng", "+44 (0)20 7946 0958", "pat@shop.example"),
    ]
    return {
        name: customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email)
        for name, phone, email in rows
    }


def test_create_customer_cleans_and_audits(
    ctx: ShopContext, team: Team, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    customer_id = customers.create_customer(
        ctx, team.sam, name="  Eve\x1b[31m Adams ", phone="07700 900 456", email="EVE@Example.COM"
    )
    row: Customer = fetch(Customer, customer_id)
    assert row.name == "Eve[31m Adams"
    assert row.name_key == "eve[31m adams"
    assert row.phone_digits == "07700900456"
    assert row.email == "eve@example.com"
    events = audit_log("customer.created")
    assert [(e.entity_id, e.actor_id) for e in events] == [(customer_id, team.sam.staff_id)]


def test_create_customer_stops_at_the_same_phone_or_email_unless_told_to_go_ahead(
    ctx: ShopContext, team: Team, audit_log: AuditLog, row_count: RowCount
) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    eve = customers.create_customer(ctx, team.sam, name="Eve Adams", email="eve@example.com")
    with pytest.raises(
        PossibleDuplicate, match=r"Priya Shah is on file with the same phone number\. Open"
    ) as offer:
        customers.create_customer(ctx, team.alex, name="P Shah", phone="+44 7700 900456")
    assert [c.customer_id for c in offer.value.candidates] == [priya]
    with pytest.raises(PossibleDuplicate) as offer:
        customers.create_customer(ctx, team.alex, name="Eve", phone="0161 496 0000", email="EVE@example.com")
    assert [(c.customer_id, c.same_email) for c in offer.value.candidates] == [(eve, True)]
    assert row_count(Customer) == 2
    anyway = customers.create_customer(
        ctx, team.alex, name="P Shah", phone="+44 7700 900456", create_anyway=True
    )
    assert row_count(Customer) == 3
    events = audit_log("customer.created")
    assert [(e.entity_id, json.loads(e.details).get("despite_duplicates")) for e in events] == [
        (priya, None),
        (eve, None),
        (anyway, True),
    ]


@pytest.mark.parametrize(
    ("name", "phone", "email", "message"),
    [
        ("", "", "", "name"),
        ("\x00\x07", "", "", "name"),
        ("Eve", "12", "", "phone number looks too short"),
        ("Eve", "", "not-an-email", "email address looks wrong"),
    ],
)
def test_create_customer_refuses_bad_input(
    ctx: ShopContext,
    team: Team,
    row_count: RowCount,
    audit_log: AuditLog,
    name: str,
    phone: str,
    email: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        customers.create_customer(ctx, team.sam, name=name, phone=phone, email=email)
    assert row_count(Customer) == 0
    assert audit_log("customer.created") == []


def test_kiosk_cannot_create_customers(ctx: ShopContext, row_count: RowCount) -> None:
    with pytest.raises(NotAllowed, match="kiosk"):
        customers.create_customer(ctx, Actor.kiosk("door"), name="Eve")
    assert row_count(Customer) == 0


def test_update_contact_changes_what_search_finds(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    customers.update_contact(
        ctx, team.alex, bob, name="Robert Jones", phone="020 7946 0000", email="rj@example.com"
    )
    assert _names(ctx, "rob") == ["Robert Jones"]
    assert _names(ctx, "bob") == []
    assert _names(ctx, "79460000") == ["Robert Jones"]
    assert [e.entity_id for e in audit_log("customer.updated")] == [bob]


def test_correcting_a_phone_or_email_to_another_customers_stops_and_names_them(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, fetch: Callable[..., Any]
) -> None:
    """A typo here would send one customer's callbacks to another: stopped as putting a
    walk-in on file is, naming who has it, and saved only when asked to."""
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", phone="07700 900999", email="ann@example.com"
    )
    for phone, email, what in (("+44 7700 900999", "", "phone number"), ("", "ANN@example.com", "email")):
        with pytest.raises(PossibleDuplicate) as stopped:
            customers.update_contact(ctx, team.sam, bob, name="Bob Jones", phone=phone, email=email)
        assert str(stopped.value) == (
            f"Ann Lee is on file with the same {what}. Open their record (to merge them if they "
            "are one person), or save the change anyway."
        )
        assert [c.customer_id for c in stopped.value.candidates] == [ann]
    assert fetch(Customer, bob).phone_normalised != "+447700900999"
    assert audit_log("customer.updated") == []

    customers.update_contact(
        ctx, team.sam, bob, name="Bob Jones", phone="07700 900999", email="", save_anyway=True
    )
    assert fetch(Customer, bob).phone_normalised == "+447700900999"
    [updated] = audit_log("customer.updated")
    assert json.loads(updated.details) == {"changed": ["phone", "email"], "despite_duplicates": True}
    # Saving again with the number it now shares (a name corrected) does not stop again.
    customers.update_contact(ctx, team.sam, bob, name="Robert Jones", phone="07700 900999", email="")
    assert fetch(Customer, bob).name == "Robert Jones"


def test_find_by_the_start_of_any_word_of_the_name(ctx: ShopContext, shop_customers: dict[str, int]) -> None:
    assert _names(ctx, "smi") == ["Dana Smith", "Smithers Waylon"]
    assert _names(ctx, "SMITH") == ["Dana Smith", "Smithers Waylon"]
    assert _names(ctx, "dana s") == ["Dana Smith"]
    assert "Blacksmith Ann" not in _names(ctx, "smith")
    assert _names(ctx, "ann") == ["Blacksmith Ann"]


def test_find_by_any_run_of_phone_digits_however_typed(
    ctx: ShopContext, shop_customers: dict[str, int]
) -> None:
    assert _names(ctx, "900111") == ["Dana Smith"]
    assert _names(ctx, "07700 900") == ["Dana Smith"]
    assert _names(ctx, "7946 0958") == ["Pat Ng"]
    assert _names(ctx, "(020) 7946-0958") == ["Pat Ng"]
    assert _names(ctx, "+44 (0)20 7946 0958") == ["Pat Ng"]
    assert _names(ctx, "555") == []


def test_find_by_email_prefix(ctx: ShopContext, shop_customers: dict[str, int]) -> None:
    assert _names(ctx, "dana.smith@") == ["Dana Smith"]
    assert _names(ctx, "pat@shop") == ["Pat Ng"]
    assert _names(ctx, "shop.example") == []


def test_percent_and_underscore_are_taken_literally(ctx: ShopContext, shop_customers: dict[str, int]) -> None:
    assert _names(ctx, "%") == []
    assert _names(ctx, "100%") == ["Percy 100% Cotton"]
    assert _names(ctx, "under_") == ["Under_Score Jo"]
    assert _names(ctx, "_") == []
    assert _names(ctx, "\\") == []


def test_empty_query_lists_everyone_a_page_at_a_time(
    ctx: ShopContext, shop_customers: dict[str, int]
) -> None:
    first = customers.find_customers(ctx, "", page_size=3)
    second = customers.find_customers(ctx, "", page=1, page_size=3)
    third = customers.find_customers(ctx, "", page=2, page_size=3)
    assert (first.has_more, second.has_more, third.has_more) == (True, True, False)
    names = [m.name for page in (first, second, third) for m in page.items]
    assert names == sorted(shop_customers, key=str.lower)
    assert len(third.items) == 1


def test_paging_through_many_matches(ctx: ShopContext, team: Team) -> None:
    for number in range(45):
        customers.create_customer(ctx, team.sam, name=f"Lee {number:02d}")
    pages = [customers.find_customers(ctx, "lee", page=n) for n in range(3)]
    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert [p.has_more for p in pages] == [True, True, False]
    seen = [m.name for p in pages for m in p.items]
    assert seen == [f"Lee {n:02d}" for n in range(45)]
    assert customers.find_customers(ctx, "lee", page=-4).page == 0


def test_in_shop_flag_follows_open_visits(
    ctx: ShopContext, team: Team, shop_customers: dict[str, int]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=shop_customers["Pat Ng"])
    flags = {m.name: m.in_shop for m in customers.find_customers(ctx, "").items}
    assert flags["Pat Ng"] is True
    assert not any(flag for name, flag in flags.items() if name != "Pat Ng")

    visits.end_visit(ctx, team.sam, visit_id, Outcome.LEFT_UNSERVED)
    assert not any(m.in_shop for m in customers.find_customers(ctx, "pat").items)


def test_notes_and_preferences_show_in_the_customer_detail(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, row_count: RowCount
) -> None:
    customers.add_note(ctx, team.sam, bob, "Prefers the\x1b[2J quiet till\n\n\n\nby the door")
    customers.set_preferences(ctx, team.alex, bob, "Large print receipts")
    detail = customer_record.customer_detail(ctx, team.lead, bob)
    assert [(n.author, n.body) for n in detail.notes] == [("Sam", "Prefers the[2J quiet till\n\nby the door")]
    assert detail.preferences == "Large print receipts"
    assert [e.action for e in audit_log("customer.note_added", "customer.preferences_set")] == [
        "customer.note_added",
        "customer.preferences_set",
    ]
    with pytest.raises(InvalidInput, match="note is empty"):
        customers.add_note(ctx, team.sam, bob, " \x07 ")
    assert row_count(CustomerNote) == 1


def test_standing_need_remembered_and_forgotten(
    ctx: ShopContext, team: Team, bob: int, row_count: RowCount, audit_log: AuditLog
) -> None:
    customers.set_standing_need(
        ctx, team.sam, bob, NeedKind.ACCESSIBILITY, remember=True, detail="wheelchair"
    )
    customers.set_standing_need(
        ctx, team.sam, bob, NeedKind.ACCESSIBILITY, remember=True, detail="step-free route"
    )
    detail = customer_record.customer_detail(ctx, team.sam, bob)
    assert [(n.kind, n.detail) for n in detail.standing_needs] == [
        (NeedKind.ACCESSIBILITY, "step-free route")
    ]
    customers.set_standing_need(ctx, team.sam, bob, NeedKind.ACCESSIBILITY, remember=False)
    assert row_count(StandingNeed) == 0
    assert len(audit_log("customer.standing_need_set")) == 3
    with pytest.raises(InvalidInput, match="Unknown need"):
        customers.set_standing_need(ctx, team.sam, bob, "telepathy", remember=True)


def test_consent_is_recorded_per_channel_with_source_and_time(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog, row_count: RowCount
) -> None:
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=True, source="form")
    customers.record_consent(ctx, team.sam, bob, Channel.EMAIL, granted=False, source="asked us to stop")
    customers.record_consent(ctx, team.sam, bob, Channel.SMS, granted=True, source="counter")
    detail = customer_record.customer_detail(ctx, team.sam, bob)
    assert [(c.channel, c.granted, c.source) for c in detail.consents] == [
        (Channel.EMAIL, False, "asked us to stop"),
        (Channel.SMS, True, "counter"),
    ]
    assert all(c.recorded_at == ctx.now() for c in detail.consents)
    assert row_count(ContactConsent) == 2
    assert len(audit_log("customer.consent_recorded")) == 3

    with pytest.raises(InvalidInput, match="how the customer agreed"):
        customers.record_consent(ctx, team.sam, bob, Channel.PHONE, granted=True, source=" ")
    with pytest.raises(InvalidInput, match="phone, text message or email"):
        customers.record_consent(ctx, team.sam, bob, Channel.IN_PERSON, granted=True, source="counter")
    assert row_count(ContactConsent) == 2


def test_unknown_customer_is_not_found(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotFound, match="no longer on file"):
        customer_record.customer_detail(ctx, team.sam, 4242)
    with pytest.raises(NotFound):
        customers.add_note(ctx, team.sam, 4242, "hello")
