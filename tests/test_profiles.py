"""The device profiles: exact topics and payloads out, abstract state back in, bad input refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from profile_cases import PROFILES, make_device

from homebrain.config.loader import ConfigError, load_config
from homebrain.config.schema import DeviceConfig
from homebrain.domains import COLOR_NAMES, DOMAINS
from homebrain.profiles import colors
from homebrain.profiles.base import Profile, ProfileError, StatePayloadError
from homebrain.profiles.registry import builtin_profiles, load_profiles

P = load_profiles([])

Z2M = "zigbee2mqtt/dev/set"


def j(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def sent(profile: str, domain: str, command: dict[str, Any], **extra: Any) -> list[tuple[str, str]]:
    device = make_device(profile, domain, **extra)
    messages = P[profile].command_messages(device, command)
    assert all(m.qos == 1 and not m.retain for m in messages)
    return [(m.topic, m.payload.decode()) for m in messages]


# --- commands out -----------------------------------------------------------------------------

COMMANDS: list[tuple[str, str, dict[str, Any], list[tuple[str, str]]]] = [
    # Zigbee2MQTT: one merged JSON object on <base>/<friendly_name>/set
    ("zigbee2mqtt", "light", {"state": "on"}, [(Z2M, j(state="ON"))]),
    ("zigbee2mqtt", "light", {"state": "off"}, [(Z2M, j(state="OFF"))]),
    ("zigbee2mqtt", "light", {"brightness": 50}, [(Z2M, j(brightness=127))]),
    ("zigbee2mqtt", "light", {"brightness": 100}, [(Z2M, j(brightness=254))]),
    ("zigbee2mqtt", "light", {"color": "red"}, [(Z2M, j(color={"hex": "#FF0000"}))]),
    ("zigbee2mqtt", "light", {"color_temp": 300}, [(Z2M, j(color_temp=300))]),
    (
        "zigbee2mqtt",
        "light",
        {"state": "on", "brightness": 1, "color": "blue"},
        [(Z2M, j(state="ON", brightness=3, color={"hex": "#0000FF"}))],
    ),
    ("zigbee2mqtt", "switch", {"state": "on"}, [(Z2M, j(state="ON"))]),
    ("zigbee2mqtt", "switch", {"state": "off"}, [(Z2M, j(state="OFF"))]),
    ("zigbee2mqtt", "fan", {"state": "on"}, [(Z2M, j(fan_state="ON"))]),
    ("zigbee2mqtt", "fan", {"percentage": 0}, [(Z2M, j(fan_mode="off"))]),
    ("zigbee2mqtt", "fan", {"percentage": 20}, [(Z2M, j(fan_mode="low"))]),
    ("zigbee2mqtt", "fan", {"percentage": 50}, [(Z2M, j(fan_mode="medium"))]),
    ("zigbee2mqtt", "fan", {"percentage": 90}, [(Z2M, j(fan_mode="high"))]),
    ("zigbee2mqtt", "cover", {"state": "open"}, [(Z2M, j(state="OPEN"))]),
    ("zigbee2mqtt", "cover", {"state": "close"}, [(Z2M, j(state="CLOSE"))]),
    ("zigbee2mqtt", "cover", {"state": "stop"}, [(Z2M, j(state="STOP"))]),
    ("zigbee2mqtt", "cover", {"position": 40}, [(Z2M, j(position=40))]),
    ("zigbee2mqtt", "climate", {"temperature": 21.5}, [(Z2M, j(current_heating_setpoint=21.5))]),
    ("zigbee2mqtt", "climate", {"mode": "cool"}, [(Z2M, j(system_mode="cool"))]),
    (
        "zigbee2mqtt",
        "climate",
        {"mode": "heat", "temperature": 19.0},
        [(Z2M, j(system_mode="heat", current_heating_setpoint=19.0))],
    ),
    ("zigbee2mqtt", "lock", {"state": "locked"}, [(Z2M, j(state="LOCK"))]),
    ("zigbee2mqtt", "lock", {"state": "unlocked"}, [(Z2M, j(state="UNLOCK"))]),
    ("zigbee2mqtt", "media_player", {"state": "play"}, [(Z2M, j(state="PLAY"))]),
    ("zigbee2mqtt", "media_player", {"state": "off"}, [(Z2M, j(state="OFF"))]),
    ("zigbee2mqtt", "media_player", {"volume": 30}, [(Z2M, j(volume=30))]),
    ("zigbee2mqtt", "scene", {"activate": True}, [(Z2M, j(scene_recall=3))]),
    # Tasmota: one text message per field on cmnd/<topic>/<Command>, in the command's order
    ("tasmota", "light", {"state": "on"}, [("cmnd/dev/POWER", "ON")]),
    ("tasmota", "light", {"state": "off"}, [("cmnd/dev/POWER", "OFF")]),
    ("tasmota", "light", {"brightness": 50}, [("cmnd/dev/Dimmer", "50")]),
    ("tasmota", "light", {"color": "red"}, [("cmnd/dev/Color", "#FF0000")]),
    ("tasmota", "light", {"color": "warm white"}, [("cmnd/dev/Color", "#FFD6AA")]),
    ("tasmota", "light", {"color_temp": 300}, [("cmnd/dev/CT", "300")]),
    ("tasmota", "light", {"color_temp": 150}, [("cmnd/dev/CT", "153")]),
    (
        "tasmota",
        "light",
        {"state": "on", "brightness": 20},
        [("cmnd/dev/POWER", "ON"), ("cmnd/dev/Dimmer", "20")],
    ),
    ("tasmota", "switch", {"state": "on"}, [("cmnd/dev/POWER", "ON")]),
    ("tasmota", "switch", {"state": "off"}, [("cmnd/dev/POWER", "OFF")]),
    ("tasmota", "fan", {"state": "on"}, [("cmnd/dev/POWER", "ON")]),
    ("tasmota", "fan", {"percentage": 0}, [("cmnd/dev/FanSpeed", "0")]),
    ("tasmota", "fan", {"percentage": 33}, [("cmnd/dev/FanSpeed", "1")]),
    ("tasmota", "fan", {"percentage": 50}, [("cmnd/dev/FanSpeed", "2")]),
    ("tasmota", "fan", {"percentage": 100}, [("cmnd/dev/FanSpeed", "3")]),
    ("tasmota", "cover", {"state": "open"}, [("cmnd/dev/ShutterOpen1", "")]),
    ("tasmota", "cover", {"state": "close"}, [("cmnd/dev/ShutterClose1", "")]),
    ("tasmota", "cover", {"state": "stop"}, [("cmnd/dev/ShutterStop1", "")]),
    ("tasmota", "cover", {"position": 40}, [("cmnd/dev/ShutterPosition1", "40")]),
    ("tasmota", "climate", {"temperature": 21.5}, [("cmnd/dev/TempTargetSet1", "21.5")]),
    ("tasmota", "climate", {"mode": "off"}, [("cmnd/dev/ThermostatModeSet1", "0")]),
    ("tasmota", "climate", {"mode": "auto"}, [("cmnd/dev/ThermostatModeSet1", "1")]),
    (
        "tasmota",
        "climate",
        {"mode": "heat"},
        [("cmnd/dev/ThermostatModeSet1", "1"), ("cmnd/dev/ClimateModeSet1", "0")],
    ),
    (
        "tasmota",
        "climate",
        {"mode": "cool"},
        [("cmnd/dev/ThermostatModeSet1", "1"), ("cmnd/dev/ClimateModeSet1", "1")],
    ),
    ("tasmota", "lock", {"state": "locked"}, [("cmnd/dev/POWER", "OFF")]),
    ("tasmota", "lock", {"state": "unlocked"}, [("cmnd/dev/POWER", "ON")]),
    ("tasmota", "media_player", {"state": "on"}, [("cmnd/dev/POWER", "ON")]),
    ("tasmota", "media_player", {"state": "off"}, [("cmnd/dev/POWER", "OFF")]),
    ("tasmota", "media_player", {"state": "play"}, [("cmnd/dev/MP3Play", "")]),
    ("tasmota", "media_player", {"state": "pause"}, [("cmnd/dev/MP3Pause", "")]),
    ("tasmota", "media_player", {"volume": 30}, [("cmnd/dev/MP3Volume", "30")]),
    ("tasmota", "scene", {"activate": True}, [("cmnd/dev/Event", "dev")]),
    # Home Assistant: HA's default payloads, one topic per feature
    ("homeassistant", "light", {"state": "on"}, [("ha/dev/set", "ON")]),
    ("homeassistant", "light", {"state": "off"}, [("ha/dev/set", "OFF")]),
    ("homeassistant", "light", {"brightness": 50}, [("ha/dev/brightness/set", "128")]),
    ("homeassistant", "light", {"brightness": 100}, [("ha/dev/brightness/set", "255")]),
    ("homeassistant", "light", {"color": "orange"}, [("ha/dev/rgb/set", "255,165,0")]),
    ("homeassistant", "light", {"color_temp": 300}, [("ha/dev/color_temp/set", "300")]),
    (
        "homeassistant",
        "light",
        {"state": "on", "brightness": 10},
        [("ha/dev/set", "ON"), ("ha/dev/brightness/set", "26")],
    ),
    ("homeassistant", "switch", {"state": "on"}, [("ha/dev/set", "ON")]),
    ("homeassistant", "switch", {"state": "off"}, [("ha/dev/set", "OFF")]),
    ("homeassistant", "fan", {"state": "on"}, [("ha/dev/set", "ON")]),
    ("homeassistant", "fan", {"percentage": 45}, [("ha/dev/percentage/set", "45")]),
    ("homeassistant", "cover", {"state": "open"}, [("ha/dev/set", "OPEN")]),
    ("homeassistant", "cover", {"state": "close"}, [("ha/dev/set", "CLOSE")]),
    ("homeassistant", "cover", {"state": "stop"}, [("ha/dev/set", "STOP")]),
    ("homeassistant", "cover", {"position": 40}, [("ha/dev/position/set", "40")]),
    ("homeassistant", "climate", {"temperature": 21.5}, [("ha/dev/temperature/set", "21.5")]),
    ("homeassistant", "climate", {"mode": "heat"}, [("ha/dev/mode/set", "heat")]),
    ("homeassistant", "lock", {"state": "locked"}, [("ha/dev/set", "LOCK")]),
    ("homeassistant", "lock", {"state": "unlocked"}, [("ha/dev/set", "UNLOCK")]),
    ("homeassistant", "media_player", {"state": "on"}, [("ha/dev/set", "ON")]),
    ("homeassistant", "media_player", {"state": "play"}, [("ha/dev/set", "PLAY")]),
    ("homeassistant", "media_player", {"state": "pause"}, [("ha/dev/set", "PAUSE")]),
    ("homeassistant", "media_player", {"volume": 30}, [("ha/dev/volume/set", "0.3")]),
    ("homeassistant", "scene", {"activate": True}, [("ha/dev/set", "ON")]),
    # template: the abstract command as JSON on command_topic
    (
        "template",
        "light",
        {"state": "on", "brightness": 50},
        [("tpl/dev/set", j(state="on", brightness=50))],
    ),
    (
        "template",
        "light",
        {"color": "red", "color_temp": 300},
        [("tpl/dev/set", j(color="red", color_temp=300))],
    ),
    ("template", "switch", {"state": "off"}, [("tpl/dev/set", j(state="off"))]),
    (
        "template",
        "fan",
        {"state": "on", "percentage": 10},
        [("tpl/dev/set", j(state="on", percentage=10))],
    ),
    (
        "template",
        "cover",
        {"state": "stop", "position": 5},
        [("tpl/dev/set", j(state="stop", position=5))],
    ),
    (
        "template",
        "climate",
        {"temperature": 21.5, "mode": "auto"},
        [("tpl/dev/set", j(temperature=21.5, mode="auto"))],
    ),
    ("template", "lock", {"state": "locked"}, [("tpl/dev/set", j(state="locked"))]),
    (
        "template",
        "media_player",
        {"state": "pause", "volume": 5},
        [("tpl/dev/set", j(state="pause", volume=5))],
    ),
    ("template", "scene", {"activate": True}, [("tpl/dev/set", j(activate=True))]),
]


@pytest.mark.parametrize(
    ("profile", "domain", "command", "expected"),
    COMMANDS,
    ids=[f"{p}-{d}-{'+'.join(f'{k}={v}' for k, v in c.items())}" for p, d, c, _ in COMMANDS],
)
def test_command_topic_and_payload(
    profile: str, domain: str, command: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert sent(profile, domain, command) == expected


@pytest.mark.parametrize("profile", PROFILES)
def test_command_table_covers_every_domain_and_field(profile: str) -> None:
    covered = {(d, f) for p, d, c, _ in COMMANDS if p == profile for f in c}
    wanted = {(d, f) for d, fields in DOMAINS.items() for f in fields}
    assert wanted - covered == set()
    assert P[profile].domains() == set(DOMAINS)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("domain", list(DOMAINS))
def test_commands_go_to_topics_the_device_listens_on(profile: str, domain: str) -> None:
    """The simulator and the latency bench listen on command_topics(): every command lands there."""
    device = make_device(profile, domain)
    listened = set(P[profile].command_topics(device))
    for _, _, command, _ in (c for c in COMMANDS if c[0] == profile and c[1] == domain):
        for message in P[profile].command_messages(device, command):
            assert message.topic in listened


@pytest.mark.parametrize("value", range(0, 101))
def test_brightness_scaling_round_trips_every_percent(value: int) -> None:
    z2m, ha = make_device("zigbee2mqtt", "light"), make_device("homeassistant", "light")
    raw = json.loads(P["zigbee2mqtt"].command_messages(z2m, {"brightness": value})[0].payload)
    assert 0 <= raw["brightness"] <= 254
    back = P["zigbee2mqtt"].parse_state(z2m, "zigbee2mqtt/dev", json.dumps(raw).encode())
    assert back == {"brightness": value}
    ha_raw = P["homeassistant"].command_messages(ha, {"brightness": value})[0].payload
    assert 0 <= int(ha_raw) <= 255
    assert P["homeassistant"].parse_state(ha, "ha/dev/brightness", ha_raw) == {"brightness": value}


def test_brightness_scale_option_of_home_assistant() -> None:
    assert sent("homeassistant", "light", {"brightness": 50}, brightness_scale=100) == [
        ("ha/dev/brightness/set", "50")
    ]


def test_unknown_colour_is_a_clear_profile_error() -> None:
    with pytest.raises(ProfileError, match="chartreuse"):
        sent("tasmota", "light", {"color": "chartreuse"})


def test_derived_topics_can_be_overridden() -> None:
    assert sent(
        "homeassistant",
        "cover",
        {"state": "open", "position": 10},
        command_topic="garage/door/cmd",
        set_position_topic="garage/door/pos",
    ) == [("garage/door/cmd", "OPEN"), ("garage/door/pos", "10")]
    assert sent("homeassistant", "lock", {"state": "locked"}, payload_lock="CLOSE_IT") == [
        ("ha/dev/set", "CLOSE_IT")
    ]


def test_tasmota_full_topic_and_relay_are_honoured() -> None:
    assert sent("tasmota", "switch", {"state": "on"}, full_topic="%topic%/%prefix%/", relay=2) == [
        ("dev/cmnd/POWER2", "ON")
    ]


def test_template_profile_renders_the_users_command_template() -> None:
    template = (
        "{{ 'ON' if state == 'on' else 'OFF' }}"
        "{% if brightness is defined %},{{ brightness }}{% endif %}"
    )
    assert sent(
        "template", "light", {"state": "on", "brightness": 7}, command_template=template
    ) == [("tpl/dev/set", "ON,7")]


def test_refresh_requests() -> None:
    def refresh(profile: str, domain: str) -> list[tuple[str, str]]:
        device = make_device(profile, domain)
        return [(m.topic, m.payload.decode()) for m in P[profile].refresh_messages(device)]

    assert refresh("zigbee2mqtt", "light") == [("zigbee2mqtt/dev/get", j(state=""))]
    assert refresh("tasmota", "switch") == [("cmnd/dev/STATE", "")]
    assert refresh("tasmota", "cover") == [("cmnd/dev/ShutterPosition1", "")]
    assert refresh("homeassistant", "light") == []  # HA MQTT entities have no "get"


# --- state in ---------------------------------------------------------------------------------

STATES: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "zigbee2mqtt",
        "light",
        "zigbee2mqtt/dev",
        j(state="ON", brightness=254),
        {"state": "on", "brightness": 100},
    ),
    (
        "zigbee2mqtt",
        "light",
        "zigbee2mqtt/dev",
        j(state="OFF", brightness=127, linkquality=80),
        {"state": "off", "brightness": 50},
    ),
    (
        "zigbee2mqtt",
        "light",
        "zigbee2mqtt/dev",
        j(color={"x": 0.7006, "y": 0.2993}, color_mode="xy"),
        {"color": "red"},
    ),
    (
        "zigbee2mqtt",
        "light",
        "zigbee2mqtt/dev",
        j(color={"hue": 240, "saturation": 100}),
        {"color": "blue"},
    ),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", j(color_temp=370), {"color_temp": 370}),
    ("zigbee2mqtt", "switch", "zigbee2mqtt/dev", j(state="ON", power=3.2), {"state": "on"}),
    (
        "zigbee2mqtt",
        "fan",
        "zigbee2mqtt/dev",
        j(fan_state="ON", fan_mode="medium"),
        {"state": "on", "percentage": 67},
    ),
    ("zigbee2mqtt", "fan", "zigbee2mqtt/dev", j(fan_state="ON", fan_mode="smart"), {"state": "on"}),
    (
        "zigbee2mqtt",
        "cover",
        "zigbee2mqtt/dev",
        j(state="CLOSE", position=0),
        {"state": "closed", "position": 0},
    ),
    (
        "zigbee2mqtt",
        "cover",
        "zigbee2mqtt/dev",
        j(state="OPEN", position=100),
        {"state": "open", "position": 100},
    ),
    (
        "zigbee2mqtt",
        "climate",
        "zigbee2mqtt/dev",
        j(current_heating_setpoint=21.5, system_mode="heat", local_temperature=19.8),
        {"temperature": 21.5, "mode": "heat", "current_temperature": 19.8},
    ),
    (
        "zigbee2mqtt",
        "lock",
        "zigbee2mqtt/dev",
        j(state="LOCK", lock_state="locked"),
        {"state": "locked"},
    ),
    ("zigbee2mqtt", "lock", "zigbee2mqtt/dev", j(state="UNLOCK"), {"state": "unlocked"}),
    (
        "zigbee2mqtt",
        "media_player",
        "zigbee2mqtt/dev",
        j(state="PAUSE", volume=12),
        {"state": "pause", "volume": 12},
    ),
    ("zigbee2mqtt", "scene", "zigbee2mqtt/dev", j(scene_recall=3), {"activate": True}),
    (
        "zigbee2mqtt",
        "scene",
        "zigbee2mqtt/dev",
        j(state="ON", brightness=200),
        {},
    ),  # the group's own state
    (
        "tasmota",
        "light",
        "stat/dev/RESULT",
        j(POWER="ON", Dimmer=40, Color="FF0000", CT=250),
        {"state": "on", "brightness": 40, "color": "red", "color_temp": 250},
    ),
    (
        "tasmota",
        "light",
        "stat/dev/RESULT",
        j(Color="7F0000"),
        {"color": "red"},
    ),  # scaled by Dimmer
    ("tasmota", "light", "stat/dev/RESULT", j(Color="00968800FF"), {"color": "teal"}),  # RGBCCT
    ("tasmota", "light", "stat/dev/RESULT", j(Fade="ON"), {}),  # a reply to another command
    ("tasmota", "light", "stat/dev/POWER", "OFF", {"state": "off"}),
    (
        "tasmota",
        "light",
        "tele/dev/STATE",
        j(Time="2024-05-01T10:00:00", POWER="ON", Dimmer=10),
        {"state": "on", "brightness": 10},
    ),
    ("tasmota", "switch", "stat/dev/RESULT", j(POWER="ON"), {"state": "on"}),
    (
        "tasmota",
        "fan",
        "stat/dev/RESULT",
        j(POWER="ON", FanSpeed=2),
        {"state": "on", "percentage": 67},
    ),
    (
        "tasmota",
        "cover",
        "stat/dev/RESULT",
        j(Shutter1={"Position": 30, "Direction": 0, "Target": 30}),
        {"state": "open", "position": 30},
    ),
    (
        "tasmota",
        "cover",
        "stat/dev/RESULT",
        j(Shutter1={"Position": 30, "Direction": 1, "Target": 80}),
        {"state": "opening", "position": 30},
    ),
    (
        "tasmota",
        "cover",
        "tele/dev/SENSOR",
        j(Time="t", Shutter1={"Position": 0, "Direction": 0}),
        {"state": "closed", "position": 0},
    ),
    ("tasmota", "climate", "stat/dev/RESULT", j(TempTargetSet1=22.5), {"temperature": 22.5}),
    ("tasmota", "climate", "stat/dev/RESULT", j(ThermostatModeSet1=0), {"mode": "off"}),
    ("tasmota", "climate", "stat/dev/RESULT", j(ThermostatModeSet1=1), {"mode": "auto"}),
    (
        "tasmota",
        "climate",
        "stat/dev/RESULT",
        j(ThermostatModeSet1=1, ClimateModeSet1=1),
        {"mode": "cool"},
    ),
    (
        "tasmota",
        "climate",
        "tele/dev/SENSOR",
        j(DS18B20={"Temperature": 19.2}, TempUnit="C"),
        {"current_temperature": 19.2},
    ),
    ("tasmota", "lock", "stat/dev/RESULT", j(POWER="OFF"), {"state": "locked"}),
    ("tasmota", "lock", "stat/dev/POWER", "ON", {"state": "unlocked"}),
    (
        "tasmota",
        "media_player",
        "stat/dev/RESULT",
        j(POWER="ON", MP3Volume=40),
        {"state": "on", "volume": 40},
    ),
    ("tasmota", "media_player", "stat/dev/RESULT", j(MP3Play="Done"), {"state": "play"}),
    ("tasmota", "scene", "stat/dev/RESULT", j(Event="Done"), {"activate": True}),
    ("homeassistant", "light", "ha/dev/state", "ON", {"state": "on"}),
    ("homeassistant", "light", "ha/dev/brightness", "128", {"brightness": 50}),
    ("homeassistant", "light", "ha/dev/rgb", "255,165,0", {"color": "orange"}),
    ("homeassistant", "light", "ha/dev/color_temp", "153", {"color_temp": 153}),
    ("homeassistant", "switch", "ha/dev/state", "OFF", {"state": "off"}),
    ("homeassistant", "fan", "ha/dev/percentage", "40", {"percentage": 40}),
    ("homeassistant", "cover", "ha/dev/state", "closed", {"state": "closed"}),
    ("homeassistant", "cover", "ha/dev/state", "opening", {"state": "opening"}),
    ("homeassistant", "cover", "ha/dev/position", "60", {"position": 60}),
    ("homeassistant", "climate", "ha/dev/temperature", "21.5", {"temperature": 21.5}),
    ("homeassistant", "climate", "ha/dev/mode", "cool", {"mode": "cool"}),
    (
        "homeassistant",
        "climate",
        "ha/dev/current_temperature",
        "19.5",
        {"current_temperature": 19.5},
    ),
    ("homeassistant", "lock", "ha/dev/state", "LOCKED", {"state": "locked"}),
    ("homeassistant", "lock", "ha/dev/state", "UNLOCKED", {"state": "unlocked"}),
    ("homeassistant", "media_player", "ha/dev/state", "playing", {"state": "play"}),
    ("homeassistant", "media_player", "ha/dev/volume", "0.57", {"volume": 57}),
    ("homeassistant", "scene", "ha/dev/state", "ON", {"activate": True}),
    (
        "template",
        "light",
        "tpl/dev/state",
        j(state="on", brightness=20, extra=1),
        {"state": "on", "brightness": 20},
    ),
    (
        "template",
        "cover",
        "tpl/dev/state",
        j(state="open", position=100),
        {"state": "open", "position": 100},
    ),
    (
        "template",
        "climate",
        "tpl/dev/state",
        j(temperature=20, mode="heat", current_temperature=18.25),
        {"temperature": 20.0, "mode": "heat", "current_temperature": 18.2},
    ),
    (
        "template",
        "media_player",
        "tpl/dev/state",
        j(state="play", volume=3),
        {"state": "play", "volume": 3},
    ),
]


@pytest.mark.parametrize(
    ("profile", "domain", "topic", "payload", "expected"),
    STATES,
    ids=[f"{p}-{d}-{t}-{pl[:30]}" for p, d, t, pl, _ in STATES],
)
def test_state_parses_to_abstract_fields(
    profile: str, domain: str, topic: str, payload: str, expected: dict[str, Any]
) -> None:
    device = make_device(profile, domain)
    assert topic in P[profile].state_topics(device)
    assert P[profile].parse_state(device, topic, payload.encode()) == expected


def test_every_profile_has_state_topics_for_every_domain() -> None:
    for profile in PROFILES:
        for domain in DOMAINS:
            assert P[profile].state_topics(make_device(profile, domain)), (profile, domain)


def test_tasmota_multi_relay_reads_its_own_relay_only() -> None:
    device = make_device("tasmota", "switch", relay=2)
    tasmota = P["tasmota"]
    assert tasmota.state_topics(device)[1] == "stat/dev/POWER2"
    assert tasmota.parse_state(device, "stat/dev/RESULT", b'{"POWER1":"OFF","POWER2":"ON"}') == {
        "state": "on"
    }
    assert tasmota.parse_state(device, "stat/dev/RESULT", b'{"POWER1":"ON"}') == {}


def test_template_profile_state_template_like_home_assistant() -> None:
    device = make_device(
        "template", "switch", state_template='{"state": "{{ value_json.power | lower }}"}'
    )
    assert P["template"].parse_state(device, "tpl/dev/state", b'{"power": "ON"}') == {"state": "on"}
    with pytest.raises(StatePayloadError):
        P["template"].parse_state(device, "tpl/dev/state", b'{"power": "MAYBE"}')


def test_a_topic_that_is_not_the_devices_gives_nothing() -> None:
    device = make_device("zigbee2mqtt", "light")
    assert P["zigbee2mqtt"].parse_state(device, "zigbee2mqtt/other", b'{"state":"ON"}') == {}


def test_empty_payload_is_a_cleared_retained_message() -> None:
    device = make_device("homeassistant", "switch")
    assert P["homeassistant"].parse_state(device, "ha/dev/state", b"") == {}


def test_partly_usable_json_keeps_the_good_fields() -> None:
    device = make_device("zigbee2mqtt", "light")
    payload = b'{"state": "ON", "brightness": 9999, "color_temp": "warm"}'
    assert P["zigbee2mqtt"].parse_state(device, "zigbee2mqtt/dev", payload) == {"state": "on"}


BAD_STATES: list[tuple[str, str, str, bytes, str]] = [
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b"not json", "not JSON"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b"[1,2,3]", "JSON object"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'"ON"', "JSON object"),
    (
        "zigbee2mqtt",
        "light",
        "zigbee2mqtt/dev",
        b'{"state": 42, "brightness": "very"}',
        "brightness",
    ),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"brightness": 9999}', "at most 100"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"brightness": -5}', "at least 0"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"brightness": true}', "number"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"brightness": NaN}', "NaN"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"color": "chartreuse"}', "chartreuse"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"color": {"x": "left"}}', "colour"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b'{"linkquality": 80}', "nothing usable"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b"{" + b"x" * (1024 * 1024), "KiB"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b"[" * 60000, "nested too deeply"),
    ("zigbee2mqtt", "light", "zigbee2mqtt/dev", b"\xff\xfe{}", "UTF-8"),
    ("zigbee2mqtt", "cover", "zigbee2mqtt/dev", b'{"state": "SIDEWAYS"}', "sideways"),
    (
        "zigbee2mqtt",
        "climate",
        "zigbee2mqtt/dev",
        b'{"current_heating_setpoint": 80}',
        "at most 35",
    ),
    (
        "zigbee2mqtt",
        "lock",
        "zigbee2mqtt/dev",
        b'{"lock_state": "not_fully_locked"}',
        "not_fully_locked",
    ),
    ("tasmota", "light", "stat/dev/POWER", b"MAYBE", "MAYBE"),
    ("tasmota", "light", "stat/dev/RESULT", b'{"POWER": 5}', "5"),
    ("tasmota", "light", "stat/dev/RESULT", b'{"Dimmer": "max"}', "max"),
    ("tasmota", "cover", "stat/dev/RESULT", b'{"Shutter1": {"Position": 250}}', "at most 100"),
    ("tasmota", "cover", "stat/dev/RESULT", b'{"Shutter1": {"Position": "half"}}', "half"),
    ("tasmota", "light", "tele/dev/STATE", b'{"Time": "2024-05-01T10:00:00"}', "nothing usable"),
    ("homeassistant", "light", "ha/dev/brightness", b"bright", "bright"),
    ("homeassistant", "light", "ha/dev/brightness", b"300", "at most 100"),
    ("homeassistant", "lock", "ha/dev/state", b"JAMMED", "JAMMED"),
    ("homeassistant", "climate", "ha/dev/mode", b"dry", "dry"),
    ("template", "light", "tpl/dev/state", b"on", "JSON object"),
    ("template", "light", "tpl/dev/state", b'{"brightness": "x"}', "brightness"),
]


@pytest.mark.parametrize(
    ("profile", "domain", "topic", "payload", "why"),
    BAD_STATES,
    ids=[f"{p}-{d}-{i}" for i, (p, d, *_rest) in enumerate(BAD_STATES)],
)
def test_malformed_state_raises_state_payload_error(
    profile: str, domain: str, topic: str, payload: bytes, why: str
) -> None:
    device = make_device(profile, domain)
    with pytest.raises(StatePayloadError) as info:
        P[profile].parse_state(device, topic, payload)
    assert why.lower() in str(info.value).lower()


def test_payload_over_64_kib_is_refused_unread() -> None:
    device = make_device("zigbee2mqtt", "light")
    valid_but_huge = b'{"state": "ON", "pad": "' + b"x" * (64 * 1024) + b'"}'
    with pytest.raises(StatePayloadError, match="64 KiB"):
        P["zigbee2mqtt"].parse_state(device, "zigbee2mqtt/dev", valid_but_huge)
    with pytest.raises(StatePayloadError, match="64 KiB"):
        P["zigbee2mqtt"].parse_command(device, "zigbee2mqtt/dev/set", valid_but_huge)


# --- colours ----------------------------------------------------------------------------------


def test_every_colour_word_survives_every_encoding() -> None:
    for name in COLOR_NAMES:
        assert colors.name_of(colors.hex_of(name, "")) == name
        assert colors.name_of(",".join(map(str, colors.rgb_of(name)))) == name
        assert colors.name_of(colors.xy_of(name)) == name


def test_palette_chromaticities_are_far_apart() -> None:
    xy = [colors.xy_of(n) for n in COLOR_NAMES]
    closest = min(
        (a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2
        for i, a in enumerate(xy)
        for b in xy[i + 1 :]
    )
    assert closest**0.5 > 0.005


# --- config checks ----------------------------------------------------------------------------


def problems_of(profile: str, domain: str, **keys: Any) -> dict[str, str]:
    device = DeviceConfig(id=f"{domain}.dev", profile=profile, **keys)
    return {p.key: p.message for p in P[profile].check_device(device)}


def test_check_device_missing_required_key() -> None:
    found = problems_of("zigbee2mqtt", "light")
    assert "required by profile 'zigbee2mqtt'" in found["friendly_name"]
    assert "required by profile 'tasmota'" in problems_of("tasmota", "switch")["topic"]
    assert "required by profile 'template'" in problems_of("template", "lock")["command_topic"]
    assert "scene_id" in problems_of("zigbee2mqtt", "scene", friendly_name="g")


def test_check_device_unknown_keys() -> None:
    found = problems_of("zigbee2mqtt", "light", friendly_name="k", friendly_nam="k")
    assert "unknown" in found["friendly_nam"]
    wrong_domain = problems_of("tasmota", "light", topic="t", shutter=2)
    assert "unknown" in wrong_domain["shutter"] and "cover" in wrong_domain["shutter"]


def test_check_device_wrong_types() -> None:
    # YAML reads an unquoted Zigbee IEEE address as a hex number
    assert (
        "quotes" in problems_of("zigbee2mqtt", "light", friendly_name=0x00158D0001)["friendly_name"]
    )
    assert (
        "quotes"
        in problems_of("homeassistant", "switch", base_topic="x", payload_on=True)["payload_on"]
    )
    assert "whole number" in problems_of("tasmota", "cover", topic="t", shutter="one")["shutter"]
    assert (
        "wildcards" in problems_of("zigbee2mqtt", "light", friendly_name="hall/#")["friendly_name"]
    )
    assert (
        "invalid template"
        in problems_of("template", "switch", command_topic="a", command_template="{{ x")[
            "command_template"
        ]
    )


def test_check_device_derived_topics_need_a_base() -> None:
    found = problems_of("homeassistant", "switch", command_topic="a/set")
    assert "to derive state_topic" in found["base_topic"]
    assert (
        problems_of("homeassistant", "switch", command_topic="a/set", state_topic="a/state") == {}
    )


def test_check_device_refuses_a_loop_between_command_and_state_topic() -> None:
    found = problems_of("template", "switch", command_topic="x/y", state_topic="x/y")
    assert "both a command and a state topic" in found["state_topic"]


def test_field_names_per_domain() -> None:
    tasmota = P["tasmota"]
    assert "shutter" in tasmota.field_names("cover") and "shutter" not in tasmota.field_names(
        "light"
    )  # type: ignore[attr-defined]
    assert P["zigbee2mqtt"].field_names("light") == ["friendly_name", "base_topic"]  # type: ignore[attr-defined]
    assert "brightness_command_topic" in P["homeassistant"].field_names("light")  # type: ignore[attr-defined]


def test_loader_reports_profile_problems_with_did_you_mean(tmp_path: Path) -> None:
    config = tmp_path / "home.yaml"
    config.write_text(
        "devices:\n  - id: light.porch\n    profile: homeassistant\n    base_topc: home/porch\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(config)
    text = str(info.value)
    assert "base_topc" in text and "did you mean 'base_topic'" in text


# --- profile files ----------------------------------------------------------------------------

MINIMAL = """\
name: {name}
description: a test bridge
fields:
  node: {{required: true, type: topic}}
domains:
  switch:
    command:
      state: {{topic: "bridge/{{{{ node }}}}/cmd", payload: "{{{{ value | upper }}}}"}}
    state:
      - {{topic: "bridge/{{{{ node }}}}/status", fields: {{state: "{{{{ value | lower }}}}"}}}}
    simulate:
      commands:
        - {{topic: "bridge/{{{{ node }}}}/cmd", fields: {{state: "{{{{ value | lower }}}}"}}}}
      publish:
        - {{topic: "bridge/{{{{ node }}}}/status", payload: "{{{{ state | upper }}}}"}}
"""


def test_user_profile_dir_adds_a_profile_without_code(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "bridge.yaml").write_text(MINIMAL.format(name="mybridge"))
    config = tmp_path / "home.yaml"
    config.write_text(
        "profile_dirs: [profiles]\n"
        "devices:\n  - id: switch.pump\n    profile: mybridge\n    node: pump1\n"
    )
    loaded = load_config(config)
    profile = loaded.profiles["mybridge"]
    device = loaded.device("switch.pump")
    messages = profile.command_messages(device, {"state": "on"})
    assert [(m.topic, m.payload) for m in messages] == [("bridge/pump1/cmd", b"ON")]
    assert profile.parse_state(device, "bridge/pump1/status", b"OFF") == {"state": "off"}
    assert {"zigbee2mqtt", "tasmota", "homeassistant", "template"} <= set(loaded.profiles)


def test_user_profile_with_a_builtin_name_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "tasmota.yaml").write_text(MINIMAL.format(name="tasmota"))
    profiles = load_profiles([tmp_path])
    assert profiles["tasmota"].domains() == {"switch"}
    assert builtin_profiles()["tasmota"].domains() == set(DOMAINS)  # the cache is untouched


def test_a_profile_missing_a_field_rule_cannot_send_it(tmp_path: Path) -> None:
    text = MINIMAL.format(name="mini").replace("  switch:", "  light:")
    (tmp_path / "mini.yaml").write_text(text)
    profile: Profile = load_profiles([tmp_path])["mini"]
    device = DeviceConfig(id="light.x", profile="mini", node="n")
    assert profile.command_messages(device, {"state": "on"})[0].topic == "bridge/n/cmd"
    with pytest.raises(ProfileError, match=r"cannot send light\.brightness"):
        profile.command_messages(device, {"brightness": 10})


BROKEN = [
    ("name: x\ndescription: [unclosed\n", "invalid YAML"),
    ("- a list\n", "expected a mapping"),
    (MINIMAL.format(name="x").replace("description: a test bridge\n", ""), "description"),
    (MINIMAL.format(name="x").replace("payload:", "paylod:"), "domains.switch.command.state.0"),
    (
        MINIMAL.format(name="x").replace("{{ value | upper }}", "{{ value | upper"),
        "invalid template",
    ),
    (
        MINIMAL.format(name="x").replace("{{ value | upper }}", "{{ valeu | upper }}"),
        "unknown name 'valeu'",
    ),
    (
        MINIMAL.format(name="x").replace(
            'state: "{{ value | lower }}"}}\n    simulate',
            'brightness: "{{ value }}"}}\n    simulate',
        ),
        "switch has no field 'brightness'",
    ),
    (MINIMAL.format(name="x").replace("  switch:", "  toaster:"), "domains.toaster"),
    (MINIMAL.format(name="Bad Name"), "name"),
    (
        MINIMAL.format(name="x").replace(
            "node: {required: true, type: topic}", "state: {required: true}"
        ),
        "reserved",
    ),
]


@pytest.mark.parametrize(("text", "why"), BROKEN, ids=[w for _, w in BROKEN])
def test_broken_user_profile_names_file_and_key(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(ProfileError) as info:
        load_profiles([tmp_path])
    assert str(path) in str(info.value)
    assert why in str(info.value)


def test_broken_user_profile_is_a_config_problem(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.yaml").write_text(
        MINIMAL.format(name="x").replace("fields:", "feilds:")
    )
    config = tmp_path / "home.yaml"
    config.write_text("profile_dirs: [profiles]\n")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert "bad.yaml" in str(info.value) and "feilds" in str(info.value)


def test_missing_profile_dir_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not found"):
        load_profiles([tmp_path / "nope"])


def test_two_user_files_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL.format(name="twin"))
    (tmp_path / "b.yaml").write_text(MINIMAL.format(name="twin"))
    with pytest.raises(ProfileError, match="already defined"):
        load_profiles([tmp_path])


# --- docs/PROFILES.md stays true ----------------------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "PROFILES.md"
DOC_KEYS = {
    "zigbee2mqtt": {"friendly_name": "example"},
    "tasmota": {"topic": "example"},
    "homeassistant": {"base_topic": "home/example"},
    "template": {"command_topic": "my/example/set", "state_topic": "my/example/state"},
}
DOC_COMMANDS: dict[str, list[dict[str, Any]]] = {
    "light": [{"state": "on"}, {"brightness": 50}, {"color": "red"}, {"color_temp": 300}],
    "switch": [{"state": "off"}],
    "fan": [{"state": "on"}, {"percentage": 50}],
    "cover": [{"state": "open"}, {"state": "close"}, {"state": "stop"}, {"position": 40}],
    "climate": [{"temperature": 21.5}, {"mode": "heat"}, {"mode": "off"}],
    "lock": [{"state": "locked"}, {"state": "unlocked"}],
    "media_player": [{"state": "play"}, {"state": "pause"}, {"volume": 30}],
    "scene": [{"activate": True}],
}


@pytest.mark.parametrize("profile", PROFILES)
def test_docs_command_tables_match_the_profiles(profile: str) -> None:
    text = DOC.read_text()
    for domain, commands in DOC_COMMANDS.items():
        scene = {"scene_id": 3} if (profile, domain) == ("zigbee2mqtt", "scene") else {}
        device = DeviceConfig(id=f"{domain}.example", profile=profile, **DOC_KEYS[profile], **scene)
        for command in commands:
            for m in P[profile].command_messages(device, command):
                payload = f"`{m.payload.decode()}`" if m.payload else "(empty)"
                row = f"| {domain} | `{json.dumps(command)}` | `{m.topic}` | {payload} |"
                assert row in text, row


def test_docs_example_devices_are_valid() -> None:
    blocks = [yaml.safe_load(b.split("```")[0]) for b in DOC.read_text().split("```yaml\n")[1:]]
    devices = [d for b in blocks if isinstance(b, list) for d in b if isinstance(d, dict)]
    assert len(devices) >= 7
    for raw in devices:
        device = DeviceConfig(**raw)
        profile = P.get(device.profile)
        if profile is None:
            continue  # the "writing your own" example
        assert profile.check_device(device) == [], raw


def test_docs_own_profile_example_works(tmp_path: Path) -> None:
    blocks = [b.split("```")[0] for b in DOC.read_text().split("```yaml\n")[1:]]
    (tmp_path / "bridge.yaml").write_text([b for b in blocks if "name: mybridge" in b][-1])
    profile = load_profiles([tmp_path])["mybridge"]
    device = DeviceConfig(id="switch.pump", profile="mybridge", node="pump1")
    assert profile.check_device(device) == []
    assert profile.command_messages(device, {"state": "on"})[0].topic == "bridge/pump1/cmd"
