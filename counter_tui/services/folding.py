"""Folding names for search, so that what people type finds how a name is written:
"renee" finds Renée, "strasse" Straße, "malgorzata" Małgorzata, "oneill" O'Neill.

One rule serves both sides: `name_words` makes the words a name is indexed by and
`query_words` the words a query is looked up by, both through `fold`, so a query always
folds the way the index did. Migration 0013 holds a copy of this rule for its backfill.

- `fold`: compatibility decomposition (NFKD) with the combining marks dropped (é → e,
  ﬁ → fi), case folded (ß → ss, İ → i), letters that carry their mark inside them
  spelled the way people type them without it (ł → l, ø → o, æ → ae, þ → th …), and
  apostrophes and hyphens taken out (O'Neill → oneill);
- a name is indexed by each word joined and by each of its parts ("O'Neill" by
  "oneill", "o" and "neill"; "Smith-Jones" by "smithjones", "smith" and "jones"), so
  "oneill", "o'neill" and "o neill" all find it;
- a query word is folded joined ("o'neill" → "oneill"), which is a prefix of the joined
  word, and "o neill" are two words, each a prefix of a part.
"""

from __future__ import annotations

import re
import unicodedata

# Letters with no decomposition to a base letter, written as people type them without
# the mark (after case folding, so only lower case is needed).
SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ƒ": "f",
        "ŋ": "n",
        "ĸ": "q",
    }
)
# Apostrophes (straight, curly, modifier letter, grave, acute) and hyphens (hyphen-minus,
# hyphen, non-breaking hyphen, figure dash, en and em dash): joiners inside a name.
JOINERS = "'\u2019\u2018\u02bc\u0060\u00b4\u2010\u2011\u2012\u2013\u2014-"
_JOINER = re.compile(f"[{re.escape(JOINERS)}]+")


def fold(text: str) -> str:
    """`text` without accents, case, apostrophes or hyphens, as it is compared in search."""
    # Joiners go before decomposing too: NFKD turns the acute accent (U+00B4) into a space and a
    # combining mark, and the fullwidth apostrophe into '; spaces so made are dropped.
    decomposed = unicodedata.normalize("NFKD", _JOINER.sub("", text.casefold()))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char) and not char.isspace())
    return _JOINER.sub("", bare.casefold().translate(SPECIAL_LETTERS))


def name_words(name: str) -> set[str]:
    """The folded words a name is found by: each word joined, and each of its parts."""
    words: set[str] = set()
    for word in name.split():
        words.add(fold(word))
        words.update(fold(part) for part in _JOINER.split(word))
    words.discard("")
    return words


def query_words(query: str) -> list[str]:
    """The folded words of a query, each once, in the order typed (a word that folds to
    nothing, such as a lone apostrophe, is left out)."""
    return [word for word in dict.fromkeys(fold(word) for word in query.split()) if word]
