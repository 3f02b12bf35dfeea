"""The audit trail of each customer an import creates or updates: an event about them,
written with their batch, that their subject access shows and the audit log finds by
their name, that an erasure redacts, and that keeps the audit chain whole; none for rows
that change nothing, rejected rows or a dry run. A correction at the counter that clashes
with what an import filled meanwhile names the lead who ran it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from counter_tui.db.models import AuditEvent
from counter_tui.services import audit_verify, customers, erasure
from counter_tui.services.audit_views import AuditFilter, audit_log
from counter_tui.services.contact_merge import ContactChanged
from counter_tui.services.context import ShopContext
from counter_tui.services.subject_access import write_subject_access
from tests.conftest import Team
from tests.unit.test_customer_import import run
from tests.unit.till_exports import SHOPIFY_ADMIN, shopify_customer, write_export

ANN = {"First Name": "Ann", "Last Name": "Lee", "Accepts Email Marketing": "yes"}
BEA = {"First Name": "Bea", "Last Name": "Shaw"}
CUSTOMER_EVENTS = ("customer.created", "customer.updated")


def events(ctx: ShopContext, *actions: str) -> list[AuditEvent]:
    """Committed events of these actions, oldest first."""
    with ctx.database.read() as session:
        query = select(AuditEvent).where(col(AuditEvent.action).in_(actions)).order_by(col(AuditEvent.id))
        return list(session.exec(query))


def imported_events(ctx: ShopContext, team: Team, customer_id: int, folder: Path) -> list[dict[str, Any]]:
    """The audit events in the customer's subject access that an import wrote."""
    written = write_subject_access(ctx, team.lead, customer_id, folder / f"customer-{customer_id}.json")
    document = json.loads(written.path.read_text(encoding="utf-8"))
    return [event for event in document["audit_events"] if "file" in event["details"]]


def test_each_customer_an_import_creates_or_updates_shows_it_in_their_subject_access(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    path = write_export(
        tmp_path / "friday.csv", SHOPIFY_ADMIN, [shopify_customer(111, **ANN), shopify_customer(2, **BEA)]
    )

    counts = run(ctx, team, path)

    assert (counts.new, counts.updated) == (1, 1)
    [bea] = [c.id for c in customers.find_customers(ctx, "Bea Shaw").items]
    [updated] = imported_events(ctx, team, ann, tmp_path)
    assert (updated["action"], updated["entity_id"], updated["by"]) == ("customer.updated", ann, "Dana")
    assert updated["details"] == {
        "file": "friday.csv",
        "row": 2,
        "till": "shopify",
        "changed": ["email", "till link"],
        "consents": {"email": True},
    }
    [created] = imported_events(ctx, team, bea, tmp_path)
    assert (created["action"], created["entity_id"], created["by"]) == ("customer.created", bea, "Dana")
    assert created["details"] == {"name": "Bea Shaw", "file": "friday.csv", "row": 3, "till": "shopify"}
    shown = audit_log(ctx, team.lead, AuditFilter(customer="Bea Shaw")).entries
    assert [(entry.action, entry.about) for entry in shown] == [
        ("customer.subject_access", "Bea Shaw"),
        ("customer.created", "Bea Shaw"),
    ]
    assert audit_verify.verify_chain(ctx).intact


def test_each_batch_commits_its_customers_events_with_its_own(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(n) for n in range(1, 6)])

    run(ctx, team, path, batch_rows=2)

    written = events(ctx, *CUSTOMER_EVENTS, "customers.import_batch", "customers.imported")
    assert [(e.action, json.loads(e.details).get("row")) for e in written] == [
        ("customer.created", 2),
        ("customer.created", 3),
        ("customers.import_batch", None),
        ("customer.created", 4),
        ("customer.created", 5),
        ("customers.import_batch", None),
        ("customer.created", 6),
        ("customers.import_batch", None),
        ("customers.imported", None),
    ]
    assert {e.actor_id for e in written} == {team.lead.staff_id}
    assert audit_verify.verify_chain(ctx).intact


def test_unchanged_and_rejected_rows_and_a_dry_run_write_no_customer_event(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    rows = [shopify_customer(1), shopify_customer(2, Email="bad@"), shopify_customer(3)]
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, rows)

    dry = run(ctx, team, path, dry_run=True)
    assert (dry.new, dry.rejected, events(ctx, *CUSTOMER_EVENTS)) == (2, 1, [])

    run(ctx, team, path)
    again = run(ctx, team, path)

    assert (again.unchanged, again.rejected) == (2, 1)
    assert [json.loads(e.details)["row"] for e in events(ctx, *CUSTOMER_EVENTS)] == [2, 4]


def test_an_erased_customer_leaves_nothing_personal_in_the_events_of_their_import(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "friday.csv", SHOPIFY_ADMIN, [shopify_customer(2, **BEA)])
    run(ctx, team, path)
    [created] = events(ctx, "customer.created")
    assert json.loads(created.details)["name"] == "Bea Shaw"

    erasure.erase_customer(ctx, team.lead, created.entity_id or 0, "asked by email")

    secrets = ("bea", "shaw", "customer2@example.com", "900002")
    for event in events(ctx, *CUSTOMER_EVENTS, "customers.import_batch", "customers.imported"):
        assert not [secret for secret in secrets if secret in event.details.lower()], event.action
    [redacted] = events(ctx, "customer.created")
    assert redacted.redacted
    assert audit_verify.verify_chain(ctx).intact


def test_an_erasure_keeps_which_fields_an_import_or_a_colleague_changed(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """Field names are the app's words, not the customer's: the redaction turned an
    update's `changed` list into ["[erased]", "[erased]"], so the audit log no longer
    said what had been changed (nor the till an import came from)."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    run(ctx, team, write_export(tmp_path / "friday.csv", SHOPIFY_ADMIN, [shopify_customer(111, **ANN)]))
    customers.update_contact(ctx, team.sam, ann, name="Ann Leigh", phone="07700 900111", email="")

    erasure.erase_customer(ctx, team.lead, ann, "asked by email")

    updates = [json.loads(event.details) for event in events(ctx, "customer.updated")]
    assert [(update["changed"], update.get("till")) for update in updates] == [
        (["email", "till link"], "shopify"),
        (["name", "email"], None),
    ]
    assert updates[0]["file"] == "[erased]", "a file name is the shop's, but may hold anything"
    assert audit_verify.verify_chain(ctx).intact


def test_a_form_open_while_an_import_filled_a_field_names_the_lead_who_ran_it(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    run(ctx, team, write_export(tmp_path / "friday.csv", SHOPIFY_ADMIN, [shopify_customer(111, **ANN)]))

    with pytest.raises(
        ContactChanged, match=r"^Dana changed the email to customer111@example\.com at 11:00 "
    ):
        customers.update_contact(
            ctx,
            team.sam,
            ann,
            name="Ann Lee",
            phone="07700 900111",
            email="ann@example.com",
            opened=("Ann Lee", "07700 900111", ""),
        )
