"""Subject access: everything held about one customer (and nothing about anyone else)
in one private JSON file, found by id, phone or email; a shift lead's job, audited."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlmodel import select

from counter_tui.db.models import AuditEvent, Channel, NeedKind
from counter_tui.errors import Conflict, NotAllowed, NotFound
from counter_tui.folders import EXPORTS, shop_folder
from counter_tui.services import customers, erasure, feedback, followups, merge, visit_needs, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customer_import import ImportRequest, import_customers
from counter_tui.services.subject_access import EXPORTED, find_customer, write_subject_access
from counter_tui.services.till_import.layouts import ColumnChoice
from tests.conftest import Team
from tests.unit.test_cli import assert_one_line_failure, shop, staff_id
from tests.unit.test_cli_staff import LEAD_ENV, invoke
from tests.unit.till_exports import write_export


def test_the_document_holds_everything_about_them_and_nothing_about_others(
    ctx: ShopContext, team: Team
) -> None:
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", phone="07700 900111", email="ann@example.com", opted_in=[Channel.SMS]
    )
    other = customers.create_customer(ctx, team.sam, name="Bob Other", phone="07700 900999")
    visit = visits.new_walk_in(ctx, team.sam, customer_id=ann, description="oak table", claim=True)
    visit_needs.set_need(
        ctx, team.sam, visit, NeedKind.ACCESSIBILITY, detail="step-free entrance", remember=True
    )
    customers.add_note(ctx, team.sam, ann, "prefers mornings")
    customers.add_note(ctx, team.sam, other, "Bob's own note")
    followups.add_callback(ctx, team.sam, ann, about="price of the oak table", channel=Channel.SMS)
    feedback.record_feedback(ctx, team.sam, body="lovely staff", visit_id=visit, rating=5, topics=["staff"])

    written = write_subject_access(ctx, team.lead, ann)

    assert written.path.parent == shop_folder(ctx.database.url, EXPORTS)
    assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
    text = written.path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["customer"]["name"] == "Ann Lee" and document["customer"]["email"] == "ann@example.com"
    assert [(c["channel"], c["granted"]) for c in document["consents"]] == [("sms", True)]
    assert [(n["kind"], n["detail"]) for n in document["standing_needs"]] == [
        ("accessibility", "step-free entrance")
    ]
    [visit_held] = document["visits"]
    assert (visit_held["description"], visit_held["served_by"]) == ("oak table", "Sam")
    assert [n["detail"] for n in visit_held["needs"]] == ["step-free entrance"]
    assert [n["text"] for n in document["notes"]] == ["prefers mornings"]
    assert [f["summary"] for f in document["follow_ups"]] == ["price of the oak table"]
    assert [(f["text"], f["rating"], f["topics"]) for f in document["feedback"]] == [
        ("lovely staff", 5, ["staff"])
    ]
    actions = {event["action"] for event in document["audit_events"]}
    assert {"customer.created", "visit.created", "followup.queued", "feedback.recorded"} <= actions
    assert "Bob" not in text and "900999" not in text
    assert written.counts == {
        "consents": 1,
        "till_links": 0,
        "standing_needs": 1,
        "visits": 1,
        "notes": 1,
        "follow_ups": 1,
        "feedback": 1,
        "audit_events": len(document["audit_events"]),
    }
    with ctx.database.read() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == EXPORTED)).one()
    assert (event.actor_id, event.entity_id) == (team.lead.staff_id, ann)
    assert json.loads(event.details)["visits"] == 1


def test_only_a_lead_and_never_over_an_existing_file(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    with pytest.raises(NotAllowed, match="Only a shift lead can export everything held about a customer"):
        write_subject_access(ctx, team.sam, ann, tmp_path / "ann.json")
    assert not (tmp_path / "ann.json").exists()
    (tmp_path / "ann.json").write_text("keep")
    with pytest.raises(Conflict, match="There is already a file at"):
        write_subject_access(ctx, team.lead, ann, tmp_path / "ann.json")
    assert (tmp_path / "ann.json").read_text() == "keep"


def test_an_erased_customer_has_nothing_left_to_give(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    gone = customers.create_customer(ctx, team.sam, name="Gone Person", phone="07700 900222")
    erasure.erase_customer(ctx, team.lead, gone, "asked by email")
    with pytest.raises(
        NotFound,
        match=rf"^Customer {gone}'s personal data was erased on 2026-11-20: the shop no longer holds their "
        r"name, contact details or anything said about them, so there is nothing to give them \(it keeps",
    ):
        write_subject_access(ctx, team.lead, gone, tmp_path / "gone.json")
    assert not (tmp_path / "gone.json").exists()


def test_an_id_no_customer_ever_had_is_not_called_erased(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """`customers subject-access 99999` said "That customer is no longer on file." for an
    id that never existed, as if the shop had held and erased someone."""
    with pytest.raises(NotFound, match=r"^No customer has ever had the id 99999 here\. Check the id, or find "
                       r"them by --phone or --email\.$"):  # fmt: skip
        write_subject_access(ctx, team.lead, 99999, tmp_path / "nobody.json")
    assert not (tmp_path / "nobody.json").exists()


def test_the_till_ids_an_import_linked_them_to_are_in_the_document(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """The shop holds which till customer each import linked them to (`tillcustomer`),
    theirs and those of the records merged into theirs; the document had none of it."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    till = write_export(
        tmp_path / "till.csv",
        ["Name", "Phone", "ID"],
        [
            ["Ann Lee", "07700 900111", "T12"],
            ["Ann Lee", "+44 7700 900111", "T13"],
            ["Bob", "07700 900999", "T9"],
        ],
    )
    columns = ColumnChoice(name="Name", phone="Phone", till_id="ID")
    import_customers(ctx, team.lead, ImportRequest(till, columns=columns))
    twin = next(c.id for c in customers.find_customers(ctx, "Ann Lee").items if c.id != ann)
    merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, ann, twin or 0).seen)

    written = write_subject_access(ctx, team.lead, ann, tmp_path / "ann.json")

    document = json.loads(written.path.read_text(encoding="utf-8"))
    assert document["till_links"] == [
        {"till": "csv", "till_id": "T12", "customer_id": ann},
        {"till": "csv", "till_id": "T13", "customer_id": twin},
    ]
    assert written.counts["till_links"] == 2
    assert "T9" not in written.path.read_text(encoding="utf-8")


def test_found_by_phone_however_typed_or_email_in_any_case(ctx: ShopContext, team: Team) -> None:
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", phone="07700 900111", email="ann@example.com"
    )
    assert find_customer(ctx, team.lead, phone="+44 7700 900 111") == ann
    assert find_customer(ctx, team.lead, email="ANN@example.com") == ann
    with pytest.raises(NotFound, match=r"No customer on file has the phone 07700 900333\."):
        find_customer(ctx, team.lead, phone="07700 900333")
    twin = customers.create_customer(
        ctx, team.sam, name="Ann Lee (shop)", phone="07700900111", create_anyway=True
    )
    with pytest.raises(Conflict, match=rf"\(ids {ann}, {twin}\)"):
        find_customer(ctx, team.lead, phone="07700 900111")


def test_cli_finds_them_and_says_where_the_file_is(shop_with_lead: str, tmp_path: Path) -> None:
    here = shop(shop_with_lead)
    dana = Actor(staff_id=staff_id(shop_with_lead, "Dana"), name="Dana", role="lead")
    ann = customers.create_customer(here, dana, name="Ann Lee", phone="07700 900111")
    target = tmp_path / "ann.json"

    written = invoke(
        shop_with_lead,
        "customers",
        "subject-access",
        "--phone",
        "07700900111",
        "--out",
        str(target),
        env=LEAD_ENV,
    )

    assert written.exit_code == 0, written.output
    assert written.stdout.startswith(
        f"Wrote everything held about customer {ann} to {target} (0 consents, 0 till links, "
    )
    assert json.loads(target.read_text())["customer"]["name"] == "Ann Lee"
    both = invoke(shop_with_lead, "customers", "subject-access", str(ann), "--email", "a@b.c", env=LEAD_ENV)
    assert_one_line_failure(
        both, "Say whose data: give the customer's id, or --phone, or --email (one of them)."
    )
    nobody = invoke(shop_with_lead, "customers", "subject-access", "99999", env=LEAD_ENV)
    assert_one_line_failure(
        nobody,
        "No customer has ever had the id 99999 here. Check the id, or find them by --phone or --email.",
    )
