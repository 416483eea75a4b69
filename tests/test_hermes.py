"""The Snips/Hermes protocol (issue 4): intents out on hermes/intent/<name>, text in on
hermes/nlu/query. The payload helpers alone, then the real daemon against a real Mosquitto.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mqtt_helpers import Mosquitto, Recorder

from homebrain.config.loader import ConfigError, load_config
from homebrain.daemon import Daemon
from homebrain.mqtt.hermes import HermesError, hermes_slots, intent_payload, parse_query
from homebrain.understanding.intent import Intent

ROOT = Path(__file__).resolve().parent.parent


def with_hermes(config: Path, enabled: bool = True, **extra: Any) -> Path:
    data = yaml.safe_load(config.read_text())
    data["hermes"] = {"enabled": enabled}
    data.update(extra)
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    return config


# -- payloads ------------------------------------------------------------------------------------


def test_parse_query() -> None:
    query = parse_query(
        b'{"input": "turn on the kitchen light", "siteId": "kitchen", "sessionId": "s1", "id": "7"}'
    )
    assert (query.text, query.site, query.session_id, query.request_id) == (
        "turn on the kitchen light",
        "kitchen",
        "s1",
        "7",
    )
    assert parse_query(b'{"input": "hi"}').site is None
    assert parse_query(b'{"input": "hi", "siteId": "a/b"}').site is None  # not a topic level


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        b'{"siteId": "kitchen"}',
        b'{"input": 3}',
        b'{"input": "  "}',
        b"\xff",
    ],
)
def test_malformed_queries_are_refused(payload: bytes) -> None:
    with pytest.raises(HermesError):
        parse_query(payload)


def test_slots_in_hermes_shape() -> None:
    text = "set the kitchen light to 30 percent"
    slots = hermes_slots(
        {"name": "kitchen light", "room": "kitchen", "value": 30, "unit": "%", "plural": True},
        text,
    )
    by_name = {s["slotName"]: s for s in slots}
    assert set(by_name) == {"name", "room", "value", "unit"}  # a flag is not a slot
    name = by_name["name"]
    assert name["value"] == {"kind": "Custom", "value": "kitchen light"}
    assert name["rawValue"] == "kitchen light" and name["entity"] == "device"
    assert text[name["range"]["start"] : name["range"]["end"]] == "kitchen light"
    assert by_name["value"]["value"] == {"kind": "Number", "value": 30}
    assert by_name["value"]["range"] == {"start": 25, "end": 27}
    assert "range" not in by_name["unit"]  # "%" was said as "percent"


def test_list_slots_become_one_slot_each() -> None:
    slots = hermes_slots(
        {"name": "reading lamp", "names": ["reading lamp", "tv"], "room": "living_room"},
        "turn off the reading lamp and the tv in the living room",
    )
    assert [(s["slotName"], s["value"]["value"]) for s in slots] == [
        ("name", "reading lamp"),
        ("name", "tv"),
        ("room", "living_room"),
    ]
    assert slots[2]["rawValue"] == "living room"


def test_intent_payload_fields() -> None:
    intent = Intent("turn_on", {"name": "tv"}, 0.87654, "turn on the tv")
    body = intent_payload(intent, "turn on the tv", "living_room", session_id="abc")
    assert set(body) == {"input", "intent", "slots", "siteId", "sessionId", "customData"}
    assert body["intent"] == {"intentName": "turn_on", "confidenceScore": 0.877}
    assert body["siteId"] == "living_room" and body["sessionId"] == "abc"
    assert body["customData"] is None


def test_hermes_setting(tmp_path: Path) -> None:
    path = tmp_path / "home.yaml"
    demo = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    demo.pop("vision")  # its camera folder is relative to configs/
    path.write_text(yaml.safe_dump(demo, sort_keys=False))
    assert load_config(path).config.hermes.enabled is False
    assert load_config(with_hermes(path)).config.hermes.enabled is True
    data = yaml.safe_load(path.read_text())
    data["hermes"] = {"enabeld": True}
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match="did you mean 'enabled'"):
        load_config(path)


# -- the daemon ----------------------------------------------------------------------------------


@pytest.fixture
def hermes_daemon(test_config: Path) -> Iterator[Daemon]:
    d = Daemon(load_config(with_hermes(test_config)))
    d.start()
    assert d.link.wait_connected(10)
    yield d
    d.stop()


def test_every_understood_intent_is_published_for_hermes(
    hermes_daemon: Daemon, recorder: Recorder
) -> None:
    recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
    recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")
    body = json.loads(recorder.wait_for("hermes/intent/turn_on").payload)
    assert body["input"] == "turn on the kitchen light"
    assert body["intent"]["intentName"] == "turn_on"
    assert 0 < body["intent"]["confidenceScore"] <= 1
    assert body["siteId"] == "kitchen"
    assert isinstance(body["sessionId"], str) and body["sessionId"]
    assert body["customData"] is None
    (name,) = [s for s in body["slots"] if s["slotName"] == "name"]
    assert name["value"]["kind"] == "Custom" and name["entity"] == "device"
    assert name["rawValue"] == "kitchen light"
    assert body["input"][name["range"]["start"] : name["range"]["end"]] == "kitchen light"
    # the homebrain topics are published as before
    recorder.wait_for("homebrain/kitchen/intent")


def test_nlu_query_is_text_input(hermes_daemon: Daemon, recorder: Recorder) -> None:
    query = {
        "input": "turn on the counter light",
        "siteId": "kitchen",
        "sessionId": "session-1",
        "id": "request-9",
    }
    recorder.publish("hermes/nlu/query", json.dumps(query))
    cmd = recorder.wait_for("zigbee2mqtt/kitchen_counter/set")
    assert json.loads(cmd.payload)["state"] == "ON"
    assert "counter light" in recorder.wait_for("homebrain/kitchen/response").payload.decode()
    body = json.loads(recorder.wait_for("hermes/intent/turn_on").payload)
    assert (body["sessionId"], body["id"], body["siteId"]) == ("session-1", "request-9", "kitchen")
    assert body["input"] == "turn on the counter light"


def test_nlu_query_without_site_uses_the_default_site(
    hermes_daemon: Daemon, recorder: Recorder
) -> None:
    recorder.publish("hermes/nlu/query", json.dumps({"input": "turn on the light"}))
    recorder.wait_for("cmnd/reading_lamp/POWER")
    response = recorder.wait_for("homebrain/living_room/response")
    assert "reading lamp" in response.payload.decode()


def test_not_recognised_query_is_answered(hermes_daemon: Daemon, recorder: Recorder) -> None:
    recorder.publish(
        "hermes/nlu/query", json.dumps({"input": "what's the weather like", "id": "q2"})
    )
    body = json.loads(recorder.wait_for("hermes/nlu/intentNotRecognized").payload)
    assert body["input"] == "what's the weather like" and body["id"] == "q2"
    assert not recorder.on("hermes/intent/#")


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"{", b'{"siteId": "kitchen"}', b"[]", b"\xff\xfe", b'{"input": 42}'],
    ids=["text", "truncated", "no-input", "array", "binary", "number"],
)
def test_malformed_nlu_query_is_skipped(
    hermes_daemon: Daemon, recorder: Recorder, payload: bytes
) -> None:
    recorder.publish("hermes/nlu/query", payload)
    recorder.publish(
        "hermes/nlu/query", json.dumps({"input": "turn on the coffee machine", "siteId": "kitchen"})
    )
    recorder.wait_for("cmnd/coffee_machine/POWER")
    recorder.wait_for("homebrain/kitchen/response")
    recorder.wait_for("hermes/intent/turn_on")
    assert len(recorder.on("homebrain/+/response")) == 1  # the bad one was not answered
    assert not recorder.on("hermes/nlu/intentNotRecognized")
    assert hermes_daemon.healthy()


def test_hermes_is_off_by_default(test_config: Path, recorder: Recorder) -> None:
    d = Daemon(load_config(test_config))
    d.start()
    try:
        assert d.link.wait_connected(10)
        recorder.publish("hermes/nlu/query", json.dumps({"input": "turn on the coffee machine"}))
        recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
        recorder.wait_for("homebrain/kitchen/intent")
        assert not recorder.on("hermes/intent/#")
        assert not recorder.on("cmnd/coffee_machine/POWER")
    finally:
        d.stop()


def test_hermes_follows_a_reload(test_config: Path, mosquitto: Mosquitto) -> None:
    d = Daemon(load_config(test_config))
    d.start()
    rec = Recorder(mosquitto.host, mosquitto.port)
    try:
        assert d.link.wait_connected(10)
        with_hermes(test_config)
        assert d.reload() is True
        # the new subscription is made by the reload but acknowledged by the broker a moment
        # later: ask again until it is heard (a busy machine can take more than one try)
        query = json.dumps({"input": "turn on the coffee machine"})
        for _ in range(20):
            rec.publish("hermes/nlu/query", query)
            try:
                rec.wait_for("hermes/intent/turn_on", timeout=0.5)
                break
            except TimeoutError:
                continue
        rec.wait_for("hermes/intent/turn_on")
        rec.wait_for("cmnd/coffee_machine/POWER")
    finally:
        rec.close()
        d.stop()
