"""Word classes: the shipped table, how it is built, and the tokenizer features it gives."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from homebrain.training.word_classes import build, spherical_kmeans, write
from homebrain.understanding.tokenizer import (
    FEATURES_PER_TOKEN,
    GAZETTEER_FEATURES,
    PAD,
    WORD_CLASS_FEATURES,
    Tokenizer,
    words,
)
from homebrain.understanding.word_classes import (
    DEFAULT_TABLE,
    WordClassError,
    load_word_classes,
)


def test_shipped_table_covers_common_english() -> None:
    table = load_word_classes()
    assert len(table) == 50_000
    assert DEFAULT_TABLE.stat().st_size < 600_000
    for word in ("lamp", "curtains", "thermostat", "radio", "warmer", "please"):
        assert table(word) is not None, word
    assert table("zxqv") is None
    coarse = {c for c, _ in table.table.values()}
    fine = {f for _, f in table.table.values()}
    assert coarse == set(range(256)) and fine == set(range(2048))  # no class left empty


def test_related_words_share_classes() -> None:
    table = load_word_classes()
    # words used alike share a fine class, so an unseen one inherits what its peers taught
    assert table("warmer") == table("cooler")
    assert table("lamp")[1] == table("lamps")[1]  # type: ignore[index]
    assert table("lamp") != table("weather")


def test_kmeans_recovers_separated_groups() -> None:
    rng = np.random.default_rng(3)
    centres = np.eye(4, 8, dtype=np.float32)
    points = np.repeat(centres, 25, axis=0) + rng.normal(0, 0.05, (100, 8)).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    ids = spherical_kmeans(points, 4, seed=0)
    groups = [set(ids[i * 25 : (i + 1) * 25].tolist()) for i in range(4)]
    assert all(len(g) == 1 for g in groups)  # each group is one cluster ...
    assert len(set.union(*groups)) == 4  # ... and the four are different


def test_build_and_write_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("homebrain.training.word_classes.COARSE", 2)
    monkeypatch.setattr("homebrain.training.word_classes.FINE", 4)
    vocab = ["the", ",", "lamp", "light", "Bulb", "don't", "rain", "snow", "hail", "fog", "x1"]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(vocab), 6)).astype(np.float32)
    kept, coarse, fine = build(vocab, vectors, size=8)
    assert kept == ["the", "lamp", "light", "don't", "rain", "snow", "hail", "fog"]  # plain words
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    write(first, kept, coarse, fine)
    write(second, kept, coarse, fine)
    assert first.read_bytes() == second.read_bytes()  # reproducible, gzip time stamp and all
    loaded = load_word_classes(first)
    assert len(loaded) == 8 and loaded("lamp") == (int(coarse[1]), int(fine[1]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not gzip", "cannot be read"),
        (gzip.compress(b"# header only\n"), "holds no words"),
        (gzip.compress(b"lamp\t1\n"), "line 1: expected"),
        (gzip.compress(b"lamp\tone\t2\n"), "line 1: expected"),
    ],
)
def test_bad_table_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "classes.tsv.gz"
    path.write_bytes(content)
    with pytest.raises(WordClassError, match=message) as info:
        load_word_classes(path)
    assert str(path) in str(info.value)


def test_tokenizer_adds_two_class_features() -> None:
    tokens = words("make the lamps warmer zxqv")
    marks = ["", "", "device", "", ""]
    gaz = Tokenizer(512, GAZETTEER_FEATURES)
    full = Tokenizer(512, WORD_CLASS_FEATURES)
    five = gaz.encode(tokens, 7, marks)
    seven = full.encode(tokens, 7, marks)
    assert seven.shape == (7, WORD_CLASS_FEATURES)
    assert np.array_equal(seven[:, :GAZETTEER_FEATURES], five)  # the first five are unchanged
    assert (seven[:4, GAZETTEER_FEATURES:] != PAD).all()  # known words have classes
    assert (seven[4, GAZETTEER_FEATURES:] == PAD).all()  # an unknown word has none
    assert (seven[5:] == PAD).all()
    cooler = full.encode(["cooler"], 1)
    assert np.array_equal(cooler[0, GAZETTEER_FEATURES:], seven[3, GAZETTEER_FEATURES:])
    assert cooler[0, 0] != seven[3, 0]  # ... but the word itself still differs
    assert full.features("lamp")[:FEATURES_PER_TOKEN] == gaz.features("lamp")


def test_tokenizer_spec_names_the_table() -> None:
    full = Tokenizer(512, WORD_CLASS_FEATURES)
    spec = full.to_json()
    assert spec["word_classes"] == load_word_classes().digest
    again = Tokenizer.from_json(spec)
    assert again.features_per_token == WORD_CLASS_FEATURES and again.word_classes is not None
    with pytest.raises(ValueError, match=r"word-class table 'feedface'.*retrain"):
        Tokenizer.from_json({**spec, "word_classes": "feedface"})
    with pytest.raises(ValueError, match="word-class table None"):
        Tokenizer.from_json({k: v for k, v in spec.items() if k != "word_classes"})
