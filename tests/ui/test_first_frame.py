"""The staff app paints its sign-in screen before the shop is open (issue 12): the shop
is opened off the UI thread after the first frame, the staff list follows, a name and PIN
typed meanwhile sign in once it is open, and a shop that cannot be opened ends the app
with the reason kept for the command line."""

from __future__ import annotations

import threading

from textual.widgets import Input

from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from counter_tui.services.staff_roster import StaffSummary
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, settle
from tests.ui.test_sign_in import staff_options


class HeldOpening:
    """A shop that opens only when the test lets it (or fails to, with `error`)."""

    theme = "textual-light"

    def __init__(
        self, ctx: ShopContext, error: Exception | None = None, *, early: list[StaffSummary] | None = None
    ) -> None:
        self.ctx, self.error, self.early = ctx, error, early
        self.go = threading.Event()

    def roster(self) -> list[StaffSummary] | None:
        return self.early

    def open(self) -> ShopContext:
        assert self.go.wait(timeout=30), "the test never let the shop open"
        if self.error is not None:
            raise self.error
        return self.ctx


async def test_sign_in_is_painted_before_the_shop_opens_and_lists_the_staff_after(
    ctx: ShopContext, team: Team
) -> None:
    opening = HeldOpening(ctx)
    app = CounterApp(opening, live=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.theme == "textual-light"  # the first frame's theme, read cheaply
        assert not app.shop_open and staff_options(app) == []  # type: ignore[arg-type]

        opening.go.set()
        await settle(pilot)

        assert app.shop_open
        assert staff_options(app) == ["Alex", "Dana  (lead)", "Sam"]  # type: ignore[arg-type]
        assert app.title == ctx.rules.shop.name


async def test_a_name_and_pin_typed_before_the_shop_opens_sign_in_when_it_does(
    ctx: ShopContext, team: Team
) -> None:
    opening = HeldOpening(ctx)
    app = CounterApp(opening, live=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Sam", "enter", *"2222", "enter")  # no settling: the shop is held
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one("#pin", Input).value == ""  # never shown, never lost

        opening.go.set()
        await settle(pilot)

        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Sam"


async def test_a_shop_that_cannot_be_opened_ends_the_app_with_the_reason(ctx: ShopContext) -> None:
    refusal = DatabaseUnavailable("There is no database file at /nowhere/shop.sqlite3.")
    opening = HeldOpening(ctx, error=refusal)
    app = CounterApp(opening, live=False)
    async with app.run_test(size=SIZE) as pilot:
        opening.go.set()
        await settle(pilot)

    assert app.start_error is refusal
    assert app.return_code == 1


async def test_staff_read_early_are_listed_before_the_shop_opens_and_sign_in_waits_for_it(
    ctx: ShopContext, team: Team
) -> None:
    opening = HeldOpening(ctx, early=staff.list_staff(ctx))
    app = CounterApp(opening, live=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not app.shop_open
        assert staff_options(app) == ["Alex", "Dana  (lead)", "Sam"]  # type: ignore[arg-type]

        await pilot.press(*"Sam", "enter", *"2222", "enter")
        assert isinstance(app.screen, SignInScreen) and app.actor is None

        opening.go.set()
        await settle(pilot)

        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Sam"
