"""The quick start as a user runs it: the demo daemon, then `say` and `state`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import yaml
from conftest import ROOT
from mqtt_helpers import free_port

HOMEBRAIN = [sys.executable, "-m", "homebrain"]


def demo_copy(tmp_path: Path) -> Path:
    """configs/demo.yaml as shipped, on a free port so parallel runs don't collide."""
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    assert data["mqtt"]["embedded"] is True and data["simulate"] is True
    data["mqtt"]["port"] = free_port()
    for camera in data["vision"]["cameras"].values():  # the frames stay where they are
        if camera["source"]["type"] == "folder":
            camera["source"]["path"] = str(ROOT / "configs" / camera["source"]["path"])
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HOMEBRAIN, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def wait_ready(config: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run("say", "--config", str(config), "--timeout", "2", "hello there").returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError("demo daemon never answered")


def test_demo_say_changes_simulated_light_seen_by_state(tmp_path: Path) -> None:
    config = demo_copy(tmp_path)
    log = (tmp_path / "daemon.log").open("wb")
    daemon = subprocess.Popen(
        [*HOMEBRAIN, "run", "--no-prompt", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        wait_ready(config)
        before = json.loads(run("state", "--json", "--config", str(config)).stdout)
        assert before["devices"]["light.kitchen_ceiling"]["state"]["state"] == "off"

        said = run("say", "--config", str(config), "turn on the kitchen light")
        assert said.returncode == 0, said.stderr
        assert "kitchen" in said.stdout.lower()

        deadline = time.monotonic() + 10
        while True:
            after = json.loads(run("state", "--json", "--config", str(config)).stdout)
            if (
                after["devices"]["light.kitchen_ceiling"]["state"].get("state") == "on"
                or time.monotonic() > deadline
            ):
                break
            time.sleep(0.3)
        assert after["source"] == "daemon"
        assert after["devices"]["light.kitchen_ceiling"]["state"]["state"] == "on"
        table = run("state", "--config", str(config))
        assert "light.kitchen_ceiling" in table.stdout and "state=on" in table.stdout

        unknown = run("say", "--config", str(config), "what's the weather like")
        assert "don't know" in unknown.stdout.lower()
    finally:
        daemon.terminate()
        assert daemon.wait(20) == 0
        log.close()


def test_demo_prompt_reads_typed_commands(tmp_path: Path) -> None:
    config = demo_copy(tmp_path)
    proc = subprocess.run(
        [*HOMEBRAIN, "run", "--prompt", "--config", str(config)],
        input="turn on the kitchen light\nset the heating to twenty one degrees\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    # end of input (Ctrl-D) after the two lines ends the interactive session cleanly
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("> ")]
    assert len(lines) == 2
    assert "kitchen" in lines[0].lower()
    assert "21" in lines[1]


def test_say_without_daemon_says_so(tmp_path: Path) -> None:
    config = demo_copy(tmp_path)
    result = run("say", "--config", str(config), "turn on the kitchen light")
    assert result.returncode == 3
    assert "cannot reach the MQTT broker" in result.stderr
