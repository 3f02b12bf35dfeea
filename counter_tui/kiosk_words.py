"""Every sentence a customer reads at the kiosk, one catalogue per language.

The shop chooses which of these languages its kiosk offers (`kiosk.languages`); the
customer picks one on the welcome screen and the visit keeps it, so the floor board can
show staff which language to greet them in. Each catalogue has the same keys with the
same `{placeholders}` (a unit test checks). The kiosk's choices and their next steps are
the shop's own words, shown as the shop wrote them, except the choices the kiosk ships
with (`SHIPPED`), which every catalogue translates.
"""

from __future__ import annotations

ENGLISH = "en"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language_name": "English",
        "language_key": "{name}: press {number}",
        "welcome_title": "Welcome to {shop}",
        "welcome_text": "Check in here and we'll let the team know you've arrived.",
        "welcome_call": "Press Enter to start",
        "key_enter": "Enter",
        "key_any": "Any key",
        "hint_start": "start",
        "hint_continue": "continue",
        "hint_back": "back",
        "hint_choose": "choose",
        "hint_finish": "finish",
        "choose_keys": "{numbers} or ↑↓ Enter",
        "name_title": "What's your first name?",
        "name_text": "Optional — just press Enter to skip.",
        "name_placeholder": "First name",
        "name_refused": (
            "That doesn't look like a first name. Type your first name, or clear it and press Enter to skip."
        ),
        "choice_title": "What would you like?",
        "choice_title_named": "Hi {name}! What would you like?",
        "choose_first": "Please choose one: press its number.",
        "thanks_pending": "Just a moment…",
        "thanks_title": "Thank you!",
        "thanks_title_named": "Thank you, {name}!",
        "thanks_after": "You're checked in. This screen will reset by itself.",
        "sorry_title": "Sorry!",
        "sorry_text": (
            "Sorry, we couldn't check you in just now. Please ask at the counter; we'll help you there."
        ),
        "sorry_after": "This screen will reset by itself.",
        "wait_unknown": "We'll be with you as soon as someone is free.",
        "wait_moment": "Someone should be with you in a moment.",
        "wait_quote": "Expected wait: {minutes} ({ahead}).",
        "minutes_one": "about 1 minute",
        "minutes_many": "about {minutes} minutes",
        "ahead_none": "nobody is ahead of you",
        "ahead_one": "1 person is ahead of you",
        "ahead_many": "{ahead} people are ahead of you",
        "unexpected": "Sorry, something went wrong. Please try again, or ask at the counter.",
        "choice_browse": "Browse on my own",
        "choice_help": "I'd like some help",
        "choice_pickup": "Picking something up",
        "choice_order": "A question about an order",
        "next_browse": "Enjoy browsing — we'll give you space. Just wave if you need us.",
        "next_someone": "Someone will come and find you.",
    },
    "es": {
        "language_name": "Español",
        "language_key": "{name}: pulse {number}",
        "welcome_title": "Le damos la bienvenida a {shop}",
        "welcome_text": "Regístrese aquí y avisaremos al equipo de que ha llegado.",
        "welcome_call": "Pulse Intro para empezar",
        "key_enter": "Intro",
        "key_any": "Cualquier tecla",
        "hint_start": "empezar",
        "hint_continue": "continuar",
        "hint_back": "volver",
        "hint_choose": "elegir",
        "hint_finish": "terminar",
        "choose_keys": "{numbers} o ↑↓ Intro",
        "name_title": "¿Cómo se llama?",
        "name_text": "Es opcional: pulse Intro para omitirlo.",
        "name_placeholder": "Nombre",
        "name_refused": "Eso no parece un nombre. Escriba su nombre, o bórrelo y pulse Intro para omitirlo.",
        "choice_title": "¿Qué desea?",
        "choice_title_named": "¡Hola, {name}! ¿Qué desea?",
        "choose_first": "Elija una opción: pulse su número.",
        "thanks_pending": "Un momento…",
        "thanks_title": "¡Gracias!",
        "thanks_title_named": "¡Gracias, {name}!",
        "thanks_after": "Ya hemos registrado su llegada. Esta pantalla se reiniciará sola.",
        "sorry_title": "¡Lo sentimos!",
        "sorry_text": (
            "Lo sentimos, no hemos podido registrar su llegada. "
            "Pregunte en el mostrador; allí le atenderemos."
        ),
        "sorry_after": "Esta pantalla se reiniciará sola.",
        "wait_unknown": "Le atenderemos en cuanto alguien quede libre.",
        "wait_moment": "Alguien le atenderá en un momento.",
        "wait_quote": "Espera estimada: {minutes} ({ahead}).",
        "minutes_one": "alrededor de 1 minuto",
        "minutes_many": "unos {minutes} minutos",
        "ahead_none": "no hay nadie delante de usted",
        "ahead_one": "hay 1 persona delante de usted",
        "ahead_many": "hay {ahead} personas delante de usted",
        "unexpected": "Lo sentimos, algo ha fallado. Inténtelo de nuevo o pregunte en el mostrador.",
        "choice_browse": "Prefiero mirar por mi cuenta",
        "choice_help": "Me gustaría que me ayudaran",
        "choice_pickup": "Vengo a recoger algo",
        "choice_order": "Tengo una pregunta sobre un pedido",
        "next_browse": "Mire con tranquilidad; no le molestaremos. Si nos necesita, haga una seña.",
        "next_someone": "Alguien vendrá a atenderle.",
    },
}

LANGUAGES: tuple[str, ...] = tuple(WORDS)

#: The catalogue keys of the kiosk's shipped choices and next steps (`config.py` uses them).
SHIPPED = ("choice_browse", "choice_help", "choice_pickup", "choice_order", "next_browse", "next_someone")


def words(language: str) -> dict[str, str]:
    """The catalogue for `language` (English for a code the kiosk does not have)."""
    return WORDS.get(language, WORDS[ENGLISH])


def say(language: str, key: str, **values: object) -> str:
    """One sentence in `language`, its placeholders filled in."""
    return words(language)[key].format(**values)


def shop_text(language: str, text: str) -> str:
    """A choice or next step as the shop set it, in `language` if it is one the kiosk ships
    with (in English, unchanged); the shop's own words as written."""
    english = WORDS[ENGLISH]
    for key in SHIPPED:
        if text == english[key]:
            return say(language, key)
    return text


def tag(language: str) -> str:
    """The short tag staff see on the floor board, e.g. "ES"."""
    return language.upper()


def name_of(language: str) -> str:
    """The language's own name for itself, e.g. "Español"."""
    return words(language)["language_name"]
