"""The model's fixed input layouts and its hashed vocabulary."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from homebrain.understanding import labels
from homebrain.understanding.tokenizer import FEATURES_PER_TOKEN, PAD, Tokenizer, words


def test_words_keep_numbers_and_symbols() -> None:
    assert words("Set the heating to 21.5°, please!") == [
        "set",
        "the",
        "heating",
        "to",
        "21.5",
        "°",
        "please",
    ]
    assert words("dim it to 30%") == ["dim", "it", "to", "30", "%"]
    assert words("what's Emma's lamp") == ["what's", "emma's", "lamp"]
    assert words("💡🔥 <b></b>") == ["b", "b"]
    assert words("") == []


def test_encoding_shape_padding_and_truncation() -> None:
    tok = Tokenizer(1024)
    ids = tok.encode(["turn", "on", "the", "lamp"], max_len=6)
    assert ids.shape == (6, FEATURES_PER_TOKEN) and ids.dtype == np.int32
    assert (ids[4:] == PAD).all() and (ids[:4] > 0).all() and (ids < 1024).all()
    assert tok.encode(["a"] * 10, max_len=3).shape == (3, FEATURES_PER_TOKEN)


def test_unseen_names_share_subword_buckets() -> None:
    tok = Tokenizer()
    lamp, lamps = tok.features("lamp"), tok.features("lamps")
    assert lamp[0] != lamps[0]  # different words
    assert lamp[1] == lamps[1]  # same prefix "<lam"
    assert tok.features("21")[3] == tok.features("37")[3]  # both numbers


def test_hash_is_stable_across_processes() -> None:
    code = (
        "from homebrain.understanding.tokenizer import Tokenizer; "
        "print(Tokenizer().features('kitchen'))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and str(Tokenizer().features("kitchen")) in runs.pop()


def test_tokenizer_round_trips_through_json() -> None:
    tok = Tokenizer(2048)
    assert Tokenizer.from_json(tok.to_json()).features("x") == tok.features("x")
    with pytest.raises(ValueError):
        Tokenizer.from_json({"kind": "bpe"})


def test_context_vector_is_one_hot_blocks() -> None:
    vec = labels.context_vector("confirm", "none", "lock", "unlock")
    assert len(vec) == labels.CONTEXT_DIM
    assert sum(vec) == 4.0
    assert labels.context_vector("bogus", last_intent="order_coffee")[-1] == 1.0  # custom bucket
    assert sum(labels.context_vector()) == 4.0  # all "none"


def test_vision_vector_layout() -> None:
    assert labels.vision_vector() == [0.0] * labels.VISION_DIM  # no camera
    vec = labels.vision_vector(gesture_thumbs_up=1.0)
    assert vec[labels.VISION_LAYOUT.index("gesture_thumbs_up")] == 1.0
    with pytest.raises(ValueError, match="unknown vision"):
        labels.vision_vector(gesture_wave=1.0)


def test_tags_are_bio_over_slot_types() -> None:
    assert labels.TAGS[0] == "O"
    assert len(labels.TAGS) == 1 + 2 * len(labels.SLOT_TYPES)
    assert "B-anaphor" in labels.TAGS and "I-deixis" in labels.TAGS
    assert "out_of_domain" in labels.INTENTS and "affirm" in labels.INTENTS
