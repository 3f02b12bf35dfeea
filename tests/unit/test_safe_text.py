"""The one way the UI shows people's text: plain, cleaned, never markup."""

from __future__ import annotations

from rich.text import Text

from counter_tui.ui.safe_text import clean, compose, line, plain


def test_markup_stays_text_and_controls_are_dropped() -> None:
    shown = plain("[b]Grace[/b] \x1b]0;x\x07[@click=app.quit]y[/] \u202eevil")
    assert shown.plain == "[b]Grace[/b] ]0;x[@click=app.quit]y[/] evil"
    assert shown.spans == []


def test_joiners_and_newlines_stay_and_tabs_become_spaces() -> None:
    assert clean("👩\u200d👩\u200d👧\tA\nB") == "👩\u200d👩\u200d👧 A\nB"


def test_compose_fills_placeholders_with_cleaned_values_and_parses_nothing() -> None:
    text = compose("Erase $name's [b]record[/b]? $count", name="[/]\x1b", count=3, style="bold")
    assert text.plain == "Erase [/]'s [b]record[/b]? 3"
    assert str(text.style) == "bold"


def test_a_value_made_here_keeps_its_style() -> None:
    text = compose("$who owns it", who=plain("Dana", style="bold"))
    assert text.plain == "Dana owns it"
    assert [(span.start, span.end, str(span.style)) for span in text.spans] == [(0, 4, "bold")]


def test_line_is_one_line_cut_with_an_ellipsis() -> None:
    assert line("ab\ncd", 4).plain == "ab …"
    assert line(Text("x", style="red")).style == "red"
