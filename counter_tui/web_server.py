"""The web server behind `counter-tui serve`: textual-serve, quiet about personal data and
quick to stop.

textual-serve starts one app process per browser that connects. On top of it this server:
logs without the local variables textual-serve's handler prints in tracebacks (a name, a
PIN); says where it serves in the app's own words; and keeps track of every browser's
session, so that on SIGTERM or ctrl+c each app is asked to quit, killed if it has not
within a few seconds, and collected before the server exits (textual-serve alone kept a
connected browser's app running for the length of aiohttp's shutdown timeout, and left
the process uncollected). It follows textual-serve 1.1's `AppService` and websocket
handling (the browser tests exercise both).

Importing this module imports textual-serve and aiohttp, not Textual.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

LOG = logging.getLogger("counter_tui.serve")
STOP_GRACE_SECONDS = 5.0


class BrowserSession(AppService):
    """One browser's app process and websocket, which the server can close at any time."""

    def __init__(self, command: str, websocket: web.WebSocketResponse, server: Server) -> None:
        super().__init__(
            command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=self.close_browser,
            download_manager=server.download_manager,
        )
        self.websocket = websocket

    async def close_browser(self) -> None:
        """The app has stopped (a kiosk closed by a lead, the staff app quit): end the page's session."""
        await self.websocket.close()

    async def close(self) -> None:
        """Ask the app to quit, kill it if it has not within `STOP_GRACE_SECONDS`,
        collect the process, and close the browser's connection."""
        try:
            await asyncio.wait_for(self.stop(), STOP_GRACE_SECONDS)
        except TimeoutError:
            LOG.warning("a browser session did not stop when asked; stopping it")
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), STOP_GRACE_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
        await self.websocket.close(code=WSCloseCode.GOING_AWAY, message=b"The server is stopping.")


class CounterServer(Server):
    """textual-serve's server for the staff app or a kiosk (see the module docstring)."""

    def __init__(self, command: str, *, host: str, port: int, title: str, public_url: str | None) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.sessions: set[BrowserSession] = set()

    def initialize_logging(self) -> None:
        """Plain lines on stderr: no colours, and never a traceback's local variables."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        for name in ("textual-serve", "aiohttp", "counter_tui.serve"):
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        """Say what is served where, and how to stop it."""
        print(f"Serving the {self.title} at {self.public_url}; open it in a web browser.", flush=True)
        print("Stop with ctrl+c (or SIGTERM): browsers connected are signed off.", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every browser's session, so the server stops at once and leaves nothing running."""
        await asyncio.gather(*(session.close() for session in list(self.sessions)), return_exceptions=True)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser: start its app process and pass keys and screen between the two."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        session = BrowserSession(self.command, websocket, self)
        self.sessions.add(session)
        try:
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception:
            LOG.exception("a browser session failed")
        finally:
            await session.close()
            self.sessions.discard(session)
        return websocket
