"""The floor board as a person sees it: sign-in to board, cursor moves, and a claim made
elsewhere showing up, timed from the key press (or the claim) to the painted screen.

Real processes: `counter-tui --db URL` runs under a pseudo-terminal (120x40) on a shop
with 500 open visits, and the script reads what the app writes to its terminal. A frame
counts as painted when the bytes that draw it have arrived and the terminal then stays
quiet for a few milliseconds. In the same batch, a minimal Textual app (Header, a
DataTable of the same 500 rows, Footer) gets the same cursor keys, alternating with the
staff app, so both see the same machine load. Printed:

- sign-in: the PIN's Enter to the board's first row on screen (a fresh process, then
  again after signing out), the name and PIN typed at a fast typist's pace, as the
  floor's warm-up meanwhile assumes;
- cursor down: p50/p95 and the screen lines rewritten per key, staff app and minimal app;
- claim elsewhere: `claim_visit` called in this process (terminal A) to the claimed
  row, with the claimer's name, painted on the staff app (terminal B); SQLite and, with
  `--pg` or COUNTER_TUI_TEST_POSTGRES_URL, PostgreSQL.

Figures only, no assertions:

    .venv/bin/python benchmarks/bench_floor.py [--keys 80] [--claims 40] [--sign-ins 5] [--pg URL]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import select
import sys
import tempfile
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pexpect
from bench_large_shop import staff_app_command
from bench_sync import percentile, temporary_database

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.db.models import Staff, Visit
from counter_tui.services import staff, visit_views, visits
from counter_tui.services.context import Actor, ShopContext

OPEN_VISITS = 500
UNOWNED = 25
ROWS, COLUMNS = 40, 120
QUIET_SECONDS = 0.012
"""A frame is painted when the app then writes nothing for this long."""
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
PIN = "1234"
SIGNER, CLAIMER, SERVER = "Blake", "Quinn", "Robin"

MINIMAL_APP = textwrap.dedent(
    """
    import sys
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class MinimalBoard(App):
        BINDINGS = [("n", "bell", "New"), ("c", "bell", "Claim"), ("slash", "bell", "Find")]

        def compose(self):
            yield Header()
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Footer()

        def on_mount(self):
            table = self.query_one(DataTable)
            table.add_columns("!", "Customer", "Arrived", "Waiting", "With", "Needs")
            for n in range(int(sys.argv[1])):
                table.add_row("", f"visit {n:04d}", "20:41", "served 5 min", "Robin", "")
            table.focus()

    MinimalBoard().run()
    """
)


class Terminal:
    """A process under a pseudo-terminal, and the times at which its output arrived."""

    def __init__(self, argv: list[str], rows: int = ROWS, columns: int = COLUMNS) -> None:
        environment = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        self.child = pexpect.spawn(argv[0], argv[1:], env=environment, dimensions=(rows, columns))
        self.seen = ""

    def _chunk(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.child.child_fd], [], [], max(timeout, 0))
        if not ready:
            return None
        try:
            return os.read(self.child.child_fd, 1 << 20).decode("utf-8", "replace")
        except OSError:
            raise SystemExit("the app under test exited:\n" + ANSI.sub("", self.seen)[-2000:]) from None

    def drain(self, quiet: float = 0.05) -> None:
        """Read until nothing more comes for `quiet` seconds."""
        while (chunk := self._chunk(quiet)) is not None:
            self.seen += chunk

    def send(self, keys: str) -> float:
        """Write `keys` to the app; the monotonic time just before."""
        started = time.monotonic()
        os.write(self.child.child_fd, keys.encode())
        return started

    def burst(self, timeout: float = 5.0) -> tuple[str, float]:
        """The next frame: its text and when its last byte arrived."""
        first = self._chunk(timeout)
        if first is None:
            raise SystemExit(f"the app drew nothing within {timeout:.0f} s")
        text, last = first, time.monotonic()
        while (chunk := self._chunk(QUIET_SECONDS)) is not None:
            text, last = text + chunk, time.monotonic()
        self.seen += text
        return text, last

    def until(self, painted: str | re.Pattern[str], timeout: float = 30.0) -> float:
        """When the frame drawing `painted` (text, or a pattern on one line) was done."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text, last = self.burst(deadline - time.monotonic())
            if any(_shows(line, painted) for line in screen_lines(text)):
                return last
        raise SystemExit(f"never painted {painted!r}:\n" + ANSI.sub("", self.seen)[-2000:])

    def close(self) -> None:
        """End the process."""
        self.child.close(force=True)


def _shows(line: str, painted: str | re.Pattern[str]) -> bool:
    return painted in line if isinstance(painted, str) else painted.search(line) is not None


def screen_lines(text: str) -> list[str]:
    """The plain text written after each cursor move (a line, or part of one)."""
    return [ANSI.sub("", part) for part in MOVE.split(text)[3::3]]


def lines_touched(text: str) -> int:
    """How many distinct screen lines a frame wrote to."""
    return len({int(row) for row, _ in MOVE.findall(text)})


def build_shop(url: str) -> tuple[ShopContext, Actor, list[int]]:
    """Staff (PIN 1234) and 500 open visits: a few unowned (the oldest, claimed by the
    benchmark), the rest served by Robin. Returns the claimer and the unowned visits."""
    ctx = open_shop(load_settings(database_url=url), create=True)
    pin_hash = staff.hash_pin(PIN)
    now = ctx.now()
    with ctx.database.write() as session:
        people = {
            name: Staff(name=name, role="lead", pin_hash=pin_hash, created_at=now)
            for name in (SIGNER, CLAIMER, SERVER)
        }
        session.add_all(people.values())
        session.flush()
        rows = []
        for n in range(OPEN_VISITS):
            arrived = now - timedelta(minutes=20) + timedelta(seconds=2 * n)
            served = n >= UNOWNED
            rows.append(
                Visit(
                    description=f"visit {n:04d}",
                    arrived_at=arrived,
                    created_by=people[SERVER].id,
                    owner_id=people[SERVER].id if served else None,
                    claimed_at=arrived if served else None,
                    owner_since=arrived if served else None,
                )
            )
        session.add_all(rows)
        session.flush()
        claimer = Actor.of(people[CLAIMER])
        unowned = [row.id or 0 for row in rows[:UNOWNED]]
    return ctx, claimer, unowned


def staff_app(url: str, rows: int = ROWS, columns: int = COLUMNS) -> Terminal:
    """`counter-tui --db URL` on the sign-in screen, its staff list drawn."""
    terminal = Terminal([*staff_app_command(), "--db", url], rows, columns)
    terminal.until(SERVER, timeout=60)
    terminal.drain()
    return terminal


def sign_in(terminal: Terminal, first_row: str) -> float:
    """Pick Blake and type the PIN at a fast typist's pace (a key every `KEY_GAP` seconds
    at most), and time Enter to the board's first row painted."""
    for key in [*SIGNER.lower(), "\r", *PIN]:
        terminal.send(key)
        terminal.drain(KEY_GAP)
    pressed = terminal.send("\r")
    painted = terminal.until(first_row)
    terminal.drain(0.3)
    return painted - pressed


KEY_GAP = 0.12
"""Seconds between keys: about 100 words a minute, a fast typist at the counter."""


def sign_out(terminal: Terminal) -> None:
    """Ctrl+O, back to the sign-in screen."""
    terminal.send("\x0f")
    terminal.until("Who are you?")
    terminal.drain(0.3)


def figures(label: str, seconds: list[float], extra: str = "") -> None:
    """One printed line: p50, p95 and max in ms."""
    ms = [value * 1000 for value in seconds]
    print(
        f"  {label:<44} p50 {percentile(ms, 0.5):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms"
        f"  max {max(ms):7.1f} ms  (n={len(ms)}){extra}"
    )


def measure_sign_in(url: str, first_row: str, times: int) -> None:
    """Enter on the PIN to the floor board painted: first sign-in of a fresh app, then again."""
    fresh, again = [], []
    for _ in range(max(1, times // 2)):
        terminal = staff_app(url)
        try:
            fresh.append(sign_in(terminal, first_row))
            for _ in range(2):
                sign_out(terminal)
                again.append(sign_in(terminal, first_row))
        finally:
            terminal.close()
    figures("sign-in Enter -> board (fresh app)", fresh)
    figures("sign-in Enter -> board (signed in before)", again)


def measure_cursor(url: str, first_row: str, keys: int, folder: Path) -> None:
    """Cursor down on the board vs a minimal DataTable app with the same rows, alternating."""
    minimal_script = folder / "minimal_board.py"
    minimal_script.write_text(MINIMAL_APP)
    board = staff_app(url)
    minimal = Terminal([sys.executable, str(minimal_script), str(OPEN_VISITS)])
    try:
        sign_in(board, first_row)
        minimal.until("visit 0000")
        minimal.drain(0.3)
        results: dict[str, tuple[list[float], list[int]]] = {"staff app": ([], []), "minimal": ([], [])}
        for n in range(keys + 5):
            for name, terminal in (("staff app", board), ("minimal", minimal)):
                terminal.drain(0.01)
                pressed = terminal.send("\x1b[B")
                text, painted = terminal.burst()
                if n >= 5:  # the first few warm up both apps
                    results[name][0].append(painted - pressed)
                    results[name][1].append(lines_touched(text))
                time.sleep(random.uniform(0.02, 0.06))
        for name, (seconds, lines) in results.items():
            figures(f"cursor down, 500 rows: {name}", seconds, f"  lines/key p50 {percentile(lines, 0.5)}")
    finally:
        board.close()
        minimal.close()


def measure_claims(ctx: ShopContext, url: str, claimer: Actor, unowned: list[int], first_row: str) -> None:
    """A claim committed here (terminal A) to the row with the claimer's name painted on B."""
    board = staff_app(url)
    try:
        sign_in(board, first_row)
        seen = []
        for visit_id in unowned[1:]:
            time.sleep(random.uniform(0.05, 0.15))  # land anywhere in the feed's poll cycle
            board.drain(0.01)
            description = f"visit {unowned.index(visit_id):04d}"
            started = time.monotonic()
            visits.claim_visit(ctx, claimer, visit_id)
            painted = board.until(re.compile(rf"{description}.*{CLAIMER}"), timeout=10)
            seen.append(painted - started)
        figures(f"claim on A -> on B's screen ({ctx.database.url.split(':')[0]})", seen)
    finally:
        board.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=80, help="cursor presses per app")
    parser.add_argument("--sign-ins", type=int, default=6)
    parser.add_argument("--pg", default=os.environ.get("COUNTER_TUI_TEST_POSTGRES_URL"))
    parser.add_argument("--only", choices=("sign-in", "cursor", "claims"), default=None)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {OPEN_VISITS} open visits")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COUNTER_TUI_CONFIG"] = str(Path(folder) / "no-config.toml")
        for kind in ("sqlite", "postgresql"):
            if kind == "postgresql" and not args.pg:
                print("postgresql: skipped (no --pg URL and COUNTER_TUI_TEST_POSTGRES_URL unset)")
                continue
            with temporary_database(kind, args.pg) as url:
                ctx, claimer, unowned = build_shop(url)
                first_row = visit_views.floor_board(ctx)[0].who
                print(f"{kind}:")
                if kind == "sqlite" and args.only in (None, "sign-in"):
                    measure_sign_in(url, first_row, args.sign_ins)
                if kind == "sqlite" and args.only in (None, "cursor"):
                    measure_cursor(url, first_row, args.keys, Path(folder))
                if args.only in (None, "claims"):
                    measure_claims(ctx, url, claimer, unowned, first_row)
                ctx.database.dispose()


if __name__ == "__main__":
    main()
