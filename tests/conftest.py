from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mqtt_helpers import Mosquitto, Recorder, wait_until

from homebrain.config.loader import load_config
from homebrain.daemon import Daemon

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    broker = Mosquitto(tmp_path)
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def recorder(mosquitto: Mosquitto) -> Iterator[Recorder]:
    rec = Recorder(mosquitto.host, mosquitto.port)
    yield rec
    rec.close()


@pytest.fixture
def demo_config_path() -> Path:
    return ROOT / "configs" / "demo.yaml"


def write_config(tmp_path: Path, broker: Mosquitto | None, **mqtt: object) -> Path:
    """The demo home pointed at a test broker (and with any mqtt keys overridden)."""
    import yaml

    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data.pop("vision", None)  # the cameras have their own tests (test_vision_daemon.py)
    data["mqtt"] = {"embedded": False, "client_id": f"hb-test-{tmp_path.name[-12:]}"}
    if broker is not None:
        data["mqtt"].update(host=broker.host, port=broker.port)
    data["mqtt"].update(mqtt)
    path = tmp_path / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture
def test_config(tmp_path: Path, mosquitto: Mosquitto) -> Path:
    return write_config(tmp_path, mosquitto, reconnect_min_delay=0.2, reconnect_max_delay=1.0)


@pytest.fixture
def daemon(test_config: Path) -> Iterator[Daemon]:
    """The real daemon on the test broker, connected, stopped afterwards."""
    d = Daemon(load_config(test_config))
    d.start()
    assert d.link.wait_connected(10)
    yield d
    d.stop()


@contextmanager
def daemon_in_outage(tmp_path: Path, **mqtt: object) -> Iterator[tuple[Daemon, Mosquitto]]:
    """A connected daemon whose broker has just gone down (quick reconnects); both stopped
    afterwards. The test takes commands during the outage, then starts the broker again."""
    broker = Mosquitto(tmp_path)
    broker.start()
    config = write_config(
        tmp_path, broker, reconnect_min_delay=0.2, reconnect_max_delay=0.5, **mqtt
    )
    d = Daemon(load_config(config))
    d.start()
    try:
        assert d.link.wait_connected(10)
        broker.stop()
        assert wait_until(lambda: not d.link.connected)
        yield d, broker
    finally:
        d.stop()
        broker.stop()
