"""What understanding hands to the dialogue: an intent with its slots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OUT_OF_DOMAIN = "out_of_domain"


@dataclass
class Intent:
    """A recognised intent.

    ``slots`` hold what the words said (device name, room, value, unit, ...);
    ``targets`` the entity ids they were resolved to (empty until resolved).
    """

    name: str
    slots: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    text: str = ""
    targets: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.name,
            "slots": self.slots,
            "targets": self.targets,
            "confidence": round(self.confidence, 3),
            "text": self.text,
        }
