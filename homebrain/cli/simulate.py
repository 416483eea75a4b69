"""`homebrain simulate`: the configured devices, simulated, until Ctrl-C."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from homebrain.cli.common import load_or_report


def simulate(config: Path) -> int:
    loaded = load_or_report(config, with_model=False)  # the home, not the recogniser
    if loaded is None:
        return 2
    from homebrain.simulate.runner import run_simulator

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    cfg = loaded.config.mqtt
    print(
        f"simulating {len(loaded.config.devices)} devices on {cfg.host}:{cfg.port} (Ctrl-C to stop)"
    )
    run_simulator(loaded, stop)
    return 0
