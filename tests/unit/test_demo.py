"""The demo shop: the shape `counter-tui demo` promises, at any time of day, and the
same shop every time for a given seed and clock (snapshots and screenshots rely on it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    AuditEvent,
    ContactConsent,
    Customer,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    NeedKind,
    Outcome,
    StandingNeed,
    Visit,
)
from counter_tui.demo.build import build_demo_shop
from counter_tui.errors import Conflict
from counter_tui.services import followups, handoffs, staff, visit_views
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import FRIDAY_11AM, make_settings

Snapshot = tuple[list[tuple[object, ...]], ...]


@dataclass
class Demo:
    """A built demo shop, its PINs, and a snapshot taken right after building it."""

    ctx: ShopContext
    pins: dict[str, str]
    built: Snapshot


def build(directory: Path, moment: datetime, seed: int = 7) -> tuple[ShopContext, dict[str, str]]:
    """A demo shop in a new SQLite file, built with the clock standing at `moment`."""
    directory.mkdir(parents=True, exist_ok=True)
    ctx = open_shop(
        make_settings(f"sqlite:///{directory / 'demo.sqlite3'}"), clock=ManualClock(moment), create=True
    )
    return ctx, build_demo_shop(ctx, seed=seed)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo shop on Friday at 11:00, shared by the tests of this module (which add
    nothing but sign-in events)."""
    directory = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUNTER_TUI_CONFIG", str(directory / "no-config.toml"))
        ctx, pins = build(directory, FRIDAY_11AM)
        yield Demo(ctx, pins, snapshot(ctx))
    ctx.database.dispose()


def actors(ctx: ShopContext) -> dict[str, Actor]:
    """Every demo staff member as an actor."""
    return {p.name: Actor(p.id, p.name, p.role) for p in staff.list_staff(ctx)}


def snapshot(ctx: ShopContext) -> Snapshot:
    """What two builds must agree on: customers, visits, follow-ups and the audit trail."""
    with ctx.database.read() as session:
        people = [
            (c.name, c.phone, c.email, c.preferences)
            for c in session.exec(select(Customer).order_by(col(Customer.id)))
        ]
        trips = [
            (v.customer_id, v.description, v.arrived_at, v.owner_id, v.outcome, v.ended_at)
            for v in session.exec(select(Visit).order_by(col(Visit.id)))
        ]
        owed = [
            (f.customer_id, f.kind, f.owner_id, f.due_at, f.status, f.personal_line)
            for f in session.exec(select(FollowUp).order_by(col(FollowUp.id)))
        ]
        trail = [
            (e.at, e.actor_id, e.action, e.entity_id)
            for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
        ]
    return people, trips, owed, trail


def assert_floor_shape(ctx: ShopContext) -> None:
    """Today's floor: every state the board shows, including a pending hand-off."""
    board = visit_views.floor_board(ctx)
    assert len(board) >= 8
    assert sum(row.waiting_too_long for row in board) >= 2
    assert sum(row.needs_help_unclaimed for row in board) == 1
    browsing = [
        row
        for row in board
        if row.owner_id is None and NeedKind.BROWSE_PRIVATELY in {n.kind for n in row.needs}
    ]
    assert len(browsing) == 1 and not browsing[0].waiting_too_long
    assert any(row.helper_names for row in board)
    assert sum(row.owner_id is not None for row in board) >= 4
    assert sum(row.handoff_pending for row in board) == 1
    assert all(row.arrived_at <= ctx.now() for row in board)


def assert_followup_groups(ctx: ShopContext) -> None:
    """Each staff member has follow-ups overdue, due today, and upcoming."""
    for name, actor in actors(ctx).items():
        mine = followups.my_followups(ctx, actor)
        assert mine.overdue and mine.due_today and mine.upcoming, name


def test_staff_are_two_leads_and_four_associates_with_their_pins(
    demo: Demo,
) -> None:
    ctx, pins = demo.ctx, demo.pins
    people = staff.list_staff(ctx)

    assert sorted(p.role for p in people) == ["associate"] * 4 + ["lead"] * 2
    assert set(pins) == {p.name for p in people}
    dana = next(p for p in people if p.name == "Dana")
    assert staff.sign_in(ctx, dana.id, pins["Dana"]).is_lead


def test_customers_are_a_few_hundred_with_varied_names_and_consents(
    demo: Demo,
) -> None:
    ctx = demo.ctx
    with ctx.database.read() as session:
        names = list(session.exec(select(Customer.name)))
        sources = set(session.exec(select(ContactConsent.source)))
        refused = session.exec(select(func.count()).where(col(ContactConsent.granted).is_(False))).one()
        standing = session.exec(select(func.count()).select_from(StandingNeed)).one()

    assert len(names) == 300
    assert len(set(names)) == len(names)
    assert any("'" in name for name in names)
    assert any(not name.isascii() for name in names)
    assert len(sources) >= 3
    assert refused > 0
    assert standing >= 4


def test_history_has_weeks_of_ended_visits_with_every_outcome(
    demo: Demo,
) -> None:
    ctx = demo.ctx
    with ctx.database.read() as session:
        ended = list(session.exec(select(Visit).where(col(Visit.ended_at).is_not(None))))
        created_events = session.exec(select(func.count()).where(AuditEvent.action == "visit.created")).one()
        visit_count = session.exec(select(func.count()).select_from(Visit)).one()
        thank_yous_done = session.exec(
            select(func.count()).where(
                FollowUp.kind == FollowUpKind.THANK_YOU, FollowUp.status == FollowUpStatus.DONE
            )
        ).one()

    assert len(ended) >= 150
    assert {v.outcome for v in ended} >= {
        Outcome.PURCHASE,
        Outcome.NO_PURCHASE,
        Outcome.LEFT_UNSERVED,
    }
    assert (ctx.now() - min(v.arrived_at for v in ended)).days >= 21
    assert created_events == visit_count
    assert thank_yous_done > 20


def test_today_floor_has_every_state(demo: Demo) -> None:
    assert_floor_shape(demo.ctx)


def test_a_lead_sees_the_pending_handoff(demo: Demo) -> None:
    ctx = demo.ctx

    [pending] = handoffs.pending_handoffs(ctx, actors(ctx)["Dana"])

    assert (pending.from_name, pending.to_name, pending.who) == ("Jordan", "Sam", "Kwame Mensah")


def test_everyone_has_followups_overdue_due_today_and_upcoming(
    demo: Demo,
) -> None:
    assert_followup_groups(demo.ctx)


def test_the_demo_is_only_built_in_an_empty_database(
    demo: Demo,
) -> None:
    with pytest.raises(Conflict):
        build_demo_shop(demo.ctx)


def test_same_seed_and_clock_give_the_same_shop(demo: Demo, tmp_path: Path) -> None:
    again, pins = build(tmp_path, FRIDAY_11AM)

    assert pins == demo.pins
    assert snapshot(again) == demo.built
    again.database.dispose()


@pytest.mark.parametrize(
    ("moment", "seed"),
    [
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), 8),  # Sunday night: the shop is closed
        (datetime(2026, 3, 30, 22, 50, tzinfo=UTC), 7),  # ten to midnight, first day of BST
    ],
)
def test_any_moment_gives_the_same_shape(demo: Demo, tmp_path: Path, moment: datetime, seed: int) -> None:
    ctx, _ = build(tmp_path, moment, seed)

    assert_floor_shape(ctx)
    assert_followup_groups(ctx)
    assert (snapshot(ctx)[0] == demo.built[0]) == (seed == 7)
    ctx.database.dispose()
