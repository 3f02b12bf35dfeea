"""The layers keep their direction: the rules and the data never reach for the screen, and
the screens never reach for the database.

Reads the source and fails naming file and line wherever `services/`, `db/` or `sync/`
imports Textual or `counter_tui.ui` (so services stay usable from the command line, the
kiosk and tests, without a terminal), or wherever `ui/` imports SQLAlchemy or SQLModel or
calls `execute`/`exec`/`scalars` on anything (SQL in a screen skips the permissions and the
audit trail that the services write). A second check imports every module of the lower
layers in a fresh interpreter, so an indirect import of Textual (through a helper module
outside these folders) is caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import counter_tui

PACKAGE = Path(counter_tui.__file__).parent
LOWER_LAYERS = ("services", "db", "sync")
SCREEN_FORBIDDEN = ("textual", "counter_tui.ui")
SQL_FORBIDDEN = ("sqlalchemy", "sqlmodel")
SQL_CALLS = {"execute", "exec", "exec_driver_sql", "scalars", "scalar"}


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def _imported(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    """The absolute module names an import statement names (relative ones resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    base = ".".join(parts[: len(parts) - node.level])
    return [f"{base}.{node.module}" if node.module else base]


def offences(source: str, path: Path, imports: tuple[str, ...], calls: set[str]) -> list[str]:
    """`file:line what` for each import of a forbidden package and each call of a
    forbidden method name in `source` (the file at `path`)."""
    found = []
    name = path.relative_to(PACKAGE.parent)
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [f"{where} imports {name}" for name in _imported(node, path) if _within(name, imports)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in calls:
            found.append(f"{where} calls .{node.func.attr}()")
    return found


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (PACKAGE / folder).rglob("*.py"))


def test_services_db_and_sync_never_import_textual_or_the_ui() -> None:
    found = [
        offence
        for path in _sources(*LOWER_LAYERS)
        for offence in offences(path.read_text(), path, SCREEN_FORBIDDEN, set())
    ]
    assert found == []


def test_the_ui_runs_no_sql() -> None:
    found = [
        offence
        for path in _sources("ui")
        for offence in offences(path.read_text(), path, SQL_FORBIDDEN, SQL_CALLS)
    ]
    assert found == []


def test_importing_every_lower_layer_module_loads_no_textual() -> None:
    program = """
import importlib, pkgutil, sys
import counter_tui.services, counter_tui.db, counter_tui.sync
for package in (counter_tui.services, counter_tui.db, counter_tui.sync):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.split(".")[0] == "textual" or
      name == "counter_tui.ui" or name.startswith("counter_tui.ui.")))
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_checks_catch_each_kind_of_offence() -> None:
    """The guards above would fail on the mistakes they exist for."""
    service = PACKAGE / "services" / "example.py"
    screen = PACKAGE / "ui" / "screens" / "example.py"
    assert offences("from textual.widgets import Label\n", service, SCREEN_FORBIDDEN, set()) == [
        "counter_tui/services/example.py:1 imports textual.widgets"
    ]
    assert offences("def f():\n    from ..ui import app\n", service, SCREEN_FORBIDDEN, set()) == [
        "counter_tui/services/example.py:2 imports counter_tui.ui"
    ]
    assert offences("from ..calendar import x\nimport rich\n", service, SCREEN_FORBIDDEN, set()) == []
    assert offences("from sqlmodel import select\n", screen, SQL_FORBIDDEN, SQL_CALLS) == [
        "counter_tui/ui/screens/example.py:1 imports sqlmodel"
    ]
    assert offences("import sqlalchemy.orm\n", screen, SQL_FORBIDDEN, SQL_CALLS) == [
        "counter_tui/ui/screens/example.py:1 imports sqlalchemy.orm"
    ]
    assert offences("session.execute(query)\n", screen, SQL_FORBIDDEN, SQL_CALLS) == [
        "counter_tui/ui/screens/example.py:1 calls .execute()"
    ]
    assert offences("from counter_tui.db.models import Channel\n", screen, SQL_FORBIDDEN, SQL_CALLS) == []
