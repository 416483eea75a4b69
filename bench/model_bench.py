"""Intent-model figures for docs/BENCHMARKS.md: size, one-thread latency, daemon memory.

Usage: taskset -c 0 .venv/bin/python bench/model_bench.py [--model DIR] [-n 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def latency(model_dir: Path, count: int) -> dict[str, float]:
    from homebrain.training.corpus import generate_corpus
    from homebrain.understanding.model_runtime import load_model

    model = load_model(model_dir)
    examples = generate_corpus(size=count, seed=123)
    for example in examples[:50]:  # warm up
        model.predict(example.tokens, example.context, example.vision)
    times = []
    for example in examples[:count]:
        started = time.perf_counter()
        model.predict(example.tokens, example.context, example.vision)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 4),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))], 4),
        "n": len(times),
    }


def daemon_rss(recogniser: str) -> int:
    """VmRSS (KiB) of `homebrain run` on the demo home, 3 s after it is ready."""
    import yaml

    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data.pop("vision", None)  # no cameras here: bench/vision_camera.py measures those
    data["understanding"] = {"recogniser": recogniser}
    data["mqtt"]["port"] = 18839
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "demo.yaml"
        config.write_text(yaml.safe_dump(data))
        proc = subprocess.Popen(
            [sys.executable, "-m", "homebrain", "run", "--no-prompt", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(6)
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            torch_loaded = "torch" in Path(f"/proc/{proc.pid}/maps").read_text()
        finally:
            proc.terminate()
            proc.wait(20)
    if torch_loaded:
        raise RuntimeError("the daemon mapped torch: it must not import it")
    return rss


def main() -> None:
    from homebrain.models import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()
    meta = json.loads((args.model / "model.json").read_text())
    figures = {
        "model_bytes": (args.model / "model.tflite").stat().st_size,
        "parameters": meta["training"]["parameters"],
        "recipe": meta["model"]["quantization"],
        "training_seconds": meta["training"]["seconds"],
        "latency_one_thread": latency(args.model, args.n),
        "daemon_rss_kib_model": daemon_rss("model"),
        "daemon_rss_kib_grammar": daemon_rss("grammar"),
        "cpu_affinity": sorted(os.sched_getaffinity(0)),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
