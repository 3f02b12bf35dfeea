"""Start-up as a person sees it: `counter-tui` and a minimal Textual app, side by side.

Each run, in one batch and alternating, spawns under a pseudo-terminal (pexpect, 120×40):

- a minimal Textual app (Header, a 50-row DataTable, Footer: `minimal_textual_app.py`),
  timed from launch to its first painted frame;
- the real `counter-tui --db URL` on a demo shop, timed from launch to the first
  painted sign-in frame ("Who are you?") and to the staff names on it;

and reads each process's resident memory at its first frame. It also times
`counter-tui --help` and `python -c pass` (the interpreter's own floor), and signing in
as a person does it at a terminal waiting for them (the shop open, the app idle): the
name and PIN typed a key every 120 ms, then Enter, timed from that Enter to the frame
painting the floor board's rows (its summary line "… in the shop · …"), with the CPU
time the app used meanwhile (a busy machine sways it less than the wall time). Printed: median
and p95 over the runs, and the ratio of counter-tui's first frame to the minimal app's.
`--profile PATH` also signs in once more under cProfile (the app's UI thread, from the
PIN's Enter to the painted board; argon2 on a worker thread is not in it) and prints
the heaviest calls. Figures only, no assertions:

    .venv/bin/python benchmarks/bench_startup.py [--runs 10] [--db PATH] [--profile PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_floor import Terminal
from bench_large_shop import ANSI, staff_app_command

from counter_tui.demo.data import DEMO_STAFF

MINIMAL_APP = Path(__file__).with_name("minimal_textual_app.py")
MINIMAL_MARKER = "row 30"  # a row of the table low on a 40-line screen: there once painted
SIGN_IN_MARKER = "Who are you?"
STAFF_NAMES = [name for name, _, _ in DEMO_STAFF]
LEAD, LEAD_PIN = "dana", "1111"
FLOOR_MARKER = "in the shop ·"  # the floor board's summary line, painted with its rows
KEY_GAP = 0.12  # seconds between a person's keys


@dataclass
class Start:
    """One launch: seconds to the first frame, to the data on it, and MiB resident then."""

    first_frame: float
    data: float
    rss_mib: float


@dataclass
class Series:
    """Repeated figures of one kind."""

    label: str
    values: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.values)

    def p95(self) -> float:
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def line(self, unit: str = "s", scale: float = 1.0) -> str:
        return (
            f"  {self.label:<44} median {self.median() * scale:7.3f} {unit}   "
            f"p95 {self.p95() * scale:7.3f} {unit}   (n={len(self.values)})"
        )


def resident_mib(pid: int) -> float:
    """The resident memory of process `pid` in MiB (Linux), or 0 when unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def launch(command: list[str], first: str, then: list[str], environment: dict[str, str]) -> Start:
    """Spawn `command` under a pseudo-terminal; seconds until `first` is on screen, until
    every text of `then` is too, and the resident memory when `first` appeared."""
    import pexpect

    started = time.perf_counter()
    child = pexpect.spawn(command[0], command[1:], env=environment, dimensions=(40, 120), encoding="utf-8")
    screen = ""
    first_frame = data = rss = 0.0
    deadline = started + 60
    try:
        while time.perf_counter() < deadline and not data:
            try:
                screen += child.read_nonblocking(size=65536, timeout=0.01)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
            plain = ANSI.sub("", screen)
            if not first_frame and first in plain:
                first_frame = time.perf_counter() - started
                rss = resident_mib(child.pid)
            if first_frame and all(text in plain for text in then):
                data = time.perf_counter() - started
    finally:
        child.close(force=True)
    if not data:
        raise SystemExit(f"{' '.join(command)} never showed {first!r}:\n" + ANSI.sub("", screen)[-2000:])
    return Start(first_frame, data, rss)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time process `pid` has used, all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(terminal: Terminal, most: float = 30.0) -> None:
    """Wait until the app has used no CPU for half a second (at most `most` seconds)."""
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        used = cpu_seconds(terminal.child.pid)
        terminal.drain(0.5)
        if cpu_seconds(terminal.child.pid) - used < 0.02:
            return


def sign_in_to_floor(command: list[str], profile: str = "") -> tuple[float, float]:
    """Seconds from the Enter after a typed PIN to the painted floor board, and the CPU
    seconds the app used meanwhile (less swayed by a busy machine than the wall time).
    With `profile`, `command` is `PROFILED_APP`'s: its profile of that span goes there."""
    import signal

    terminal = Terminal(command)
    try:
        terminal.until(STAFF_NAMES[-1], timeout=60)
        wait_idle(terminal)  # a terminal waiting for the next person, the shop open
        for key in [*LEAD, "\r", *LEAD_PIN]:
            terminal.send(key)
            terminal.drain(KEY_GAP)
        cpu = cpu_seconds(terminal.child.pid)
        if profile:
            terminal.child.kill(signal.SIGUSR2)
        pressed = terminal.send("\r")
        painted = terminal.until(FLOOR_MARKER, timeout=60)
        used = cpu_seconds(terminal.child.pid) - cpu
        if profile:
            terminal.child.kill(signal.SIGUSR1)
            deadline = time.monotonic() + 30
            while not Path(profile).exists() and time.monotonic() < deadline:
                terminal.drain(0.1)
        return painted - pressed, used
    finally:
        terminal.close()


def timed_run(command: list[str], environment: dict[str, str]) -> float:
    """Seconds a command takes to run to its end (its output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def build_demo(path: Path, environment: dict[str, str]) -> None:
    """A demo shop in `path`, built by the app's own command."""
    subprocess.run(
        [*staff_app_command(), "demo", "--build-only", str(path)],
        env=environment,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def main(argv: list[str] | None = None) -> None:
    """Launch both apps `--runs` times, alternating, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="launches of each app")
    parser.add_argument("--db", type=Path, help="a demo shop to use (built there if missing)")
    parser.add_argument("--profile", metavar="PATH", help="cProfile one more sign-in's UI thread into PATH")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="counter-tui-bench-") as folder:
        environment = {
            **os.environ,
            "TERM": "xterm-256color",
            "COUNTER_TUI_CONFIG": str(Path(folder) / "no-config.toml"),  # never the user's own
        }
        database = (args.db or Path(folder) / "demo.sqlite3").resolve()
        if not database.exists():
            build_demo(database, environment)
        os.environ.update(environment)  # for the sign-in's terminal
        counter_tui = [*staff_app_command(), "--db", f"sqlite:///{database}"]
        minimal = [sys.executable, str(MINIMAL_APP)]

        minimal_frame = Series("minimal Textual app: first frame")
        minimal_rss = Series("minimal Textual app: resident at first frame")
        app_frame = Series("counter-tui: first sign-in frame")
        app_names = Series("counter-tui: staff names on screen")
        app_gap = Series("counter-tui: names after the first frame")
        app_rss = Series("counter-tui: resident at first frame")
        sign_in = Series("counter-tui: PIN Enter to floor board painted")
        sign_in_cpu = Series("  CPU used by counter-tui meanwhile")
        help_time = Series("counter-tui --help")
        python_time = Series("python -c pass")
        for _ in range(args.runs):
            start = launch(minimal, MINIMAL_MARKER, [MINIMAL_MARKER], environment)
            minimal_frame.values.append(start.first_frame)
            minimal_rss.values.append(start.rss_mib)
            start = launch(counter_tui, SIGN_IN_MARKER, STAFF_NAMES, environment)
            app_frame.values.append(start.first_frame)
            app_names.values.append(start.data)
            app_gap.values.append(start.data - start.first_frame)
            app_rss.values.append(start.rss_mib)
            wall, cpu = sign_in_to_floor(counter_tui)
            sign_in.values.append(wall)
            sign_in_cpu.values.append(cpu)
            help_time.values.append(timed_run([*staff_app_command(), "--help"], environment))
            python_time.values.append(timed_run([sys.executable, "-c", "pass"], environment))

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Start-up, {args.runs} runs each, alternating (load average {load:.1f}):")
        for series in (minimal_frame, app_frame, app_names):
            print(series.line())
        print(app_gap.line("ms", 1000))
        print(sign_in.line("ms", 1000))
        print(sign_in_cpu.line("ms", 1000))
        ratio = app_frame.median() / minimal_frame.median()
        print(f"  {'ratio: counter-tui first frame / minimal app':<44} median {ratio:7.2f}")
        for series in (minimal_rss, app_rss):
            print(series.line("MiB"))
        for series in (help_time, python_time):
            print(series.line())
        if args.profile:
            profile_sign_in(counter_tui, args.profile)


def profile_sign_in(counter_tui: list[str], path: str) -> None:
    """Sign in once more with the app under cProfile; print the UI thread's heaviest calls."""
    import pstats

    from bench_sync import PROFILED_APP

    Path(path).unlink(missing_ok=True)
    wall, cpu = sign_in_to_floor([sys.executable, "-P", "-c", PROFILED_APP, path, *counter_tui[-2:]], path)
    print(f"Profiled sign-in ({path}): Enter to board {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms")
    if Path(path).exists():
        pstats.Stats(path).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
