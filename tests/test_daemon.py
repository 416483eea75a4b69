"""The daemon end to end against a real Mosquitto, simulated devices included."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import daemon_in_outage
from mqtt_helpers import Recorder, wait_until

from homebrain.config.loader import load_config
from homebrain.daemon import Daemon
from homebrain.turns import ACTION, REJECTED


def test_text_topic_to_device_and_back(daemon: Daemon, recorder: Recorder) -> None:
    recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
    cmd = recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")
    assert json.loads(cmd.payload)["state"] == "ON"
    response = recorder.wait_for("homebrain/kitchen/response")
    assert "kitchen" in response.payload.decode().lower()
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["targets"] == ["light.kitchen_ceiling"]
    assert intent["outcome"] == ACTION
    # the simulated device answered in Zigbee2MQTT's own format and the mirror followed
    assert wait_until(lambda: daemon.mirror.get("light.kitchen_ceiling").get("state") == "on")

    def light_on(m: object) -> bool:
        devices = json.loads(m.payload)["devices"]  # type: ignore[attr-defined]
        return bool(devices["light.kitchen_ceiling"]["state"].get("state") == "on")

    recorder.wait_for("homebrain/state", predicate=light_on)
    # the snapshot is retained: a client that comes later is handed it at once
    late = Recorder(recorder.host, recorder.port, topics=("homebrain/state",))
    try:
        late.wait_for("homebrain/state", predicate=lambda m: m.retain and light_on(m))
    finally:
        late.close()


def test_status_online_then_offline(test_config: Path, recorder: Recorder) -> None:
    d = Daemon(load_config(test_config))
    d.start()
    assert d.link.wait_connected(10)
    recorder.wait_for("homebrain/status", predicate=lambda m: m.payload == b"online")
    d.stop()
    recorder.wait_for("homebrain/status", predicate=lambda m: m.payload == b"offline")


@pytest.mark.parametrize(
    "payload",
    [b"", b"x" * 10_000, bytes(range(256)), "💡🔥🚪".encode(), b"\xff\xfe\x00", b"<b>on</b>" * 50],
    ids=["empty", "10k", "binary", "emoji", "bad-utf8", "markup"],
)
def test_bad_text_payloads_answer_and_send_nothing(
    daemon: Daemon, recorder: Recorder, payload: bytes
) -> None:
    recorder.publish("homebrain/kitchen/text", payload)
    response = recorder.wait_for("homebrain/kitchen/response")
    assert response.payload  # a clear spoken answer, never silence
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["commands"] == []
    assert intent["outcome"] in (REJECTED, "unknown")
    # and the daemon is still working afterwards
    recorder.clear()
    recorder.publish("homebrain/kitchen/text", "turn off the kitchen light")
    recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b'{"state": 42, "brightness": "very"}',
        b"[1,2,3]",
        b"{" + b"x" * (1024 * 1024),
        b'{"brightness": 9999}',
    ],
    ids=["not-json", "wrong-types", "array", "1MB", "out-of-range"],
)
def test_malformed_state_is_skipped_and_last_good_kept(
    daemon: Daemon, recorder: Recorder, payload: bytes
) -> None:
    recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
    assert wait_until(lambda: daemon.mirror.get("light.kitchen_ceiling").get("state") == "on")
    recorder.publish("zigbee2mqtt/kitchen_ceiling", payload)
    recorder.publish("homebrain/kitchen/text", "turn on the counter light")
    assert wait_until(lambda: daemon.mirror.get("light.kitchen_counter").get("state") == "on")
    assert daemon.mirror.get("light.kitchen_ceiling").get("state") == "on"
    assert daemon.healthy()


def test_outage_commands_sent_after_reconnect(tmp_path: Path) -> None:
    with daemon_in_outage(tmp_path) as (d, broker):
        # commands taken while the broker is down (e.g. from the prompt or a microphone)
        for text in ("turn on the kitchen light", "open the blinds", "turn on the bedroom fan"):
            assert d.handle_payload("kitchen", text.encode()).outcome == ACTION
        broker.start()
        recorder = Recorder(broker.host, broker.port)
        try:
            recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set", timeout=10)
            recorder.wait_for("zigbee2mqtt/living_room_blinds/set", timeout=10)
            recorder.wait_for("cmnd/bedroom_fan/POWER", timeout=10)
        finally:
            recorder.close()
        assert wait_until(lambda: len(d.link.outbox) == 0)


def test_outage_too_old_commands_are_reported_not_sent(tmp_path: Path) -> None:
    with daemon_in_outage(tmp_path, max_command_age=0.5) as (d, broker):
        d.handle_payload("kitchen", b"turn on the kitchen light")
        time.sleep(1.0)
        broker.start()
        recorder = Recorder(
            broker.host, broker.port, topics=("homebrain/kitchen/response", "zigbee2mqtt/#")
        )
        try:
            failed = recorder.wait_for(
                "homebrain/kitchen/response",
                timeout=10,
                predicate=lambda m: b"couldn't reach" in m.payload.lower(),
            )
            text = failed.payload.decode().lower()
            assert "kitchen light" in text and "too long" in text
            time.sleep(0.5)
            assert recorder.on("zigbee2mqtt/kitchen_ceiling/set") == []
        finally:
            recorder.close()


def test_reload_keeps_old_config_when_new_one_is_bad(
    daemon: Daemon, recorder: Recorder, test_config: Path
) -> None:
    good = test_config.read_text()
    test_config.write_text(good + "\nbogus_key: 1\n")
    assert daemon.reload() is False
    recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
    recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")
    # a good change is taken: rename the kitchen light
    test_config.write_text(good.replace("name: Kitchen light", "name: Big light"))
    assert daemon.reload() is True
    recorder.clear()
    recorder.publish("homebrain/kitchen/text", "turn off the big light")
    assert (
        json.loads(recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set").payload)["state"] == "OFF"
    )
