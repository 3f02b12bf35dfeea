"""Names as an import compares them: whether two names may be one person's.

Names are compared as words, after Unicode NFKC (so an NFD "Zoë" is a "Zoë"), case
folding, and with spaces and punctuation only separating words. They are compatible when
the words are the same, or when they start with the same word and one's words are all
among the other's ("Ann" and "Ann Lee"; not "Ana Kowalska" and "Piotr Kowalski", nor "J
Lee" and "Jo Lee"). A name with no letter or digit at all ("[/]", "🫖") is one word,
itself, so it is the same name as itself and no other.
"""

from __future__ import annotations

import unicodedata


def name_words(name: str) -> tuple[str, ...]:
    """A name as compared for matching: NFKC, case folded, its words only (see the module
    docstring for a name without letters or digits)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = tuple("".join(ch if ch.isalnum() else " " for ch in folded).split())
    bare = "".join(folded.split())
    return words or ((bare,) if bare else ())


def first_word(name: str) -> str:
    """The word two compatible names always share (empty for an empty name)."""
    words = name_words(name)
    return words[0] if words else ""


def same_person(name: str, other: str) -> bool:
    """Whether two names may be one person's (see the module docstring)."""
    words, others = name_words(name), name_words(other)
    if not words or not others:
        return False
    if words == others:
        return True
    return words[0] == others[0] and (set(words) <= set(others) or set(others) <= set(words))
