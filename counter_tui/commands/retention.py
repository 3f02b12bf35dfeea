"""`counter-tui retention run [--dry-run]`: apply the shop's retention rules (the
`retention.*` settings, set with `counter-tui shop set`). A shift lead's name and PIN
are needed; the rules live in `services/retention.py`."""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required

retention_app = typer.Typer(
    help="How long personal data is kept: apply the shop's rules.", no_args_is_help=True
)


@retention_app.command("run")
def retention_run(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what the rules reach now; change nothing.")
    ] = False,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Erase customers not seen for longer than retention.customers_unseen_days, and
    blank visit text older than retention.visit_text_days (0 turns a rule off)."""
    from counter_tui.commands.common import command_shop
    from counter_tui.sentences import counted
    from counter_tui.services import retention

    with command_shop(ctx) as shop:
        done = retention.run_retention(
            shop, lead_required(shop, "retention run", lead, lead_pin), dry_run=dry_run
        )
        plan = done.plan
        day = shop.calendar.local_date
        customers = (
            f"{counted(done.customers_erased, 'customer')} not seen since "
            f"{day(plan.unseen_since).isoformat()}"
            if plan.unseen_since is not None
            else "no customers (retention.customers_unseen_days is 0)"
        )
        texts = (
            f"the text of {counted(done.visits_blanked, 'visit')} from before "
            f"{day(plan.text_before).isoformat()}"
            if plan.text_before is not None
            else "no visit text (retention.visit_text_days is 0)"
        )
    verb = ("Would erase", "would blank") if dry_run else ("Erased", "blanked")
    typer.echo(f"{verb[0]} {customers}; {verb[1]} {texts}.")
