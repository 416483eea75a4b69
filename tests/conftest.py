from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from mqtt_helpers import Mosquitto, Recorder  # noqa: E402

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
