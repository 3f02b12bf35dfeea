"""`counter-tui mail test ADDRESS` (a shift lead's name and PIN needed): send one test
message through the shop's mail server (`mail.*` settings, the password from
COUNTER_TUI_SMTP_PASSWORD) and say the server's answer in one line; and `counter-tui mail
send`: deliver the outbox now (what any terminal's sender does), e.g. from cron, failing
(exit code 1) when the shop's mail setup keeps due emails from going."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from counter_tui.commands.lead_auth import LeadOption, LeadPinOption, lead_required
from counter_tui.sentences import counted

if TYPE_CHECKING:
    from counter_tui.services.mail_sender import DeliveryRun

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
    or were withdrawn (the customer was erased, or no longer agrees to email). Emails held
    back by the shop's mail setup are tried now, not after their wait. Exit code 1 when the
    shop's mail setup kept due emails from going (no server set, none reached, a login
    refused), saying what to set: from cron, that is the line that reaches someone."""
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_shop
    from counter_tui.services import mail_sender

    with command_shop(ctx) as shop:
        run = mail_sender.deliver_pending(shop, held_now=True)
    if run.problem:
        went = f"Sent {counted(run.sent, 'email')}, then stopped" if run.sent else "No email went out"
        waits = "waits" if run.waiting == 1 else "wait"
        problem = f"{run.problem[:1].lower()}{run.problem[1:]}"
        raise CommandFailed(f"{went}: {problem} {counted(run.waiting, 'email')} {waits} in the outbox.")
    typer.echo(_delivered(run))


def _delivered(run: DeliveryRun) -> str:
    """`Sent 2 emails; 1 to try again later.`, or that none were due."""
    if not (run.sent or run.retrying or run.failed or run.withdrawn):
        return "No emails were due."
    parts = [f"Sent {counted(run.sent, 'email')}"]
    if run.retrying:
        parts.append(f"{run.retrying:,} to try again later")
    if run.failed:
        whose = "its owner sees" if run.failed == 1 else "their owners see"
        parts.append(f"{run.failed:,} failed ({whose} why in My follow-ups)")
    if run.withdrawn:
        parts.append(f"{run.withdrawn:,} withdrawn (the customer may no longer get them)")
    return f"{'; '.join(parts)}."
