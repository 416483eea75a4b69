"""A real Mosquitto for tests, started on a free loopback port, and a recording client."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, up: bool, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'up' if up else 'down'} after {timeout}s")


class Mosquitto:
    """One mosquitto process; stop() and start() keep the same port for outage tests."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not Path(binary).exists():
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.binary = binary
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.conf = workdir / f"mosquitto-{self.port}.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "set_tcp_nodelay true\n"
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start mosquitto and wait until it listens; start it again if it exits first.

        On a restart the port can be briefly taken: a client reconnecting to a
        closed loopback port in the ephemeral range can connect to itself (TCP
        simultaneous open), and mosquitto, failing to bind, exits at once. The
        client drops that connection within moments, so a second start binds.
        """
        deadline = time.monotonic() + timeout
        while True:
            self.proc = subprocess.Popen(
                [self.binary, "-c", str(self.conf)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            while self.proc.poll() is None and time.monotonic() < deadline:
                try:
                    with socket.create_connection((self.host, self.port), timeout=0.2):
                        return
                except OSError:
                    time.sleep(0.05)
            if self.proc.poll() is None or time.monotonic() >= deadline:
                break
            time.sleep(0.2)  # it exited: the port was taken; try again
        self.stop()
        raise TimeoutError(f"mosquitto on port {self.port} not up after {timeout}s")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None
        wait_port(self.port, up=False)


@dataclass
class Recorder:
    """A plain paho client that records every message it sees."""

    host: str
    port: int
    topics: tuple[str, ...] = ("#",)
    messages: list[mqtt.MQTTMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.connect(self.host, self.port)
        self.client.loop_start()
        if not self._subscribed.wait(5):
            raise TimeoutError("recorder did not subscribe")

    def _on_connect(self, client: mqtt.Client, *args: object) -> None:
        client.subscribe([(t, 1) for t in self.topics])

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.messages.append(msg)
            self._cond.notify_all()

    def wait_for(self, topic: str, timeout: float = 5.0, predicate=None) -> mqtt.MQTTMessage:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for msg in self.messages:
                    if mqtt.topic_matches_sub(topic, msg.topic) and (
                        predicate is None or predicate(msg)
                    ):
                        return msg
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [m.topic for m in self.messages]
                    raise TimeoutError(f"no message on {topic} within {timeout}s; saw {seen}")
                self._cond.wait(left)

    def on(self, topic: str) -> list[mqtt.MQTTMessage]:
        with self._cond:
            return [m for m in self.messages if mqtt.topic_matches_sub(topic, m.topic)]

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()

    def publish(self, topic: str, payload: str | bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def wait_until(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it holds or ``timeout`` passes (daemon state is threaded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False
