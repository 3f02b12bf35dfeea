"""Textual CSS parsed once per test process, not once per app under test.

A running shop has one app, which parses each piece of CSS it uses (every widget class's
`DEFAULT_CSS`, app.tcss) once, and again when the theme's variables change. The suite
starts hundreds of apps in a process, and each parsed the same CSS anew: 20 ms of CPU an
app, 7.5% of starting one and signing in. `parse_rules_once` keeps what Textual's
`Stylesheet._parse_rules` returns for a piece of CSS and the variables it was parsed with,
for every later app; the rules are only read after parsing, so sharing them changes
nothing an app does. CSS with a mistake is still reported by every app that reads it
(an error raised is not kept; rules kept with their errors are refused again).
"""

from __future__ import annotations

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

_PARSE_RULES = Stylesheet._parse_rules
_parsed: dict[tuple[object, ...], list[RuleSet]] = {}


def parse_rules_once(
    stylesheet: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    """`Stylesheet._parse_rules`, parsed once per process for the same CSS and variables."""
    key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(stylesheet._variables.items()))
    rules = _parsed.get(key)
    if rules is None:
        rules = _PARSE_RULES(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
        _parsed[key] = rules
    return rules
