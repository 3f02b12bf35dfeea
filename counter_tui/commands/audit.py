"""`counter-tui audit …`: check the tamper-evident audit trail."""

from __future__ import annotations

from typing import Annotated

import typer

audit_app = typer.Typer(help="The audit trail: check nobody changed it.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="A chain head printed by an earlier verify (16 or more of its characters): "
            "also check the history up to it was not rewritten.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Walk the audit chain and name the first event that was changed, inserted or
    removed; exit code 0 when the trail is intact, 1 when it is not."""
    from counter_tui.cli.failure import CommandFailed
    from counter_tui.commands.common import command_shop
    from counter_tui.sentences import counted
    from counter_tui.services.audit_verify import verify_chain

    with command_shop(ctx) as shop:
        report = verify_chain(shop, earlier_head=head)
        if not report.intact:
            more = len(report.problems) - 1
            also = f" ({counted(more, 'more problem')} after it.)" if more else ""
            raise CommandFailed(report.problems[0].sentence + also)
        newest = report.newest.describe(shop) if report.newest else "none yet"
    typer.echo(f"Audit trail intact: {counted(report.events, 'event')}, newest {newest}.")
    typer.echo(f"Chain head: {report.head}")
