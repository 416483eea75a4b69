"""The fused export against the unfused one, for the same trained weights.

Exports a checkpoint written by ``homebrain train --checkpoint PATH`` twice, as the
shipped export does (``fused``: members and GRU directions stacked) and unrolled
side by side (``unfused``), each through the full export with its parity check,
and prints each bundle's LiteRT op count, int8 size and one-thread latency
(bench/model_bench.py's measure). Pin it to one core:

    taskset -c 0 .venv/bin/python bench/fused_export.py --checkpoint PATH [-n 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_bench import latency


def op_count(model_file: Path) -> int:
    from ai_edge_litert.interpreter import Interpreter

    return len(Interpreter(model_path=str(model_file))._get_ops_details())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("-n", type=int, default=1000)
    args = parser.parse_args()

    from homebrain.training.corpus import generate_corpus
    from homebrain.training.export import export_bundle
    from homebrain.training.train import TrainResult

    result = TrainResult.load(args.checkpoint)
    parity = generate_corpus(size=1000, seed=7)
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fused in (("fused", True), ("unfused", False)):
            out = Path(tmp) / name
            report = export_bundle(result, out, parity, fused=fused)
            figures[name] = {
                "ops": op_count(out / "model.tflite"),
                "model_bytes": (out / "model.tflite").stat().st_size,
                "parity_intent_agreement": report.parity.intent_agreement,
                "latency_one_thread": latency(out, args.n),
            }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
