#!/usr/bin/env bash
# One command: set up and run the demo home (embedded broker, simulated devices, a prompt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/homebrain run --config configs/demo.yaml "$@"
