"""`counter-tui customers import FILE`: a lead's name and PIN, the mapping printed, a dry
run that writes nothing, then the import; refusals are one red line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.commands import customers as customers_command
from counter_tui.db.models import ContactConsent
from counter_tui.services import customers
from tests.unit.test_cli import assert_one_line_failure, shop
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke
from tests.unit.till_exports import SHOPIFY_ADMIN, shopify_customer, write_export


def test_a_dry_run_then_the_import(shop_with_lead: str, tmp_path: Path) -> None:
    rows = [shopify_customer(n) for n in range(1, 10)] + [shopify_customer(10, Email="bad@")]
    path = write_export(tmp_path / "customers_export.csv", SHOPIFY_ADMIN, rows)

    dry = invoke(shop_with_lead, "customers", "import", str(path), "--dry-run", env=LEAD_ENV)

    assert dry.exit_code == 0, dry.output
    assert "Reading a Shopify export (utf-8, separator ','):" in dry.stdout
    assert "  Phone ← Phone, else Default Address Phone" in dry.stdout
    assert "Would import 10 rows: 9 new, 0 updated, 0 unchanged, 1 rejected." in dry.stdout
    assert "  Row 11: Email: That email address looks wrong" in dry.stdout
    assert customers.customer_count(shop(shop_with_lead)) == 0

    real = invoke(shop_with_lead, "customers", "import", str(path), env=LEAD_ENV)

    assert real.exit_code == 0, real.output
    assert "Imported 10 rows: 9 new, 0 updated, 0 unchanged, 1 rejected." in real.stdout
    assert f"are in {tmp_path / 'customers_export.rejects.csv'}" in real.stdout
    assert customers.customer_count(shop(shop_with_lead)) == 9
    assert len(events(shop_with_lead, "customers.imported")) == 1


def test_it_needs_a_leads_pin(shop_with_lead: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "e.csv", SHOPIFY_ADMIN, [shopify_customer(1)])

    result = invoke(
        shop_with_lead,
        "customers",
        "import",
        str(path),
        env={"COUNTER_TUI_LEAD": "Sam", "COUNTER_TUI_LEAD_PIN": "2222"},
    )

    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "shift lead" in result.stderr
    assert customers.customer_count(shop(shop_with_lead)) == 0


def test_a_file_no_till_made_is_one_red_line(shop_with_lead: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "odd.csv", ["Who"], [["Ann"]])

    result = invoke(shop_with_lead, "customers", "import", str(path), env=LEAD_ENV)

    assert_one_line_failure(
        result,
        "The header row does not look like a Shopify, Square or Lightspeed customer export (it has: Who). "
        "Name the columns of a plain CSV with --name-column (or --first-name-column and "
        "--last-name-column), --phone-column and --email-column.",
    )


def test_a_plain_csv_by_flags(shop_with_lead: str, tmp_path: Path) -> None:
    path = write_export(tmp_path / "list.csv", ["Client", "Mail"], [["Ann Lee", "ann@example.com"]])

    result = invoke(
        shop_with_lead, "customers", "import", str(path), "--name-column", "Client", "--email-column", "Mail",
        env=LEAD_ENV,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Reading a CSV export" in result.stdout
    assert customers.customer_count(shop(shop_with_lead)) == 1


def test_the_export_day_given_dates_the_imported_consents(shop_with_lead: str, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "customers_export.csv",
        SHOPIFY_ADMIN,
        [shopify_customer(1, **{"Accepts Email Marketing": "yes"})],
    )

    result = invoke(
        shop_with_lead, "customers", "import", str(path), "--exported", "2026-11-02", env=LEAD_ENV
    )

    assert result.exit_code == 0, result.output
    with shop(shop_with_lead).database.read() as session:
        (consent,) = session.exec(select(ContactConsent))
    assert (consent.channel, consent.granted) == ("email", True)
    assert consent.source == "Shopify export, customers_export.csv, 2026-11-02"
    assert consent.recorded_at.date().isoformat() == "2026-11-02"


def test_a_family_sharing_a_phone_is_two_customers_and_a_row_to_review(
    shop_with_lead: str, tmp_path: Path
) -> None:
    path = write_export(
        tmp_path / "family.csv",
        ["Name", "Phone", "Email"],
        [
            ["Ana Kowalska", "07700 600111", "ana.k@example.com"],
            ["Piotr Kowalski", "07700600111", "piotr.k@example.com"],
        ],
    )
    columns = ("--from", "csv", "--name-column", "Name", "--phone-column", "Phone", "--email-column", "Email")

    dry = invoke(shop_with_lead, "customers", "import", str(path), *columns, "--dry-run", env=LEAD_ENV)
    assert "  Row 3: Possible duplicate: Ana Kowalska is on file with the same phone number." in dry.stdout

    real = invoke(shop_with_lead, "customers", "import", str(path), *columns, env=LEAD_ENV)

    assert real.exit_code == 0, real.output
    assert "Imported 2 rows: 2 new, 0 updated, 0 unchanged, 0 rejected." in real.stdout
    assert f"are in {tmp_path / 'family.review.csv'}" in real.stdout
    assert customers.customer_count(shop(shop_with_lead)) == 2


def test_an_import_stopped_by_ctrl_c_says_where_the_rows_to_look_at_are(
    shop_with_lead: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped at 58%, it said only which rows were done: the rejected rows it had written
    were never mentioned, and the run again counts those rows as unchanged."""
    rows = [shopify_customer(1, Email="bad@"), *(shopify_customer(n) for n in range(2, 6))]
    path = write_export(tmp_path / "customers_export.csv", SHOPIFY_ADMIN, rows)

    advanced = customers_command._ProgressBar.advanced

    def ctrl_c(bar: customers_command._ProgressBar, *args: Any) -> None:
        advanced(bar, *args)  # Ctrl+C once the first batch is saved
        raise KeyboardInterrupt

    monkeypatch.setattr(customers_command._ProgressBar, "advanced", ctrl_c)
    result = invoke(shop_with_lead, "customers", "import", str(path), "--batch-rows", "2", env=LEAD_ENV)

    assert (result.exit_code, "Traceback" in result.output) == (130, False)
    assert result.stderr == (
        "Stopped by Ctrl+C. The first 2 rows are done (only whole batches are); run the same command again "
        "to finish: rows already imported count as unchanged. "
        f"Rejected rows are in {tmp_path / 'customers_export.rejects.csv'}.\n"
    )
