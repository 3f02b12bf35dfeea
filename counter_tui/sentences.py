"""Joining sentences into one message, some of them typed by people, and counting in them.

A note typed without a full stop ("Alex is on lunch until two") followed by the app's
own sentence must not run into it ("…until two You keep the customer."). Every message
built from several sentences goes through `join_sentences`, and every count said with its
noun through `counted`, so that no sentence says "1 rows".
"""

from __future__ import annotations

import re

ENDINGS = (".", "!", "?", "…", ":")


def as_sentence(text: str) -> str:
    """`text` trimmed, with a full stop added unless it already ends like a sentence
    (or a lead-in ending with a colon)."""
    text = text.strip()
    if text and not text.endswith(ENDINGS):
        text += "."
    return text


def join_sentences(*parts: str) -> str:
    """The non-empty `parts` as sentences, one space apart."""
    return " ".join(sentence for sentence in (as_sentence(part) for part in parts) if sentence)


def said_of_a_read(sentence: str) -> str:
    """`sentence` (a failure's, e.g. the database's) as said of a failed read: without its
    "Nothing was saved" clause. A screen's refresh is a read; saying nothing was saved after
    it failed was taken to be about the change just made (a claim saved a moment before was
    said not to be)."""
    sentence = sentence.replace(", so nothing was saved.", ".")
    sentence = re.sub(r"Nothing was saved; (\w)", lambda found: found.group(1).upper(), sentence)
    return re.sub(r" ?Nothing was saved\. ?", " ", sentence).strip()


def listed(parts: list[str]) -> str:
    """`parts` as a list in a sentence: "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def counted(number: int, noun: str, plural: str = "") -> str:
    """`number` with `noun`, plural unless the number is one: "1 email", "2 emails",
    "12,500 rows". `plural` is for a noun that does not just take an s ("entries")."""
    return f"{number:,} {noun if number == 1 else plural or f'{noun}s'}"
