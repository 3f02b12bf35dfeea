"""The staff app paints its sign-in screen before the shop is open (issue 12): the shop
is opened off the UI thread after the first frame, the staff list follows, a name and PIN
typed meanwhile sign in once it is open, and a shop that cannot be opened ends the app
with the reason kept for the command line."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

import pytest
from textual.css.match import match
from textual.css.stylesheet import Stylesheet
from textual.widgets import Input

from counter_tui.errors import DatabaseUnavailable
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from counter_tui.services.staff_roster import StaffSummary
from counter_tui.ui.app import CounterApp, stylesheet_parts
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.quiet_pilot import workers_held
from tests.ui.staff_pilot import SIZE, StaffApp, settle
from tests.ui.test_sign_in import staff_options


class HeldOpening:
    """A shop that opens only when the test lets it (or fails to, with `error`)."""

    theme = "textual-light"

    def __init__(
        self, ctx: ShopContext, error: Exception | None = None, *, early: list[StaffSummary] | None = None
    ) -> None:
        self.ctx, self.error, self.early = ctx, error, early
        self.go = threading.Event()
        self.opening = threading.Event()
        """Set once the app asks for the shop: an early staff list, if any, is on the
        screen by then (the app's worker hands it over and waits until it is shown)."""

    def roster(self) -> list[StaffSummary] | None:
        return self.early

    def open(self) -> ShopContext:
        self.opening.set()
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
        with workers_held(pilot):
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
        with workers_held(pilot):  # the shop is held
            await pilot.pause()
            await pilot.press(*"Sam", "enter", *"2222", "enter")
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
        await pilot.pause()  # until the app has closed (its worker cancelled as it closed)

    assert app.start_error is refusal
    assert app.return_code == 1


async def test_staff_read_early_are_listed_before_the_shop_opens_and_sign_in_waits_for_it(
    ctx: ShopContext, team: Team
) -> None:
    opening = HeldOpening(ctx, early=staff.list_staff(ctx))
    app = CounterApp(opening, live=False)
    async with app.run_test(size=SIZE) as pilot:
        with workers_held(pilot):
            assert await asyncio.to_thread(opening.opening.wait, 30), "the app never asked for the shop"
            await pilot.pause()
            assert not app.shop_open
            assert staff_options(app) == ["Alex", "Dana  (lead)", "Sam"]  # type: ignore[arg-type]

            await pilot.press(*"Sam", "enter", *"2222", "enter")
            assert isinstance(app.screen, SignInScreen) and app.actor is None

        opening.go.set()
        await settle(pilot)

        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Sam"


async def test_the_rules_read_after_the_first_frame_style_nothing_on_it(ctx: ShopContext, team: Team) -> None:
    """app.tcss below its `AFTER_FIRST_FRAME` line is read once the first frame is painted,
    so a rule there that matched anything on that frame would leave it drawn unstyled."""
    app = StaffApp(ctx, demo_pins={"Sam": "2222"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        later = Stylesheet(variables=app.get_css_variables())
        later.add_source(stylesheet_parts()[1], read_from=("app.tcss", "after the first frame"))
        nodes = [app, *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True))]
        assert len(later.rules) > 40 and len(nodes) > 15
        styled = [
            f"{rule.css.splitlines()[0]} styles {node!r}"
            for rule in later.rules
            for node in nodes
            if match(rule.selector_set, node)
        ]
        assert styled == []


async def test_a_screen_shown_before_the_first_frame_is_painted_has_every_rule(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys typed at once (or a test) may open a screen before the first frame is painted;
    it is styled by the whole of app.tcss all the same."""
    monkeypatch.setattr(CounterApp, "on_ready", lambda app: app.open_shop_later())
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "FormDialog" not in app.stylesheet.rules_map  # on_ready did not read the rest

        await app.push_screen(CustomerFormDialog())
        await settle(pilot)

        dialog = app.screen
        assert (dialog.styles.align_horizontal, dialog.styles.align_vertical) == ("center", "middle")
        assert dialog.query_one(".dialog-box").styles.width is not None
        assert str(dialog.query_one(".dialog-box").styles.width) == "76"


async def test_an_error_before_the_first_frame_is_painted_goes_to_the_log_file(
    ctx: ShopContext,
    team: Team,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unexpected_errors: list[logging.LogRecord],
) -> None:
    """The log file is attached once the first frame is painted; an error reported before
    that attaches it first, so it is written there (never shown but as one sentence)."""
    monkeypatch.setattr(CounterApp, "on_ready", lambda app: None)  # the first frame never "painted"
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        log = tmp_path / "state" / "counter-tui" / "log" / "counter-tui.log"
        assert not log.exists()

        app.report_unexpected(RuntimeError("broken"), "a handler")

        assert "a handler failed (on SignInScreen)" in log.read_text(encoding="utf-8")
        assert len(unexpected_errors) == 1


async def test_the_rest_of_the_stylesheet_is_read_once_the_staff_list_is_painted(
    ctx: ShopContext, team: Team
) -> None:
    """Not before: read at once after the first frame, it delayed the staff names."""
    held = HeldOpening(ctx)
    app = CounterApp(held, live=False)
    async with app.run_test(size=SIZE) as pilot:
        with workers_held(pilot):
            await pilot.pause()
        assert "FormDialog" not in app.stylesheet.rules_map
        held.go.set()
        await settle(pilot)
        assert "FormDialog" in app.stylesheet.rules_map

    early = HeldOpening(ctx, early=staff.list_staff(ctx))
    app = CounterApp(early, live=False)
    async with app.run_test(size=SIZE) as pilot:
        with workers_held(pilot):
            assert await asyncio.to_thread(early.opening.wait, 30), "the app never asked for the shop"
            await pilot.pause()
            assert staff_options(app) == ["Alex", "Dana  (lead)", "Sam"]  # type: ignore[arg-type]
            for _ in range(20):  # after the names' frame
                if "FormDialog" in app.stylesheet.rules_map:
                    break
                await pilot.pause()
        assert "FormDialog" in app.stylesheet.rules_map and not app.shop_open
        early.go.set()
        await settle(pilot)
