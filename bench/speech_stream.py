"""Speech figures for docs/BENCHMARKS.md, through the real daemon and a real Mosquitto.

latency: commands said one after another are streamed in real time, as a
    satellite would, on ``homebrain/<site>/audio``; the daemon runs pinned to
    one core. Latency is from the end of the speech in the stream (its last
    loud sample) to the turn's intent message arriving at a client: VAD,
    endpointing (the trailing silence), recognition, understanding and MQTT.
soak: a long stream of audio that is *not* for homebrain (people talking
    about other things, TV-like babble, noise) is piped as raw PCM into the
    daemon's stdin as fast as it takes it; the resident memory is sampled as
    it goes, the real-time factor is wall time over audio time, and every
    action the daemon took is counted (the issue allows one per hour).

Usage:
    .venv/bin/python bench/speech_stream.py latency [-n 40]
    .venv/bin/python bench/speech_stream.py soak [--minutes 60]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
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

import numpy as np
import paho.mqtt.client as mqtt
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homebrain.evaluation.files import NONE, load_eval_file  # noqa: E402
from homebrain.speech.synthesis import (  # noqa: E402
    VOICE_SETS,
    babble,
    noise_floor,
    pink_noise,
    synthesize,
    with_noise_floor,
)

RATE = 16000
SITE = "kitchen"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_mosquitto(workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    conf = workdir / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen([binary, "-c", str(conf)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.05)
    raise RuntimeError("mosquitto did not start")


def write_config(
    workdir: Path,
    port: int,
    source: dict[str, Any],
    endpoint: dict[str, float] | None = None,
    **speech: Any,
) -> Path:
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data.pop("vision", None)  # no cameras here: bench/vision_camera.py measures those
    data["mqtt"] = {"embedded": False, "host": "127.0.0.1", "port": port, "client_id": "bench"}
    data["speech"] = {"sources": [{**source, "site": SITE}], "endpoint": endpoint or {}, **speech}
    path = workdir / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def start_daemon(
    config: Path, core: int | None, stdin: int | None = None
) -> subprocess.Popen[bytes]:
    pin = ["taskset", "-c", str(core)] if core is not None else []
    command = [
        *pin,
        sys.executable,
        "-m",
        "homebrain",
        "run",
        "--no-prompt",
        "--config",
        str(config),
    ]
    log = open(config.parent / "daemon.log", "wb")  # noqa: SIM115 (lives as long as the daemon)
    return subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL, stderr=log)


class Client:
    """Collects the daemon's intent messages (with arrival times) and its status."""

    def __init__(self, port: int) -> None:
        self.intents: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.online = threading.Event()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        self.client.on_message = self._message
        self.client.connect("127.0.0.1", port)
        self.client.subscribe([(f"homebrain/{SITE}/intent", 1), ("homebrain/status", 1)])
        self.client.loop_start()

    def _message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        if msg.topic == "homebrain/status":
            if msg.payload == b"online":
                self.online.set()
            return
        self.intents.put((time.perf_counter(), json.loads(msg.payload)))

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=0)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def speech_end(samples: np.ndarray) -> int:
    """The index after the last loud sample: where speech ends (espeak pads a little)."""
    loud = np.nonzero(np.abs(samples.astype(np.int32)) > 0.02 * np.abs(samples).max())[0]
    return int(loud[-1]) + 1 if len(loud) else len(samples)


def command_sentences(count: int) -> list[str]:
    tests = load_eval_file(ROOT / "tests" / "eval" / "demo_commands.yaml").tests
    said = [s for t in tests if t.expect.kind != NONE for s in t.say]
    return said[:count]


def run_latency(count: int, core: int, trailing: float | None = None) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    voices = VOICE_SETS["develop"]
    clips: list[np.ndarray] = []
    ends: list[int] = []  # stream sample where each sentence's speech ends
    position = 0
    for i, text in enumerate(command_sentences(count)):
        head = noise_floor(RATE // 2, rng=rng)
        speech = with_noise_floor(synthesize(text, voices[i % len(voices)]), rng)
        tail = noise_floor(int(RATE * 2.5), rng=rng)  # time for the answer before the next one
        clips += [head, speech, tail]
        ends.append(position + len(head) + speech_end(speech))
        position += len(head) + len(speech) + len(tail)
    stream = np.concatenate(clips).astype("<i2")
    with tempfile.TemporaryDirectory() as tmp:
        broker, port = start_mosquitto(Path(tmp))
        endpoint = {"trailing_silence": trailing} if trailing is not None else None
        daemon = start_daemon(write_config(Path(tmp), port, {"type": "mqtt"}, endpoint), core)
        client = Client(port)
        try:
            if not client.online.wait(60):
                raise RuntimeError("the daemon did not come online")
            time.sleep(1.0)
            step = RATE // 50  # 20 ms pieces, paced in real time
            t0 = time.perf_counter()
            for offset in range(0, len(stream), step):
                due = t0 + offset / RATE
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                client.publish(f"homebrain/{SITE}/audio", stream[offset : offset + step].tobytes())
            time.sleep(3.0)
            arrivals: list[tuple[float, dict[str, Any]]] = []
            while not client.intents.empty():
                arrivals.append(client.intents.get())
        finally:
            client.close()
            daemon.terminate()
            daemon.wait(10)
            broker.terminate()
    # each intent belongs to the last sentence whose speech ended before it arrived
    latencies: list[float] = []
    used: set[int] = set()
    for arrived, _ in arrivals:
        ended = [i for i, end in enumerate(ends) if t0 + end / RATE <= arrived]
        if ended and ended[-1] not in used:
            used.add(ended[-1])
            latencies.append((arrived - (t0 + ends[ended[-1]] / RATE)) * 1000)
    latencies.sort()
    return {
        "sentences": len(ends),
        "turns": len(arrivals),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "trailing_silence_s": trailing if trailing is not None else 0.5,
        "core": core,
    }


def other_talk() -> list[str]:
    """Sentences that are not commands (the development set's out-of-domain ones)."""
    tests = load_eval_file(ROOT / "tests" / "eval" / "dev3_ood.yaml").tests
    return [s for t in tests if t.expect.kind == NONE for s in t.say]


def soak_block(rng: np.random.Generator, talk: list[str], seconds: float) -> np.ndarray:
    """About ``seconds`` of non-command audio: a third each talk, babble and noise."""
    voices = VOICE_SETS["develop"]
    parts: list[np.ndarray] = []
    total = 0
    while total < seconds * RATE / 3:
        text = talk[int(rng.integers(len(talk)))]
        clip = with_noise_floor(synthesize(text, voices[int(rng.integers(len(voices)))]), rng)
        parts += [clip, noise_floor(int(RATE * rng.uniform(0.3, 2.0)), rng=rng)]
        total += len(parts[-2]) + len(parts[-1])
    parts.append(babble(talk, voices, seconds / 3, rng))
    noise = pink_noise(int(RATE * seconds / 3), rng) * 600.0
    parts.append(np.clip(noise, -32768, 32767).astype(np.int16))
    return np.concatenate(parts).astype("<i2")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_soak(
    minutes: float, core: int, min_confidence: float | None = None, wake_word: str | None = None
) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    talk = other_talk()
    block_seconds = 300.0
    blocks = [soak_block(rng, talk, block_seconds) for _ in range(2)]  # varied, then repeated
    total_seconds = minutes * 60
    with tempfile.TemporaryDirectory() as tmp:
        broker, port = start_mosquitto(Path(tmp))
        extra: dict[str, Any] = {} if min_confidence is None else {"min_confidence": min_confidence}
        if wake_word is not None:  # listening only after it, as configs/pi.yaml does
            extra["wake_word"] = {"model": wake_word}
        config = write_config(Path(tmp), port, {"type": "raw", "path": "-"}, **extra)
        daemon = start_daemon(config, core, stdin=subprocess.PIPE)
        client = Client(port)
        samples: list[tuple[float, int]] = []
        try:
            if not client.online.wait(60):
                raise RuntimeError("the daemon did not come online")
            assert daemon.stdin is not None
            fed = 0.0
            started = time.perf_counter()
            i = 0
            while fed < total_seconds:
                block = blocks[i % len(blocks)]
                # fresh noise on every pass so no two hours are bit-identical
                block = np.clip(block + rng.normal(0, 8, len(block)), -32768, 32767).astype("<i2")
                daemon.stdin.write(block.tobytes())
                fed += len(block) / RATE
                samples.append((fed, rss_kib(daemon.pid)))
                i += 1
            daemon.stdin.close()
            # the daemon has read everything when its stdin pipe drained; wait for the last turns
            time.sleep(5.0)
            wall = time.perf_counter() - started
            samples.append((fed, rss_kib(daemon.pid)))
        finally:
            client.close()
            daemon.terminate()
            daemon.wait(10)
            broker.terminate()
    turns: list[dict[str, Any]] = []
    while not client.intents.empty():
        turns.append(client.intents.get()[1])
    acted = [t for t in turns if t.get("commands") or t.get("actions")]
    return {
        "audio_minutes": round(fed / 60, 1),
        "wall_minutes": round(wall / 60, 2),
        "real_time_factor": round(wall / fed, 4),
        "utterances_answered": sum(1 for t in turns if t.get("outcome") != "unheard"),
        "utterances_ignored": sum(1 for t in turns if t.get("outcome") == "unheard"),
        "actions": len(acted),
        "actions_per_hour": round(len(acted) / (fed / 3600), 2),
        "acted_on": [
            (
                t.get("asr", {}).get("text"),
                t.get("asr", {}).get("confidence"),
                round(float(t.get("confidence") or 0.0), 3),
            )
            for t in acted
        ],
        "rss_mib": [(round(m / 60, 1), round(k / 1024, 1)) for m, k in samples],
        "core": core,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("latency", help="end of speech → intent on MQTT, in real time")
    p.add_argument("-n", type=int, default=40, help="commands (default 40)")
    p.add_argument("--core", type=int, default=0, help="CPU the daemon is pinned to")
    p.add_argument("--trailing", type=float, help="speech.endpoint.trailing_silence (default 0.5)")
    p = sub.add_parser("soak", help="RSS, real-time factor and actions over non-command audio")
    p.add_argument("--minutes", type=float, default=60.0, help="audio minutes (default 60)")
    p.add_argument("--min-confidence", type=float, help="speech.min_confidence (default 0.2)")
    p.add_argument(
        "--wake-word", help="listen only after this wake word (e.g. okay_nabu; default: none)"
    )
    p.add_argument("--core", type=int, default=0, help="CPU the daemon is pinned to")
    args = parser.parse_args()
    if args.mode == "latency":
        result = run_latency(args.n, args.core, args.trailing)
    else:
        result = run_soak(args.minutes, args.core, args.min_confidence, args.wake_word)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
