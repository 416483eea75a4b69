"""A short-lived MQTT session for the client-side commands: connect, collect, leave."""

from __future__ import annotations

import os
import queue
import threading
from typing import Any

import paho.mqtt.client as mqtt

from homebrain.config.loader import LoadedConfig
from homebrain.mqtt.connection import new_client


class BrokerUnreachable(RuntimeError):
    pass


class Session:
    def __init__(self, loaded: LoadedConfig, role: str, topics: list[str]) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self._subscribed = threading.Event()
        self.client = new_client(loaded, f"{role}-{os.getpid()}")
        self.client.on_message = lambda c, u, m: self.messages.put(m)
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        cfg = loaded.config.mqtt
        self.where = f"{cfg.host}:{cfg.port}"
        try:
            self.client.connect(cfg.host, cfg.port, keepalive=cfg.keepalive)
        except (OSError, ValueError) as exc:
            raise BrokerUnreachable(
                f"cannot reach the MQTT broker at {self.where}: {exc}"
            ) from None
        self.client.loop_start()
        if topics:
            self.client.subscribe([(t, 1) for t in topics])
            if not self._subscribed.wait(5):
                self.close()
                raise BrokerUnreachable(f"the broker at {self.where} did not answer")

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def next(self, timeout: float) -> mqtt.MQTTMessage | None:
        try:
            return self.messages.get(timeout=max(timeout, 0))
        except queue.Empty:
            return None

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
