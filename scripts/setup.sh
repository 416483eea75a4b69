#!/usr/bin/env bash
# Set up homebrain in ./.venv. With --test also the Debian packages the tests use.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages=()
if [ "$want_test" = 1 ]; then
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || apt_packages+=(mosquitto)
  command -v systemd-analyze >/dev/null || apt_packages+=(systemd)
  command -v espeak-ng >/dev/null || apt_packages+=(espeak-ng)  # real speech for audio tests
  # a microphone without hardware: PulseAudio's null sink, recorded through PyAudio
  command -v pulseaudio >/dev/null || apt_packages+=(pulseaudio)
  command -v pactl >/dev/null || apt_packages+=(pulseaudio-utils)
  [ -e /usr/share/alsa/alsa.conf.d/50-pulseaudio.conf ] || apt_packages+=(libasound2-plugins)
  [ -e /usr/include/portaudio.h ] || apt_packages+=(portaudio19-dev gcc python3-dev)  # builds pyaudio
  # real photographs and a street video with people, for the camera tests
  [ -e /usr/share/doc/opencv-doc/examples/data/messi5.jpg ] || apt_packages+=(opencv-doc)
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "==> installing Debian packages: ${apt_packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.homebrain-installed
extras="[vision]"
# the tests train tiny models and export them to LiteRT: they need the train extra
# (torch==2.13.0 CPU, litert-torch); the daemon alone never does
[ "$want_test" = 1 ] && extras="[dev,train,audio,vision]"
if [ ! -f "$stamp$extras" ] || [ pyproject.toml -nt "$stamp$extras" ]; then
  echo "==> installing homebrain$extras into .venv"
  log=$(mktemp)
  if ! .venv/bin/python -m pip install -q --upgrade pip >"$log" 2>&1 ||
     ! .venv/bin/python -m pip install -q -e ".$extras" >>"$log" 2>&1 ||
     # the camera's landmark models (.tflite files only: run by ai-edge-litert, so
     # none of mediapipe's own dependencies is wanted)
     ! .venv/bin/python -m pip install -q --no-deps "mediapipe==0.10.18" >>"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" >&2
    echo "pip install failed (full log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
  .venv/bin/python -c "import homebrain" && touch "$stamp$extras"
fi
