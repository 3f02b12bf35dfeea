"""The demo from the command line (issue 13): it says where its database is and how to
open a second terminal on it before the app starts, and `--build-only DB` builds a demo
shop into a database without opening the app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.services import staff
from tests.unit.test_cli import Recorder, recorder, shop

__all__ = ["recorder"]  # the fixture, shared with test_cli

runner = CliRunner()


def test_demo_says_where_it_is_and_how_to_open_a_second_terminal_before_the_app_starts(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("counter_tui.demo.build.build_demo_shop", lambda ctx: {"Dana": "1111"})
    printed_before_start: list[str] = []
    original = recorder.counter_app

    def counter_app() -> type:
        fake = original()

        class Watching(fake):  # type: ignore[misc, valid-type]
            def run(self) -> None:
                sys.stdout.flush()
                printed_before_start.append(sys.stdout.buffer.getvalue().decode())  # type: ignore[attr-defined]
                super().run()

        return Watching

    monkeypatch.setattr(sys.modules["counter_tui.ui.app"], "CounterApp", counter_app())

    result = runner.invoke(app, ["demo"])

    assert result.exit_code == 0, result.output
    [call] = recorder.calls
    database_file = call["database_file"]
    [before] = printed_before_start
    assert f"Building the demo shop in the database file {database_file} (a few seconds)…" in before
    assert (
        "To open a second terminal on this shop, run in another window: "
        f"counter-tui --db sqlite:///{database_file}"
    ) in before
    assert "deleted when you quit" in before


def test_build_only_builds_a_demo_shop_into_a_new_file_and_opens_no_app(
    recorder: Recorder, tmp_path: Path
) -> None:
    target = tmp_path / "bench" / "demo.sqlite3"
    target.parent.mkdir()

    result = runner.invoke(app, ["demo", "--build-only", str(target)])

    assert result.exit_code == 0, result.output
    assert recorder.calls == []
    url = f"sqlite:///{target}"
    assert f"Done. Open it with: counter-tui --db {url}" in result.stdout
    assert "Dana 1111" in result.stdout
    names = [person.name for person in staff.list_staff(shop(url))]
    assert sorted(names) == ["Alex", "Dana", "Jordan", "Mei", "Priya", "Sam"]


def test_build_only_refuses_a_database_that_already_has_staff(recorder: Recorder, tmp_path: Path) -> None:
    target = tmp_path / "shop.sqlite3"
    url = f"sqlite:///{target}"
    assert runner.invoke(app, ["--db", url, "db", "init"]).exit_code == 0
    assert runner.invoke(app, ["--db", url, "staff", "add", "Kim", "--pin", "9999"]).exit_code == 0

    result = runner.invoke(app, ["demo", "--build-only", url])

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "This database already has staff. The demo shop is only built in an empty database."
    )
    assert [person.name for person in staff.list_staff(shop(url))] == ["Kim"]


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--build-only", "--help"],
        ["demo", "--db", "--help"],
        ["customers", "export", "--out", "--help"],
        ["--db", "shop.sqlite3", "demo", "--build-only", "-h"],
    ],
)
def test_help_typed_where_a_value_goes_shows_help_and_writes_nothing(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--help` (or `-h`) anywhere asks for the command's help and runs nothing: typed
    after an option that takes a value, it used to become the value (a demo shop built
    into a file named "--help")."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert list(tmp_path.iterdir()) == []
