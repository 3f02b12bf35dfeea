"""Files and folders the app creates are its user's alone: folders 0700, files 0600.

The database holds customers' names, phones and emails, and the logs say who did what;
on a shared shop computer other accounts must not read them. SQLite creates its -wal
and -shm files with the database file's own mode, so a private database file keeps
them private too. Files and folders that already exist keep the mode they have: an
administrator may have shared them with a group on purpose.
"""

from __future__ import annotations

import os
from pathlib import Path

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
