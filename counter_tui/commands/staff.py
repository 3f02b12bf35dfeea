"""`counter-tui staff …`: add, list, set PINs, clear lockouts, deactivate and reactivate.

Every command that changes staff asks for a shift lead's name and PIN once the shop has
an active lead (`lead_auth`); the change is audited as that lead, with this terminal's
name. The rules themselves live in `services/staff.py`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_for_command
from counter_tui.db.models import Role
from counter_tui.services import staff as staff_service

staff_app = typer.Typer(help="Add, list and manage staff accounts.", no_args_is_help=True)

PinOption = Annotated[
    str | None, typer.Option("--pin", help="4-12 digits; asked for (hidden) when not given.")
]
"""A PIN given on the command line, or None to ask for it without echoing."""
NameArgument = Annotated[str, typer.Argument(help="The staff member's name.")]


def _ask_pin(prompt: str) -> str:
    """Ask for a PIN without echoing it, twice."""
    return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=True))


@staff_app.command("add")
def staff_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The name shown on the sign-in screen.")],
    role: Annotated[
        Role, typer.Option("--role", case_sensitive=False, help="associate or lead.")
    ] = Role.ASSOCIATE,
    pin: PinOption = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Add a staff member (the shop's first lead needs no lead's PIN)."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        allowed_by = lead_for_command(shop, "staff add", lead, lead_pin)
        pin = pin if pin is not None else _ask_pin(f"PIN for {name}")
        added = staff_service.add_staff(shop, allowed_by, name=name, pin=pin, role=role.value)
    typer.echo(f"Added {added.name} ({added.role}).")


@staff_app.command("list")
def staff_list(ctx: typer.Context) -> None:
    """List staff, including deactivated ones."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        people = staff_service.list_staff(shop, include_inactive=True)
    if not people:
        typer.echo("No staff yet. Add one with: counter-tui staff add NAME --role lead")
        return
    width = max(len(person.name) for person in people)
    for person in people:
        status = "" if person.active else "  (deactivated)"
        typer.echo(f"{person.name:<{width}}  {person.role:<9}{status}")


@staff_app.command("set-pin")
def staff_set_pin(
    ctx: typer.Context,
    name: NameArgument,
    pin: PinOption = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Give a staff member a new PIN; it also lifts their wrong-PIN lockouts."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        allowed_by = lead_for_command(shop, "staff set-pin", lead, lead_pin)
        pin = pin if pin is not None else _ask_pin(f"New PIN for {name}")
        staff_service.set_pin(shop, allowed_by, name=name, pin=pin)
    typer.echo(f"PIN changed for {name.strip()}.")


@staff_app.command("clear-lockout")
def staff_clear_lockout(
    ctx: typer.Context,
    name: NameArgument,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Lift a staff member's wrong-PIN lockout at every terminal."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        allowed_by = lead_for_command(shop, "staff clear-lockout", lead, lead_pin)
        terminals = staff_service.clear_lockout(shop, allowed_by, name=name)
    where = ", ".join(terminals)
    typer.echo(
        f"Lockout cleared for {name.strip()} ({where})."
        if terminals
        else f"{name.strip()} was not locked out."
    )


@staff_app.command("deactivate")
def staff_deactivate(
    ctx: typer.Context,
    name: NameArgument,
    pass_to: Annotated[
        str | None,
        typer.Option(
            "--pass-to",
            help="The colleague who takes over their customers and open follow-ups "
            "(needed when they own any).",
            show_default=False,
        ),
    ] = None,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Stop a staff member from signing in; their history stays. Customers and follow-ups
    they own go to --pass-to; without it, deactivating someone who owns any is refused."""
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        allowed_by = lead_for_command(shop, "staff deactivate", lead, lead_pin)
        work = staff_service.open_work(shop, allowed_by, name=name)
        if not work.empty and pass_to is None:
            raise CommandFailed(
                f"{work.name} still owns {work.describe()}. Say who takes them over: "
                f"counter-tui staff deactivate {name.strip()!r} --pass-to NAME"
            )
        staff_service.deactivate(shop, allowed_by, name=name, pass_to=pass_to)
    passed = f" Their {work.describe()} went to {pass_to.strip()}." if pass_to and not work.empty else ""
    typer.echo(f"{work.name} can no longer sign in.{passed}")


@staff_app.command("reactivate")
def staff_reactivate(
    ctx: typer.Context,
    name: NameArgument,
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Let a deactivated staff member sign in again (with their old PIN)."""
    from counter_tui.commands.common import command_shop

    with command_shop(ctx) as shop:
        allowed_by = lead_for_command(shop, "staff reactivate", lead, lead_pin)
        staff_service.reactivate(shop, allowed_by, name=name)
    typer.echo(f"{name.strip()} can sign in again.")
