"""Relative changes ("brighter", "two degrees warmer", "louder"): from mirrored state, clamped.

The table checks the arithmetic alone; the conversations run the shipped
model (homebrain/models/default) through the real dialogue manager, with a
state mirror that is a plain dict here.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixture_homes import demo_home

from homebrain.dialogue.commands import Unsupported, relative_fields
from homebrain.dialogue.manager import DialogueManager, _only_a_correction
from homebrain.dialogue.responses import Responses
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, TurnContext
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model
from homebrain.understanding.numbers import FAHRENHEIT

TABLE: list[tuple[str, str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    # intent, domain, slots, mirrored state, fields sent
    ("increase", "light", {}, {"state": "on", "brightness": 40}, {"state": "on", "brightness": 50}),
    ("decrease", "light", {}, {"state": "on", "brightness": 40}, {"state": "on", "brightness": 30}),
    (
        "increase",
        "light",
        {},
        {"state": "off", "brightness": 80},
        {"state": "on", "brightness": 10},
    ),
    ("decrease", "light", {"value": 20}, {"state": "on", "brightness": 15}, {"state": "off"}),
    (
        "increase",
        "light",
        {"value": 30},
        {"state": "on", "brightness": 90},
        {"state": "on", "brightness": 100},
    ),
    ("increase", "climate", {}, {"temperature": 20}, {"temperature": 21}),
    ("decrease", "climate", {"value": 1.5}, {"temperature": 20}, {"temperature": 18.5}),
    (
        "increase",
        "climate",
        {"value": 9, "unit": FAHRENHEIT},
        {"temperature": 20},
        {"temperature": 25},
    ),
    ("increase", "climate", {"value": 10}, {"temperature": 30}, {"temperature": 35}),
    ("increase", "climate", {}, {}, {"temperature": 21}),  # unknown: from 20 °C
    ("increase", "media_player", {"value": 20}, {"volume": 30}, {"volume": 50}),
    ("decrease", "media_player", {}, {"volume": 5}, {"volume": 0}),
    ("increase", "fan", {}, {"state": "on", "percentage": 40}, {"state": "on", "percentage": 50}),
    ("increase", "cover", {"value": 10}, {"position": 50}, {"position": 60}),
    ("decrease", "cover", {}, {"state": "open"}, {"position": 90}),
    # "to" a level: where it ends, clamped and converted like any level
    (
        "decrease",
        "light",
        {"value": 30, "to_level": True},
        {"state": "on", "brightness": 80},
        {"state": "on", "brightness": 30},
    ),
    (
        "increase",
        "climate",
        {"value": 40, "to_level": True},
        {"temperature": 20},
        {"temperature": 35},
    ),
    (
        "increase",
        "climate",
        {"value": 68, "unit": FAHRENHEIT, "to_level": True},
        {"temperature": 18},
        {"temperature": 20},
    ),
    # "double it", "halve the volume": a factor
    ("increase", "media_player", {"factor": 2.0}, {"volume": 40}, {"volume": 80}),
    ("decrease", "media_player", {"factor": 0.5}, {"volume": 30}, {"volume": 15}),
    (
        "increase",
        "light",
        {"factor": 2.0},
        {"state": "on", "brightness": 70},
        {"state": "on", "brightness": 100},
    ),
    # "warmer"/"cooler" said of a light: its white moves, in mireds (warmer = more)
    (
        "increase",
        "light",
        {"attribute": "set_temperature"},
        {"state": "on", "brightness": 80, "color_temp": 250},
        {"state": "on", "color_temp": 290},
    ),
    (
        "decrease",
        "light",
        {"attribute": "set_color_temp"},
        {"state": "off", "color_temp": 170},
        {"state": "on", "color_temp": 150},  # from its last white, clamped to the bulb
    ),
]


@pytest.mark.parametrize(("intent", "domain", "slots", "state", "fields"), TABLE)
def test_relative_fields(
    intent: str,
    domain: str,
    slots: dict[str, Any],
    state: dict[str, Any],
    fields: dict[str, Any],
) -> None:
    assert relative_fields(intent, domain, slots, state) == fields


def test_no_relative_change_for_on_off_devices() -> None:
    with pytest.raises(Unsupported):
        relative_fields("increase", "switch", {}, {"state": "on"})


@pytest.fixture(scope="module")
def manager_and_state() -> tuple[DialogueManager, dict[str, dict[str, Any]]]:
    home = demo_home()
    state: dict[str, dict[str, Any]] = {
        "light.reading_lamp": {"state": "on", "brightness": 40, "color_temp": 370},
        "climate.living_room": {"temperature": 20.0, "mode": "heat"},
        "media_player.living_room_tv": {"state": "on", "volume": 30},
        "fan.bedroom": {"state": "on", "percentage": 50},
        "cover.living_room_blinds": {"position": 40},
    }
    recogniser = ModelRecogniser(home, load_model(DEFAULT_MODEL))
    dm = DialogueManager(
        home, lambda entity: state.get(entity, {}), Responses({}), matcher=recogniser
    )
    return dm, state


CONVERSATIONS = [
    (["make the reading lamp brighter"], {"light.reading_lamp": {"state": "on", "brightness": 50}}),
    (
        ["turn on the reading lamp", "a bit dimmer"],
        {"light.reading_lamp": {"state": "on", "brightness": 30}},
    ),
    (
        ["make it two degrees warmer in the living room"],
        {"climate.living_room": {"temperature": 22}},
    ),
    (["turn the tv up by 20"], {"media_player.living_room_tv": {"volume": 50}}),
    (
        ["make the reading lamp a little cooler, more like daylight"],
        {"light.reading_lamp": {"state": "on", "color_temp": 330}},  # 40 mireds from 370
    ),
    # right after a light's white was set, "warmer" is that white (the mirrored 370 + 40)...
    (
        ["set the reading lamp to daylight", "a touch warmer"],
        {"light.reading_lamp": {"state": "on", "color_temp": 410}},
    ),
    # ... and after it was only switched on, the heating's
    (["turn on the reading lamp", "a touch warmer"], {"climate.living_room": {"temperature": 21}}),
    # a fan just set is what a "noisy" complaint is about: its speed goes down
    (
        ["put the bedroom fan on fifty percent", "still too noisy, down a bit"],
        {"fan.bedroom": {"state": "on", "percentage": 40}},
    ),
    # "another" makes an amount a step, "open" the way
    (
        ["open the blinds to forty percent", "open them another twenty"],
        {"cover.living_room_blinds": {"position": 60}},
    ),
    # a value taken back right after it was set: the new one, not a step
    (
        ["set the heating to twenty three", "sorry, I meant twenty two"],
        {"climate.living_room": {"temperature": 22}},
    ),
    # "not so bright" is no refusal
    (
        ["turn on the reading lamp", "hmm, not so bright"],
        {"light.reading_lamp": {"state": "on", "brightness": 30}},
    ),
]


@pytest.mark.parametrize(("turns", "expected"), CONVERSATIONS)
def test_relative_changes_through_the_dialogue(
    manager_and_state: tuple[DialogueManager, dict[str, dict[str, Any]]],
    turns: list[str],
    expected: dict[str, dict[str, Any]],
) -> None:
    dm, _ = manager_and_state
    dm.reset()
    decisions = [dm.handle(t, TurnContext(site="living_room")) for t in turns]
    last = decisions[-1]
    assert last.outcome == ACTION, (last.intent, last.response)
    assert {c.entity_id: c.fields for c in last.commands} == expected


def test_a_number_in_a_remark_takes_nothing_back(
    manager_and_state: tuple[DialogueManager, dict[str, dict[str, Any]]],
) -> None:
    """Only a bare value said to take one back resets the last one."""
    dm, _ = manager_and_state
    dm.reset()
    dm.handle("set the heating to twenty three", TurnContext(site="living_room"))
    remark = dm.handle("sorry, I have twenty two emails", TurnContext(site="living_room"))
    assert remark.commands == []


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("sorry, I meant twenty two", True),
        ("actually make that 21", True),
        ("oh no, I meant to say nineteen and a half degrees", True),
        ("sorry, I have twenty two emails", False),
        ("actually the kettle takes two minutes", False),
    ],
)
def test_what_a_value_taken_back_may_say(text: str, only: bool) -> None:
    """Whatever the model calls it, a remark with a number in it is no correction."""
    assert _only_a_correction(text) is only
