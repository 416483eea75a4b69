"""From a tagger's spans to targets: floors, "except", "in here", a bare value, a bare scene.

Spans are given by hand (no model), so each row checks the slot filler and the
resolver alone, against the held-out evaluation home (configs/eval_home.yaml).
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import ROOT
from test_spans import spans_of

from homebrain.config.loader import load_config
from homebrain.home import Home
from homebrain.understanding.intent import Intent
from homebrain.understanding.resolve import NO_TARGET, NOT_FOUND, Resolver
from homebrain.understanding.spans import SlotFiller

LIGHTS = {
    "parlour": ["light.dragonfly", "light.bar_cart"],
    "orangery": ["light.noguchi", "light.festoon"],
    "scullery": ["light.plate_rack"],
    "juniper": ["light.toadstool"],
    "mezzanine": ["light.mezzanine"],
    "wet_room": ["light.shaving"],
}
ALL_LIGHTS = [e for ids in LIGHTS.values() for e in ids]
DOWNSTAIRS = LIGHTS["parlour"] + LIGHTS["orangery"] + LIGHTS["scullery"]
UPSTAIRS = LIGHTS["juniper"] + LIGHTS["mezzanine"] + LIGHTS["wet_room"]


@cache
def home() -> Home:
    return Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)


def resolve(intent: str, text: str, marks: dict[str, str], site_room: str = "parlour"):  # type: ignore[no-untyped-def]
    spans, tokens = spans_of(text, marks)
    slots = SlotFiller(home()).fill(spans, tokens)
    return Resolver(home()).resolve(Intent(intent, slots, 0.9, text), site_room)


CASES = [
    # a floor named as a room means every room on it
    (
        "turn_on",
        "every lamp upstairs on",
        {"every": "scope", "lamp": "device", "upstairs": "room"},
        UPSTAIRS,
    ),
    ("turn_off", "lights off downstairs", {"lights": "device", "downstairs": "room"}, DOWNSTAIRS),
    # what follows "except" is left out
    (
        "turn_off",
        "all the lights off apart from juniper's lamp",
        {"all": "scope", "lights": "device", "apart from": "scope", "juniper's lamp": "device"},
        [e for e in ALL_LIGHTS if e != "light.toadstool"],
    ),
    (
        "turn_off",
        "every light downstairs except the orangery",
        {
            "every": "scope",
            "light": "device",
            "downstairs": "room",
            "except": "scope",
            "orangery": "room",
        },
        LIGHTS["parlour"] + LIGHTS["scullery"],
    ),
    # "in here" is the room that heard it, not something talked about before
    (
        "set_temperature",
        "twenty one in here",
        {"twenty one": "value", "here": "deixis"},
        ["climate.parlour"],
    ),
    # a bare value said as a temperature: the room's thermostat, not "which device?"
    (
        "set_temperature",
        "twenty one in the parlour",
        {"twenty one": "value", "parlour": "room"},
        ["climate.parlour"],
    ),
]


CASES += [
    # "lit" / "dark" say the lights are meant, all of them there
    ("turn_on", "i want the orangery lit up", {"orangery": "room"}, LIGHTS["orangery"]),
    ("turn_off", "the scullery can go dark", {"scullery": "room"}, LIGHTS["scullery"]),
]


@pytest.mark.parametrize(("intent", "text", "marks", "targets"), CASES)
def test_targets(intent: str, text: str, marks: dict[str, str], targets: list[str]) -> None:
    found = resolve(intent, text, marks)
    assert found.problem is None
    assert sorted(found.targets) == sorted(targets)


def test_everything_left_out_is_not_found() -> None:
    found = resolve(
        "turn_off",
        "the festoon off except the festoon",
        {"festoon": "device", "except": "scope"},
    )
    assert found.targets == ["light.festoon"]  # nothing after "except" was tagged a name
    found = resolve(
        "turn_off",
        "lights in the scullery off except the plate rack light",
        {"lights": "device", "scullery": "room", "except": "scope", "plate rack light": "device"},
    )
    assert found.problem == NOT_FOUND and not found.targets


def test_a_room_the_home_does_not_have_is_never_the_sites_room() -> None:
    found = resolve(
        "turn_on", "turn on the lights in the attic", {"lights": "device", "attic": "room"}
    )
    assert found.problem == NOT_FOUND and not found.targets and found.room == "attic"
    # a name says which device, whatever room was misheard around it
    named = resolve(
        "turn_on", "the noguchi in the attic on", {"noguchi": "device", "attic": "room"}
    )
    assert named.targets == ["light.noguchi"]
    # "it" points at a device; a stray room tag does not undo that
    spans, tokens = spans_of("pause it, i need the loo", {"it": "anaphor", "loo": "room"})
    slots = SlotFiller(home()).fill(spans, tokens)
    intent = Intent("pause", slots, 0.9, "pause it, i need the loo")
    referred = Resolver(home()).resolve(intent, "parlour", referents=["media_player.beamer"])
    assert referred.targets == ["media_player.beamer"]
    # "except" a room that does not exist is no room to go to
    spans, tokens = spans_of(
        "lights off except the attic", {"lights": "device", "except": "scope", "attic": "room"}
    )
    assert "unknown_room" not in SlotFiller(home()).fill(spans, tokens)


def test_a_scene_is_only_ever_chosen_by_name() -> None:
    """A scene request with no scene named asks; it never starts the room's only scene."""
    found = resolve("activate_scene", "can dogs eat grapes", {})
    assert found.problem == NO_TARGET and not found.targets
    in_a_room = resolve("activate_scene", "come and sit in the orangery", {"orangery": "room"})
    assert in_a_room.problem == NO_TARGET and not in_a_room.targets
    named = resolve("activate_scene", "do the hygge thing", {"hygge": "device"})
    assert named.targets == ["scene.hygge"]


def test_kelvin_becomes_mireds() -> None:
    spans, tokens = spans_of(
        "2700 kelvin on the shaving light",
        {"2700": "value", "kelvin": "unit", "shaving light": "device"},
    )
    slots = SlotFiller(home()).fill(spans, tokens)
    assert slots["color_temp"] == 370 and "value" not in slots and "unit" not in slots
