"""A dialog opened from another dialog's answer (a preview, a confirmation, "already on
file?") is asked over it, so Esc goes back to the first with what was typed.

The check-off dialog's email preview was asked from `then`, after the check-off dialog had
closed: its "Esc goes back" went back to the list, and what was typed (the personal line,
what was done) was gone. One mechanism keeps the first dialog open underneath:
`ask(..., confirm=…)` for a second question about what the first's service returned, and
`ask(..., over=first)` for one asked from the first's `refused`. This reads the source
under counter_tui/ui and fails, naming file and line, on an `ask(...)` whose `then`
callback opens another dialog, or whose `refused` callback asks one without `over=`;
callbacks are followed into the functions and methods of the same module they call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import counter_tui.ui

UI = Path(counter_tui.ui.__file__).parent
DIALOG_PUSHES = {"push_screen", "push_screen_wait"}


def _is_ask(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ask"


def _dialog(node: ast.expr) -> bool:
    """Whether `node` builds a dialog (`XDialog(...)`), not a screen."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.endswith("Dialog")


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((word.value for word in call.keywords if word.arg == name), None)


class Module:
    """The functions of one source file, by name (nested ones too), to follow calls into."""

    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.setdefault(node.name, []).append(node)

    def bodies(self, callback: ast.expr) -> list[ast.AST]:
        """What running `callback` runs: a lambda's body, or the functions it names."""
        if isinstance(callback, ast.Lambda):
            return [callback.body]
        name = ""
        if isinstance(callback, ast.Name):
            name = callback.id
        elif (
            isinstance(callback, ast.Attribute)
            and isinstance(callback.value, ast.Name)
            and callback.value.id == "self"
        ):
            name = callback.attr  # a method of the same class
        return list(self.functions.get(name, []))

    def reached(self, callback: ast.expr) -> list[ast.AST]:
        """Every node `callback` runs, following calls to functions of this module."""
        seen: set[int] = set()
        todo = self.bodies(callback)
        nodes: list[ast.AST] = []
        while todo:
            body = todo.pop()
            if id(body) in seen:
                continue
            seen.add(id(body))
            for node in ast.walk(body):
                nodes.append(node)
                if isinstance(node, ast.Call) and not _is_ask(node):
                    todo.extend(self.bodies(node.func))
        return nodes


def opened_after(source: str) -> list[str]:
    """`line: why` for each ask in `source` whose `then` opens a dialog, or whose
    `refused` asks one not over it."""
    module = Module(source)
    found: set[str] = set()
    for call in ast.walk(module.tree):
        if not _is_ask(call):
            continue
        assert isinstance(call, ast.Call)
        then, refused = _keyword(call, "then"), _keyword(call, "refused")
        for node in module.reached(then) if then is not None else []:
            pushes = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DIALOG_PUSHES
                and bool(node.args)
                and _dialog(node.args[0])
            )
            if _is_ask(node) or pushes:
                found.add(f"{call.lineno}: its then opens a dialog once it has closed")
        for node in module.reached(refused) if refused is not None else []:
            if _is_ask(node) and isinstance(node, ast.Call) and _keyword(node, "over") is None:
                found.add(f"{call.lineno}: its refused asks a dialog without over=")
    return sorted(found, key=lambda where: int(where.split(":")[0]))


def test_the_guard_sees_a_dialog_opened_from_then_or_refused() -> None:
    source = """
def check_off(where, item):
    def saved(preview):
        ask(where, MailPreviewDialog(preview), send)
    ask(where, CompleteFollowUpDialog(item), save, then=saved)

class Screen:
    def put_on_file(self):
        def refused(error):
            self._offer_link(form, error)
            return True
        ask(self, form, save, refused=refused)

    def _offer_link(self, form, error):
        ask(self, DuplicateChoiceDialog(str(error), []), save, then=self.chosen)

    def chosen(self, choice):
        self.app.push_screen(LeadPinDialog(choice))

    def opened(self):
        ask(self, form, save, then=self.show, refused=opened.refused)

    def show(self, customer_id):
        self.app.push_screen(CustomerScreen(customer_id=customer_id))
"""
    assert opened_after(source) == [
        "5: its then opens a dialog once it has closed",
        "12: its refused asks a dialog without over=",
        "15: its then opens a dialog once it has closed",
    ]


def test_the_guard_lets_dialogs_asked_over_the_first_through() -> None:
    source = """
def check_off(where, item):
    def confirm(preview):
        return AskOver(MailPreviewDialog(preview), send, then=sent)
    ask(where, CompleteFollowUpDialog(item), save, then=lambda _: checked(), confirm=confirm)

def put_on_file(self, form):
    def refused(error):
        ask(self, DuplicateChoiceDialog(str(error), []), save, then=chosen, over=form)
        return True
    ask(self, form, save, then=lambda _: self.reload(), refused=refused)
"""
    assert opened_after(source) == []


def test_no_dialog_under_ui_is_asked_after_the_one_it_answers_closed() -> None:
    found = [
        f"{path.relative_to(UI.parent).as_posix()}:{where}"
        for path in sorted(UI.rglob("*.py"))
        for where in opened_after(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "A dialog opened from another dialog's answer must be asked over it, so Esc goes "
        "back to it with what was typed: ask(..., confirm=...) for a second question about "
        "what its service returned, ask(..., over=first) from its refused:\n" + "\n".join(found)
    )
