"""Sentences joined into one message never run together."""

from __future__ import annotations

from counter_tui.sentences import as_sentence, counted, join_sentences


def test_a_typed_note_without_a_full_stop_does_not_run_into_the_next_sentence() -> None:
    assert (
        join_sentences(
            "Dana denied your hand-off of Ada: Alex is on lunch until two", "You keep the customer."
        )
        == "Dana denied your hand-off of Ada: Alex is on lunch until two. You keep the customer."
    )


def test_sentences_that_already_end_are_left_alone_and_empty_parts_dropped() -> None:
    assert (
        join_sentences("Really?", "", "  Yes!  ", "Wait…", "Note:", "done")
        == "Really? Yes! Wait… Note: done."
    )
    assert as_sentence("") == ""


def test_a_count_takes_the_singular_only_for_one() -> None:
    assert [counted(n, "email") for n in (0, 1, 2)] == ["0 emails", "1 email", "2 emails"]
    assert counted(1, "follow-up") == "1 follow-up"
    assert counted(12_500, "row") == "12,500 rows"
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "entry", "entries") == "1 entry"
