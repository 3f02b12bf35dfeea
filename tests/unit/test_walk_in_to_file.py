"""One customer, one record: what is written on an anonymous walk-in follows them onto
file (put on file or linked), and putting someone on file finds the customer already
there by a phone typed another way or an email in other letters."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.db.models import Customer, CustomerNote, Feedback, NeedKind, StandingNeed, VisitNeed
from counter_tui.errors import Conflict
from counter_tui.services import (
    customer_record,
    customers,
    feedback,
    linking,
    visit_customer,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.duplicates import PossibleDuplicate
from counter_tui.services.linking import NOTHING_TYPED, NotStored, TypedContact, TypedKept
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


@pytest.fixture
def walk_in(ctx: ShopContext, team: Team) -> int:
    """An anonymous walk-in Sam greeted."""
    return visits.new_walk_in(ctx, team.sam, description="man in a green coat", claim=True)


def _standing(ctx: ShopContext, customer_id: int) -> dict[str, str]:
    with ctx.database.read() as session:
        rows = session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
        return {row.kind: row.detail for row in rows}


def test_a_note_on_a_walk_in_follows_them_onto_file(ctx: ShopContext, team: Team, walk_in: int) -> None:
    visits.add_visit_note(ctx, team.sam, walk_in, "Wants the blue one in a size 9")
    customer_id = visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Omar Haddad")
    record = customer_record.customer_detail(ctx, team.sam, customer_id)
    assert [note.body for note in record.notes] == ["Wants the blue one in a size 9"]


def test_a_note_on_a_walk_in_follows_them_when_linked(
    ctx: ShopContext, team: Team, walk_in: int, bob: int
) -> None:
    visits.add_visit_note(ctx, team.sam, walk_in, "Asked about the repair")
    visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    record = customer_record.customer_detail(ctx, team.sam, bob)
    assert [note.body for note in record.notes] == ["Asked about the repair"]
    with ctx.database.read() as session:
        stray = session.exec(select(CustomerNote).where(col(CustomerNote.customer_id).is_(None))).all()
    assert stray == []


def test_needs_remembered_on_a_walk_in_become_standing_needs(
    ctx: ShopContext, team: Team, walk_in: int
) -> None:
    visit_needs.update_needs(
        ctx,
        team.sam,
        walk_in,
        add=[NeedKind.ACCESSIBILITY],
        details={NeedKind.ACCESSIBILITY: "wheelchair"},
        remember=[NeedKind.ACCESSIBILITY],
    )
    visit_needs.set_need(ctx, team.sam, walk_in, NeedKind.LANGUAGE, detail="Arabic", remember=True)
    visit_needs.set_need(ctx, team.sam, walk_in, NeedKind.PICKUP)  # for today only
    customer_id = visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Omar Haddad")
    assert _standing(ctx, customer_id) == {"accessibility": "wheelchair", "language": "Arabic"}


def test_needs_remembered_on_a_walk_in_follow_them_when_linked(
    ctx: ShopContext, team: Team, walk_in: int, bob: int
) -> None:
    visit_needs.set_need(ctx, team.sam, walk_in, NeedKind.LANGUAGE, detail="Welsh", remember=True)
    visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    assert _standing(ctx, bob) == {"language": "Welsh"}


def test_a_cleared_remembered_need_is_not_kept(ctx: ShopContext, team: Team, walk_in: int) -> None:
    visit_needs.set_need(ctx, team.sam, walk_in, NeedKind.LANGUAGE, detail="Welsh", remember=True)
    visit_needs.clear_need(ctx, team.sam, walk_in, NeedKind.LANGUAGE)
    customer_id = visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Omar Haddad")
    assert _standing(ctx, customer_id) == {}


def test_preferences_of_a_walk_in_follow_them(ctx: ShopContext, team: Team, walk_in: int, bob: int) -> None:
    customers.set_preferences(ctx, team.sam, bob, "Card only")
    visit_customer.set_visit_preferences(ctx, team.sam, walk_in, "Likes to be left to browse")
    assert visit_views.visit_detail(ctx, team.sam, walk_in).preferences == "Likes to be left to browse"
    visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    assert (
        customer_record.customer_detail(ctx, team.sam, bob).preferences
        == "Card only\nLikes to be left to browse"
    )
    assert visit_views.visit_detail(ctx, team.sam, walk_in).preferences == ""
    with pytest.raises(Conflict, match="on file"):
        visit_customer.set_visit_preferences(ctx, team.sam, walk_in, "Something else")


def test_feedback_on_a_walk_in_follows_them(
    ctx: ShopContext, team: Team, walk_in: int, fetch: Callable[..., Any]
) -> None:
    feedback_id = feedback.record_feedback(ctx, team.sam, body="Queue was long", visit_id=walk_in)
    customer_id = visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Omar Haddad")
    assert fetch(Feedback, feedback_id).customer_id == customer_id


def test_linking_applies_the_customers_remembered_needs_to_the_visit(
    ctx: ShopContext, team: Team, walk_in: int, bob: int
) -> None:
    customers.set_standing_need(ctx, team.sam, bob, NeedKind.ACCESSIBILITY, remember=True, detail="ramp")
    visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    needs = visit_views.visit_detail(ctx, team.sam, walk_in).needs
    assert [(need.kind, need.detail) for need in needs] == [("accessibility", "ramp")]


def test_linking_audits_what_moved(
    ctx: ShopContext, team: Team, walk_in: int, bob: int, audit_log: AuditLog
) -> None:
    visits.add_visit_note(ctx, team.sam, walk_in, "note")
    visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    [attached] = audit_log("visit.customer_attached")
    assert attached.entity_id == walk_in
    assert f'"customer_id": {bob}' in attached.details
    assert '"notes_moved": 1' in attached.details


# Phones and emails in one form


@pytest.mark.parametrize(
    "typed", ["07700 900123", "+44 7700 900123", "0044 7700 900123", "+44 (0)7700 900-123", "07700900123"]
)
def test_phones_typed_any_way_are_stored_in_one_international_form(
    ctx: ShopContext, team: Team, typed: str, fetch: Callable[..., Any]
) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name="Priya Shah", phone=typed)
    row: Customer = fetch(Customer, customer_id)
    assert row.phone == typed
    assert row.phone_normalised == "+447700900123"


def test_the_shops_country_reads_numbers_without_a_plus(
    ctx: ShopContext, database_url: str, team: Team, fetch: Callable[..., Any]
) -> None:
    from counter_tui.services.contact import shop_region
    from tests.conftest import make_settings, set_shop_rules

    assert shop_region(make_settings(database_url).shop) == "GB"
    assert shop_region(make_settings(database_url, timezone="Europe/Dublin").shop) == "IE"
    assert shop_region(make_settings(database_url, timezone="Europe/Dublin", country="gb").shop) == "GB"
    set_shop_rules(ctx, {"shop.timezone": "Europe/Dublin"})  # the shop's, not one terminal's
    customer_id = customers.create_customer(ctx, team.sam, name="Siobhán", phone="087 123 4567")
    assert fetch(Customer, customer_id).phone_normalised == "+353871234567"


def test_an_unreadable_phone_is_kept_as_typed_without_a_normalised_form(
    ctx: ShopContext, team: Team, fetch: Callable[..., Any]
) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name="Eve", phone="+999 12345")
    assert fetch(Customer, customer_id).phone_normalised == ""


@pytest.mark.parametrize(
    ("email", "message"),
    [("eve@@example.com", "email address looks wrong"), ("eve@localhost", "email address looks wrong")],
)
def test_emails_are_checked_by_the_validator(
    ctx: ShopContext, team: Team, row_count: RowCount, email: str, message: str
) -> None:
    from counter_tui.errors import InvalidInput

    with pytest.raises(InvalidInput, match=message):
        customers.create_customer(ctx, team.sam, name="Eve", email=email)
    assert row_count(Customer) == 0


# The duplicate check when a walk-in is put on file


def test_put_on_file_with_a_phone_on_file_offers_that_customer(
    ctx: ShopContext, team: Team, walk_in: int, bob: int, row_count: RowCount
) -> None:
    with pytest.raises(PossibleDuplicate) as refused:
        visit_customer.add_customer_to_visit(
            ctx, team.sam, walk_in, name="Robert Jones", phone="+44 7700 900123"
        )
    [candidate] = refused.value.candidates
    assert (candidate.customer_id, candidate.name, candidate.phone) == (bob, "Bob Jones", "07700 900123")
    assert candidate.same_phone and not candidate.same_email
    assert "Bob Jones is on file with the same phone number" in str(refused.value)
    assert row_count(Customer) == 1
    assert visit_views.visit_detail(ctx, team.sam, walk_in).customer is None


def test_put_on_file_with_an_email_in_other_letters_offers_that_customer(
    ctx: ShopContext, team: Team, walk_in: int, bob: int
) -> None:
    with pytest.raises(PossibleDuplicate) as refused:
        visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Bob", email="BOB@Example.com")
    assert [c.customer_id for c in refused.value.candidates] == [bob]
    assert refused.value.candidates[0].same_email


def test_create_anyway_puts_a_second_customer_on_file(
    ctx: ShopContext, team: Team, walk_in: int, bob: int, audit_log: AuditLog
) -> None:
    customer_id = visit_customer.add_customer_to_visit(
        ctx, team.sam, walk_in, name="Bob Jones", phone="07700 900123", create_anyway=True
    )
    assert customer_id != bob
    [created] = [e for e in audit_log("customer.created") if e.entity_id == customer_id]
    assert '"despite_duplicates": true' in created.details


def test_no_offer_when_nothing_matches(ctx: ShopContext, team: Team, walk_in: int, bob: int) -> None:
    customer_id = visit_customer.add_customer_to_visit(
        ctx, team.sam, walk_in, name="Bob Jones", phone="07700 900999", email="other@example.com"
    )
    assert customer_id != bob


def test_customers_erased_are_not_offered(ctx: ShopContext, team: Team, walk_in: int, bob: int) -> None:
    from counter_tui.services import erasure

    erasure.erase_customer(ctx, team.lead, bob, "asked by email")
    visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Bob Jones", phone="07700 900123")


def test_linking_to_a_customer_with_an_open_visit_is_refused(
    ctx: ShopContext, team: Team, walk_in: int, bob: int
) -> None:
    visits.new_walk_in(ctx, team.alex, customer_id=bob)
    with pytest.raises(Conflict, match="already has an open visit"):
        visit_customer.attach_customer(ctx, team.sam, walk_in, bob)
    with ctx.database.read() as session:
        assert session.exec(select(VisitNeed)).all() == []


def test_linking_with_what_was_typed_fills_only_what_their_record_lacks(
    ctx: ShopContext, team: Team, walk_in: int, audit_log: AuditLog
) -> None:
    """Priya has a phone and no email: linking the walk-in with the details typed for
    them adds the email (in other letters, kept lower case) and the channels ticked, with
    the events in the same transaction; her name and phone stay hers, and the result
    names the phone typed that was not stored."""
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    customers.record_consent(ctx, team.sam, priya, "phone", granted=True, source="asked")
    typed = TypedContact("Priya S", "07700 900999", "Priya@Example.com", ("phone", "email"))
    kept = visit_customer.attach_customer(ctx, team.sam, walk_in, priya, typed)
    assert kept == TypedKept(
        added=("email",),
        agreed=("email",),  # phone calls: agreed before, not written again
        not_stored=(
            NotStored("name", "Priya S", "Priya Shah"),
            NotStored("phone", "07700 900999", "07700 900456"),
        ),
    )
    record = customer_record.customer_detail(ctx, team.sam, priya)
    assert (record.name, record.phone, record.email) == ("Priya Shah", "07700 900456", "priya@example.com")
    assert {c.channel for c in record.consents if c.granted} == {"phone", "email"}
    [updated] = audit_log("customer.updated")
    assert (updated.entity_id, json.loads(updated.details)["changed"]) == (priya, ["email"])
    [attached] = audit_log("visit.customer_attached")
    consented = audit_log("customer.consent_recorded")[-1]
    assert attached.id is not None and updated.id is not None and consented.id is not None
    assert {attached.at, updated.at, consented.at} == {attached.at}
    assert [match.id for match in customers.find_customers(ctx, "priya@ex").items] == [priya]


def test_what_was_typed_never_takes_another_customers_phone_or_email(
    ctx: ShopContext, team: Team, walk_in: int
) -> None:
    """Linked to Raj (no phone, no email on file), the phone typed is Priya's and the
    email Dev's: neither is stored, and nothing of Raj's record changes."""
    raj = customers.create_customer(ctx, team.sam, name="Raj")
    customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    customers.create_customer(ctx, team.sam, name="Dev", email="dev@example.com")
    typed = TypedContact("raj", "+44 7700 900456", "dev@example.com")
    kept = visit_customer.attach_customer(ctx, team.sam, walk_in, raj, typed)
    assert kept == TypedKept(
        (), (), (NotStored("phone", "+44 7700 900456", ""), NotStored("email", "dev@example.com", ""))
    )
    record = customer_record.customer_detail(ctx, team.sam, raj)
    assert (record.phone, record.email) == ("", "")


def test_opening_the_record_on_file_fills_what_it_lacks(
    ctx: ShopContext, team: Team, bob: int, audit_log: AuditLog
) -> None:
    """From find (no visit): the same rules; the same details again change nothing."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", email="ann@example.com")
    typed = TypedContact("Ann Lee", "07700 900777", "ann@example.com", ("sms",))
    assert linking.add_typed_details(ctx, team.sam, ann, typed) == TypedKept(("phone",), ("sms",), ())
    assert linking.add_typed_details(ctx, team.sam, ann, typed) == NOTHING_TYPED
    record = customer_record.customer_detail(ctx, team.sam, ann)
    assert record.phone == "07700 900777"
    assert [json.loads(e.details)["changed"] for e in audit_log("customer.updated")] == [["phone"]]
