"""The `counter-tui` command line: admin commands on a temp database, friendly errors,
and the commands that start a screen (with the screens replaced by recorders)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from counter_tui.cli import app
from counter_tui.cli.staff_app import ShopOpening
from counter_tui.config import load_settings
from counter_tui.db.engine import Database
from counter_tui.db.migrate import head_revision
from counter_tui.errors import SignInFailed
from counter_tui.services import staff
from counter_tui.services.context import ShopContext

runner = CliRunner()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A new shop started with `counter-tui db init`, as whoever sets up the shop would."""
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    started = runner.invoke(app, ["--db", url, "db", "init"])
    assert started.exit_code == 0, started.output
    return url


def invoke(database_url: str, *args: str, input: str | None = None) -> Result:
    """Run `counter-tui --db URL ARGS…` in-process."""
    return runner.invoke(app, ["--db", database_url, *args], input=input)


def shop(database_url: str) -> ShopContext:
    """A context on the same database, to check what a command did through the services."""
    return ShopContext(database=Database(database_url), settings=load_settings(database_url=database_url))


def staff_id(database_url: str, name: str) -> int:
    """The id of the staff member called `name`."""
    people = staff.list_staff(shop(database_url), include_inactive=True)
    return next(person.id for person in people if person.name == name)


def assert_one_line_failure(result: Result, sentence: str) -> None:
    """Exit code 1, the sentence on stderr as a single line, and no traceback anywhere."""
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == sentence
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_staff_add_with_pin_option_adds_and_never_prints_the_pin(database_url: str) -> None:
    result = invoke(database_url, "staff", "add", "Dana", "--role", "lead", "--pin", "4321")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Added Dana (lead)."
    assert "4321" not in result.output
    signed_in = staff.sign_in(shop(database_url), staff_id(database_url, "Dana"), "4321")
    assert signed_in.is_lead


def test_staff_add_prompts_for_the_pin_twice_without_echoing_it(database_url: str) -> None:
    result = invoke(database_url, "staff", "add", "Sam", input="2468\n2468\n")

    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert "2468" not in result.output
    assert staff.sign_in(shop(database_url), staff_id(database_url, "Sam"), "2468").role == ("associate")


def test_staff_add_asks_again_when_the_two_pins_differ(database_url: str) -> None:
    result = invoke(database_url, "staff", "add", "Sam", input="2468\n1357\n9753\n9753\n")

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    for pin in ("2468", "1357", "9753"):
        assert pin not in result.output
    assert staff.sign_in(shop(database_url), staff_id(database_url, "Sam"), "9753")


def test_staff_list_shows_role_and_deactivated_staff(database_url: str) -> None:
    invoke(database_url, "staff", "add", "Dana", "--role", "lead", "--pin", "1111")
    invoke(database_url, "staff", "add", "Sam", "--pin", "2222", "--lead", "Dana", input="1111\n")

    deactivated = invoke(database_url, "staff", "deactivate", "sam", "--lead", "Dana", input="1111\n")
    listed = invoke(database_url, "staff", "list")

    assert deactivated.exit_code == 0, deactivated.output
    assert listed.exit_code == 0, listed.output
    lines = [line.split() for line in listed.stdout.splitlines()]
    assert lines == [["Dana", "lead"], ["Sam", "associate", "(deactivated)"]]
    with pytest.raises(SignInFailed):
        staff.sign_in(shop(database_url), staff_id(database_url, "Sam"), "2222")


def test_staff_list_on_an_empty_shop_says_how_to_add_someone(database_url: str) -> None:
    result = invoke(database_url, "staff", "list")

    assert result.exit_code == 0
    assert "counter-tui staff add" in result.stdout


def test_set_pin_replaces_the_old_pin(database_url: str) -> None:
    invoke(database_url, "staff", "add", "Dana", "--pin", "1111")

    result = invoke(database_url, "staff", "set-pin", "Dana", input="8642\n8642\n")

    assert result.exit_code == 0, result.output
    assert "8642" not in result.output
    ctx = shop(database_url)
    dana = staff_id(database_url, "Dana")
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, dana, "1111")
    assert staff.sign_in(ctx, dana, "8642").name == "Dana"


def test_duplicate_staff_is_a_red_line_and_exit_1(database_url: str) -> None:
    invoke(database_url, "staff", "add", "Dana", "--pin", "1111")

    result = invoke(database_url, "staff", "add", "dana", "--pin", "2222")

    assert_one_line_failure(result, "There is already a staff member called Dana.")


def test_a_short_pin_is_refused_without_echoing_it(database_url: str) -> None:
    result = invoke(database_url, "staff", "add", "Dana", "--pin", "98")

    assert_one_line_failure(result, "A PIN is 4 to 12 digits.")
    assert "98" not in result.output


def test_unknown_staff_member_is_a_red_line(database_url: str) -> None:
    result = invoke(database_url, "staff", "deactivate", "Nobody")

    assert_one_line_failure(result, "No staff member called 'Nobody'. `counter-tui staff list` shows them.")


def test_db_init_starts_a_shop_then_current_and_upgrade_report_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new-shop.sqlite3'}"
    head = head_revision(Database(url))

    started = invoke(url, "db", "init")
    again = invoke(url, "db", "init")
    upgraded = invoke(url, "db", "upgrade")
    current = invoke(url, "db", "current")

    assert started.exit_code == 0 and f"Started a new shop in {url} (revision {head})." in started.stdout
    assert again.exit_code == 0 and "already holds a shop" in again.stdout
    assert upgraded.exit_code == 0 and f"at revision {head}." in upgraded.stdout
    assert current.exit_code == 0 and f"at revision {head} (up to date)" in current.stdout


def test_database_url_comes_from_the_environment(database_url: str) -> None:
    result = runner.invoke(
        app,
        ["staff", "add", "Dana", "--pin", "1111"],
        env={"COUNTER_TUI_DATABASE_URL": database_url},
    )

    assert result.exit_code == 0, result.output
    assert [person.name for person in staff.list_staff(shop(database_url))] == ["Dana"]


def test_an_unreachable_database_is_a_red_line() -> None:
    result = invoke("postgresql+psycopg://nobody@127.0.0.1:1/shop", "staff", "list")

    assert_one_line_failure(
        result,
        "The database server 127.0.0.1:1 cannot be reached. Nothing was saved; "
        "check the network and that the server is running, then try again.",
    )


def test_an_unreachable_database_for_db_current_is_a_red_line() -> None:
    result = invoke("postgresql+psycopg://nobody:secret@127.0.0.1:1/shop", "db", "current")

    assert result.exit_code == 1
    assert "cannot be reached" in result.stderr
    assert "secret" not in result.output
    assert "Traceback" not in result.output


def test_an_invalid_database_url_is_a_red_line() -> None:
    result = invoke("not a url", "staff", "list")

    assert result.exit_code == 1
    assert result.stderr.startswith("That database URL is not valid.")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_settings_file_is_a_red_line(tmp_path: Path, database_url: str) -> None:
    missing = tmp_path / "missing.toml"

    result = runner.invoke(app, ["--config", str(missing), "--db", database_url, "staff", "list"])

    assert_one_line_failure(result, f"There is no settings file at {missing}.")


def test_a_bad_setting_is_a_red_line(tmp_path: Path, database_url: str) -> None:
    config = tmp_path / "shop.toml"
    config.write_text('[shop]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")

    result = runner.invoke(app, ["--config", str(config), "--db", database_url, "staff", "list"])

    assert result.exit_code == 1
    assert result.stderr.startswith("Setting 'shop.timezone' is not valid")
    assert "Traceback" not in result.output


def test_a_settings_file_that_is_not_toml_is_a_red_line(tmp_path: Path, database_url: str) -> None:
    config = tmp_path / "shop.toml"
    config.write_text("[shop\n", encoding="utf-8")

    result = runner.invoke(app, ["--config", str(config), "--db", database_url, "staff", "list"])

    assert result.exit_code == 1
    assert result.stderr.startswith("The settings file is not valid TOML")


def test_importing_the_cli_does_not_import_textual() -> None:
    code = (
        "import sys, counter_tui.cli\n"
        "loaded = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "ui = [m for m in sys.modules if m.startswith('counter_tui.ui')]\n"
        "print(len(loaded), len(ui))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert output.split() == ["0", "0"]


# --- commands that start a screen -----------------------------------------------------


@dataclass
class Recorder:
    """Stands in for the staff app or the kiosk launcher and records how it was started."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def counter_app(self) -> type:
        recorder = self

        class FakeCounterApp:
            def __init__(self, shop: ShopOpening, *, demo_pins: dict[str, str] | None) -> None:
                self.shop, self.demo_pins = shop, demo_pins

            def run(self) -> None:
                ctx = self.shop.open()  # what the real app does after its first frame
                recorder.calls.append(
                    {
                        "ctx": ctx,
                        "demo_pins": self.demo_pins,
                        "database_file": Path(ctx.database.engine.url.database or ""),
                        "staff": [p.name for p in staff.list_staff(ctx)],
                    }
                )

        return FakeCounterApp

    def run_kiosk(self, settings: Any, terminal: str) -> None:
        self.calls.append({"settings": settings, "terminal": terminal})


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Replace the UI entry points the CLI imports lazily, so no screen starts."""
    recorder = Recorder()
    app_module = types.ModuleType("counter_tui.ui.app")
    app_module.CounterApp = recorder.counter_app()  # type: ignore[attr-defined]
    launch_module = types.ModuleType("counter_tui.ui.kiosk.launch")
    launch_module.run_kiosk = recorder.run_kiosk  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "counter_tui.ui.app", app_module)
    monkeypatch.setitem(sys.modules, "counter_tui.ui.kiosk.launch", launch_module)
    return recorder


def test_no_subcommand_runs_the_staff_app_on_the_chosen_database(
    recorder: Recorder, database_url: str
) -> None:
    invoke(database_url, "staff", "add", "Dana", "--pin", "1111")

    result = runner.invoke(app, ["--db", database_url])

    assert result.exit_code == 0, result.output
    [call] = recorder.calls
    assert call["demo_pins"] is None
    assert call["staff"] == ["Dana"]


def test_no_staff_yet_says_how_to_add_the_first_lead(recorder: Recorder, database_url: str) -> None:
    result = runner.invoke(app, ["--db", database_url])

    assert_one_line_failure(
        result,
        "Nobody can sign in yet. Add the first shift lead with: counter-tui staff add NAME --role lead",
    )
    assert recorder.calls == []


def test_demo_builds_a_shop_shows_pins_and_removes_it_afterwards(recorder: Recorder) -> None:
    result = runner.invoke(app, ["demo"])

    assert result.exit_code == 0, result.output
    [call] = recorder.calls
    assert call["demo_pins"] == {
        "Dana": "1111",
        "Priya": "2222",
        "Sam": "3333",
        "Alex": "4444",
        "Jordan": "5555",
        "Mei": "6666",
    }
    assert sorted(call["staff"]) == sorted(call["demo_pins"])
    assert not call["database_file"].exists()
    assert not call["database_file"].parent.exists()


def test_demo_keep_leaves_the_database_and_says_how_to_reopen_it(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counter_tui.demo.build.build_demo_shop", lambda ctx: {"Dana": "1111"})

    result = runner.invoke(app, ["demo", "--keep"])

    assert result.exit_code == 0, result.output
    [call] = recorder.calls
    kept = call["database_file"]
    try:
        assert kept.exists()
        assert f"counter-tui --db sqlite:///{kept}" in result.stdout
    finally:
        shutil.rmtree(kept.parent)


def test_demo_refuses_a_database_that_already_has_staff(recorder: Recorder, database_url: str) -> None:
    invoke(database_url, "staff", "add", "Dana", "--pin", "1111")

    result = runner.invoke(app, ["demo", "--db", database_url])

    assert_one_line_failure(
        result,
        "This database already has staff. The demo shop is only built in an empty database.",
    )
    assert recorder.calls == []


def test_demo_ignores_the_database_url_from_the_environment(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setattr("counter_tui.demo.build.build_demo_shop", lambda ctx: {})

    result = runner.invoke(app, ["demo"], env={"COUNTER_TUI_DATABASE_URL": database_url})

    assert result.exit_code == 0, result.output
    [call] = recorder.calls
    assert call["database_file"] != Path(Database(database_url).engine.url.database or "")


def test_kiosk_starts_the_launcher_with_settings_and_terminal_name(
    recorder: Recorder, database_url: str
) -> None:
    default = runner.invoke(app, ["--db", database_url, "kiosk"])
    named = runner.invoke(app, ["--db", database_url, "kiosk", "--terminal", "back door"])

    assert default.exit_code == 0 and named.exit_code == 0, default.output + named.output
    assert [call["terminal"] for call in recorder.calls] == ["door", "back door"]
    assert recorder.calls[0]["settings"].database_url == database_url


def test_kiosk_with_an_unreachable_database_fails_before_starting(recorder: Recorder) -> None:
    result = invoke("postgresql+psycopg://nobody@127.0.0.1:1/shop", "kiosk")

    assert result.exit_code == 1
    assert "cannot be reached" in result.stderr
    assert recorder.calls == []
