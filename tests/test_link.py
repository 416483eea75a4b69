"""The MQTT link against a real Mosquitto: what the broker acknowledged is never sent twice.

A message whose acknowledgement the link missed would stay "in flight" and go out again
after the next reconnect: a second copy of an old intent, or of a command.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest
from conftest import write_config
from mqtt_helpers import Mosquitto, Recorder, wait_until

from homebrain.config.loader import load_config
from homebrain.messages import MqttMessage
from homebrain.mqtt.link import MqttLink

MESSAGES = 400


def test_acknowledged_messages_are_not_resent_after_a_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broker = Mosquitto(tmp_path)
    broker.start()
    loaded = load_config(
        write_config(tmp_path, broker, reconnect_min_delay=0.2, reconnect_max_delay=0.5)
    )
    link = MqttLink(loaded, on_message=lambda *a: None, subscriptions=lambda: [])
    recorder: Recorder | None = None
    sent: list[str] = []
    try:
        link.start()
        assert link.wait_connected(10)
        for index in range(MESSAGES):
            topic = f"hbtest/link/{index}"
            link.publish(
                MqttMessage(topic, b"x", qos=1), on_sent=lambda p: sent.append(p.message.topic)
            )
        assert link.wait_outbox_empty(10), f"{len(link.outbox)} message(s) never acknowledged"
        assert wait_until(lambda: len(sent) == MESSAGES)
        assert len(set(sent)) == MESSAGES  # each reported sent exactly once

        with caplog.at_level(logging.WARNING, logger="homebrain.mqtt"):
            broker.stop()
            assert wait_until(lambda: not link.connected)
            broker.start()
            assert link.wait_connected(10)
        assert "0 unacknowledged message(s) will be resent" in caplog.text

        recorder = Recorder(broker.host, broker.port)
        link.publish(MqttMessage("hbtest/link/after", b"x", qos=1))
        assert wait_until(lambda: any(m.topic == "hbtest/link/after" for m in recorder.messages))
        counts = Counter(m.topic for m in recorder.messages if m.topic.startswith("hbtest/link/"))
        assert counts == {"hbtest/link/after": 1}, "acknowledged messages were sent again"
    finally:
        link.stop()
        if recorder is not None:
            recorder.close()
        broker.stop()
