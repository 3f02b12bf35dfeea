"""Whether a thank-you's personal line says something of its own, in any script.

Words are runs of letters, marks and digits of any script (Cyrillic, Greek, Devanagari…),
so a line need not be in English to count. Scripts written without spaces between
words (Chinese, Japanese, Thai…) have no words to split on: there each character is a
unit worth half a word, so six characters of its own count like three words.
"""

from __future__ import annotations

import unicodedata

from counter_tui.errors import InvalidInput

STOCK_WORDS = frozenset(
    """a an and the to for of in on at we you your our it is was i me my us so very
    thank thanks thankyou visit visiting visited today shop store again coming came
    great lovely nice good hope see soon much many dear hi hello regards""".split()
)
MIN_OWN_WORDS = 3
UNSPACED_WORTH = 0.5
UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")
APOSTROPHES = "'’"


def is_unspaced(char: str) -> bool:
    """A character of a script written without spaces between words."""
    return unicodedata.name(char, "").startswith(UNSPACED_SCRIPTS)


def words(text: str) -> list[str]:
    """The words of `text` in lower case (apostrophes inside a word kept); each character
    of a script written without spaces is a word of its own."""
    found: list[str] = []
    current = ""
    for char in text.lower():
        if is_unspaced(char):
            found += [current, char] if current else [char]
            current = ""
        elif unicodedata.category(char)[0] in "LMN" or (char in APOSTROPHES and current):
            current += char
        else:
            found += [current] if current else []
            current = ""
    found += [current] if current else []
    return [word.strip(APOSTROPHES) for word in found]


def is_personal(line: str, template: str) -> bool:
    """Whether a personal line says something of its own beyond the template and stock
    thanks: at least three words (or six characters of an unspaced script) that are
    neither in the template nor stock phrases."""
    template_words = set(words(template))
    own = [w for w in words(line) if w not in template_words and w not in STOCK_WORDS]
    worth = sum(UNSPACED_WORTH if len(w) == 1 and is_unspaced(w) else 1 for w in own)
    return worth >= MIN_OWN_WORDS


def require_personal(line: str, template: str, *, can_wait: bool = False) -> None:
    """Refuse a thank-you line that says nothing beyond the template and stock thanks,
    saying what is needed; `can_wait` when it may be left empty and added later (ending a
    visit: the thank-you is queued without it and checked off from My follow-ups)."""
    if not is_personal(line, template):
        later = "; or leave it empty and add it later on My follow-ups" if can_wait else ""
        raise InvalidInput(
            f"Add a few words of your own about their visit (at least {MIN_OWN_WORDS} beyond the "
            f"template and thanks), e.g. 'Hope the blue kettle suits the new kitchen'{later}.",
            field="personal_line",
        )
