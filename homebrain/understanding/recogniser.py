"""What the dialogue needs of any recogniser (the grammar matcher or the learned model)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from homebrain.understanding.intent import Intent
from homebrain.understanding.model_recogniser import DialogueState


class Recogniser(Protocol):
    def recognise(
        self,
        text: str,
        site_room: str | None = None,
        dialogue: DialogueState | None = None,
        vision: Mapping[str, float] | None = None,
    ) -> Intent: ...
