"""Raise the coverage floor to what a whole run measured; never lower it.

The floor is `fail_under` in pyproject.toml's [tool.coverage.report]: a whole run below it
fails. `bash scripts/test.sh` runs this script after a whole run that passed with the
PostgreSQL tests (and not in CI, which only checks); commit the raised floor. By hand:
`.venv/bin/python scripts/coverage_floor.py` reads the total from the run's `.coverage`
file, `--total 96.13` takes that figure instead. The new floor is the total less
HEADROOM, rounded down to a tenth, so the next run's small differences (a race won the
other way, a retry not needed) do not fail it.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tomllib
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
HEADROOM = Decimal("0.1")
SECTION = "[tool.coverage.report]"
FAIL_UNDER = re.compile(r"^fail_under\s*=\s*[0-9.]+[ \t]*$", re.MULTILINE)


def raised_floor(total: float, floor: float) -> Decimal:
    """The floor after a run that measured `total` percent: the total less HEADROOM,
    rounded down to a tenth, or the present `floor` when that is higher."""
    candidate = (Decimal(str(total)) - HEADROOM).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    return max(Decimal(str(floor)), candidate)


def current_floor(pyproject: str) -> float:
    """The floor that pyproject.toml's text sets (0 when it sets none)."""
    report = tomllib.loads(pyproject).get("tool", {}).get("coverage", {}).get("report", {})
    return float(report.get("fail_under", 0))


def with_floor(pyproject: str, floor: Decimal) -> str:
    """pyproject.toml's text with the floor set to `floor`, the rest untouched; refuses
    (ValueError) to lower it, and to write into a file without the floor's line."""
    if floor < Decimal(str(current_floor(pyproject))):
        raise ValueError(f"the coverage floor only goes up: {floor} is below {current_floor(pyproject)}")
    start = pyproject.find(SECTION)
    if start < 0:
        raise ValueError(f"pyproject.toml has no {SECTION} section")
    end = pyproject.find("\n[", start + len(SECTION))
    end = len(pyproject) if end < 0 else end
    section, found = FAIL_UNDER.subn(f"fail_under = {floor}", pyproject[start:end], count=1)
    if not found:
        raise ValueError(f"{SECTION} has no fail_under line")
    return pyproject[:start] + section + pyproject[end:]


def measured_total() -> float:
    """The total percentage of the `.coverage` data in the working directory."""
    import coverage

    measured = coverage.Coverage(config_file=str(PYPROJECT))
    measured.load()
    return float(measured.report(file=io.StringIO()))


def main(argv: list[str] | None = None) -> int:
    """Raise the floor in pyproject.toml when the total allows, and say what was done."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=float, help="the measured total (default: read .coverage)")
    args = parser.parse_args(argv)
    total = measured_total() if args.total is None else args.total
    text = PYPROJECT.read_text(encoding="utf-8")
    old = Decimal(str(current_floor(text)))
    new = raised_floor(total, float(old))
    if new == old:
        print(f"Coverage {total:.2f}%: the floor stays at {old}%.")
        return 0
    PYPROJECT.write_text(with_floor(text, new), encoding="utf-8")
    print(f"Coverage {total:.2f}%: floor raised from {old}% to {new}% in pyproject.toml; commit it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
