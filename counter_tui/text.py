"""Cleaning of free text typed by staff or customers.

Every string that reaches the database or the screen passes through here, so a
name holding terminal escapes, bidi overrides, lone surrogates or another spelling
of the same letters can neither corrupt the terminal nor the data:

- lone surrogates (from undecodable command-line bytes, or Python callers) become
  U+FFFD; neither database can store them;
- control characters (Unicode category Cc: ESC, BEL, NUL…) are dropped, and format
  characters (category Cf: bidi overrides and isolates U+202A–202E and U+2066–2069,
  zero-width space U+200B, soft hyphen…) too, which can reorder how a name reads;
  the zero-width joiner and non-joiner (U+200D, U+200C) stay, because emoji
  sequences and several scripts need them;
- text is normalised to NFC, so "Renée" typed with a combining accent is the same
  name as "Renée" typed with é.

How long each kind of text may be is one table, `counter_tui.limits`.
"""

from __future__ import annotations

import unicodedata

JOINERS = frozenset("\u200c\u200d")
LINE_BREAKS = "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c"


def without_surrogates(value: str) -> str:
    """`value` with each lone surrogate replaced by U+FFFD (a surrogate pair, as some
    decoders leave them, becomes the character it stands for)."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def is_hidden(char: str) -> bool:
    """A character that is dropped from text: a control (Cc) or a format character (Cf)
    other than the joiners."""
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Cf" and char not in JOINERS)


def _visible(value: str, keep_newlines: bool) -> str:
    return "".join(c for c in value if (keep_newlines and c == "\n") or not is_hidden(c))


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """`value` cleaned (see the module docstring) and trimmed; never raises, whatever the
    string holds. How long it may be is for `counter_tui.limits` to say.

    Tabs become spaces; other line breaks become spaces, or with `multiline` newlines
    (runs of blank lines folded).
    """
    if not value:
        return ""
    value = without_surrogates(value).replace("\t", " ")
    for line_break in LINE_BREAKS:
        value = value.replace(line_break, "\n")
    if not multiline:
        value = value.replace("\n", " ")
    kept = unicodedata.normalize("NFC", _visible(value, keep_newlines=multiline))
    if multiline:
        lines = [line.rstrip() for line in kept.split("\n")]
        folded: list[str] = []
        for line in lines:
            if line or (folded and folded[-1]):
                folded.append(line)
        kept = "\n".join(folded)
    return kept.strip()


def display_text(value: str | None) -> str:
    """Text made safe to show: lone surrogates replaced, control and format characters
    dropped again (newlines and the joiners kept), just before display."""
    if not value:
        return ""
    return _visible(without_surrogates(value), keep_newlines=True)


def one_line(value: str | None, width: int | None = None) -> str:
    """A single display line: newlines become spaces, optionally cut with an ellipsis."""
    text = display_text(value).replace("\n", " ")
    if width is not None and len(text) > width:
        return text[: max(width - 1, 0)] + "…"
    return text
