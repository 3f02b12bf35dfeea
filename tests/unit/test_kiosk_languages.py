"""The kiosk's languages (issue 13): every catalogue says every sentence with the same
placeholders, the shop chooses which ones its kiosk offers (checked, audited, shown as
typed), and a check-in keeps the language the customer picked, in which it is told its wait."""

from __future__ import annotations

import json
import string

import pytest
from sqlmodel import select

from counter_tui.config import KioskSettings
from counter_tui.db.models import Visit
from counter_tui.errors import InvalidInput
from counter_tui.kiosk_words import ENGLISH, LANGUAGES, WORDS, say, shop_text
from counter_tui.services import kiosk, shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.services.kiosk import CheckIn
from tests.conftest import Team
from tests.unit.conftest import AuditLog


def _placeholders(sentence: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(sentence) if name}


def test_english_and_at_least_one_more_language() -> None:
    assert LANGUAGES[0] == ENGLISH
    assert len(LANGUAGES) >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_with_the_same_placeholders(language: str) -> None:
    english = WORDS[ENGLISH]
    catalogue = WORDS[language]
    assert set(catalogue) == set(english)
    for key, sentence in english.items():
        assert _placeholders(catalogue[key]) == _placeholders(sentence), key
        assert catalogue[key].strip(), key


def test_a_sentence_is_said_in_the_language_asked() -> None:
    assert say("es", "thanks_title_named", name="Ana") == "¡Gracias, Ana!"
    assert say("en", "thanks_title_named", name="Ana") == "Thank you, Ana!"


def test_the_shipped_choices_are_translated_and_the_shops_own_words_kept() -> None:
    labels = [choice.label for choice in KioskSettings().choices]
    assert [shop_text("es", label) for label in labels] == [
        "Prefiero mirar por mi cuenta",
        "Me gustaría que me ayudaran",
        "Vengo a recoger algo",
        "Tengo una pregunta sobre un pedido",
    ]
    assert [shop_text("en", label) for label in labels] == labels
    assert shop_text("es", "Ask for Dana") == "Ask for Dana"


def test_a_lead_chooses_the_kiosks_languages_audited(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    assert ctx.rules.kiosk.languages == ["en"]

    rules = shop_settings.change(ctx, team.lead, {"kiosk.languages": " es, EN "}).rules

    assert rules.kiosk.languages == ["es", "en"]
    (event,) = audit_log("shop_settings.changed")
    assert json.loads(event.details)["changes"] == {"kiosk.languages": {"from": "en", "to": "es,en"}}
    listed = {view.key: view.text for view in shop_settings.listing(ctx)}
    assert listed["kiosk.languages"] == "es,en"


@pytest.mark.parametrize("typed", ["en,fr", "", "en,en"])
def test_a_language_the_kiosk_does_not_speak_is_refused_with_one_sentence(
    ctx: ShopContext, team: Team, audit_log: AuditLog, typed: str
) -> None:
    with pytest.raises(InvalidInput, match=r"^kiosk.languages: the kiosk speaks en, es; [^.]*\.$") as refused:
        shop_settings.change(ctx, team.lead, {"kiosk.languages": typed})

    assert refused.value.field == "kiosk.languages"
    assert ctx.rules.kiosk.languages == ["en"]
    assert audit_log("shop_settings.changed") == []


def test_a_check_in_keeps_its_language_and_quotes_the_wait_in_it(ctx: ShopContext, team: Team) -> None:
    done = kiosk.check_in(ctx, "door", CheckIn(first_name="Ana", need="needs_help", language="es"))

    assert done.wait == "Alguien le atenderá en un momento."
    with ctx.database.read() as session:
        visit = session.exec(select(Visit).where(Visit.id == done.visit_id)).one()
        assert visit.language == "es"


def test_a_check_in_in_a_language_the_kiosk_does_not_have_is_refused(ctx: ShopContext) -> None:
    with pytest.raises(InvalidInput, match="language"):
        kiosk.check_in(ctx, "door", CheckIn(first_name="", need="needs_help", language="xx"))
