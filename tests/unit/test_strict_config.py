"""A settings file is strict: misspelt keys, unknown sections, unknown binding ids and
key names that are not keys are refused at start, naming the file and the key and
suggesting the nearest real name, as one red line of the CLI (issue 9, finding 8)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counter_tui.binding_ids import known_binding_ids
from counter_tui.cli import app
from counter_tui.config import load_settings
from counter_tui.config_check import ConfigError
from counter_tui.key_names import key_list_problem
from tests.unit.test_cli import assert_one_line_failure

runner = CliRunner()


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TOML file that COUNTER_TUI_CONFIG points at; tests write into it."""
    path = tmp_path / "counter-tui.toml"
    for name in list(os.environ):
        if name.upper().startswith("COUNTER_TUI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COUNTER_TUI_CONFIG", str(path))
    return path


@pytest.mark.parametrize(
    ("toml", "sentence"),
    [
        (
            "[thresholds]\ngreet_within_minutse = 3\n",
            "thresholds.greet_within_minutse is not a setting; did you mean greet_within_minutes?",
        ),
        ("[threshold]\ngreet_within_minutes = 3\n", "[threshold] is not a section; did you mean thresholds?"),
        ('terminal_nmae = "till-2"\n', "terminal_nmae is not a setting; did you mean terminal_name?"),
        (
            '[[kiosk.choices]]\nlabel = "Help"\nneed = "needs_help"\nnext_stpe = "Soon."\n',
            "kiosk.choices[1].next_stpe is not a setting; did you mean next_step?",
        ),
        (
            '[keys]\n"floor.clam" = "f5"\n',
            'keys: "floor.clam" is not a binding id; did you mean floor.claim?',
        ),
        (
            '[keys]\n"floor.find" = "shift+^🍌"\n',
            'keys: "floor.find" = "shift+^🍌": "^🍌" is not a key; use a letter, a digit, a '
            "character name (slash, question_mark) or f1-f24, escape, enter, tab, space, up, "
            "down, left, right, home, end, pageup, pagedown, insert, delete, backspace, "
            "after ctrl+, alt+ or shift+.",
        ),
        (
            '[keys]\n"floor.find" = "cmd+f"\n',
            'keys: "floor.find" = "cmd+f": "cmd" is not a modifier; '
            "use ctrl+, alt+, shift+, meta+ or super+.",
        ),
        (
            '[keys]\n"floor.find" = "shift+ctrl+up"\n',
            'keys: "floor.find" = "shift+ctrl+up": "shift+ctrl+up" never matches: write the modifiers '
            'once each, in the order alt, ctrl, meta, shift, super ("ctrl+shift+up").',
        ),
        ('[keys]\n"floor.find" = "f5,"\n', 'keys: "floor.find" = "f5,": a key is missing between commas.'),
    ],
)
def test_a_mistake_in_the_file_is_one_red_line_naming_file_key_and_suggestion(
    config_file: Path, toml: str, sentence: str
) -> None:
    config_file.write_text(toml, encoding="utf-8")

    with pytest.raises(ConfigError):
        load_settings()
    result = runner.invoke(app, ["staff", "list"])

    assert_one_line_failure(result, f"Settings file {config_file}: {sentence}")


def test_a_name_far_from_every_setting_lists_the_ones_there_are(config_file: Path) -> None:
    config_file.write_text("[followups]\nzzz = 1\n", encoding="utf-8")

    with pytest.raises(ConfigError) as refused:
        load_settings()

    assert str(refused.value) == (
        f"Settings file {config_file}: followups.zzz is not a setting; the settings of "
        "[followups] are callback_cutoff_minutes, status_update_every_days, contact_cadence_days."
    )


def test_a_misspelt_setting_from_the_environment_is_refused(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTER_TUI_THRESHOLDS__GREET_WITHIN_MINUTSE", "3")

    result = runner.invoke(app, ["staff", "list"])

    assert result.exit_code == 1
    assert "greet_within_minutse" in result.stderr
    assert "Traceback" not in result.output


def test_a_correct_file_with_keys_is_accepted(config_file: Path) -> None:
    config_file.write_text(
        '[keys]\n"floor.claim" = "c,f5"\n"floor.find" = "ctrl+shift+slash,/,?"\n'
        '"kiosk.choice.3" = "ctrl+3"\n"review.tab_end_of_day" = "alt+7"\n',
        encoding="utf-8",
    )

    settings = load_settings()

    assert settings.keys["floor.claim"] == "c,f5"
    assert settings.keys["kiosk.choice.3"] == "ctrl+3"


def test_the_binding_ids_read_from_the_source_are_the_ones_the_app_has() -> None:
    """The ids the settings accept are exactly the ids of the bindings the UI declares."""
    import importlib
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import counter_tui.ui

    declared: set[str] = set()
    for module in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, DOMNode):
                declared |= {
                    binding.id
                    for binding in value.__dict__.get("BINDINGS", [])
                    if isinstance(binding, Binding) and binding.id
                }
    known = known_binding_ids()

    assert declared, "no bindings found"
    assert all(binding_id in known for binding_id in declared)
    assert known.exact <= declared


def test_every_plain_key_textual_knows_is_accepted() -> None:
    from textual.keys import Keys, _character_to_key

    plain = {key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")}
    plain -= {"ctrl-at", "return"}  # never reported for a key press

    assert [key for key in sorted(plain) if key_list_problem(key)] == []
    punctuation = "/?.,;:!@#$%^&*()[]{}-_=+'\"`~\\|<>"
    assert [char for char in punctuation if key_list_problem(_character_to_key(char))] == []
