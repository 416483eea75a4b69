"""One labelled training example: what the corpus generator makes and the trainer reads.

Plain data, JSON-lines friendly, no torch: the corpus can be generated,
inspected and tested on the device's own install.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Example:
    tokens: list[str]  # homebrain.understanding.tokenizer.words(text)
    tags: list[str]  # one BIO tag per token, from labels.bio_tags(slot types)
    intent: str  # one of labels.INTENTS or a custom intent name
    context: dict[str, str] = field(default_factory=dict)  # labels.context_vector keywords
    vision: dict[str, float] = field(default_factory=dict)  # labels.vision_vector keywords
    text: str = ""  # the sentence as generated (before ASR-like damage, if any)
    source: str = ""  # which template family made it, for per-family reports

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.tags):
            raise ValueError(f"{len(self.tokens)} tokens but {len(self.tags)} tags: {self.tokens}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Example:
        return cls(**data)
