"""The gazetteer: which words spell one of the home's names, as the model's fifth feature."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import ROOT

from homebrain.config.loader import load_config
from homebrain.home import Home
from homebrain.understanding.gazetteer import (
    DEVICE,
    KEEP_SHARE,
    NONE,
    ROOM,
    SCENE,
    Gazetteer,
    generic_phrases,
    training_marks,
)
from homebrain.understanding.tokenizer import (
    FEATURES_PER_TOKEN,
    GAZETTEER_FEATURES,
    Tokenizer,
    words,
)
from homebrain.understanding.vocabulary import DEVICE_WORDS

GENERIC = generic_phrases(DEVICE_WORDS)

G = Gazetteer(
    devices=["Festoon lights", "festoon", "wall stat", "Juniper's lamp", "Parlour"],
    rooms=["Juniper's room", "parlour", "wet room"],
)

CASES = [
    ("bung the festoon on", "_ _ D _"),
    ("the festoon lights in the wet room", "_ D D _ _ R R"),  # longest name wins
    ("twenty one on the wall stat", "_ _ _ _ D D"),
    ("juniper's lamp in juniper's room", "D D _ R R"),
    ("the parlour", "_ D"),  # a device of the same spelling wins over the room
    ("wall", "_"),  # half a name is no name
    ("up the festoon's brightness", "_ _ D _"),  # a possessive is still the name
    ("fest oon lights off", "D D D _"),  # a name split where a recogniser did not know it
    ("the wall stat", "_ D D"),  # said as spelt: the spelling wins over a join
    ("the stat of the wall on", "_ D D D D _"),  # the name said the other way round
    ("", ""),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_marks_longest_names(sentence: str, expected: str) -> None:
    code = {"D": DEVICE, "R": ROOM, "_": NONE}
    assert G.marks(words(sentence)) == [code[c] for c in expected.split()]


def test_for_home_marks_names_aliases_rooms_and_floors() -> None:
    home = Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)
    gazetteer = Gazetteer.for_home(home)
    said = words("turn the paper lantern off upstairs and in the glass room")
    marks = gazetteer.marks(said)
    assert [w for w, m in zip(said, marks, strict=True) if m == DEVICE] == ["paper", "lantern"]
    assert [w for w, m in zip(said, marks, strict=True) if m == ROOM] == [
        "upstairs",
        "glass",
        "room",
    ]


def test_scene_names_have_their_own_mark() -> None:
    home = Home.from_config(load_config(ROOT / "configs" / "eval_home.yaml").config)
    gazetteer = Gazetteer.for_home(home)
    # "fire up the X" reads the same for a scene and a device: only the mark tells
    assert gazetteer.marks(words("fire up the lullaby")) == [NONE, NONE, NONE, SCENE]
    assert gazetteer.marks(words("fire up the festoon")) == [NONE, NONE, NONE, DEVICE]
    both = Gazetteer(devices=["movie night"], scenes=["movie night", "hygge"])
    assert both.marks(words("movie night hygge")) == [DEVICE, DEVICE, SCENE]  # a device wins


def test_training_marks_a_scene_example_as_scene() -> None:
    tokens = words("run movie night in the den")
    tags = ["O", "B-device", "I-device", "O", "O", "B-room"]
    always = random.Random(0)
    always.random = lambda: 0.0  # type: ignore[method-assign]  # keep every span
    assert training_marks(tokens, tags, always, GENERIC, scene=True) == [
        NONE, SCENE, SCENE, NONE, NONE, ROOM
    ]  # fmt: skip
    assert training_marks(tokens, tags, always, GENERIC)[1:3] == [DEVICE, DEVICE]


def test_training_reads_spans_as_the_runtime_does() -> None:
    """Marks come from the tags' spans as bio_spans reads a model's (a stray I- opens one)."""
    tokens = words("the big lamp and the den and the attic")
    tags = ["O", "B-device", "I-device", "O", "O", "B-room", "O", "O", "I-room"]
    always = random.Random(0)
    always.random = lambda: 0.0  # type: ignore[method-assign]  # keep every span
    assert training_marks(tokens, tags, always, GENERIC) == [
        NONE, DEVICE, DEVICE, NONE, NONE, ROOM, NONE, NONE, ROOM
    ]  # fmt: skip
    assert ("radios",) in GENERIC and ("radio",) in GENERIC  # plurals are as generic


def test_training_marks_follow_names_not_device_words() -> None:
    tokens = words("turn the zorvel lamp and the lamps in the den off")
    tags = ["O", "O", "B-device", "I-device", "O", "O", "B-device", "O", "O", "B-room", "O"]
    kept = [training_marks(tokens, tags, random.Random(seed), GENERIC) for seed in range(300)]
    for marks in kept:
        assert marks[6] == NONE  # "lamps" is a device word, never a name
        assert marks[2] == marks[3]  # a name is marked whole or not at all
    share = sum(m[2] == DEVICE for m in kept) / len(kept)
    assert abs(share - KEEP_SHARE) < 0.08
    assert any(m[9] == NONE for m in kept) and any(m[9] == ROOM for m in kept)
    # the same generator gives the same marks: encodings are reproducible
    again = training_marks(tokens, tags, random.Random(5), GENERIC)
    assert again == kept[5]


def test_tokenizer_carries_marks_only_with_the_fifth_feature() -> None:
    tokens = words("bung the festoon on")
    marks = G.marks(tokens)
    plain = Tokenizer(512)
    gaz = Tokenizer(512, GAZETTEER_FEATURES)
    four = plain.encode(tokens, 6, marks)
    five = gaz.encode(tokens, 6, marks)
    assert four.shape == (6, FEATURES_PER_TOKEN)
    assert five.shape == (6, GAZETTEER_FEATURES)
    assert np.array_equal(five[:, :FEATURES_PER_TOKEN], four)
    assert five[2, 4] > 0 and five[0, 4] == 0 and five[4:, :].sum() == 0
    assert np.array_equal(gaz.encode(tokens, 6)[:, 4], np.zeros(6))  # no marks, no feature
    assert Tokenizer.from_json(gaz.to_json()).features_per_token == GAZETTEER_FEATURES
    assert Tokenizer.from_json(plain.to_json()).features_per_token == FEATURES_PER_TOKEN
    with pytest.raises(ValueError):
        Tokenizer.from_json({"kind": "hashed-crc32", "buckets": 512, "features": 6})
    with pytest.raises(ValueError):
        Tokenizer(512, 3)
