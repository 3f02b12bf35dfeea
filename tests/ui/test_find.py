"""Find customer: matches as you type, a page at a time; open one or start their visit."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter_tui.db.models import Visit
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, table_rows, type_text


async def search(pilot: Pilot[None], app: StaffApp, text: str) -> None:
    """Type `text` into the search box (each key searches) and wait for the results."""
    await type_text(pilot, text)
    assert isinstance(app.screen, FindCustomerScreen)
    app.screen.search()
    await settle(pilot)


def page_info(app: StaffApp) -> str:
    """The line under the results saying which page this is."""
    return plain(app.screen.query_one("#page-info", Static).visual)


def result_names(app: StaffApp) -> list[str]:
    """The names in the results table, in order."""
    return [row[0] for row in table_rows(app.screen.query_one(DataTable))]


async def open_find(pilot: Pilot[None], app: StaffApp) -> FindCustomerScreen:
    """Sign in as Sam and press /."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(app.screen, FindCustomerScreen)
    return app.screen


@pytest.fixture
def smiths(ctx: ShopContext, team: Team) -> list[int]:
    """45 customers called Smith (and one Jones who must not match)."""
    customers.create_customer(ctx, team.sam, name="Bob Jones")
    return [customers.create_customer(ctx, team.sam, name=f"Ann Smith {index:02d}") for index in range(1, 46)]


async def test_more_than_a_page_of_matches_is_paged_with_pgdn(
    ctx: ShopContext, team: Team, smiths: list[int]
) -> None:
    """Typing filters; 45 matches come 20 at a time; PgDn and PgUp move between pages."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "smith")
        assert result_names(app) == [f"Ann Smith {i:02d}" for i in range(1, 21)]
        assert page_info(app) == "Page 1: 1–20 · PgDn for more"
        await pilot.press("pagedown")
        await settle(pilot)
        assert result_names(app) == [f"Ann Smith {i:02d}" for i in range(21, 41)]
        assert page_info(app) == "Page 2: 21–40 · PgDn for more · PgUp for previous"
        await pilot.press("pagedown")
        await settle(pilot)
        assert result_names(app) == [f"Ann Smith {i:02d}" for i in range(41, 46)]
        assert page_info(app) == "Page 3: 41–45 · PgUp for previous"
        await pilot.press("pagedown")
        await settle(pilot)
        assert page_info(app) == "Page 3: 41–45 · PgUp for previous"
        await pilot.press("pageup")
        await settle(pilot)
        assert result_names(app)[0] == "Ann Smith 21"


async def test_typing_more_starts_again_on_page_one(ctx: ShopContext, team: Team, smiths: list[int]) -> None:
    """A new search after paging shows the first page of the new matches."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "smith")
        await pilot.press("pagedown")
        await settle(pilot)
        await search(pilot, app, " 4")
        assert result_names(app) == ["Ann Smith 40"] + [f"Ann Smith {i}" for i in range(41, 46)]
        assert page_info(app) == "Page 1: 1–6"


async def test_no_match_offers_to_add_a_customer(ctx: ShopContext, team: Team) -> None:
    """Nothing found says Ctrl+N adds one; Ctrl+N opens the form with the typed name."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "Zoe Quill")
        assert result_names(app) == []
        assert page_info(app) == "Page 1: no matches · Ctrl+N to add a new customer"
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "No customer highlighted. Keep typing, or Ctrl+N to add one."
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer is not None and app.screen.customer.name == "Zoe Quill"


async def test_enter_opens_the_highlighted_customer(ctx: ShopContext, team: Team, smiths: list[int]) -> None:
    """Arrows move through the results while typing; Enter opens that customer's record."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "smith")
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == smiths[2]
        assert app.screen.customer is not None and app.screen.customer.name == "Ann Smith 03"


async def test_f2_starts_a_visit_you_own(ctx: ShopContext, team: Team) -> None:
    """F2 on a result starts their visit, owned by you, and shows it."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "900123")
        assert result_names(app) == ["Bob Jones"]
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.visit is not None and app.screen.visit.is_owner
    with ctx.database.read() as session:
        [visit] = session.exec(select(Visit)).all()
    assert (visit.customer_id, visit.owner_id) == (bob, team.sam.staff_id)


async def test_enter_and_pgdn_work_from_the_results_table(
    ctx: ShopContext, team: Team, smiths: list[int]
) -> None:
    """Tab into the results: PgDn still turns the page and Enter still opens the customer."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_find(pilot, app)
        await search(pilot, app, "smith")
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is app.screen.query_one(DataTable)
        await pilot.press("pagedown")
        await settle(pilot)
        assert page_info(app).startswith("Page 2: 21–40")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == smiths[20]
