"""A shift lead's name and PIN for command-line changes.

Once the shop has an active lead, every command that changes staff or data asks for a
lead's name and PIN (the first lead of a new shop is added without). Scripts give the
name with `--lead NAME` (or COUNTER_TUI_LEAD) and the PIN in COUNTER_TUI_LEAD_PIN (or
`--lead-pin`); otherwise both are asked for, the PIN without echoing. Wrong PINs count
towards that lead's lockout at this terminal, as at the sign-in screen.
"""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.services import staff as staff_service
from counter_tui.services.context import Actor, ShopContext

LEAD_ENV = "COUNTER_TUI_LEAD"
LEAD_PIN_ENV = "COUNTER_TUI_LEAD_PIN"

LeadOption = Annotated[
    str | None,
    typer.Option(
        "--lead",
        envvar=LEAD_ENV,
        help=f"The shift lead allowing this change (env {LEAD_ENV}); asked for when not given.",
        show_default=False,
    ),
]
LeadPinOption = Annotated[
    str | None,
    typer.Option(
        "--lead-pin",
        envvar=LEAD_PIN_ENV,
        help=f"That lead's PIN; better in env {LEAD_PIN_ENV} than on the command line. "
        "Asked for (hidden) when not given.",
        show_default=False,
        show_envvar=False,
    ),
]


def lead_for_command(shop: ShopContext, command: str, lead: str | None, lead_pin: str | None) -> Actor | None:
    """The lead allowing `command`, checked by PIN; None while the shop has no active lead."""
    from counter_tui.cli.failure import CommandFailed

    if not staff_service.has_active_lead(shop):
        return None
    try:
        name = lead if lead is not None else str(typer.prompt("Shift lead's name"))
        pin = lead_pin if lead_pin is not None else str(typer.prompt(f"PIN for {name}", hide_input=True))
    except typer.Abort as stopped:
        raise CommandFailed(
            f"This needs a shift lead's name and PIN: give --lead NAME and set {LEAD_PIN_ENV}, "
            "or run it where it can ask."
        ) from stopped
    return staff_service.authorise_command(shop, name, pin, command)


def lead_required(shop: ShopContext, command: str, lead: str | None, lead_pin: str | None) -> Actor:
    """The lead allowing `command`, checked by PIN; a shop without a lead has nobody who may."""
    from counter_tui.cli.failure import CommandFailed

    allowed_by = lead_for_command(shop, command, lead, lead_pin)
    if allowed_by is None:
        raise CommandFailed(
            "Only a shift lead can do this, and this shop has none yet. "
            "Add one with: counter-tui staff add NAME --role lead"
        )
    return allowed_by
