"""Random and hostile text through the learned model's whole path: recogniser, then dialogue.

Issue 3, item 8: empty, 10,000 characters, emoji, other scripts, markup,
repeated words — no crash, and out of domain or a clear rejection. The
shipped model (homebrain/models/default) runs for real; hypothesis makes the
text.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixture_homes import demo_home
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.models import DEFAULT_MODEL
from homebrain.turns import ACTION, REJECTED, TurnContext
from homebrain.understanding.intent import OUT_OF_DOMAIN
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.model_runtime import load_model

HOME = demo_home()
SENSITIVE = {e.entity_id for e in HOME.entities.values() if e.sensitive}
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def recogniser() -> ModelRecogniser:
    return ModelRecogniser(HOME, load_model(DEFAULT_MODEL))


def manager(recogniser: ModelRecogniser) -> DialogueManager:
    return DialogueManager(HOME, lambda _e: {}, Responses({}), matcher=recogniser)


# text with no word of any language the model reads: symbols, emoji, other scripts, markup
_NOT_ENGLISH = st.text(
    alphabet=st.sampled_from(
        list("🙂🔥💡🏠🚪❤️✨😀🎉👍")
        + list("日本語の文字列中文字符한국어Ελληνικάкириллицаعربيעברית")
        + list("<>/{}[]()&;:=\"'#@$%^*~|\\`+_-.,!?")
    ),
    max_size=200,
)
_MARKUP = st.builds(
    lambda tag, body: f"<{tag}>{body}</{tag}>",
    st.sampled_from(["b", "script", "div", "p", "span"]),
    st.text(alphabet=st.sampled_from(list("<>&;/=\"' ")), max_size=40),
)


@SETTINGS
@given(text=st.text(max_size=400))
def test_any_text_gives_an_intent(recogniser: ModelRecogniser, text: str) -> None:
    intent = recogniser.recognise(text, "living_room")
    assert 0.0 <= intent.confidence <= 1.0
    assert isinstance(intent.slots, dict)


@SETTINGS
@given(text=st.one_of(_NOT_ENGLISH, _MARKUP))
def test_no_words_means_out_of_domain(recogniser: ModelRecogniser, text: str) -> None:
    assert recogniser.recognise(text, "living_room").name == OUT_OF_DOMAIN


@SETTINGS
@given(text=st.one_of(_NOT_ENGLISH, _MARKUP, st.text(max_size=300)))
def test_dialogue_never_raises_and_never_moves_a_lock_on_noise(
    recogniser: ModelRecogniser, text: str
) -> None:
    decision = manager(recogniser).handle(text, TurnContext(site="living_room"))
    moved = {c.entity_id for c in decision.commands}
    assert not moved & SENSITIVE  # a lock or garage door always asks first
    if decision.outcome == ACTION:
        assert decision.intent is not None and decision.intent.name != OUT_OF_DOMAIN


@SETTINGS
@given(text=st.one_of(_NOT_ENGLISH, _MARKUP))
def test_noise_commands_nothing(recogniser: ModelRecogniser, text: str) -> None:
    decision = manager(recogniser).handle(text, TurnContext(site="living_room"))
    assert decision.commands == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("x" * 10_000, "one 10,000 character word"),
        ("lights " * 2_000, "the same word again and again"),
        ("turn on the kitchen light " * 400, "a command repeated far past the model's window"),
        ("\x00\x01\x02", "control characters"),
    ],
)
def test_hostile_text_is_rejected_or_harmless(
    recogniser: ModelRecogniser, text: str, why: str
) -> None:
    decision = manager(recogniser).handle(text, TurnContext(site="living_room"))
    assert decision.response, why
    commanded: dict[str, Any] = {c.entity_id: c.fields for c in decision.commands}
    assert decision.outcome == REJECTED or not commanded.keys() & SENSITIVE, why


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("play music", OUT_OF_DOMAIN),  # no music source: not the TV
        ("play some jazz please", OUT_OF_DOMAIN),
        ("press play on the tv", "play"),  # a player named: its business
        ("carry on playing on the tv", "play"),
    ],
)
def test_play_names_a_player_not_content(
    recogniser: ModelRecogniser, text: str, intent: str
) -> None:
    assert recogniser.recognise(text, "living_room").name == intent
