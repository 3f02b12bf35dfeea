"""Counts in the command line's sentences read as English: "1 row", "1 visit", never
"1 rows" or "1 visits" (each command says its counts through `sentences.counted`)."""

from __future__ import annotations

from pathlib import Path

from counter_tui.db.models import Channel
from counter_tui.services import customers, visits
from counter_tui.services.context import Actor
from tests.unit.test_cli import shop, staff_id
from tests.unit.test_cli_staff import LEAD_ENV, invoke
from tests.unit.till_exports import SHOPIFY_ADMIN, shopify_customer, write_export


def test_an_import_of_one_row_says_one_row(shop_with_lead: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "one.csv", SHOPIFY_ADMIN, [shopify_customer(1)])

    dry = invoke(shop_with_lead, "customers", "import", str(path), "--dry-run", env=LEAD_ENV)
    real = invoke(shop_with_lead, "customers", "import", str(path), env=LEAD_ENV)

    assert (dry.exit_code, real.exit_code) == (0, 0), dry.output + real.output
    assert "  1 row done\n" in dry.stdout
    assert "Would import 1 row: 1 new, 0 updated, 0 unchanged, 0 rejected." in dry.stdout
    assert "Imported 1 row: 1 new, 0 updated, 0 unchanged, 0 rejected." in real.stdout


def test_a_subject_access_file_counts_each_section_in_words(shop_with_lead: str, tmp_path: Path) -> None:
    here = shop(shop_with_lead)
    dana = Actor(staff_id=staff_id(shop_with_lead, "Dana"), name="Dana", role="lead")
    ann = customers.create_customer(here, dana, name="Ann Lee", phone="07700 900111", opted_in=[Channel.SMS])
    visits.new_walk_in(here, dana, customer_id=ann, claim=True)
    customers.add_note(here, dana, ann, "prefers mornings")
    target = tmp_path / "ann.json"

    written = invoke(
        shop_with_lead, "customers", "subject-access", str(ann), "--out", str(target), env=LEAD_ENV
    )

    assert written.exit_code == 0, written.output
    said = "(1 consent, 0 till links, 0 standing needs, 1 visit, 1 note, 0 follow-ups, 0 feedback, "
    assert said in written.stdout


def test_an_export_of_one_customer_says_one_customer(shop_with_lead: str) -> None:
    here = shop(shop_with_lead)
    dana = Actor(staff_id=staff_id(shop_with_lead, "Dana"), name="Dana", role="lead")
    customers.create_customer(here, dana, name="Ann Lee", phone="07700 900111")

    exported = invoke(shop_with_lead, "customers", "export", env=LEAD_ENV)

    assert exported.exit_code == 0, exported.output
    assert exported.stderr == "Exported 1 customer.\n"
