"""`counter-tui serve`: this computer only unless --allow-remote, which warns that the app has
no login of its own; one sentence for a port in use or a shop nobody can sign in to. The
server itself is replaced here; tests/browser/ run the real one."""

from __future__ import annotations

import errno
import os

import pytest

from counter_tui import web_server
from counter_tui.commands.serve import is_loopback, session_command
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.test_cli import assert_one_line_failure, invoke


class Started:
    """What the replaced server was asked to serve."""

    def __init__(self) -> None:
        self.servers: list[web_server.CounterServer] = []


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    """`CounterServer.serve` only records the server (and the database URL its sessions get)."""
    record = Started()

    def serve(self: web_server.CounterServer, debug: bool = False) -> None:
        record.servers.append(self)

    monkeypatch.setattr(web_server.CounterServer, "serve", serve)
    monkeypatch.delenv("COUNTER_TUI_DATABASE_URL", raising=False)
    return record


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("counter.example.shop", False),
    ],
)
def test_only_this_computers_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serves_the_staff_app_on_this_computer_by_default(
    database_url: str, ctx: ShopContext, team: Team, started: Started
) -> None:
    result = invoke(database_url, "serve")

    assert result.exit_code == 0, result.output
    [server] = started.servers
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.command == session_command(None)
    assert "counter_tui.ui.served" in server.command and "--kiosk" not in server.command
    assert os.environ["COUNTER_TUI_DATABASE_URL"] == database_url
    assert database_url not in server.command  # a password would show in `ps`
    assert "Warning" not in result.output


def test_another_address_is_refused_without_allow_remote(
    database_url: str, ctx: ShopContext, team: Team, started: Started
) -> None:
    result = invoke(database_url, "serve", "--host", "0.0.0.0")

    assert_one_line_failure(
        result,
        "0.0.0.0 is reachable from other computers and the staff app has no login of its own. "
        "Serve on 127.0.0.1 behind the shop's proxy, or add --allow-remote.",
    )
    assert started.servers == []


def test_allow_remote_serves_and_warns_there_is_no_login(
    database_url: str, ctx: ShopContext, team: Team, started: Started
) -> None:
    result = invoke(database_url, "serve", "--host", "0.0.0.0", "--allow-remote", "--kiosk", "door")

    assert result.exit_code == 0, result.output
    [server] = started.servers
    assert server.host == "0.0.0.0"
    assert server.command == session_command("door")
    assert result.stderr.strip() == (
        "Warning: serving on 0.0.0.0, so anyone who can reach this computer on port 8000 gets the "
        "kiosk 'door'. It has no login of its own: put it behind the shop's proxy (HTTPS and a login)."
    )


def test_a_port_in_use_is_one_sentence(
    database_url: str, ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    def serve(self: web_server.CounterServer, debug: bool = False) -> None:
        raise OSError(errno.EADDRINUSE, "address already in use")

    monkeypatch.setattr(web_server.CounterServer, "serve", serve)
    result = invoke(database_url, "serve", "--port", "8123")

    assert_one_line_failure(
        result, "Port 8123 on 127.0.0.1 is already in use (another server?). Choose another with --port."
    )


def test_a_shop_nobody_can_sign_in_to_is_not_served(
    database_url: str, ctx: ShopContext, started: Started
) -> None:
    result = invoke(database_url, "serve")

    assert_one_line_failure(
        result,
        "Nobody can sign in yet. Add the first shift lead with: counter-tui staff add NAME --role lead",
    )
    assert started.servers == []
