"""Simulated devices: every configured device, behaving as its ecosystem does.

The simulator is the profiles read backwards: a command message is parsed with
the device's profile (``parse_command``), applied to the device's abstract
state by the small domain rules below, and the new state is published in the
profile's own format (``state_messages``), retained. So the daemon, the
evaluation runner and the tests meet the same bytes a real Zigbee2MQTT,
Tasmota or Home Assistant setup would produce, with no hardware.

This class does no networking (see ``runner``), so it is fast and easy to test.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from homebrain.config.loader import LoadedConfig
from homebrain.config.schema import DeviceConfig
from homebrain.messages import MqttMessage
from homebrain.profiles.base import ProfileError, StatePayloadError

log = logging.getLogger("homebrain.simulate")

State = dict[str, Any]

INITIAL_STATES: dict[str, State] = {
    "light": {"state": "off", "brightness": 100, "color": "white", "color_temp": 370},
    "switch": {"state": "off"},
    "fan": {"state": "off", "percentage": 0},
    "cover": {"state": "closed", "position": 0},
    "climate": {"temperature": 20.0, "mode": "heat", "current_temperature": 19.5},
    "lock": {"state": "locked"},
    "media_player": {"state": "off", "volume": 30},
    "scene": {},  # a scene has no state until it is activated
}


def initial_state(domain: str) -> State:
    return dict(INITIAL_STATES.get(domain, {}))


# --- what a command does to a device, per domain -------------------------------------------------


def _level_device(level: str) -> Callable[[State, State], State]:
    """Lights and fans: a level above 0 turns them on, 0 turns them off, "on" at 0 goes full."""

    def apply(state: State, fields: State) -> State:
        new = dict(state)
        for name, value in fields.items():
            if name == "state":
                new["state"] = value
                if value == "on" and new.get(level) == 0:
                    new[level] = 100
            elif name == level:
                new[level] = value
                new["state"] = "on" if value > 0 else "off"
            else:
                new[name] = value
        return new

    return apply


def _cover(state: State, fields: State) -> State:
    new = dict(state)
    for name, value in fields.items():
        if name == "state":
            if value == "open":
                new.update(state="open", position=100)
            elif value == "close":
                new.update(state="closed", position=0)
            else:
                new["state"] = "stopped"
        elif name == "position":
            new.update(position=value, state="open" if value > 0 else "closed")
    return new


def _plain(state: State, fields: State) -> State:
    return {**state, **fields}


APPLY: dict[str, Callable[[State, State], State]] = {
    "light": _level_device("brightness"),
    "fan": _level_device("percentage"),
    "cover": _cover,
}


def apply_command(domain: str, state: State, fields: State) -> State:
    """The device's state after a command (abstract fields in, abstract state out)."""
    return APPLY.get(domain, _plain)(state, fields)


# --- the simulator -------------------------------------------------------------------------------


class Simulator:
    """All configured devices at once; thread-safe, no I/O."""

    def __init__(self, loaded: LoadedConfig) -> None:
        self._loaded = loaded
        self._lock = threading.Lock()
        self._states: dict[str, State] = {}
        self._routes: dict[str, list[DeviceConfig]] = {}
        for device in loaded.config.devices:
            self._states[device.id] = initial_state(device.domain)
            for topic in self._profile(device).command_topics(device):
                self._routes.setdefault(topic, []).append(device)

    def _profile(self, device: DeviceConfig) -> Any:
        return self._loaded.profiles[device.profile]

    def command_topics(self) -> list[str]:
        """Every topic some simulated device listens on (commands and state queries)."""
        return sorted(self._routes)

    def state(self, entity_id: str) -> State:
        with self._lock:
            return dict(self._states[entity_id])

    def initial_messages(self) -> list[MqttMessage]:
        """Every device's initial state (lights off, covers closed...), retained."""
        messages: list[MqttMessage] = []
        for device in self._loaded.config.devices:
            messages.extend(self._publish(device, initial_state(device.domain)))
        return messages

    def snapshot_messages(self) -> list[MqttMessage]:
        """The retained state of every device as it is now (republished after a reconnect)."""
        messages: list[MqttMessage] = []
        for device in self._loaded.config.devices:
            messages.extend(self._publish(device, self.state(device.id)))
        return messages

    def handle(self, topic: str, payload: bytes) -> list[MqttMessage]:
        """One message on a command topic -> the state messages of the devices it reached."""
        out: list[MqttMessage] = []
        for device in self._routes.get(topic, ()):
            try:
                fields = self._profile(device).parse_command(device, topic, payload)
            except (StatePayloadError, ProfileError) as exc:
                log.warning("%s ignored a malformed command on %s: %s", device.id, topic, exc)
                continue
            with self._lock:
                if fields:
                    self._states[device.id] = apply_command(
                        device.domain, self._states[device.id], fields
                    )
                state = dict(self._states[device.id])
            if fields:
                log.info("%s received %s on %s; now %s", device.id, fields, topic, state)
            else:
                log.info("%s was asked for its state on %s", device.id, topic)
            out.extend(self._publish(device, state))
        return out

    def _publish(self, device: DeviceConfig, state: State) -> list[MqttMessage]:
        try:
            return list(self._profile(device).state_messages(device, state))
        except ProfileError as exc:
            log.error("%s cannot report its state %s: %s", device.id, state, exc)
            return []
