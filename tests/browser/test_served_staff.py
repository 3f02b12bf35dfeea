"""The staff app served to a real browser: sign in, claim a customer and see the claim on a
second, terminal client; a lead downloads the day's report and an export."""

from __future__ import annotations

import json

from sqlmodel import select
from textual.pilot import Pilot

from counter_tui.bootstrap import open_shop
from counter_tui.db.models import AuditEvent, Visit
from counter_tui.services.context import ShopContext
from counter_tui.services.exports import EXPORTED
from counter_tui.ui.app import CounterApp
from tests.browser.browser import BrowserTerminal, browser_on, served
from tests.browser.conftest import BrowserShop
from tests.conftest import make_settings
from tests.ui.staff_pilot import SIZE, settle, sign_in
from tests.ui.test_floor import OWNER, WHO, floor_rows

FEED_POLLS = 1200


def owner_of(ctx: ShopContext, visit_id: int) -> int | None:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.owner_id


def exports_recorded(url: str) -> list[tuple[str, str]]:
    """(what, where to) of every export in the audit trail."""
    ctx = open_shop(make_settings(url), migrate=False)
    try:
        with ctx.database.read() as session:
            events = session.exec(select(AuditEvent).where(AuditEvent.action == EXPORTED)).all()
            return [(json.loads(e.details)["what"], json.loads(e.details)["to"]) for e in events]
    finally:
        ctx.database.dispose()


async def browser_sign_in(browser: BrowserTerminal, name: str, pin: str) -> None:
    """Pick `name` on the sign-in screen, type the PIN, and wait for the floor board."""
    await browser.wait_for("Who are you?", name.capitalize())
    await browser.type(name)
    await browser.press("Enter")
    await browser.type(pin)
    await browser.press("Enter")
    await browser.wait_for("blue anorak")


async def wait_for_owner(pilot: Pilot[None], who: str, owner: str) -> None:
    """Wait until the terminal's floor board shows `owner` with `who` (its change feed
    reports the other terminal's claim)."""
    for _ in range(FEED_POLLS):
        if any(who in row[WHO] and owner in row[OWNER] for row in floor_rows(pilot.app)):  # type: ignore[arg-type]
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the terminal never showed {owner} with {who}: {floor_rows(pilot.app)}")  # type: ignore[arg-type]


async def test_a_claim_in_the_browser_shows_on_a_terminal(browser_shop: BrowserShop) -> None:
    terminal = open_shop(make_settings(browser_shop.url), migrate=False)
    try:
        app = CounterApp(terminal)
        with served(browser_shop.url) as server:
            async with app.run_test(size=SIZE) as pilot, browser_on(server.url) as browser:
                await sign_in(pilot, "dana", "1111")
                await browser_sign_in(browser, "sam", "2222")
                await browser.press("c")
                await wait_for_owner(pilot, "blue anorak", "Sam")
                assert owner_of(terminal, browser_shop.visit_id) == browser_shop.sam_id
                await settle(pilot)
            assert server.stop() == 0
    finally:
        terminal.database.dispose()


async def test_a_lead_downloads_the_day_report_and_exports(
    browser_shop: BrowserShop,
) -> None:
    with served(browser_shop.url) as server:
        async with browser_on(server.url) as browser:
            await browser_sign_in(browser, "dana", "1111")
            await browser.press("l", "7")
            await browser.wait_for("Unreturned calls", "s Download")
            async with browser.page.expect_download() as arriving:
                await browser.press("s")
            download = await arriving.value
            assert download.suggested_filename.startswith("day-report-")
            assert download.suggested_filename.endswith(".csv")
            content = (await download.path()).read_text(encoding="utf-8")
            assert content.splitlines()[0] == "section,who,item,value,target,met,detail"

            await browser.press("3")
            await browser.wait_for("e Export")
            async with browser.page.expect_download() as arriving:
                await browser.press("e")
            export = await arriving.value
            assert export.suggested_filename.startswith("followups-")
            header = (await export.path()).read_text(encoding="utf-8").splitlines()[0]
            assert header.startswith("Follow-up ID,Customer ID,Customer Name")

            await browser.press("7")
            await browser.wait_for("Unreturned calls", "s Download")
            await browser.press("w")
            await browser.wait_for("Download visits", "From (YYYY-MM-DD")
            async with browser.page.expect_download() as arriving:
                await browser.press("Enter")
            visits = await arriving.value
            assert visits.suggested_filename.startswith("visits-")
            header = (await visits.path()).read_text(encoding="utf-8").splitlines()[0]
            assert header.startswith("Visit ID,Arrived At,Customer ID")
        assert server.stop() == 0
    assert exports_recorded(browser_shop.url) == [
        ("followups", "a browser download"),
        ("visits", "a browser download"),
    ]
