"""Spoken and written numbers → value + unit."""

from __future__ import annotations

import pytest

from homebrain.understanding.numbers import (
    CELSIUS,
    FAHRENHEIT,
    KELVIN,
    PERCENT,
    find_quantity,
    ordinal,
    parse_number,
    parse_quantities,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("zero", 0, None),
        ("one", 1, None),
        ("seven", 7, None),
        ("twelve", 12, None),
        ("nineteen", 19, None),
        ("twenty", 20, None),
        ("twenty one", 21, None),
        ("twenty-one", 21, None),
        ("fifty five", 55, None),
        ("ninety nine", 99, None),
        ("one hundred", 100, None),
        ("a hundred", 100, None),
        ("one hundred and five", 105, None),
        ("two thousand seven hundred", 2700, None),
        ("half", 0.5, None),
        ("a half", 0.5, None),
        ("one and a half", 1.5, None),
        ("twenty one and a half", 21.5, None),
        ("nineteen point five", 19.5, None),
        ("twenty one point two five", 21.25, None),
        ("21", 21, None),
        ("21.5", 21.5, None),
        ("21 point 5", 21.5, None),
        ("0", 0, None),
        ("minus five", -5, None),
        ("seventy percent", 70, PERCENT),
        ("seventy per cent", 70, PERCENT),
        ("70 %", 70, PERCENT),
        ("70%", 70, PERCENT),
        ("21°", 21, CELSIUS),
        ("21 degrees", 21, CELSIUS),
        ("21°C", 21, CELSIUS),
        ("21 °c", 21, CELSIUS),
        ("twenty one degrees celsius", 21, CELSIUS),
        ("70 degrees fahrenheit", 70, FAHRENHEIT),
        ("70°F", 70, FAHRENHEIT),
        ("2700 kelvin", 2700, KELVIN),
        ("one degree", 1, CELSIUS),
    ],
)
def test_parse_number(text: str, value: float, unit: str | None) -> None:
    found = parse_number(text)
    assert found is not None, text
    assert found.value == pytest.approx(value)
    assert found.unit == unit


@pytest.mark.parametrize(
    "text", ["", "hello", "twenty one light", "the", "a", "and", "percent", "point", "oh"]
)
def test_not_a_lone_number(text: str) -> None:
    assert parse_number(text) is None


def test_number_inside_a_sentence_reports_its_token_span() -> None:
    tokens = ["set", "the", "heating", "to", "twenty", "one", "degrees", "please"]
    (q,) = parse_quantities(tokens)
    assert (q.value, q.unit, q.start, q.end) == (21, CELSIUS, 4, 7)
    assert tokens[q.start : q.end] == ["twenty", "one", "degrees"]


def test_two_numbers_side_by_side_are_two_quantities() -> None:
    found = parse_quantities(["one", "twenty"])
    assert [q.value for q in found] == [1, 20]


def test_whole_numbers_read_as_int() -> None:
    q = find_quantity("set it to 21.0")
    assert q is not None and isinstance(q.number, int) and q.number == 21
    q = find_quantity("nineteen point five")
    assert q is not None and q.number == 19.5


def test_find_quantity_takes_the_first() -> None:
    q = find_quantity("dim the lamp to 30% in 5 minutes")
    assert q is not None and (q.value, q.unit) == (30, PERCENT)
    assert find_quantity("no numbers here") is None


def test_tokenize_splits_glued_units() -> None:
    assert tokenize("21°C") == ["21", "°", "c"]
    assert tokenize("twenty-one") == ["twenty", "one"]
    assert tokenize("70%") == ["70", "%"]


@pytest.mark.parametrize(
    ("word", "rank"),
    [("first", 1), ("second", 2), ("third", 3), ("2nd", 2), ("last", -1), ("blue", None)],
)
def test_ordinal(word: str, rank: int | None) -> None:
    assert ordinal(word) == rank


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("back it off a degree and a half", 1.5, CELSIUS),
        ("three more degrees please", 3, CELSIUS),
        ("a degree warmer", 1, CELSIUS),
        ("two degrees and a half", 2.5, CELSIUS),
        ("an extra 5 percent", 5, PERCENT),
        ("nudge the wall stat up a couple of degrees", 2, CELSIUS),
        ("pop it up by half a degree", 0.5, CELSIUS),
        ("half a percent more", 0.5, PERCENT),
    ],
)
def test_loose_amounts(text: str, value: float, unit: str) -> None:
    found = parse_quantities(tokenize(text), loose=True)
    assert (found[0].value, found[0].unit) == (value, unit)


def test_loose_is_off_by_default_and_a_c_is_no_amount() -> None:
    assert [q.unit for q in parse_quantities(tokenize("three more degrees"))] == [None]
    assert parse_quantities(tokenize("turn on the a c"), loose=True) == []
