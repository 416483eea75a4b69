"""Issue 4's fault test: the broker goes away in the middle of a dialogue.

The real daemon (learned model, configs/demo_model.yaml) and a real Mosquitto
that is stopped and started again on the same port:

- between the question and the answer: the daemon reconnects (with its
  backoff), keeps the open question, and the answer sent afterwards completes
  the dialogue: the simulated thermostat gets its command;
- the answer heard during the outage (from the microphone or the prompt: a
  client cannot publish to a broker that is down): the command it completes waits
  in the outbox and reaches the device after the reconnect, or, when it has waited
  longer than ``max_command_age``, is reported as not sent and never fires,
  which matters most for a confirmed unlock.

tests/test_daemon.py covers single commands queued during an outage; these are
the dialogue's side of it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
import yaml
from mqtt_helpers import Mosquitto, wait_port
from mqtt_helpers import wait_until as _wait_until

from homebrain.bench.dialogues import DaemonDialogues
from homebrain.config.loader import load_config
from homebrain.daemon import Daemon
from homebrain.turns import ACTION, ASK


def wait_until(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    """A broker restart takes longer than a command: wait longer by default."""
    return _wait_until(predicate, timeout)


ROOT = Path(__file__).resolve().parent.parent


def model_home(tmp_path: Path, broker: Mosquitto, **mqtt_keys: Any) -> Path:
    """configs/demo_model.yaml pointed at ``broker``, reconnecting quickly."""
    data = yaml.safe_load((ROOT / "configs" / "demo_model.yaml").read_text())
    data["mqtt"] = {
        "embedded": False,
        "host": broker.host,
        "port": broker.port,
        "client_id": f"hb-fault-{tmp_path.name[-12:]}",
        "reconnect_min_delay": 0.2,
        "reconnect_max_delay": 1.0,
        **mqtt_keys,
    }
    path = tmp_path / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_broker_restarts_between_question_and_answer(tmp_path: Path) -> None:
    broker = Mosquitto(tmp_path)
    broker.start()
    driver = DaemonDialogues(load_config(model_home(tmp_path, broker)))
    try:
        driver.start()
        driver.reset()
        asked = driver.say("set the heating", "living_room")
        assert asked.outcome == ASK and asked.response == "To what temperature?"
        assert asked.device_topics == []

        broker.stop()
        assert wait_until(lambda: not driver.daemon.link.connected)
        broker.start()  # same port, no persistence: a fresh broker
        assert driver.daemon.link.wait_connected(10), "the daemon did not reconnect"
        assert driver.wait_online(10), "the daemon did not come back online"
        assert driver.daemon.pipeline.dialogue.pending("living_room") is not None

        answered = driver.say("twenty one degrees", "living_room")
        assert answered.outcome == ACTION, answered.verdict.reason or answered.response
        assert answered.commanded == {"climate.living_room": {"temperature": 21.0}}
        assert driver.entities_on(answered.device_topics) == {"climate.living_room"}
        assert answered.response == "Setting the thermostat to 21 degrees."
        # the simulated thermostat took it and said so: the mirror follows
        assert wait_until(
            lambda: driver.daemon.mirror.get("climate.living_room").get("temperature") == 21.0
        )
        assert driver.daemon.pipeline.dialogue.pending("living_room") is None
    finally:
        driver.stop()
        broker.stop()


# -- the answer heard while the broker is down ----------------------------------------------------


class Persistent:
    """A client whose session the broker keeps (persistence on): messages published while it
    was not connected yet are delivered when it is, so none is missed across the restart."""

    def __init__(self, broker: Mosquitto, name: str) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=name,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        subscribed = threading.Event()
        self.client.on_message = lambda c, u, m: self.messages.append((m.topic, bytes(m.payload)))
        self.client.on_subscribe = lambda *args: subscribed.set()
        self.client.reconnect_delay_set(min_delay=1, max_delay=1)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.client.subscribe("#", qos=1)
        if not subscribed.wait(5):
            raise TimeoutError("the watching client did not subscribe")

    def on(self, topic: str) -> list[bytes]:
        return [p for t, p in list(self.messages) if t == topic]

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def persistent_broker(tmp_path: Path) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path)
    # Mosquitto started as root writes its database as user mosquitto, which cannot reach
    # into pytest's private tmp_path: a folder of its own under the system's temp folder
    store = Path(tempfile.mkdtemp(prefix="homebrain-mosquitto-"))
    store.chmod(0o777)
    broker.conf.write_text(
        broker.conf.read_text().replace(
            "persistence false", f"persistence true\npersistence_location {store}/"
        )
    )
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
        shutil.rmtree(store, ignore_errors=True)


def run_daemon(config: Path) -> Daemon:
    daemon = Daemon(load_config(config))
    daemon.start()
    assert daemon.link.wait_connected(10)
    return daemon


def test_an_answer_during_the_outage_is_sent_after_the_reconnect(
    tmp_path: Path, persistent_broker: Mosquitto
) -> None:
    broker = persistent_broker
    daemon = run_daemon(model_home(tmp_path, broker))
    watch = Persistent(broker, f"hb-watch-{tmp_path.name[-12:]}")
    try:
        asked = daemon.handle_payload("living_room", b"dim the reading lamp")
        assert asked.outcome == ASK
        broker.stop()
        assert wait_until(lambda: not daemon.link.connected)
        answered = daemon.handle_payload("living_room", b"thirty percent")  # from the microphone
        assert answered.outcome == ACTION
        assert [c.entity_id for c in answered.commands] == ["light.reading_lamp"]
        assert len(daemon.link.outbox) > 0  # waiting for the broker
        broker.start()
        assert wait_until(lambda: watch.on("cmnd/reading_lamp/Dimmer"))
        assert watch.on("cmnd/reading_lamp/Dimmer") == [b"30"]
        # (the question's own response, published before the outage, may come in first)
        done = "Setting the reading lamp to 30 percent."
        assert wait_until(lambda: done.encode() in watch.on("homebrain/living_room/response"))
        said = [p.decode() for p in watch.on("homebrain/living_room/response")]
        assert said.count(done) == 1  # sent once, after the reconnect
        assert wait_until(lambda: len(daemon.link.outbox) == 0)
        assert wait_until(lambda: daemon.mirror.get("light.reading_lamp").get("brightness") == 30)
    finally:
        watch.close()
        daemon.stop()


def test_a_yes_during_a_long_outage_never_unlocks_late(
    tmp_path: Path, persistent_broker: Mosquitto
) -> None:
    broker = persistent_broker
    daemon = run_daemon(model_home(tmp_path, broker, max_command_age=0.5))
    watch = Persistent(broker, f"hb-watch-{tmp_path.name[-12:]}")
    try:
        asked = daemon.handle_payload("living_room", b"unlock the front door please")
        assert asked.outcome == ASK
        broker.stop()
        assert wait_until(lambda: not daemon.link.connected)
        yes = daemon.handle_payload("living_room", b"yes, go ahead and unlock it")
        assert yes.outcome == ACTION  # decided, but it cannot leave yet
        assert [c.entity_id for c in yes.commands] == ["lock.front_door"]
        time.sleep(1.0)  # longer than max_command_age
        broker.start()
        wait_port(broker.port, up=True)

        def reported() -> list[str]:
            return [
                p.decode()
                for p in watch.on("homebrain/living_room/response")
                if b"couldn't reach" in p.lower()
            ]

        assert wait_until(reported), watch.messages
        assert "front door" in reported()[0].lower()
        time.sleep(0.5)
        assert watch.on("zigbee2mqtt/front_door_lock/set") == []
        assert daemon.mirror.get("lock.front_door").get("state") == "locked"
    finally:
        watch.close()
        daemon.stop()
