"""Text cleaning: control characters (terminal escapes, BEL, NUL) and format characters
(bidi overrides, zero-width space) are dropped but the joiners emoji need are kept, text
is NFC, lone surrogates become U+FFFD, emoji and markup-like text are kept literally,
nothing is cut (lengths are `counter_tui.limits`'); property tests over any string
(surrogates included); and customers with hostile names are stored safely and found
again, while a huge one is refused with a sentence."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_tui.db.models import AuditEvent, Customer
from counter_tui.errors import InvalidInput
from counter_tui.services import customers, visit_needs, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.text import clean_text, display_text, one_line
from tests.conftest import Team


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in text)


def _has_hidden(text: str) -> bool:
    """A control, a format character other than ZWJ/ZWNJ, or a surrogate."""
    return any(
        unicodedata.category(char) in ("Cc", "Cs")
        or (unicodedata.category(char) == "Cf" and char not in "\u200c\u200d")
        for char in text
    )


#: Any string Python can hold, lone surrogates included.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=300)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b]0;pwned\x07Bob", "]0;pwnedBob"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("Al\x00ice", "Alice"),
        ("ding\x07", "ding"),
        ("\x9b2J csi", "2J csi"),  # the 8-bit CSI is a control character too
        ("tab\there", "tab here"),
        ("line\nbreak", "line break"),
        ("para\u2029graph", "para graph"),
        ("  padded  ", "padded"),
        (None, ""),
        ("", ""),
    ],
)
def test_control_characters_are_dropped(raw: str | None, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "literal",
    ["[/]", "[@click=app.quit]x[/]", "[bold]Bob[/bold]", "O[Neil]", "🎉 Zoë 👩‍👩‍👧", "Ünïcödé ß"],
)
def test_emoji_and_markup_like_text_are_kept_literally(literal: str) -> None:
    assert clean_text(literal) == literal
    assert display_text(literal) == literal


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Bob\u202egnp.exe", "Bobgnp.exe"),  # right-to-left override
        ("\u202aa\u202bb\u202cc\u202dd\u202ee", "abcde"),  # embeddings and overrides
        ("\u2066x\u2067y\u2068z\u2069", "xyz"),  # isolates
        ("Zero\u200bWidth\u200eMarks\u200f", "ZeroWidthMarks"),  # ZWSP, LRM, RLM
        ("\ufeffBOM and soft\u00adhyphen", "BOM and softhyphen"),
        ("👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧"),  # ZWJ sequence kept
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ in Persian kept
    ],
)
def test_format_characters_are_dropped_but_joiners_kept(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_text_is_nfc_so_one_name_has_one_spelling() -> None:
    decomposed = unicodedata.normalize("NFD", "Renée Ångström")
    assert decomposed != "Renée Ångström"
    assert clean_text(decomposed) == "Renée Ångström"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Bob\udcff", "Bob\ufffd"),  # an undecodable byte kept by surrogateescape
        ("\ud800", "\ufffd"),
        ("x\udc80\ud800y", "x\ufffd\ufffdy"),
        ("\ud83d\ude00", "😀"),  # a surrogate pair is the character it stands for
    ],
)
def test_lone_surrogates_become_the_replacement_character(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
    assert display_text(raw) == clean


def test_cleaning_trims_but_never_cuts() -> None:
    assert clean_text("  " + "x" * 10_000 + "  ") == "x" * 10_000
    assert clean_text("🎉" * 500) == "🎉" * 500


def test_multiline_keeps_newlines_and_folds_blank_runs() -> None:
    text = "first\r\n\r\n\r\n\x1b[2Jsecond  \rthird\n\n"
    assert clean_text(text, multiline=True) == "first\n\n[2Jsecond\nthird"


def test_display_text_and_one_line_drop_controls_again() -> None:
    assert display_text("a\x1b]0;x\x07b\nc") == "a]0;xb\nc"
    assert display_text("a\u202eb\u200dc") == "ab\u200dc"
    assert one_line("a\nb\x07") == "a b"
    assert one_line("abcdefgh", 5) == "abcd…"
    assert one_line("abc", 5) == "abc"
    assert one_line(None) == ""


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT)
def test_clean_text_never_returns_hidden_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert not _has_hidden(cleaned)
    assert "\n" not in cleaned
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned  # idempotent
    cleaned.encode("utf-8")  # storable: no surrogate left


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_multiline_clean_text_keeps_only_newlines_among_hidden_characters(text: str) -> None:
    cleaned = clean_text(text, multiline=True)
    assert not _has_hidden(cleaned.replace("\n", ""))
    assert "\n\n\n" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned, multiline=True) == cleaned


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_display_text_keeps_everything_but_hidden_characters(text: str) -> None:
    shown = display_text(text)
    assert not _has_hidden(shown.replace("\n", ""))
    assert shown == display_text(shown)
    shown.encode("utf-8")


HOSTILE_NAMES = [
    ("[/]", "[/]", "[/"),
    ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]", "[@click"),
    ("\x1b]0;pwned\x07Bob", "]0;pwnedBob", "]0;pwned"),
    ("Zoë 🎉 Okafor", "Zoë 🎉 Okafor", "oka"),
    ("O'Neil [VIP]", "O'Neil [VIP]", "[vip"),
]


@pytest.mark.parametrize(("typed", "stored", "query"), HOSTILE_NAMES)
def test_hostile_names_are_stored_safely_and_searchable(
    ctx: ShopContext,
    team: Team,
    fetch: Callable[..., Any],
    typed: str,
    stored: str,
    query: str,
) -> None:
    customer_id = customers.create_customer(ctx, team.sam, name=typed)
    row: Customer = fetch(Customer, customer_id)
    assert row.name == stored
    assert not _has_control(row.name)
    assert [m.id for m in customers.find_customers(ctx, query).items] == [customer_id]
    assert [m.name for m in customers.find_customers(ctx, stored).items] == [stored]
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=customer_id)
    assert visit_views.visit_detail(ctx, team.sam, visit_id).who == stored
    assert [r.who for r in visit_views.floor_board(ctx)] == [stored]
    with ctx.database.read() as session:
        from sqlmodel import select

        details = [e.details for e in session.exec(select(AuditEvent))]
    assert not any("\x1b" in d or "\x07" in d for d in details)


def test_a_ten_thousand_character_name_is_refused_with_a_sentence(ctx: ShopContext, team: Team) -> None:
    huge = "Maximilian" + "x" * 9_990
    with pytest.raises(InvalidInput, match=r"^A name can be at most 80 characters; this one has 10,000\.$"):
        customers.create_customer(ctx, team.sam, name=huge)
    assert customers.customer_count(ctx) == 0


def test_hostile_text_in_descriptions_notes_and_needs_is_cleaned(
    ctx: ShopContext, team: Team, fetch: Callable[..., Any]
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="\x1b[2J[/]" + "y" * 190, claim=True)
    detail = visit_views.visit_detail(ctx, team.sam, visit_id)
    assert detail.who == "[2J[/]" + "y" * 190
    visit_needs.set_need(ctx, team.sam, visit_id, "language", detail="[@click=app.quit]x[/]\x07")
    visits.add_visit_note(ctx, team.sam, visit_id, "\x1b]0;pwned\x07note [b]bold[/b]")
    detail = visit_views.visit_detail(ctx, team.sam, visit_id)
    assert detail.needs[0].detail == "[@click=app.quit]x[/]"
    assert detail.notes[0].body == "]0;pwnednote [b]bold[/b]"
