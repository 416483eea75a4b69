"""homebrain's one connection to the broker: reconnects with backoff, never drops silently.

Each connection gets a fresh paho client (see outbox.py for why); a
supervisor thread connects, waits for the drop, backs off exponentially with
jitter and tries again. Incoming messages go to one callback; outgoing ones go
through the Outbox.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

from homebrain.config.loader import LoadedConfig
from homebrain.messages import MqttMessage
from homebrain.mqtt.connection import new_client
from homebrain.mqtt.outbox import Outbox, Pending

log = logging.getLogger("homebrain.mqtt")

MessageHandler = Callable[[str, bytes, bool], None]


class MqttLink:
    def __init__(
        self,
        loaded: LoadedConfig,
        on_message: MessageHandler,
        subscriptions: Callable[[], list[str]],
        role: str = "daemon",
        on_connected: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.loaded = loaded
        self.on_message = on_message
        self.subscriptions = subscriptions
        self.role = role
        self.on_connected = on_connected
        self.outbox = Outbox(clock)
        self._clock = clock
        self._stop = threading.Event()
        self._dropped = threading.Event()
        self._connected = threading.Event()
        self._client: mqtt.Client | None = None
        self._client_lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._subscribed: set[str] = set()
        self.connections = 0
        self.status_topic = f"{loaded.config.mqtt.topic_prefix}/status"

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="mqtt-link", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Publish offline, flush what can be flushed, disconnect."""
        self._stop.set()
        client = self._client
        if client is not None and self._connected.is_set():
            info = client.publish(self.status_topic, b"offline", qos=1, retain=True)
            with contextlib.suppress(RuntimeError, ValueError):
                info.wait_for_publish(timeout)
            self.wait_outbox_empty(timeout)
            client.disconnect()
        self._dropped.set()
        if self._thread is not None:
            self._thread.join(timeout)
        left = len(self.outbox)
        if left:
            log.warning("stopped with %d message(s) not sent", left)

    def wait_connected(self, timeout: float | None = None) -> bool:
        return self._connected.wait(timeout)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_outbox_empty(self, timeout: float) -> bool:
        """Wait until every message was acknowledged by the broker (or the link dropped)."""
        deadline = time.monotonic() + timeout
        while len(self.outbox) and time.monotonic() < deadline and self._connected.is_set():
            self._settle()
            time.sleep(0.01)
        self._settle()
        return len(self.outbox) == 0

    # ---- publishing ------------------------------------------------------
    def publish(
        self,
        message: MqttMessage,
        max_age: float | None = None,
        on_failed: Callable[[Pending, str], None] | None = None,
        on_sent: Callable[[Pending], None] | None = None,
        tag: Any = None,
    ) -> None:
        pending = Pending(message, self._clock(), max_age, on_failed, on_sent, tag)
        self.outbox.add(pending)
        if self._connected.is_set():
            self._flush()

    def _flush(self) -> None:
        with self._client_lock:
            client = self._client
            if client is None or not self._connected.is_set():
                return
            ready, expired = self.outbox.take_ready()
            for pending in expired:
                self._fail(pending, "the broker was unreachable for too long")
            for index, pending in enumerate(ready):
                msg = pending.message
                info = client.publish(msg.topic, msg.payload, qos=msg.qos, retain=msg.retain)
                if info.rc != mqtt.MQTT_ERR_SUCCESS:
                    # lost the connection while flushing: keep order, wait for the next one
                    self.outbox.requeue_front(ready[index:])
                    return
                if msg.qos == 0:
                    if pending.on_sent:
                        pending.on_sent(pending)
                    continue
                self.outbox.inflight(info.mid, pending, info.is_published)

    def _fail(self, pending: Pending, reason: str) -> None:
        age = self._clock() - pending.created
        log.warning("not sent after %.1fs (%s): %s", age, reason, pending.message.topic)
        if pending.on_failed is not None:
            try:
                pending.on_failed(pending, reason)
            except Exception:  # a reporting failure must not kill the link
                log.exception("failure callback raised")

    # ---- paho callbacks --------------------------------------------------
    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any = None
    ) -> None:
        if rc.is_failure:
            log.error("broker refused the connection: %s", rc)
            return
        self.connections += 1
        topics = self.subscriptions()
        self._subscribed = set(topics)
        if topics:
            client.subscribe([(t, 1) for t in topics])
        client.publish(
            self.status_topic, b"online", qos=1, retain=True
        ) if self.role == "daemon" else None
        self._connected.set()
        cfg = self.loaded.config.mqtt
        log.info(
            "connected to %s:%d (%d subscription(s), %d queued)",
            cfg.host,
            cfg.port,
            len(topics),
            len(self.outbox),
        )
        if self.on_connected is not None:
            self.on_connected()
        self._flush()

    def resubscribe(self) -> None:
        """After a config reload: follow the new set of state topics."""
        topics = set(self.subscriptions())
        client = self._client
        if client is None or not self._connected.is_set():
            return
        gone, new = self._subscribed - topics, topics - self._subscribed
        if gone:
            client.unsubscribe(sorted(gone))
        if new:
            client.subscribe([(t, 1) for t in sorted(new)])
        self._subscribed = topics

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any = None
    ) -> None:
        self._connected.clear()
        self._dropped.set()

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, rc: Any = None, props: Any = None
    ) -> None:
        pending = self.outbox.acked(mid)
        if pending is not None and pending.on_sent is not None:
            pending.on_sent(pending)

    def _settle(self) -> None:
        """Acknowledgements that arrived before their mid was recorded (see Outbox.inflight).

        Checked where it matters, before a drop requeues what is in flight and while
        waiting for the outbox to empty, not on every acknowledgement: that path stays
        O(1) however many messages are in flight.
        """
        for pending in self.outbox.take_published():
            if pending.on_sent is not None:
                pending.on_sent(pending)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        try:
            self.on_message(msg.topic, bytes(msg.payload), bool(msg.retain))
        except Exception:  # one bad message must never stop the network loop
            log.exception("handling a message on %s failed", msg.topic)

    # ---- supervisor ------------------------------------------------------
    def _new_client(self) -> mqtt.Client:
        client = new_client(self.loaded, self.role)
        if self.role == "daemon":
            client.will_set(self.status_topic, b"offline", qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.on_message = self._on_message
        return client

    def _supervise(self) -> None:
        cfg = self.loaded.config.mqtt
        attempt = 0
        while not self._stop.is_set():
            client = self._new_client()
            self._dropped.clear()
            try:
                client.connect(cfg.host, cfg.port, keepalive=cfg.keepalive)
            except (OSError, ValueError) as exc:
                delay = self._backoff(attempt)
                attempt += 1
                log.warning(
                    "broker %s:%d unreachable (%s); retrying in %.1fs",
                    cfg.host,
                    cfg.port,
                    exc,
                    delay,
                )
                self._expire_while_down()
                self._stop.wait(delay)
                continue
            with self._client_lock:
                self._client = client
            client.loop_start()
            began = self._clock()
            while not self._dropped.wait(0.5):
                if self._stop.is_set():
                    break
            client.loop_stop()
            with self._client_lock:
                self._client = None
                self._connected.clear()
                self._settle()
                requeued = self.outbox.requeue_inflight()
            if self._stop.is_set():
                return
            log.warning("lost the broker; %d unacknowledged message(s) will be resent", requeued)
            attempt = 0 if self._clock() - began > 10 else attempt + 1
            delay = self._backoff(attempt)
            self._expire_while_down()
            self._stop.wait(delay)

    def _backoff(self, attempt: int) -> float:
        cfg = self.loaded.config.mqtt
        delay = min(cfg.reconnect_max_delay, cfg.reconnect_min_delay * (2 ** min(attempt, 16)))
        return delay * random.uniform(0.8, 1.2)

    def _expire_while_down(self) -> None:
        """Log expiries as they happen; they are reported on the response topic on reconnect."""
        for pending in self.outbox.take_expired():
            self._fail(pending, "the broker was unreachable for too long")
