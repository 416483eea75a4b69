"""Words to hashed feature ids: a vocabulary with no out-of-vocabulary words.

Each token becomes K ids: the whole word, its first and last three letters
(with boundary marks), and its shape (digits, letters). A name the model never
saw ("Zanzibar lamp") still shares prefix/suffix/shape buckets with names it
did, which is what lets span tagging work for any home's names. The hash is
stable across processes and machines (crc32), unlike Python's hash().

A tokenizer with ``GAZETTEER_FEATURES`` adds a fifth id: the token's gazetteer
mark (``homebrain.understanding.gazetteer``: part of one of the home's device or
room names), or padding when it has none. Bundles made before it keep four.

A tokenizer with ``WORD_CLASS_FEATURES`` adds two more: the word's coarse and
fine class (``homebrain.understanding.word_classes``), so a word no training
sentence used still shares features with the common words it resembles.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from homebrain.understanding.word_classes import WordClasses, load_word_classes

PAD = 0
FEATURES_PER_TOKEN = 4  # word, prefix, suffix, shape
GAZETTEER_FEATURES = 5  # ... and the gazetteer mark
WORD_CLASS_FEATURES = 7  # ... and the word's coarse and fine class
_SUPPORTED = (FEATURES_PER_TOKEN, GAZETTEER_FEATURES, WORD_CLASS_FEATURES)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+(?:'[^\W\d_]+)?|%|°", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; numbers, % and ° stay tokens of their own."""
    return _TOKEN.findall(text.lower())


def _shape(word: str) -> str:
    if word.replace(".", "", 1).replace(",", "", 1).isdigit():
        return "<num>"
    if word in ("%", "°"):
        return f"<sym{word}>"
    if len(word) <= 2:
        return "<short>"
    return "<word>"


class Tokenizer:
    def __init__(
        self,
        buckets: int = 16384,
        features: int = FEATURES_PER_TOKEN,
        word_classes: WordClasses | None = None,
    ) -> None:
        if buckets < 16:
            raise ValueError("need at least 16 hash buckets")
        if features not in _SUPPORTED:
            raise ValueError(f"features per token must be one of {_SUPPORTED}")
        self.buckets = buckets
        self.features_per_token = features
        self.word_classes: WordClasses | None = None
        if features == WORD_CLASS_FEATURES:
            self.word_classes = word_classes or load_word_classes()

    @property
    def uses_gazetteer(self) -> bool:
        return self.features_per_token >= GAZETTEER_FEATURES

    def _bucket(self, kind: str, text: str) -> int:
        # 0 is padding, so ids run 1..buckets-1
        return 1 + zlib.crc32(f"{kind}:{text}".encode()) % (self.buckets - 1)

    def features(self, word: str) -> list[int]:
        """The word's own ids: word, prefix, suffix, shape (and its classes, if used)."""
        marked = f"<{word}>"
        ids = [
            self._bucket("w", word),
            self._bucket("p", marked[:4]),
            self._bucket("s", marked[-4:]),
            self._bucket("h", _shape(word)),
        ]
        if self.word_classes is not None:
            found = self.word_classes(word)
            if found is None:
                ids += [PAD, PAD]
            else:
                ids += [self._bucket("c", str(found[0])), self._bucket("f", str(found[1]))]
        return ids

    def encode(
        self, tokens: Sequence[str], max_len: int, marks: Sequence[str] | None = None
    ) -> np.ndarray:
        """[max_len, features_per_token] int32, padded with PAD, cut at max_len.

        ``marks`` (one per token, "" for none) fill the gazetteer feature when
        this tokenizer has one; without them every token is unmarked.
        """
        out = np.zeros((max_len, self.features_per_token), dtype=np.int32)
        for i, word in enumerate(tokens[:max_len]):
            own = self.features(word)
            out[i, :FEATURES_PER_TOKEN] = own[:FEATURES_PER_TOKEN]
            out[i, GAZETTEER_FEATURES:] = own[FEATURES_PER_TOKEN:]
            if self.uses_gazetteer and marks is not None and i < len(marks) and marks[i]:
                out[i, FEATURES_PER_TOKEN] = self._bucket("g", marks[i])
        return out

    def to_json(self) -> dict[str, int | str]:
        spec: dict[str, int | str] = {
            "kind": "hashed-crc32",
            "buckets": self.buckets,
            "features": self.features_per_token,
        }
        if self.word_classes is not None:
            spec["word_classes"] = self.word_classes.digest
        return spec

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Tokenizer:
        features = data.get("features")
        if data.get("kind") != "hashed-crc32" or features not in _SUPPORTED:
            raise ValueError(f"unsupported tokenizer {data!r}")
        buckets = data.get("buckets")
        if not isinstance(buckets, int):
            raise ValueError(f"tokenizer buckets must be an integer, got {buckets!r}")
        assert isinstance(features, int)
        classes = None
        if features == WORD_CLASS_FEATURES:
            classes = load_word_classes()
            if data.get("word_classes") != classes.digest:
                raise ValueError(
                    f"the model was made with word-class table {data.get('word_classes')!r}, "
                    f"this homebrain ships {classes.digest!r}: retrain it (homebrain train)"
                )
        return cls(buckets, features, classes)
