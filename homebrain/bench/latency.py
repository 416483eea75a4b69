"""`homebrain bench`: text → device command latency through a real broker.

A full daemon (no simulator, no prompt) runs in this process against the
broker; a separate client publishes each sentence on homebrain/<site>/text and
times until the device's command message reaches it, so the figure includes
both broker hops, the worker queue, understanding and the profile.
"""

from __future__ import annotations

import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from rich.console import Console
from rich.progress import Progress

from homebrain.cli.common import load_or_report
from homebrain.config.loader import LoadedConfig
from homebrain.daemon import Daemon
from homebrain.home import Home
from homebrain.mqtt.connection import no_delay
from homebrain.mqtt.topics import Topics

# Sentences that must each command exactly one non-sensitive device in a home
# whose entity names are used; generated per home from its own names.
TEMPLATES = {
    "light": ["turn on the {name}", "turn off the {name}", "set the {name} to {pct} percent"],
    "switch": ["turn on the {name}", "turn off the {name}"],
    "fan": ["turn on the {name}", "set the {name} to {pct} percent"],
    "cover": ["open the {name}", "close the {name}", "set the {name} to {pct} percent"],
    "climate": ["set the {name} to {deg} degrees"],
    "media_player": ["pause the {name}", "set the volume of the {name} to {pct}"],
}


def bench_sentences(loaded: LoadedConfig, count: int) -> list[str]:
    home = Home.from_config(loaded.config)
    pool: list[tuple[str, str]] = []
    for entity in home.entities.values():
        if entity.sensitive:
            continue
        for template in TEMPLATES.get(entity.domain, []):
            pool.append((template, entity.name.lower()))
    if not pool:
        raise ValueError("the config has no non-sensitive device to benchmark with")
    out: list[str] = []
    for i in range(count):
        template, name = pool[i % len(pool)]
        out.append(template.format(name=name, pct=10 + (i * 7) % 80, deg=17 + i % 8))
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_mosquitto() -> tuple[subprocess.Popen[bytes], int, Path]:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="homebrain-bench-"))
    conf = workdir / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "set_tcp_nodelay true\n"
    )
    proc = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port, workdir
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mosquitto did not start")


def measure(loaded: LoadedConfig, count: int, progress: bool = True) -> dict[str, Any]:
    """Run the daemon in-process and time `count` commands end to end."""
    cfg = loaded.config
    topics = Topics(cfg.mqtt.topic_prefix)
    home = Home.from_config(cfg)
    site = home.default_site or "default"
    command_topics: list[str] = []
    for device in cfg.devices:
        for message in _probe_topics(loaded, device.id):
            command_topics.append(message)
    if cfg.vision.cameras:  # the text path alone: bench/vision_camera.py measures the cameras
        cfg.vision = cfg.vision.model_copy(update={"cameras": {}})
    daemon = Daemon(loaded)
    daemon.start()
    if not daemon.link.wait_connected(10):
        daemon.stop()
        raise RuntimeError(f"daemon could not reach the broker at {cfg.mqtt.host}:{cfg.mqtt.port}")
    arrived = threading.Event()
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=f"homebrain-bench-{time.time_ns()}"
    )
    subscribed = threading.Event()
    client.on_message = lambda c, u, m: arrived.set() if not m.retain else None
    client.on_subscribe = lambda *a: subscribed.set()
    client.on_socket_open = no_delay
    client.connect(cfg.mqtt.host, cfg.mqtt.port)
    client.loop_start()
    client.subscribe([(t, 1) for t in sorted(set(command_topics))])
    subscribed.wait(5)
    sentences = bench_sentences(loaded, count)
    latencies: list[float] = []
    internal: list[float] = []
    missed: list[str] = []
    try:
        with Progress(disable=not progress, transient=True) as bar:
            task = bar.add_task("commands", total=count)
            for text in sentences:
                arrived.clear()
                started = time.perf_counter()
                client.publish(topics.text(site), text.encode(), qos=1)
                if arrived.wait(2.0):
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    missed.append(text)
                bar.advance(task)
                time.sleep(0.002)  # let the response/intent publishes drain
            internal = list(daemon.turn_latencies)
    finally:
        client.loop_stop()
        client.disconnect()
        daemon.stop()
    return {
        "commands": count,
        "received": len(latencies),
        "missed": missed[:10],
        "latency_ms": _summary(latencies),
        "pipeline_ms": _summary(internal),
        "broker": f"{cfg.mqtt.host}:{cfg.mqtt.port}",
    }


def _probe_topics(loaded: LoadedConfig, entity_id: str) -> list[str]:
    device = loaded.device(entity_id)
    profile = loaded.profiles[device.profile]
    return list(profile.command_topics(device))


def _summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p99": float("nan"), "mean": float("nan")}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50": round(statistics.median(ordered), 3),
        "p99": round(p99, 3),
        "mean": round(statistics.fmean(ordered), 3),
        "max": round(ordered[-1], 3),
    }


def use_broker(
    loaded: LoadedConfig, host: str | None, port: int | None
) -> subprocess.Popen[bytes] | None:
    """Point the config at the broker to measure through: the one given, the config's own,
    or (for an embedded-broker config) a Mosquitto started here, returned to be stopped."""
    mqtt_cfg = loaded.config.mqtt
    broker: subprocess.Popen[bytes] | None = None
    updates: dict[str, Any] = {"embedded": False}
    if host or port:
        updates.update(host=host or mqtt_cfg.host, port=port or mqtt_cfg.port)
    elif mqtt_cfg.embedded:
        broker, free, _ = _start_mosquitto()
        updates.update(host="127.0.0.1", port=free)
    loaded.config.mqtt = mqtt_cfg.model_copy(update=updates)
    return broker


def run_bench(config: Path, count: int, host: str | None, port: int | None, as_json: bool) -> int:
    loaded = load_or_report(config)
    if loaded is None:
        return 2
    broker = use_broker(loaded, host, port)
    loaded.config.simulate = False
    try:
        result = measure(loaded, count, progress=not as_json and sys.stderr.isatty())
    finally:
        if broker is not None:
            broker.terminate()
            broker.wait(5)
    if as_json:
        print(json.dumps(result))
    else:
        console = Console()
        lat, pipe = result["latency_ms"], result["pipeline_ms"]
        console.print(f"{result['received']}/{count} commands through {result['broker']}")
        console.print(
            f"text → device command received: p50 {lat['p50']:.2f} ms, p99 {lat['p99']:.2f} ms"
        )
        console.print(
            f"inside the pipeline:            p50 {pipe['p50']:.2f} ms, p99 {pipe['p99']:.2f} ms"
        )
    return 0 if result["received"] == count else 1
