"""The coverage floor only goes up: scripts/coverage_floor.py raises pyproject.toml's
fail_under to a run's total (less the headroom, rounded down to a tenth) and never lowers it."""

from __future__ import annotations

import importlib.util
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("coverage_floor", ROOT / "scripts" / "coverage_floor.py")
assert spec and spec.loader
coverage_floor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(coverage_floor)

PYPROJECT = """\
[tool.coverage.run]
source = ["counter_tui"]

# the floor
[tool.coverage.report]
fail_under = 95.0
precision = 2

[tool.ruff]
line-length = 110
"""


@pytest.mark.parametrize(
    ("total", "floor", "expected"),
    [
        (96.37, 95.0, "96.2"),  # less the headroom, rounded down to a tenth
        (96.10, 95.0, "96.0"),  # exactly on a tenth after the headroom: no float error
        (95.05, 95.0, "95.0"),  # not enough to raise it
        (90.00, 95.0, "95.0"),  # a lower total never lowers it
        (100.0, 99.95, "99.95"),
    ],
)
def test_the_floor_is_raised_to_the_total_less_headroom_and_never_lowered(
    total: float, floor: float, expected: str
) -> None:
    assert coverage_floor.raised_floor(total, floor) == Decimal(expected)


def test_writing_the_floor_changes_only_its_line() -> None:
    written = coverage_floor.with_floor(PYPROJECT, Decimal("96.2"))
    assert written == PYPROJECT.replace("fail_under = 95.0", "fail_under = 96.2")
    assert tomllib.loads(written)["tool"]["coverage"]["report"]["fail_under"] == 96.2


def test_writing_a_lower_floor_is_refused() -> None:
    with pytest.raises(ValueError, match="only goes up"):
        coverage_floor.with_floor(PYPROJECT, Decimal("94.9"))


def test_a_fail_under_outside_the_report_section_is_not_touched() -> None:
    other = PYPROJECT.replace("fail_under = 95.0\n", "") + "[tool.other]\nfail_under = 1\n"
    with pytest.raises(ValueError, match="no fail_under line"):
        coverage_floor.with_floor(other, Decimal("96.0"))


def test_the_project_sets_a_floor_in_one_place() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert coverage_floor.current_floor(text) > 0
    assert len(coverage_floor.FAIL_UNDER.findall(text)) == 1
