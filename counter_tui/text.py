"""Cleaning of free text typed by staff or customers.

Every string that reaches the database or the screen passes through here, so a
name holding terminal escapes, control characters or absurd lengths can neither
corrupt the terminal nor the data.
"""

from __future__ import annotations

import unicodedata

NAME_MAX = 80
SHORT_MAX = 200
LONG_MAX = 2000


def _is_control(char: str, keep_newlines: bool) -> bool:
    if keep_newlines and char == "\n":
        return False
    return unicodedata.category(char) == "Cc"


def clean_text(value: str | None, max_length: int = SHORT_MAX, *, multiline: bool = False) -> str:
    """Drop control characters (Unicode category Cc), trim, and cut to `max_length`.

    Tabs become spaces; with `multiline` newlines are kept (runs of blank lines folded).
    """
    if not value:
        return ""
    value = value.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in value if not _is_control(c, multiline))
    if multiline:
        lines = [line.rstrip() for line in kept.split("\n")]
        folded: list[str] = []
        for line in lines:
            if line or (folded and folded[-1]):
                folded.append(line)
        kept = "\n".join(folded)
    return kept.strip()[:max_length].strip()


def display_text(value: str | None) -> str:
    """Text made safe to show: control characters dropped again, just before display."""
    if not value:
        return ""
    return "".join(c for c in value if not _is_control(c, keep_newlines=True))


def one_line(value: str | None, width: int | None = None) -> str:
    """A single display line: newlines become spaces, optionally cut with an ellipsis."""
    text = display_text(value).replace("\n", " ")
    if width is not None and len(text) > width:
        return text[: max(width - 1, 0)] + "…"
    return text
