"""A reload that started earlier but finishes later read older data; its result must not
overwrite the newer one on screen (e.g. the reload on closing a dialog racing the save)."""

from __future__ import annotations

import threading

from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in


async def test_an_older_load_finishing_last_is_dropped(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    shown: list[str] = []
    newer_shown = threading.Event()

    def older_read() -> str:
        assert newer_shown.wait(timeout=30), "the newer load never reached the screen"
        return "older"

    def newer_read() -> str:
        return "newer"

    def show(result: str) -> None:
        shown.append(result)
        if result == "newer":
            newer_shown.set()

    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        screen = app.screen
        screen.load("board", older_read, then=show)  # type: ignore[attr-defined]
        screen.load("board", newer_read, then=show)  # type: ignore[attr-defined]
        await settle(pilot)
        assert shown == ["newer"]


async def test_loads_of_different_things_do_not_cancel_each_other(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    shown: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        screen = app.screen
        screen.load("board", lambda: "board", then=shown.append)  # type: ignore[attr-defined]
        screen.load("wall", lambda: "wall", then=shown.append)  # type: ignore[attr-defined]
        await settle(pilot)
        assert sorted(shown) == ["board", "wall"]
