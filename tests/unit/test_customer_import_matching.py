"""Who an imported row is, as a shop meets it: its own customer export imported back
after a till import linked some of them to till ids, rows of one file matched against
each other as against the shop, and a customer erased in the shop met again in an old
plain CSV. Real CSV files, hostile cells (`[/]`, control characters, emoji, formulas,
5,000 characters)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from counter_tui.db.models import Channel
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.services.exports import ExportKind, export
from counter_tui.services.till_import.layouts import ColumnChoice
from tests.conftest import Team
from tests.unit.test_customer_import import on_file, reviewed, run
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
