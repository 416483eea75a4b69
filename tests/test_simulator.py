"""Simulated devices: pure round trips through every profile, then against a real Mosquitto."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from mqtt_helpers import Mosquitto, Recorder
from profile_cases import (
    PROFILES,
    ROUND_TRIPS,
    every_device,
    expected_state,
    make_device,
    pure_loaded,
)

from homebrain.config.loader import LoadedConfig, load_config
from homebrain.config.schema import DeviceConfig
from homebrain.domains import DOMAINS
from homebrain.simulate.runner import run_simulator
from homebrain.simulate.simulator import INITIAL_STATES, Simulator


def parsed(loaded: LoadedConfig, device: DeviceConfig, messages: Any) -> dict[str, Any]:
    """What a state mirror would make of the messages, in order."""
    profile = loaded.profiles[device.profile]
    state: dict[str, Any] = {}
    for message in messages:
        state.update(profile.parse_state(device, message.topic, message.payload))
    return state


def send(
    loaded: LoadedConfig, sim: Simulator, device: DeviceConfig, command: dict[str, Any]
) -> list[Any]:
    replies = []
    for message in loaded.profiles[device.profile].command_messages(device, command):
        replies.extend(sim.handle(message.topic, message.payload))
    return replies


# --- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("domain", list(DOMAINS))
def test_round_trip_command_to_simulated_device_and_back(profile: str, domain: str) -> None:
    device = make_device(profile, domain)
    loaded = pure_loaded([device])
    sim = Simulator(loaded)
    for command in ROUND_TRIPS[domain]:
        replies = send(loaded, sim, device, command)
        assert replies and all(m.retain and m.qos == 1 for m in replies), command
        got = parsed(loaded, device, replies)
        want = expected_state(profile, domain, command)
        assert {k: got.get(k) for k in want} == want, (command, got)
        assert {k: sim.state(device.id).get(k) for k in want if k != "state"} == {
            k: v for k, v in want.items() if k != "state"
        }


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("domain", list(DOMAINS))
def test_initial_state_is_published_in_the_profiles_format(profile: str, domain: str) -> None:
    device = make_device(profile, domain)
    loaded = pure_loaded([device])
    messages = Simulator(loaded).initial_messages()
    assert all(m.retain for m in messages)
    assert parsed(loaded, device, messages) == INITIAL_STATES[domain]


def test_initial_states_are_sensible() -> None:
    assert INITIAL_STATES["light"]["state"] == "off"
    assert INITIAL_STATES["cover"] == {"state": "closed", "position": 0}
    assert INITIAL_STATES["climate"] == {
        "temperature": 20.0,
        "mode": "heat",
        "current_temperature": 19.5,
    }
    assert INITIAL_STATES["lock"] == {"state": "locked"}
    assert set(INITIAL_STATES) == set(DOMAINS)


def test_device_behaviour() -> None:
    light = make_device("zigbee2mqtt", "light", "lamp")
    cover, fan = make_device("zigbee2mqtt", "cover"), make_device("zigbee2mqtt", "fan")
    loaded = pure_loaded([light, cover, fan])
    sim = Simulator(loaded)
    send(loaded, sim, light, {"brightness": 30})
    assert sim.state("light.lamp")["state"] == "on"  # dimming up turns a light on
    send(loaded, sim, light, {"brightness": 0})
    assert sim.state("light.lamp")["state"] == "off"
    send(loaded, sim, light, {"state": "on"})
    assert sim.state("light.lamp")["brightness"] == 100  # "on" from 0 is not a dark "on"
    send(loaded, sim, cover, {"state": "open"})
    assert sim.state("cover.dev") == {"state": "open", "position": 100}
    send(loaded, sim, cover, {"position": 0})
    assert sim.state("cover.dev")["state"] == "closed"
    send(loaded, sim, fan, {"percentage": 90})
    assert sim.state("fan.dev") == {"state": "on", "percentage": 100}  # fan_mode high


def test_state_query_republishes_without_change() -> None:
    device = make_device("tasmota", "switch")
    loaded = pure_loaded([device])
    sim = Simulator(loaded)
    replies = sim.handle("cmnd/dev/STATE", b"")
    assert parsed(loaded, device, replies) == {"state": "off"}
    replies = sim.handle("cmnd/dev/POWER", b"")  # Tasmota: a command without payload asks
    assert parsed(loaded, device, replies) == {"state": "off"}
    z2m = make_device("zigbee2mqtt", "light", "bulb")
    loaded = pure_loaded([z2m])
    assert Simulator(loaded).handle("zigbee2mqtt/bulb/get", b'{"state": ""}')


@pytest.mark.parametrize(
    ("topic", "payload"),
    [
        ("zigbee2mqtt/dev/set", b"not json"),
        ("zigbee2mqtt/dev/set", b'{"state": "SIDEWAYS"}'),
        ("zigbee2mqtt/dev/set", b'{"brightness": 9999}'),
        ("zigbee2mqtt/dev/set", b"{" * 100_000),
        ("zigbee2mqtt/dev/set", b"\xff\xfe"),
        ("zigbee2mqtt/dev/set", b"[]"),
        ("zigbee2mqtt/nobody/set", b'{"state": "ON"}'),
    ],
)
def test_malformed_commands_are_ignored(
    topic: str, payload: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    device = make_device("zigbee2mqtt", "light")
    sim = Simulator(pure_loaded([device]))
    before = sim.state("light.dev")
    assert sim.handle(topic, payload) == []
    assert sim.state("light.dev") == before
    if topic.startswith("zigbee2mqtt/dev"):
        assert "ignored a malformed command" in caplog.text


def test_command_topics_cover_every_device() -> None:
    devices = every_device()
    loaded = pure_loaded(devices)
    topics = set(Simulator(loaded).command_topics())
    for device in devices:
        assert set(loaded.profiles[device.profile].command_topics(device)) <= topics


def test_template_device_with_custom_templates_both_ways() -> None:
    device = make_device(
        "template",
        "switch",
        command_template="{{ 'power=1' if state == 'on' else 'power=0' }}",
        command_value_template="{\"state\": \"{{ 'on' if value == 'power=1' else 'off' }}\"}",
        state_payload_template="{{ state | upper }}",
        state_template='{"state": "{{ value | lower }}"}',
    )
    loaded = pure_loaded([device])
    sim = Simulator(loaded)
    replies = send(loaded, sim, device, {"state": "on"})
    assert [(m.topic, m.payload) for m in replies] == [("tpl/dev/state", b"ON")]
    assert parsed(loaded, device, replies) == {"state": "on"}


def test_activity_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    device = make_device("homeassistant", "lock")
    loaded = pure_loaded([device])
    with caplog.at_level("INFO", logger="homebrain.simulate"):
        send(loaded, Simulator(loaded), device, {"state": "unlocked"})
    assert "lock.dev received {'state': 'unlocked'}" in caplog.text
    assert "now {'state': 'unlocked'}" in caplog.text


# --- against Mosquitto ------------------------------------------------------------------------


@contextmanager
def simulator_running(loaded: LoadedConfig) -> Iterator[None]:
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=run_simulator, args=(loaded, stop, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(10), "simulator did not come up"
        yield
    finally:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


def no_delay(recorder: Recorder) -> Recorder:
    """paho leaves Nagle on: each QoS 1 publish would then wait ~40 ms for a delayed ACK."""
    recorder.client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return recorder


def pointed_at(loaded: LoadedConfig, broker: Mosquitto) -> LoadedConfig:
    loaded.config.mqtt = loaded.config.mqtt.model_copy(
        update={"host": broker.host, "port": broker.port, "embedded": False}
    )
    return loaded


def wait_state(
    recorder: Recorder,
    loaded: LoadedConfig,
    device: DeviceConfig,
    want: dict[str, Any],
    timeout: float = 5.0,
) -> dict[str, Any]:
    """Merge the device's state messages seen so far until they show ``want``."""
    profile = loaded.profiles[device.profile]
    topics = set(profile.state_topics(device))
    deadline = time.monotonic() + timeout
    while True:
        got: dict[str, Any] = {}
        for message in recorder.on("#"):
            if message.topic in topics:
                got.update(profile.parse_state(device, message.topic, message.payload))
        if {k: got.get(k) for k in want} == want:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"{device.id}: wanted {want}, state messages say {got}")
        time.sleep(0.002)


def drive_every_command(
    recorder: Recorder, loaded: LoadedConfig, devices: list[DeviceConfig]
) -> None:
    """Round i sends every device its i-th command (through its profile), then checks them all."""
    no_delay(recorder)
    rounds = max(len(ROUND_TRIPS[d.domain]) for d in devices)
    for i in range(rounds):
        recorder.clear()
        due = [(d, ROUND_TRIPS[d.domain][i]) for d in devices if i < len(ROUND_TRIPS[d.domain])]
        for device, command in due:
            for message in loaded.profiles[device.profile].command_messages(device, command):
                recorder.publish(message.topic, message.payload)
        for device, command in due:
            wait_state(
                recorder, loaded, device, expected_state(device.profile, device.domain, command)
            )


def test_demo_devices_against_mosquitto(
    demo_config_path: Path, mosquitto: Mosquitto, recorder: Recorder
) -> None:
    loaded = pointed_at(load_config(demo_config_path), mosquitto)
    with simulator_running(loaded):
        for device in loaded.config.devices:  # initial state, retained, in each ecosystem's format
            wait_state(recorder, loaded, device, INITIAL_STATES[device.domain])
        drive_every_command(recorder, loaded, loaded.config.devices)


def test_every_profile_and_domain_against_mosquitto(
    tmp_path: Path, demo_config_path: Path, mosquitto: Mosquitto, recorder: Recorder
) -> None:
    data = yaml.safe_load(demo_config_path.read_text())
    data.pop("vision")  # its camera folder is relative to configs/
    extra = every_device("it")
    data["devices"] += [{"id": d.id, "profile": d.profile, **d.profile_fields} for d in extra]
    data["mqtt"] = {"host": mosquitto.host, "port": mosquitto.port, "client_id": "hb-sim-test"}
    path = tmp_path / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    loaded = load_config(path)
    devices = [loaded.device(d.id) for d in extra]
    with simulator_running(loaded):
        drive_every_command(recorder, loaded, devices)
        # a newcomer gets every device's last state from the retained messages alone
        late = Recorder(mosquitto.host, mosquitto.port)
        try:
            for device in devices:
                final = expected_state(
                    device.profile, device.domain, ROUND_TRIPS[device.domain][-1]
                )
                wait_state(late, loaded, device, final)
            assert all(m.retain for m in late.on("#"))
        finally:
            late.close()


def test_simulator_survives_a_broker_restart(
    test_config: Path, mosquitto: Mosquitto, recorder: Recorder
) -> None:
    loaded = load_config(test_config)
    device = loaded.device("switch.coffee_machine")
    profile = loaded.profiles[device.profile]
    with simulator_running(loaded):
        recorder.publish("cmnd/coffee_machine/POWER", b"ON")
        wait_state(recorder, loaded, device, {"state": "on"})
        recorder.close()
        mosquitto.stop()
        mosquitto.start()  # no persistence: retained state and subscriptions are gone
        fresh = no_delay(Recorder(mosquitto.host, mosquitto.port))
        try:
            # it republished its current state after reconnecting...
            wait_state(fresh, loaded, device, {"state": "on"}, timeout=15)
            fresh.clear()
            # ...and listens again
            for message in profile.command_messages(device, {"state": "off"}):
                fresh.publish(message.topic, message.payload)
            wait_state(fresh, loaded, device, {"state": "off"})
        finally:
            fresh.close()
