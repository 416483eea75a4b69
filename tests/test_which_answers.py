"""An ordinal said while "which one?" waits is the answer, whatever intent the model gave it.

Through the dialogue manager with the real shipped model on the evaluation home:
the parlour has two lights, so "turn on the light" there asks which.
"""

from __future__ import annotations

import pytest
from fixture_homes import eval_home, eval_home_recogniser

from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.turns import ACTION, ASK, TurnContext

home = eval_home
recogniser = eval_home_recogniser


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


def _asked_in_orangery() -> DialogueManager:
    dm = DialogueManager(home(), lambda _id: {}, Responses({}), matcher=recogniser())
    ask = dm.handle("turn on the light", TurnContext(site="orangery"))
    assert ask.outcome == ASK and dm.pending("orangery")["candidates"] == [
        "light.noguchi",
        "light.festoon",
    ]
    return dm


@pytest.mark.parametrize(
    ("pointing_at", "expected"),
    [("light.festoon", "light.festoon"), ("light.noguchi", "light.noguchi")],
)
def test_this_one_while_pointing_at_an_option_answers_which(
    pointing_at: str, expected: str
) -> None:
    dm = _asked_in_orangery()
    done = dm.handle("this one", TurnContext(site="orangery", pointing_at=pointing_at))
    assert done.outcome == ACTION
    assert [c.entity_id for c in done.commands] == [expected]


def test_pointing_at_something_not_offered_answers_nothing() -> None:
    dm = _asked_in_orangery()
    again = dm.handle("this one", TurnContext(site="orangery", pointing_at="light.dragonfly"))
    assert again.commands == [] and again.outcome == ASK


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("lantern", "light.noguchi"), ("oh the paper one please", "light.noguchi"),
     ("bistro", "light.festoon")],
)  # fmt: skip
def test_a_word_of_one_options_name_answers_which(answer: str, expected: str) -> None:
    dm = _asked_in_orangery()
    done = dm.handle(answer, TurnContext(site="orangery"))
    assert done.outcome == ACTION
    assert [c.entity_id for c in done.commands] == [expected]


def test_a_remark_that_says_an_options_word_is_not_an_answer() -> None:
    dm = _asked_in_orangery()
    again = dm.handle(
        "my nan had a paper lantern like that in the seventies", TurnContext(site="orangery")
    )
    assert again.commands == []
