"""Any PCM to what speech recognition wants: 16 kHz, mono, signed 16-bit.

Microphones, WAV files and satellites send whatever they have (44.1 kHz
stereo, 8-bit telephone audio, 32-bit floats from a sound server); every
stage after the source reads one format, so conversion happens once, here.
numpy only: the Pi has no room for scipy, and a windowed-sinc low-pass before
linear interpolation is plenty for speech below 8 kHz.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16_000  # what every stage after a source reads
WIDTH = 2  # bytes per sample
_TAPS = 63  # low-pass length when downsampling


class AudioFormatError(ValueError):
    """Audio that cannot be read; the message says what was wrong and where."""


@dataclass(frozen=True)
class PcmFormat:
    """Sample rate, bytes per sample and channels of interleaved little-endian PCM."""

    rate: int
    width: int  # bytes per sample: 1 (unsigned), 2, 3 or 4 (signed)
    channels: int

    def check(self, where: str) -> None:
        if not 4_000 <= self.rate <= 384_000:
            raise AudioFormatError(f"{where}: sample rate {self.rate} Hz is not audio we can use")
        if self.width not in (1, 2, 3, 4):
            raise AudioFormatError(f"{where}: {8 * self.width}-bit samples are not supported")
        if not 1 <= self.channels <= 32:
            raise AudioFormatError(f"{where}: {self.channels} channels")


def to_float(data: bytes, fmt: PcmFormat) -> np.ndarray:
    """Interleaved PCM bytes → float32 [frames, channels] in [-1, 1]; a partial frame is dropped."""
    frame = fmt.width * fmt.channels
    usable = len(data) - len(data) % frame
    raw = np.frombuffer(data[:usable], dtype=np.uint8)
    if fmt.width == 1:  # 8-bit WAV is unsigned, centred on 128
        samples = (raw.astype(np.float32) - 128.0) / 128.0
    elif fmt.width == 3:
        triples = raw.reshape(-1, 3).astype(np.int32)
        value = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        samples = value.astype(np.float32) / float(1 << 23)
    else:
        kind = np.int16 if fmt.width == 2 else np.int32
        samples = raw.view(f"<{np.dtype(kind).str[1:]}").astype(np.float32)
        samples /= float(np.iinfo(kind).max) + 1.0
    return samples.reshape(-1, fmt.channels)


def resample(mono: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """float32 mono at ``rate`` → ``target``; low-passed first when going down."""
    if rate == target or mono.size == 0:
        return mono.astype(np.float32)
    if target < rate:
        cutoff = 0.9 * target / rate  # of the Nyquist frequency, with a little guard band
        n = np.arange(_TAPS) - (_TAPS - 1) / 2
        taps = cutoff * np.sinc(cutoff * n) * np.hamming(_TAPS)
        mono = np.convolve(mono, taps / taps.sum(), mode="same")
    count = round(mono.size * target / rate)
    positions = np.arange(count) * (rate / target)
    return np.interp(positions, np.arange(mono.size), mono).astype(np.float32)


def to_speech_pcm(data: bytes, fmt: PcmFormat, where: str = "audio") -> np.ndarray:
    """Any PCM bytes → int16 mono at 16 kHz (clipped, never wrapped)."""
    fmt.check(where)
    mono = to_float(data, fmt).mean(axis=1)
    out = resample(mono, fmt.rate)
    return np.clip(np.round(out * 32768.0), -32768, 32767).astype(np.int16)


SPEECH = PcmFormat(RATE, WIDTH, 1)  # what to_speech_pcm returns, as a format
