"""Devices and commands shared by the profile and simulator tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homebrain.config.loader import LoadedConfig
from homebrain.config.schema import DeviceConfig, HomebrainConfig
from homebrain.domains import DOMAINS, validate_state_field
from homebrain.profiles.registry import load_profiles

PROFILES = ("zigbee2mqtt", "tasmota", "homeassistant", "template")


def device_keys(profile: str, domain: str, name: str = "dev") -> dict[str, Any]:
    """The profile's own keys for a test device called ``name``."""
    if profile == "zigbee2mqtt":
        return {"friendly_name": name, **({"scene_id": 3} if domain == "scene" else {})}
    if profile == "tasmota":
        return {"topic": name}
    if profile == "homeassistant":
        return {"base_topic": f"ha/{name}"}
    return {"command_topic": f"tpl/{name}/set", "state_topic": f"tpl/{name}/state"}


def make_device(profile: str, domain: str, name: str = "dev", **extra: Any) -> DeviceConfig:
    return DeviceConfig(
        id=f"{domain}.{name}", profile=profile, **{**device_keys(profile, domain, name), **extra}
    )


def every_device(prefix: str = "t") -> list[DeviceConfig]:
    """One device per profile x domain, with topics that do not collide."""
    return [
        make_device(profile, domain, f"{prefix}_{profile}_{domain}")
        for profile in PROFILES
        for domain in DOMAINS
    ]


def pure_loaded(devices: list[DeviceConfig]) -> LoadedConfig:
    return LoadedConfig(
        Path("test.yaml"), HomebrainConfig(devices=devices), dict(load_profiles([]))
    )


# Commands the round trips send, per domain: every field, every word, and combinations.
ROUND_TRIPS: dict[str, list[dict[str, Any]]] = {
    "light": [
        {"state": "on"},
        {"state": "off"},
        {"brightness": 37},
        {"brightness": 0},
        {"brightness": 100},
        {"color": "teal"},
        {"color": "warm white"},
        {"color_temp": 300},
        {"state": "on", "brightness": 80, "color": "violet"},
    ],
    "switch": [{"state": "on"}, {"state": "off"}],
    "fan": [
        {"state": "on"},
        {"percentage": 67},
        {"percentage": 0},
        {"state": "on", "percentage": 33},
    ],
    "cover": [{"state": "open"}, {"state": "close"}, {"position": 40}, {"state": "stop"}],
    "climate": [
        {"temperature": 21.5},
        {"mode": "cool"},
        {"mode": "auto"},
        {"mode": "off"},
        {"mode": "heat", "temperature": 18},
    ],
    "lock": [{"state": "unlocked"}, {"state": "locked"}],
    "media_player": [
        {"state": "on"},
        {"state": "play"},
        {"state": "pause"},
        {"volume": 57},
        {"state": "off"},
    ],
    "scene": [{"activate": True}],
}

# Where an ecosystem cannot report what was commanded, what it reports instead.
LOSSY: dict[tuple[str, str, str], dict[str, Any]] = {
    # Tasmota's shutter driver has no "stopped": a stopped shutter reads open/closed by its
    # position (40 after the commands before it in ROUND_TRIPS)
    ("tasmota", "cover", "{'state': 'stop'}"): {"state": "open"},
}


def expected_state(profile: str, domain: str, command: dict[str, Any]) -> dict[str, Any]:
    """The abstract state a device reports after ``command`` (canonical state words)."""
    override = LOSSY.get((profile, domain, repr(command)))
    if override is not None:
        return override
    return {name: validate_state_field(domain, name, value) for name, value in command.items()}
