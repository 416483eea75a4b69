#!/usr/bin/env bash
# A microphone without hardware: a private PulseAudio whose default sink is a null
# sink and whose default source is that sink's monitor. What is played into it
# (paplay) is what PyAudio records from the "pulse" ALSA device. It runs in the
# foreground until killed; nothing outside DIR is touched, and it works as root.
#
#   scripts/pulse_null_sink.sh DIR [RATE] [CHANNELS] &
#   export PULSE_SERVER=unix:DIR/native
#   paplay speech.wav   # while a MicSource("pulse") records
#
# Needs: apt-get install pulseaudio pulseaudio-utils libasound2-plugins
set -euo pipefail
dir=${1:?usage: pulse_null_sink.sh DIR [RATE] [CHANNELS]}
rate=${2:-16000}
channels=${3:-1}
mkdir -p "$dir/run" "$dir/home"
chmod 700 "$dir/run"
dir=$(cd "$dir" && pwd)
cat >"$dir/null.pa" <<PA
load-module module-native-protocol-unix auth-anonymous=1 socket=$dir/native
load-module module-null-sink sink_name=homebrain_null rate=$rate channels=$channels
# silence looped into the sink keeps it rendering in small blocks: an idle null sink
# sleeps up to 2 s, and a recording started then waits that long for its first audio
load-module module-null-source source_name=homebrain_silence rate=$rate channels=$channels
load-module module-loopback source=homebrain_silence sink=homebrain_null latency_msec=20
set-default-sink homebrain_null
set-default-source homebrain_null.monitor
PA
# HOME and XDG_RUNTIME_DIR keep its state and lock out of the real ones (and let two run at
# once); as root it warns that it is "not intended to be run as root" and runs all the same
export HOME="$dir/home" XDG_RUNTIME_DIR="$dir/run"
exec pulseaudio -n -F "$dir/null.pa" --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
  --realtime=no --high-priority=no --log-target=stderr
