"""Issue 4's dialogue set: tests/eval/dialogues_issue4.yaml, with the learned model.

(a) the set is what issue 4 asks for: at least 80 dialogues over the twelve
    behaviours (the file's numbered sections), written without the corpus: a turn
    verbatim in the training corpus (`test_heldout.corpus_token_set`, the held-out
    set's check, or the corpus the shipped model was trained on, which also has
    the demo home's names) is rare (at most 10% of turns, the held-out set's
    bound too) and, in the corpus without the demo's names, a short generic
    follow-up any corpus of follow-ups says ("brighter", "yes go on"; at most
    four words);
(b) every dialogue passes through `homebrain eval` with configs/demo_model.yaml;
(c) every dialogue that can be said on the text topic passes again through the
    real daemon and a real Mosquitto (`homebrain.bench.dialogues`): sentences on
    ``homebrain/<site>/text``, answers on ``.../response``, device commands seen
    on the devices' own command topics;
(d) the dialogue-layer fixes these dialogues led to, each on its own, with a
    scripted recogniser so they do not depend on the model.

tests/eval/dialogues_issue4_model_misses.yaml (dialogues the shipped model does
not get right yet) is checked for (a) only: it is there to be read and re-run.
Time-outs are in the file (a turn's ``wait``); that they follow the config is
checked here; the broker restarting mid-dialogue is tests/test_dialogue_fault.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fixture_homes import demo_home
from mqtt_helpers import Mosquitto

from homebrain.bench.dialogues import DaemonDialogues, mqtt_skip_reason, run_dialogues
from homebrain.config.loader import LoadedConfig, load_config
from homebrain.dialogue.manager import DialogueManager, explicit_yes
from homebrain.dialogue.responses import Responses
from homebrain.evaluation.files import EvalFile, check_against_config, load_eval_file
from homebrain.evaluation.runner import EvalRunner
from homebrain.home import Home
from homebrain.turns import ACTION, ASK, Decision, TurnContext
from homebrain.understanding.intent import Intent
from homebrain.understanding.matcher import Matcher
from homebrain.understanding.model_recogniser import DialogueState
from homebrain.understanding.tokenizer import words

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "demo_model.yaml"
DIALOGUES = ROOT / "tests" / "eval" / "dialogues_issue4.yaml"
MISSES = ROOT / "tests" / "eval" / "dialogues_issue4_model_misses.yaml"

BEHAVIOURS = 12
MIN_DIALOGUES = 80
MIN_PER_BEHAVIOUR = 5


@cache
def loaded() -> LoadedConfig:
    return load_config(CONFIG)


@cache
def eval_file(path: Path) -> EvalFile:
    return load_eval_file(path)


@cache
def corpus() -> frozenset[tuple[str, ...]]:
    from test_heldout import corpus_token_set  # the held-out set's check, not a copy of it

    return corpus_token_set()


MAX_SHARED_WORDS = 4  # "brighter", "switch it on please": follow-ups any corpus says
MAX_SHARED_SHARE = 0.10  # as test_heldout: at least 90% of the phrasing is new


def phrasing_words(sentence: str) -> list[str]:
    """The words of ``sentence`` besides the demo home's names, which the name pools share
    ("same for the reading lamp" is three words of phrasing and a name)."""
    said = " ".join(words(sentence))
    names = sorted(
        (n.lower() for e in demo_home().entities.values() for n in e.names), key=len, reverse=True
    )
    for name in names:
        said = re.sub(rf"\b{re.escape(name)}\b", " ", said)
    return said.split()


@cache
def shipped_corpus() -> frozenset[tuple[str, ...]]:
    """What the shipped model learned from: `homebrain train --config configs/demo.yaml
    --builtin-only` (seed 0, 50,000 examples; docs/BENCHMARKS.md), so with this home's own
    names in it, which `corpus_token_set` (no home) does not have."""
    from homebrain.training.cli import training_data

    home = load_config(ROOT / "configs" / "demo.yaml").config.model_copy(update={"intents": []})
    examples, _, _ = training_data(home, 50_000, 0)
    return frozenset(tuple(e.tokens) for e in examples) | frozenset(
        tuple(words(e.text)) for e in examples if e.text
    )


def behaviour_of(path: Path) -> dict[str, int]:
    """Each dialogue's behaviour: the numbered section header above it (``# == 3. ...``)."""
    out: dict[str, int] = {}
    section = 0
    for line in path.read_text().splitlines():
        header = re.match(r"\s*# == (\d+)\. ", line)
        name = re.match(r"\s*- name: (.*)", line)
        if header:
            section = int(header.group(1))
        elif name:
            out[name.group(1).strip()] = section
    return out


def per_behaviour(path: Path) -> dict[int, int]:
    counts: dict[int, int] = {}
    for section in behaviour_of(path).values():
        counts[section] = counts.get(section, 0) + 1
    return counts


# -- (a) the set ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DIALOGUES, MISSES], ids=["asserted", "misses"])
def test_files_load_and_fit_the_demo_home(path: Path) -> None:
    assert check_against_config([eval_file(path)], loaded()) == []


def test_every_behaviour_has_several_dialogues() -> None:
    counts = per_behaviour(DIALOGUES)
    assert sorted(counts) == list(range(1, BEHAVIOURS + 1)), counts
    assert all(n >= MIN_PER_BEHAVIOUR for n in counts.values()), counts
    assert len(eval_file(DIALOGUES).dialogues) == sum(counts.values()) >= MIN_DIALOGUES


@pytest.mark.parametrize("path", [DIALOGUES, MISSES], ids=["asserted", "misses"])
def test_turns_are_not_taken_from_the_training_corpus(path: Path) -> None:
    said = {turn.say for d in eval_file(path).dialogues for turn in d.turns if turn.say}
    for name, known in (("training", corpus()), ("shipped model's", shipped_corpus())):
        overlap = sorted(s for s in said if tuple(words(s)) in known)
        if name == "training":  # with the demo's own names plain requests can coincide
            long = [s for s in overlap if len(phrasing_words(s)) > MAX_SHARED_WORDS]
            assert long == [], f"whole requests verbatim in the {name} corpus: {long}"
        assert len(overlap) <= MAX_SHARED_SHARE * len(said), (
            f"{len(overlap)} of {len(said)} turns verbatim in the {name} corpus: {overlap}"
        )


# -- (b) homebrain eval ---------------------------------------------------------------------------


def test_every_dialogue_passes_through_homebrain_eval(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from homebrain.cli.main import main

    monkeypatch.chdir(ROOT)
    code = main(["eval", "--config", str(CONFIG), str(DIALOGUES), "--json"])
    data = json.loads(capsys.readouterr().out)
    failures = [(f["dialogue"], f["turn"], f["say"], f["reason"]) for f in data["failures"]]
    assert failures == []
    assert data["overall"]["dialogues_passed"] == data["overall"]["dialogues"] >= MIN_DIALOGUES
    assert code == 0


def test_time_outs_follow_the_config(tmp_path: Path) -> None:
    """The file's time-outs use the defaults (15 s, 5 min); other values are honoured."""
    config = load_config(CONFIG)
    config.config.dialogue = config.config.dialogue.model_copy(
        update={"question_timeout": 30.0, "referent_timeout": 60.0}
    )
    source = """
dialogues:
  - name: a question still open after 20 s
    turns:
      - {say: "could you set the heating for me", expect: ask}
      - say: "twenty one degrees please"
        wait: 20
        expect: {climate.living_room: {temperature: 21}}
  - name: but not after 31 s
    turns:
      - {say: "could you set the heating for me", expect: ask}
      - {say: "twenty one degrees please", wait: 30, expect: none}
  - name: it is forgotten after 90 s
    turns:
      - {say: "switch on the reading lamp", expect: {light.reading_lamp: {state: "on"}}}
      - {say: "turn it off again", wait: 90, expect: ask}
"""
    path = tmp_path / "timeouts.yaml"
    path.write_text(source)
    report = EvalRunner(config).run([load_eval_file(path)])
    assert [r.verdict.reason for r in report.failures] == []
    assert report.overall.dialogues_passed == 3


# -- (c) the running daemon over MQTT ------------------------------------------------------------


@pytest.fixture
def driver(mosquitto: Mosquitto) -> Iterator[DaemonDialogues]:
    config = load_config(CONFIG)
    config.config.mqtt = config.config.mqtt.model_copy(
        update={"embedded": False, "host": mosquitto.host, "port": mosquitto.port}
    )
    with DaemonDialogues(config) as running:
        yield running


def test_every_dialogue_passes_through_the_running_daemon(driver: DaemonDialogues) -> None:
    dialogues = eval_file(DIALOGUES).dialogues
    bench = run_dialogues(driver, dialogues)
    failures = [(r.dialogue, r.turn, r.say, r.verdict.reason) for r in bench.runs if not r.passed]
    assert failures == []
    # only what the text topic cannot carry is left out (a recogniser confidence)
    assert all("asr_confidence" in why for _, why in bench.skipped), bench.skipped
    assert bench.passed == bench.dialogues >= len(dialogues) - 3
    # every behaviour went over MQTT
    ran = {d.name for d in dialogues if mqtt_skip_reason(d) is None}
    assert len(ran) == bench.dialogues
    sections = behaviour_of(DIALOGUES)
    assert {sections[name] for name in ran} == set(range(1, BEHAVIOURS + 1))
    assert bench.summary()["command_turns"] >= 100


def test_what_homebrain_says_back_over_mqtt(driver: DaemonDialogues) -> None:
    """The eval file judges what is sent; here, what is said: the options, the answers."""
    driver.reset()
    which = driver.say("turn on the lamp please", "kitchen")
    assert which.outcome == ASK and which.commanded == {}
    assert which.response == "Which lamp: the kitchen light or the counter light?"
    done = driver.say("the second one please", "kitchen")
    assert done.commanded == {"light.kitchen_counter": {"state": "on"}}
    assert driver.entities_on(done.device_topics) == {"light.kitchen_counter"}
    assert done.response == "Turning on the counter light."

    asked = driver.say("is the counter light on at the moment?", "kitchen")
    assert asked.commanded == {} and asked.response == "The counter light is on at 100 percent."
    locked = driver.say("is the front door locked at the moment?", "kitchen")
    assert locked.response == "The front door is locked."
    confirm = driver.say("unlock it please", "kitchen")
    assert confirm.response == "Are you sure you want to unlock the front door?"
    refused = driver.say("no, leave it shut", "kitchen")
    assert refused.commanded == {} and refused.device_topics == []

    heat = driver.say("could you set the temperature in the lounge", "living_room")
    assert heat.response == "To what temperature?"
    warm = driver.say("twenty one point five", "living_room")
    assert warm.commanded == {"climate.living_room": {"temperature": 21.5}}
    assert warm.response == "Setting the thermostat to 21.5 degrees."
    assert warm.command_ms is not None and warm.command_ms > 0


# -- (d) dialogue-layer fixes, without the model --------------------------------------------------

HOME = demo_home()


class Scripted:
    """A recogniser that hears given sentences as given intents, the rest as the grammar does."""

    def __init__(self, home: Home, script: dict[str, tuple[str, dict[str, Any], float]]) -> None:
        self.script = script
        self.grammar = Matcher(home)

    def recognise(
        self,
        text: str,
        site_room: str | None = None,
        dialogue: DialogueState | None = None,
        vision: Any = None,
    ) -> Intent:
        if text in self.script:
            name, slots, confidence = self.script[text]
            return Intent(name, dict(slots), confidence, text)
        return self.grammar.recognise(text, site_room, dialogue, vision)


def scripted(
    script: dict[str, tuple[str, dict[str, Any], float]],
    state: dict[str, dict[str, Any]] | None = None,
) -> DialogueManager:
    mirror = state or {}
    return DialogueManager(
        HOME, lambda e: dict(mirror.get(e, {})), Responses(), matcher=Scripted(HOME, script)
    )


def sent(decision: Decision) -> dict[str, dict[str, Any]]:
    return {c.entity_id: dict(c.fields) for c in decision.commands}


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes, unlock it", "yeah go on then", "sure thing, open it", "go ahead", "of course",
     "yes I'm sure", "please do", "okay"],
)  # fmt: skip
def test_an_explicit_yes(text: str) -> None:
    assert explicit_yes(text)


@pytest.mark.parametrize(
    "text",
    ["I'm not sure", "hmm I'm not sure", "not sure", "maybe", "yes no", "sure, but wait",
     "I guess so", "probably", "don't", "", "yes, no, cancel that"],
)  # fmt: skip
def test_not_an_explicit_yes(text: str) -> None:
    assert not explicit_yes(text)


def test_a_thumbs_up_is_a_yes_unless_the_words_take_it_back() -> None:
    assert explicit_yes("mm", {"gesture_thumbs_up": 0.9})
    assert not explicit_yes("mm", {"gesture_thumbs_up": 0.2})
    assert not explicit_yes("no", {"gesture_thumbs_up": 0.9})


def test_a_hedge_heard_as_yes_does_not_unlock() -> None:
    """The shipped model once heard "I'm not sure" as affirm (0.997) and the door opened."""
    dm = scripted({"I'm not sure": ("affirm", {}, 0.997), "yes": ("affirm", {}, 1.0)})
    ask = dm.handle("unlock the front door", TurnContext())
    assert ask.outcome == ASK
    hedge = dm.handle("I'm not sure", TurnContext())
    assert hedge.commands == [] and dm.pending(None) is None
    assert dm.handle("yes", TurnContext()).commands == []
    # a real yes still works
    dm.handle("unlock the front door", TurnContext())
    assert sent(dm.handle("yes", TurnContext())) == {"lock.front_door": {"state": "unlocked"}}


def test_a_thumbs_up_confirms() -> None:
    dm = scripted({"like this": ("affirm", {}, 0.99)})
    dm.handle("open the garage", TurnContext())
    seen = {"gesture_thumbs_up": 0.95, "gesture_none": 0.05}
    done = dm.handle("like this", TurnContext(extra={"vision": seen}))
    assert sent(done) == {"cover.garage_door": {"state": "open"}}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("the counter one", "light.kitchen_counter"), ("the ceiling one", "light.kitchen_ceiling")],
)
def test_which_answered_by_the_word_that_tells_the_options_apart(
    answer: str, expected: str
) -> None:
    dm = scripted({answer: ("answer", {}, 1.0)})
    ask = dm.handle("turn on the lamp", TurnContext(site="kitchen"))
    assert ask.response == "Which lamp: the kitchen light or the counter light?"
    assert sent(dm.handle(answer, TurnContext(site="kitchen"))) == {expected: {"state": "on"}}


def test_a_word_both_options_share_tells_nothing_apart() -> None:
    dm = scripted({"the light one": ("answer", {}, 1.0), "the kitchen one": ("answer", {}, 1.0)})
    dm.handle("turn on the lamp", TurnContext(site="kitchen"))
    again = dm.handle("the light one", TurnContext(site="kitchen"))
    assert again.outcome == ASK and again.commands == []
    # "kitchen" is in both names' rooms but only in the kitchen light's name: it is that one
    assert sent(dm.handle("the kitchen one", TurnContext(site="kitchen"))) == {
        "light.kitchen_ceiling": {"state": "on"}
    }


def test_which_answered_with_two_names_takes_both() -> None:
    """The room the model tags inside the second name must not drop the first one."""
    both = ("answer", {"name": "reading lamp", "names": ["reading lamp", "bedroom light"],
                       "room": "bedroom"}, 1.0)  # fmt: skip
    dm = scripted({"the reading lamp and the bedroom light": both})
    dm.handle("dim the light to 40 percent", TurnContext(site="hallway"))
    done = dm.handle("the reading lamp and the bedroom light", TurnContext(site="hallway"))
    assert sent(done) == {
        "light.reading_lamp": {"state": "on", "brightness": 40},
        "light.bedroom": {"state": "on", "brightness": 40},
    }


def test_warm_it_up_with_nothing_talked_about_is_the_rooms_heating() -> None:
    warm = ("increase", {"attribute": "set_temperature", "ref": "it"}, 1.0)
    up = ("increase", {"ref": "it"}, 1.0)
    dm = scripted(
        {"warm it up a bit": warm, "turn it up": up},
        {"climate.living_room": {"temperature": 20.0, "mode": "heat"}},
    )
    done = dm.handle("warm it up a bit", TurnContext(site="living_room"))
    assert sent(done) == {"climate.living_room": {"temperature": 21.0}}
    # "it" with no kind of device said and nothing talked about is still a question
    fresh = scripted({"turn it up": up})
    assert fresh.handle("turn it up", TurnContext(site="living_room")).outcome == ASK


def test_a_temperature_answers_a_question_about_the_heating_mode() -> None:
    mode = ("set_mode", {"name": "heating"}, 1.0)
    script = {
        "change the heating": mode,
        "twenty two degrees": ("answer", {"value": 22, "unit": "°C"}, 1.0),
        "fifty percent": ("answer", {"value": 50, "unit": "%"}, 1.0),
    }
    dm = scripted(script)
    assert dm.handle("change the heating", TurnContext()).response.startswith("Which mode")
    done = dm.handle("twenty two degrees", TurnContext())
    assert done.outcome == ACTION and sent(done) == {"climate.living_room": {"temperature": 22}}
    # a percentage is no temperature: the question is asked again
    dm.handle("change the heating", TurnContext())
    again = dm.handle("fifty percent", TurnContext())
    assert again.outcome == ASK and again.commands == []


def test_homebrain_bench_dialogues(
    tmp_path: Path, mosquitto: Mosquitto, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homebrain bench --dialogues FILE`: the figures of docs/BENCHMARKS.md come from here."""
    from homebrain.cli.main import main

    path = tmp_path / "two.yaml"
    path.write_text(
        """
dialogues:
  - name: heating needs a value
    turns:
      - {say: "could you set the heating for me", expect: ask}
      - {say: "twenty one degrees please", expect: {climate.living_room: {temperature: 21}}}
  - name: low confidence (cannot go over MQTT)
    turns:
      - {say: "unlock the front door", context: {asr_confidence: 0.5}, expect: none}
"""
    )
    args = ["bench", "--config", str(CONFIG), "--dialogues", str(path), "--repeat", "2"]
    code = main([*args, "--host", mosquitto.host, "--port", str(mosquitto.port), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data["failures"]
    assert data["dialogues"] == data["dialogues_passed"] == 2
    assert [s["dialogue"] for s in data["skipped"]] == ["low confidence (cannot go over MQTT)"] * 2
    assert data["turns"] == 4 and data["command_turns"] == 2
    assert 0 < data["text_to_command_ms"]["p50"] <= data["text_to_command_ms"]["p99"]
