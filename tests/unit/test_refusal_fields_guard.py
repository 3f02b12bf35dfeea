"""Every field a refusal names is a field some dialog shows, so the refusal lands beside it
with the focus, not under the form with the focus left where it was.

A refusal names its field by the service's parameter (`InvalidInput(..., field="due_at")`);
a dialog whose widget has another id says so in `FIELD_IDS` ({"due_at": "due"}). A name
no dialog knows sends the sentence to the foot and leaves the keys in whatever field had
them (seen: "Say what you did." while the letters typed next went into the personal line
of the customer's email). This reads the source of counter_tui/services and
counter_tui/ui and fails, naming file and line, on a `field="…"` that no dialog has as a
widget id or a `FIELD_IDS` name, read from `field=` and from the limit checks
(`limited(text, "kudos", param="text")` refuses about "text"; the Kudos dialog said "Kudos
can be at most 500 characters" under the form, the focus left in the list of colleagues).
Refusals no staff dialog shows beside a field of that name are listed in COMMAND_LINE_ONLY
with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import counter_tui

PACKAGE = Path(counter_tui.__file__).parent
DIALOG_SOURCES = [*sorted((PACKAGE / "ui").rglob("*.py"))]
REFUSING_SOURCES = [*sorted((PACKAGE / "services").rglob("*.py")), *DIALOG_SOURCES]
LIMIT_CHECKS = {"limited"}
"""Checks that refuse about a field given as their second argument (or `param=`):
`limits.limited(text, "kudos", param="text")` refuses about "text"."""
COMMAND_LINE_ONLY = {
    ("services/mail_check.py", "address"): "the mail test's address: only `counter-tui mail test` asks",
    ("services/shop_settings.py", "shop.holidays"): "a holiday that is none: only `counter-tui shop holiday`",
    (
        "services/till_import/records.py",
        "till_id",
    ): "a till export's row: only `counter-tui import` reads them",
    ("services/till_import/records.py", "note"): "a till export's row: only `counter-tui import` reads them",
    ("services/kiosk.py", "first_name"): "the kiosk's own name screen, not a staff dialog",
    (
        "services/customers.py",
        "detail",
    ): "a standing need set by the demo and tests; staff use the needs dialog",
    ("services/visit_needs.py", "detail"): "one need set by the demo and tests; staff use the needs dialog",
    ("services/audit_views.py", "customer"): "read by the audit screen after its filter dialog has closed",
    ("services/customers.py", "preferences"): "asked in a one-field dialog, which takes any named refusal",
    ("services/linking.py", "preferences"): "asked in a one-field dialog, which takes any named refusal",
    ("services/feedback.py", "note"): "asked in a one-field dialog, which takes any named refusal",
    ("services/flagged_visits.py", "note"): "asked in a one-field dialog, which takes any named refusal",
    ("services/handoffs.py", "note"): "asked in a one-field dialog, which takes any named refusal",
    ("services/shop_settings.py", "setting"): "asked in a one-field dialog, which takes any named refusal",
}
"""(file, field) of refusals no staff dialog shows beside a field of that name, and why:
only the command line or the kiosk asks, or a one-field dialog asks (`FormDialog.
refusable_field` puts any named refusal beside its one field)."""


def _string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _key(node: ast.expr | None) -> str | None:
    """A FIELD_IDS key: a string, or a service's constant for one (`outbox.BY_EMAIL`, which
    holds "by_email": the services name such constants after what they hold)."""
    if isinstance(node, ast.Attribute):
        return node.attr.lower()
    return _string(node) if node is not None else None


def named_fields(source: str) -> list[tuple[int, str]]:
    """(line, name) of every `field="name"` given to a call in `source` (a constant or a
    module-level constant's name), and of every field a limit check refuses about."""
    tree = ast.parse(source)
    constants = {
        target.id: value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and (value := _string(node.value)) is not None
    }
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in LIMIT_CHECKS and len(node.args) > 1:
            param = next((word.value for word in node.keywords if word.arg == "param"), None)
            if param is None:
                name = _string(node.args[1])
            elif isinstance(param, ast.JoinedStr) and param.values:  # f"detail_{kind}": its start
                name = _string(param.values[0])  # type: ignore[arg-type]
            else:
                name = _string(param)  # a name passed on (checked where it is given)
            if name:
                found.append((node.lineno, name))
            continue
        for word in node.keywords:
            if word.arg != "field":
                continue
            name = _string(word.value)
            if name is None and isinstance(word.value, ast.Name):
                name = constants.get(word.value.id)
            if name is None and isinstance(word.value, ast.Attribute):
                name = word.value.attr.lower()  # outbox.BY_EMAIL -> by_email
            if name:
                found.append((node.lineno, name))
    return found


def shown_fields(source: str) -> tuple[set[str], set[str]]:
    """The widget ids a dialog source gives (`id="…"`), the names its `FIELD_IDS` map, and
    the prefixes of ids built with an f-string (`f"detail_{kind}"` -> "detail_")."""
    names: set[str] = set()
    prefixes: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "id":
            if (name := _string(node.value)) is not None:
                names.add(name)
            elif isinstance(node.value, ast.JoinedStr) and node.value.values:
                first = _string(node.value.values[0])  # type: ignore[arg-type]
                if first:
                    prefixes.add(first)
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(target, ast.Name) and target.id == "FIELD_IDS" for target in targets):
                names.update(key for key in map(_key, node.value.keys) if key)
    return names, prefixes


def unknown_fields() -> list[str]:
    names: set[str] = set()
    prefixes: set[str] = set()
    for path in DIALOG_SOURCES:
        more_names, more_prefixes = shown_fields(path.read_text(encoding="utf-8"))
        names |= more_names
        prefixes |= more_prefixes
    return [
        f"{where}:{line}: {name}"
        for path in REFUSING_SOURCES
        for line, name in named_fields(path.read_text(encoding="utf-8"))
        if name not in names
        and ((where := path.relative_to(PACKAGE).as_posix()), name) not in COMMAND_LINE_ONLY
        and not any(name.startswith(prefix) for prefix in prefixes)
    ]


def test_the_guard_reads_fields_named_and_shown() -> None:
    source = """
BY_EMAIL = "by_email"
def collect(self):
    raise InvalidInput("Say what you did.", field="what_was_done")
def check():
    raise InvalidInput("No address.", field=BY_EMAIL)
def give(text):
    return limited(text, "kudos", param="text"), limited(text, "note")
class Dialog:
    FIELD_IDS: ClassVar[dict[str, str]] = {"what_was_done": "done", outbox.BY_EMAIL: "by-email"}
    def fields(self):
        yield KeysInOrder(id="done")
        yield KeysInOrder(id=f"detail_{kind}")
"""
    assert sorted(named_fields(source)) == [(4, "what_was_done"), (6, "by_email"), (8, "note"), (8, "text")]
    assert shown_fields(source) == ({"what_was_done", "by_email", "done"}, {"detail_"})


def test_every_field_a_refusal_names_is_shown_by_a_dialog() -> None:
    assert unknown_fields() == [], (
        "A refusal names a field no dialog has: give the widget that id, or map the name to "
        "it in the dialog's FIELD_IDS (or, if only the command line refuses it, list it in "
        "COMMAND_LINE_ONLY with why)"
    )
