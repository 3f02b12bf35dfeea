"""Print the README's table of keys, read from the bindings in the code.

README.md holds this table between the KEYS TABLE markers; a test checks they match,
so the documented keys cannot drift from the real ones. Run it after changing a
binding and paste its output into README.md (or pass --write to do that). The rows
come from `counter_tui.key_table`, which `counter-tui keys` uses too.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from counter_tui.key_table import rows

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- KEYS TABLE START -->", "<!-- KEYS TABLE END -->"


def table() -> str:
    """The whole block, markers included."""
    return "\n".join([START, *rows(), END])


def main() -> None:
    """Print the table, or write it into README.md with --write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args()
    if not args.write:
        print(table())
        return
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    README.write_text(before + table() + after, encoding="utf-8")


if __name__ == "__main__":
    main()
