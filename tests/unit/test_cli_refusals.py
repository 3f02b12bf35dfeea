"""Every way the command line can be refused is one red line and exit code 1, never a
traceback: impossible report days, database URLs of the wrong kind, databases that are
missing, damaged, read-only, a folder, or newer than this version, arguments that are
not valid text, and anything unexpected (logged). A mistyped `--db` never starts a
new, empty shop; the default database on the first run, `db init` and the demo do."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from counter_tui import cli
from counter_tui.bootstrap import open_shop
from counter_tui.cli import app
from counter_tui.config import load_settings
from counter_tui.db.engine import Database
from counter_tui.services import staff
from tests.unit.test_cli import Recorder, assert_one_line_failure, recorder  # noqa: F401

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def shop_url(tmp_path: Path) -> str:
    """A shop started on purpose, with one lead."""
    url = sqlite_url(tmp_path / "shop.sqlite3")
    assert invoke("--db", url, "db", "init").exit_code == 0
    assert invoke("--db", url, "staff", "add", "Dana", "--role", "lead", "--pin", "1111").exit_code == 0
    return url


# --- report days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "sentence"),
    [
        (
            "0001-01-01",
            "0001-01-01 is before any shop could have used counter-tui. "
            "Report on a day from 1970-01-01 to today.",
        ),
        ("9999-12-31", "9999-12-31 has not happened yet. Report on today ({today}) or an earlier day."),
    ],
)
def test_report_days_no_shop_can_have_are_one_red_line(shop_url: str, day: str, sentence: str) -> None:
    result = invoke("--db", shop_url, "report", "day", "--date", day)

    shop = open_shop(load_settings(database_url=shop_url))
    today = shop.calendar.local_date(shop.now()).isoformat()
    shop.database.dispose()
    assert_one_line_failure(result, sentence.format(today=today))


# --- database URLs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        (
            "mysql://x",
            "counter-tui works with SQLite and PostgreSQL, not mysql. "
            "Use sqlite:////path/to/shop.sqlite3 or postgresql://user@host/dbname.",
        ),
        (
            "postgresql+psycopg2://shop@localhost/shop",
            "counter-tui does not use the postgresql+psycopg2 driver. "
            "Use sqlite:////path/to/shop.sqlite3 or postgresql://user@host/dbname.",
        ),
    ],
)
def test_a_database_of_another_kind_is_one_red_line(url: str, sentence: str) -> None:
    assert_one_line_failure(invoke("--db", url, "staff", "list"), sentence)


def test_options_after_an_sqlite_path_are_refused_not_ignored(shop_url: str) -> None:
    """`?mode=ro` printed SQLAlchemy's two-line warning and opened the file read-write."""
    assert_one_line_failure(
        invoke("--db", f"{shop_url}?mode=ro", "staff", "list"),
        "counter-tui opens an SQLite file by its path alone: leave '?mode=ro' out of the database URL.",
    )


def test_an_unreachable_postgresql_server_is_named() -> None:
    result = invoke("--db", "postgresql://shop@127.0.0.1:1/shop", "staff", "list")

    assert_one_line_failure(
        result,
        "The database server 127.0.0.1:1 cannot be reached. Nothing was saved; "
        "check the network and that the server is running, then try again.",
    )


# --- no shop is started by mistake ------------------------------------------------------


def test_a_mistyped_sqlite_path_is_refused_and_creates_nothing(shop_url: str, tmp_path: Path) -> None:
    typo = tmp_path / "shpo.sqlite3"

    for args in (
        ["staff", "list"],
        ["staff", "add", "Sam", "--pin", "2222"],
        ["db", "current"],
        ["db", "upgrade"],
    ):
        result = invoke("--db", sqlite_url(typo), *args)
        assert_one_line_failure(
            result,
            f"There is no database file at {typo}. Check the --db path (or COUNTER_TUI_DATABASE_URL); "
            "to start a new, empty shop there, run `counter-tui db init` with the same --db.",
        )
    assert not typo.exists()


def test_a_mistyped_path_from_the_environment_is_refused(tmp_path: Path) -> None:
    typo = tmp_path / "nope" / "counter.sqlite3"

    result = runner.invoke(app, ["staff", "list"], env={"COUNTER_TUI_DATABASE_URL": sqlite_url(typo)})

    assert result.exit_code == 1
    assert result.stderr.startswith(f"There is no folder {typo.parent} for the database file")
    assert not typo.parent.exists()


def test_an_empty_database_is_not_taken_for_a_shop(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()

    result = invoke("--db", sqlite_url(empty), "staff", "list")

    assert_one_line_failure(
        result,
        f"There is no shop in the database file {empty} yet. Check --db (or COUNTER_TUI_DATABASE_URL); "
        "to start a new, empty shop there, run `counter-tui db init` with the same --db.",
    )


def test_the_default_database_is_created_on_the_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = tmp_path / "data" / "counter-tui" / "counter.sqlite3"

    result = invoke("staff", "add", "Dana", "--role", "lead", "--pin", "1111")

    assert result.exit_code == 0, result.output
    assert default.is_file()


def test_db_init_starts_a_shop_in_a_new_folder(tmp_path: Path) -> None:
    path = tmp_path / "shops" / "north" / "counter.sqlite3"

    started = invoke("--db", sqlite_url(path), "db", "init")
    listed = invoke("--db", sqlite_url(path), "staff", "list")

    assert started.exit_code == 0, started.output
    assert listed.exit_code == 0 and "No staff yet" in listed.stdout


# --- databases that cannot be used ------------------------------------------------------


def test_a_folder_given_as_the_database_is_one_red_line(tmp_path: Path) -> None:
    result = invoke("--db", sqlite_url(tmp_path), "staff", "list")

    assert_one_line_failure(
        result,
        f"{tmp_path} is a folder, not a database file. "
        f"Give the path of the shop's database file, e.g. {tmp_path / 'counter.sqlite3'}.",
    )


def test_a_corrupt_file_is_one_red_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(bytes(range(256)) * 40)

    result = invoke("--db", sqlite_url(corrupt), "staff", "list")

    assert_one_line_failure(
        result,
        f"The database file {corrupt} is damaged, or is not a counter-tui database. Nothing was saved. "
        "Check --db names the right file; if it does, restore the shop from a backup.",
    )


def test_a_database_from_a_newer_version_is_refused_everywhere(
    shop_url: str,
    recorder: Recorder,  # noqa: F811
) -> None:
    database = Database(shop_url)
    with database.write() as session:
        session.connection().execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    path = Path(shop_url.removeprefix("sqlite:///"))

    for args in ([], ["kiosk"], ["staff", "list"], ["db", "upgrade"], ["db", "current"]):
        result = invoke("--db", shop_url, *args)
        assert result.exit_code == 1, (args, result.output)
        line = result.stderr.strip()
        assert line.startswith(
            f"The database file {path} was set up by a newer version of counter-tui (schema 9999;"
        ), args
        assert line.endswith("Update counter-tui on this terminal to the version the other terminals use.")
        assert "Traceback" not in result.output
    assert recorder.calls == []


# --- permissions (a non-root process, as on a real counter) -----------------------------


def run_unprivileged(*args: str, home: Path, pin: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m counter_tui ARGS…` as a process that file permissions apply to: when
    the tests run as root, the capabilities that bypass them are dropped first. `pin`: the
    lead's PIN, for a command that asks for one."""
    command = [sys.executable, "-m", "counter_tui", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file permissions would not apply")
        dropped = "-dac_override,-dac_read_search,-fowner"
        command = [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}", *command]
    environ = dict(os.environ)
    environ.update(
        PYTHONPATH=str(ROOT),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        COUNTER_TUI_CONFIG=str(home / "no-config.toml"),
        COUNTER_TUI_LEAD_PIN=pin,
    )
    return subprocess.run(command, capture_output=True, text=True, env=environ, timeout=120, check=False)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A folder whose mode the test changes; made writable again afterwards for cleanup."""
    folder = tmp_path / "locked"
    folder.mkdir()
    yield folder
    for path in (folder, *folder.iterdir()):
        path.chmod(0o700)


def assert_one_unprivileged_line(result: subprocess.CompletedProcess[str], sentence: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.strip() == sentence
    assert "Traceback" not in result.stdout + result.stderr


def test_a_database_in_a_folder_that_cannot_be_written_is_one_red_line(locked: Path, tmp_path: Path) -> None:
    locked.chmod(0o500)
    path = locked / "counter.sqlite3"

    result = run_unprivileged("--db", sqlite_url(path), "db", "init", home=tmp_path)

    assert_one_unprivileged_line(
        result,
        f"Cannot create the database file {path}: this user may not write in the folder {locked}. "
        "Choose a folder this user can write to, or ask whoever looks after this computer.",
    )
    assert not path.exists()


def test_a_read_only_database_file_is_one_red_line(shop_url: str, tmp_path: Path) -> None:
    path = Path(shop_url.removeprefix("sqlite:///"))
    path.chmod(0o400)

    result = run_unprivileged(
        "--db",
        shop_url,
        "staff",
        "add",
        "Sam",
        "--pin",
        "2222",
        "--lead",
        "Dana",
        "--lead-pin",
        "1111",
        home=tmp_path,
    )

    assert_one_unprivileged_line(
        result,
        f"The database file {path} is read-only for this user, so nothing can be saved. "
        "Make it writable for this user (chmod u+w), or ask whoever looks after this computer.",
    )


def test_a_database_in_a_read_only_folder_is_one_red_line(locked: Path, tmp_path: Path) -> None:
    url = sqlite_url(locked / "counter.sqlite3")
    assert invoke("--db", url, "db", "init").exit_code == 0
    locked.chmod(0o500)

    result = run_unprivileged("--db", url, "staff", "list", home=tmp_path)

    assert_one_unprivileged_line(
        result,
        f"The folder {locked} cannot be written by this user, and the database needs to keep its "
        "journal files beside it there. Nothing was saved; make the folder writable for this user, "
        "or move the database to a folder that is.",
    )


def test_an_export_into_a_folder_that_cannot_be_written_names_the_file_asked_for(
    shop_url: str, locked: Path, tmp_path: Path
) -> None:
    """It named the hidden temporary file (`.c.csv.vm-21917.dzcwx5xm.partial`) instead."""
    locked.chmod(0o500)
    out = locked / "customers.csv"

    result = run_unprivileged(
        "--db",
        shop_url,
        "customers",
        "export",
        "--out",
        str(out),
        "--lead",
        "Dana",
        home=tmp_path,
        pin="1111",
    )

    assert_one_unprivileged_line(
        result,
        f"Cannot write the export at {out}: this user may not write in the folder {locked}. "
        "Nothing was written; choose a folder this user can write to.",
    )
    assert list(locked.iterdir()) == []


def test_an_export_to_a_full_disk_is_one_red_line(shop_url: str, tmp_path: Path) -> None:
    """Written to standard output on a full disk, it said "Cannot use: No space left on device."."""
    environ = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        COUNTER_TUI_LEAD_PIN="1111",
        COUNTER_TUI_CONFIG=str(tmp_path / "none.toml"),
    )
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "counter_tui", "--db", shop_url, "customers", "export", "--lead", "Dana"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
            timeout=120,
            check=False,
        )

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "The disk is full, so the output was not written whole. Free some space, then try again."
    )


# --- arguments that are not text, and the unexpected -----------------------------------


def test_an_argument_that_is_not_utf8_is_one_red_line(shop_url: str, tmp_path: Path) -> None:
    environ = dict(os.environ, PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(tmp_path / "state"))
    result = subprocess.run(
        [
            sys.executable.encode(),
            b"-m",
            b"counter_tui",
            b"--db",
            shop_url.encode(),
            b"staff",
            b"add",
            b"Zo\xeb",
        ],
        capture_output=True,
        env=environ,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.decode() == (
        "Argument 5 (Zo\\xeb) is not valid text: it holds bytes that are not UTF-8. "
        "Check the terminal's character set is UTF-8 and type it again.\n"
    )
    shop = open_shop(load_settings(database_url=shop_url))
    assert [person.name for person in staff.list_staff(shop)] == ["Dana"]
    shop.database.dispose()


def test_a_lone_surrogate_reaching_a_service_is_one_red_line(shop_url: str) -> None:
    result = runner.invoke(cli.app, ["--db", shop_url, "staff", "add", "Zo\udceb", "--pin", "2222"])

    assert result.exit_code == 1
    assert result.stderr.startswith("Argument 5 (Zo\\xeb) is not valid text")


def test_something_unexpected_is_one_red_line_and_logged(
    shop_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the list broke")

    monkeypatch.setattr(staff, "list_staff", broken)

    result = invoke("--db", shop_url, "staff", "list")

    log = tmp_path / "state" / "counter-tui" / "log" / "counter-tui.log"
    assert_one_line_failure(result, f"Something unexpected went wrong; the details are in {log}.")
    assert "RuntimeError: the list broke" in log.read_text()


def test_a_staff_app_that_stopped_on_an_error_fails_the_command(
    shop_url: str,
    recorder: Recorder,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crashed = recorder.counter_app()
    crashed.return_code = 1  # type: ignore[attr-defined]  (what Textual sets after a crash)
    monkeypatch.setattr(sys.modules["counter_tui.ui.app"], "CounterApp", crashed)

    result = invoke("--db", shop_url)

    assert result.exit_code == 1
    assert len(recorder.calls) == 1


def test_ctrl_c_in_any_command_is_one_line_and_exit_code_130(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Commands that leave nothing part-written say only that they were stopped (those
    that do say what they left: tests/concurrency/test_stopped_commands.py)."""
    from counter_tui.services import shop_settings

    url = sqlite_url(tmp_path / "shop.sqlite3")
    assert invoke("--db", url, "db", "init").exit_code == 0

    def pressed_ctrl_c(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(shop_settings, "listing", pressed_ctrl_c)
    result = invoke("--db", url, "shop", "show")

    assert (result.exit_code, result.stdout) == (130, "")
    assert result.stderr == "Stopped by Ctrl+C before it finished.\n"
