"""Run the simulated devices against a broker until told to stop.

Used by `homebrain simulate` and by the demo daemon (simulate: true). After
every (re)connect it subscribes again and republishes every device's current
state retained, because a restarted broker without persistence forgets both.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import paho.mqtt.client as mqtt

from homebrain.config.loader import LoadedConfig
from homebrain.messages import MqttMessage
from homebrain.mqtt.connection import new_client
from homebrain.simulate.simulator import Simulator

log = logging.getLogger("homebrain.simulate")

PUBLISH_WAIT_S = 5.0


def run_simulator(
    loaded: LoadedConfig, stop: threading.Event, ready: threading.Event | None = None
) -> None:
    """Serve every configured device until ``stop`` is set; ``ready`` once state is published."""
    simulator = Simulator(loaded)
    client = new_client(loaded, "simulator")
    first_round: list[mqtt.MQTTMessageInfo] = []
    online = threading.Event()

    def publish(message: MqttMessage) -> mqtt.MQTTMessageInfo:
        return client.publish(
            message.topic, message.payload, qos=message.qos, retain=message.retain
        )

    def on_connect(
        client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            log.warning("simulator: broker refused the connection: %s", reason)
            return
        topics = simulator.command_topics()
        if topics:
            client.subscribe([(topic, 1) for topic in topics])
        else:
            announce()
        log.info("simulator connected; listening on %d topics", len(topics))

    def announce() -> None:
        infos = [publish(message) for message in simulator.snapshot_messages()]
        if not online.is_set():
            first_round.extend(infos)
            online.set()

    def on_subscribe(
        client: mqtt.Client, userdata: Any, mid: int, codes: Any, properties: Any
    ) -> None:
        announce()

    def on_message(client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            for reply in simulator.handle(msg.topic, bytes(msg.payload)):
                publish(reply)
        except Exception:  # a simulated device must never take the loop thread down
            log.exception("simulator failed on a message for %s", msg.topic)

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    cfg = loaded.config.mqtt
    client.connect_async(cfg.host, cfg.port, keepalive=cfg.keepalive)
    client.loop_start()
    try:
        while not stop.is_set() and not online.wait(0.1):
            pass
        for info in first_round:
            _wait_published(info)
        if ready is not None:
            ready.set()
        stop.wait()
    finally:
        client.disconnect()
        client.loop_stop()
        log.info("simulator stopped")


def _wait_published(info: mqtt.MQTTMessageInfo) -> None:
    try:
        info.wait_for_publish(PUBLISH_WAIT_S)
    except (RuntimeError, ValueError) as exc:  # lost connection meanwhile: republished on reconnect
        log.debug("initial state not confirmed: %s", exc)
