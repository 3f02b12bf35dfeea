"""Joining sentences into one message, some of them typed by people.

A note typed without a full stop ("Alex is on lunch until two") followed by the app's
own sentence must not run into it ("…until two You keep the customer."). Every message
built from several sentences goes through `join_sentences`.
"""

from __future__ import annotations

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
