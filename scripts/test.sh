#!/usr/bin/env bash
# One command: set up (Debian packages, .venv, homebrain[dev]) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
