"""The command-line conventions people expect (issue 13): `--version`, `config path`,
`config check`, `keys` and shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import shellingham
from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.db.engine import Database
from counter_tui.db.migrate import head_revision

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No COUNTER_TUI_* variable of the machine running the tests; the settings file
    is `tmp_path/config.toml` (tests write into it)."""
    for name in list(os.environ):
        if name.upper().startswith("COUNTER_TUI_"):
            monkeypatch.delenv(name)
    path = tmp_path / "config.toml"
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(path))
    return path


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    assert runner.invoke(app, ["--db", url, "db", "init"]).exit_code == 0
    return url


def test_version_names_the_version_the_database_kind_and_its_schema_revision(database_url: str) -> None:
    result = runner.invoke(app, ["--db", database_url, "--version"])

    assert result.exit_code == 0, result.output
    head = head_revision(Database(database_url))
    assert result.stdout.splitlines() == [
        f"counter-tui {version('counter-tui')}",
        "database: SQLite",
        f"schema: revision {head} (up to date)",
    ]


def test_version_with_a_database_it_cannot_reach_says_so_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"

    result = runner.invoke(app, ["--db", f"sqlite:///{missing}", "--version"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].startswith(
        f"schema: not reachable (There is no database file at {missing}"
    )
    assert not missing.exists()


def test_version_still_answers_when_the_settings_file_has_a_mistake(
    database_url: str, no_settings_from_outside: Path
) -> None:
    no_settings_from_outside.write_text("[thresholds]\ngreet_within_minutse = 3\n", encoding="utf-8")

    result = runner.invoke(app, ["--db", database_url, "--version"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("counter-tui ")


def test_version_imports_no_textual(database_url: str) -> None:
    code = (
        "import sys\nfrom counter_tui.cli import main\n"
        f"sys.argv = ['counter-tui', '--db', {database_url!r}, '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('textual loaded' if any(m.startswith('textual') for m in sys.modules) else 'no textual')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.splitlines()[-1] == "no textual"


def test_config_path_prints_the_file_given_or_the_default_one(
    tmp_path: Path, no_settings_from_outside: Path
) -> None:
    default = runner.invoke(app, ["config", "path"])
    chosen = runner.invoke(app, ["--config", str(tmp_path / "other.toml"), "config", "path"])

    assert default.exit_code == 0 and chosen.exit_code == 0
    assert default.stdout.strip() == str(no_settings_from_outside)
    assert "no file there yet" in default.stderr
    assert chosen.stdout.strip() == str(tmp_path / "other.toml")


def test_config_check_prints_the_effective_settings_of_a_good_file(no_settings_from_outside: Path) -> None:
    no_settings_from_outside.write_text(
        'terminal_name = "till-1"\n[thresholds]\ngreet_within_minutes = 3\n[keys]\n"floor.claim" = "c,f5"\n',
        encoding="utf-8",
    )

    result = runner.invoke(app, ["--db", "postgresql://u:secret@db/shop", "config", "check"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert 'terminal_name = "till-1"' in lines
    assert "thresholds.greet_within_minutes = 3" in lines
    assert "thresholds.long_visit_minutes = 60" in lines
    assert 'keys = {"floor.claim": "c,f5"}' in lines
    assert 'database_url = "postgresql://u:***@db/shop"' in lines
    assert "secret" not in result.output
    assert result.stderr == ""


def test_config_check_lists_every_problem_with_its_key_and_a_suggestion(
    no_settings_from_outside: Path,
) -> None:
    no_settings_from_outside.write_text(
        'theme = "hi-contrast"\n[thresholds]\ngreet_within_minutse = 3\nlong_visit_minutes = 0\n'
        '[kiosk]\nreset_second = 5\n[keys]\n"floor.claimm" = "c"\n',
        encoding="utf-8",
    )

    result = runner.invoke(app, ["config", "check"])

    assert result.exit_code == 1
    prefix = f"Settings file {no_settings_from_outside}: "
    assert result.stderr.splitlines() == [
        prefix + "thresholds.greet_within_minutse is not a setting; did you mean greet_within_minutes?",
        prefix + "kiosk.reset_second is not a setting; did you mean reset_seconds?",
        prefix + 'keys: "floor.claimm" is not a binding id; did you mean floor.claim?',
        prefix + "thresholds.long_visit_minutes is not valid: "
        "Input should be greater than or equal to 1; the default is 60.",
        prefix + "theme is not valid: 'hi-contrast' is not a theme; did you mean high-contrast?; "
        'the default is "textual-dark".',
    ]
    assert "Traceback" not in result.output


def test_config_check_of_a_file_that_is_not_toml_says_where(no_settings_from_outside: Path) -> None:
    no_settings_from_outside.write_text("[thresholds\n", encoding="utf-8")

    result = runner.invoke(app, ["config", "check"])

    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Settings file {no_settings_from_outside}: not valid TOML: ")


def test_keys_prints_the_key_map_after_this_terminals_remapping(no_settings_from_outside: Path) -> None:
    before = runner.invoke(app, ["keys"])
    no_settings_from_outside.write_text('[keys]\n"floor.claim" = "c,f5"\n', encoding="utf-8")
    after = runner.invoke(app, ["keys"])

    assert before.exit_code == 0 and after.exit_code == 0, after.output
    (claim_before,) = [line for line in before.stdout.splitlines() if "`floor.claim`" in line]
    (claim_after,) = [line for line in after.stdout.splitlines() if "`floor.claim`" in line]
    assert "(remapped)" not in claim_before
    assert "| `c` / `F5` (remapped) | `floor.claim` |" in claim_after


def test_shell_completion_is_offered_and_completes_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer names the shell by walking up this process's parents (shellingham), which
    # depends on how the test run was started; a person asking from bash is what is tested.
    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("bash", "/bin/bash"))
    script = runner.invoke(app, ["--show-completion"], prog_name="counter-tui")
    completed = runner.invoke(
        app,
        [],
        prog_name="counter-tui",
        env={"_COUNTER_TUI_COMPLETE": "complete_bash", "COMP_WORDS": "counter-tui con", "COMP_CWORD": "1"},
    )

    assert script.exit_code == 0
    assert "complete -o default -F _counter_tui_completion counter-tui" in script.stdout
    assert completed.stdout.split() == ["config"]
