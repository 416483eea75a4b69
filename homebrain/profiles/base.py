"""The interface every device profile implements.

A profile turns abstract commands into one ecosystem's MQTT topics/payloads and
parses that ecosystem's state messages back. The simulator uses the same
profile in the other direction, so a profile is the only place an ecosystem's
spelling lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from homebrain.messages import MqttMessage

if TYPE_CHECKING:
    from homebrain.config.schema import DeviceConfig


class ProfileError(Exception):
    """A profile file that cannot be used, or a command a profile cannot express."""


class StatePayloadError(ValueError):
    """A state message that is malformed for the device's profile."""


@dataclass(frozen=True)
class FieldProblem:
    key: str
    message: str
    value: Any = None


class Profile(Protocol):
    name: str
    description: str

    def domains(self) -> set[str]: ...

    def check_device(self, device: DeviceConfig) -> list[FieldProblem]: ...

    def command_messages(
        self, device: DeviceConfig, command: dict[str, Any]
    ) -> list[MqttMessage]: ...

    def state_topics(self, device: DeviceConfig) -> list[str]: ...

    def parse_state(self, device: DeviceConfig, topic: str, payload: bytes) -> dict[str, Any]: ...

    def refresh_messages(self, device: DeviceConfig) -> list[MqttMessage]: ...

    def command_topics(self, device: DeviceConfig) -> list[str]: ...

    def parse_command(self, device: DeviceConfig, topic: str, payload: bytes) -> dict[str, Any]: ...

    def state_messages(self, device: DeviceConfig, state: dict[str, Any]) -> list[MqttMessage]: ...
