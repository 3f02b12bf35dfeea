"""When PostgreSQL cannot be reached, every call is refused with a sentence, nothing is
half-written, and calls work again by themselves once the server is back."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from counter_tui.bootstrap import open_shop
from counter_tui.db.engine import Database
from counter_tui.db.models import Visit
from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from tests.concurrency.service_calls import (
    World,
    assert_nothing_written_then_working,
    audit_count,
    build_world,
    every_service_call,
)
from tests.conftest import Team, make_settings
from tests.postgres.plug import refuse_connections, terminate

pytestmark = pytest.mark.postgres

CLOSED_PORT_URL = "postgresql+psycopg://postgres@127.0.0.1:1/test"


def _not_refused(ctx: ShopContext, team: Team, world: World) -> list[str]:
    """Names of the service calls that did not raise DatabaseUnavailable."""
    names = []
    for name, call in every_service_call(ctx, team, world):
        try:
            call()
        except DatabaseUnavailable as error:
            assert "cannot be reached" in str(error) and "Nothing was saved" in str(error)
        else:
            names.append(name)
    return names


def test_starting_against_a_closed_port_is_refused_with_a_sentence() -> None:
    with pytest.raises(DatabaseUnavailable, match="cannot be reached"):
        open_shop(make_settings(CLOSED_PORT_URL))


def test_every_service_refuses_when_the_server_is_not_there(ctx: ShopContext, team: Team) -> None:
    world = build_world(ctx, team)
    down = ShopContext(database=Database(CLOSED_PORT_URL), settings=ctx.settings, clock=ctx.clock)
    assert _not_refused(down, team, world) == []


def test_every_service_refuses_while_connections_are_dropped_and_recovers(
    ctx: ShopContext, team: Team, server: psycopg.Connection, database_url: str
) -> None:
    world = build_world(ctx, team)
    before = audit_count(ctx)
    refuse_connections(server, database_url, refuse=True)
    assert terminate(server, database_url) >= 1  # the pooled connections of this terminal
    assert _not_refused(ctx, team, world) == []

    refuse_connections(server, database_url, refuse=False)
    assert_nothing_written_then_working(ctx, team, world, audit_events_before=before)


def test_a_connection_lost_in_the_middle_of_a_claim_leaves_nothing_half_written(
    ctx: ShopContext, team: Team, server: psycopg.Connection, database_url: str
) -> None:
    visit_id = visits.new_walk_in(ctx, team.lead, description="red coat")
    before = audit_count(ctx)

    def pull_the_plug_before_the_audit_event(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "INSERT INTO auditevent" in statement:  # alone, or in the one-statement append
            pid = connection.connection.dbapi_connection.info.backend_pid
            terminate(server, database_url, pid)

    event.listen(ctx.database.engine, "before_cursor_execute", pull_the_plug_before_the_audit_event)
    try:
        with pytest.raises(DatabaseUnavailable, match="Nothing was saved"):
            visits.claim_visit(ctx, team.sam, visit_id)
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", pull_the_plug_before_the_audit_event)
    # The owner was set by the first statement of that transaction; it was rolled back.
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.owner_id is None
    assert audit_count(ctx) == before
    visits.claim_visit(ctx, team.sam, visit_id)
