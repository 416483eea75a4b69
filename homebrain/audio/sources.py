"""Where audio comes from, behind one interface: WAV files, raw PCM streams, ...

A source yields ``AudioChunk`` s of 16 kHz mono int16 (``pcm.to_speech_pcm``),
whatever it reads, so voice activity, wake word and recognition never see a
sample rate. Sources register by name (``SOURCES``), as the config names them;
the microphone (PyAudio) and MQTT satellites plug in the same way.
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np

from homebrain.audio.pcm import RATE, SPEECH, AudioFormatError, PcmFormat, to_speech_pcm

CHUNK_MS = 30  # what VADs and wake-word models step by


@dataclass(frozen=True)
class AudioChunk:
    samples: np.ndarray  # int16, mono, 16 kHz
    start: float  # seconds since the source began

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


class AudioSource(Protocol):
    name: str

    def chunks(self) -> Iterator[AudioChunk]:
        """16 kHz mono int16 chunks of about ``CHUNK_MS``, until the audio ends."""
        ...


def _chunked(samples: np.ndarray, start: float, chunk_ms: int) -> Iterator[AudioChunk]:
    size = RATE * chunk_ms // 1000
    for offset in range(0, len(samples), size):
        yield AudioChunk(samples[offset : offset + size], start + offset / RATE)


def read_wav(file: str | Path | BinaryIO, where: str) -> np.ndarray:
    """A whole WAV (a path or an open binary stream) as 16 kHz mono int16; a broken one is named."""
    try:
        with wave.open(file if not isinstance(file, Path) else str(file), "rb") as wav:
            fmt = PcmFormat(wav.getframerate(), wav.getsampwidth(), wav.getnchannels())
            fmt.check(where)
            expected = wav.getnframes()
            data = wav.readframes(expected)
    except FileNotFoundError as exc:
        raise AudioFormatError(f"{where}: no such file") from exc
    except (wave.Error, EOFError) as exc:
        raise AudioFormatError(f"{where}: not a PCM WAV file we can read ({exc})") from exc
    except OSError as exc:
        raise AudioFormatError(f"{where}: cannot be read ({exc})") from exc
    frames = len(data) // (fmt.width * fmt.channels)
    if frames < expected:
        # a cut-off file (a crashed recorder, a partial copy): say so rather than guess
        raise AudioFormatError(
            f"{where}: truncated, the header promises {expected} frames but {frames} are there"
        )
    return to_speech_pcm(data, fmt, where)


class WavFileSource:
    """A WAV file: any rate, width or channel count; a broken file is named in the error."""

    def __init__(self, path: str | Path, chunk_ms: int = CHUNK_MS) -> None:
        self.path = Path(path)
        self.name = f"wav:{self.path}"
        self.chunk_ms = chunk_ms

    def read(self) -> np.ndarray:
        """The whole file as 16 kHz mono int16 (converted in one go: no seams)."""
        return read_wav(self.path, str(self.path))

    def chunks(self) -> Iterator[AudioChunk]:
        yield from _chunked(self.read(), 0.0, self.chunk_ms)


class RawPcmSource:
    """Raw little-endian PCM from a stream (stdin, a FIFO), of a format given up front."""

    BLOCK_SECONDS = 0.5  # converted in blocks this long: resampling seams stay rare

    def __init__(
        self,
        stream: BinaryIO,
        fmt: PcmFormat = SPEECH,
        name: str = "stdin",
        chunk_ms: int = CHUNK_MS,
    ) -> None:
        fmt.check(name)
        self.stream = stream
        self.fmt = fmt
        self.name = name
        self.chunk_ms = chunk_ms

    def chunks(self) -> Iterator[AudioChunk]:
        frame = self.fmt.width * self.fmt.channels
        block = max(frame, int(self.fmt.rate * self.BLOCK_SECONDS) * frame)
        pending = b""
        start = 0.0
        while True:
            data = self.stream.read(block - len(pending))
            if not data:
                break
            pending += data
            if len(pending) < block:
                continue
            samples = to_speech_pcm(pending, self.fmt, self.name)
            yield from _chunked(samples, start, self.chunk_ms)
            start += len(samples) / RATE
            pending = b""
        if len(pending) >= frame:  # the tail; a partial last frame is dropped
            yield from _chunked(to_speech_pcm(pending, self.fmt, self.name), start, self.chunk_ms)


SOURCES: dict[str, Callable[..., AudioSource]] = {
    "wav": WavFileSource,
    "raw": RawPcmSource,
}
