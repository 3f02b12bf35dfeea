"""Make the README's screenshots: the real staff app on the demo shop, one SVG per screen.

Builds the demo shop in a temporary SQLite database with the clock stopped on a weekday
mid-morning, drives the app with Pilot the way a person would (type a name, a PIN, press
the screen's keys), and writes SVGs into screenshots/ at 120x40 and again at 80x24. Run from the repository:

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from counter_tui.bootstrap import open_shop
from counter_tui.clock import fixed_clock
from counter_tui.config import Settings, ShopSettings
from counter_tui.demo.build import build_demo_shop
from counter_tui.services import followups, shop_settings, staff, visit_views
from counter_tui.services.context import Actor, ShopContext
from counter_tui.ui.app import CounterApp
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.followups import FollowUpsScreen

# Wednesday 18 November 2026, 10:30 in London (UTC+0 in winter): the shop is busy.
MOMENT = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
SIZE = (120, 40)
SMALL_SIZE = (80, 24)
KIOSK_SIZE = (80, 24)
FIND_QUERY = "ma"
REVIEW_TABS = (
    ("2", "health"),
    ("3", "followups"),
    ("4", "scorecard"),
    ("5", "feedback"),
    ("6", "kudos"),
    ("7", "end_of_day"),
)
OUTPUT = Path(__file__).resolve().parent.parent / "screenshots"


class Staff:
    """Who the screenshots sign in as: an associate serving a customer on file, and a lead."""

    def __init__(self, ctx: ShopContext, pins: dict[str, str]) -> None:
        people = staff.list_staff(ctx)
        board = visit_views.floor_board(ctx)
        serving = {row.owner_id: row.visit_id for row in board if row.owner_id and row.customer_id}
        associate = next(p for p in people if p.role != "lead" and p.id in serving and p.name in pins)
        lead = next(p for p in people if p.role == "lead" and p.name in pins)
        self.associate, self.associate_pin = associate.name, pins[associate.name]
        self.lead, self.lead_pin = lead.name, pins[lead.name]
        self.visit_id = serving[associate.id]


async def settle(pilot: Pilot[None]) -> None:
    """Let service calls finish and their results reach the screen."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def save(pilot: Pilot[None], name: str) -> None:
    """Write the current screen as screenshots/<name>.svg, without passing toasts or a
    half-blinked cursor."""
    await settle(pilot)
    app = pilot.app
    app.clear_notifications()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    path = OUTPUT / f"{name}.svg"
    path.write_text(app.export_screenshot(), encoding="utf-8")
    print(f"wrote {path.relative_to(OUTPUT.parent)}")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type like a person, one key per character."""
    await pilot.press(*["space" if char == " " else char for char in text])


async def sign_in(pilot: Pilot[None], name: str, pin: str) -> None:
    """Type to filter the staff list, Enter, the PIN, Enter."""
    await settle(pilot)
    await type_text(pilot, name.lower())
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FloorScreen), f"{name} could not sign in"


async def highlight(pilot: Pilot[None], visit_id: int) -> None:
    """Move the floor board's cursor down to one visit."""
    screen = pilot.app.screen
    assert isinstance(screen, FloorScreen)
    for _ in range(screen.query_one(DataTable).row_count):
        if screen.selected_visit_id() == visit_id:
            return
        await pilot.press("down")
    raise AssertionError(f"visit {visit_id} is not on the floor board")


async def tour(app: CounterApp, who: Staff, size: tuple[int, int] = SIZE, suffix: str = "") -> None:
    """Visit every staff screen at `size` and save each one as <screen><suffix>.svg."""

    async def shot(pilot: Pilot[None], name: str) -> None:
        await save(pilot, f"{name}{suffix}")

    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await shot(pilot, "sign_in")

        await sign_in(pilot, who.associate, who.associate_pin)
        await shot(pilot, "floor")

        await highlight(pilot, who.visit_id)
        await pilot.press("enter")
        await shot(pilot, "customer")
        await pilot.press("escape")

        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, FIND_QUERY)
        screen = app.screen
        assert isinstance(screen, FindCustomerScreen)
        screen.search()  # what the pause after typing does, without waiting for it
        await shot(pilot, "find")
        await pilot.press("escape")

        await pilot.press("f")
        await shot(pilot, "followups")
        await pilot.press("escape")

        await pilot.press("ctrl+l")
        await sign_in(pilot, who.lead, who.lead_pin)
        await pilot.press("h")
        await shot(pilot, "handoffs")
        await pilot.press("escape")

        await pilot.press("l")
        for key, name in REVIEW_TABS:
            await pilot.press(key)
            await shot(pilot, f"review_{name}")
        await pilot.press("l")
        await shot(pilot, "audit_log")
        await pilot.press("escape")
        await pilot.press("escape")

        await pilot.press("s")
        await shot(pilot, "staff_admin")
        await pilot.press("escape")

        await pilot.press("o")
        await shot(pilot, "shop_settings")


async def kiosk_tour(app: KioskApp) -> None:
    """The customer's path through the kiosk at 80x24: welcome, choice, thank-you."""
    async with app.run_test(size=KIOSK_SIZE) as pilot:
        await settle(pilot)
        await save(pilot, "kiosk_welcome")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "Zoë")
        await pilot.press("enter")
        await save(pilot, "kiosk_choice")
        await pilot.press("2")
        await save(pilot, "kiosk_thanks")


async def mail_preview_tour(app: CounterApp, ctx: ShopContext, pins: dict[str, str]) -> None:
    """The email a thank-you sends, as its owner sees it before it goes (Esc: nothing sent)."""
    people = staff.list_staff(ctx)
    lead = next(person for person in people if person.role == "lead")
    mail = {"mail.host": "smtp.example.com", "mail.sender": "shop@example.com"}
    shop_settings.change(ctx, Actor(lead.id, lead.name, lead.role), mail)
    for person in people:
        if person.name not in pins:
            continue
        mine = followups.my_followups(ctx, Actor(person.id, person.name, person.role))
        items = [*mine.overdue, *mine.due_today, *mine.upcoming]
        emailed = [item for item in items if item.kind == "thank_you" and item.channel == "email"]
        if emailed:
            break
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, person.name, pins[person.name])
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        while (selected := screen.selected()) is None or selected.id != emailed[0].id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Emailed the thank-you")
        await pilot.press("enter")
        await save(pilot, "mail_preview")
        await pilot.press("escape")


def main() -> int:
    """Build the demo shop in a temporary database and take the screenshots."""
    os.environ["COUNTER_TUI_CONFIG"] = os.devnull  # never the developer's own settings
    OUTPUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="counter-tui-screenshots-") as directory:
        settings = Settings(
            database_url=f"sqlite:///{Path(directory) / 'demo.sqlite3'}",
            shop=ShopSettings(name="Corner Shop", timezone="Europe/London"),
        )
        ctx = open_shop(settings, clock=fixed_clock(MOMENT), create=True)
        try:
            pins = build_demo_shop(ctx)
            app = CounterApp(ctx, demo_pins=pins, live=False)
            who = Staff(ctx, pins)
            asyncio.run(tour(app, who))
            asyncio.run(tour(CounterApp(ctx, demo_pins=pins, live=False), who, SMALL_SIZE, "_80x24"))
            asyncio.run(kiosk_tour(KioskApp(ctx, "door")))
            asyncio.run(mail_preview_tour(CounterApp(ctx, demo_pins=pins, live=False), ctx, pins))
        finally:
            ctx.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
