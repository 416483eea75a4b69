"""Sound-alikes beside a number mended before the rules read them (sound_alikes.py).

A table of what an ASR writes and what is read, then the same through the real
shipped model: "up too forty" ends at forty, "too degrees warmer" is two degrees.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import ROOT

from homebrain.config.loader import load_config
from homebrain.home import Home
from homebrain.models import DEFAULT_MODEL
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model
from homebrain.understanding.sound_alikes import mended


@pytest.mark.parametrize(
    ("heard", "read"),
    [
        ("turn the wireless up too forty", "turn the wireless up to forty"),
        ("set it too 21", "set it to 21"),
        ("turn the heating up too degrees", "turn the heating up two degrees"),
        ("a to percent change", "a two percent change"),
        ("open the sail buy twenty percent", "open the sail by twenty percent"),
        ("down bye 5", "down by 5"),
        # typed: "2" for "to" and "too", "lite" for "light"
        ("set juniper's radiator 2 twenty two", "set juniper's radiator to twenty two"),
        ("turn the radiogram up 2 45", "turn the radiogram up to 45"),
        ("palm leaf fan 2 medium", "palm leaf fan to medium"),
        ("turn the noguchi 2 blue", "turn the noguchi to blue"),
        ("its 2 bright", "its too bright"),
        ("its 2 warm in here", "its too warm in here"),
        ("drinks trolley lite on", "drinks trolley light on"),
        ("all the lites off", "all the lights off"),
        ("turn it up 2 degrees", "turn it up 2 degrees"),
        ("turn it up 2", "turn it up 2"),
        # nothing after it that leaves no doubt: left as heard
        ("the bedroom too", "the bedroom too"),
        ("too bright", "too bright"),
        ("buy a new lamp", "buy a new lamp"),
        ("go to bed", "go to bed"),
        ("up to forty", "up to forty"),
        ("", ""),
    ],
)
def test_mended(heard: str, read: str) -> None:
    assert mended(heard.split()) == read.split()


@cache
def recogniser() -> ModelRecogniser:
    home = Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)
    return ModelRecogniser(home, load_model(DEFAULT_MODEL))


def test_up_too_a_number_ends_there() -> None:
    intent = recogniser().recognise("turn the wireless up too forty")
    assert intent.slots.get("value") == 40
    assert intent.name == "set_volume" or intent.slots.get("to_level") is True


def test_too_degrees_is_two() -> None:
    intent = recogniser().recognise("turn the heating up too degrees please")
    assert intent.name == "increase"
    assert intent.slots.get("value") == 2
