"""Files and folders the app creates are its user's alone: folders 0700, files 0600.

The database holds customers' names, phones and emails, and the logs say who did what;
on a shared shop computer other accounts must not read them. SQLite creates its -wal
and -shm files with the database file's own mode, so a private database file keeps
them private too. Files and folders that already exist keep the mode they have: an
administrator may have shared them with a group on purpose.

A file the app is told to write (a backup, an export, an import's rejects) is
`new_private_file`'s: its folder must exist (a mistyped folder is not made), an existing
file is never overwritten, and it appears whole or not at all.
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

from counter_tui.errors import Conflict, FileNotWritten, NotFound

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
    name it gets (with `numbered`, the name it got once written)."""

    partial: Path
    path: Path


@contextmanager
def new_private_file(path: Path, what: str = "the file", *, numbered: bool = False) -> Iterator[NewFile]:
    """Write a new private file (0600) at `path` (checked by `checked_new_file`) whole or
    not at all: the block writes the empty temporary file `partial`, beside `path`, which
    takes `path`'s name only when the block ends without an error, and never over a file
    that appeared there meanwhile. Otherwise it is removed. `numbered`: a taken name is
    not refused; the file gets the first free one of `STEM-2.SUFFIX`, `STEM-3.SUFFIX`…"""
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
    try:
        os.chmod(new.partial, PRIVATE_FILE_MODE)
        yield new
        new.path = _take_name(new.partial, path, what, numbered)
    except OSError as error:
        raise FileNotWritten(not_written(error, path, what)) from error
    finally:
        new.partial.unlink(missing_ok=True)


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


def _take_name(partial: Path, path: Path, what: str, numbered: bool) -> Path:
    """Give the written `partial` the name `path` (or, `numbered`, the first free one
    after it), and that name: a hard link, which fails rather than replace a file; on a
    drive without hard links (a FAT USB stick) a rename after one last look."""
    base, number = path, 1
    while True:
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.replace(partial, path)
                return path
        else:
            return path
        if not numbered:
            raise Conflict(f"There is already a file at {path}; give {what} another name.")
        number += 1
        path = base.with_name(f"{base.stem}-{number}{base.suffix}")
