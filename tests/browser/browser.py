"""Helpers for the browser tests: `counter-tui serve` as a real process, and a page in a
real headless Chromium (the system's, through Playwright) whose terminal text can be read.

textual-serve draws the app with xterm.js on a canvas, so the page's DOM holds no text.
An init script catches the xterm.js `Terminal` as textual-serve's page stores it, and
`BrowserTerminal.text()` reads its buffer: exactly the characters the browser shows.
Waiting is for text to appear, with a generous timeout: a test goes on the moment the
text is there and fails only if it never comes. Nothing here sleeps for timing.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from playwright.async_api import Page, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tests.concurrency.line_process import LineProcess

CHROMIUM = os.environ.get("COUNTER_TUI_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WAIT_MS = 60_000
STOP_WAIT_SECONDS = 60

#: Keeps the xterm.js Terminal textual-serve's page makes, and reads its screen as text.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    if (value && value.buffer && !window.__counterTerminal) {
      window.__counterTerminal = value;
      value.onWriteParsed(() => {
        for (const line of window.__counterScreen().split("\\n")) window.__counterSeen.add(line.trim());
      });
    }
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
  },
});
window.__counterSeen = new Set();
window.__counterScreen = () => {
  const terminal = window.__counterTerminal;
  if (!terminal) return "";
  const lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = terminal.buffer.active.getLine(row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
};
"""


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver; .ci/run does)"
    return None


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServedApp(LineProcess):
    """`counter-tui --db URL serve --port PORT ARGS…`, started and ready for browsers."""

    def __init__(self, url: str, *args: str) -> None:
        self.port = free_port()
        super().__init__("counter_tui", "--db", url, "serve", "--port", str(self.port), *args)
        first = self.read_line()
        assert first.startswith("Serving"), first
        self.url = f"http://127.0.0.1:{self.port}/"

    def session_pids(self) -> list[int]:
        """The app processes it runs, one per connected browser."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return children

    def stop(self) -> int:
        """SIGTERM it and wait for it to end; its exit code."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_WAIT_SECONDS)


@contextmanager
def served(url: str, *args: str) -> Iterator[ServedApp]:
    """A running server, killed afterwards if a test left it running."""
    server = ServedApp(url, *args)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.kill()


class BrowserTerminal:
    """One browser page on the served app: keys in, the terminal's text out."""

    def __init__(self, page: Page) -> None:
        self.page = page

    async def text(self) -> str:
        """What the page's terminal shows now, one line a row."""
        return str(await self.page.evaluate("window.__counterScreen()"))

    async def wait_for(self, *texts: str) -> str:
        """Wait until the terminal shows every one of `texts`; then its text."""
        try:
            await self.page.wait_for_function(
                "texts => window.__counterScreen && texts.every(t => window.__counterScreen().includes(t))",
                arg=list(texts),
                timeout=WAIT_MS,
            )
        except PlaywrightTimeout:
            now = await self.text()
            seen = await self.page.evaluate("Array.from(window.__counterSeen)")
            gone = "\n".join(line for line in seen if line and line not in now)
            raise AssertionError(
                f"the browser never showed {texts}; it shows:\n{now}\nand showed before:\n{gone}"
            ) from None
        return await self.text()

    async def type(self, text: str) -> None:
        """Type `text` as keys."""
        await self.page.keyboard.type(text)

    async def press(self, *keys: str) -> None:
        """Press keys by Playwright's names (`Enter`, `Control+q`, `s`)."""
        for key in keys:
            await self.page.keyboard.press(key)


@asynccontextmanager
async def browser_on(url: str) -> AsyncIterator[BrowserTerminal]:
    """A headless Chromium page showing the served app, its terminal focused for typing."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = await browser.new_page(viewport={"width": 1200, "height": 800}, accept_downloads=True)
            await page.add_init_script(CATCH_TERMINAL)
            await page.goto(url)
            await page.wait_for_function("() => window.__counterTerminal !== undefined", timeout=WAIT_MS)
            await page.focus("textarea.xterm-helper-textarea")
            yield BrowserTerminal(page)
        finally:
            await browser.close()
