"""scripts/borrow_phrasings.py: development sentences homebrain gets right become templates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from homebrain.config.loader import load_config
from homebrain.evaluation.files import load_eval_file
from homebrain.home import Home
from homebrain.training import templates as T
from homebrain.understanding.model_runtime import Span

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "borrow_phrasings.py"
CONFIG = ROOT / "configs" / "eval_home_model.yaml"

SENTENCES = """\
tests:
  - say: ["could you put the dragonfly lamp on for me", "switch the pladoodle on"]
    expect: {light.dragonfly: {state: "on"}}
  - say: "my nan gave us the noguchi years ago"
    expect: none
  - say: "it's lovely and warm, thanks"
    context: {site: parlour, pointing_at: light.dragonfly}
    expect: none
dialogues:
  - name: a value asked for
    context: {site: parlour}
    turns:
      - {say: "set the parlour thermostat", expect: ask}
      - {say: "twenty two please", expect: {climate.parlour: {temperature: 22}}}
"""


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("borrow_phrasings", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["borrow_phrasings"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def names(script: ModuleType) -> object:
    return script.HomeNames(Home.from_config(load_config(CONFIG).config))


def test_names_and_rooms_become_placeholders(script: ModuleType, names: object) -> None:
    tokens = ["dim", "the", "dragonfly", "lamp", "in", "the", "parlour", "to", "20", "percent"]
    spans = [Span("device", 2, 4, "dragonfly lamp"), Span("room", 6, 7, "parlour"),
             Span("value", 8, 9, "20"), Span("unit", 9, 10, "percent")]  # fmt: skip
    template = script.template_of(tokens, spans, "set_brightness", names)
    assert template == "dim the {name:light} in the {room} to <value:20> <unit:percent>"
    T.parse(template)  # the corpus's own language


def test_out_of_domain_keeps_only_device_and_room_spans(script: ModuleType, names: object) -> None:
    tokens = ["the", "noguchi", "cost", "20", "quid"]
    spans = [Span("device", 1, 2, "noguchi"), Span("value", 3, 4, "20")]
    template = script.template_of(tokens, spans, "out_of_domain", names)
    assert template == "the {name:light} cost 20 quid"


@pytest.mark.parametrize(
    ("tokens", "spans"),
    [
        # a home name the model left untagged would teach the home's names
        (["i", "love", "the", "dragonfly", "lamp"], []),
        (["lights", "on", "in", "the", "orangery"], [Span("device", 0, 1, "lights")]),
        # nothing but placeholders: no phrasing to borrow
        (["noguchi"], [Span("device", 0, 1, "noguchi")]),
        # the template language's own marks cannot be said
        (["turn", "on", "(the)", "lamp"], []),
    ],
)
def test_sentences_that_cannot_be_templates(
    script: ModuleType, names: object, tokens: list[str], spans: list[Span]
) -> None:
    assert script.template_of(tokens, spans, "turn_on", names) is None


def test_borrow_runs_the_evaluation_path(script: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "sentences.yaml"
    path.write_text(SENTENCES, encoding="utf-8")
    found, skipped = script.borrow(CONFIG, [load_eval_file(path)])
    # a sentence understood right is borrowed, one that is not ("pladoodle") is left out,
    # and so is one said with a context
    borrowed = {template: intent for (template, _), intent in found.items()}
    assert borrowed == {
        "could you put the {name:light} on for me": "turn_on",
        "my nan gave us the {name:light} years ago": "out_of_domain",
        "set the {name:climate}": borrowed["set the {name:climate}"],
        "<value:twenty two> please": "answer",
    }
    # a turn of a dialogue keeps the context the model heard it in
    said_in = {template: context for template, context in found}
    assert said_in["set the {name:climate}"] == ""
    assert said_in["<value:twenty two> please"].startswith("pending_kind=value,pending_slot=")
    assert skipped == {"not right yet": 1, "said with a context or as audio": 1}


def test_the_shipped_file_parses_and_has_every_command_family() -> None:
    borrowed = T.borrowed()
    for entries in borrowed.values():
        for entry in entries:
            T.parse(entry.template)
    assert {"out_of_domain", "turn_on", "turn_off", "set_brightness", "query"} <= set(borrowed)
