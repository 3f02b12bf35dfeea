"""PostgreSQL support is the `postgres` extra (issue 13): without psycopg installed the
app still runs on SQLite, and a PostgreSQL URL is one red line saying what to install."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from counter_tui.db.diagnose import POSTGRES_NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[2]
WITHOUT_PSYCOPG = (
    "import sys\n"
    "sys.modules['psycopg'] = None  # as if the postgres extra were not installed\n"
    "from counter_tui.cli import main\n"
    "sys.argv = ['counter-tui', *sys.argv[1:]]\n"
    "main()\n"
)


def counter_tui_without_psycopg(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter in which psycopg cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_PSYCOPG, *args], capture_output=True, text=True, timeout=60
    )


def test_psycopg_is_the_postgres_extra_and_the_test_extra_includes_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    assert not any(dep.startswith("psycopg") for dep in project["dependencies"])
    assert [dep for dep in project["optional-dependencies"]["postgres"] if dep.startswith("psycopg")]
    assert any(
        extra.startswith("counter-tui[") and "postgres" in extra.split("[")[1]
        for extra in project["optional-dependencies"]["test"]
    )


def test_a_postgresql_url_without_psycopg_is_one_line_saying_what_to_install() -> None:
    done = counter_tui_without_psycopg("--db", "postgresql://shop@db.example/shop", "staff", "list")

    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == POSTGRES_NOT_INSTALLED
    assert "pip install 'counter-tui[postgres]'" in POSTGRES_NOT_INSTALLED


def test_sqlite_works_without_psycopg(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"

    started = counter_tui_without_psycopg("--db", url, "db", "init")
    current = counter_tui_without_psycopg("--db", url, "db", "current")

    assert started.returncode == 0, started.stderr
    assert current.returncode == 0, current.stderr
    assert "(up to date)" in current.stdout


def test_version_with_a_postgresql_url_without_psycopg_says_it_is_not_installed() -> None:
    done = counter_tui_without_psycopg("--db", "postgresql://shop@db.example/shop", "--version")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "database: PostgreSQL",
        f"schema: not reachable ({POSTGRES_NOT_INSTALLED})",
    ]
