"""The mirror of every device's abstract state, fed by the devices' own state topics.

Later stages read it for relative changes ("brighter"), questions ("is the
garage open?") and undo, so it must never be corrupted by a bad payload: a
malformed message is logged and skipped, the last good state kept.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt

from homebrain.config.loader import LoadedConfig
from homebrain.config.schema import DeviceConfig
from homebrain.messages import MqttMessage
from homebrain.profiles.base import StatePayloadError

log = logging.getLogger("homebrain.state")


@dataclass
class EntityState:
    fields: dict[str, Any] = field(default_factory=dict)
    updated: float | None = None  # wall-clock seconds


class StateMirror:
    def __init__(self, loaded: LoadedConfig) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, EntityState] = {}
        self._routes: list[tuple[str, DeviceConfig]] = []
        self.configure(loaded)

    def configure(self, loaded: LoadedConfig) -> None:
        """(Re)build the topic routes; states of devices still configured are kept."""
        routes: list[tuple[str, DeviceConfig]] = []
        for device in loaded.config.devices:
            profile = loaded.profiles[device.profile]
            routes.extend((topic, device) for topic in profile.state_topics(device))
        with self._lock:
            self._loaded = loaded
            self._routes = routes
            kept = {d.id for d in loaded.config.devices}
            self._states = {k: v for k, v in self._states.items() if k in kept}
            for entity_id in kept:
                self._states.setdefault(entity_id, EntityState())

    def refresh_requests(self) -> list[MqttMessage]:
        """Requests that make devices which support it report their state now."""
        with self._lock:
            loaded = self._loaded
        return [
            message
            for device in loaded.config.devices
            for message in loaded.profiles[device.profile].refresh_messages(device)
        ]

    def subscriptions(self) -> list[str]:
        with self._lock:
            return sorted({topic for topic, _ in self._routes})

    def handle(self, topic: str, payload: bytes) -> list[str]:
        """Apply one state message; return the entity ids it changed."""
        with self._lock:
            routes = [(t, d) for t, d in self._routes if mqtt.topic_matches_sub(t, topic)]
            loaded = self._loaded
        changed: list[str] = []
        for _, device in routes:
            profile = loaded.profiles[device.profile]
            try:
                fields = profile.parse_state(device, topic, payload)
            except StatePayloadError as exc:
                log.warning("ignored state for %s on %s: %s", device.id, topic, exc)
                continue
            if not fields:
                continue
            with self._lock:
                state = self._states.setdefault(device.id, EntityState())
                if any(state.fields.get(k) != v for k, v in fields.items()):
                    changed.append(device.id)
                state.fields.update(fields)
                state.updated = time.time()
        return changed

    def get(self, entity_id: str) -> dict[str, Any]:
        with self._lock:
            state = self._states.get(entity_id)
            return dict(state.fields) if state else {}

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {
                k: {"state": dict(v.fields), "updated": v.updated} for k, v in self._states.items()
            }
