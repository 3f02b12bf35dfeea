"""Memory over a long shift: the staff app driven round its screens by keys, its resident
memory printed as it goes, to show whether anything grows with use.

The real `counter-tui --db URL` runs under a pseudo-terminal (120x40) on a demo shop
(built with `counter-tui demo --build-only`). One loop, by keys as a person types them:
sign in as Dana (a shift lead), the floor board, open the highlighted customer and go
back, find a customer by typing a name and go back, the follow-ups and back, the lead
review through its seven tabs and back, lock and sign in again, and sign out (or lock,
when Dana still has customers and signing out is refused). Each screen counts as
reached when its text is painted and the terminal then stays quiet.

Printed: the resident memory (VmRSS) after sign-in, then every `--every` loops, the
growth per loop over the first and the second half of the run (the first loops warm
caches up; a leak shows as a steady growth in the second half), and the memory after a
pause without a key at the end, as between customers. In the same batch, a
minimal Textual app (Header, a 50-row DataTable, Footer) is measured, idle and after as
many cursor keys as the staff app got. Last, the floor under the staff app's memory: the
modules it had loaded by the end (it writes their names on SIGUSR1, `LAUNCHER`), imported
into a fresh interpreter that runs nothing. Figures only, no assertions:

    .venv/bin/python benchmarks/bench_soak.py [--loops 40 | --minutes 5] [--every 5] [--db PATH]

`--db` may be a large shop from `bench_large_shop.py --build-only` (a few walk-ins are
added when nobody is in); Dana (a shift lead, PIN 1111) signs in.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from bench_floor import ANSI, Terminal
from bench_large_shop import compiled_as_installed
from bench_startup import MINIMAL_APP, build_demo, resident_mib

LEAD, PIN = "dana", "1111"
SIGN_IN = "Who are you?"
FLOOR = "· lead"
"""On the floor board's header (Dana's name and role), painted again on coming back to it."""
QUIET_PAUSE_SECONDS = 12.0
"""A pause at the end, as between customers: the loops seldom leave the app a quiet moment
(`quiet_collections.QUIET_SECONDS`), at which it collects and gives freed memory back (at
most every 10 s, `free_memory.AT_MOST_EVERY_SECONDS`)."""
KEYS_PER_LOOP = 20
"""Roughly the keys one loop presses, given to the minimal app too."""
LAUNCHER = """
import signal, sys
names = sys.argv[1]
def write_modules(*_):
    with open(names, "w") as out:
        out.write("\\n".join(sorted(sys.modules)))
signal.signal(signal.SIGUSR1, write_modules)
sys.argv = ["counter-tui", *sys.argv[2:]]
from counter_tui.cli import main
main()
"""
"""The staff app as `counter-tui` runs it, writing the names of its loaded modules on SIGUSR1."""
IMPORT_ONLY = """
import importlib, sys
for name in open(sys.argv[1]).read().split():
    if name != "__main__" and name not in sys.modules:
        try:
            importlib.import_module(name)
        except Exception:
            pass
resident = [line for line in open("/proc/self/status") if line.startswith("VmRSS")][0]
print(len(sys.modules), resident.split()[1])
"""
"""Imports the modules named in a file, then prints how many are loaded and the KiB resident."""


def with_open_visits(database: Path) -> None:
    """A shop with nobody in (a large shop as `bench_large_shop.py` builds it) gets a few
    walk-ins, every other one served by Priya, so that the loop has a customer to open."""
    with closing(sqlite3.connect(database)) as connection:
        if connection.execute("SELECT count(*) FROM visit WHERE ended_at IS NULL").fetchone()[0]:
            return
    from sqlmodel import select

    from counter_tui.bootstrap import open_shop
    from counter_tui.config import load_settings
    from counter_tui.db.models import Staff
    from counter_tui.services import visits
    from counter_tui.services.context import Actor

    ctx = open_shop(load_settings(database_url=f"sqlite:///{database}"))
    with ctx.database.read() as session:
        priya = Actor.of(session.exec(select(Staff).where(Staff.name == "Priya")).one())
    for n in range(30):
        visits.new_walk_in(ctx, priya, description=f"walk-in {n}", claim=n % 2 == 1)
    ctx.database.dispose()


def settle(terminal: Terminal, painted: str | None = None) -> None:
    """Wait until `painted` is on screen (if given), then until the terminal is quiet."""
    if painted is not None:
        try:
            terminal.until(painted, timeout=30)
        except SystemExit:
            raise SystemExit(f"never painted {painted!r}:\n" + ANSI.sub("", terminal.seen)[-1500:]) from None
    terminal.drain(0.15)


def keep_reading(terminal: Terminal, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
    """Read what the app draws for `seconds`, or until `until()` is true: not until the
    terminal is quiet, which it never is while a cursor blinks."""
    ends = time.monotonic() + seconds
    while not until() and time.monotonic() < ends:
        terminal.drain(0.05)


def press(terminal: Terminal, keys: str, painted: str | None = None) -> None:
    """Type `keys` and wait for the frame they lead to."""
    terminal.send(keys)
    settle(terminal, painted)


def sign_in(terminal: Terminal) -> None:
    """Pick Dana on the sign-in screen and type her PIN; the floor board (or the screen
    she left when the terminal locked) follows."""
    press(terminal, LEAD)
    press(terminal, "\r")
    press(terminal, PIN)
    press(terminal, "\r", FLOOR)


def one_loop(terminal: Terminal) -> None:
    """Sign in, round the screens, lock, sign in again, sign out."""
    sign_in(terminal)
    press(terminal, "\r", "Needs")  # open the highlighted customer
    press(terminal, "\x1b", FLOOR)
    press(terminal, "/", "Find customer")
    press(terminal, "an")
    press(terminal, "\x1b", FLOOR)
    press(terminal, "f", "Follow-ups")
    press(terminal, "\x1b", FLOOR)
    press(terminal, "l", "Lead review")
    for tab in "1234567":
        press(terminal, tab)
    press(terminal, "\x1b", FLOOR)
    press(terminal, "\x0c", SIGN_IN)  # ctrl+l: lock
    sign_in(terminal)
    signing_out = len(terminal.seen)
    terminal.send("\x0f")  # ctrl+o: sign out, refused while Dana still has customers
    keep_reading(terminal, 1.0, until=lambda: SIGN_IN in terminal.seen[signing_out:])
    if SIGN_IN not in terminal.seen[signing_out:]:
        press(terminal, "\x0c", SIGN_IN)


def minimal_app(keys: int) -> tuple[float, float]:
    """A minimal Textual app's resident MiB once painted, and after `keys` cursor keys."""
    terminal = Terminal([sys.executable, str(MINIMAL_APP)])
    try:
        settle(terminal, "row 30")
        idle = resident_mib(terminal.child.pid)
        for n in range(keys):
            terminal.send("\x1b[B" if n % 60 < 30 else "\x1b[A")
            terminal.drain(0.01)
        terminal.drain(0.3)
        return idle, resident_mib(terminal.child.pid)
    finally:
        terminal.close()


def growth(points: list[tuple[int, float]]) -> float:
    """MiB per loop between the first and the last point (0 with fewer than two)."""
    if len(points) < 2 or points[-1][0] == points[0][0]:
        return 0.0
    return (points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0])


def soak(database: Path, loops: int, minutes: float, every: int, modules: Path) -> int:
    """Run the loops (or the minutes) and print resident memory as it goes; the loops done.
    At the end the app writes the names of the modules it loaded into `modules`."""
    compiled_as_installed()
    terminal = Terminal([sys.executable, "-P", "-c", LAUNCHER, str(modules), "--db", f"sqlite:///{database}"])
    pid = terminal.child.pid
    try:
        settle(terminal, "Dana")
        print(f"  sign-in screen: {resident_mib(pid):6.1f} MiB", flush=True)
        points: list[tuple[int, float]] = []
        started = time.monotonic()
        done = 0
        while (minutes and time.monotonic() - started < minutes * 60) or (not minutes and done < loops):
            one_loop(terminal)
            done += 1
            if done == 1 or done % every == 0:
                rss = resident_mib(pid)
                points.append((done, rss))
                elapsed = time.monotonic() - started
                print(f"  loop {done:4d}  {elapsed:6.0f} s  {rss:6.1f} MiB", flush=True)
        half = [point for point in points if point[0] >= done / 2]
        print(f"  growth per loop, whole run:   {growth(points) * 1024:7.1f} KiB")
        print(f"  growth per loop, second half: {growth(half) * 1024:7.1f} KiB")
        minutes_run = (time.monotonic() - started) / 60
        print(f"  at the end: {resident_mib(pid):.1f} MiB after {done} loops, {minutes_run:.1f} min")
        keep_reading(terminal, QUIET_PAUSE_SECONDS)
        print(f"  after {QUIET_PAUSE_SECONDS:.0f} s without a key: {resident_mib(pid):.1f} MiB")
        os.kill(pid, signal.SIGUSR1)
        keep_reading(terminal, 10, until=modules.exists)
        return done
    finally:
        terminal.close()


def main(argv: list[str] | None = None) -> None:
    """Soak the staff app, then measure the minimal app, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loops", type=int, default=40, help="loops round the screens")
    parser.add_argument("--minutes", type=float, default=0, help="run this long instead of --loops")
    parser.add_argument("--every", type=int, default=5, help="print memory every this many loops")
    parser.add_argument("--db", type=Path, help="a demo shop to use (built there if missing)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="counter-tui-soak-") as folder:
        os.environ["COUNTER_TUI_CONFIG"] = str(Path(folder) / "no-config.toml")  # never the user's own
        os.environ["TERM"] = "xterm-256color"
        database = (args.db or Path(folder) / "demo.sqlite3").resolve()
        if not database.exists():
            build_demo(database, dict(os.environ))
        with_open_visits(database)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        shop = f"the shop {args.db}" if args.db else "a demo shop"
        print(f"Soak on {shop} (load average {load:.1f} on {os.cpu_count()} CPUs):")
        print("counter-tui:")
        modules = Path(folder) / "modules.txt"
        done = soak(database, args.loops, args.minutes, max(1, args.every), modules)
        idle, used = minimal_app(done * KEYS_PER_LOOP)
        print("minimal Textual app (same batch):")
        print(f"  painted: {idle:6.1f} MiB   after {done * KEYS_PER_LOOP} cursor keys: {used:6.1f} MiB")
        if modules.exists():
            count, kib = subprocess.run(
                [sys.executable, "-P", "-c", IMPORT_ONLY, str(modules)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            print("the staff app's modules alone (imported into a fresh interpreter, nothing run):")
            print(f"  {count} modules: {int(kib) / 1024:6.1f} MiB")


if __name__ == "__main__":
    main()
