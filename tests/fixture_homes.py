"""Homes for understanding/dialogue tests, built without the profile registry."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from homebrain.config.schema import HomebrainConfig
from homebrain.home import Home

if TYPE_CHECKING:
    from homebrain.understanding.model_recogniser import ModelRecogniser

ROOT = Path(__file__).resolve().parent.parent


def demo_home() -> Home:
    """configs/demo.yaml as the brain sees it (profiles are not needed for that)."""
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    return Home.from_config(HomebrainConfig.model_validate(data))


# A second, made-up home: other names, rooms and device classes, so nothing about the
# demo can be hard-coded in the recogniser.
OTHER_HOME: dict[str, Any] = {
    "default_site": "office",
    "rooms": {
        "office": {"aliases": ["study"]},
        "nursery": {},
        "den": {"aliases": ["tv room"]},
        "patio": {},
    },
    "sites": {"office": {"room": "office"}, "den": {"room": "den"}},
    "devices": [
        {"id": "light.desk_lamp", "name": "Desk lamp", "room": "office", "profile": "x"},
        {"id": "light.office_ceiling", "name": "Office light", "room": "office", "profile": "x"},
        {
            "id": "light.nursery",
            "name": "Night light",
            "aliases": ["nursery lamp"],
            "room": "nursery",
            "profile": "x",
        },
        {"id": "switch.kettle", "name": "Kettle", "room": "office", "profile": "x"},
        {
            "id": "cover.patio_awning",
            "name": "Awning",
            "room": "patio",
            "device_class": "awning",
            "profile": "x",
        },
        {
            "id": "cover.gate",
            "name": "Driveway gate",
            "device_class": "gate",
            "sensitive": True,
            "room": "patio",
            "profile": "x",
        },
        {"id": "lock.back_door", "name": "Back door", "room": "patio", "profile": "x"},
        {
            "id": "media_player.den_speaker",
            "name": "Sonos",
            "room": "den",
            "device_class": "speaker",
            "profile": "x",
        },
        {
            "id": "climate.office",
            "name": "Office radiator",
            "aliases": ["radiator"],
            "room": "office",
            "profile": "x",
        },
        {"id": "fan.den", "name": "Den fan", "room": "den", "profile": "x"},
        {"id": "scene.bedtime", "name": "Bedtime", "aliases": ["good night"], "profile": "x"},
    ],
}


def other_home() -> Home:
    return Home.from_config(HomebrainConfig.model_validate(OTHER_HOME))


@cache
def eval_home() -> Home:
    """configs/eval_home.yaml: the held-out home, whose names no training pool has."""
    from homebrain.config.loader import load_config

    return Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)


@cache
def eval_home_recogniser() -> ModelRecogniser:
    """The shipped model reading for the held-out home."""
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.model_recogniser import ModelRecogniser
    from homebrain.understanding.model_runtime import load_model

    return ModelRecogniser(eval_home(), load_model(DEFAULT_MODEL))
