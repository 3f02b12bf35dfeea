"""A served session's environment filter: only the web driver's own `TEXTUAL*` variables, with
the values textual-serve gives them, reach Textual; a process not started by the server (or
given another driver) refuses to run."""

from __future__ import annotations

import os
import subprocess
import sys

from counter_tui.ui.served import NOT_SERVED, WEB_DRIVER, keep_only_web_driver_variables
from tests.concurrency.line_process import REPO_ROOT

HOSTILE = {
    "TEXTUAL": "debug,devtools",
    "TEXTUAL_PRESS": "f12",
    "TEXTUAL_SCREENSHOT": "0",
    "TEXTUAL_SCREENSHOT_LOCATION": "/tmp",
    "textual_debug": "1",
    "Textual_Log": "/tmp/textual.log",
}
SERVER_GIVES = {"TEXTUAL_DRIVER": WEB_DRIVER, "TEXTUAL_COLOR_SYSTEM": "truecolor", "TEXTUAL_FPS": "60"}


def test_keeps_the_web_drivers_variables_and_removes_every_other() -> None:
    environ = {**HOSTILE, **SERVER_GIVES, "COLUMNS": "120", "PATH": "/usr/bin"}

    removed = keep_only_web_driver_variables(environ)

    assert sorted(removed) == sorted(HOSTILE)
    assert environ == {**SERVER_GIVES, "COLUMNS": "120", "PATH": "/usr/bin"}


def test_web_driver_variables_with_other_values_are_removed_too() -> None:
    environ = {
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "TEXTUAL_COLOR_SYSTEM": "auto; rm -rf",
        "TEXTUAL_FPS": "0",
    }

    keep_only_web_driver_variables(environ)

    assert environ == {}


def _python(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.upper().startswith("TEXTUAL")}
    return subprocess.run(
        [sys.executable, *args] if not code else [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**clean, "PYTHONPATH": str(REPO_ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_textual_imported_after_the_filter_sees_only_the_web_driver() -> None:
    code = (
        "from counter_tui.ui.served import keep_only_web_driver_variables\n"
        "keep_only_web_driver_variables()\n"
        "from textual import constants as c\n"
        "print(c.DRIVER, c.PRESS or '-', c.SCREENSHOT_DELAY, c.DEBUG, c.LOG_FILE)\n"
    )

    result = _python(code, {**HOSTILE, **SERVER_GIVES})

    assert result.stdout.split() == [WEB_DRIVER, "-", "-1", "False", "None"], result.stderr


def test_a_session_not_started_by_the_server_refuses_to_run() -> None:
    for env in ({}, {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"}):
        result = _python("", {**HOSTILE, **env}, "-m", "counter_tui.ui.served", "--kiosk", "door")

        assert result.returncode == 1
        assert result.stderr.strip() == NOT_SERVED
