"""The daemon as systemd runs it: a real process, sd_notify on a socket we read, signals."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT
from mqtt_helpers import Recorder

HOMEBRAIN = [sys.executable, "-m", "homebrain"]


def notify_socket(tmp_path: Path) -> tuple[socket.socket, Path]:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(0.5)
    return sock, path


def read_notes(sock: socket.socket, until: str, timeout: float = 15.0) -> list[str]:
    notes: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = sock.recv(4096).decode()
        except TimeoutError:
            continue
        notes.extend(data.split("\n"))
        if until in data:
            return notes
    raise AssertionError(f"no {until!r} within {timeout}s; got {notes}")


def start(
    config: Path, sock_path: Path, log: Path, watchdog_usec: int = 600_000
) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NOTIFY_SOCKET=str(sock_path), WATCHDOG_USEC=str(watchdog_usec))
    env.pop("WATCHDOG_PID", None)
    return subprocess.Popen(
        [*HOMEBRAIN, "run", "--no-prompt", "--config", str(config)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def test_ready_watchdog_reload_and_clean_stop(
    tmp_path: Path, test_config: Path, recorder: Recorder
) -> None:
    sock, sock_path = notify_socket(tmp_path)
    log = tmp_path / "daemon.log"
    proc = start(test_config, sock_path, log)
    try:
        read_notes(sock, "READY=1")
        # periodic watchdog pings: WatchdogSec of 0.6 s means several within 2 s
        pings = 0
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                pings += sock.recv(4096).count(b"WATCHDOG=1")
        assert pings >= 3
        recorder.wait_for("homebrain/status", predicate=lambda m: m.payload == b"online")

        # SIGHUP with a broken config: refused, old one keeps running
        good = test_config.read_text()
        test_config.write_text(good + "\n  - broken: [\n")
        proc.send_signal(signal.SIGHUP)
        read_notes(sock, "RELOADING=1")
        time.sleep(0.5)
        assert proc.poll() is None
        recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
        recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set", timeout=10)
        assert "reload refused" in log.read_text()

        # SIGHUP with a good config: taken
        test_config.write_text(good.replace("name: Counter light", "name: Island light"))
        proc.send_signal(signal.SIGHUP)
        read_notes(sock, "RELOADING=1")
        recorder.clear()
        recorder.publish("homebrain/kitchen/text", "turn on the island light")
        recorder.wait_for("zigbee2mqtt/kitchen_counter/set", timeout=10)

        # SIGTERM: clean stop, offline published
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        read_notes(sock, "STOPPING=1", timeout=2)
        recorder.wait_for("homebrain/status", predicate=lambda m: m.payload == b"offline")
    finally:
        if proc.poll() is None:
            proc.kill()
        sock.close()


def test_last_will_marks_offline_when_killed(
    tmp_path: Path, test_config: Path, recorder: Recorder
) -> None:
    sock, sock_path = notify_socket(tmp_path)
    proc = start(test_config, sock_path, tmp_path / "daemon.log")
    try:
        read_notes(sock, "READY=1")
        recorder.wait_for("homebrain/status", predicate=lambda m: m.payload == b"online")
        recorder.clear()
        proc.kill()
        proc.wait(5)
        # keepalive-independent: the broker sees the socket close and sends the will
        recorder.wait_for(
            "homebrain/status", timeout=10, predicate=lambda m: m.payload == b"offline"
        )
    finally:
        if proc.poll() is None:
            proc.kill()
        sock.close()


def test_bad_config_exits_2_without_starting(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("mqtt:\n  port: not-a-port\n")
    result = subprocess.run(
        [*HOMEBRAIN, "run", "--no-prompt", "--config", str(bad)],
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert b"mqtt.port" in result.stderr


def test_unit_file_verifies(tmp_path: Path) -> None:
    unit = (ROOT / "systemd" / "homebrain.service").read_text()
    for key in (
        "Type=notify",
        "WatchdogSec=",
        "Restart=on-failure",
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "StateDirectory=",
        "SupplementaryGroups=audio video",
    ):
        assert key in unit, key
    # verify needs the ExecStart binary to exist: point it at this venv's homebrain
    exe = Path(sys.executable).parent / "homebrain"
    unit = unit.replace("/opt/homebrain/.venv/bin/homebrain", str(exe))
    target = tmp_path / "homebrain.service"
    target.write_text(unit)
    result = subprocess.run(
        ["systemd-analyze", "verify", str(target)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "homebrain.service" not in result.stderr, result.stderr
