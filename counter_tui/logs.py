"""Where unexpected errors go: a log file in the platformdirs user log dir, never the screen.

Log files are private to this user (0600, in a 0700 folder) and hold no personal data:
a database error is logged as the kind of statement that failed ("INSERT INTO
customer") and the driver's error code, never its message or parameters, because
PostgreSQL's details ("Failing row contains (…)", "Key (email)=(…)") and SQLAlchemy's
"[parameters: …]" repeat the names, phones and emails being saved.

A terminal runs for years, so a log file rotates: at `LOG_MAX_BYTES` it becomes
`NAME.1` (older ones `NAME.2` …), and only `LOG_BACKUPS` old files are kept.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import traceback
from pathlib import Path
from typing import Any

from platformdirs import user_log_dir

from counter_tui.app_paths import APP_NAME
from counter_tui.files import PRIVATE_FILE_MODE, private_dir, private_file

LOG = logging.getLogger("counter_tui")
#: Unexpected errors of the apps' one error path (ui/guarded_app.py); into the same file.
UNEXPECTED_LOG = logging.getLogger("counter_tui.unexpected")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES = 1024 * 1024
LOG_BACKUPS = 5
STATEMENT_KIND = re.compile(
    r"^\s*(?:(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\S+)|(SELECT)\b.*?\bFROM\s+(\S+)|(\w+))",
    re.IGNORECASE | re.DOTALL,
)


def log_dir() -> Path:
    """This user's log folder, created private."""
    return private_dir(Path(user_log_dir(APP_NAME)))


def log_file(name: str = "counter-tui.log") -> Path:
    """A log file of this user, created private (an existing one is made private too)."""
    path = private_file(log_dir() / name)
    os.chmod(path, PRIVATE_FILE_MODE)
    return path


def attach_log_file(logger: logging.Logger, path: Path) -> None:
    """Send `logger`'s records to `path` with the safe formatter, instead of to any
    other file (attaching the same file again changes nothing, unless it was removed or
    replaced since: the handler would go on writing to the file no longer there)."""
    for existing in [h for h in logger.handlers if isinstance(h, logging.FileHandler)]:
        if _writes_to(existing, path):
            return
        logger.removeHandler(existing)
        existing.close()
    handler = PrivateRotatingFileHandler(
        path,
        maxBytes=LOG_MAX_BYTES,
        backupCount=LOG_BACKUPS,
        encoding="utf-8",
        errors="backslashreplace",
    )
    handler.setFormatter(SafeFormatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _writes_to(handler: logging.FileHandler, path: Path) -> bool:
    """Whether `handler` writes to the file now at `path`."""
    if Path(handler.baseFilename) != path.absolute():
        return False
    if handler.stream is None:  # not opened yet: it opens the path when it first writes
        return True
    try:
        return os.path.samestat(os.fstat(handler.stream.fileno()), os.stat(path))
    except OSError:
        return False


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every new file (the first, and each after a rotation) is
    created readable by this user only, whatever the umask."""

    def _open(self) -> Any:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


def configure_logging() -> Path:
    """Send counter_tui's log records to the log file (once per process)."""
    path = log_file()
    attach_log_file(LOG, path)
    return path


class SafeFormatter(logging.Formatter):
    """Formats exceptions with their stack, but database errors without their values."""

    def formatException(self, ei: Any) -> str:
        """Each exception of the chain: its stack, its type, and its safe message."""
        error = ei[1]
        if error is None:
            return ""
        parts: list[str] = []
        seen: set[int] = set()
        current: BaseException | None = error
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            parts.append(
                "".join(traceback.format_tb(current.__traceback__))
                + f"{type(current).__module__}.{type(current).__qualname__}: {safe_message(current)}"
            )
            current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        return "\n\nwhich was raised while handling or because of:\n".join(reversed(parts)).rstrip()


def safe_message(error: BaseException) -> str:
    """What an exception says, with a database error cut down to what holds no values."""
    statement = getattr(error, "statement", None)
    original = getattr(error, "orig", None)
    if statement is not None or _is_driver_error(error):
        cause = original if original is not None else error
        code = getattr(cause, "sqlstate", None) or getattr(cause, "sqlite_errorname", None)
        summary = f"{type(cause).__name__}" + (f" ({code})" if code else "")
        if statement is not None:
            summary += f" in {statement_kind(str(statement))}"
        return summary
    return str(error)


def statement_kind(statement: str) -> str:
    """The verb and table of an SQL statement, e.g. `INSERT INTO customer`."""
    match = STATEMENT_KIND.match(statement)
    if match is None:
        return "a statement"
    verb, table, select, source, other = match.groups()
    if verb:
        return f"{' '.join(verb.upper().split())} {table.strip(chr(34))}"
    if select:
        return f"SELECT FROM {source.strip(chr(34))}"
    return other.upper()


def _is_driver_error(error: BaseException) -> bool:
    """Whether `error` comes from a database driver (its text may repeat values)."""
    module = type(error).__module__
    return module.startswith(("psycopg", "sqlite3", "sqlalchemy")) or hasattr(error, "sqlstate")
