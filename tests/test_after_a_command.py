"""Right after a command: "no, the mezzanine", "no, 21, we're not made of money", "full blast".

A table of the words that read as a correction of the target, then conversations
through the dialogue manager with the real shipped model on the evaluation home,
whose devices start as the simulator starts them (lights off, thermostats at
20 °C): the wrong device goes back as it was and the meant one gets the command;
a value taken back in a clause of its own is replaced; a level said alone goes to
what was just switched on, but a plain number does not.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixture_homes import eval_home, eval_home_recogniser

from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.dialogue.target_correction import corrects_target
from homebrain.turns import ACTION, Decision, TurnContext
from homebrain.understanding.tokenizer import words


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("no, mezzanine", True),
        ("I meant the mezzanine", True),
        ("sorry, the parlour one, she's asleep down here", True),
        ("wrong one, the festoon", True),
        ("the festoon instead", True),
        # a command of its own, or one more rather than another instead
        ("no, turn off the mezzanine light", False),
        ("no, the kitchen light too", False),
        ("nah, leave it", False),
        # nothing taken back
        ("the mezzanine", False),
        ("", False),
    ],
)
def test_words_that_correct_the_last_target(said: str, expected: bool) -> None:
    assert corrects_target(words(said)) is expected


home = eval_home
recogniser = eval_home_recogniser


def _initial(entity_id: str) -> dict[str, Any]:
    domain = entity_id.split(".", 1)[0]
    starts: dict[str, dict[str, Any]] = {
        "light": {"state": "off"},
        "fan": {"state": "off"},
        "climate": {"temperature": 20.0, "mode": "heat"},
        "lock": {"state": "locked"},
    }
    return starts.get(domain, {})


def talk(*turns: str, site: str) -> list[Decision]:
    """The turns in one conversation, each command applied to the devices' state."""
    states: dict[str, dict[str, Any]] = {}
    dm = DialogueManager(
        home(), lambda e: {**_initial(e), **states.get(e, {})}, Responses({}), matcher=recogniser()
    )
    decisions = []
    for text in turns:
        decision = dm.handle(text, TurnContext(site=site))
        for command in decision.commands:
            states.setdefault(command.entity_id, {}).update(command.fields)
        decisions.append(decision)
    return decisions


def _sent(decision: Decision) -> dict[str, dict[str, Any]]:
    return {c.entity_id: dict(c.fields) for c in decision.commands}


def test_a_room_said_after_the_wrong_light_moves_the_light_there() -> None:
    first, fix, after = talk(
        "switch on the shaving light", "I meant the mezzanine", "make it thirty percent",
        site="wet_room",
    )  # fmt: skip
    assert _sent(first) == {"light.shaving": {"state": "on"}}
    assert fix.outcome == ACTION
    assert _sent(fix) == {"light.shaving": {"state": "off"}, "light.mezzanine": {"state": "on"}}
    assert fix.response.startswith("Sorry, the shaving light is back as it was.")
    assert list(_sent(after)) == ["light.mezzanine"]  # "it" is now the one meant


def test_the_value_goes_to_the_thermostat_meant_and_the_wrong_one_back() -> None:
    _, fix = talk(
        "turn juniper's radiator up to twenty two", "sorry, the parlour one", site="parlour"
    )
    assert _sent(fix) == {
        "climate.juniper_radiator": {"temperature": 20.0},
        "climate.parlour": {"temperature": 22},
    }


def test_the_other_one_said_as_a_correction() -> None:
    _, fix = talk("switch on the noguchi", "no, the other one", site="orangery")
    assert _sent(fix) == {"light.noguchi": {"state": "off"}, "light.festoon": {"state": "on"}}


def test_a_new_command_after_no_leaves_the_last_one_alone() -> None:
    _, second = talk(
        "switch on the shaving light", "no, turn off the mezzanine light", site="wet_room"
    )
    assert _sent(second) == {"light.mezzanine": {"state": "off"}}


@pytest.mark.parametrize(
    "turns",
    [
        ("switch on the dragonfly lamp", "no, I meant the oak door"),
        ("lock the oak door", "yes", "no, I meant the street door"),
    ],
)
def test_a_lock_is_never_moved_by_a_correction(turns: tuple[str, ...]) -> None:
    # a lock on either side: no quiet swap; the ordinary path asks or leaves it
    *_, last = talk(*turns, site="parlour")
    assert last.commands == []


def test_a_value_taken_back_before_a_remark() -> None:
    _, fix, step = talk(
        "wall stat to 23", "no, 21, we're not made of money", "one degree warmer then",
        site="parlour",
    )  # fmt: skip
    assert _sent(fix) == {"climate.parlour": {"temperature": 21}}
    assert _sent(step) == {"climate.parlour": {"temperature": 22}}


def test_a_remark_with_a_second_number_takes_nothing_back() -> None:
    _, second = talk("wall stat to 23", "no, 21, it's 3 degrees outside", site="parlour")
    assert second.commands == []


@pytest.mark.parametrize(
    ("first", "level", "expected"),
    [
        ("turn the punkah on", "full blast", {"fan.punkah": {"state": "on", "percentage": 100}}),
        ("switch on the dragonfly lamp", "fifty percent",
         {"light.dragonfly": {"state": "on", "brightness": 50}}),
    ],
)  # fmt: skip
def test_a_level_alone_goes_to_what_was_just_switched_on(
    first: str, level: str, expected: dict[str, dict[str, Any]]
) -> None:
    _, second = talk(first, level, site="parlour")
    assert _sent(second) == expected


@pytest.mark.parametrize(
    ("first", "level"),
    [
        ("switch on the dragonfly lamp", "twenty one"),  # no unit: a number for nothing
        ("switch off the dragonfly lamp", "fifty percent"),  # not a level for what went off
        ("lock the oak door", "fifty percent"),
    ],
)
def test_a_level_alone_is_nothing_otherwise(first: str, level: str) -> None:
    _, second = talk(first, level, site="parlour")
    assert second.commands == []


def test_a_level_that_names_nothing_is_for_the_device_just_meant() -> None:
    *_, level = talk("lamp on", "no, mezzanine", "half brightness", site="juniper")
    assert _sent(level) == {"light.mezzanine": {"state": "on", "brightness": 50}}
    # a value the last device cannot take is for the room's device of that kind
    _, heat = talk("switch on the dragonfly lamp", "set the temperature to 21", site="parlour")
    assert _sent(heat) == {"climate.parlour": {"temperature": 21}}


@pytest.mark.parametrize(
    ("site", "light", "expected"),
    [
        # the orangery has no heating: warmth after its light is the light's white
        ("orangery", "switch on the noguchi", "light.noguchi"),
        # the parlour has a thermostat: "warmer" after its lamp is still the heating
        ("parlour", "switch on the dragonfly lamp", "climate.parlour"),
    ],
)
def test_warmer_after_a_light(site: str, light: str, expected: str) -> None:
    _, warmer = talk(light, "warmer", site=site)
    assert list(_sent(warmer)) == [expected]
