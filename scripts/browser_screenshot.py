"""Make the README's browser screenshot: `counter-tui serve` on the demo shop, in Chromium.

Builds the demo shop in a temporary SQLite database, serves the staff app on a free port
of this computer, opens it in the system's headless Chromium (Debian package `chromium`,
driven by Playwright), signs in as Dana the way a person would (her name, Enter, her demo
PIN, Enter) and saves the floor board as screenshots/browser_floor.png. Run from the
repository:

    .venv/bin/python scripts/browser_screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.browser import browser_on, chromium_missing, served  # noqa: E402

OUT = REPO / "screenshots" / "browser_floor.png"


def build_demo(folder: Path) -> tuple[str, str]:
    """The demo shop's database URL, and Dana's demo PIN."""
    database = folder / "demo.sqlite3"
    printed = subprocess.run(
        [sys.executable, "-m", "counter_tui", "demo", "--build-only", str(database)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"Dana (\d+)", printed)
    assert found, printed
    return f"sqlite:///{database}", found.group(1)


async def shoot(url: str, pin: str) -> None:
    """Sign in as Dana in the browser and save the floor board."""
    with served(url) as server:
        async with browser_on(server.url) as browser:
            await browser.wait_for("Who are you?", "Dana")
            await browser.type("dana")
            await browser.press("Enter")
            await browser.type(pin)
            await browser.press("Enter")
            await browser.wait_for("Dana · lead", "Margaret O'Neill", "Thanks wall")
            await browser.page.screenshot(path=str(OUT))
        server.stop()


def main() -> None:
    """Build, serve, sign in, save."""
    missing = chromium_missing()
    if missing:
        sys.exit(f"Cannot take the browser screenshot: {missing}.")
    with tempfile.TemporaryDirectory(prefix="counter-tui-browser-") as folder:
        os.environ["XDG_STATE_HOME"] = folder  # the served app's logs stay out of yours
        url, pin = build_demo(Path(folder))
        asyncio.run(shoot(url, pin))
    print(f"Wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
