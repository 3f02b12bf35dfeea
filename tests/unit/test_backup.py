"""`db backup` and `db restore`: a checked, private copy made by a shift lead and
audited; a restore refused while anyone is signed in, keeping a copy of what it
replaced, with the audit chain intact afterwards; both on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.db.engine import sqlite_path
from counter_tui.db.models import AuditEvent, Customer
from counter_tui.errors import Conflict, DatabaseUnavailable, InvalidInput, NotAllowed, NotFound
from counter_tui.services import backup, customers, sessions, staff
from counter_tui.services.audit_verify import verify_chain
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.test_cli import assert_one_line_failure
from tests.unit.test_cli_staff import LEAD_ENV, events, invoke


def customer_names(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        return sorted(session.exec(select(Customer.name)))


def sign_everyone_out(ctx: ShopContext, team: Team) -> None:
    for actor in (team.lead, team.sam, team.alex):
        sessions.sign_out(ctx, actor)


def integrity(path: Path) -> list[tuple[str]]:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as connection:
        return connection.execute("PRAGMA integrity_check").fetchall()


def test_a_backup_is_a_checked_private_single_file_in_the_backups_folder(
    ctx: ShopContext, team: Team
) -> None:
    customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")

    made = backup.back_up(ctx, team.lead)

    database_file = sqlite_path(ctx.database.url)
    assert database_file is not None
    assert made.path.parent == database_file.parent / "backups"
    assert stat.S_IMODE(made.path.stat().st_mode) == 0o600
    assert integrity(made.path) == [("ok",)]
    assert not made.path.with_name(made.path.name + "-wal").exists()
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT name FROM customer").fetchall() == [("Ann Lee",)]
    with ctx.database.read() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == backup.BACKED_UP)).one()
    assert event.actor_id == team.lead.staff_id and str(made.path) in event.details


def test_only_a_lead_backs_up_and_an_existing_file_is_never_overwritten(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    with pytest.raises(NotAllowed, match="Only a shift lead can back up the shop's database"):
        backup.back_up(ctx, team.sam, tmp_path / "sams.sqlite3")
    assert not (tmp_path / "sams.sqlite3").exists()

    there = tmp_path / "taken.sqlite3"
    there.write_text("keep me")
    with pytest.raises(Conflict, match="There is already a file at"):
        backup.back_up(ctx, team.lead, there)
    assert there.read_text() == "keep me"
    missing = tmp_path / "no-such-folder" / "b.sqlite3"
    with pytest.raises(NotFound, match=r"There is no folder .*no-such-folder; create it first"):
        backup.back_up(ctx, team.lead, missing)
    assert not missing.parent.exists()


def test_restore_is_refused_while_anyone_is_signed_in_naming_them(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    made = backup.back_up(ctx, team.lead)
    other_terminal.settings.terminal_name = "till-2"
    staff.sign_in(other_terminal, team.sam.staff_id or 0, "2222")
    sessions.sign_out(ctx, team.alex)  # the last to sign in at this terminal

    with pytest.raises(Conflict, match=r"Staff are signed in \(Sam at till-2 since 11:00 20 Nov\)"):
        backup.restore(ctx, team.lead, made.path)
    assert customer_names(ctx) == []


def test_restore_checks_the_file_before_saying_who_is_signed_in(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert sessions.signed_in_terminals(ctx) != []

    with pytest.raises(InvalidInput, match=r"garbage\.db is not a counter-tui backup"):
        backup.restore(ctx, team.lead, garbage)
    with pytest.raises(NotFound, match="There is no backup file at"):
        backup.restore(ctx, team.lead, tmp_path / "missing.sqlite3")
    database_file = sqlite_path(ctx.database.url)
    assert database_file is not None
    with pytest.raises(InvalidInput, match="is the shop's database itself"):
        backup.restore(ctx, team.lead, database_file)


def test_signed_in_terminals_follows_sign_ins_sign_outs_and_closes(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    other_terminal.settings.terminal_name = "till-2"
    staff.sign_in(other_terminal, team.alex.staff_id or 0, "3333")
    assert [(s.terminal, s.name) for s in sessions.signed_in_terminals(ctx)] == [
        ("counter", "Alex"),
        ("till-2", "Alex"),
    ]
    sessions.sign_out(ctx, team.alex)
    sessions.close_terminal(other_terminal, team.lead.staff_id or 0, "1111")
    assert sessions.signed_in_terminals(ctx) == []


def test_restore_brings_back_the_backup_keeps_what_it_replaced_and_the_chain_verifies(
    ctx: ShopContext, team: Team
) -> None:
    customers.create_customer(ctx, team.sam, name="Ann Lee", phone="07700 900111")
    made = backup.back_up(ctx, team.lead)
    customers.create_customer(ctx, team.sam, name="Bea Kay", phone="07700 900222")
    sign_everyone_out(ctx, team)

    done = backup.restore(ctx, team.lead, made.path)

    assert customer_names(ctx) == ["Ann Lee"]
    with sqlite3.connect(done.replaced_kept_at) as kept:
        assert sorted(kept.execute("SELECT name FROM customer")) == [("Ann Lee",), ("Bea Kay",)]
    assert stat.S_IMODE(done.replaced_kept_at.stat().st_mode) == 0o600
    database_file = sqlite_path(ctx.database.url)
    assert database_file is not None
    assert integrity(database_file) == [("ok",)]
    with ctx.database.read() as session:
        restored = session.exec(select(AuditEvent).where(AuditEvent.action == backup.RESTORED)).one()
    assert restored.actor_id == team.lead.staff_id
    assert str(done.replaced_kept_at) in restored.details
    assert verify_chain(ctx).intact


def test_restore_refuses_a_file_that_is_not_a_backup_and_the_database_itself(
    ctx: ShopContext, team: Team, tmp_path: Path
) -> None:
    sign_everyone_out(ctx, team)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database " * 100)
    with pytest.raises(InvalidInput, match="is not a counter-tui backup"):
        backup.restore(ctx, team.lead, junk)
    database_file = sqlite_path(ctx.database.url)
    assert database_file is not None
    with pytest.raises(InvalidInput, match="is the shop's database itself"):
        backup.restore(ctx, team.lead, database_file)
    with pytest.raises(NotFound, match="There is no backup file at"):
        backup.restore(ctx, team.lead, tmp_path / "missing.sqlite3")


def test_cli_backup_and_restore_ask_for_the_lead_and_say_where(shop_with_lead: str, tmp_path: Path) -> None:
    target = tmp_path / "kept" / "monday.sqlite3"
    target.parent.mkdir()

    refused = invoke(shop_with_lead, "db", "backup", str(target))
    assert_one_line_failure(
        refused,
        "This needs a shift lead's name and PIN: give --lead NAME and set COUNTER_TUI_LEAD_PIN, "
        "or run it where it can ask.",
    )
    made = invoke(shop_with_lead, "db", "backup", str(target), env=LEAD_ENV)
    assert made.exit_code == 0, made.output
    assert f"Backed up to {target}" in made.output and "integrity check passed" in made.output
    again = invoke(shop_with_lead, "db", "backup", str(target), env=LEAD_ENV)
    assert_one_line_failure(again, f"There is already a file at {target}; give the backup another name.")

    restored = invoke(shop_with_lead, "db", "restore", str(target), env=LEAD_ENV)
    assert restored.exit_code == 0, restored.output
    assert f"Restored from {target}. What it replaced is kept at " in restored.output
    # The backup's own event came after the copy: it is in the replaced copy, not the backup.
    assert [e.action for e in events(shop_with_lead, backup.BACKED_UP, backup.RESTORED)] == [backup.RESTORED]
    verified = invoke(shop_with_lead, "audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_cli_backup_to_a_name_with_terminal_escapes_spells_them_out(
    shop_with_lead: str, tmp_path: Path
) -> None:
    target = tmp_path / "monday\x1b[2J.sqlite3"

    made = invoke(shop_with_lead, "db", "backup", str(target), env=LEAD_ENV)

    assert made.exit_code == 0, made.output
    assert made.stdout.startswith(f"Backed up to {tmp_path}/monday\\x1b[2J.sqlite3 (")
    assert target.is_file()


def test_cli_restore_of_a_wrong_file_says_so_before_asking_for_a_lead(
    shop_with_lead: str, tmp_path: Path
) -> None:
    """No lead is fetched to type a PIN for a restore that cannot happen."""
    missing = tmp_path / "missing.sqlite3"
    assert_one_line_failure(
        invoke(shop_with_lead, "db", "restore", str(missing)), f"There is no backup file at {missing}."
    )
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database " * 100)
    refused = invoke(shop_with_lead, "db", "restore", str(junk))
    assert refused.exit_code != 0 and "is not a counter-tui backup" in refused.output


def test_postgres_backup_and_restore_with_pg_dump(pg_url: str) -> None:
    from tests.concurrency.race import open_race_shop

    ctx, (lead, associate) = open_race_shop(pg_url, leads=1, associates=1)
    try:
        customers.create_customer(ctx, associate, name="Ann Lee", phone="07700 900111")
        made = backup.back_up(ctx, lead)
        customers.create_customer(ctx, associate, name="Bea Kay", phone="07700 900222")
        assert stat.S_IMODE(made.path.stat().st_mode) == 0o600

        done = backup.restore(ctx, lead, made.path)

        assert customer_names(ctx) == ["Ann Lee"]
        assert done.replaced_kept_at.stat().st_size > 0
        assert verify_chain(ctx).intact
        with ctx.database.read() as session:
            assert session.exec(select(AuditEvent.id).where(col(AuditEvent.action) == backup.RESTORED)).all()
    finally:
        ctx.database.dispose()


def test_postgres_without_pg_dump_is_one_sentence(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.concurrency.race import open_race_shop

    ctx, (lead,) = open_race_shop(pg_url, leads=1, associates=0)
    monkeypatch.setenv("PATH", str(tmp_path))
    try:
        with pytest.raises(DatabaseUnavailable, match="pg_dump is not installed on this computer"):
            backup.back_up(ctx, lead, tmp_path / "shop.dump")
        assert not list(tmp_path.glob("shop.dump*"))
    finally:
        ctx.database.dispose()
