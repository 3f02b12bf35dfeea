"""Find customer as you type: every key searches at once, off the UI thread; an answer
that is no longer what the box holds is dropped, so typing fast ends on the right
results and nothing typed is lost while a search is slow."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.services.views import Page
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.quiet_pilot import workers_held
from tests.ui.staff_pilot import SIZE, StaffApp, burst, settle, sign_in
from tests.ui.test_find import result_names


class HeldSearch:
    """`find_customers`, except that a search for `held` waits until `release` is set."""

    def __init__(self, real: Callable[..., Page], held: str) -> None:
        self.real, self.held = real, held
        self.release = threading.Event()
        self.asked: list[str] = []

    def __call__(self, ctx: ShopContext, query: str, **kwargs: Any) -> Page:
        self.asked.append(query)
        if query == self.held:
            self.release.wait(timeout=60)  # a guard against a hung test, not a timing
        return self.real(ctx, query, **kwargs)


@pytest.fixture
def slow_s(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldSearch]:
    """The search for "s" is slow: it returns only when the test releases it."""
    held = HeldSearch(customers.find_customers, "s")
    monkeypatch.setattr(customers, "find_customers", held)
    yield held
    held.release.set()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names of every page of results the find screen shows, in order."""
    pages: list[list[str]] = []
    real_show = FindCustomerScreen.show

    def show(screen: FindCustomerScreen, page: Page) -> None:
        pages.append([match.name for match in page.items])
        real_show(screen, page)

    monkeypatch.setattr(FindCustomerScreen, "show", show)
    return pages


@pytest.fixture
def people(ctx: ShopContext, team: Team) -> None:
    """Customers whose names start with "s": a Smith, a Smalley, and a Sykes whom only
    "s" finds."""
    customers.create_customer(ctx, team.sam, name="Ann Smith")
    customers.create_customer(ctx, team.sam, name="Bob Smalley")
    customers.create_customer(ctx, team.sam, name="Cy Sykes")


async def open_find(pilot: Pilot[None], app: StaffApp) -> Input:
    """Sign in as Sam, press / and wait for the first page; the search box."""
    await sign_in(pilot, "sam", "2222")
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(app.screen, FindCustomerScreen)
    return app.screen.query_one("#query", Input)


async def test_a_slow_stale_search_never_replaces_the_newer_one(
    ctx: ShopContext, people: None, slow_s: HeldSearch, shown: list[list[str]]
) -> None:
    """While the search for "s" is slow, "mith" is typed: every key lands in the box at
    once and searches without waiting for "s"; when "s" returns, its answer (the only
    one with Cy Sykes) is dropped and Smith's results stay."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        box = await open_find(pilot, app)
        shown.clear()
        with workers_held(pilot):  # the search for "s"
            await pilot.press("s", "m", "i", "t", "h")
        assert box.value == "smith"
        slow_s.release.set()
        await settle(pilot)
        assert "s" in slow_s.asked and slow_s.asked[-1] == "smith"
        assert shown[-1] == ["Ann Smith"]
        assert not any("Cy Sykes" in page for page in shown)
        assert result_names(app) == ["Ann Smith"]


async def test_typing_fast_ends_on_the_results_for_what_was_typed(
    ctx: ShopContext, people: None, shown: list[list[str]]
) -> None:
    """A burst of keys, a correction and more keys: the last results shown are those for
    the whole text in the box, and every key typed is in it."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        box = await open_find(pilot, app)
        await burst(pilot, "smx")
        await pilot.press("backspace")
        await burst(pilot, "al")
        assert box.value == "smal"
        assert shown[-1] == ["Bob Smalley"]
        assert result_names(app) == ["Bob Smalley"]


async def test_each_key_searches_without_waiting_for_a_pause(
    ctx: ShopContext, people: None, shown: list[list[str]]
) -> None:
    """One key typed and the search for it runs at once: no timer has to fire first."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await pilot.press("b")
        await settle(pilot)
        assert result_names(app) == ["Bob Smalley"]


async def test_enter_opens_the_first_result_of_what_was_typed_not_the_stale_list(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "jose al" then Enter in one burst while its search is slow: Enter waits for that
    search's answer and opens José Álvarez, not Amélie de Jong, the first row of the
    results still on show."""
    amelie = customers.create_customer(ctx, team.sam, name="Amélie de Jong")
    jose = customers.create_customer(ctx, team.sam, name="José Álvarez")
    held = HeldSearch(customers.find_customers, "jose al")
    monkeypatch.setattr(customers, "find_customers", held)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        assert result_names(app)[0] == "Amélie de Jong"
        for char in "jose al":
            app.post_message(events.Key(_character_to_key(char), char))
        app.post_message(events.Key("enter", None))
        with workers_held(pilot):  # the search for "jose al"
            for _ in range(5):
                await pilot.pause()
        held.release.set()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        assert screen.customer_id == jose != amelie


async def test_a_burst_of_keys_searches_once_for_the_whole_text(
    ctx: ShopContext, people: None, shown: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst lands in the box before the first change is handled, so every change
    reports the whole text: one search and one page shown, not one a key (five identical
    searches at once took turns on the interpreter, and five identical pages were drawn,
    before the first paint)."""
    asked = HeldSearch(customers.find_customers, held="")
    asked.release.set()
    monkeypatch.setattr(customers, "find_customers", asked)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        asked.asked.clear()
        shown.clear()
        await burst(pilot, "smith")
        assert asked.asked == ["smith"]
        assert shown == [["Ann Smith"]]
