"""`homebrain state` without a daemon: it mirrors (and asks) the devices itself."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT

from homebrain.cli.state import collect_state
from homebrain.config.loader import load_config
from homebrain.simulate.runner import run_simulator


def test_state_straight_from_devices(test_config: Path) -> None:
    loaded = load_config(test_config)
    stop, ready = threading.Event(), threading.Event()
    sim = threading.Thread(target=run_simulator, args=(loaded, stop, ready), daemon=True)
    sim.start()
    try:
        assert ready.wait(10)
        devices, source = collect_state(loaded, timeout=5)
        assert source == "devices"
        assert devices["light.kitchen_ceiling"]["state"]["state"] == "off"
        assert devices["lock.front_door"]["state"]["state"] == "locked"
        assert devices["climate.living_room"]["state"]["temperature"] == 20
    finally:
        stop.set()
        sim.join(5)


def test_simulate_command_serves_devices(test_config: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "homebrain", "simulate", "--config", str(test_config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        loaded = load_config(test_config)
        deadline = time.monotonic() + 20
        devices: dict[str, dict[str, dict[str, object]]] = {}
        while time.monotonic() < deadline:
            devices, _ = collect_state(loaded, timeout=2)
            if devices["cover.garage_door"]["state"]:
                break
        assert devices["cover.garage_door"]["state"]["state"] == "closed"
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert proc.returncode == 0
    assert "simulating 12 devices" in out
