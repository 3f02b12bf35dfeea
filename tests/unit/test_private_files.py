"""Files the app creates are its user's alone, whatever the umask: the database file
and its -wal/-shm files 0600, log files 0600, the folders made for them 0700."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counter_tui.cli import app
from counter_tui.errors import Conflict, FileNotWritten, Stopped
from counter_tui.files import new_private_file
from counter_tui.logs import configure_logging
from counter_tui.ui.kiosk.launch import kiosk_log_file

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _permissive_umask() -> Iterator[None]:
    """The usual umask, which alone would make files world-readable (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_a_new_database_and_its_folders_are_private(tmp_path: Path) -> None:
    path = tmp_path / "shops" / "north" / "counter.sqlite3"
    url = f"sqlite:///{path}"

    assert runner.invoke(app, ["--db", url, "db", "init"]).exit_code == 0
    added = runner.invoke(app, ["--db", url, "staff", "add", "Dana", "--pin", "1111"])

    assert added.exit_code == 0, added.output
    assert mode(tmp_path / "shops") == 0o700
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_the_write_ahead_log_files_are_private(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "counter.sqlite3"
    assert runner.invoke(app, ["--db", f"sqlite:///{path}", "db", "init"]).exit_code == 0
    held_open = sqlite3.connect(path)  # keeps -wal and -shm in place while we look
    try:
        held_open.execute("SELECT count(*) FROM staff").fetchone()
        for suffix in ("-wal", "-shm"):
            journal = path.with_name(path.name + suffix)
            assert journal.exists(), suffix
            assert mode(journal) == 0o600, suffix
    finally:
        held_open.close()


def test_the_default_database_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))

    assert runner.invoke(app, ["staff", "list"]).exit_code == 0

    assert mode(tmp_path / "data" / "counter-tui") == 0o700
    assert mode(tmp_path / "data" / "counter-tui" / "counter.sqlite3") == 0o600


def test_log_files_and_their_folder_are_private(tmp_path: Path) -> None:
    staff_log = configure_logging()
    kiosk_log = kiosk_log_file()

    assert staff_log.parent == tmp_path / "state" / "counter-tui" / "log"
    assert mode(staff_log) == 0o600
    assert mode(kiosk_log) == 0o600
    assert mode(staff_log.parent) == 0o700
    assert mode(staff_log.parent.parent) == 0o700


def test_a_log_file_left_readable_by_an_older_version_is_made_private(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "counter-tui" / "log"
    folder.mkdir(parents=True)
    old = folder / "counter-tui.log"
    old.write_text("earlier entries\n")
    old.chmod(0o644)

    assert configure_logging() == old
    assert mode(old) == 0o600
    assert old.read_text() == "earlier entries\n"


def test_a_file_the_cli_writes_is_private_and_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    with pytest.raises(RuntimeError), new_private_file(target) as new:
        new.partial.write_text("half")
        raise RuntimeError("stopped half way")
    assert list(tmp_path.iterdir()) == []

    with new_private_file(target) as new:
        new.partial.write_text("all of it")
        assert not target.exists()
    assert target.read_text() == "all of it"
    assert mode(target) == 0o600
    assert list(tmp_path.iterdir()) == [target]


def test_a_file_the_cli_writes_never_replaces_one_that_appeared_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(Conflict, match="There is already a file at"), new_private_file(target) as new:
        new.partial.write_text("mine")
        target.write_text("theirs")
    assert target.read_text() == "theirs"

    monkeypatch.setattr(os, "link", no_hard_links)
    other = tmp_path / "usb-stick.csv"
    with new_private_file(other) as new:
        new.partial.write_text("on a drive without hard links")
    assert other.read_text() == "on a drive without hard links"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.csv", "usb-stick.csv"]


def test_ctrl_c_while_writing_says_the_file_was_not_written_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    with pytest.raises(Stopped) as stopped, new_private_file(target, "the export") as new:
        new.partial.write_text("half")
        raise KeyboardInterrupt

    assert str(stopped.value) == f"Stopped by Ctrl+C; the export at {target} was not written."
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_just_as_the_file_took_its_name_says_it_was_written_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name tried (a numbered one, the first being taken) is the one said."""
    taken, target = tmp_path / "rows.csv", tmp_path / "rows-2.csv"
    taken.write_text("an earlier run's")
    link = os.link

    def link_then_ctrl_c(source: Path, name: Path) -> None:
        link(source, name)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", link_then_ctrl_c)
    with pytest.raises(Stopped) as stopped, new_private_file(taken, "the review file", numbered=True) as new:
        new.partial.write_text("all of it")

    assert (
        str(stopped.value) == f"Stopped by Ctrl+C just after the review file at {target} was written whole."
    )
    assert target.read_text() == "all of it"
    assert sorted(tmp_path.iterdir()) == [target, taken]


WRITER = """
import sys, time
from pathlib import Path
from counter_tui.files import new_private_file
with new_private_file(Path(sys.argv[1])) as new:
    new.partial.write_text("Ada Lovelace, 07700 900123")
    print("writing", flush=True)
    time.sleep(60)
"""


def _writer(target: Path) -> subprocess.Popen[str]:
    """A process half way through writing `target`, its partial file on disk."""
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "writing\n"
    return process


def test_what_a_killed_writer_left_half_written_is_removed_by_the_next_write(tmp_path: Path) -> None:
    """A half-written export holds customers' details: a writer killed half way (the
    terminal's power cut, kill -9) left it hidden in the folder for good. The next file
    written there removes it, and leaves alone one a live writer is still writing."""
    killed = _writer(tmp_path / "monday.csv")
    killed.kill()
    killed.wait()
    left = [path.name for path in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".monday.csv.") and left[0].endswith(".partial")

    alive = _writer(tmp_path / "tuesday.csv")
    try:
        with new_private_file(tmp_path / "wednesday.csv") as new:
            new.partial.write_text("all of it")
        names = sorted(path.name for path in tmp_path.iterdir())
        assert names[-1] == "wednesday.csv" and len(names) == 2
        assert names[0].startswith(".tuesday.csv.") and names[0].endswith(".partial")
    finally:
        alive.kill()
        alive.wait()


def no_hard_links(source: object, destination: object) -> None:
    raise PermissionError(1, "Operation not permitted")


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (
            errno.ENOSPC,
            "The disk is full, so the export at {target} was not written whole. "
            "Free some space, then try again.",
        ),
        (
            errno.EROFS,
            "Cannot write the export at {target}: the folder {folder} is on a read-only disk. "
            "Choose another folder.",
        ),
        (errno.EIO, "Cannot write the export at {target}: Input/output error. Nothing was written."),
    ],
)
def test_a_file_that_fails_half_way_is_named_as_asked_and_left_nowhere(
    tmp_path: Path, code: int, sentence: str
) -> None:
    """The error named the hidden partial file; the sentence names the file asked for."""
    target = tmp_path / "out.csv"
    with pytest.raises(FileNotWritten) as refused, new_private_file(target, "the export") as new:
        new.partial.write_text("half")
        raise OSError(code, os.strerror(code), str(new.partial))
    assert str(refused.value) == sentence.format(target=target, folder=tmp_path)
    assert list(tmp_path.iterdir()) == []
