"""Files and folders the app creates are its user's alone: folders 0700, files 0600.

The database holds customers' names, phones and emails, and the logs say who did what;
on a shared shop computer other accounts must not read them. SQLite creates its -wal
and -shm files with the database file's own mode, so a private database file keeps
them private too. Files and folders that already exist keep the mode they have: an
administrator may have shared them with a group on purpose.

A file the app is told to write (a backup, an export, an import's rejects) is
`new_private_file`'s: its folder must exist (a mistyped folder is not made), an existing
file is never overwritten, and it appears whole or not at all. Stopped by Ctrl+C, it says
which of the two it was (`errors.Stopped`), so the command line can tell the person.
"""

from __future__ import annotations

import errno
import os
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from counter_tui.errors import Conflict, FileNotWritten, NotFound, Stopped

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents, each readable by this user only."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            continue  # another process made it meanwhile
        os.chmod(folder, PRIVATE_DIR_MODE)  # in case the umask took away our own access
    return path


def private_file(path: Path) -> Path:
    """Create the empty file `path` (and its folder) readable by this user only;
    an existing file is left as it is."""
    private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return path
    os.close(descriptor)
    os.chmod(path, PRIVATE_FILE_MODE)
    return path


def checked_new_file(path: Path, what: str = "the file") -> Path:
    """`path` (`~` expanded, made absolute) as the place for a new file: refused with a
    sentence when its folder does not exist or a file (or folder) is there already.
    `what` is the file in that sentence ("the export")."""
    path = path.expanduser().absolute()
    if not path.parent.is_dir():
        raise NotFound(
            f"There is no folder {path.parent}; create it first, or give a file in a folder that exists."
        )
    if path.exists():
        raise Conflict(f"There is already a file at {path}; give {what} another name.")
    return path


@dataclass
class NewFile:
    """A new file being written: `partial`, the temporary file to write, and `path`, the
    name it gets (with `numbered`, the name being tried, then the one it got)."""

    partial: Path
    path: Path


@contextmanager
def new_private_file(path: Path, what: str = "the file", *, numbered: bool = False) -> Iterator[NewFile]:
    """Write a new private file (0600) at `path` (checked by `checked_new_file`) whole or
    not at all: the block writes the empty temporary file `partial`, beside `path`, which
    takes `path`'s name only when the block ends without an error, and never over a file
    that appeared there meanwhile. Otherwise it is removed; on Ctrl+C, `Stopped` says so.
    `numbered`: a taken name is not refused; the file gets the first free one of
    `STEM-2.SUFFIX`, `STEM-3.SUFFIX`…"""
    path = path.expanduser().absolute()
    if not (numbered and path.parent.is_dir()):
        checked_new_file(path, what)  # the folder must exist; unless numbered, the name be free
    _remove_left_behind(path.parent)
    writer = f"{_host()}-{os.getpid()}"  # in the name, for `_remove_left_behind`
    try:
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{writer}.", suffix=PARTIAL)
    except OSError as error:
        raise FileNotWritten(not_written(error, path, what)) from error
    os.close(descriptor)
    new = NewFile(Path(name), path)
    written = _identity(new.partial)
    try:
        os.chmod(new.partial, PRIVATE_FILE_MODE)
        yield new
        _take_name(new, what, numbered)
    except OSError as error:
        raise FileNotWritten(not_written(error, path, what)) from error
    except KeyboardInterrupt:
        raise Stopped(_said_when_stopped(new, written, what)) from None
    finally:
        new.partial.unlink(missing_ok=True)


def _said_when_stopped(new: NewFile, written: tuple[int, int] | None, what: str) -> str:
    """What Ctrl+C left of `new`: nothing (its partial file goes), or, when it came just
    as the file took its name, the whole file (the name is the partial file's own)."""
    if written is not None and _identity(new.path) == written:
        return f"Stopped by Ctrl+C just after {what} at {new.path} was written whole."
    return f"Stopped by Ctrl+C; {what} at {new.path} was not written."


def _identity(path: Path) -> tuple[int, int] | None:
    """The file at `path` as the disk knows it (device, inode), or None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def not_written(error: OSError, path: Path | None, what: str = "the file") -> str:
    """The sentence for `what` at `path` (None: the command's output) that could not be
    written, naming the file asked for, never the hidden partial one the error names."""
    target = f"{what} at {path}" if path else "the output"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk is full, so {target} was not written whole. Free some space, then try again."
    if path is None:
        return f"Stopped: {error.strerror or error}."
    if error.errno == errno.EROFS:
        return (
            f"Cannot write {target}: the folder {path.parent} is on a read-only disk. Choose another folder."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return (
            f"Cannot write {target}: this user may not write in the folder {path.parent}. "
            "Nothing was written; choose a folder this user can write to."
        )
    return f"Cannot write {target}: {error.strerror or error}. Nothing was written."


PARTIAL = ".partial"


def _host() -> str:
    """This computer's name, as partial files' names hold it (no dots: they part the name)."""
    return socket.gethostname().replace(".", "_")


def _remove_left_behind(folder: Path) -> None:
    """Remove the partial files (`.NAME.HOST-PID.XXXX.partial`) in `folder` whose writer,
    a process on this computer, is gone (killed half way: they hold half an export's
    customer details, hidden). A writer on another computer sharing the folder, or still
    running, is left alone; a file that cannot be removed stays, and the write goes on."""
    host = _host()
    for partial in folder.glob(f".*{PARTIAL}"):
        writer = partial.name.removesuffix(PARTIAL).split(".")[-2]
        found_host, _, pid = writer.rpartition("-")
        if found_host == host and pid.isdigit() and partial.is_file() and not _running(int(pid)):
            with suppress(OSError):
                partial.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether a process `pid` runs on this computer (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _take_name(new: NewFile, what: str, numbered: bool) -> None:
    """Give the written `new.partial` the name `new.path` (or, `numbered`, the first free
    one after it, kept in `new.path` as it is tried): a hard link, which fails rather than
    replace a file; on a drive without hard links (a FAT USB stick) a rename after one last
    look."""
    base, number = new.path, 1
    while True:
        try:
            os.link(new.partial, new.path)
        except FileExistsError:
            pass
        except OSError:
            if not new.path.exists():
                os.replace(new.partial, new.path)
                return
        else:
            return
        if not numbered:
            raise Conflict(f"There is already a file at {new.path}; give {what} another name.")
        number += 1
        new.path = base.with_name(f"{base.stem}-{number}{base.suffix}")
