"""The learned recogniser end to end with the real LiteRT runtime on the committed tiny model.

"uplighter" never appears in the tiny model's training sentences; the model
tags it and the slot filler maps it onto this home's entity. No torch is imported.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from tiny_corpus import FIXTURE

from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.home import Entity, Home, Room, Site
from homebrain.turns import ACTION, TurnContext
from homebrain.understanding.model_recogniser import DialogueState, ModelRecogniser
from homebrain.understanding.model_runtime import load_model


def home() -> Home:
    rooms = {r: Room(r, r.replace("_", " ")) for r in ("conservatory", "kitchen", "veranda")}
    entities = {
        "light.reading_lamp": Entity(
            "light.reading_lamp", "Reading lamp", (), "conservatory", False
        ),
        "light.uplighter": Entity("light.uplighter", "Uplighter", (), "veranda", False),
        "cover.kitchen_blinds": Entity(
            "cover.kitchen_blinds", "Kitchen blinds", (), "kitchen", False
        ),
    }
    sites = {"conservatory": Site("conservatory", "conservatory")}
    return Home(rooms, sites, entities, "conservatory")


@pytest.fixture(scope="module")
def recogniser() -> ModelRecogniser:
    return ModelRecogniser(home(), load_model(FIXTURE))


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("turn on the reading lamp", "turn_on", {"name": "reading lamp"}),
        ("switch on the uplighter", "turn_on", {"name": "uplighter"}),  # a word never trained on
        ("close the blinds in the kitchen", "close", {"device": "blinds", "room": "kitchen"}),
        ("set the reading lamp to 50 percent", "set_brightness", {"value": 50, "unit": "%"}),
        ("what's the weather like", "out_of_domain", {}),
    ],
)
def test_unseen_names_tagged_and_filled(
    recogniser: ModelRecogniser, text: str, intent: str, slots: dict[str, object]
) -> None:
    got = recogniser.recognise(text)
    assert got.name == intent, got
    for key, value in slots.items():
        assert got.slots.get(key) == value, got.slots


def test_thumbs_up_answers_a_pending_confirmation(recogniser: ModelRecogniser) -> None:
    pending = DialogueState("confirm", "target", "lock", "unlock")
    got = recogniser.recognise(
        "", dialogue=pending, vision={"gesture_thumbs_up": 0.95, "speaker_seen": 1.0}
    )
    assert got.name == "affirm"


def test_dialogue_drives_devices_with_the_model(recogniser: ModelRecogniser) -> None:
    manager = DialogueManager(home(), lambda _: {}, Responses(), matcher=recogniser)
    decision = manager.handle("close the blinds in the kitchen", TurnContext(site="conservatory"))
    assert decision.outcome == ACTION
    commands = [(c.entity_id, c.fields) for c in decision.commands]
    assert commands == [("cover.kitchen_blinds", {"state": "close"})]


def test_runs_where_torch_cannot_be_imported() -> None:
    """The device path in a process where any import of torch or litert_torch fails."""
    code = f"""
import subprocess
import sys
sys.modules["torch"] = None
sys.modules["litert_torch"] = None
sys.path.insert(0, {str(FIXTURE.parent.parent)!r})
from test_model_recogniser import home
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model
model = load_model({str(FIXTURE)!r})
print(ModelRecogniser(home(), model).recognise("turn on the reading lamp").name)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("turn_on")


def _prediction(probs: dict[str, float]) -> object:
    from homebrain.understanding.model_runtime import Prediction

    best = max(probs, key=lambda k: probs[k])
    return Prediction(best, probs[best], probs, [], [])


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        # sure it is "set to a value", torn over which: the device decides, so it is sure
        ({"set_brightness": 0.4, "set_percentage": 0.35, "set_volume": 0.2, "turn_on": 0.05}, 0.95),
        # torn between a level and something else: as unsure as the model says
        ({"set_brightness": 0.45, "out_of_domain": 0.4, "set_volume": 0.15}, 0.6),
        # only levels count together, and only when a level is the top intent
        ({"turn_on": 0.4, "set_brightness": 0.3, "set_percentage": 0.3}, 0.4),
    ],
)
def test_levels_count_as_one_intent_for_the_confidence(
    probs: dict[str, float], expected: float
) -> None:
    from homebrain.understanding.model_recogniser import _family_confidence

    assert _family_confidence(_prediction(probs)) == pytest.approx(expected)  # type: ignore[arg-type]
