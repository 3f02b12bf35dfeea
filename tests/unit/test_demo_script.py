"""`scripts/demo.sh` installs only when it has to (issue 13): a re-run with nothing
changed goes straight to the demo; a changed pyproject.toml installs again. Run on a
copy of the script beside stand-ins for the virtual environment's programs, which
write down how they were called."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAND_IN = """#!/bin/sh
echo "{name} $*" >> "$CALLS"
if [ "$1" = "-c" ]; then exec "{python}" "$@"; fi
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: the script, a pyproject.toml and a .venv of stand-ins."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "demo.sh", tmp_path / "scripts" / "demo.sh")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "counter-tui"\n', encoding="utf-8")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "counter-tui"):
        program = bin_dir / name
        program.write_text(STAND_IN.format(name=name, python=sys.executable), encoding="utf-8")
        program.chmod(0o755)
    return tmp_path


def run_demo_script(project: Path) -> list[str]:
    """Run the script once; the stand-ins' calls it made, without the hashing."""
    calls = project / "calls.txt"
    calls.unlink(missing_ok=True)
    subprocess.run(
        ["bash", str(project / "scripts" / "demo.sh"), "--keep"],
        env={**os.environ, "CALLS": str(calls)},
        check=True,
        timeout=60,
    )
    return [
        line for line in calls.read_text(encoding="utf-8").splitlines() if not line.startswith("python -c")
    ]


def test_the_demo_script_installs_once_and_again_only_when_pyproject_changes(project: Path) -> None:
    first = run_demo_script(project)
    second = run_demo_script(project)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write('dependencies = ["textual"]\n')
    after_change = run_demo_script(project)

    install = "python -m pip install --quiet -e ."
    demo = "counter-tui demo --keep"
    assert first == [install, demo]
    assert second == [demo]
    assert after_change == [install, demo]
