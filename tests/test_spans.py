"""Tagged spans become the slots the resolver understands, against the home's own names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fixture_homes import demo_home

from homebrain.understanding.spans import SlotFiller
from homebrain.understanding.tokenizer import words


@dataclass
class Span:
    slot_type: str
    start: int
    end: int
    text: str


def spans_of(text: str, marks: dict[str, str]) -> tuple[list[Span], list[str]]:
    """Spans for the phrases in ``marks`` (phrase → slot type), located in the text."""
    tokens = words(text)
    found: list[Span] = []
    for phrase, kind in marks.items():
        part = words(phrase)
        for i in range(len(tokens) - len(part) + 1):
            if tokens[i : i + len(part)] == part:
                found.append(Span(kind, i, i + len(part), phrase))
                break
        else:
            raise AssertionError(f"{phrase!r} not in {text!r}")
    found.sort(key=lambda s: s.start)
    return found, tokens


CASES: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("turn on the kitchen light", {"kitchen light": "device"}, {"name": "kitchen light"}),
    ("turn on the kitchn light", {"kitchn light": "device"}, {"name": "kitchen light"}),
    (
        "switch off the lights in the bedroom",
        {"lights": "device", "bedroom": "room"},
        {"device": "lights", "domain": "light", "plural": True, "room": "bedroom"},
    ),
    (
        "turn off the lounge lamps",
        {"lounge lamps": "device"},
        {"device": "lamps", "room": "living_room", "plural": True},
    ),
    (
        "set the heating to twenty one degrees",
        {"heating": "device", "twenty one": "value", "degrees": "unit"},
        {"name": "heating", "value": 21, "unit": "°C"},
    ),
    (
        "dim it to 30 %",
        {"it": "anaphor", "30": "value", "%": "unit"},
        {"ref": "it", "value": 30, "unit": "%"},
    ),
    (
        "close the blinds halfway",
        {"blinds": "device", "halfway": "value"},
        {"name": "blinds", "value": 50},
    ),
    (
        "make the reading lamp blue",
        {"reading lamp": "device", "blue": "color"},
        {"name": "reading lamp", "color": "blue"},
    ),
    (
        "set the bedroom light to warm",
        {"bedroom light": "device", "warm": "color"},
        {"name": "bedroom light", "color_temp": 454},
    ),
    ("put the heating on cool", {"heating": "device", "cool": "mode"}, {"mode": "cool"}),
    (
        "turn off all the lights",
        {"all": "scope", "lights": "device"},
        {"all": True, "plural": True},
    ),
    ("turn everything off", {"everything": "scope"}, {"all": True, "whole_home": True}),
    ("turn this on", {"this": "deixis"}, {"ref": "this"}),
    ("the second one", {}, {"ordinal": 2}),
    ("turn the volume up", {"volume": "attribute"}, {"attribute": "set_volume"}),
    (
        "make it brighter",
        {"it": "anaphor", "brighter": "attribute"},
        {"attribute": "set_brightness"},
    ),
    (
        "all lights other than the kitchen",
        {"all": "scope", "other than": "scope"},
        {"except": True},
    ),
    # a room without its name is the speaker's; a room this home lacks is not
    ("make my room warmer", {"room": "room"}, {"ref": "here", "unknown_room": None}),
    ("the heater in this room up", {"heater": "device", "this room": "room"}, {"ref": "here"}),
    ("lights up on a drawing room", {"lights": "device", "room": "room"}, {"ref": None}),
    # mireds are a white, like kelvin
    (
        "the lamp to 250 mireds",
        {"lamp": "device", "250": "value", "mireds": "unit"},
        {"color_temp": 250, "value": None, "unit": None},
    ),
]


@pytest.mark.parametrize(("text", "marks", "expected"), CASES, ids=[c[0] for c in CASES])
def test_spans_to_slots(text: str, marks: dict[str, str], expected: dict[str, Any]) -> None:
    spans, tokens = spans_of(text, marks)
    slots = SlotFiller(demo_home()).fill(spans, tokens)
    for key, value in expected.items():
        assert slots.get(key) == value, (key, slots)


def test_unknown_device_phrase_gives_no_name() -> None:
    spans, tokens = spans_of("turn on the spaceship", {"spaceship": "device"})
    assert SlotFiller(demo_home()).fill(spans, tokens) == {}


def test_name_completed_from_untagged_words_before_the_span() -> None:
    """A model that tagged only "light" in "the counter light" still names the right entity."""
    tokens = words("turn on the counter light")
    slots = SlotFiller(demo_home()).fill([Span("device", 4, 5, "light")], tokens)
    assert slots.get("name") == "counter light"
    # no exact name around the span: left as the device word, never guessed
    tokens = words("turn on the blue light")
    slots = SlotFiller(demo_home()).fill([Span("device", 4, 5, "light")], tokens)
    assert "name" not in slots and slots["device"] == "light"


def test_two_rooms() -> None:
    spans, tokens = spans_of(
        "lights in the kitchen and the bedroom",
        {"lights": "device", "kitchen": "room", "bedroom": "room"},
    )
    slots = SlotFiller(demo_home()).fill(spans, tokens)
    assert slots["rooms"] == ["kitchen", "bedroom"]
