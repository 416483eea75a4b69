"""The audio source a config entry describes (``speech.sources``)."""

from __future__ import annotations

import sys
from pathlib import Path

from homebrain.audio.pcm import PcmFormat
from homebrain.audio.sources import AudioSource, RawPcmSource, WavFileSource
from homebrain.config.schema import AudioSourceConfig


def open_source(config: AudioSourceConfig, base: Path) -> AudioSource:
    """Open a wav, raw or mic source; paths are relative to the config file.

    ``mqtt`` sources are made by the daemon (``PushedSource``): they are fed by
    its MQTT link, not opened.
    """
    path = config.path
    if path is not None and str(path) != "-" and not path.is_absolute():
        path = base / path
    if config.type == "wav":
        assert path is not None  # the config check requires one
        return WavFileSource(path)
    if config.type == "raw":
        fmt = PcmFormat(config.rate, config.width, config.channels)
        if path is None or str(path) == "-":
            return RawPcmSource(sys.stdin.buffer, fmt, "stdin")
        return RawPcmSource(path.open("rb"), fmt, str(path))
    if config.type == "mic":
        from homebrain.audio.mic import MicSource  # PyAudio: the optional audio extra

        return MicSource(config.device, rate=None, channels=config.channels)
    raise ValueError(f"a {config.type} source is not opened from a config entry")
