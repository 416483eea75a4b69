"""Custom intents from the config (``intents:``), end to end.

Config checks with file, line and key path; the grammar path over a table of
sentences; the dialogue asking for a missing slot; a real daemon against a real
Mosquitto publishing the coffee order; ``homebrain eval`` on tests/eval/coffee.yaml;
a tiny model trained with the coffee intent; and the template fallback (with a
warning) for a model that never learnt it.
"""

from __future__ import annotations

import json
import logging
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, daemon_in_outage
from mqtt_helpers import Recorder

from homebrain.actions.custom import ActionError, build_intent
from homebrain.cli.main import main
from homebrain.config.loader import ConfigError, load_config
from homebrain.daemon import Daemon
from homebrain.evaluation.runner import EvalSession
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, ANSWER, ASK, UNKNOWN
from homebrain.understanding.custom import (
    CustomRecogniser,
    SlotTable,
    TemplateMatcher,
    build_specs,
)

DEMO = ROOT / "configs" / "demo.yaml"
SAID = "make me a large oat milk latte with two sugars"
ORDER = b'{"size":"large","drink":"latte","milk":"oat","sugar":2}'
ORDER_SLOTS = {"size": "large", "drink": "latte", "milk": "oat", "sugar": 2}
TINY_MODEL = ROOT / "tests" / "fixtures" / "tiny_model"

# A small home with one custom intent; the error tests change one line each.
HOME = """\
rooms:
  kitchen: {}
sites:
  kitchen: {room: kitchen}
intents:
  - name: order_coffee
    templates:
      - "make me a ({size}|) {milk} {drink} ((with|and) {sugar} sugars|)"
      - "(i'd like|can i have) a ({size}|) {drink}"
    slots:
      size: {small: small, large: large, big: large}
      drink: [latte, cappuccino, flat white]
      milk: {oat: oat, oat milk: oat, skinny: skimmed}
      sugar: {no: 0, one: 1, two: 2}
    defaults: {size: small, milk: oat, sugar: 0}
    action:
      topic: coffee/order
      payload: {size: "{{ size }}", drink: "{{ drink }}", milk: "{{ milk }}", sugar: "{{ sugar }}"}
    response: "One {{ size }} {{ drink }} coming up."
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "home.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def session(config: Path = DEMO) -> EvalSession:
    return EvalSession(load_config(config))


# -- config checks -------------------------------------------------------------------------


def test_home_loads_and_yes_no_stay_words(tmp_path: Path) -> None:
    path = tmp_path / "home.yaml"
    path.write_text(HOME)
    loaded = load_config(path)
    [intent] = loaded.config.intents
    # an unquoted `no:` inside intents is the word "no", not YAML's false
    assert intent.slots["sugar"] == {"no": 0, "one": 1, "two": 2}
    assert set(loaded.custom_intents()) == {"order_coffee"}


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "(i'd like|can i have) a ({size}|) {drink}",
            "(i'd like|can i have) a {flavour} {drink}",
            "intents[0 order_coffee].templates[1]",
            "uses {flavour}, which is not one of this intent's slots (size, drink, milk, sugar)",
        ),
        (
            "name: order_coffee",
            "name: turn_on",
            "intents[0 turn_on].name",
            "'turn_on' is a built-in intent",
        ),
        (
            "name: order_coffee",
            "name: Order Coffee",
            "intents[0 Order Coffee].name",
            "expected a lower-case identifier",
        ),
        (
            'size: "{{ size }}"',
            'size: "{{ size | number }}"',
            "intents[0 order_coffee].action.payload",
            "does not render with sample slots",
        ),
        (
            'size: "{{ size }}"',
            'size: "{{ colour }}"',
            "intents[0 order_coffee].action.payload.size",
            "reads colour, which is not a slot of order_coffee",
        ),
        (
            'payload: {size: "{{ size }}", drink: "{{ drink }}", milk: "{{ milk }}", '
            'sugar: "{{ sugar }}"}',
            "payload: '{\"size\": {{ size }}}'",
            "intents[0 order_coffee].action.payload",
            "broken JSON",
        ),
        (
            'drink: "{{ drink }}"',
            'drink: "{{ drink "',
            "intents[0 order_coffee].action.payload.drink",
            "invalid template",
        ),
        (
            "topic: coffee/order",
            "topic: coffee/#",
            "intents[0 order_coffee].action.topic",
            "without # or +",
        ),
        (
            '"One {{ size }} {{ drink }} coming up."',
            '"One {{ sise }} coming up."',
            "intents[0 order_coffee].response",
            "reads sise",
        ),
        (
            "    templates:",
            "    templats:",
            "intents[0 order_coffee].templats",
            "unknown key 'templats' (did you mean 'templates'?)",
        ),
        (
            "defaults: {size: small, milk: oat, sugar: 0}",
            "defaults: {flavour: vanilla}",
            "intents[0 order_coffee].defaults.flavour",
            "'flavour' is not a slot of order_coffee",
        ),
        (
            "big: large}",
            "big: [large]}",
            "intents[0 order_coffee].slots.size.big",
            "expected a value that is a string, number or true/false",
        ),
        (
            "sugar: {no: 0,",
            "sugar: {false: 0,",
            "intents[0 order_coffee].slots.sugar",
            'quote a spoken form such as "no"',
        ),
        (
            "drink: [latte, cappuccino, flat white]",
            "drink: [latte, please]",
            "intents[0 order_coffee].slots.drink[1]",
            "no words left to hear",
        ),
        (
            '      - "make me a ({size}|) {milk} {drink} ((with|and) {sugar} sugars|)"',
            '      - "make me a ({size}|) {milk} {drink} ((with|and) {sugar} sugars"',
            "intents[0 order_coffee].templates[0]",
            "unclosed",
        ),
    ],
    ids=[
        "undefined-slot",
        "built-in-name",
        "bad-name",
        "payload-does-not-render",
        "payload-unknown-name",
        "payload-broken-json",
        "payload-syntax",
        "topic-wildcard",
        "response-unknown-name",
        "misspelt-key",
        "default-unknown-slot",
        "slot-value-type",
        "boolean-spoken-form",
        "filler-only-spoken-form",
        "template-syntax",
    ],
)
def test_config_problems_name_file_line_and_key_path(
    tmp_path: Path, old: str, new: str, path: str, message: str
) -> None:
    assert old in HOME
    text = HOME.replace(old, new, 1)
    found = problems(tmp_path, text)
    # one problem; a misspelt key also leaves the real one missing
    assert len(found) == (2 if "templats" in new else 1), found
    [problem] = [p for p in found if f": {path}: " in p]
    assert problem.startswith(f"{tmp_path / 'home.yaml'}:"), problem
    assert f": {path}: " in problem and message in problem, problem
    assert int(problem.split(":")[1]) == line_of(text, new.strip()), problem


def test_every_intent_problem_at_once(tmp_path: Path) -> None:
    second = textwrap.indent(
        textwrap.dedent(
            """\
            - name: order_coffee
              templates: ["coffee please"]
              action: {topic: coffee/again}
            - name: feed_cat
              templates: ["feed the cat"]
            """
        ),
        "  ",
    )
    found = problems(tmp_path, HOME.replace("sugar: {no: 0,", "sugar: {false: 0,") + second)
    joined = "\n".join(found)
    assert len(found) == 3, joined
    assert "intents[0 order_coffee].slots.sugar" in joined
    assert "intents[1 order_coffee].name: duplicate intent name 'order_coffee'" in joined
    assert "intents[2 feed_cat].action: required key is missing" in joined


def test_check_config_reports_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "home.yaml"
    path.write_text(HOME.replace('{drink}"', '{drnk}"'))
    assert main(["check-config", str(path)]) == 2
    err = capsys.readouterr()
    assert "intents[0 order_coffee].templates[1]" in err.out + err.err
    assert "{drnk}" in err.out + err.err


def test_payload_forms() -> None:
    def render(payload: Any, slots: dict[str, Any]) -> tuple[str, bytes]:
        intent = build_intent(
            {
                "name": "order_coffee",
                "templates": ["make me a {drink}"],
                "slots": {"drink": ["latte"], "sugar": {"no": 0, "two": 2}},
                "action": {"topic": "coffee/{{ drink }}", "payload": payload},
            }
        )
        sent = intent.message(slots, "kitchen", "make me a latte")
        return sent.message.topic, sent.message.payload

    slots = {"drink": "latte", "sugar": 2}
    # no payload: every slot as JSON, numbers stay numbers
    assert render(None, slots) == ("coffee/latte", b'{"drink":"latte","sugar":2}')
    # a mapping of templates, nested, with the context names
    assert (
        render({"order": {"n": "{{ sugar }}", "at": "{{ site }}"}, "x": [1, True]}, slots)[1]
        == b'{"order":{"n":2,"at":"kitchen"},"x":[1,true]}'
    )
    # one template: plain text stays text, a lone expression of a mapping becomes JSON
    assert render("BREW {{ drink | upper }} {{ sugar }}", slots)[1] == b"BREW LATTE 2"
    assert render("{{ slots | tojson }}", slots)[1] == b'{"drink":"latte","sugar":2}'
    # a payload that reads a slot nobody said fails as an ActionError, never a traceback
    with pytest.raises(ActionError, match="sugar"):
        render("{{ sugar + 1 }}", {"drink": "latte"})


# -- the grammar path ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "payload"),
    [
        (SAID, ORDER_SLOTS),
        ("Could you please make me a large oat milk latte with 2 sugars, thanks!", ORDER_SLOTS),
        ("hey, just make me a large oat latte with two sugars now", ORDER_SLOTS),
        ("can I get a large latte with oat milk and two sugars", ORDER_SLOTS),
        ("MAKE ME A LARGE OAT MILK LATTE WITH TWO SUGARS", ORDER_SLOTS),
        (
            "make me a small skinny cappuccino",
            {"size": "small", "drink": "cappuccino", "milk": "skimmed", "sugar": 0},
        ),
        (
            "make me a big soya mocha with three sugars",
            {"size": "large", "drink": "mocha", "milk": "soy", "sugar": 3},
        ),
        (
            "i'd like an americano with no milk and 1 sugar",
            {"size": "medium", "drink": "americano", "milk": "none", "sugar": 1},
        ),
        (
            "get us a flat white",
            {"size": "medium", "drink": "flat white", "milk": "whole", "sugar": 0},
        ),
        (
            "make me a large capuccino",  # misspelt: repaired to the spoken form
            {"size": "large", "drink": "cappuccino", "milk": "whole", "sugar": 0},
        ),
    ],
)
def test_grammar_sentences_publish_the_order(text: str, payload: dict[str, Any]) -> None:
    s = session()
    result = s.say(text, {})
    assert result.outcome == ACTION, result
    assert result.intent is not None and result.intent.name == "order_coffee"
    assert result.intent.slots == payload
    assert result.commands == []
    [action] = s.sink.actions
    assert action.message.topic == "coffee/order"
    assert json.loads(action.message.payload) == payload
    assert result.response == f"One {payload['size']} {payload['drink']} coming up."


def test_the_readme_example_byte_for_byte() -> None:
    s = session()
    s.say(SAID, {})
    [action] = s.sink.actions
    assert (action.message.topic, action.message.payload) == ("coffee/order", ORDER)
    assert action.message.qos == 1 and not action.message.retain


@pytest.mark.parametrize(
    "text",
    [
        "make me a sandwich",
        "make me a large oat milk pizza",
        "make me a large oat milk latte with two sugars and a pony",
        "order a pizza",
        "latte",
        "i'd like a holiday",
        "what's the weather like",
    ],
)
def test_near_misses_stay_out_of_domain(text: str) -> None:
    s = session()
    result = s.say(text, {})
    assert result.outcome == UNKNOWN, result
    assert s.sink.actions == [] and s.sink.commands == []


def test_built_in_commands_still_work() -> None:
    s = session()
    result = s.say("turn on the coffee machine", {})
    assert result.outcome == ACTION and [c.entity_id for c in result.commands] == [
        "switch.coffee_machine"
    ]
    assert s.sink.actions == []


def test_template_matcher_numbers_plurals_and_fillers() -> None:
    [spec] = build_specs(
        [
            {
                "name": "feed_fish",
                "templates": ["feed the fish {count} (pinches|scoops) of {food}"],
                "slots": {"count": [1, 2, 3, 12], "food": {"flakes": "flake", "pellets": "pellet"}},
            }
        ]
    )
    matcher = TemplateMatcher([spec])
    for text, count in [
        ("feed the fish two pinches of flakes", 2),
        ("feed the fish 2 pinches of flakes", 2),
        ("feed the fish twelve scoops of flakes", 12),
        ("please feed the fish one pinch of flakes", 1),  # "pinch": the plural's singular
        ("um, just feed the fish 3 pinches of flakes ok", 3),
    ]:
        got = matcher.match(text)
        assert got is not None and got.slots == {"count": count, "food": "flake"}, text
        assert got.confidence == 1.0
    fuzzy = matcher.match("feed the fish two pinches of pelets")
    assert fuzzy is not None and fuzzy.slots["food"] == "pellet" and fuzzy.confidence < 1.0
    assert matcher.match("feed the fish four pinches of flakes") is None  # not a value
    assert matcher.match("feed the dog two pinches of flakes") is None
    assert matcher.match("feed the fish two pinches") is None


def test_slot_table_spoken_forms() -> None:
    table = SlotTable.from_config("milk", {"Oat milk": "oat", "skinny": "skimmed", "oat": "oat"})
    assert table.exact("OAT MILK") == (True, "oat")
    assert table.exact("the skinny one") == (True, "skimmed")  # a form inside a model's span
    assert table.fuzzy("skinnny", 75.0) == "skinny"
    assert table.fuzzy("oak", 75.0) is None  # short words are never repaired
    assert table.options() == ["Oat milk", "skinny"]  # as written, one per value
    numbers = SlotTable.from_config("sugar", {"no": 0, "a couple of": 2})
    assert numbers.values["2"] == 2 and numbers.values["two"] == 2 and numbers.values["zero"] == 0
    assert "2" in numbers.spoken and "two" in numbers.spoken  # what the corpus will say


# -- the dialogue --------------------------------------------------------------------------


def test_a_missing_slot_is_asked_for_then_ordered() -> None:
    s = session()
    ask = s.say("make me a coffee", {})
    assert ask.outcome == ASK and s.sink.actions == []
    assert ask.response.startswith("What would you like")
    assert ask.intent is not None and ask.intent.name == "order_coffee"
    done = s.say("a large flat white please", {})
    assert done.outcome == ACTION
    [action] = s.sink.actions
    assert json.loads(action.message.payload) == {
        "size": "large",  # said in the answer, so it replaces the default
        "drink": "flat white",
        "milk": "whole",
        "sugar": 0,
    }


def test_slot_question_default_text_no_as_a_value_and_cancel(tmp_path: Path) -> None:
    path = tmp_path / "home.yaml"
    path.write_text(HOME.replace("defaults: {size: small, milk: oat, sugar: 0}", "defaults: {}"))
    s = session(path)
    ask = s.say("i'd like a large latte", {})
    assert ask.outcome == ASK and ask.response == "Which milk: oat or skinny?"  # one form per value
    again = s.say("what", {})
    assert again.outcome == ASK and "Which milk" in again.response
    ask = s.say("skinny", {})
    assert ask.outcome == ASK and ask.response == "Which sugar: no, one or two?"
    done = s.say("no", {})  # a value of the slot asked about, not "no, don't"
    assert done.outcome == ACTION
    assert json.loads(s.sink.actions[0].message.payload) == {
        "size": "large",
        "drink": "latte",
        "milk": "skimmed",
        "sugar": 0,
    }
    assert s.say("i'd like a cappuccino", {}).outcome == ASK
    cancelled = s.say("cancel", {})
    assert cancelled.outcome == ANSWER and s.sink.actions == []
    # a new command replaces the question
    assert s.say("i'd like a cappuccino", {}).outcome == ASK
    other = s.say("make me a large skinny latte with two sugars", {})
    assert other.outcome == ACTION
    assert json.loads(s.sink.actions[0].message.payload)["drink"] == "latte"


def test_an_order_is_a_new_command_while_another_question_waits() -> None:
    s = session()
    assert s.say("set the heating", {}).outcome == ASK  # "to what temperature?"
    order = s.say(SAID, {})
    assert order.outcome == ACTION and [a.message.payload for a in s.sink.actions] == [ORDER]
    assert s.say("unlock the front door", {}).outcome == ASK  # a confirmation
    order = s.say(SAID, {})
    assert order.outcome == ACTION and s.sink.commands == []
    assert s.say("yes", {}).commands == []  # the door question was replaced, never confirmed


def test_default_response_and_a_payload_that_fails_at_run_time(tmp_path: Path) -> None:
    path = tmp_path / "home.yaml"
    text = HOME.replace('    response: "One {{ size }} {{ drink }} coming up."\n', "")
    text = text.replace('sugar: "{{ sugar }}"', 'sugar: "{{ 10 // (sugar - 1) }}"')
    path.write_text(text)
    s = session(path)
    ok = s.say("make me a large oat latte with two sugars", {})
    assert ok.outcome == ACTION and ok.response == "OK, order coffee."
    assert json.loads(s.sink.actions[0].message.payload)["sugar"] == 10
    failed = s.say("make me a large oat latte with one sugar", {})  # divides by zero
    assert failed.outcome == ANSWER and s.sink.actions == []
    assert failed.response.startswith("Sorry, I couldn't order coffee:")


# -- the daemon, a real broker ---------------------------------------------------------------


def test_daemon_publishes_the_order_on_mqtt(daemon: Daemon, recorder: Recorder) -> None:
    recorder.publish("homebrain/kitchen/text", SAID)
    order = recorder.wait_for("coffee/order")
    assert order.payload == ORDER
    response = recorder.wait_for("homebrain/kitchen/response")
    assert response.payload == b"One large latte coming up."
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["intent"] == "order_coffee" and intent["slots"] == ORDER_SLOTS
    assert intent["outcome"] == ACTION and intent["commands"] == []
    assert intent["actions"] == [{"topic": "coffee/order", "payload": ORDER_SLOTS}]
    assert len(recorder.on("coffee/order")) == 1


def test_an_order_during_an_outage_is_sent_after_reconnect(tmp_path: Path) -> None:
    with daemon_in_outage(tmp_path) as (d, broker):
        assert d.handle_payload("kitchen", SAID.encode()).outcome == ACTION
        broker.start()
        recorder = Recorder(broker.host, broker.port)
        try:
            assert recorder.wait_for("coffee/order", timeout=10).payload == ORDER
        finally:
            recorder.close()


def test_a_too_old_order_is_reported_not_sent(tmp_path: Path) -> None:
    with daemon_in_outage(tmp_path, max_command_age=0.5) as (d, broker):
        d.handle_payload("kitchen", SAID.encode())
        time.sleep(1.0)
        broker.start()
        recorder = Recorder(
            broker.host, broker.port, topics=("homebrain/kitchen/response", "coffee/#")
        )
        try:
            failed = recorder.wait_for(
                "homebrain/kitchen/response",
                timeout=10,
                predicate=lambda m: m.payload.startswith(b"I couldn't order coffee"),
            )
            assert b"too long" in failed.payload
            time.sleep(0.5)
            assert recorder.on("coffee/order") == []
        finally:
            recorder.close()


# -- homebrain eval ------------------------------------------------------------------------


def test_coffee_evaluation_file_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["eval", "--config", "configs/demo.yaml", "tests/eval/coffee.yaml", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["failures"] == [], data["failures"][:3]
    assert data["overall"]["exact_match"] == 1.0
    assert data["overall"]["sentences"] >= 15 and data["overall"]["dialogues_passed"] == 2
    assert code == 0


def test_eval_counts_a_custom_action_as_acting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        f"tests:\n  - say: {SAID!r}\n    expect: none\n"
        f"  - say: {SAID!r}\n    expect: {{intent: order_coffee, slots: {{sugar: 3}}}}\n"
    )
    code = main(["eval", "--config", str(DEMO), str(path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["overall"]["ood_false_action_rate"] == 1.0
    first, second = data["failures"]
    assert "order_coffee (coffee/order)" in first["reason"]
    assert first["got"]["actions"] == [{"topic": "coffee/order", "payload": ORDER_SLOTS}]
    assert second["reason"] == "slot sugar: expected 3, got 2"


# -- the model recogniser --------------------------------------------------------------------


def model_config(tmp_path: Path, model: Path | None) -> Path:
    """The demo home with the model recogniser (``model`` None: the shipped one)."""
    data = yaml.safe_load(DEMO.read_text())
    data.pop("vision")  # its camera folder is relative to configs/
    data["understanding"] = {"recogniser": "model"}
    if model is not None:
        data["understanding"]["model"] = str(model)
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize("model", [TINY_MODEL, None], ids=["tiny-fixture", "shipped"])
def test_a_model_without_the_intent_warns_and_falls_back_to_templates(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, model: Path | None
) -> None:
    path = model_config(tmp_path, model)
    with caplog.at_level(logging.INFO, logger="homebrain.config"):
        loaded = load_config(path)
    assert "order_coffee" not in loaded.model.intents
    [record] = [r for r in caplog.records if "order_coffee" in r.getMessage()]
    # the shipped model knows no home's custom intents by design: said, not warned
    assert record.levelno == (logging.WARNING if model is not None else logging.INFO)
    warning = record.getMessage()
    assert f"model {model or DEFAULT_MODEL} was trained without custom intent 'order_coffee'" in (
        warning
    )
    assert f"homebrain train --config {path}" in warning
    s = EvalSession(loaded)
    assert isinstance(s.pipeline.recogniser, CustomRecogniser)
    assert s.pipeline.recogniser.template_first == {"order_coffee"}
    result = s.say(SAID, {})
    assert result.outcome == ACTION
    assert [a.message.payload for a in s.sink.actions] == [ORDER]


@pytest.fixture(scope="module")
def coffee_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model trained on `homebrain train`'s own corpus for the demo home (with coffee).

    Small on purpose (a thousand examples plus extra coffee orders, 16-wide
    embeddings): it is here to show the custom intent travels through training,
    the bundle and the device runtime, not to be good.
    """
    pytest.importorskip("torch")
    pytest.importorskip("litert_torch")
    from homebrain.training.cli import training_data
    from homebrain.training.corpus import split
    from homebrain.training.export import export_bundle
    from homebrain.training.train import train

    home = load_config(DEMO).config
    examples, intents, slot_types = training_data(home, size=1000, seed=0)
    more, _, _ = training_data(home, size=6000, seed=1)
    examples += [e for e in more if e.intent == "order_coffee"]
    train_set, val_set = split(examples, validation=0.1, seed=0)
    result = train(
        train_set,
        val_set,
        intents=intents,
        slot_types=slot_types,
        seed=0,
        epochs=8,
        batch_size=64,
        patience=3,
        progress=False,
        learning_rate=1e-2,
        buckets=1024,
        dim=16,
        hidden=8,
        max_len=16,
    )
    out = tmp_path_factory.mktemp("coffee") / "bundle"
    export_bundle(result, out, val_set[:300], min_intent_agreement=0.9)
    return out


def test_a_model_trained_with_the_intent_predicts_it_with_canonical_slots(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, coffee_model: Path
) -> None:
    path = model_config(tmp_path, coffee_model)
    with caplog.at_level(logging.WARNING, logger="homebrain.config"):
        loaded = load_config(path)
    assert "order_coffee" in loaded.model.intents
    assert {"custom_size", "custom_drink", "custom_milk", "custom_sugar"} <= set(
        loaded.model.slot_types
    )
    assert not [r for r in caplog.records if "trained without" in r.getMessage()]
    recogniser = EvalSession(loaded).pipeline.recogniser
    assert isinstance(recogniser, CustomRecogniser)
    assert recogniser.template_first == frozenset()  # the model itself hears the coffee orders
    got = recogniser.recognise(SAID)
    assert got.name == "order_coffee" and got.slots == ORDER_SLOTS, got
    got = recogniser.recognise("make me a big skinny mocha with 3 sugars")
    assert got.name == "order_coffee"
    assert got.slots == {"size": "large", "drink": "mocha", "milk": "skimmed", "sugar": 3}
    # the raw model spans are words ("two", "big"); the custom layer made them values
    raw = recogniser.base.recognise(SAID)
    assert raw.name == "order_coffee" and raw.slots != got.slots
    # and the whole turn through the pipeline publishes the order
    s = EvalSession(loaded)
    assert s.say(SAID, {}).outcome == ACTION
    assert [a.message.payload for a in s.sink.actions] == [ORDER]
    assert recogniser.recognise("turn on the kitchen light").name != "order_coffee"


def test_a_model_intent_the_config_no_longer_has_is_out_of_domain(coffee_model: Path) -> None:
    from homebrain.home import Home
    from homebrain.understanding.matcher import Matcher
    from homebrain.understanding.model_recogniser import ModelRecogniser
    from homebrain.understanding.model_runtime import load_model

    home = Home.from_config(load_config(DEMO).config)
    model = ModelRecogniser(home, load_model(coffee_model))
    assert model.recognise(SAID).name == "order_coffee"
    # a config without order_coffee (another intent instead) must not act on the model's guess
    [other] = build_specs([{"name": "feed_cat", "templates": ["feed the cat"], "slots": {}}])
    recogniser = CustomRecogniser(model, [other])
    assert recogniser.recognise(SAID).name == "out_of_domain"
    assert recogniser.recognise("feed the cat").name == "feed_cat"
    assert CustomRecogniser(Matcher(home), [other]).recognise("feed the cat please").name == (
        "feed_cat"
    )
