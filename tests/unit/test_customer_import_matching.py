"""Who an imported row is, as a shop meets it: its own customer export imported back
after a till import linked some of them to till ids, rows of one file matched against
each other as against the shop, and a customer erased in the shop met again in an old
plain CSV. Real CSV files, hostile cells (`[/]`, control characters, emoji, formulas,
5,000 characters)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.db.models import Channel, TillCustomer
from counter_tui.services import customer_record, customers, erasure
from counter_tui.services.context import ShopContext
from counter_tui.services.exports import ExportKind, export
from counter_tui.services.till_import.layouts import ColumnChoice
from counter_tui.services.till_import.matching import ERASED_CONTACT
from tests.conftest import Team
from tests.unit.test_customer_import import on_file, reviewed, run
from tests.unit.test_erasure import every_row
from tests.unit.till_exports import write_export

TILL_HEADERS = ["Name", "Phone", "Email", "Email OK", "SMS OK", "ID"]
TILL_COLUMNS = ColumnChoice(
    name="Name", phone="Phone", email="Email", email_consent="Email OK", sms_consent="SMS OK", till_id="ID"
)
OWN_EXPORT = ColumnChoice(
    name="Name",
    phone="Phone",
    email="Email",
    email_consent="Accepts Email Marketing",
    sms_consent="Accepts SMS Marketing",
)
"""The columns README's import section gives for importing the shop's own customer export."""

HOSTILE_ROWS = [
    ["[/]", "07700 900003", "brackets@example.com", "yes", "no", "T6"],
    ["[@click=app.quit]x[/]", "07700 900004", "click@example.com", "no", "no", "T7"],
    ["Dee 🫖 Emoji 👩‍👩‍👧", "07700 900002", "dee@example.com", "yes", "yes", "T5"],
    ["🫖", "07700 900009", "", "", "", "T16"],
    ["=cmd|' /C calc'!A0", "+1 202 555 0143", "formula@example.com", "yes", "yes", "T11"],
    ["Bell\x07 Ring\x1b]0;title\x07", "07700 900010", "bell@example.com", "", "", "T17"],
    ["L" * 5000, "07700 900006", "long@example.com", "yes", "yes", "T9"],
]


def export_customers(ctx: ShopContext, team: Team, path: Path) -> Path:
    """`counter-tui customers export --out PATH`, through the service it calls."""
    out = io.StringIO()
    export(ctx, team.lead, ExportKind.CUSTOMERS, out)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def test_the_shops_own_export_imported_back_is_everyone_unchanged(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """Re-importing the shop's export, as the README says, after a till import linked
    Margaret (on file before) and others to till ids: every row was a new customer "on
    file with the same phone number" beside the one linked, and `[/]` or an emoji-only
    name (no letters to compare) never matched itself."""
    margaret = customers.create_customer(
        ctx, team.sam, name="Margaret O'Neill", phone="07700 900564",
        email="margaret.oneill0@example.com", opted_in=[Channel.EMAIL, Channel.SMS],
    )  # fmt: skip
    till = write_export(
        tmp_path / "import1.csv",
        TILL_HEADERS,
        [["Margaret O'Neill", "07700 900564", "", "yes", "yes", "T12"], *HOSTILE_ROWS],
    )
    first = run(ctx, team, till, columns=TILL_COLUMNS)
    assert (first.new, first.updated, first.rejected) == (6, 1, 1), first.first_rejects
    before = [(c.id, c.name, c.phone, c.email) for c in on_file(ctx)]

    counts = run(ctx, team, export_customers(ctx, team, tmp_path / "cust.csv"), columns=OWN_EXPORT)

    assert [(c.id, c.name, c.phone, c.email) for c in on_file(ctx)] == before
    assert (counts.new, counts.updated, counts.unchanged, counts.rejected) == (0, 0, 7, 0)
    assert counts.to_review == 0, counts.first_reviews
    assert margaret in [c.id for c in on_file(ctx)]


def test_a_row_without_a_till_id_is_the_customer_linked_to_one(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """A row with no id says nothing about which till record it is: the same name and
    phone as a customer an earlier import linked to T1 is that customer, in the same
    file too ("alice  IMPORT", no id, was a third Alice)."""
    till = write_export(
        tmp_path / "till.csv",
        TILL_HEADERS,
        [
            ["Alice Import", "07700 900001", "alice@example.com", "yes", "no", "T1"],
            ["alice  IMPORT", "07700900001", "", "", "", ""],
        ],
    )

    counts = run(ctx, team, till, columns=TILL_COLUMNS)

    assert (counts.new, counts.unchanged, counts.to_review) == (1, 1, 0)
    assert [c.name for c in on_file(ctx)] == ["Alice Import"]
    plain = write_export(tmp_path / "plain.csv", TILL_HEADERS[:3], [["Alice Import", "+44 7700 900001", ""]])
    again = run(ctx, team, plain, columns=ColumnChoice(name="Name", phone="Phone", email="Email"))
    assert (again.new, again.unchanged, again.to_review) == (0, 1, 0)


@pytest.mark.parametrize("batch_rows", [1000, 1], ids=["one batch", "a batch a row"])
def test_a_different_name_on_a_phone_a_row_of_the_same_file_linked_is_to_review(
    ctx: ShopContext, team: Team, tmp_path: Path, batch_rows: int
) -> None:
    """import1.csv's rows 14 and 15: Margaret O'Neill (on file) linked to T12, then
    "Different Person" (T13) on her phone was put on file with no review row: the row
    before had just linked her to another till id, and a customer linked to another id
    with a different name was passed over instead of reported."""
    margaret = customers.create_customer(
        ctx, team.sam, name="Margaret O'Neill", phone="07700 900564", email="margaret.oneill0@example.com"
    )
    till = write_export(
        tmp_path / "import1.csv",
        TILL_HEADERS,
        [
            ["Margaret O'Neill", "07700 900564", "", "yes", "yes", "T12"],
            ["Different Person", "07700 900564", "", "yes", "yes", "T13"],
            ["Ann Lee", "07700 900777", "", "", "", "T20"],
            ["Bob Lee", "+447700900777", "", "", "", "T21"],
        ],
    )

    counts = run(ctx, team, till, columns=TILL_COLUMNS, batch_rows=batch_rows)

    assert (counts.new, counts.updated) == (3, 1)
    ann = next(c for c in on_file(ctx) if c.name == "Ann Lee")
    notes = {(note["Row"], note["Customer"]): note["Reason"] for note in reviewed(counts)}
    assert notes == {
        ("3", str(margaret)): "Possible duplicate: Margaret O'Neill is on file with the same phone number. "
        "Different Person was put on file as a new customer; merge them if they are one person.",
        ("5", str(ann.id)): "Possible duplicate: Ann Lee is on file with the same phone number. "
        "Bob Lee was put on file as a new customer; merge them if they are one person.",
    }
    again = run(ctx, team, till, columns=TILL_COLUMNS, batch_rows=batch_rows)
    assert (again.new, again.unchanged, again.to_review) == (0, 4, 0), "importing again reports it no more"


def test_a_customer_erased_in_the_shop_is_not_brought_back_by_an_old_plain_csv(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """Erase `[/]` (306), then import the shop's export taken before (no id column): `[/]`
    was on file again with her phone and email, not rejected, not in the review file.
    The rule held only for files with till ids, which find the erased record by its link."""
    till = write_export(
        tmp_path / "import1.csv",
        TILL_HEADERS,
        [*HOSTILE_ROWS[:6], ["Ann Lee", "07700 900111", "ann.lee@example.com", "yes", "yes", "T30"]],
    )
    run(ctx, team, till, columns=TILL_COLUMNS)
    old_export = export_customers(ctx, team, tmp_path / "cust.csv")
    erased = {c.name: c.id or 0 for c in on_file(ctx) if c.name in ("[/]", "🫖", "Ann Lee")}
    for customer_id in erased.values():
        erasure.erase_customer(ctx, team.lead, customer_id, "asked by email")
    kept = [(c.id, c.name) for c in on_file(ctx) if c.erased_at is None]

    counts = run(ctx, team, old_export, columns=OWN_EXPORT)

    assert (counts.new, counts.rejected, counts.to_review) == (0, 3, 0), counts.first_reviews
    assert [(c.id, c.name) for c in on_file(ctx) if c.erased_at is None] == kept
    assert {reason.split(": ", 1)[1] for reason in counts.first_rejects} == {ERASED_CONTACT}
    with ctx.database.read() as session:
        links = session.exec(select(TillCustomer).where(col(TillCustomer.customer_id).in_(erased.values())))
        assert {link.row_hash for link in links} == {""}, "nothing left to test a guess against"
    leftovers = [
        (table, row)
        for (table, _key), row in every_row(ctx).items()
        for value in row.values()
        if isinstance(value, str)
        for secret in ("brackets@example.com", "900003", "ann.lee@", "900111", "Ann Lee", "900009")
        if secret in value
    ]
    assert leftovers == []


def test_someone_else_on_an_erased_customers_phone_or_back_at_the_counter_is_imported(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    """What is kept of an erased customer is their phone and email each with the first
    word of their name, as matching compares names: a family member on the same phone is
    a new customer; the erased person put on file again at the counter is matched."""
    ann = customers.create_customer(
        ctx, team.sam, name="Ann Lee", phone="07700 900111", email="ann@example.com"
    )
    erasure.erase_customer(ctx, team.lead, ann, "asked by email")
    family = write_export(
        tmp_path / "family.csv",
        TILL_HEADERS[:3],
        [
            ["Bob Lee", "07700 900111", ""],
            ["ANN  lee", "+44 7700 900111", ""],
            ["Ann Smith", "", "ann@example.com"],
        ],
    )

    counts = run(ctx, team, family, columns=ColumnChoice(name="Name", phone="Phone", email="Email"))

    assert (counts.new, counts.rejected) == (1, 2)
    assert [c.name for c in on_file(ctx) if c.erased_at is None] == ["Bob Lee"]
    back = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111", create_anyway=True)
    again = run(ctx, team, family, columns=ColumnChoice(name="Name", phone="Phone", email="Email"))
    assert (again.new, again.updated, again.rejected) == (0, 0, 1), again.first_rejects
    assert again.first_rejects[0].startswith("Row 4: "), "only the row no one on file is"
    assert customer_record.customer_detail(ctx, team.sam, back).name == "Ann Lee"
