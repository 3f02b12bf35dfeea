"""Exports of customers, visits and follow-ups: CSV a spreadsheet cannot run as formulas
(with a BOM when asked), JSON Lines with the values as they are, erased customers never
in them, visits limited to shop days, and each export audited with who, what and how many."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, Channel, ContactConsent, Customer, NeedKind
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import customers, erasure, followups, handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.export_format import ExportFormat, excel_safe, excel_unguarded
from counter_tui.services.exports import ExportKind, Period, export
from tests.conftest import Team
from tests.unit.test_cli import assert_one_line_failure, shop
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke


def exported(ctx: ShopContext, team: Team, kind: ExportKind, **options: object) -> list[dict[str, str]]:
    out = io.StringIO()
    export(ctx, team.lead, kind, out, **options)  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(start: str) -> None:
    assert excel_safe(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 7700", "-5", "@home", "'quoted'", "plain"])
def test_unguarding_gives_back_exactly_what_was_exported(text: str) -> None:
    assert excel_unguarded(excel_safe(text)) == text


def test_ordinary_cells_are_left_alone() -> None:
    assert [excel_safe(c) for c in ("Ann O'Neill", "07700 900111", 12, None, True, False)] == [
        "Ann O'Neill",
        "07700 900111",
        "12",
        "",
        "yes",
        "no",
    ]


def test_customers_export_is_excel_safe_leaves_out_the_erased_and_is_audited(
    ctx: ShopContext, team: Team
) -> None:
    evil = customers.create_customer(
        ctx, team.sam, name="=cmd|' /C calc'!A0", phone="+44 7700 900111", opted_in=[Channel.SMS]
    )
    customers.record_consent(ctx, team.sam, evil, Channel.EMAIL, granted=False, source="asked")
    gone = customers.create_customer(ctx, team.sam, name="Gone Person", phone="07700 900222")
    erasure.erase_customer(ctx, team.lead, gone, "asked by email")

    out = io.StringIO()
    count = export(ctx, team.lead, ExportKind.CUSTOMERS, out, bom=True)

    text = out.getvalue()
    assert text.startswith("\ufeffCustomer ID,Name,Phone,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert count == 1 and len(rows) == 1
    assert rows[0]["Name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["Phone"] == "'+44 7700 900111"
    assert rows[0]["Phone (international)"] == "'+447700900111"
    assert (rows[0]["Accepts SMS Marketing"], rows[0]["Accepts Email Marketing"]) == ("yes", "no")
    assert rows[0]["Accepts Phone Calls"] == ""
    assert "Gone" not in text and "erased customer" not in text
    with ctx.database.read() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "data.exported")).one()
    assert event.actor_id == team.lead.staff_id
    assert json.loads(event.details) == {"to": "output", "what": "customers", "format": "csv", "rows": 1}


def test_json_lines_keep_the_values_as_they_are(ctx: ShopContext, team: Team) -> None:
    customers.create_customer(ctx, team.sam, name="=Zoë", phone="+44 7700 900111")
    out = io.StringIO()

    export(ctx, team.lead, ExportKind.CUSTOMERS, out, ExportFormat.JSONL)

    [line] = out.getvalue().splitlines()
    row = json.loads(line)
    assert (row["Name"], row["Phone"], row["Accepts SMS Marketing"]) == ("=Zoë", "+44 7700 900111", None)


def test_visits_export_keeps_to_the_shop_days_and_hides_whose_an_erased_visit_was(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    gone = customers.create_customer(ctx, team.sam, name="Gone Person", phone="07700 900222")
    friday = visits.new_walk_in(ctx, team.sam, customer_id=ann, needs=[NeedKind.PICKUP], claim=True)
    clock.advance(days=1)
    saturday = visits.new_walk_in(ctx, team.sam, customer_id=gone, description="red coat", claim=True)
    clock.advance(days=1)
    visits.new_walk_in(ctx, team.sam, description="sunday")
    erasure.erase_customer(ctx, team.lead, gone, "asked by email")

    rows = exported(ctx, team, ExportKind.VISITS, period=Period(date(2026, 11, 20), date(2026, 11, 21)))

    assert [row["Visit ID"] for row in rows] == [str(friday), str(saturday)]
    assert (rows[0]["Customer Name"], rows[0]["Served By"], rows[0]["Needs"]) == ("Ann Lee", "Sam", "pickup")
    assert rows[0]["Arrived At"] == "2026-11-20T11:00:00+00:00"
    assert (rows[1]["Customer ID"], rows[1]["Customer Name"], rows[1]["Description"]) == ("", "", "")


def test_a_visit_handed_off_is_exported_with_its_first_greeting(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Found by the tester: Jordan greeted Kwame at 05:11 and Dana approved his hand-off to
    Sam at 05:52; the export said Kwame was claimed at 05:52, a 43-minute wait to be
    greeted, and the first greeting was gone."""
    kwame = visits.new_walk_in(ctx, team.lead, description="Kwame")
    clock.advance(minutes=2)
    visits.claim_visit(ctx, team.sam, kwame)
    request = handoffs.request_handoff(ctx, team.sam, kwame, team.alex.staff_id or 0, "Alex does mixers")
    clock.advance(minutes=41)
    handoffs.approve_handoff(ctx, team.lead, request)

    [row] = exported(ctx, team, ExportKind.VISITS)

    assert (row["Arrived At"], row["Claimed At"], row["Served By"]) == (
        "2026-11-20T11:00:00+00:00",
        "2026-11-20T11:02:00+00:00",
        "Alex",
    )


def test_a_period_that_ends_before_it_starts_is_refused(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(InvalidInput, match=r"The period starts \(2026-11-21\) after it ends \(2026-11-20\)"):
        export(
            ctx,
            team.lead,
            ExportKind.VISITS,
            io.StringIO(),
            period=Period(date(2026, 11, 21), date(2026, 11, 20)),
        )


def test_followups_export_leaves_out_erased_customers(ctx: ShopContext, team: Team) -> None:
    ann = customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    gone = customers.create_customer(ctx, team.sam, name="Gone Person", phone="07700 900222")
    kept = followups.add_callback(ctx, team.sam, ann, about="-price of the oak table", consent_source="asked")
    followups.add_callback(ctx, team.sam, gone, about="secret", consent_source="asked")
    erasure.erase_customer(ctx, team.lead, gone, "asked by email")

    rows = exported(ctx, team, ExportKind.FOLLOWUPS)

    assert [(row["Follow-up ID"], row["Customer Name"], row["Summary"]) for row in rows] == [
        (str(kept), "Ann Lee", "'-price of the oak table")
    ]
    assert (rows[0]["Kind"], rows[0]["Owner"], rows[0]["Status"]) == ("callback", "Sam", "open")


def test_only_a_lead_exports(ctx: ShopContext, team: Team) -> None:
    out = io.StringIO()
    with pytest.raises(NotAllowed, match="Only a shift lead can export"):
        export(ctx, team.sam, ExportKind.CUSTOMERS, out)
    assert out.getvalue() == ""


def test_cli_exports_to_a_private_file_or_to_standard_output(shop_with_lead: str, tmp_path: Path) -> None:
    target = tmp_path / "customers.csv"

    refused = invoke(shop_with_lead, "customers", "export", "--out", str(target))
    assert refused.exit_code == 1 and not target.exists()
    written = invoke(shop_with_lead, "customers", "export", "--out", str(target), "--bom", env=LEAD_ENV)
    assert written.exit_code == 0, written.output
    assert written.stdout == f"Exported 0 customers to {target}.\n"
    assert target.read_text(encoding="utf-8").startswith("\ufeffCustomer ID,Name")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    piped = invoke(shop_with_lead, "followups", "export", "--format", "jsonl", env=LEAD_ENV)
    assert piped.exit_code == 0, piped.output
    assert (piped.stdout, piped.stderr) == ("", "Exported 0 follow-ups.\n")
    visits_csv = invoke(
        shop_with_lead, "visits", "export", "--from", "2026-11-01", "--to", "2026-11-30", env=LEAD_ENV
    )
    assert visits_csv.stdout.startswith("Visit ID,Arrived At,")
    assert [json.loads(e.details)["what"] for e in events(shop_with_lead, "data.exported")] == [
        "customers",
        "followups",
        "visits",
    ]
    bad = invoke(shop_with_lead, "visits", "export", "--from", "1 Nov", env=LEAD_ENV)
    assert_one_line_failure(bad, "'1 Nov' is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-20.")


def test_cli_export_needs_a_folder_that_exists_and_never_overwrites_a_file(
    shop_with_lead: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "customers.csv"
    taken = tmp_path / "out" / "taken.csv"
    taken.parent.mkdir()
    taken.write_text("keep me")

    no_folder = invoke(shop_with_lead, "customers", "export", "--out", str(missing), env=LEAD_ENV)
    overwrite = invoke(shop_with_lead, "customers", "export", "--out", str(taken), env=LEAD_ENV)

    assert_one_line_failure(
        no_folder,
        f"There is no folder {missing.parent}; create it first, or give a file in a folder that exists.",
    )
    assert not missing.parent.exists()
    assert_one_line_failure(overwrite, f"There is already a file at {taken}; give the export another name.")
    assert taken.read_text() == "keep me"
    assert events(shop_with_lead, "data.exported") == []
    assert list(taken.parent.iterdir()) == [taken]


def test_a_file_name_with_terminal_escapes_in_it_is_never_echoed_raw(
    shop_with_lead: str, tmp_path: Path
) -> None:
    """A name holding ESC or BEL (a title change, a screen clear) is said with them spelt
    out, on the line saying where the export went and on a red line refusing it."""
    written = invoke(
        shop_with_lead, "customers", "export", "--out", str(tmp_path / "x\x1b]0;owned\x07.csv"), env=LEAD_ENV
    )
    refused = invoke(
        shop_with_lead, "customers", "export", "--out", str(tmp_path / "no\x1b[2J" / "f.csv"), env=LEAD_ENV
    )

    assert written.exit_code == 0, written.output
    assert written.stdout == f"Exported 0 customers to {tmp_path}/x\\x1b]0;owned\\x07.csv.\n"
    assert_one_line_failure(
        refused,
        f"There is no folder {tmp_path}/no\\x1b[2J; create it first, or give a file in a folder that exists.",
    )


def test_customers_exported_then_imported_into_an_empty_shop_are_the_same(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    zoe = customers.create_customer(
        ctx,
        team.sam,
        name="Zoë Ní Bhriain",
        phone="+44 7700 900111",
        email="zoe@example.com",
        opted_in=["sms"],
    )
    customers.record_consent(ctx, team.sam, zoe, Channel.EMAIL, granted=False, source="asked")
    customers.create_customer(ctx, team.sam, name="=Eve Formula", phone="07700 900222", opted_in=["email"])
    customers.create_customer(ctx, team.sam, name="Al Unasked", email="al@example.com", opted_in=[])
    gone = customers.create_customer(ctx, team.sam, name="Gone Person", phone="07700 900333")
    erasure.erase_customer(ctx, team.lead, gone, "asked by email")
    exported_file = tmp_path / "customers.csv"
    with exported_file.open("w", encoding="utf-8", newline="") as out:
        export(ctx, team.lead, ExportKind.CUSTOMERS, out, bom=True)
    other = f"sqlite:///{tmp_path / 'other' / 'shop.sqlite3'}"
    (tmp_path / "other").mkdir()
    for args in (("db", "init"), ("staff", "add", "Dana", "--role", "lead", "--pin", "1111")):
        assert invoke(other, *args).exit_code == 0

    imported = invoke(
        other,
        "customers",
        "import",
        str(exported_file),
        "--from",
        "csv",
        *("--name-column", "Name", "--phone-column", "Phone", "--email-column", "Email"),
        *("--id-column", "Customer ID"),
        *(
            "--email-consent-column",
            "Accepts Email Marketing",
            "--sms-consent-column",
            "Accepts SMS Marketing",
        ),
        env=LEAD_ENV,
    )

    assert imported.exit_code == 0, imported.output
    assert held(shop(other)) == held(ctx)


def held(ctx: ShopContext) -> list[tuple[str, str, str, list[str]]]:
    """Each customer on file: name, phone (international), email, and the channels they
    agreed to (email and SMS, the ones a till export carries; an import records a "no"
    only to withdraw an earlier "yes", so a shop's "no" comes back as no consent)."""
    with ctx.database.read() as session:
        agreed: dict[int, list[str]] = {}
        for consent in session.exec(
            select(ContactConsent)
            .where(col(ContactConsent.channel) != Channel.PHONE, col(ContactConsent.granted))
            .order_by(col(ContactConsent.channel))
        ):
            agreed.setdefault(consent.customer_id, []).append(consent.channel)
        return sorted(
            (c.name, c.phone_normalised, c.email, agreed.get(c.id or 0, []))
            for c in session.exec(select(Customer).where(col(Customer.erased_at).is_(None)))
        )
