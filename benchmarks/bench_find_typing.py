"""Typing in find-customer as a person sees it, beside a minimal Textual search screen.

Real processes under pseudo-terminals (120x40) on one shop (`--db`, e.g. the 1M shop of
`bench_large_shop.py --build-only`): the staff app (`counter-tui --db URL`, signed in,
on find-customer) and `minimal_search_app.py` (an Input and a table filled by the same
`find_customers` call in a thread). Each query is typed into the empty box as one
burst, as a fast typist or a paste; the time is from that write to the frame that
paints the first result on screen (then Ctrl+U empties the box for the next). The two
apps take turns, query by query, so both see the same machine load. Figures only, no assertions:

    .venv/bin/python benchmarks/bench_find_typing.py --db /tmp/shop1m.sqlite3 [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench_floor import Terminal, figures
from bench_large_shop import staff_app_command

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.services import customers
from counter_tui.services.context import ShopContext

CLEAR = "\x15"  # Ctrl+U: delete everything left of the cursor


def queries(ctx: ShopContext) -> list[tuple[str, str]]:
    """(label, typed): a common surname prefix and surname, a phone and an email as on
    file for one customer, and one letter."""
    someone = customers.find_customers(ctx, "olivia sm").items[-1]
    return [
        ("'smi'", "smi"),
        ("'smith'", "smith"),
        (f"phone {someone.phone!r}", someone.phone),
        (f"email {someone.email!r}", someone.email),
        ("'o'", "o"),
    ]


def first_result(ctx: ShopContext, typed: str) -> str:
    """The name the first row of results shows for `typed`."""
    return customers.find_customers(ctx, typed).items[0].name


def staff_app_on_find(url: str) -> Terminal:
    """The staff app, Dana signed in, on find-customer with the first page shown."""
    terminal = Terminal([*staff_app_command(), "--db", url])
    terminal.until("Dana", timeout=120)
    terminal.drain()
    for keys in ("dana", "\r", "1111"):
        terminal.send(keys)
        terminal.drain(0.3)
    terminal.send("\r")
    terminal.until("Signed in as Dana", timeout=60)
    terminal.drain(0.5)
    terminal.send("/")
    return terminal


def type_query(terminal: Terminal, typed: str, shows: str, everyone: str) -> float:
    """Type `typed` into the empty box; seconds until `shows` is painted. Then clear the
    box again and wait for the first page of everyone."""
    pressed = terminal.send(typed)
    painted = terminal.until(shows, timeout=60)
    terminal.drain(0.2)
    terminal.send(CLEAR)
    terminal.until(everyone, timeout=60)
    terminal.drain(0.2)
    return painted - pressed


def main() -> None:
    """Start both apps, type each query into each in turn, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a shop built by bench_large_shop.py")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    os.environ["COUNTER_TUI_CONFIG"] = str(Path(tempfile.mkdtemp()) / "no-config.toml")
    url = f"sqlite:///{args.db.resolve()}"
    ctx = open_shop(load_settings(database_url=url))
    asked = [(label, typed, first_result(ctx, typed)) for label, typed in queries(ctx)]
    everyone = first_result(ctx, "")
    minimal_script = Path(__file__).with_name("minimal_search_app.py")
    apps = {
        "counter-tui": staff_app_on_find(url),
        "minimal": Terminal([sys.executable, str(minimal_script), url]),
    }
    times: dict[tuple[str, str], list[float]] = {}
    try:
        for terminal in apps.values():
            terminal.until(everyone, timeout=120)
            terminal.drain(0.5)
        for _ in range(args.rounds):
            for label, typed, shows in asked:
                for name, terminal in apps.items():
                    times.setdefault((label, name), []).append(type_query(terminal, typed, shows, everyone))
    finally:
        for terminal in apps.values():
            terminal.close()
    print(f"Typing in find-customer, {args.db} (burst typed -> first result painted):")
    for label, _, _ in asked:
        for name in apps:
            figures(f"{label:<32} {name}", times[(label, name)])


if __name__ == "__main__":
    main()
