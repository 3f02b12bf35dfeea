"""Customer exports written the way each till writes them, for the import tests: the
real header rows (Shopify's admin and classic exports, Square's customer directory,
Lightspeed Retail X-Series), Excel's `'` guard, quoted newlines, blank rows, and the
encodings exports come in (UTF-8 with and without a BOM, Windows-1252)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

SHOPIFY_ADMIN = [
    "Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing",
    "Default Address Company", "Default Address Address1", "Default Address Address2",
    "Default Address City", "Default Address Province Code", "Default Address Country Code",
    "Default Address Zip", "Default Address Phone", "Phone", "Accepts SMS Marketing",
    "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags",
]  # fmt: skip
SHOPIFY_CLASSIC = [
    "First Name", "Last Name", "Email", "Accepts Email Marketing", "Company", "Address1",
    "Address2", "City", "Province", "Province Code", "Country", "Country Code", "Zip", "Phone",
    "Accepts SMS Marketing", "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt",
]  # fmt: skip
SQUARE = [
    "Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname",
    "Company Name", "Street Address 1", "Street Address 2", "City", "State", "Postal Code",
    "Birthday", "Memo", "Square Customer ID", "Creation Source", "First Visit", "Last Visit",
    "Transaction Count", "Total Spend", "Email Subscription Status", "Instant Profile",
]  # fmt: skip
LIGHTSPEED = [
    "id", "customer_code", "first_name", "last_name", "company_name", "email", "phone",
    "mobile", "fax", "date_of_birth", "sex", "physical_address1", "physical_city",
    "physical_postcode", "note", "customer_group_name", "enable_loyalty", "do_not_email",
]  # fmt: skip


def row(headers: Sequence[str], **values: str) -> list[str]:
    """A row of `headers` with the given cells (by header) and the rest empty."""
    return [values.get(header, "") for header in headers]


def write_export(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8",
    blank_rows: bool = False,
    separator: str = ",",
) -> Path:
    """Write the export as a till would: CRLF line ends, values quoted where needed,
    optionally a blank row between rows."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=separator, lineterminator="\r\n")
    writer.writerow(headers)
    for cells in rows:
        writer.writerow(cells)
        if blank_rows:
            text.write("\r\n")
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def shopify_customer(number: int, **extra: str) -> list[str]:
    """A Shopify admin-export row for customer `number` (ids and phones guarded by `'`)."""
    values = {
        "Customer ID": f"'{7_000_000 + number}",
        "First Name": f"Customer{number}",
        "Last Name": "Smith",
        "Email": f"customer{number}@example.com",
        "Accepts Email Marketing": "no",
        "Phone": f"'+4477009{number:05d}",
        "Accepts SMS Marketing": "no",
        "Total Spent": "12.50",
        "Total Orders": "1",
        "Tax Exempt": "no",
    }
    values.update(extra)
    return row(SHOPIFY_ADMIN, **values)
