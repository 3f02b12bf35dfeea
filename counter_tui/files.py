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

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter_tui.errors import Conflict, NotFound

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


@contextmanager
def new_private_file(path: Path, what: str = "the file") -> Iterator[Path]:
    """Write a new private file (0600) at `path` (checked by `checked_new_file`) whole or
    not at all: the block writes the empty temporary file yielded, beside `path`, which
    takes `path`'s name only when the block ends without an error, and never over a file
    that appeared there meanwhile. Otherwise it is removed."""
    path = checked_new_file(path, what)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(descriptor)
    partial = Path(name)
    try:
        os.chmod(partial, PRIVATE_FILE_MODE)
        yield partial
        _take_name(partial, path, what)
    finally:
        partial.unlink(missing_ok=True)


def _take_name(partial: Path, path: Path, what: str) -> None:
    """Give the written `partial` the name `path`: a hard link, which fails rather than
    replace a file; on a drive without hard links (a FAT USB stick) a rename after one
    last look."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise Conflict(f"There is already a file at {path}; give {what} another name.") from None
    except OSError:
        checked_new_file(path, what)
        os.replace(partial, path)
