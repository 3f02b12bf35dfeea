"""A helper module run as a process of its own (`python -m MODULE ARGS…`), talked to
one line at a time: a terminal of the shop, for the tests with real processes.

Reading waits on the pipe with a generous timeout: the test goes on the moment the line
arrives, and fails (with what the process wrote to stderr) only if it never does.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT = 60.0


class LineProcess:
    """`python -m module args…` from the repository, its stdout read line by line."""

    def __init__(self, module: str, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._buffer = b""
        self.lines: list[str] = []

    def read_line(self) -> str:
        """The next line it printed; fails if it died or went quiet."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], LINE_TIMEOUT)
            chunk = os.read(fd, 65536) if ready else b""
            if not chunk:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise AssertionError(f"the process stopped or went quiet:\n{error}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        self.lines.append(line.decode())
        return self.lines[-1]

    def send(self, line: str) -> None:
        """Write one line to its stdin."""
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """SIGKILL it, then collect every line it printed before dying."""
        self.process.send_signal(signal.SIGKILL)
        assert self.process.stdout is not None
        rest = self._buffer + self.process.stdout.read()
        self.lines += [line.decode() for line in rest.splitlines()]
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
