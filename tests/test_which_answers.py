"""An ordinal said while "which one?" waits is the answer, whatever intent the model gave it.

Through the dialogue manager with the real shipped model on the evaluation home:
the parlour has two lights, so "turn on the light" there asks which.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import ROOT

from homebrain.config.loader import load_config
from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.home import Home
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, ASK, TurnContext
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model


@cache
def home() -> Home:
    return Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)


@cache
def recogniser() -> ModelRecogniser:
    return ModelRecogniser(home(), load_model(DEFAULT_MODEL))


@pytest.mark.parametrize(
    ("answer", "index"),
    [("the first one", 0), ("the second one", 1), ("the last one you mentioned", -1)],
)
def test_an_ordinal_answers_which(answer: str, index: int) -> None:
    dm = DialogueManager(home(), lambda _id: {}, Responses({}), matcher=recogniser())
    ask = dm.handle("turn on the light", TurnContext(site="parlour"))
    assert ask.outcome == ASK
    candidates = dm.pending("parlour")["candidates"]
    done = dm.handle(answer, TurnContext(site="parlour"))
    assert done.outcome == ACTION
    assert [c.entity_id for c in done.commands] == [candidates[index]]


def test_a_remark_with_no_ordinal_still_gets_asked_again() -> None:
    dm = DialogueManager(home(), lambda _id: {}, Responses({}), matcher=recogniser())
    dm.handle("turn on the light", TurnContext(site="parlour"))
    again = dm.handle("what a lovely evening it is", TurnContext(site="parlour"))
    assert again.commands == []
