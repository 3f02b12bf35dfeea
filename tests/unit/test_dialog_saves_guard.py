"""A dialog that saves calls its service while it is still open (`dialogs.form.ask`).

Pushed as `push_screen(dialog, callback)` with the service called in the callback, a form
closed on Enter before the service could refuse: the refusal came as a toast, what was
typed was lost, and the keys typed next worked the screen underneath (a new PIN "12" on
the staff screen, then d deactivated someone). This reads the source under counter_tui/ui
and fails, naming file and line, on a `push_screen` of a FormDialog with a callback (as
the second argument or `callback=`), or on a `push_screen_wait` of one; the dialog built
in the call or bound to a name in the same function. Dialogs that save nothing, whose
answer is only used to show something, are allowed in SAVES_NOTHING.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import counter_tui.ui
from counter_tui.ui.dialogs.form import FormDialog

UI = Path(counter_tui.ui.__file__).parent
SAVES_NOTHING = {
    "AuditFilterDialog": "returns the filters; the audit screen only reads the log with them",
}
"""FormDialogs that may hand their answer to a callback: the dialog's name and why."""


def form_dialogs() -> set[str]:
    """The names of FormDialog and all its subclasses, every module under ui imported."""
    for module in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        importlib.import_module(module.name)
    names: set[str] = set()
    classes: list[type] = [FormDialog]
    while classes:
        dialog = classes.pop()
        names.add(dialog.__name__)
        classes.extend(dialog.__subclasses__())
    return names


def called(node: ast.expr) -> str:
    """`X` for `X(...)` or `module.X(...)`; '' for anything else."""
    if not isinstance(node, ast.Call):
        return ""
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else ""


def saved_after_closing(source: str, dialogs: set[str]) -> list[str]:
    """`line: Name` where `source` pushes one of `dialogs` so that its answer is used after
    it closes (a callback, or `push_screen_wait`)."""
    found: set[str] = set()
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        bound = {
            node.targets[0].id: called(node.value)
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
        }
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            pushed = node.args[0]
            dialog = bound.get(pushed.id, "") if isinstance(pushed, ast.Name) else called(pushed)
            with_callback = len(node.args) > 1 or any(word.arg == "callback" for word in node.keywords)
            answer_used = (node.func.attr == "push_screen" and with_callback) or (
                node.func.attr == "push_screen_wait"
            )
            if answer_used and dialog in dialogs and dialog not in SAVES_NOTHING:
                found.add(f"{node.lineno}: {dialog}")
    return sorted(found, key=lambda where: int(where.split(":")[0]))


def test_the_guard_sees_a_dialog_whose_answer_is_saved_after_it_closes() -> None:
    lines = [
        "def set_pin(self):",
        "    self.app.push_screen(NewPinDialog(name), set_pin)",
        "    app.push_screen(dialogs.NewPinDialog(name), callback=set_pin)",
        "    dialog = TextPromptDialog('Why?', '')",
        "    self.app.push_screen(dialog, restore)",
        "    async def later():",
        "        await self.app.push_screen_wait(TextPromptDialog('Why?', ''))",
    ]
    dialogs = {"NewPinDialog", "TextPromptDialog"}
    assert saved_after_closing("\n".join(lines), dialogs) == [
        "2: NewPinDialog",
        "3: NewPinDialog",
        "5: TextPromptDialog",
        "7: TextPromptDialog",
    ]


def test_the_guard_lets_ask_screens_and_allowed_dialogs_through() -> None:
    lines = [
        "def ask(where, dialog, save):",
        "    where.app.push_screen(dialog, closed)",
        "def show(self):",
        "    self.app.push_screen(AuditEventDialog(entry))",
        "    self.app.push_screen(AuditFilterDialog(filters), self._filtered)",
        "    self.app.push_screen(CustomerScreen(customer_id=1), opened)",
    ]
    dialogs = {"AuditEventDialog", "AuditFilterDialog"}
    assert saved_after_closing("\n".join(lines), dialogs) == []


def test_the_dialogs_allowed_are_form_dialogs() -> None:
    assert set(SAVES_NOTHING) <= form_dialogs()


def test_no_dialog_under_ui_saves_after_it_closes() -> None:
    dialogs = form_dialogs()
    found = [
        f"{path.relative_to(UI.parent).as_posix()}:{where}"
        for path in sorted(UI.rglob("*.py"))
        for where in saved_after_closing(path.read_text(encoding="utf-8"), dialogs)
    ]
    assert found == [], (
        "A FormDialog whose answer is used after it closes: a refusal then loses what was "
        "typed. Call the service through dialogs.form.ask (or, if it saves nothing, add it "
        "to SAVES_NOTHING with why):\n" + "\n".join(found)
    )
