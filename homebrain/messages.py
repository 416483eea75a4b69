"""Plain data passed between stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MqttMessage:
    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = False

    @property
    def text(self) -> str:
        return self.payload.decode("utf-8", errors="replace")


@dataclass
class DeviceCommand:
    """An abstract, protocol-free command for one entity (DESIGN.md's table)."""

    entity_id: str
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def domain(self) -> str:
        return self.entity_id.split(".", 1)[0]
