"""Log files rotate (issue 13): a shop terminal runs for years, so its log is kept to a
few files of bounded size, each private to this user (0600) and written by the formatter
that leaves personal data out."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_tui.logs import LOG_BACKUPS, LOG_MAX_BYTES, SafeFormatter, attach_log_file


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    """A logger of its own, its handlers closed afterwards."""
    logger = logging.getLogger("counter_tui.test_rotation")
    logger.propagate = False
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_the_log_rotates_into_a_bounded_number_of_private_files(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = tmp_path / "counter-tui.log"
    attach_log_file(logger, path)
    line = "x" * 1000

    for _ in range((LOG_BACKUPS + 3) * LOG_MAX_BYTES // 1000):
        logger.info(line)

    files = sorted(tmp_path.iterdir())
    assert files == [path, *(tmp_path / f"counter-tui.log.{n}" for n in range(1, LOG_BACKUPS + 1))]
    for file in files:
        assert file.stat().st_size <= LOG_MAX_BYTES
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_a_rotated_log_keeps_the_safe_formatter(tmp_path: Path, logger: logging.Logger) -> None:
    attach_log_file(logger, tmp_path / "kiosk.log")

    (handler,) = logger.handlers
    assert isinstance(handler.formatter, SafeFormatter)


def test_attaching_a_log_removed_since_writes_to_the_new_file(tmp_path: Path, logger: logging.Logger) -> None:
    """A log file removed while the app runs (cleaned away, or renamed by another process's
    rotation) and attached again at the same path is written anew: the handler kept writing
    to the file no longer there, and the new one stayed empty."""
    path = tmp_path / "counter-tui.log"
    attach_log_file(logger, path)
    logger.info("before")
    path.unlink()

    attach_log_file(logger, path)
    logger.info("after")

    assert path.read_text(encoding="utf-8").endswith("after\n")
    assert len(logger.handlers) == 1


def test_attaching_the_same_log_again_keeps_its_handler(tmp_path: Path, logger: logging.Logger) -> None:
    path = tmp_path / "counter-tui.log"
    attach_log_file(logger, path)
    (handler,) = logger.handlers

    attach_log_file(logger, path)

    assert logger.handlers == [handler]
