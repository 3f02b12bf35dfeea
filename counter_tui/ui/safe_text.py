"""The one way the staff app and the kiosk show text that came from people or the database.

A string handed to a Label, a Static, an Option or a table cell is parsed as markup: a
customer named `[/]` crashes the app and `[@click=app.quit]x[/]` becomes a live link.
Everything shown here is a rich `Text`, which is never parsed, and every piece of it is
cleaned first: control characters (ESC, BEL, …) would reach the real terminal, and bidi
embedding/override/isolate controls would reorder how the rest of the line reads.

    Label(plain(customer.name))                       # user text on its own
    Static(line(note.body, 60, style="dim"))          # one line, cut with an ellipsis
    Label(compose("Erase $name's record?", name=customer.name))   # our words + theirs
    self.sub_title = title(customer.name, 40)         # titles are plain strings

`content` is the same for the few Textual places that take only a `Content` (tab titles).
`compose` fills `$name` placeholders with cleaned values; the template itself is plain
text too (never markup), so styles come from `style=` or from a `Text` value. Toasts and
window titles go through `PlainTextApp`, which both apps inherit: every `notify` shows
its message as plain, cleaned text whatever the caller passed. A test over the source
(tests/unit/test_safe_text_guard.py) fails when text reaches a widget any other way.
"""

from __future__ import annotations

import re
from typing import TypeVar

from rich.style import Style
from rich.text import Text
from textual.app import App, ScreenStackError
from textual.content import Content
from textual.dom import DOMNode
from textual.notifications import Notification, SeverityLevel

from counter_tui.text import display_text

PLACEHOLDER = re.compile(r"\$(\w+)")

Shown = str | Text | int | None
ReturnT = TypeVar("ReturnT")


def clean(value: Shown) -> str:
    """`value` as characters safe to draw: tabs become spaces, and what the typed-text
    cleaning drops (controls, bidi and other format characters but the joiners, lone
    surrogates) is dropped again here (`counter_tui.text.display_text`); newlines stay."""
    if value is None:
        return ""
    text = value.plain if isinstance(value, Text) else str(value)
    return display_text(text.replace("\t", " "))


def plain(value: Shown, style: str | Style = "") -> Text:
    """User text shown exactly as written (cleaned), never as markup. A `Text` made by this
    module is passed through with its styles."""
    if isinstance(value, Text):
        return value
    return Text(clean(value), style=style)


def line(value: Shown, width: int | None = None, style: str | Style = "") -> Text:
    """User text on one line (newlines become spaces), cut to `width` with an ellipsis."""
    text = one_line(value, width)
    if isinstance(value, Text) and not style:
        return Text(text, style=value.style)
    return Text(text, style=style)


def one_line(value: Shown, width: int | None = None) -> str:
    """The cleaned characters of `value` on one line, cut to `width` with an ellipsis."""
    text = clean(value).replace("\n", " ")
    if width is not None and len(text) > width:
        return text[: max(width - 1, 0)] + "…"
    return text


def title(value: Shown, width: int | None = None) -> str:
    """Text for a screen's title or sub-title (shown plain by `PlainTextApp`), on one line."""
    return one_line(value, width)


def compose(template: str, /, *, style: str | Style = "", **values: Shown) -> Text:
    """Our own words with other text in them: each `$name` in `template` is replaced by the
    cleaned value of `name` (a `Text` keeps its styles). Neither is parsed as markup."""
    text = Text(style=style)
    position = 0
    for match in PLACEHOLDER.finditer(template):
        text.append(template[position : match.start()])
        text.append_text(plain(values[match.group(1)]))
        position = match.end()
    text.append(template[position:])
    return text


def content(value: Shown) -> Content:
    """As `plain`, for the Textual places that take a `Content` only (e.g. a tab's title)."""
    return Content(clean(value))


def answer_key(node: DOMNode, sentence: str) -> None:
    """Say `sentence` in answer to the key just pressed, on how to do what it asked
    ("Highlight a hand-off request first…"): shown at once, and not carried into a dialog
    a later key opens as its "Earlier:" notice, where it read as that dialog's answer."""
    app = node.app
    if isinstance(app, PlainTextApp):
        app.notify(sentence, answers_key=True)
    else:
        app.notify(sentence, markup=False)


def join(parts: list[Text], separator: str = "") -> Text:
    """Texts made by this module, one after another."""
    return Text(separator).join(parts)


class PlainTextApp(App[ReturnT]):
    """An app whose toasts and header show text plain and cleaned, whoever calls `notify`
    (screens and widgets pass markup=True by default) and whatever the title holds."""

    def notify(
        self,
        message: str | Text,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
        answers_key: bool = False,
    ) -> None:
        """Show `message` (and `title`) as plain text, never markup; on a dialog, inside it
        (above its key hint) rather than as a toast over it (see `_refresh_notifications`).
        `answers_key`: it answers the key just pressed with how to do what it asked
        ("Highlight a follow-up under CANCELLED TODAY to restore it."): a dialog opened by a
        later key does not show it as its "Earlier:" notice (`answers_to_keys`)."""
        said = clean(message)
        super().notify(said, title=clean(title), severity=severity, timeout=timeout, markup=False)
        if answers_key:
            self.answers_to_keys.add(str(said))

    @property
    def answers_to_keys(self) -> set[str]:
        """The sentences said with `answers_key` (a handful: how to pick a row, a follow-up)."""
        return self.__dict__.setdefault("_answers_to_keys", set())

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        """A notice is forgotten; a toast timing out forgets its own without refreshing the
        others, so a dialog's notice line is brought up to date here too."""
        super()._unnotify(notification, refresh)
        if not refresh:
            self._follow_notices()

    def _refresh_notifications(self) -> None:
        """The open notices changed (one raised or cleared) or a screen came on top: on a
        dialog they are shown inside it, not as toasts over it (dialog_notice)."""
        super()._refresh_notifications()
        self._follow_notices()

    def _follow_notices(self) -> None:
        """Bring the notice line of the dialog on top (if one is) up to date."""
        from counter_tui.ui.dialog_notice import follow_notices  # it builds on this module

        try:
            screen = self.screen
        except ScreenStackError:  # before the first screen, or while quitting
            return
        follow_notices(screen)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header line, from cleaned title and sub-title."""
        return super().format_title(one_line(title), one_line(sub_title))
