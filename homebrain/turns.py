"""The data of one conversational turn, shared by the daemon, `say` and `eval`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from homebrain.messages import DeviceCommand
from homebrain.understanding.intent import Intent

# Outcomes of a turn, as eval and logs report them.
ACTION = "action"  # commands were sent
ASK = "ask"  # a question back, nothing sent
ANSWER = "answer"  # a spoken answer (query, confirmation cancelled...), nothing sent
UNKNOWN = "unknown"  # "I don't know that one", nothing sent
REJECTED = "rejected"  # input refused (empty, too long, binary), nothing sent
UNHEARD = "unheard"  # speech the recogniser was not sure of: ignored, nothing said back


@dataclass
class TurnContext:
    """What else is known about a turn: where it was heard, what the camera saw."""

    site: str | None = None
    pointing_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Decision:
    """What the dialogue decided for a turn, before anything is published."""

    intent: Intent | None
    commands: list[DeviceCommand]
    response: str
    outcome: str


@dataclass
class TurnResult:
    text: str
    site: str
    intent: Intent | None
    response: str
    commands: list[DeviceCommand]
    outcome: str
    latency_ms: float = 0.0
