"""Importing a till's customer export (services/customer_import.py): each till's real
layout and encoding, rejects with reasons, matching so that re-importing changes nothing,
the consent rules, the dry run, batches and the audit trail."""

from __future__ import annotations

import csv
import json
import os
import stat
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel, col, func, select

from counter_tui.db.models import AuditEvent, Channel, ContactConsent, Customer, TillCustomer
from counter_tui.errors import InvalidInput
from counter_tui.services import customer_record, customers, erasure, merge
from counter_tui.services.context import ShopContext
from counter_tui.services.customer_import import (
    ImportCounts,
    ImportRequest,
    ImportStopped,
    Progress,
    import_customers,
    rejects_path_for,
)
from counter_tui.services.till_import.layouts import ColumnChoice, Till
from tests.conftest import Team
from tests.unit.till_exports import (
    LIGHTSPEED,
    SHOPIFY_ADMIN,
    SHOPIFY_CLASSIC,
    SQUARE,
    row,
    shopify_customer,
    write_export,
)

EXPORTED = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)


def run(ctx: ShopContext, team: Team, path: Path, **options: object) -> ImportCounts:
    options.setdefault("exported_at", EXPORTED)
    return import_customers(ctx, team.lead, ImportRequest(path, **options))  # type: ignore[arg-type]


def on_file(ctx: ShopContext) -> list[Customer]:
    with ctx.database.read() as session:
        return list(session.exec(select(Customer).order_by(col(Customer.id))))


def consents(ctx: ShopContext, customer_id: int) -> dict[str, tuple[bool, str]]:
    with ctx.database.read() as session:
        rows = session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        return {c.channel: (c.granted, c.source) for c in rows}


def row_counts(ctx: ShopContext) -> dict[str, int]:
    with ctx.database.read() as session:
        return {
            table.name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for table in SQLModel.metadata.sorted_tables
        }


def test_a_shopify_admin_export_is_read_by_its_headers(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "customers_export.csv",
        SHOPIFY_ADMIN,
        [
            shopify_customer(1, **{"Accepts Email Marketing": "yes", "Note": "Likes blue\nAsk about sizes"}),
            shopify_customer(2, Phone="", **{"Default Address Phone": "'07700 900777"}),
        ],
    )

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (2, 0)
    first, second = on_file(ctx)
    assert (first.name, first.phone, first.phone_normalised) == (
        "Customer1 Smith",
        "+447700900001",
        "+447700900001",
    )
    assert first.email == "customer1@example.com"
    assert (second.phone, second.phone_normalised) == ("07700 900777", "+447700900777")
    assert consents(ctx, first.id or 0) == {
        "email": (True, "Shopify export, customers_export.csv, 2026-11-19")
    }
    assert consents(ctx, second.id or 0) == {}
    with ctx.database.read() as session:
        links = {(link.till, link.till_id) for link in session.exec(select(TillCustomer))}
    assert links == {("shopify", "7000001"), ("shopify", "7000002")}


def test_a_classic_shopify_export_with_a_bom_and_blank_rows(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(
        tmp_path / "classic.csv",
        SHOPIFY_CLASSIC,
        [row(SHOPIFY_CLASSIC, **{"First Name": "Zoë", "Last Name": "Ní Bhriain", "Email": "ZOE@Example.com",
                                 "Accepts SMS Marketing": "yes", "Phone": "+353 87 123 4567"})],
        encoding="utf-8-sig",
        blank_rows=True,
    )  # fmt: skip

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (1, 0)
    (zoe,) = on_file(ctx)
    assert (zoe.name, zoe.email, zoe.phone_normalised) == (
        "Zoë Ní Bhriain",
        "zoe@example.com",
        "+353871234567",
    )
    assert consents(ctx, zoe.id or 0)["sms"][0] is True


def test_a_square_export_in_windows_1252_with_quoted_newlines(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(
        tmp_path / "export-20261119.csv",
        SQUARE,
        [
            row(SQUARE, **{"First Name": "Renée", "Last Name": "Müller", "Email Address": "renee@example.com",
                           "Phone Number": "07700 900123", "Memo": "Paid £20 deposit\r\nCall first",
                           "Square Customer ID": "GZ3X7RTR9D4Y1", "Email Subscription Status": "Subscribed"}),
            row(SQUARE, **{"First Name": "Sam", "Last Name": "O'Neill", "Phone Number": "07700 900124",
                           "Square Customer ID": "HB8Q2", "Email Subscription Status": "Unknown"}),
        ],
        encoding="cp1252",
        blank_rows=True,
    )  # fmt: skip

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (2, 0)
    renee, sam = on_file(ctx)
    assert renee.name == "Renée Müller" and sam.name == "Sam O'Neill"
    assert renee.phone_normalised == "+447700900123"
    assert consents(ctx, renee.id or 0) == {"email": (True, "Square export, export-20261119.csv, 2026-11-19")}
    assert consents(ctx, sam.id or 0) == {}, "Unknown never becomes granted"


def test_a_utf8_export_with_one_row_that_is_not_utf8_keeps_every_name_and_rejects_that_row(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = tmp_path / "customers_export.csv"
    good = write_export(
        tmp_path / "good.csv",
        SHOPIFY_ADMIN,
        [shopify_customer(1, **{"First Name": "Zoë", "Last Name": "Brontë"})],
    ).read_bytes()
    pasted = ",".join(shopify_customer(2, **{"First Name": "Ren\u00e9e"})).encode("cp1252") + b"\r\n"
    path.write_bytes(good + pasted)

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (1, 1)
    assert [customer.name for customer in on_file(ctx)] == ["Zoë Brontë"]
    assert counts.rejects_path is not None
    with counts.rejects_path.open(encoding="utf-8-sig", newline="") as file:
        (rejected,) = list(csv.DictReader(file))
    assert rejected["Row"] == "3"
    assert rejected["Reason"].startswith("Line 3 of the file is not UTF-8 text")
    assert rejected["First Name"] == "Ren\ufffde"
    assert counts.first_rejects == [f"Row 3: {rejected['Reason']}"]


def test_a_lightspeed_export_and_its_do_not_email(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "customers.csv",
        LIGHTSPEED,
        [
            row(LIGHTSPEED, id="0a6f-11", customer_code="ANN-0001", first_name="Ann", last_name="Lee",
                email="ann@example.com", mobile="07700 900555", do_not_email="false"),
            row(LIGHTSPEED, id="0a6f-12", customer_code="BEN-0002", first_name="Ben", last_name="Ode",
                phone="020 7946 0018", do_not_email="true"),
        ],
    )  # fmt: skip

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (2, 0)
    ann, ben = on_file(ctx)
    assert (ann.phone_normalised, ben.phone_normalised) == ("+447700900555", "+442079460018")
    assert consents(ctx, ann.id or 0) == {} and consents(ctx, ben.id or 0) == {}


def test_a_plain_csv_with_its_columns_named(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "list.csv",
        ["Client", "Tel", "Mail", "News?"],
        [["Cara Diaz", "07700 900999", "cara@example.com", "Y"]],
        separator=";",
    )
    choice = ColumnChoice(name="client", phone="Tel", email="Mail", email_consent="News?")

    counts = run(ctx, team, path, columns=choice)

    assert counts.new == 1
    (cara,) = on_file(ctx)
    assert (cara.name, cara.phone_normalised) == ("Cara Diaz", "+447700900999")
    assert consents(ctx, cara.id or 0)["email"][0] is True


def test_a_header_row_no_till_has_is_refused_with_what_to_do(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "odd.csv", ["Who", "Where"], [["Ann", "Leeds"]])

    with pytest.raises(InvalidInput, match="does not look like a Shopify, Square or Lightspeed") as refused:
        run(ctx, team, path)

    assert "--name-column" in str(refused.value)
    assert on_file(ctx) == []


def test_bad_rows_go_to_a_rejects_file_with_a_reason_and_the_rest_is_imported(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    rows = [shopify_customer(number) for number in range(1, 91)]
    bad = {
        "no name": shopify_customer(91, **{"First Name": "", "Last Name": ""}),
        "email": shopify_customer(92, Email="ann@@example"),
        "phone letters": shopify_customer(93, Phone="call me"),
        "short phone": shopify_customer(94, Phone="123"),
        "nothing to match": shopify_customer(95, **{"Customer ID": "", "Phone": "", "Email": ""}),
        "long name": shopify_customer(96, **{"First Name": "A" * 90}),
        "extra cells": [*shopify_customer(97), "stray", "cells"],
        "long id": shopify_customer(98, **{"Customer ID": "9" * 81}),
        "bad email 2": shopify_customer(99, Email="not an email"),
        "bad phone 2": shopify_customer(100, Phone="++--"),
    }
    path = write_export(tmp_path / "ten_percent_bad.csv", SHOPIFY_ADMIN, rows + list(bad.values()))

    counts = run(ctx, team, path)

    assert (counts.new, counts.rejected) == (90, 10)
    assert counts.rejects_path == rejects_path_for(path) == tmp_path / "ten_percent_bad.rejects.csv"
    with counts.rejects_path.open(encoding="utf-8-sig", newline="") as file:
        rejected = list(csv.DictReader(file))
    assert [r["Row"] for r in rejected] == [str(n) for n in range(92, 102)]
    assert all("import again" in r["Reason"] or "at the counter" in r["Reason"] for r in rejected)
    reasons = {r["First Name"] or "(none)": r["Reason"] for r in rejected}
    assert reasons["(none)"].startswith("Name: Give the customer's name")
    assert reasons["Customer92"].startswith("Email: That email address looks wrong")
    assert reasons["Customer95"].startswith("Nothing to recognise this customer by")
    assert reasons["A" * 90].startswith("Name: A name can be at most 80 characters; this one has 96.")
    assert rejected[0]["Phone"] == "'+447700900091", "cells a spreadsheet would run as formulas are guarded"
    assert len(on_file(ctx)) == 90


def test_importing_the_same_file_again_changes_nothing(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export.csv",
        SHOPIFY_ADMIN,
        [shopify_customer(n, **{"Accepts Email Marketing": "yes"}) for n in range(1, 21)],
    )
    run(ctx, team, path)
    before = row_counts(ctx)
    stored = [(c.name, c.phone, c.email) for c in on_file(ctx)]

    again = run(ctx, team, path)

    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, 20, 0)
    after = row_counts(ctx)
    assert {k: v for k, v in after.items() if k != "auditevent"} == {
        k: v for k, v in before.items() if k != "auditevent"
    }
    assert [(c.name, c.phone, c.email) for c in on_file(ctx)] == stored


def test_a_later_export_fills_what_was_empty_and_reports_what_differs(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    first = write_export(tmp_path / "monday.csv", SHOPIFY_ADMIN, [shopify_customer(n) for n in range(1, 4)])
    run(ctx, team, first)
    one, two, _ = on_file(ctx)
    customers.update_contact(
        ctx, team.sam, one.id or 0, name="Customer1 Smythe", phone=one.phone, email=one.email
    )

    again = run(ctx, team, first)
    assert again.unchanged == 3
    assert on_file(ctx)[0].name == "Customer1 Smythe", "a correction made in the shop survives"

    later = write_export(
        tmp_path / "friday.csv",
        SHOPIFY_ADMIN,
        [
            shopify_customer(1),
            shopify_customer(2, Phone="'+447700900222", Email="new2@example.com"),
            shopify_customer(3),
        ],
    )
    customers.update_contact(ctx, team.sam, two.id or 0, name=two.name, phone=two.phone, email="")
    counts = run(ctx, team, later, exported_at=EXPORTED + timedelta(days=4))

    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 2)
    two_now = on_file(ctx)[1]
    assert (two_now.phone_normalised, two_now.email) == (two.phone_normalised, "new2@example.com")
    assert [m.id for m in customers.find_customers(ctx, "new2@example.com").items] == [two.id]
    (note,) = reviewed(counts)
    assert note["Customer"] == str(two.id) and "phone +447700900222" in note["Reason"]


def test_a_customer_already_on_file_is_matched_by_phone_or_email(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    by_phone = customers.create_customer(ctx, team.sam, name="Bob", phone="07700 900001")
    by_email = customers.create_customer(ctx, team.sam, name="Customer2", email="Customer2@example.com")
    path = write_export(tmp_path / "e.csv", SHOPIFY_ADMIN, [shopify_customer(1), shopify_customer(2)])

    counts = run(ctx, team, path)

    assert (counts.new, counts.updated) == (1, 1), "Bob is not Customer1 Smith; Ann may be Customer2"
    assert [c.name for c in on_file(ctx)] == ["Bob", "Customer2", "Customer1 Smith"]
    assert [(n["Row"], n["Customer"]) for n in reviewed(counts)] == [
        ("2", str(by_phone)),
        ("3", str(by_email)),
    ]


def test_two_till_customers_sharing_a_phone_stay_two_customers(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    shared = {"Phone": "'+447700900500", "Email": ""}
    path = write_export(
        tmp_path / "family.csv", SHOPIFY_ADMIN, [shopify_customer(1, **shared), shopify_customer(2, **shared)]
    )

    assert run(ctx, team, path).new == 2
    assert run(ctx, team, path).unchanged == 2
    assert [c.name for c in on_file(ctx)] == ["Customer1 Smith", "Customer2 Smith"]


def consent_export(tmp_path: Path, name: str, email_answer: str) -> Path:
    return write_export(
        tmp_path / name, SQUARE,
        [row(SQUARE, **{"First Name": "Ann", "Email Address": "ann@example.com", "Square Customer ID": "SQ1",
                        "Email Subscription Status": email_answer})],
    )  # fmt: skip


def test_a_consent_withdrawn_in_the_shop_is_never_granted_again_by_an_import(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    run(ctx, team, consent_export(tmp_path, "a.csv", "Subscribed"))
    (ann,) = on_file(ctx)
    customers.record_consent(
        ctx, team.sam, ann.id or 0, Channel.EMAIL, granted=False, source="asked at the counter"
    )

    counts = run(
        ctx, team, consent_export(tmp_path, "b.csv", "Subscribed"), exported_at=EXPORTED + timedelta(days=1)
    )

    assert consents(ctx, ann.id or 0)["email"] == (False, "asked at the counter")
    assert counts.updated == 0


def test_an_opt_out_in_a_newer_export_withdraws_an_imported_yes_and_never_the_shops(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    run(ctx, team, consent_export(tmp_path, "a.csv", "Subscribed"))
    (ann,) = on_file(ctx)
    customers.record_consent(
        ctx, team.sam, ann.id or 0, Channel.EMAIL, granted=True, source="asked at the counter"
    )

    older = run(ctx, team, consent_export(tmp_path, "old.csv", "Unsubscribed"), exported_at=EXPORTED)
    assert consents(ctx, ann.id or 0)["email"] == (True, "asked at the counter")
    assert older.updated == 0

    newer = run(
        ctx,
        team,
        consent_export(tmp_path, "new.csv", "Unsubscribed"),
        exported_at=ctx.now() + timedelta(hours=1),
    )
    assert consents(ctx, ann.id or 0)["email"] == (True, "asked at the counter"), "given in the shop"
    assert newer.updated == 0 and "Not withdrawn" in reviewed(newer)[0]["Reason"]

    customers.record_consent(
        ctx, team.sam, ann.id or 0, Channel.EMAIL, granted=False, source="asked at the counter"
    )
    run(ctx, team, consent_export(tmp_path, "yes.csv", "Subscribed"))
    assert consents(ctx, ann.id or 0)["email"] == (False, "asked at the counter")


def test_an_opt_out_in_a_newer_export_withdraws_a_yes_an_import_gave(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    run(ctx, team, consent_export(tmp_path, "a.csv", "Subscribed"))
    (ann,) = on_file(ctx)
    assert consents(ctx, ann.id or 0)["email"] == (
        True,
        f"Square export, a.csv, {EXPORTED.date().isoformat()}",
    )

    older = run(ctx, team, consent_export(tmp_path, "old.csv", "Unsubscribed"), exported_at=EXPORTED)
    assert consents(ctx, ann.id or 0)["email"][0] is True and older.updated == 0

    newer = run(
        ctx,
        team,
        consent_export(tmp_path, "new.csv", "Unsubscribed"),
        exported_at=EXPORTED + timedelta(days=1),
    )
    assert consents(ctx, ann.id or 0)["email"] == (
        False,
        f"Square export, new.csv, {(EXPORTED + timedelta(days=1)).date().isoformat()}",
    )
    assert (newer.updated, newer.to_review) == (1, 0)
    with ctx.database.read() as session:  # a withdrawal, dated as the export that says it
        assert session.exec(select(ContactConsent.withdrawn_at)).one() == EXPORTED + timedelta(days=1)


def test_a_dry_run_counts_what_the_import_would_do_and_writes_nothing(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    customers.create_customer(
        ctx, team.sam, name="Customer1 Smith", phone="07700 900001", email="customer1@example.com"
    )
    rows = [shopify_customer(n) for n in range(1, 30)] + [shopify_customer(30, Email="bad@")]
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, rows)
    before = row_counts(ctx)

    dry = run(ctx, team, path, dry_run=True, batch_rows=7)

    assert row_counts(ctx) == before
    assert not rejects_path_for(path).exists()
    assert dry.first_rejects == [
        "Row 31: Email: That email address looks wrong: There must be something after the @-sign. "
        "Check it, or leave it empty. Correct it in the till (or in this file) and import again."
    ]
    real = run(ctx, team, path, batch_rows=7)
    assert (dry.new, dry.updated, dry.unchanged, dry.rejected) == (
        real.new,
        real.updated,
        real.unchanged,
        real.rejected,
    )
    assert (real.new, real.updated, real.rejected) == (28, 1, 1)


def test_batches_and_the_import_are_audited_with_counts(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(n) for n in range(1, 26)])

    run(ctx, team, path, batch_rows=10)

    with ctx.database.read() as session:
        events = list(
            session.exec(select(AuditEvent).where(col(AuditEvent.action).like("customers.import%")))
        )
    assert [e.action for e in events] == ["customers.import_batch"] * 3 + ["customers.imported"]
    assert [json.loads(e.details)["new"] for e in events] == [10, 10, 5, 25]
    summary = json.loads(events[-1].details)
    assert summary == {"file": "export.csv", "till": "shopify", "rows": 25, "new": 25, "updated": 0,
                       "unchanged": 0, "rejected": 0, "to_review": 0}  # fmt: skip
    assert all(e.actor_id == team.lead.staff_id for e in events)


def test_an_erased_customer_is_not_brought_back_by_an_old_export(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(1)])
    run(ctx, team, path)
    (customer,) = on_file(ctx)
    erasure.erase_customer(ctx, team.lead, customer.id or 0, reason="asked to be forgotten")

    counts = run(ctx, team, path, exported_at=EXPORTED + timedelta(days=1))

    assert (counts.new, counts.rejected) == (0, 1)
    assert len(on_file(ctx)) == 1


def test_only_a_lead_imports(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(1)])

    with pytest.raises(Exception, match="Only a shift lead can import customers from a till"):
        import_customers(ctx, team.sam, ImportRequest(path))
    assert on_file(ctx) == []


def test_the_file_is_imported_in_any_layout_by_till_name(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(1)])

    with pytest.raises(InvalidInput, match="does not look like a Square customer export"):
        run(ctx, team, path, till=Till.SQUARE)
    assert run(ctx, team, path, till=Till.SHOPIFY).new == 1


def test_a_row_of_a_customer_merged_in_the_shop_updates_the_kept_record(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900555")
    customers.record_consent(ctx, team.sam, kept, Channel.EMAIL, granted=False, source="asked at the counter")
    path = write_export(
        tmp_path / "e.csv", SHOPIFY_ADMIN, [shopify_customer(1, **{"Accepts Email Marketing": "yes"})]
    )
    run(ctx, team, path)
    imported = on_file(ctx)[1]
    merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, kept, imported.id or 0).seen)

    later = write_export(
        tmp_path / "later.csv",
        SHOPIFY_ADMIN,
        [shopify_customer(1, **{"Accepts Email Marketing": "yes", "Last Name": "Lee"})],
    )
    counts = run(ctx, team, later, exported_at=EXPORTED + timedelta(days=2))

    assert counts.new == 0
    assert customer_record.customer_detail(ctx, team.sam, kept).name == "Ann Lee", (
        "never renamed by an import"
    )
    assert "name Customer1 Lee" in reviewed(counts)[0]["Reason"]
    assert consents(ctx, kept)["email"] == (False, "asked at the counter")


def test_the_same_person_twice_in_a_file_is_one_customer_in_a_dry_run_too(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    twice = [
        row(SHOPIFY_CLASSIC, **{"First Name": "Ann", "Email": "ann@example.com"}),
        row(SHOPIFY_CLASSIC, **{"First Name": "Ann", "Last Name": "Lee", "Email": "ANN@example.com"}),
    ]
    path = write_export(tmp_path / "e.csv", SHOPIFY_CLASSIC, twice)

    dry = run(ctx, team, path, dry_run=True)
    real = run(ctx, team, path)

    assert (dry.new, dry.unchanged, dry.to_review) == (real.new, real.unchanged, real.to_review) == (1, 1, 1)
    assert [c.name for c in on_file(ctx)] == ["Ann"], "the second row's longer name is reported, not written"


def test_text_from_the_file_reaches_messages_cleaned(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    odd = write_export(tmp_path / "odd.csv", ["Who\x1b]0;owned\x07", "\u202eWhere"], [["Ann", "Leeds"]])
    with pytest.raises(InvalidInput) as refused:
        run(ctx, team, odd)
    assert "(it has: Who]0;owned, Where)" in str(refused.value)

    bad_email = write_export(
        tmp_path / "e.csv", SHOPIFY_ADMIN, [shopify_customer(1, Email="ann\x1b[2J@example.com")]
    )
    counts = run(ctx, team, bad_email, dry_run=True)
    assert counts.rejected == 1
    assert not any(char in counts.first_rejects[0] for char in "\x1b\u202e")


def test_the_tills_note_becomes_a_note_on_a_new_customer_once(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = write_export(
        tmp_path / "export.csv", SQUARE,
        [row(SQUARE, **{"First Name": "Ann", "Phone Number": "07700 900123", "Square Customer ID": "SQ1",
                        "Memo": "Paid £20 deposit\r\nCall first"})],
        encoding="cp1252",
    )  # fmt: skip

    run(ctx, team, path)
    run(ctx, team, path)

    (ann,) = on_file(ctx)
    notes = customer_record.customer_detail(ctx, team.sam, ann.id or 0).notes
    assert [(note.author, note.body) for note in notes] == [("Dana", "Paid £20 deposit\nCall first")]


def test_a_note_over_its_limit_is_a_rejected_row(ctx: ShopContext, team: Team, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, [shopify_customer(1, Note="x" * 2001)])

    counts = run(ctx, team, path, dry_run=True)

    assert counts.first_rejects == [
        "Row 2: Note: A note can be at most 2,000 characters; this one has 2,001. "
        "Correct it in the till (or in this file) and import again."
    ]


PLAIN = ColumnChoice(name="Name", phone="Phone", email="Email", email_consent="News")


def plain_csv(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    return write_export(tmp_path / name, ["Name", "Phone", "Email", "News"], rows)


def reviewed(counts: ImportCounts) -> list[dict[str, str]]:
    assert counts.review_path is not None
    with counts.review_path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_a_family_sharing_a_phone_in_a_plain_csv_stays_two_customers(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = plain_csv(
        tmp_path,
        "family.csv",
        [
            ["Ana Kowalska", "07700 600111", "ana.k@example.com", ""],
            ["Piotr Kowalski", "07700600111", "piotr.k@example.com", ""],
        ],
    )

    counts = run(ctx, team, path, columns=PLAIN)

    assert (counts.new, counts.updated, counts.rejected) == (2, 0, 0)
    assert [(c.name, c.email) for c in on_file(ctx)] == [
        ("Ana Kowalska", "ana.k@example.com"),
        ("Piotr Kowalski", "piotr.k@example.com"),
    ]
    (note,) = reviewed(counts)
    assert note["Row"] == "3" and "Ana Kowalska" in note["Reason"] and "same phone" in note["Reason"]
    assert run(ctx, team, path, columns=PLAIN).new == 0, "importing again adds no one"


def test_rows_sharing_a_customers_phone_never_rename_them_or_replace_their_details(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    rhys = customers.create_customer(
        ctx, team.sam, name="Rhys Papadopoulos", phone="07700 900321", email="rhys@example.com",
        opted_in={Channel.EMAIL},
    )  # fmt: skip
    path = plain_csv(
        tmp_path,
        "bob.csv",
        [
            ["Bob Family", "07700 900321", "bob@example.com", "yes"],
            ["Bob Family", "+44 7700 900321", "bob@example.com", "no"],
        ],
    )

    counts = run(ctx, team, path, columns=PLAIN, exported_at=ctx.now() + timedelta(hours=1))

    kept = customer_record.customer_detail(ctx, team.sam, rhys)
    assert (kept.name, kept.email) == ("Rhys Papadopoulos", "rhys@example.com")
    assert consents(ctx, rhys)["email"][0] is True
    assert counts.new == 1 and [c.name for c in on_file(ctx)] == ["Rhys Papadopoulos", "Bob Family"]
    assert any("Rhys Papadopoulos" in note["Reason"] for note in reviewed(counts))


def test_the_same_person_is_matched_across_case_spacing_and_unicode_forms(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    zoe = customers.create_customer(ctx, team.sam, name="Zoë  Brontë", phone="07700 900444")
    path = plain_csv(
        tmp_path,
        "forms.csv",
        [["  zoe\u0308 BRONTE\u0308 ", "07700900444", "zoe@example.com", ""]],
    )

    counts = run(ctx, team, path, columns=PLAIN)

    assert (counts.new, counts.updated) == (0, 1)
    kept = customer_record.customer_detail(ctx, team.sam, zoe)
    assert (kept.name, kept.email) == ("Zoë  Brontë", "zoe@example.com"), "an empty email is filled"


def test_a_conflicting_phone_or_email_is_reported_not_replaced(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", phone="07700 900555", email="ann@example.com"
    )
    path = plain_csv(tmp_path, "moved.csv", [["Ann Lee", "07700 900556", "ann@example.com", ""]])

    counts = run(ctx, team, path, columns=PLAIN)

    assert [c.phone_normalised for c in on_file(ctx)] == ["+447700900555"]
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 1)
    (note,) = reviewed(counts)
    assert "+447700900556" in note["Reason"] and note["Customer"] == str(ann)


def test_an_imports_no_never_withdraws_a_consent_given_at_the_counter(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", email="ann@example.com", opted_in={Channel.EMAIL}
    )
    path = plain_csv(tmp_path, "optout.csv", [["Ann Lee", "", "ann@example.com", "no"]])

    counts = run(ctx, team, path, columns=PLAIN, exported_at=ctx.now() + timedelta(days=1))

    assert consents(ctx, ann)["email"] == (True, customers.AT_THE_COUNTER)
    assert any("at the counter" in note["Reason"] for note in reviewed(counts))


def test_a_till_customer_linked_by_id_is_not_renamed_either(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    run(ctx, team, write_export(tmp_path / "a.csv", SHOPIFY_ADMIN, [shopify_customer(1)]))
    later = write_export(tmp_path / "b.csv", SHOPIFY_ADMIN, [shopify_customer(1, **{"First Name": "Robert"})])

    counts = run(ctx, team, later, exported_at=EXPORTED + timedelta(days=1))

    assert [c.name for c in on_file(ctx)] == ["Customer1 Smith"]
    assert "Robert Smith" in reviewed(counts)[0]["Reason"]


def test_review_and_rejects_files_are_private_and_hold_no_control_or_bidi_characters(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    path = plain_csv(
        tmp_path,
        "odd.csv",
        [
            ["Ana Kowalska", "07700 600111", "ana.k@example.com", ""],
            ["Piotr\x07 \u202eKowalski\x1b]0;owned\x07", "07700600111", "piotr.k@example.com", "\x1b[2Jyes"],
            ["\u202eNo\x1b[31m Phone", "", "\x07", "Paid\r\nin cash"],
        ],
    )
    before = os.umask(0o022)
    try:
        counts = run(ctx, team, path, columns=PLAIN)
    finally:
        os.umask(before)

    assert (counts.new, counts.to_review, counts.rejected) == (2, 1, 1)
    assert counts.review_path is not None and counts.rejects_path is not None
    for written in (counts.review_path, counts.rejects_path):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600, written.name
        text = written.read_text(encoding="utf-8-sig")
        assert not [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\r\n"], (
            written.name
        )
    (note,) = reviewed(counts)
    assert note["Name"] == "Piotr Kowalski]0;owned" and note["News"] == "[2Jyes"
    with counts.rejects_path.open(encoding="utf-8-sig", newline="") as file:
        (rejected,) = list(csv.DictReader(file))
    assert (rejected["Name"], rejected["News"]) == ("No[31m Phone", "Paid\nin cash")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("odd", ".odd"))) == [
        "odd.csv",
        "odd.rejects.csv",
        "odd.review.csv",
    ]


class StopAfterFirstBatch(Progress):
    def advanced(self, bytes_read: int, bytes_total: int, counts: ImportCounts) -> None:
        raise KeyboardInterrupt


def test_an_import_stopped_part_way_keeps_the_rejected_rows_of_the_batches_done(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    rows = [shopify_customer(1, Email="ann@@example"), *(shopify_customer(n) for n in range(2, 6))]
    path = write_export(tmp_path / "export.csv", SHOPIFY_ADMIN, rows)

    with pytest.raises(ImportStopped) as stopped:
        import_customers(ctx, team.lead, ImportRequest(path, batch_rows=2), StopAfterFirstBatch())

    rejects = rejects_path_for(path)
    assert (stopped.value.counts.rows, stopped.value.counts.rejects_path) == (2, rejects), (
        "the person stopping it is told where the rows to look at are"
    )
    with rejects.open(encoding="utf-8-sig", newline="") as file:
        assert [r["Row"] for r in csv.DictReader(file)] == ["2"]
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if "export" in p.name) == [
        "export.csv",
        "export.rejects.csv",
    ]


def test_importing_again_never_deletes_or_overwrites_an_earlier_review_or_rejects_file(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    family = [
        ["Ana Kowalska", "07700 600111", "ana.k@example.com", ""],
        ["Piotr Kowalski", "07700600111", "piotr.k@example.com", ""],
        ["Zofia Kowalska", "07700600111", "zofia.k@example.com", ""],
    ]
    path = plain_csv(tmp_path, "fam2.csv", [*family, ["", "07700600222", "", ""]])
    first = run(ctx, team, path, columns=PLAIN)
    assert first.review_path == tmp_path / "fam2.review.csv"
    assert first.rejects_path == tmp_path / "fam2.rejects.csv"
    review, rejects = first.review_path.read_bytes(), first.rejects_path.read_bytes()
    assert len(reviewed(first)) == first.to_review >= 2

    again = run(ctx, team, path, columns=PLAIN)

    assert (again.to_review, again.review_path) == (0, None), "nothing to review this time: no file named"
    assert again.rejects_path == tmp_path / "fam2.rejects-2.csv", "rejected again, in a new file"
    assert (first.review_path.read_bytes(), first.rejects_path.read_bytes()) == (review, rejects)

    plain_csv(tmp_path, "fam2.csv", [*family, ["Jan Kowalski", "07700600111", "jan.k@example.com", ""]])
    newer = run(ctx, team, path, columns=PLAIN)

    assert newer.review_path == tmp_path / "fam2.review-2.csv" and newer.rejects_path is None
    assert {note["Row"] for note in reviewed(newer)} == {"5"}, "only the new row, beside each on file"
    assert (first.review_path.read_bytes(), first.rejects_path.read_bytes()) == (review, rejects)
    assert again.rejects_path.exists()


def test_a_new_till_id_with_the_name_and_phone_of_a_linked_customer_is_new_and_to_review(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    siobhan = {"First Name": "Siobhán", "Last Name": "Ní Bhriain", "Phone": "'07700 900444", "Email": ""}
    shop1 = write_export(tmp_path / "shop1.csv", SHOPIFY_ADMIN, [shopify_customer(1001, **siobhan)])
    assert run(ctx, team, shop1).new == 1
    (on_file_before,) = on_file(ctx)

    shop2 = write_export(tmp_path / "shop2.csv", SHOPIFY_ADMIN, [shopify_customer(1003, **siobhan)])
    counts = run(ctx, team, shop2)

    assert (counts.new, counts.to_review) == (1, 1), "another till id is another till record"
    (note,) = reviewed(counts)
    assert note["Customer"] == str(on_file_before.id)
    assert note["Reason"].startswith("Possible duplicate: Siobhán Ní Bhriain is on file with the same phone")
    again = run(ctx, team, shop2)
    assert (again.new, again.to_review) == (0, 0), "importing again reports it no more"


def test_a_consent_typed_at_the_counter_to_look_like_an_imports_is_still_the_shops(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """Where a consent came from is recorded, not guessed from its words: a "yes" recorded
    at the counter whose source a colleague typed as "Square export, …" is never withdrawn
    by an import (an import's "no" withdrew it, taking it for an import's own)."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", email="ann@example.com")
    typed = "Square export, march.csv, 2026-03-01"
    customers.record_consent(ctx, team.sam, ann, Channel.EMAIL, granted=True, source=typed)
    path = plain_csv(tmp_path, "optout.csv", [["Ann Lee", "", "ann@example.com", "no"]])

    counts = run(ctx, team, path, columns=PLAIN, exported_at=ctx.now() + timedelta(days=1))

    assert consents(ctx, ann)["email"] == (True, typed)
    assert counts.updated == 0 and "Not withdrawn" in reviewed(counts)[0]["Reason"]
