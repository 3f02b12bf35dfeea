"""What a key in the settings file's `[keys]` table may be, checked without Textual.

Textual accepts any string as a key and silently never matches one it does not know
(`shift+^🍌` once disabled `/`), so a key remapping is checked here at start instead.
Textual is not imported: importing it reads `TEXTUAL*` variables, which the kiosk
must remove first. A test checks these names against Textual's own.
"""

from __future__ import annotations

import unicodedata

MODIFIERS = ("alt", "ctrl", "meta", "shift", "super")
"""In the order Textual reports them (alphabetical); a key written in another order never matches."""
NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "space",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "insert",
        "delete",
        "backspace",
        *(f"f{number}" for number in range(1, 25)),
    }
)
CHARACTER_NAMES = frozenset(
    {"slash", "backslash", "at", "minus", "plus", "underscore", "hyphen_minus"}
    | {"less_than_sign", "greater_than_sign"}
)
"""Textual's names for characters whose Unicode names are long (solidus) or hyphenated."""

KEY_HELP = (
    "use a letter, a digit, a character name (slash, question_mark) or f1-f24, escape, enter, "
    "tab, space, up, down, left, right, home, end, pageup, pagedown, insert, delete, backspace, "
    "after ctrl+, alt+ or shift+."
)


def key_list_problem(keys: str) -> str | None:
    """Why `keys` (comma-separated, e.g. `"c,ctrl+f5"`) cannot be bound, or None if it can."""
    for key in (part.strip() for part in keys.split(",")):
        if not key:
            return "a key is missing between commas."
        problem = _key_problem(key)
        if problem:
            return problem
    return None


def _key_problem(key: str) -> str | None:
    if len(key) == 1:
        return None if key.isprintable() and not key.isspace() else f"{key!r} is not a key; {KEY_HELP}"
    *modifiers, base = key.split("+")
    if base == "" and modifiers and modifiers[-1] == "":  # "ctrl++" binds ctrl and the plus key
        modifiers, base = modifiers[:-1], "+"
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f'"{modifier}" is not a modifier; use ctrl+, alt+, shift+, meta+ or super+.'
    if modifiers != sorted(set(modifiers)):
        written = "+".join([*sorted(set(modifiers)), base])
        return (
            f'"{key}" never matches: write the modifiers once each, in the order '
            f'alt, ctrl, meta, shift, super ("{written}").'
        )
    if _is_key(base):
        return None
    return f'"{base}" is not a key; {KEY_HELP}'


def _is_key(name: str) -> bool:
    """A named key, one printable character, or a character's name as Textual spells it."""
    if name in NAMED_KEYS or name in CHARACTER_NAMES:
        return True
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if not name.replace("_", "").isalnum() or not name.isascii():
        return False
    try:
        character = unicodedata.lookup(name.replace("_", " ").upper())
    except KeyError:
        return False
    return character.isprintable() and not character.isspace()
