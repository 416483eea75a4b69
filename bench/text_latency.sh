#!/usr/bin/env bash
# Text → device command latency through a real Mosquitto, everything pinned to one core.
# Usage: bash bench/text_latency.sh [COUNT]   (figures go in docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >/dev/null
exec taskset -c 0 .venv/bin/homebrain bench --config configs/demo.yaml -n "${1:-1000}"
