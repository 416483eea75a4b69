""" "And the other one too", "both of them": devices named by what was just talked about.

A table against the evaluation home (two thermostats, two fans, two lights in the
parlour and two in the orangery, one in the scullery), then whole conversations through the dialogue
manager with the real shipped model.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import ROOT

from homebrain.config.loader import load_config
from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.other_one import the_other_one
from homebrain.dialogue.responses import Responses
from homebrain.home import Home
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, TurnContext
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model


@cache
def home() -> Home:
    return Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)


@pytest.mark.parametrize(
    ("referents", "said", "expected"),
    [
        (["climate.juniper_radiator"], "and the other one too", "climate.parlour"),
        (["climate.parlour"], "the other one as well", "climate.juniper_radiator"),
        (["fan.punkah"], "and the other fan as well", "fan.humidity_extractor"),
        # the other one in the same room, where that room has exactly one more
        (["light.dragonfly"], "and the other one too", "light.bar_cart"),
        (["light.bar_cart"], "now the other lamp", "light.dragonfly"),
        # a kind said that is not the last one's: the one other of that kind
        (["fan.punkah"], "the other thermostat too", None),
        (["climate.parlour"], "the other fan", None),
        (["light.noguchi"], "and the other one too", "light.festoon"),
        # no other in the room and several in the home: a question, not a guess
        (["light.plate_rack"], "and the other one too", None),
        # nothing talked about, or "other" not said as "the other"
        ([], "and the other one too", None),
        (["climate.parlour"], "another one", None),
        # a correction takes the last command back: not read here
        (["light.dragonfly"], "no, I meant the other lamp", None),
    ],
)
def test_the_other_one(referents: list[str], said: str, expected: str | None) -> None:
    other = the_other_one(home(), referents, said.lower().replace(",", "").split())
    assert (other.entity_id if other else None) == expected


@cache
def recogniser() -> ModelRecogniser:
    return ModelRecogniser(home(), load_model(DEFAULT_MODEL))


def talk(*turns: str, site: str = "parlour") -> list[dict[str, dict[str, object]]]:
    dm = DialogueManager(home(), lambda _id: {}, Responses({}), matcher=recogniser())
    sent = []
    for text in turns:
        decision = dm.handle(text, TurnContext(site=site))
        sent.append({c.entity_id: c.fields for c in decision.commands})
        if text == turns[-1]:
            assert decision.outcome == ACTION, decision
    return sent


def test_the_other_heater_gets_the_same_change() -> None:
    first, second = talk("turn juniper's radiator up two degrees", "and the other one too")
    assert list(first) == ["climate.juniper_radiator"]
    assert list(second) == ["climate.parlour"]
    assert second["climate.parlour"]["temperature"] == 22


def test_the_other_lamp_in_the_room_is_switched_on_too() -> None:
    _, second = talk("switch on the dragonfly lamp", "and the other lamp too")
    assert second == {"light.bar_cart": {"state": "on"}}


def test_both_of_them_are_the_two_just_changed() -> None:
    # "both" with no device word: the lamps just talked about, never every device in the home
    _, second = talk(
        "switch on the dragonfly lamp and the bar cart light", "um bit less on both of them"
    )
    assert set(second) == {"light.dragonfly", "light.bar_cart"}
