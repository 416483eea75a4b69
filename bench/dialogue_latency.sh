#!/usr/bin/env bash
# Per-turn latency of the issue 4 dialogue set through the real daemon and a real Mosquitto,
# everything pinned to one core: text in on homebrain/<site>/text → device command received.
# Usage: bash bench/dialogue_latency.sh [REPEAT]   (figures go in docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test >/dev/null
exec taskset -c 0 .venv/bin/homebrain bench --config configs/demo_model.yaml \
    --dialogues tests/eval/dialogues_issue4.yaml --repeat "${1:-5}"
