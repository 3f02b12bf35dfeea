"""Backing up the shop's database while terminals work, and restoring it from a backup.

SQLite: SQLite's own backup API copies the database in one step under a read snapshot
(WAL lets the other terminals keep writing meanwhile), so the copy is the database as it
was at one moment, never half a transaction. The copy is made under a temporary name,
switched out of WAL mode so it is one self-contained file, checked with
`PRAGMA integrity_check`, and only then given its name. PostgreSQL: `pg_dump` (custom
format), when the PostgreSQL client tools are installed, checked by `pg_restore --list`.
Backups are private files (0600): they hold every customer's personal data.

A restore replaces the shop's data, so it is refused while anyone is signed in at a
terminal (they would go on working on data that is no longer there), and it first
backs up what it replaces. On SQLite the backup is copied into the live file with the
backup API, so the file stays the one every terminal has open; the schema is then
brought up to date, and the data given a new generation (`DatabaseGeneration`): its change
numbers restart from the backup's, and running terminals' change feeds compare the
generation to know they must read everything again rather than skip those numbers.
Both are a shift lead's to do and audited; the restore's event is written into the
restored database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.engine import make_url

from counter_tui.db.engine import SQLITE_BUSY_TIMEOUT_MS, sqlite_path
from counter_tui.db.migrate import is_known, schema_too_new, upgrade
from counter_tui.db.models import DatabaseGeneration, Staff, TerminalSession
from counter_tui.errors import Conflict, DatabaseUnavailable, InvalidInput, NotFound
from counter_tui.files import new_private_file
from counter_tui.folders import BACKUPS, shop_folder
from counter_tui.services import audit
from counter_tui.services.contact import shop_region
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require
from counter_tui.services.sessions import signed_in_terminals

BACKED_UP = "database.backed_up"
RESTORED = "database.restored"
PG_TOOL_SECONDS = 3600
PG_TOOLS_MISSING = (
    "{tool} is not installed on this computer (or not on its PATH), and a PostgreSQL shop is "
    "backed up and restored with it. Install the PostgreSQL client tools (e.g. "
    "apt install postgresql-client) and run this again."
)


@dataclass(frozen=True)
class BackupMade:
    """A checked backup file and its size in bytes."""

    path: Path
    size: int


@dataclass(frozen=True)
class RestoreDone:
    """The backup restored, and the backup of what it replaced."""

    restored_from: Path
    replaced_kept_at: Path


def back_up(ctx: ShopContext, actor: Actor, destination: Path | None = None) -> BackupMade:
    """Copy the shop's database to `destination` (a new file, or a folder to put it in;
    default: the shop's backups folder) while terminals keep working; a shift lead only.
    Refuses to overwrite a file, or to make a folder that does not exist."""
    with ctx.database.read() as session:
        require(session, actor, Action.BACK_UP_DATABASE)
    made = _copy_out(ctx, _new_file(ctx, destination, "backup"))
    with ctx.database.write() as session:
        require(session, actor, Action.BACK_UP_DATABASE)
        audit.record(session, ctx, actor, BACKED_UP, "database", None, path=str(made.path), size=made.size)
    return made


def usable_backup(ctx: ShopContext, source: Path) -> Path:
    """`source` as a full path, when it is a backup of this shop's kind that a restore can
    use; otherwise a sentence saying what is wrong with it. Reads only the file: the
    command asks for a lead after this, so nobody types a PIN for a wrong file."""
    source = source.expanduser().resolve()
    if not source.is_file():
        raise NotFound(f"There is no backup file at {source}.")
    if ctx.database.is_sqlite:
        _check_sqlite_backup(ctx, source)
        if sqlite_path(ctx.database.url) == source:
            raise InvalidInput(f"{source} is the shop's database itself, not a backup of it.")
    else:
        _pg_tool("pg_restore", "--list", str(source))
    return source


def restore(ctx: ShopContext, actor: Actor, source: Path) -> RestoreDone:
    """Replace the shop's data with the backup at `source`; a shift lead only, and only
    while nobody is signed in at any terminal (asked only once `source` is known to be a
    backup it can use, so a wrong file is not answered with who to sign out). What it
    replaces is backed up first."""
    with ctx.database.read() as session:
        require(session, actor, Action.RESTORE_DATABASE)
    source = usable_backup(ctx, source)
    _refuse_while_signed_in(ctx)  # after the file's checks: a wrong file is said first
    kept = _copy_out(ctx, _new_file(ctx, None, "before-restore"))
    if ctx.database.is_sqlite:
        _sqlite_copy_in(ctx, source)
    else:
        _pg_restore(ctx, source)
    upgrade(ctx.database, phone_region=shop_region(ctx.settings.shop))
    ctx.forget_rules()
    with ctx.database.write() as session:
        # A new copy of the data: running feeds see a new generation and re-read it all;
        # the backup's apps and sign-ins are not the ones running now (they beat back).
        session.merge(DatabaseGeneration(id=1, generation=uuid.uuid4().hex))
        session.connection().execute(delete(TerminalSession))
        lead = session.get(Staff, actor.staff_id)
        known = lead is not None and lead.name == actor.name
        audit.record(
            session,
            ctx,
            actor if known else None,
            RESTORED,
            "database",
            None,
            allowed_by=actor.name,
            source=str(source),
            replaced_kept_at=str(kept.path),
        )
    return RestoreDone(restored_from=source, replaced_kept_at=kept.path)


def _refuse_while_signed_in(ctx: ShopContext) -> None:
    here = signed_in_terminals(ctx)
    if here:
        who = "; ".join(person.describe(ctx) for person in here)
        raise Conflict(
            f"Staff are signed in ({who}). Ask them to sign out (or close the app) first, then restore."
        )


def _new_file(ctx: ShopContext, destination: Path | None, label: str) -> Path:
    """Where a new backup goes: `destination` itself, a dated name inside it when it is a
    folder, or a dated name in the shop's backups folder (`_copy_out` refuses a folder
    that does not exist and an existing file)."""
    stamp = ctx.calendar.local(ctx.now()).format("YYYY-MM-DD-HHmmss")
    suffix = ".sqlite3" if ctx.database.is_sqlite else ".dump"
    name = f"counter-tui-{label}-{stamp}{suffix}"
    if destination is None:
        return shop_folder(ctx.database.url, BACKUPS) / name
    destination = destination.expanduser()
    return destination / name if destination.is_dir() else destination


def _copy_out(ctx: ShopContext, path: Path) -> BackupMade:
    """Write the checked backup to `path`, a new private file (`files.new_private_file`:
    through a temporary file beside it, named only once checked)."""
    with new_private_file(path, "the backup") as new:
        if ctx.database.is_sqlite:
            _sqlite_copy_out(ctx, new.partial)
        else:
            _pg_dump(ctx, new.partial)
    path = path.resolve()
    return BackupMade(path=path, size=path.stat().st_size)


@contextmanager
def _sqlite(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain connection to an existing SQLite file, closed afterwards."""
    mode = "ro" if read_only else "rw"
    connection = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        yield connection
    finally:
        connection.close()


def _live_file(ctx: ShopContext) -> Path:
    path = sqlite_path(ctx.database.url)
    if path is None:
        raise InvalidInput("An in-memory database cannot be backed up or restored.")
    return path


def _sqlite_copy_out(ctx: ShopContext, partial: Path) -> None:
    """The live database copied into `partial` in one step, made a single file, checked."""
    try:
        with _sqlite(_live_file(ctx)) as live, _sqlite(partial) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = _integrity_problems(copy)
    except sqlite3.Error as error:
        raise DatabaseUnavailable(f"The backup could not be made: {error}.") from error
    if problems:
        raise DatabaseUnavailable(f"The backup failed its integrity check ({problems}); it was not kept.")


def _integrity_problems(connection: sqlite3.Connection) -> str:
    """'' when `PRAGMA integrity_check` finds nothing wrong, else its first finding."""
    found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return "" if found == ["ok"] else str(found[0])


def _check_sqlite_backup(ctx: ShopContext, source: Path) -> None:
    """Refuse a file that is not a sound counter-tui backup this version can use."""
    try:
        with _sqlite(source, read_only=True) as backup:
            problems = _integrity_problems(backup)
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise InvalidInput(f"{source} is not a counter-tui backup ({error}).") from error
    if problems:
        raise InvalidInput(f"{source} is damaged ({problems}); choose another backup.")
    if revision is None:
        raise InvalidInput(f"{source} is not a counter-tui backup (it holds no shop).")
    if not is_known(ctx.database, revision[0]):
        raise schema_too_new(ctx.database, revision[0])


def _sqlite_copy_in(ctx: ShopContext, source: Path) -> None:
    """Copy the backup into the live file (same file, so open terminals follow)."""
    try:
        with _sqlite(source, read_only=True) as backup, _sqlite(_live_file(ctx)) as live:
            backup.backup(live)
            live.execute("PRAGMA journal_mode = WAL")
            problems = _integrity_problems(live)
    except sqlite3.Error as error:
        raise DatabaseUnavailable(f"The restore did not complete: {error}. Nothing was changed.") from error
    if problems:
        raise DatabaseUnavailable(f"The restored database failed its integrity check ({problems}).")
    ctx.database.dispose()


def _pg_dump(ctx: ShopContext, partial: Path) -> None:
    _pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={partial}", database=ctx)
    _pg_tool("pg_restore", "--list", str(partial))


def _pg_restore(ctx: ShopContext, source: Path) -> None:
    ctx.database.dispose()
    replace = ("--clean", "--if-exists", "--no-owner", "--single-transaction")
    _pg_tool("pg_restore", *replace, str(source), database=ctx)


def _pg_tool(tool: str, *args: str, database: ShopContext | None = None) -> None:
    """Run a PostgreSQL client tool (on the shop's database when given, the password in
    its environment, never on its command line); its failure as one sentence."""
    program = shutil.which(tool)
    if program is None:
        raise DatabaseUnavailable(PG_TOOLS_MISSING.format(tool=tool))
    env = dict(os.environ)
    command = [program, *args]
    if database is not None:
        url = make_url(database.database.url)
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        command.append(f"--dbname={plain}")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TOOL_SECONDS)
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[0]
        raise DatabaseUnavailable(f"{tool} failed: {said}")
