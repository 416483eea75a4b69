"""Cleaning text before understanding, and refusing what cannot be a command."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homebrain.understanding.normalize import (
    BINARY,
    EMPTY,
    MARKUP,
    MAX_CHARS,
    TOO_LONG,
    clean,
    normalize,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Turn ON the Kitchen Light!", "turn on the kitchen light"),
        ("  turn   on\tthe\nlight  ", "turn on the light"),
        ("please turn on the light", "turn on the light"),
        ("could you turn on the light please", "turn on the light"),
        ("can you please dim the lamp", "dim the lamp"),
        ("would you kindly open the blinds", "open the blinds"),
        ("uh um turn on the fan", "turn on the fan"),
        ("hey turn on the tv thanks", "turn on the tv"),
        ("turn on the light for me thank you", "turn on the light"),
        ("turn turn on the the light", "turn on the light"),
        ("what's the weather?", "whats the weather"),
        ("set the heating to 21.5", "set the heating to 21.5"),
        ("set the heating to 21,5", "set the heating to 21.5"),
        ("dim it to 30%", "dim it to 30 percent"),
        ("21°C", "21 degrees celsius"),
        ("70°F", "70 degrees fahrenheit"),
        ("21°", "21 degrees"),
        ("twenty-one degrees", "twenty one degrees"),
        ("<b>turn on</b> the <i>lamp</i>", "turn on the lamp"),
        ("**turn on** the `lamp`", "turn on the lamp"),
        ("[turn on the lamp](http://x.y)", "turn on the lamp"),
        ("turn on the lamp 💡🙂", "turn on the lamp"),
        ("turn on the lamp &amp; fan", "turn on the lamp fan"),
        ("Lights: ON.", "lights on"),
        ("end of sentence.", "end of sentence"),
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    result = normalize(raw)
    assert result.ok
    assert result.text == cleaned


@pytest.mark.parametrize("raw", ["", "   ", "?!...", "💡🙂", "<br/>", "please", "uh um thanks"])
def test_empty_after_cleaning_is_refused(raw: str) -> None:
    result = normalize(raw)
    assert result.rejected == EMPTY
    assert result.text == ""
    assert not result.ok


def test_too_long_is_refused_with_a_reason() -> None:
    assert normalize("a" * MAX_CHARS).ok
    result = normalize("turn on the light " * 100)
    assert result.rejected == TOO_LONG
    assert normalize("x" * 20, max_chars=10).rejected == TOO_LONG


@pytest.mark.parametrize(
    "raw", ["turn on\x00 the light", "\x07bell", "abc\x1bdef", "bad \ufffd decode", "\ud800"]
)
def test_control_characters_are_binary(raw: str) -> None:
    assert normalize(raw).rejected == BINARY


def test_markup_heavy_text_is_refused_but_a_tag_in_a_sentence_is_not() -> None:
    assert normalize("<b>on</b>" * 50).rejected == MARKUP
    assert normalize("<div><p><span>lights</span></p></div>").rejected == MARKUP
    said = normalize("turn on the <b>kitchen</b> light please")
    assert said.ok and said.text == "turn on the kitchen light"


def test_tabs_and_newlines_are_only_whitespace() -> None:
    assert normalize("turn on\r\nthe light\t").text == "turn on the light"


def test_clean_is_idempotent_on_examples() -> None:
    for raw in ("Turn ON the Kitchen Light!", "21°C please", "dim to 30%"):
        once = clean(raw)
        assert clean(once) == once


@given(st.text(max_size=600))
def test_normalize_never_raises_and_output_is_plain(raw: str) -> None:
    result = normalize(raw)
    if result.ok:
        assert result.text == result.text.strip()
        assert "  " not in result.text
        assert all(ch.isalnum() or ch in " ." for ch in result.text)
        assert result.text == result.text.lower()
    else:
        assert result.text == ""
        assert result.rejected in (EMPTY, TOO_LONG, BINARY, MARKUP)
