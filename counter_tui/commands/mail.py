"""`counter-tui mail test ADDRESS` (a shift lead's name and PIN needed): send one test
message through the shop's mail server (`mail.*` settings, the password from
COUNTER_TUI_SMTP_PASSWORD) and say the server's answer in one line; and `counter-tui mail
send`: deliver the outbox now (what any terminal's sender does), e.g. from cron."""

from __future__ import annotations

from typing import Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required

mail_app = typer.Typer(
    help="Email to customers: test the mail server, deliver the outbox.", no_args_is_help=True
)


@mail_app.command("test")
def mail_test(
    ctx: typer.Context,
    address: Annotated[str, typer.Argument(help="Where to send the test message.")],
    lead: LeadOption = None,
    lead_pin: LeadPinOption = None,
) -> None:
    """Send one test message to ADDRESS and report the server's answer."""
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_shop
    from counter_tui.services import mail_check

    with command_shop(ctx) as shop:
        result = mail_check.send_test(shop, lead_required(shop, "mail test", lead, lead_pin), address)
    if not result.accepted:
        raise CommandFailed(result.answer)
    typer.echo(result.answer)


@mail_app.command("send")
def mail_send(ctx: typer.Context) -> None:
    """Deliver the emails that are due now, and say how many went, will be retried, failed,
    or were withdrawn (the customer was erased, or no longer agrees to email)."""
    from counter_tui.commands.common import command_shop
    from counter_tui.services import mail_sender

    with command_shop(ctx) as shop:
        run = mail_sender.deliver_pending(shop)
    withdrawn = f"; {run.withdrawn} withdrawn (the customer may no longer get them)" if run.withdrawn else ""
    typer.echo(f"Sent {run.sent}; {run.retrying} to try again later; {run.failed} failed{withdrawn}.")
