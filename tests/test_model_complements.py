"""What the shipped model leaves untagged, completed from the words after it predicts.

Sentences run through the real ModelRecogniser (homebrain/models/default) and
the Resolver against the evaluation home (configs/eval_home.yaml). Each row is
one behaviour: an untagged home name, device word, "every", "the house", an
untagged amount or preset, an "except" cue, a head noun, a demonstrative while
pointing. Tagged-span rules that need no model are checked with hand-made spans.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from conftest import ROOT
from test_spans import spans_of

from homebrain.config.loader import load_config
from homebrain.dialogue.commands import fields_for
from homebrain.home import Home
from homebrain.models import DEFAULT_MODEL
from homebrain.understanding.complements import complements, relative_reading, set_reading
from homebrain.understanding.intent import OUT_OF_DOMAIN
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model
from homebrain.understanding.resolve import Resolver
from homebrain.understanding.spans import SlotFiller
from homebrain.understanding.tokenizer import words

ALL_LIGHTS = [
    "light.bar_cart",
    "light.dragonfly",
    "light.festoon",
    "light.mezzanine",
    "light.noguchi",
    "light.plate_rack",
    "light.shaving",
    "light.toadstool",
]


@cache
def home() -> Home:
    return Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)


@pytest.fixture(scope="module")
def recogniser() -> ModelRecogniser:
    return ModelRecogniser(home(), load_model(DEFAULT_MODEL))


def targets(recogniser: ModelRecogniser, text: str, site: str = "parlour", **kw: Any) -> list[str]:
    intent = recogniser.recognise(text)
    found = Resolver(home()).resolve(intent, site, **kw)
    assert found.ok, (intent, found)
    return sorted(found.targets)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an untagged home name, spelled exactly as the home spells it
        ("beamer volume to 30", ["media_player.beamer"]),
        # an untagged device word ("lights"), with "all over the house" / a floor
        ("turn off the lights all over the house", ALL_LIGHTS),
        ("no more lights upstairs", ["light.mezzanine", "light.shaving", "light.toadstool"]),
        # "every single light": the lights, not everything that switches
        ("every single light in the house on", ALL_LIGHTS),
        # "except"/"apart from", tagged or not, leaves the named one out
        (
            "lights off everywhere except the noguchi",
            [t for t in ALL_LIGHTS if t != "light.noguchi"],
        ),
        (
            "all the lights off apart from the noguchi",
            [t for t in ALL_LIGHTS if t != "light.noguchi"],
        ),
        # a device's own head noun ("drapes" for "Velvet drapes")
        ("drapes open please", ["cover.velvet_drapes"]),
    ],
)
def test_untagged_targets(recogniser: ModelRecogniser, text: str, expected: list[str]) -> None:
    assert targets(recogniser, text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("festoon lights as bright as they'll go", 100, "%"),
        ("two more degrees on the wall stat", 2, "°C"),
        ("knock the wall stat down a degree and a half", 1.5, "°C"),
        ("set the punkah to medium speed", 66, "%"),
    ],
)
def test_untagged_amounts(recogniser: ModelRecogniser, text: str, value: float, unit: str) -> None:
    slots = recogniser.recognise(text).slots
    assert (slots.get("value"), slots.get("unit")) == (value, unit), slots


def test_that_lamp_is_the_one_pointed_at(recogniser: ModelRecogniser) -> None:
    # two lamps in the parlour: without the camera this is a question
    assert targets(recogniser, "that lamp off please", pointing_at="light.bar_cart") == [
        "light.bar_cart"
    ]


@pytest.mark.parametrize(
    "text", ["the beamer was a great buy", "I love the punkah", "what a lovely house"]
)
def test_remarks_stay_out_of_domain(recogniser: ModelRecogniser, text: str) -> None:
    assert recogniser.recognise(text).name == OUT_OF_DOMAIN


def test_a_word_of_one_devices_name_is_that_device() -> None:
    heads = SlotFiller(home()).head_words
    assert heads["dragonfly"] == "dragonfly lamp"  # a first word, not only the last
    assert heads["trolley"] == "drinks trolley light"  # aliases count
    assert "glass" not in heads  # "stained glass lamp", but also "glass room": a room's word
    assert "juniper's" not in heads and "lamp" not in heads  # a room, a device word
    assert "door" not in heads and "street" not in heads  # locks are never named so


@pytest.mark.parametrize(
    ("text", "marks", "added"),
    [
        ("turn the dragonfly off would you", {}, [("device", "dragonfly")]),
        # "it" already says which device: "sun" of "sun sail" is only the weather here
        ("turn it off, the sun's out", {"it": "anaphor"}, []),
    ],
)
def test_name_words_only_when_nothing_says_which_device(
    text: str, marks: dict[str, str], added: list[tuple[str, str]]
) -> None:
    filler = SlotFiller(home())
    spans, tokens = spans_of(text, marks)
    extra = [s for s in complements(filler, spans, tokens, [""] * len(tokens), "turn_off")]
    assert [(s.slot_type, s.text) for s in extra if s not in spans] == [
        (kind, filler.head_words[word]) for kind, word in added
    ]


def test_a_lock_name_is_never_added() -> None:
    filler = SlotFiller(home())
    spans, tokens = spans_of("lock the street door now", {})
    marks = ["", "", "device", "device", ""]
    assert complements(filler, spans, tokens, marks, "lock") == []


def test_a_number_with_its_unit_beats_a_preset_word() -> None:
    spans, tokens = spans_of(
        "toadstool lamp as low as five percent",
        {"toadstool lamp": "device", "low": "value", "five": "value", "percent": "unit"},
    )
    slots = SlotFiller(home()).fill(spans, tokens)
    assert (slots["value"], slots["unit"]) == (5, "%")


def test_a_mode_said_with_turn_on_is_the_climate_mode() -> None:
    entity = home().entities["climate.parlour"]
    assert fields_for("turn_on", entity, {"mode": "cool"}) == {"mode": "cool"}
    assert fields_for("turn_on", entity, {}) == {"mode": "heat"}


def test_a_fan_or_switch_told_to_stop_goes_off() -> None:
    """ "the punkah can stop now": stopping a fan is switching it off; a cover still stops."""
    entities = home().entities
    assert fields_for("stop", entities["fan.punkah"], {}) == {"state": "off"}
    assert fields_for("stop", entities["switch.aga"], {}) == {"state": "off"}
    assert fields_for("stop", entities["cover.sun_sail"], {}) == {"state": "stop"}
    assert fields_for("stop", entities["media_player.radiogram"], {}) == {"state": "pause"}


@pytest.mark.parametrize(
    ("intent", "slots", "text", "expected_intent", "expected_slots"),
    [
        # an amount after "by" with a direction word is a change, not a level
        ("set_brightness", {"value": 25, "unit": "%", "ref": "it"}, "dim it by 25 percent",
         "decrease", {"value": 25, "unit": "%", "ref": "it", "attribute": "set_brightness"}),
        ("set_volume", {"value": 5, "name": "radio"}, "turn the radio up by five",
         "increase", {"value": 5, "name": "radio", "attribute": "set_volume"}),
        # ... and so is an amount right after "up" or "down", with no "to"
        ("set_temperature", {"value": 3, "unit": "°C", "device": "heating"},
         "put the heating up three degrees", "increase",
         {"value": 3, "unit": "°C", "device": "heating", "attribute": "set_temperature"}),
        ("set_temperature", {"value": 1.5, "name": "radiator"},
         "knock the radiator down a degree and a half", "decrease",
         {"value": 1.5, "name": "radiator", "attribute": "set_temperature"}),
        ("set_volume", {"value": 20, "name": "radio"}, "turn the radio down to 20",
         "set_volume", {"value": 20, "name": "radio"}),
        # ... and after a verb that moves, with no "to": "dim it thirty percent"
        ("set_brightness", {"value": 30, "unit": "%", "ref": "it"}, "dim it thirty percent",
         "decrease", {"value": 30, "unit": "%", "ref": "it", "attribute": "set_brightness"}),
        ("set_position", {"value": 20, "name": "blind"}, "lower the blind 20 percent",
         "decrease", {"value": 20, "name": "blind", "attribute": "set_position"}),
        # "double"/"halve": a factor, whatever the model made of it
        ("set_volume", {"attribute": "set_volume", "name": "wireless"},
         "double the volume on the wireless", "increase",
         {"attribute": "set_volume", "name": "wireless", "factor": 2.0}),
        ("set_volume", {"name": "beamer", "value": 2}, "halve the beamer's volume", "decrease",
         {"attribute": "set_volume", "name": "beamer", "factor": 0.5}),
        # "another quarter": a share of the way after "another" is more of the same
        ("set_position", {"value": 25, "unit": "%", "ref": "them"}, "open them another quarter",
         "increase", {"value": 25, "unit": "%", "ref": "them", "attribute": "set_position"}),
        ("set_position", {"value": 25, "unit": "%", "ref": "them"}, "open them a quarter",
         "set_position", {"value": 25, "unit": "%", "ref": "them"}),
        # a level stays a level
        ("set_brightness", {"value": 25, "unit": "%", "ref": "it"}, "dim it to 25 percent",
         "set_brightness", {"value": 25, "unit": "%", "ref": "it"}),
        ("set_position", {"value": 20, "name": "blind"}, "lower the blind at 20 percent",
         "set_position", {"value": 20, "name": "blind"}),
        # a change "to" an amount ends there; "by" says how far
        ("decrease", {"value": 30, "unit": "%", "name": "lamp"}, "drop the lamp to thirty percent",
         "decrease", {"value": 30, "unit": "%", "name": "lamp", "to_level": True}),
        ("increase", {"value": 2}, "up to the top by two", "increase", {"value": 2}),
        ("decrease", {}, "down to earth", "decrease", {}),
        # "by" with no direction word: nothing to go on, left as the model said
        ("set_volume", {"value": 5}, "volume by five", "set_volume", {"value": 5}),
        # a relative change carries no colour temperature: "warm" is how it feels
        ("increase", {"color_temp": 454, "ref": "it"}, "it's chilly, warm it up a bit",
         "increase", {"ref": "it", "attribute": "set_temperature"}),
        # ... but kelvin said outright stays
        ("increase", {"color_temp": 370, "unit": "K"}, "warmer, 2700 kelvin",
         "increase", {"color_temp": 370, "unit": "K"}),
    ],
)  # fmt: skip
def test_relative_reading(
    intent: str,
    slots: dict[str, Any],
    text: str,
    expected_intent: str,
    expected_slots: dict[str, Any],
) -> None:
    said = dict(slots)
    assert relative_reading(intent, said, words(text)) == expected_intent
    assert said == expected_slots


@pytest.mark.parametrize(
    ("text", "slots", "expected"),
    [
        ("put Juniper's radiator on", {"name": "juniper's radiator"}, "turn_on"),
        ("heating off in the parlour", {"device": "heating", "room": "parlour"}, "turn_off"),
        # a mode said, or no switch word: the model's reading stands
        ("put the radiator on auto", {"name": "radiator", "mode": "auto"}, "set_mode"),
        ("change the radiator's mode", {"name": "radiator"}, "set_mode"),
        ("change the mode on the radiator", {"name": "radiator"}, "set_mode"),
    ],
)
def test_a_mode_with_no_mode_but_on_or_off_is_a_switch(
    text: str, slots: dict[str, Any], expected: str
) -> None:
    assert set_reading(SlotFiller(home()), "set_mode", dict(slots), words(text)) == expected
