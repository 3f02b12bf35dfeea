"""`counter-tui customers subject-access ID|--phone P|--email E [--out FILE]`: everything
the shop holds about one customer, as a JSON file (a shift lead's name and PIN needed).

The work is `services/subject_access.py`'s; registered under `customers` in `commands/customers.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required

SECTION_NOUNS = {
    "consents": ("consent",),
    "till_links": ("till link",),
    "standing_needs": ("standing need",),
    "visits": ("visit",),
    "notes": ("note",),
    "follow_ups": ("follow-up",),
    "feedback": ("feedback", "feedback"),
    "audit_events": ("audit event",),
}
"""Each section of the file as its count is said: "1 visit", "0 follow-ups"."""


def customers_subject_access(
    ctx: typer.Context,
    customer_id: Annotated[
        int | None,
        typer.Argument(help="The customer's id (as exports and the app show it).", show_default=False),
    ] = None,
    phone: Annotated[
        str | None,
        typer.Option("--phone", help="Find them by phone number, however typed.", show_default=False),
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="Find them by email.", show_default=False)
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="The file to write (default: the shop's exports folder).", show_default=False
        ),
    ] = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Write everything held about one customer (record, consents, till links, visits,
    notes, follow-ups, feedback, audit events) to a JSON file, for a subject access request."""
    from counter_tui.cli.errors import printable
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_shop
    from counter_tui.sentences import counted
    from counter_tui.services import subject_access

    if sum(given is not None for given in (customer_id, phone, email)) != 1:
        raise CommandFailed("Say whose data: give the customer's id, or --phone, or --email (one of them).")
    with command_shop(ctx) as shop:
        allowed_by = lead_required(shop, "customers subject-access", lead, lead_pin)
        if customer_id is None:
            customer_id = subject_access.find_customer(shop, allowed_by, phone=phone or "", email=email or "")
        written = subject_access.write_subject_access(shop, allowed_by, customer_id, out)
    held = ", ".join(counted(count, *SECTION_NOUNS[section]) for section, count in written.counts.items())
    where = printable(str(written.path))
    typer.echo(f"Wrote everything held about customer {customer_id} to {where} ({held}).")
