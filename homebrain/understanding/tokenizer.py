"""Words to hashed feature ids: a vocabulary with no out-of-vocabulary words.

Each token becomes K ids: the whole word, its first and last three letters
(with boundary marks), and its shape (digits, letters). A name the model never
saw ("Zanzibar lamp") still shares prefix/suffix/shape buckets with names it
did, which is what lets span tagging work for any home's names. The hash is
stable across processes and machines (crc32), unlike Python's hash().

A tokenizer with ``GAZETTEER_FEATURES`` adds a fifth id: the token's gazetteer
mark (``homebrain.understanding.gazetteer``: part of one of the home's device or
room names), or padding when it has none. Bundles made before it keep four.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

PAD = 0
FEATURES_PER_TOKEN = 4  # word, prefix, suffix, shape
GAZETTEER_FEATURES = 5  # ... and the gazetteer mark
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
    def __init__(self, buckets: int = 16384, features: int = FEATURES_PER_TOKEN) -> None:
        if buckets < 16:
            raise ValueError("need at least 16 hash buckets")
        if features not in (FEATURES_PER_TOKEN, GAZETTEER_FEATURES):
            raise ValueError(f"{FEATURES_PER_TOKEN} or {GAZETTEER_FEATURES} features per token")
        self.buckets = buckets
        self.features_per_token = features

    @property
    def uses_gazetteer(self) -> bool:
        return self.features_per_token == GAZETTEER_FEATURES

    def _bucket(self, kind: str, text: str) -> int:
        # 0 is padding, so ids run 1..buckets-1
        return 1 + zlib.crc32(f"{kind}:{text}".encode()) % (self.buckets - 1)

    def features(self, word: str) -> list[int]:
        marked = f"<{word}>"
        return [
            self._bucket("w", word),
            self._bucket("p", marked[:4]),
            self._bucket("s", marked[-4:]),
            self._bucket("h", _shape(word)),
        ]

    def encode(
        self, tokens: Sequence[str], max_len: int, marks: Sequence[str] | None = None
    ) -> np.ndarray:
        """[max_len, features_per_token] int32, padded with PAD, cut at max_len.

        ``marks`` (one per token, "" for none) fill the gazetteer feature when
        this tokenizer has one; without them every token is unmarked.
        """
        out = np.zeros((max_len, self.features_per_token), dtype=np.int32)
        for i, word in enumerate(tokens[:max_len]):
            out[i, :FEATURES_PER_TOKEN] = self.features(word)
            if self.uses_gazetteer and marks is not None and i < len(marks) and marks[i]:
                out[i, FEATURES_PER_TOKEN] = self._bucket("g", marks[i])
        return out

    def to_json(self) -> dict[str, int | str]:
        return {
            "kind": "hashed-crc32",
            "buckets": self.buckets,
            "features": self.features_per_token,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Tokenizer:
        features = data.get("features")
        if data.get("kind") != "hashed-crc32" or features not in (
            FEATURES_PER_TOKEN,
            GAZETTEER_FEATURES,
        ):
            raise ValueError(f"unsupported tokenizer {data!r}")
        buckets = data.get("buckets")
        if not isinstance(buckets, int):
            raise ValueError(f"tokenizer buckets must be an integer, got {buckets!r}")
        assert isinstance(features, int)
        return cls(buckets, features)
