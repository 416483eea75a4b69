"""Audio sources: any WAV or raw PCM becomes 16 kHz mono int16, bad audio a clear error."""

from __future__ import annotations

import io
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from homebrain.audio.pcm import RATE, AudioFormatError, PcmFormat, to_speech_pcm
from homebrain.audio.sources import SOURCES, RawPcmSource, WavFileSource


def write_wav(path: Path, samples: np.ndarray, rate: int, width: int) -> Path:
    """float samples [frames, channels] in [-1, 1] → a WAV of that width."""
    frames = samples if samples.ndim == 2 else samples[:, None]
    if width == 1:
        data = np.clip(frames * 127 + 128, 0, 255).astype(np.uint8).tobytes()
    elif width == 3:
        ints = np.clip(frames * (1 << 23), -(1 << 23), (1 << 23) - 1).astype(np.int32)
        data = (
            np.stack([(ints >> s) & 0xFF for s in (0, 8, 16)], axis=-1).astype(np.uint8).tobytes()
        )
    else:
        kind = np.int16 if width == 2 else np.int32
        data = np.clip(frames * np.iinfo(kind).max, np.iinfo(kind).min, np.iinfo(kind).max)
        data = data.astype(f"<{np.dtype(kind).str[1:]}").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(frames.shape[1])
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(data)
    return path


def tone(rate: int, hz: float = 440.0, seconds: float = 0.5, level: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def peak_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float32) * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(spectrum.argmax())])


@pytest.mark.parametrize(
    ("rate", "width", "channels"),
    [(16_000, 2, 1), (44_100, 2, 2), (8_000, 1, 1), (48_000, 3, 2), (22_050, 4, 1)],
)
def test_any_wav_becomes_16k_mono_int16(
    tmp_path: Path, rate: int, width: int, channels: int
) -> None:
    signal = np.repeat(tone(rate)[:, None], channels, axis=1)
    path = write_wav(tmp_path / "in.wav", signal, rate, width)
    samples = WavFileSource(path).read()
    assert samples.dtype == np.int16
    assert abs(len(samples) - RATE // 2) <= 1  # half a second, whatever the rate was
    assert abs(peak_hz(samples) - 440) < 5  # the pitch survives resampling
    level = np.sqrt(np.mean((samples / 32768.0) ** 2))
    assert 0.3 < level < 0.4  # 0.5 amplitude sine: RMS 0.354, not lost and not doubled


def test_downsampling_removes_what_16k_cannot_carry() -> None:
    high = tone(48_000, hz=12_000)  # above 8 kHz: would alias to 4 kHz without a low-pass
    data = (high * 32767).astype("<i2").tobytes()
    out = to_speech_pcm(data, PcmFormat(48_000, 2, 1))
    assert np.sqrt(np.mean((out / 32768.0) ** 2)) < 0.02


def test_clipping_stays_clipped() -> None:
    loud = np.clip(tone(16_000, level=3.0), -1, 1)
    out = to_speech_pcm((loud * 32767).astype("<i2").tobytes(), PcmFormat(16_000, 2, 1))
    assert out.max() <= 32767 and out.min() >= -32768 and out.max() > 32000


def test_chunks_of_real_speech(tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-w", str(path), "turn on the kitchen light"], check=True, timeout=30
    )
    chunks = list(WavFileSource(path).chunks())
    assert all(len(c.samples) == 480 for c in chunks[:-1])  # 30 ms at 16 kHz
    assert chunks[1].start == pytest.approx(0.03)
    total = sum(c.seconds for c in chunks)
    assert 1.0 < total < 4.0  # espeak-ng says it in a second or two
    loudest = max(np.abs(c.samples.astype(np.int32)).max() for c in chunks)
    assert loudest > 3000  # speech, not silence


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a PCM WAV"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "not a PCM WAV"),
        (b"this is not audio at all" * 10, "not a PCM WAV"),
    ],
)
def test_corrupt_wav_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFormatError, match=message) as info:
        WavFileSource(path).read()
    assert str(path) in str(info.value)


def test_truncated_wav_says_so(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "cut.wav", tone(16_000), 16_000, 2)
    path.write_bytes(path.read_bytes()[:-4000])
    with pytest.raises(AudioFormatError, match="truncated"):
        WavFileSource(path).read()


def test_missing_wav(tmp_path: Path) -> None:
    with pytest.raises(AudioFormatError, match="no such file"):
        WavFileSource(tmp_path / "nope.wav").read()


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        (PcmFormat(100, 2, 1), "sample rate 100 Hz"),
        (PcmFormat(16_000, 5, 1), "40-bit"),
        (PcmFormat(16_000, 2, 0), "0 channels"),
    ],
)
def test_impossible_formats(fmt: PcmFormat, message: str) -> None:
    with pytest.raises(AudioFormatError, match=message):
        RawPcmSource(io.BytesIO(b""), fmt)


def test_raw_stream_in_blocks_equals_the_whole() -> None:
    signal = tone(16_000, seconds=1.3)
    data = (signal * 32767).astype("<i2").tobytes() + b"\x01"  # a stray half sample at the end
    chunks = list(RawPcmSource(io.BytesIO(data)).chunks())
    joined = np.concatenate([c.samples for c in chunks])
    assert np.array_equal(joined, to_speech_pcm(data[:-1], PcmFormat(16_000, 2, 1)))
    assert [c.start for c in chunks[:2]] == [0.0, pytest.approx(0.03)]


def test_raw_stream_at_another_rate_is_resampled() -> None:
    signal = np.repeat(tone(44_100, seconds=1.2)[:, None], 2, axis=1)
    data = (signal * 32767).astype("<i2").tobytes()
    chunks = list(RawPcmSource(io.BytesIO(data), PcmFormat(44_100, 2, 2)).chunks())
    joined = np.concatenate([c.samples for c in chunks])
    assert abs(len(joined) - int(1.2 * RATE)) <= 3
    assert abs(peak_hz(joined) - 440) < 5


def test_registry_names_the_sources() -> None:
    assert SOURCES["wav"] is WavFileSource and SOURCES["raw"] is RawPcmSource
