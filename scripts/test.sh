#!/usr/bin/env bash
# One command: set up (Debian packages, .venv, homebrain[dev]) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
# setup.sh installed PulseAudio and PyAudio: the microphone tests must run, not skip
export HOMEBRAIN_REQUIRE_MIC="${HOMEBRAIN_REQUIRE_MIC:-1}"
exec .venv/bin/python -m pytest "$@"
