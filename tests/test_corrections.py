"""A sentence that corrects itself: the fix replaces the slip, an addition does not."""

from __future__ import annotations

import pytest
from test_spans import spans_of

from homebrain.understanding.complements import whole_values
from homebrain.understanding.corrections import corrected

CASES = [
    (
        "heating to twenty two, actually make that twenty one",
        {"heating": "device", "twenty two": "value", "twenty one": "value"},
        ["heating", "twenty one"],
    ),
    (
        "turn off the dragonfly lamp, sorry, I mean the bar cart light",
        {"dragonfly lamp": "device", "bar cart light": "device"},
        ["bar cart light"],
    ),
    (
        "the lamp to thirty percent, no wait, fifty",
        {"lamp": "device", "thirty": "value", "percent": "unit", "fifty": "value"},
        ["lamp", "fifty"],
    ),
    # more, not instead
    (
        "turn on the dragonfly lamp, actually the bar cart light too",
        {"dragonfly lamp": "device", "bar cart light": "device"},
        ["dragonfly lamp", "bar cart light"],
    ),
    # nothing said twice: nothing to replace
    (
        "actually, turn the lamp to fifty",
        {"lamp": "device", "fifty": "value"},
        ["lamp", "fifty"],
    ),
    (
        "the lamp to fifty, sorry, the fan",
        {"lamp": "device", "fifty": "value", "fan": "device"},
        ["fifty", "fan"],
    ),
]


@pytest.mark.parametrize(("text", "marks", "kept"), CASES)
def test_the_fix_replaces_the_slip(text: str, marks: dict[str, str], kept: list[str]) -> None:
    spans, tokens = spans_of(text, marks)
    assert [s.text for s in corrected(spans, tokens)] == kept


@pytest.mark.parametrize(
    ("text", "marks", "value"),
    [
        ("I meant twenty two", {"twenty": "value"}, "twenty two"),  # the number, whole
        ("twenty two", {"twenty two": "value"}, "twenty two"),
        ("lamp to fifty two", {"lamp": "device", "fifty": "value", "two": "unit"}, "fifty"),
        ("set it to five six times", {"five": "value"}, "five"),  # no one number with six
    ],
)
def test_a_number_cut_short_is_made_whole(text: str, marks: dict[str, str], value: str) -> None:
    spans, tokens = spans_of(text, marks)
    assert [s.text for s in whole_values(spans, tokens) if s.slot_type == "value"] == [value]
