"""The thank-you's personal line is judged in any script: words of Cyrillic, Greek and
other alphabets count like English ones, and in Japanese or Chinese (no spaces between
words) six characters of its own count like three words; stock thanks in any of them
still do not. A personal line in Cyrillic, Greek and Japanese checks a thank-you off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.db.models import FollowUp, FollowUpStatus, Outcome
from counter_tui.errors import InvalidInput
from counter_tui.services import followups, thank_yous, visits
from counter_tui.services.context import ShopContext
from counter_tui.services.personal_line import is_personal, words
from tests.conftest import Team

TEMPLATE = thank_yous.thank_you_template("Test Shop", "Bob")

PERSONAL = [
    "Надеюсь, синий чайник подойдёт к новой кухне",  # Cyrillic
    "Ελπίζω η μπλε κανάτα να ταιριάζει στη νέα κουζίνα",  # Greek
    "青いケトルが新しい台所に合いますように",  # Japanese
    "希望蓝色水壶适合新厨房",  # Chinese
    "उम्मीद है नीली केतली नई रसोई में अच्छी लगेगी",  # Devanagari, vowel signs inside words
    "Hope the blue kettle suits",
]
NOT_PERSONAL = [
    "Спасибо",  # one word
    "Ευχαριστώ πολύ",  # two words
    "ケトル",  # three characters: one and a half words
    "Thank you for visiting Test Shop, Bob.",  # the template itself
    "Hope the blue",  # two words of its own
    "🎉🎉🎉 !!!",  # no words at all
]


@pytest.mark.parametrize("line", PERSONAL)
def test_lines_in_any_script_can_be_personal(line: str) -> None:
    assert is_personal(line, TEMPLATE)


@pytest.mark.parametrize("line", NOT_PERSONAL)
def test_short_or_stock_lines_are_not_personal(line: str) -> None:
    assert not is_personal(line, TEMPLATE)


def test_words_split_by_letters_of_any_script() -> None:
    assert words("Ζωή's  café, O'Neil — 42 ёлки") == ["ζωή's", "café", "o'neil", "42", "ёлки"]
    assert words("青いkettle") == ["青", "い", "kettle"]
    assert words("ไทย") == ["ไ", "ท", "ย"]


def test_words_of_the_template_do_not_count_in_any_script() -> None:
    template = thank_yous.thank_you_template("Чайная лавка", "Иван")
    assert not is_personal("Чайная лавка, Иван", template)
    assert is_personal("Чайная лавка: синий чайник для Ивана", template)


@pytest.mark.parametrize("line", PERSONAL[:3])
def test_a_thank_you_with_a_personal_line_in_another_script_is_checked_off(
    ctx: ShopContext, team: Team, bob: int, fetch: Callable[..., Any], line: str
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    thank_you_id = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE).thank_you_id
    assert thank_you_id is not None
    with pytest.raises(InvalidInput):
        followups.complete_followup(
            ctx, team.sam, thank_you_id, what_was_done="sent", personal_line="Спасибо!"
        )
    followups.complete_followup(ctx, team.sam, thank_you_id, what_was_done="sent", personal_line=line)
    row: FollowUp = fetch(FollowUp, thank_you_id)
    assert (row.status, row.personal_line) == (FollowUpStatus.DONE, line)


def test_a_refused_line_says_what_is_needed_and_at_the_till_that_it_can_wait(
    ctx: ShopContext, team: Team, bob: int
) -> None:
    """The refusal names what is missing (a few words of their own about the visit), and
    when ending a visit, that leaving it empty adds it later (as the field's label says)."""
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    with pytest.raises(InvalidInput) as at_the_till:
        visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE, personal_line="Thanks!")
    assert str(at_the_till.value) == (
        "Add a few words of your own about their visit (at least 3 beyond the template "
        "and thanks), e.g. 'Hope the blue kettle suits the new kitchen'; or leave it empty "
        "and add it later on My follow-ups."
    )
    thank_you_id = visits.end_visit(ctx, team.sam, visit_id, Outcome.PURCHASE).thank_you_id
    assert thank_you_id is not None
    with pytest.raises(InvalidInput) as checking_off:
        followups.complete_followup(
            ctx, team.sam, thank_you_id, what_was_done="sent", personal_line="Thanks!"
        )
    assert str(checking_off.value) == (
        "Add a few words of your own about their visit (at least 3 beyond the template "
        "and thanks), e.g. 'Hope the blue kettle suits the new kitchen'."
    )
