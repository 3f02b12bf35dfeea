"""Erasing a customer's personal data on request: leads only, with a reason; every field
that says who they are or what they said is gone in one transaction; nothing of any
other customer changes; the audit event records the erasure without personal data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy import select as select_rows
from sqlmodel import SQLModel, col, func, or_, select

from counter_tui.db.models import (
    AuditEvent,
    Channel,
    ContactConsent,
    Customer,
    CustomerNote,
    CustomerSearchTerm,
    Feedback,
    FollowUp,
    StandingNeed,
    Visit,
    VisitNeed,
)
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import (
    audit,
    customer_record,
    customers,
    erased_contacts,
    erasure,
    feedback,
    followups,
    visit_customer,
    visit_needs,
    visits,
)
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog

BOB_SECRETS = (
    "Bob",
    "Jones",
    "07700 900123",
    "07700900123",
    "bob@example.com",
    "blue mugs",
    "hearing loop",
    "Eve",
    "kettle",
    "Welsh",
    "parking is awful",
    "repair quote",
    "spare lid",
    "Rang him",
    "Enjoy the kettle",
)
Rows = dict[tuple[str, tuple[Any, ...]], dict[str, Any]]


@dataclass
class Shop:
    """Bob, whose data is erased, and Cara, whose data must not change."""

    bob: int
    cara: int
    bob_visits: tuple[int, ...]
    open_callback: int
    done_promise: int
    thank_you: int


@pytest.fixture
def shop(ctx: ShopContext, team: Team) -> Shop:
    """Bob checked in at the kiosk as "Bobby", went on file, bought a kettle (thank-you
    open), left feedback, has a callback open and a promise kept, and is in the shop again.
    Cara has the same kinds of data."""
    sam = team.sam
    first = visits.new_walk_in(ctx, Actor.kiosk("door"), description="Bobby", needs=["needs_help"])
    visits.claim_visit(ctx, sam, first)
    visit_needs.set_need(ctx, sam, first, "language", detail="Welsh")
    visits.add_visit_note(ctx, sam, first, "Looking for a kettle")
    bob = visit_customer.add_customer_to_visit(
        ctx, sam, first, name="Bob Jones", phone="07700 900123", email="bob@example.com",
        opted_in=[Channel.PHONE, Channel.EMAIL],
    )  # fmt: skip
    customers.set_preferences(ctx, sam, bob, "Likes the blue mugs")
    customers.set_standing_need(ctx, sam, bob, "accessibility", remember=True, detail="hearing loop")
    customers.add_note(ctx, sam, bob, "His daughter Eve collects orders")
    thank_you = visits.end_visit(
        ctx, sam, first, "purchase", personal_line="Enjoy the copper kettle in the new kitchen"
    ).thank_you_id
    feedback.record_feedback(
        ctx, sam, body="The parking is awful", customer_id=bob, rating=2, topics=["parking"]
    )
    open_callback = followups.add_callback(ctx, sam, bob, about="repair quote")
    promise = followups.add_promise(
        ctx, sam, bob, promise="Order a spare lid", due_at=ctx.now() + timedelta(hours=2)
    )
    followups.complete_followup(ctx, sam, promise, what_was_done="Rang him")
    second = visits.new_walk_in(ctx, sam, customer_id=bob, claim=True)

    cara = customers.create_customer(
        ctx, team.alex, name="Cara Lee", phone="07700 900456", email="cara@example.com", opted_in=["sms"]
    )
    customers.set_preferences(ctx, team.alex, cara, "Gift wrap everything")
    customers.set_standing_need(ctx, team.alex, cara, "language", remember=True, detail="Polish")
    customers.add_note(ctx, team.alex, cara, "Regular on Fridays")
    feedback.record_feedback(ctx, team.alex, body="Parking again", customer_id=cara, topics=["parking"])
    followups.add_callback(ctx, team.alex, cara, about="order ETA", channel=Channel.SMS)
    cara_visit = visits.new_walk_in(ctx, team.alex, customer_id=cara, claim=True)
    visits.add_visit_note(ctx, team.alex, cara_visit, "Wants the red teapot")
    return Shop(bob, cara, (first, second), open_callback, promise, thank_you or 0)


def every_row(ctx: ShopContext) -> Rows:
    """Every row of every table, by table and primary key."""
    rows: Rows = {}
    with ctx.database.read() as session:
        connection = session.connection()
        for table in SQLModel.metadata.sorted_tables:
            if not inspect(connection).has_table(table.name):
                continue
            key_columns = [column.name for column in table.primary_key.columns]
            for row in connection.execute(select_rows(table)).mappings():
                rows[(table.name, tuple(row[name] for name in key_columns))] = dict(row)
    return rows


def belongs_to_bob(table: str, row: dict[str, Any], shop: Shop, rows: Rows | None = None) -> bool:
    """Whether a row is about Bob or one of his visits; an audit event, whether its entity
    is (looked up in `rows`)."""
    if table == "customer":
        return bool(row["id"] == shop.bob)
    if table == "visit":
        return row["id"] in shop.bob_visits
    if table == "auditevent" and rows is not None:
        entity = {"customer": "customer", "visit": "visit", "followup": "followup", "feedback": "feedback"}
        about = rows.get((entity.get(row["entity"], ""), (row["entity_id"],)))
        return about is not None and belongs_to_bob(row["entity"], about, shop)
    return row.get("customer_id") == shop.bob or row.get("visit_id") in shop.bob_visits


def search_term_count(ctx: ShopContext, customer_id: int) -> int:
    """How many search terms the customer has."""
    with ctx.database.read() as session:
        return int(
            session.exec(select(func.count()).where(CustomerSearchTerm.customer_id == customer_id)).one()
        )


def test_only_a_lead_may_erase_and_only_with_a_reason(ctx: ShopContext, team: Team, shop: Shop) -> None:
    before = every_row(ctx)
    with pytest.raises(NotAllowed, match="Only a shift lead can erase a customer's personal data"):
        erasure.erase_customer(ctx, team.sam, shop.bob, "asked at the till")
    with pytest.raises(NotAllowed):
        erasure.erase_customer(ctx, Actor.kiosk("door"), shop.bob, "asked at the till")
    for blank in ("", "   ", "\x1b\x07"):
        with pytest.raises(InvalidInput, match="Say why the data is erased"):
            erasure.erase_customer(ctx, team.lead, shop.bob, blank)
    with pytest.raises(NotFound):
        erasure.erase_customer(ctx, team.lead, 9999, "asked at the till")
    assert every_row(ctx) == before
    assert customer_record.customer_detail(ctx, team.sam, shop.bob).name == "Bob Jones"


def test_every_personal_field_is_gone(ctx: ShopContext, team: Team, shop: Shop) -> None:
    assert search_term_count(ctx, shop.bob) > 0

    result = erasure.erase_customer(ctx, team.lead, shop.bob, "asked by email on 3 November")

    with ctx.database.read() as session:
        customer = session.get(Customer, shop.bob)
        assert customer is not None
        assert (customer.name, customer.name_key, customer.phone, customer.phone_digits) == (
            f"erased customer #{shop.bob}", "", "", "",
        )  # fmt: skip
        assert (customer.email, customer.preferences, customer.erased_at) == ("", "", ctx.now())
        assert customer.phone_normalised == ""
        assert session.exec(select(ContactConsent).where(ContactConsent.customer_id == shop.bob)).all() == []
        assert session.exec(select(StandingNeed).where(StandingNeed.customer_id == shop.bob)).all() == []
        on_visit_or_record = or_(
            col(CustomerNote.visit_id) == shop.bob_visits[0], col(CustomerNote.customer_id) == shop.bob
        )
        notes = session.exec(select(CustomerNote).where(on_visit_or_record)).all()
        assert len(notes) == 2  # the note on the kiosk visit (before he went on file) and his own
        assert {note.body for note in notes} == {"(erased)"}
        said = session.exec(select(Feedback).where(Feedback.customer_id == shop.bob)).all()
        assert [(item.body, item.rating) for item in said] == [("(erased)", 2)]
        owed = {
            item.id: item for item in session.exec(select(FollowUp).where(FollowUp.customer_id == shop.bob))
        }
        kept_visits = session.exec(select(Visit).where(Visit.customer_id == shop.bob)).all()
        needs = session.exec(select(VisitNeed).where(VisitNeed.visit_id == shop.bob_visits[0])).all()
    assert set(owed) == {shop.open_callback, shop.done_promise, shop.thank_you}
    for item_id in (shop.open_callback, shop.thank_you):
        assert (owed[item_id].status, owed[item_id].cancel_reason) == ("cancelled", "customer data erased")
        assert owed[item_id].done_by == team.lead.staff_id
    assert owed[shop.done_promise].status == "done"
    assert {(f.summary, f.personal_line, f.outcome_note) for f in owed.values()} == {("(erased)", "", "")}
    assert sorted(visit.id or 0 for visit in kept_visits) == sorted(shop.bob_visits)
    assert {visit.description for visit in kept_visits} == {""}
    assert {need.detail for need in needs} == {""} and len(needs) == 2
    assert search_term_count(ctx, shop.bob) == 0
    assert result == erasure.ErasureResult(
        customer_id=shop.bob,
        notes_blanked=2,
        feedback_blanked=1,
        followups_cancelled=2,
        followups_blanked=3,
        consents_deleted=2,
        standing_needs_deleted=1,
        visits_blanked=2,
        search_terms_deleted=result.search_terms_deleted,
        audit_events_redacted=result.audit_events_redacted,
        fingerprints_kept=2,
    )
    assert result.audit_events_redacted > 0

    leftovers = [
        (key, secret)
        for key, row in every_row(ctx).items()
        if belongs_to_bob(key[0], row, shop)
        for value in row.values()
        if isinstance(value, str)
        for secret in BOB_SECRETS
        if secret.lower() in value.lower()
    ]
    assert leftovers == []


def test_an_erased_customer_cannot_be_found_or_opened(ctx: ShopContext, team: Team, shop: Shop) -> None:
    for query in ("bob", "jones", "900123", "bob@example.com"):
        assert [match.id for match in customers.find_customers(ctx, query).items] == [shop.bob]

    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    for query in ("bob", "jones", "900123", "bob@example.com", "erased"):
        assert customers.find_customers(ctx, query).items == ()
    assert shop.bob not in {match.id for match in customers.find_customers(ctx, "").items}
    with pytest.raises(NotFound, match="no longer on file"):
        customer_record.customer_detail(ctx, team.lead, shop.bob)
    with pytest.raises(NotFound):
        erasure.erase_customer(ctx, team.lead, shop.bob, "asked twice")
    assert [match.id for match in customers.find_customers(ctx, "cara").items] == [shop.cara]


def test_nothing_of_anyone_else_changes(ctx: ShopContext, team: Team, shop: Shop) -> None:
    """Every row that changed, appeared or went belongs to Bob (earlier audit events about
    him included), apart from the new audit events and the chain head; Cara's customer
    view reads the same."""
    cara_before = customer_record.customer_detail(ctx, team.alex, shop.cara)
    before = every_row(ctx)

    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    after = every_row(ctx)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    new_events = {key for key in changed if key[0] == "auditevent" and key not in before}
    assert sorted(after[key]["action"] for key in new_events) == ["audit.redacted", "customer.erased"]
    assert ("auditchainhead", (1,)) in changed  # the chain moved on by those events
    kept = {key for key in changed if key[0] in ("erasedcontact", "shopkey")}
    assert {key for key in kept if key[0] == "erasedcontact"} == {
        ("erasedcontact", (fingerprint,))
        for fingerprint in erased_contacts.fingerprints(
            bytes.fromhex(after[("shopkey", ("erased_contacts",))]["secret"]),
            erased_contacts.Contact("Bob Jones", "+447700900123", "bob@example.com"),
        )
    }, "Bob's phone and email, each with his first name, as fingerprints and nothing else"

    for key in changed - new_events - kept - {("auditchainhead", (1,))}:
        assert belongs_to_bob(key[0], before.get(key) or after[key], shop, before), key
    assert {key[0] for key in changed - new_events} >= {
        "customer", "customernote", "feedback", "followup", "visit", "visitneed", "contactconsent",
        "standingneed",
    }  # fmt: skip
    assert customer_record.customer_detail(ctx, team.alex, shop.cara) == cara_before


def test_the_audit_event_says_who_erased_and_why_without_personal_data(
    ctx: ShopContext, team: Team, shop: Shop, audit_log: AuditLog
) -> None:
    earlier = audit_log()

    erasure.erase_customer(
        ctx, team.lead, shop.bob, "Bob Jones asked by email (BOB@example.com, 07700900123)"
    )

    events = audit_log()
    assert [e.id for e in events[: len(earlier)]] == [e.id for e in earlier]
    event, *redactions = events[len(earlier) :]
    assert [e.action for e in redactions] == ["audit.redacted"]
    assert (event.action, event.entity, event.entity_id, event.actor_id) == (
        "customer.erased", "customer", shop.bob, team.lead.staff_id,
    )  # fmt: skip
    details = json.loads(event.details)
    assert details == {
        "reason": "[erased] [erased] asked by email ([erased], [erased])",
        "notes_blanked": 2,
        "feedback_blanked": 1,
        "followups_cancelled": 2,
        "consents_deleted": 2,
        "standing_needs_deleted": 1,
        "emails_withdrawn": 0,
        "emails_scrubbed": 0,
        "fingerprints_kept": 2,
    }
    assert not [secret for secret in BOB_SECRETS if secret.lower() in event.details.lower()]


def test_a_failure_midway_leaves_everything_as_it_was(
    ctx: ShopContext, team: Team, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = every_row(ctx)
    real_record = audit.record

    def failing_record(session: Any, ctx: Any, actor: Any, action: str, *args: Any, **kw: Any) -> Any:
        if action == "customer.erased":
            raise RuntimeError("disk full")
        return real_record(session, ctx, actor, action, *args, **kw)

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError, match="disk full"):
        erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    assert every_row(ctx) == before


def test_acting_on_a_topic_does_not_contact_an_erased_customer(
    ctx: ShopContext, team: Team, shop: Shop
) -> None:
    """Bob raised "parking" and had consented; once erased, only Cara (who consented to
    text messages) is told it was fixed."""
    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    result = feedback.mark_topic_acted_on(ctx, team.lead, "parking", "Ten more spaces out back")

    assert result.customers_told == 1
    with ctx.database.read() as session:
        queued = session.exec(select(FollowUp).where(FollowUp.kind == "feedback_acted_on")).all()
    assert [item.customer_id for item in queued] == [shop.cara]


def test_events_are_not_erased(ctx: ShopContext, team: Team, shop: Shop, audit_log: AuditLog) -> None:
    """The history of what staff did stays: visits and their events are still there."""
    claimed_before = [e.entity_id for e in audit_log("visit.claimed")]

    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    assert [e.entity_id for e in audit_log("visit.claimed")] == claimed_before
    assert set(shop.bob_visits) <= set(claimed_before)
    with ctx.database.read() as session:
        assert session.get(AuditEvent, audit_log("customer.created")[0].id or 0) is not None


def note_bodies(ctx: ShopContext, customer_id: int) -> list[str]:
    with ctx.database.read() as session:
        return list(session.exec(select(CustomerNote.body).where(CustomerNote.customer_id == customer_id)))


def test_an_erased_customers_open_visit_keeps_no_new_text_about_them(
    ctx: ShopContext, team: Team, shop: Shop
) -> None:
    """Erased while their visit is open (Sam had a note half typed): the note, a need's
    detail or a need to remember is refused, and nothing about them is kept; a need with
    no text still helps them on this visit."""
    open_visit = shop.bob_visits[-1]
    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")
    notes_before = note_bodies(ctx, shop.bob)

    with pytest.raises(Conflict, match="erased at their request, so a note about them is not kept"):
        visits.add_visit_note(ctx, team.sam, open_visit, "Her home address is 12 Acacia Ave")
    with pytest.raises(Conflict, match="a need's detail"):
        visit_needs.set_need(ctx, team.sam, open_visit, "language", detail="Welsh")
    with pytest.raises(Conflict, match="a need to remember"):
        visit_needs.set_need(ctx, team.sam, open_visit, "accessibility", remember=True)
    visit_needs.set_need(ctx, team.sam, open_visit, "needs_help")

    assert note_bodies(ctx, shop.bob) == notes_before
    with ctx.database.read() as session:
        details = session.exec(select(VisitNeed.detail).where(VisitNeed.visit_id == open_visit)).all()
        standing = session.exec(select(StandingNeed).where(StandingNeed.customer_id == shop.bob)).all()
    assert set(details) <= {""} and standing == []


def test_a_customer_erased_during_their_visit_can_be_put_on_file_again(
    ctx: ShopContext, team: Team, shop: Shop
) -> None:
    """Erased at their request while still in the shop, then they ask to be kept on file
    after all: the walk-in is put on file as a new record (it said "already linked to a
    customer on file", though nothing of them was on file), and the erased record stays
    erased, with nothing of the new one."""
    open_visit = shop.bob_visits[-1]
    erasure.erase_customer(ctx, team.lead, shop.bob, "asked at the till")

    again = visit_customer.add_customer_to_visit(
        ctx, team.sam, open_visit, name="Bob Again", phone="07700 900777"
    )

    with ctx.database.read() as session:
        visit = session.get_one(Visit, open_visit)
        erased = session.get_one(Customer, shop.bob)
    assert visit.customer_id == again != shop.bob
    assert (
        erased.erased_at is not None and erased.name == erasure.erased_name(shop.bob) and erased.phone == ""
    )
    visits.add_visit_note(ctx, team.sam, open_visit, "Kept on file at their request")
