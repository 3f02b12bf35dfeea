"""A count said with its noun goes through `counter_tui.sentences.counted`, in the screens
and the services as on the command line: the status-update tick said "the next update
comes back in 1 days", and every hand-rolled `'s' if n != 1` was one more place to get
it wrong.

Reads the source of counter_tui/ui and counter_tui/services and fails, naming file and
line, at a number put straight before a plural noun (`f"{days} days"`), a plural made
by hand (`'s' if count != 1`, `"1 visit" if count == 1 else …`) or a "(s)".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import counter_tui

PACKAGE = Path(counter_tui.__file__).parent
SCANNED = (PACKAGE / "ui", PACKAGE / "services")

COUNT_NOUNS = frozenset(
    {
        "days",
        "hours",
        "minutes",
        "seconds",
        "weeks",
        "customers",
        "visits",
        "follow-ups",
        "topics",
        "values",
        "characters",
        "digits",
        "rows",
        "emails",
        "events",
        "changes",
        "requests",
        "notes",
        "people",
        "staff",
        "calls",
        "items",
        "times",
    }
)
"""Nouns a count is said with in the app's sentences."""

_NUMBER_THEN_NOUN = re.compile(r"^ (?:(?:open|more|new|other|pending|working) )?([a-z-]+)\b")

VERBS = frozenset({("is", "are"), ("was", "were"), ("has", "have")})
"""A verb agreeing with a count said through `counted` is not a plural made by hand."""

ALLOWED = {
    # The kiosk's sentences are looked up by language, with a key of their own for one.
    ("services/wait_quotes.py", '"minutes_one" if self.minutes == 1 else "minutes_many"'),
    # Which keys to press ("1" or "1-4"), not a count with a noun.
    ("ui/kiosk/screens/choice.py", '"1" if count == 1 else f"1-{count}"'),
    # Whether there is a newer page, not a count.
    ("ui/screens/audit.py", '" · [ newer" if number > 1 else ""'),
    # SQL, not words.
    (
        "services/customer_search.py",
        'f"{alias}.kind = {kind}" if len(kinds) == 1 else f"{alias}.kind IN ({kind})"',
    ),
    # "a visit and 2 notes": one said in words by design, each noun given both ways.
    ("services/merge_seen.py", 'one if number == 1 else f"{number} {many}"'),
    # "open"/"closed" before the noun, not a number; the count is said apart, for one too.
    ("services/merge_seen.py", 'f"{count} of {now.merged_name}\'s {state} follow-ups were {verb}"'),
    # "the phone and email consent answers": no number is said.
    ("services/merge_seen.py", "'s' if len(channels) > 1 else ''"),
    # Whose the emails held back are ("not yours" for one, "none yours" for more), not a count.
    ("services/mail_hold.py", '"not yours" if waiting == 1 else "none yours"'),
    # Seconds that may be a fraction ("0.5 seconds"); `counted` counts whole things.
    ("services/smtp_transport.py", 'f"The mail server did not answer within {timeout:g} seconds."'),
}


def _sources() -> Iterator[tuple[str, str, ast.AST]]:
    for folder in SCANNED:
        for path in sorted(folder.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            yield path.relative_to(PACKAGE).as_posix(), text, ast.parse(text)


def _compares_with_one(test: ast.expr) -> bool:
    return isinstance(test, ast.Compare) and any(
        isinstance(side, ast.Constant) and side.value == 1 for side in (test.left, *test.comparators)
    )


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _verb_agreeing(node: ast.IfExp) -> bool:
    words = {
        branch.value
        for branch in (node.body, node.orelse)
        if isinstance(branch, ast.Constant) and isinstance(branch.value, str)
    }
    return any(words == set(pair) for pair in VERBS)


def _hand_counted(relative: str, text: str, tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp) and _compares_with_one(node.test):
            if _verb_agreeing(node):
                continue
            if _is_text(node.body) or _is_text(node.orelse):
                source = ast.get_source_segment(text, node) or ""
                if (relative, source) not in ALLOWED:
                    yield f"{relative}:{node.lineno}: a plural made by hand: {source}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "(s)" in node.value:
            yield f"{relative}:{node.lineno}: a '(s)' plural: {node.value!r}"
        elif isinstance(node, ast.JoinedStr):
            for before, after in zip(node.values, node.values[1:], strict=False):
                if not (isinstance(before, ast.FormattedValue) and isinstance(after, ast.Constant)):
                    continue
                found = _NUMBER_THEN_NOUN.match(str(after.value))
                source = ast.get_source_segment(text, node) or ""
                if found and found.group(1) in COUNT_NOUNS and (relative, source) not in ALLOWED:
                    yield f"{relative}:{node.lineno}: a number before its noun: {source}"


def test_every_count_in_the_screens_and_services_is_said_through_counted() -> None:
    found = [problem for source in _sources() for problem in _hand_counted(*source)]
    assert found == []


def test_the_guard_finds_what_it_is_for() -> None:
    examples = {
        'f"in {days} days"': 1,
        "f\"{count} more change{'s' if count != 1 else ''}\"": 1,
        '"1 visit" if count == 1 else f"{count} visits"': 2,
        '"customer(s) will be updated"': 1,
        'f"{name} was here"': 0,
        "f\"in {counted(days, 'day')}\"": 0,
    }
    for example, problems in examples.items():
        tree = ast.parse(example)
        assert len(list(_hand_counted("example.py", example, tree))) == problems, example
