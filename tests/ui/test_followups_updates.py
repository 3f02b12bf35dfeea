"""My follow-ups updates what changed, like the floor board: a change from another terminal
re-reads only the follow-ups it named (a colleague's visit being claimed reads nothing),
rows it did not touch stay as drawn, and the highlight stays on its follow-up. Keys on a
heading row say what to do instead of nothing; Home and End go to the first and last
follow-up, not to a heading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from rich.text import Text

from counter_tui.clock import ManualClock
from counter_tui.services import changes, customers, followups, reversals, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.views import FollowUpView, MyFollowUps
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.screens.followups import FollowUpsScreen
from counter_tui.ui.widgets.fitted_table import FittedTable
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_followups, settle, table_rows


class WholeReads:
    """Counts the reads of a person's whole follow-up list (open, and cancelled today)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        mine, cancelled = followups.my_followups, reversals.cancelled_today

        def counted_mine(ctx: ShopContext, actor: Actor) -> MyFollowUps:
            self.count += 1
            return mine(ctx, actor)

        def counted_cancelled(ctx: ShopContext, actor: Actor) -> tuple[FollowUpView, ...]:
            self.count += 1
            return cancelled(ctx, actor)

        monkeypatch.setattr(followups, "my_followups", counted_mine)
        monkeypatch.setattr(reversals, "cancelled_today", counted_cancelled)


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[WholeReads]:
    yield WholeReads(monkeypatch)


def thank_yous(ctx: ShopContext, team: Team, *names: str) -> dict[str, int]:
    """A purchase with Sam for each name; each customer's id."""
    ids = {}
    for name in names:
        person = ids[name] = customers.create_customer(ctx, team.sam, name=name)
        visit_id = visits.new_walk_in(ctx, team.sam, customer_id=person, claim=True)
        visits.end_visit(ctx, team.sam, visit_id, "purchase")
    return ids


def deliver(app: StaffApp, ctx: ShopContext, since: int) -> None:
    """Hand the app what a feed would report for everything after `since`."""
    app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, since))))


def table(screen: FollowUpsScreen) -> FittedTable:
    return screen.query_one(FittedTable)


def row_of(screen: FollowUpsScreen, name: str) -> list[Text]:
    [key] = [key for key, item in screen.items.items() if item.customer_name == name]
    return list(table(screen).get_row(key))


async def test_a_change_elsewhere_rereads_only_the_follow_ups_it_named(
    ctx: ShopContext, team: Team, clock: ManualClock, whole_reads: WholeReads
) -> None:
    others = ("Di Dogwood", "Ed Elm", "Flo Fir", "Gus Gum", "Hal Hazel")
    people = thank_yous(ctx, team, "Ann Ash", "Ben Birch", "Cy Cedar", *others)
    hals = [
        item for item in followups.my_followups(ctx, team.sam).upcoming if item.customer_name == "Hal Hazel"
    ]
    followups.cancel_followup(ctx, team.sam, hals[0].id, reason="Moved away")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("down")
        await settle(pilot)
        chosen = screen.selected()
        assert chosen is not None and chosen.customer_name == "Ben Birch"
        bens_cells = row_of(screen, "Ben Birch")
        reads = whole_reads.count
        seen = changes.latest_event_id(ctx)
        [ann] = [item for item in screen.items.values() if item.customer_name == "Ann Ash"]
        clock.advance(minutes=5)
        followups.cancel_followup(ctx, team.lead, ann.id, reason="She rang to say thanks already")
        customers.update_contact(ctx, team.lead, people["Cy Cedar"], name="Cy Cedars", phone="", email="")
        visits.claim_visit(ctx, team.alex, visits.new_walk_in(ctx, team.lead, description="blue hat"))
        deliver(app, ctx, seen)
        await settle(pilot)
        assert whole_reads.count == reads
        patched = table_rows(table(screen))
        assert [row[2] for row in patched if row[1]] == [
            "Ben Birch",
            "Cy Cedars",
            *others[:-1],
            "Ann Ash",
            "Hal Hazel",
        ]
        assert patched[-3][0] == "CANCELLED TODAY (2)"
        assert all(a is b for a, b in zip(row_of(screen, "Ben Birch"), bens_cells, strict=True))
        selected = screen.selected()
        assert selected is not None and selected.id == chosen.id
        screen.reload()
        await settle(pilot)
        assert whole_reads.count > reads
        assert table_rows(table(screen)) == patched  # the same as the whole list read again


async def test_changes_that_cannot_touch_my_follow_ups_read_nothing(
    ctx: ShopContext, team: Team, whole_reads: WholeReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    thank_yous(ctx, team, "Ann Ash")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        reads: list[str] = []
        monkeypatch.setattr(screen, "call", lambda fn, *args, **kwargs: reads.append(fn.__name__))
        seen = changes.latest_event_id(ctx)
        visits.claim_visit(ctx, team.alex, visits.new_walk_in(ctx, team.lead, description="blue hat"))
        deliver(app, ctx, seen)
        await settle(pilot)
        assert reads == []


async def test_keys_on_a_heading_say_what_to_do(ctx: ShopContext, team: Team) -> None:
    """s, x, o, u, h and Enter on a heading each say one sentence and open nothing."""
    thank_yous(ctx, team, "Ann Ash", "Ben Birch")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*"no longer needed", "enter")
        await settle(pilot)  # Ann's is cancelled, so u is on offer
        assert "CANCELLED TODAY (1)" in [row[0] for row in table_rows(table(screen))]
        for key in ("s", "x", "o", "u", "h", "enter"):
            table(screen).move_cursor(row=0)  # OVERDUE (0)
            said = len(app.messages)
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key
            [sentence] = app.messages[said:]
            assert sentence.endswith(".") and sentence.count(". ") == 0, sentence
            assert "Highlight" in sentence, sentence


async def test_home_and_end_go_to_the_first_and_last_follow_up(ctx: ShopContext, team: Team) -> None:
    """The list starts and ends with headings (OVERDUE, and UPCOMING with none in it);
    Home and End land on follow-ups."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    for hours, promise in ((1, "Ring about the boots"), (2, "Ring about the laces")):
        due = ctx.now() + timedelta(hours=hours)
        followups.add_promise(ctx, team.sam, bob, promise=promise, due_at=due)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_followups(pilot)
        rows = table_rows(table(screen))
        assert [rows[0][0], rows[1][0], rows[-1][0]] == ["OVERDUE (0)", "DUE TODAY (2)", "UPCOMING (0)"]
        await pilot.press("end")
        last = screen.selected()
        assert last is not None and last.summary == "Ring about the laces"
        await pilot.press("home")
        first = screen.selected()
        assert first is not None and first.summary == "Ring about the boots"
