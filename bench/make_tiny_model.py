"""Regenerate tests/fixtures/tiny_model: the tiny intent-model bundle the no-torch tests load.

Usage (needs the train extra: torch + litert-torch):

    /tmp/trainvenv/bin/python bench/make_tiny_model.py [--out DIR] [--seed N]

It trains the tiny model of tests/tiny_corpus.py (a few hundred synthetic
examples, ~20 K parameters), exports it to int8 LiteRT with the parity check,
and prints the training/export figures. Rerun it whenever the model format
(labels.FORMAT_VERSION, the label layouts or the bundle metadata) changes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from tiny_corpus import FIXTURE, build_tiny_bundle  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIXTURE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--progress", action="store_true", help="show training progress bars")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    built = build_tiny_bundle(args.out, seed=args.seed, progress=args.progress)
    summary = {
        "bundle": str(args.out),
        "training": built["result"].summary(),
        "export": built["report"].to_json(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
