"""Issue 4: undo, questions answered from the mirror, "and the bedroom too", state over a reload.

Conversations run the shipped model (homebrain/models/default) through the real
pipeline with configs/demo_model.yaml: simulated devices answer every command
and their state messages feed the real state mirror, as in `homebrain eval`, so
undo and questions see exactly what the devices reported. The sentences are
plain, common ones on purpose: these tests are about the dialogue, not about
fine points of the model.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_homes import demo_home
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homebrain.config.loader import LoadedConfig, load_config
from homebrain.dialogue.commands import restore_fields
from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import DEFAULTS, Responses
from homebrain.domains import validate_command
from homebrain.evaluation.runner import EvalSession
from homebrain.home import Home
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, ANSWER, ASK, TurnContext, TurnResult
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "configs" / "demo.yaml"
DEMO_MODEL = ROOT / "configs" / "demo_model.yaml"


@cache
def demo_model() -> LoadedConfig:
    return load_config(DEMO_MODEL)


class Talk:
    """One conversation with the demo home (fresh devices, mirror and dialogue)."""

    def __init__(self) -> None:
        self.session = EvalSession(demo_model())

    def __call__(self, text: str, site: str = "living_room", wait: float = 0.0) -> TurnResult:
        return self.session.say(text, {"site": site}, wait)

    def state(self, entity_id: str) -> dict[str, Any]:
        return self.session.mirror.get(entity_id)

    @property
    def dialogue(self) -> DialogueManager:
        return self.session.pipeline.dialogue


def sent(result: TurnResult) -> dict[str, dict[str, Any]]:
    return {c.entity_id: dict(c.fields) for c in result.commands}


def test_demo_model_config_is_the_demo_home() -> None:
    """configs/demo_model.yaml differs from demo.yaml only in the recogniser, its port and
    the demo's cameras (its dialogue tests and benchmarks run without them)."""
    plain = yaml.safe_load(DEMO.read_text())
    model = yaml.safe_load(DEMO_MODEL.read_text())
    assert model.pop("understanding") == {"recogniser": "model"}
    assert plain.pop("vision")["cameras"] and "vision" not in model
    for data in (plain, model):
        data.pop("mqtt")
    assert model == plain
    assert demo_model().model is not None


# -- what undo sends -----------------------------------------------------------------------------

RESTORE = [
    # domain, sent, mirrored before, restore command
    (
        "light",
        {"state": "on", "brightness": 30},
        {"state": "off", "brightness": 100},
        {"state": "off"},
    ),
    (
        "light",
        {"state": "on", "brightness": 30},
        {"state": "on", "brightness": 80, "color": "red"},
        {"state": "on", "brightness": 80},
    ),
    ("light", {"state": "off"}, {"state": "on", "brightness": 40}, {"state": "on"}),
    (
        "light",
        {"state": "on", "color": "red"},
        {"state": "on", "color": "white", "color_temp": 370},
        {"state": "on", "color": "white"},
    ),
    ("switch", {"state": "on"}, {"state": "off"}, {"state": "off"}),
    (
        "fan",
        {"state": "on", "percentage": 80},
        {"state": "on", "percentage": 30},
        {"state": "on", "percentage": 30},
    ),
    ("climate", {"temperature": 23}, {"temperature": 20.5, "mode": "heat"}, {"temperature": 20.5}),
    ("climate", {"mode": "off"}, {"temperature": 20, "mode": "heat"}, {"mode": "heat"}),
    ("cover", {"position": 50}, {"state": "closed", "position": 0}, {"state": "close"}),
    ("cover", {"state": "close"}, {"state": "open", "position": 30}, {"position": 30}),
    ("cover", {"state": "open"}, {"state": "closed"}, {"state": "close"}),
    ("lock", {"state": "unlocked"}, {"state": "locked"}, {"state": "locked"}),
    ("media_player", {"volume": 50}, {"state": "on", "volume": 30}, {"volume": 30}),
    ("media_player", {"state": "pause"}, {"state": "play", "volume": 30}, {"state": "play"}),
]


@pytest.mark.parametrize(("domain", "sent_fields", "before", "restore"), RESTORE)
def test_restore_fields(
    domain: str, sent_fields: dict[str, Any], before: dict[str, Any], restore: dict[str, Any]
) -> None:
    fields = restore_fields(domain, sent_fields, before)
    assert fields == restore
    assert validate_command(domain, fields) == fields


@pytest.mark.parametrize(
    ("domain", "sent_fields", "before"),
    [
        ("light", {"state": "on", "brightness": 30}, {}),  # never reported: cannot know
        ("climate", {"temperature": 23}, {"mode": "heat"}),
        ("scene", {"activate": True}, {}),
        ("cover", {"state": "stop"}, {"state": "opening"}),
        ("lock", {"state": "locked"}, {"state": "jammed"}),  # not a state a lock can be sent
    ],
)
def test_nothing_to_restore_when_the_earlier_state_is_unknown(
    domain: str, sent_fields: dict[str, Any], before: dict[str, Any]
) -> None:
    assert restore_fields(domain, sent_fields, before) is None


# -- undo in a conversation ----------------------------------------------------------------------


def test_undo_puts_the_lamp_back_off() -> None:
    talk = Talk()
    assert sent(talk("dim the reading lamp to 30%")) == {
        "light.reading_lamp": {"state": "on", "brightness": 30}
    }
    undone = talk("undo that")
    assert undone.outcome == ACTION
    assert sent(undone) == {"light.reading_lamp": {"state": "off"}}
    assert undone.response == "Done, the reading lamp is back as it was."
    assert talk.state("light.reading_lamp")["state"] == "off"


def test_undo_restores_only_what_the_command_changed() -> None:
    talk = Talk()
    talk("turn on the kitchen light", site="kitchen")
    talk("dim it to 40 percent", site="kitchen")
    assert sent(talk("make it red", site="kitchen")) == {
        "light.kitchen_ceiling": {"state": "on", "color": "red"}
    }
    assert sent(talk("put it back", site="kitchen")) == {
        "light.kitchen_ceiling": {"state": "on", "color": "white"}
    }
    assert talk.state("light.kitchen_ceiling")["brightness"] == 40


def test_undo_a_relative_change_and_the_heating() -> None:
    talk = Talk()
    talk("dim the reading lamp to 40 percent")
    assert sent(talk("make it brighter")) == {
        "light.reading_lamp": {"state": "on", "brightness": 50}
    }
    assert sent(talk("undo")) == {"light.reading_lamp": {"state": "on", "brightness": 40}}
    assert sent(talk("set the heating to 23")) == {"climate.living_room": {"temperature": 23}}
    assert sent(talk("undo")) == {"climate.living_room": {"temperature": 20}}


def test_undo_a_group() -> None:
    talk = Talk()
    assert len(talk("turn on all the lights").commands) == 4
    undone = talk("undo")
    assert sent(undone) == {
        e: {"state": "off"}
        for e in (
            "light.kitchen_ceiling",
            "light.kitchen_counter",
            "light.reading_lamp",
            "light.bedroom",
        )
    }
    assert undone.response.endswith("are back as they were.")


def test_undo_only_the_named_target() -> None:
    talk = Talk()
    talk("turn on all the lights")
    undone = talk("undo the reading lamp")
    assert sent(undone) == {"light.reading_lamp": {"state": "off"}}


@pytest.mark.parametrize("text", ["undo", "undo that", "put it back"])
def test_nothing_to_undo(text: str) -> None:
    result = Talk()(text)
    assert (result.outcome, result.commands) == (ANSWER, [])
    assert result.response == "There's nothing to undo."


def test_undo_once_and_not_after_the_referent_timeout() -> None:
    talk = Talk()
    talk("turn on the tv")
    assert sent(talk("undo")) == {"media_player.living_room_tv": {"state": "off"}}
    assert talk("undo").response == DEFAULTS["nothing_to_undo"]  # an undo is not undone
    talk("turn on the tv")
    late = talk("undo", wait=301)  # the demo's referent_timeout is the default 300 s
    assert late.commands == [] and late.response == DEFAULTS["nothing_to_undo"]


def test_undo_is_per_site() -> None:
    talk = Talk()
    talk("turn on the kitchen light", site="kitchen")
    assert talk("undo", site="bedroom").commands == []
    assert sent(talk("undo", site="kitchen")) == {"light.kitchen_ceiling": {"state": "off"}}


def test_undoing_an_unlock_is_confirmed_like_any_sensitive_command() -> None:
    talk = Talk()
    talk("unlock the front door")
    assert sent(talk("yes")) == {"lock.front_door": {"state": "unlocked"}}
    ask = talk("undo that")
    assert ask.outcome == ASK and ask.commands == []
    assert ask.response == "Are you sure you want to lock the front door?"
    done = talk("yes")
    assert sent(done) == {"lock.front_door": {"state": "locked"}}
    assert done.response == "Done, the front door is back as it was."
    assert talk("undo").commands == []  # the confirmed undo was the undo


def test_a_refused_undo_of_the_garage_door_sends_nothing() -> None:
    talk = Talk()
    talk("open the garage door")
    assert sent(talk("yes")) == {"cover.garage_door": {"state": "open"}}
    assert talk("undo").outcome == ASK
    refused = talk("no")
    assert refused.commands == [] and refused.response == "Okay, cancelled."
    assert talk.state("cover.garage_door")["state"] == "open"


def test_undo_while_a_question_is_open_takes_back_the_question() -> None:
    talk = Talk()
    talk("turn on the reading lamp")
    assert talk("unlock the front door").outcome == ASK
    cancelled = talk("undo")
    assert cancelled.commands == [] and cancelled.response == "Okay, cancelled."
    assert talk("yes").commands == []
    assert talk.state("light.reading_lamp")["state"] == "on"


def test_a_custom_action_is_not_undone_and_hides_older_commands() -> None:
    talk = Talk()
    talk("turn on the kitchen light")
    assert talk("make me a large latte").outcome == ACTION
    assert talk("undo").response == "There's nothing to undo."


def test_unknown_earlier_state_is_said_not_guessed() -> None:
    home = demo_home()
    dm = DialogueManager(
        home, lambda _id: {}, Responses(), matcher=ModelRecogniser(home, load_model(DEFAULT_MODEL))
    )
    dm.handle("turn on the reading lamp", TurnContext(site="living_room"))
    result = dm.handle("undo", TurnContext(site="living_room"))
    assert result.commands == []
    assert result.response == (
        "Sorry, I can't put the reading lamp back: I don't know how it was before."
    )


# -- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("is the garage door open?", "The garage door is closed."),
        ("is the front door locked?", "The front door is locked."),
        (
            "what's the temperature in the living room?",
            "The thermostat is set to 20 degrees; it's 19.5 degrees now.",
        ),
        ("what's the temperature in the bedroom?", "There's no thermostat in the bedroom."),
        ("which lights are on?", "No lights are on."),
        ("is the kitchen light on?", "The kitchen light is off."),
        ("what's the volume on the tv?", "The TV volume is at 30."),
        ("are the blinds closed?", "The blinds are closed."),
    ],
)
def test_questions_are_answered_from_the_mirror(question: str, answer: str) -> None:
    result = Talk()(question)
    assert result.intent is not None and result.intent.name == "query"
    assert (result.outcome, result.commands) == (ANSWER, [])
    assert result.response == answer


def test_answers_follow_what_the_devices_report() -> None:
    talk = Talk()
    talk("turn on the kitchen light")
    talk("turn on the reading lamp")
    assert talk("which lights are on?").response == (
        "The kitchen light and the reading lamp are on."
    )
    talk("turn off the kitchen light")
    assert talk("which lights are on?").response == "The reading lamp is on."
    talk("dim the reading lamp to 40 percent")
    assert talk("is the reading lamp on?").response == "The reading lamp is on at 40 percent."
    talk("unlock the front door")
    talk("yes")
    assert talk("is the front door locked?").response == "The front door is unlocked."


def test_a_question_is_about_it_afterwards() -> None:
    talk = Talk()
    assert talk("is the reading lamp on?").commands == []
    assert sent(talk("turn it on")) == {"light.reading_lamp": {"state": "on"}}


def test_state_not_known_yet() -> None:
    home = demo_home()
    dm = DialogueManager(
        home, lambda _id: {}, Responses(), matcher=ModelRecogniser(home, load_model(DEFAULT_MODEL))
    )
    result = dm.handle("is the garage door open?", TurnContext(site="living_room"))
    assert result.commands == []
    assert result.response == "I don't know the state of the garage door yet."


def test_measured_temperature_only_when_reported() -> None:
    home = demo_home()
    state = {"climate.living_room": {"temperature": 21.0, "mode": "heat"}}
    dm = DialogueManager(
        home,
        lambda entity: state.get(entity, {}),
        Responses(),
        matcher=ModelRecogniser(home, load_model(DEFAULT_MODEL)),
    )
    answer = dm.handle("what's the temperature in the living room?", TurnContext())
    assert answer.response == "The thermostat is set to 21 degrees."


def test_query_responses_can_be_overridden() -> None:
    home = demo_home()
    responses = Responses(
        {"query_closed": "Shut: the {name}.", "query_list_none": "No {kind} {state}."}
    )
    dm = DialogueManager(
        home,
        lambda _id: {"state": "closed", "position": 0},
        responses,
        matcher=ModelRecogniser(home, load_model(DEFAULT_MODEL)),
    )
    assert dm.handle("is the garage door open?", TurnContext()).response == "Shut: the garage door."


def test_a_question_while_a_value_is_asked_for_keeps_the_question() -> None:
    talk = Talk()
    assert talk("set the heating").outcome == ASK
    answer = talk("what's the temperature?")
    assert answer.outcome == ANSWER and answer.commands == []
    assert "19.5 degrees" in answer.response
    assert talk.dialogue.pending("living_room") is not None
    assert sent(talk("twenty one degrees")) == {"climate.living_room": {"temperature": 21}}


def test_a_question_ends_a_confirmation() -> None:
    talk = Talk()
    assert talk("unlock the front door").outcome == ASK
    assert talk("is the front door locked?").response == "The front door is locked."
    late_yes = talk("yes")
    assert late_yes.commands == [] and late_yes.response == "There's nothing to confirm."


# -- ellipsis ------------------------------------------------------------------------------------


def test_and_the_bedroom_too() -> None:
    talk = Talk()
    talk("turn on the kitchen light")
    assert sent(talk("and the bedroom too")) == {"light.bedroom": {"state": "on"}}


def test_same_for_another_room_carries_the_value() -> None:
    talk = Talk()
    talk("set the bedroom light to 30 percent")
    assert sent(talk("same for the kitchen")) == {
        "light.kitchen_ceiling": {"state": "on", "brightness": 30}
    }


def test_a_named_device_as_well_carries_the_colour() -> None:
    talk = Talk()
    talk("make the kitchen light blue")
    assert sent(talk("the reading lamp as well")) == {
        "light.reading_lamp": {"state": "on", "color": "blue"}
    }


def test_same_for_a_room_without_one_says_so() -> None:
    talk = Talk()
    talk("turn on the kitchen light")
    result = talk("same for the hallway")
    assert result.commands == [] and result.response == "There's no light in the hallway."


def test_a_new_request_naming_only_a_target_asks_for_its_value() -> None:
    talk = Talk()
    talk("dim the reading lamp to 30%")
    ask = talk("dim the bedroom light")  # not a repeat: the value is asked for, not copied
    assert ask.outcome == ASK and ask.response == "To what brightness?"


def test_relative_changes_still_go_to_the_referents_and_repeat() -> None:
    talk = Talk()
    talk("set the bedroom light to 50 percent")
    talk("turn on the kitchen light")
    assert sent(talk("make the bedroom light dimmer")) == {
        "light.bedroom": {"state": "on", "brightness": 40}
    }
    assert sent(talk("a bit dimmer")) == {"light.bedroom": {"state": "on", "brightness": 30}}
    assert sent(talk("and the kitchen too")) == {
        "light.kitchen_ceiling": {"state": "on", "brightness": 90}
    }


def test_a_question_repeated_for_another_room() -> None:
    talk = Talk()
    talk("is the kitchen light on?")
    assert talk("and the bedroom?").response == "The bedroom light is off."


# -- inspectable, and kept over a reload ---------------------------------------------------------


def test_describe_shows_each_sites_conversation() -> None:
    talk = Talk()
    talk("turn on the kitchen light", site="kitchen")
    talk("set the heating", site="bedroom")
    described = talk.dialogue.describe()
    kitchen, bedroom = described["kitchen"], described["bedroom"]
    assert kitchen["pending"] is None
    assert kitchen["referents"] == ["light.kitchen_ceiling"]
    assert kitchen["last_intent"] == "turn_on"
    assert kitchen["undo"]["commands"] == [
        {"entity_id": "light.kitchen_ceiling", "fields": {"state": "off"}}
    ]
    assert bedroom["pending"]["question"] == "To what temperature?"
    assert bedroom["undo"] is None


def _without(data: dict[str, Any], entity_id: str) -> Home:
    from homebrain.config.schema import HomebrainConfig

    data = {**data, "devices": [d for d in data["devices"] if d["id"] != entity_id]}
    return Home.from_config(HomebrainConfig.model_validate(data))


def test_adopt_keeps_what_the_new_home_still_has() -> None:
    home = demo_home()
    recogniser = ModelRecogniser(home, load_model(DEFAULT_MODEL))
    state = {"light.reading_lamp": {"state": "off"}, "light.kitchen_ceiling": {"state": "off"}}

    def manager(home: Home) -> DialogueManager:
        return DialogueManager(
            home, lambda e: state.get(e, {}), Responses(), clock=lambda: 1000.0, matcher=recogniser
        )

    old = manager(home)
    old.handle("turn on the reading lamp", TurnContext(site="living_room"))
    old.handle("set the heating", TurnContext(site="kitchen"))
    old.handle("turn on the kitchen light", TurnContext(site="bedroom"))

    same = manager(home)
    same.adopt(old)
    assert same.describe() == old.describe()
    assert same.handle("twenty one", TurnContext(site="kitchen")).commands[0].fields == {
        "temperature": 21
    }

    data = yaml.safe_load(DEMO.read_text())
    smaller = _without(data, "climate.living_room")
    new = manager(smaller)
    new.adopt(old)
    assert new.pending("kitchen") is None  # the thermostat it asked about is gone
    assert new.describe()["living_room"]["referents"] == ["light.reading_lamp"]
    undone = new.handle("undo", TurnContext(site="living_room"))
    assert [(c.entity_id, c.fields) for c in undone.commands] == [
        ("light.reading_lamp", {"state": "off"})
    ]


# -- the evaluation file -------------------------------------------------------------------------


def test_more_demo_dialogues_pass_with_the_model(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """tests/eval/demo_dialogues_more.yaml through `homebrain eval`, as a user would run it."""
    from homebrain.cli.main import main

    monkeypatch.chdir(ROOT)
    code = main(
        [
            "eval",
            "--config",
            "configs/demo_model.yaml",
            "tests/eval/demo_dialogues_more.yaml",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["failures"] == [], data["failures"][:5]
    assert data["overall"]["dialogues_passed"] == data["overall"]["dialogues"] >= 20
    assert data["overall"]["ood_false_action_rate"] == 0.0
    assert code == 0


# -- safety --------------------------------------------------------------------------------------

_TURNS = [
    "unlock the front door",
    "lock the front door",
    "open the garage door",
    "close the garage",
    "yes",
    "no",
    "undo",
    "undo that",
    "put it back",
    "is the front door locked?",
    "and the garage too",
    "same for the hallway",
    "turn on the kitchen light",
    "open it",
    "the front door as well",
    "cancel",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(st.sampled_from(_TURNS), min_size=1, max_size=7))
def test_undo_and_repeats_move_sensitive_devices_only_after_a_yes(turns: list[str]) -> None:
    home = demo_home()
    sensitive = {e.entity_id for e in home.entities.values() if e.sensitive}
    mirror: dict[str, dict[str, Any]] = {
        "lock.front_door": {"state": "locked"},
        "cover.garage_door": {"state": "closed", "position": 0},
        "light.kitchen_ceiling": {"state": "off", "brightness": 100},
    }
    dm = DialogueManager(
        home, lambda e: dict(mirror.get(e, {})), Responses(), matcher=_model_recogniser()
    )
    for text in turns:
        asked_before = dm.pending("hallway")
        decision = dm.handle(text, TurnContext(site="hallway"))
        for command in decision.commands:  # the devices do what they are told
            fields = dict(command.fields)
            if command.entity_id.startswith("cover."):
                fields["state"] = {"close": "closed"}.get(fields.get("state", ""), "open")
            mirror.setdefault(command.entity_id, {}).update(fields)
        if {c.entity_id for c in decision.commands} & sensitive:
            assert text == "yes", (turns, text)
            assert asked_before is not None and asked_before["kind"] == "confirm"


@cache
def _model_recogniser() -> ModelRecogniser:
    return ModelRecogniser(demo_home(), load_model(DEFAULT_MODEL))
