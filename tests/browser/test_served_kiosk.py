"""The kiosk served to a real browser: the check-in flow, the lockdown (Textual's quit keys
do nothing, and `TEXTUAL*` variables in the server's environment never reach the kiosk),
and the server stopping cleanly on SIGTERM with the kiosk connected."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeout
from sqlmodel import select

from counter_tui.bootstrap import open_shop
from counter_tui.db.models import Visit
from tests.browser.browser import BrowserTerminal, browser_on, served
from tests.browser.conftest import BrowserShop
from tests.conftest import make_settings

WELCOME = "Press Enter to start"
PROBES = 20
PROBE_WAIT_MS = 5_000


async def type_when_focused(browser: BrowserTerminal, name: str) -> None:
    """Type `name` into the name box once it has focus: keys that reach a screen before its
    box is focused are dropped (a person does not type within milliseconds of a screen
    appearing; a test does), so the first letter is pressed until the box shows it."""
    first, rest = name[0], name[1:]
    for _ in range(PROBES):
        await browser.press(first)
        try:
            await browser.page.wait_for_function(
                "t => window.__counterScreen().split('\\n').some(l => l.replace(/[┃\\s]/g, '') === t)",
                arg=first,
                timeout=PROBE_WAIT_MS,
            )
        except PlaywrightTimeout:
            continue
        await browser.type(rest)
        await browser.wait_for(name)
        return
    raise AssertionError(f"the name box never took a key; the browser shows:\n{await browser.text()}")


def kiosk_visits(url: str) -> list[tuple[str, str | None, int | None]]:
    """(description, source, owner) of every visit the kiosk created."""
    ctx = open_shop(make_settings(url), migrate=False)
    try:
        with ctx.database.read() as session:
            rows = session.exec(select(Visit).where(Visit.source == "kiosk door")).all()
            return [(visit.description, visit.source, visit.owner_id) for visit in rows]
    finally:
        ctx.database.dispose()


async def test_a_customer_checks_in_at_the_served_kiosk_which_stays_locked(
    browser_shop: BrowserShop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    # Each would end or open up a kiosk if it reached it: a screenshot, then exit; keys
    # pressed at start; the devtools.
    monkeypatch.setenv("TEXTUAL_SCREENSHOT", "0")
    monkeypatch.setenv("TEXTUAL_SCREENSHOT_LOCATION", str(shots))
    monkeypatch.setenv("TEXTUAL_PRESS", "f12")
    monkeypatch.setenv("TEXTUAL", "debug,devtools")
    with served(browser_shop.url, "--kiosk", "door") as server:
        async with browser_on(server.url) as browser:
            await browser.wait_for(WELCOME)
            await browser.press("Control+q", "Control+c", "Control+p")
            await browser.press("Enter")
            await browser.wait_for("first name")
            await type_when_focused(browser, "Ann")
            await browser.press("Enter")
            # A person reads the choices before pressing one; a "1" pressed within
            # milliseconds of Enter reached the name screen and was dropped (CI, load 8).
            await browser.wait_for("Hi Ann!", "Browse on my own")
            await browser.press("1")
            await browser.wait_for("Thank you, Ann!")
            [session] = server.session_pids()
            assert server.stop() == 0
            await browser.page.wait_for_selector("body.-closed .closed-dialog", state="visible")
        assert not Path(f"/proc/{session}").exists()
    assert kiosk_visits(browser_shop.url) == [("Ann", "kiosk door", None)]
    assert list(shots.iterdir()) == []
