"""The microphone source, without a microphone.

Two halves: a fake ``pyaudio`` module for device choice and the failure paths
that real hardware cannot be made to produce on demand (an unplugged device, a
read that never returns, a listener that falls behind); and the real PyAudio
recording a private PulseAudio null sink's monitor while ``paplay`` plays
espeak-ng speech into the sink, which is a microphone that hears exactly what
was played (see DESIGN.md, "microphone without hardware").
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import types
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from homebrain.audio.mic import INSTALL_HINT, MicError, MicSource, list_input_devices
from homebrain.audio.pcm import RATE, AudioFormatError, PcmFormat, to_speech_pcm
from homebrain.audio.sources import AudioChunk, read_wav

ROOT = Path(__file__).resolve().parent.parent

# an exception escaping the reader thread is a failure, not a warning
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")


# --- a fake PyAudio --------------------------------------------------------------------------

FAKE_DEVICES: list[dict[str, Any]] = [
    {"name": "HDA Intel PCH: ALC892 Analog (hw:0,0)", "in": 2, "rate": 44100.0},
    {"name": "HDA Intel PCH: ALC892 Digital (hw:0,1)", "in": 0, "rate": 44100.0},  # output only
    {"name": "USB PnP Sound Device: Audio (hw:1,0)", "in": 1, "rate": 48000.0, "no16k": True},
    {"name": "pulse", "in": 32, "rate": 44100.0},
    {"name": "pulse (monitor)", "in": 2, "rate": 44100.0},
    {"name": "default", "in": 32, "rate": 44100.0},
]
DEFAULT_INDEX = 5


@dataclass
class Feed:
    """What the fake device delivers, then how it ends: an error, a hang, or real-time silence."""

    data: bytes = b""
    then: str = "error"  # "error" | "hang" | "silence"
    release: threading.Event = field(default_factory=threading.Event)  # ends a "hang"


class FakeStream:
    def __init__(self, pa: FakePyAudio, rate: int, channels: int, frames: int) -> None:
        self.pa, self.rate, self.channels, self.frames = pa, rate, channels, frames
        self.started = self.stopped = self.closed = False
        self.overflow_flags: list[bool] = []
        self.pos = 0

    def start_stream(self) -> None:
        self.started = True

    def read(self, frames: int, exception_on_overflow: bool = True) -> bytes:
        self.overflow_flags.append(exception_on_overflow)
        if exception_on_overflow:  # what PortAudio says when the listener was slow
            raise OSError(-9981, "Input overflowed")
        feed = self.pa.feed
        size = frames * self.channels * 2
        if self.pos < len(feed.data):
            block = feed.data[self.pos : self.pos + size]
            self.pos += size
            return block.ljust(size, b"\0")
        if feed.then == "hang":
            feed.release.wait(10)
            return bytes(size)
        if feed.then == "silence":
            time.sleep(frames / self.rate)
            return bytes(size)
        raise OSError(-9999, "Unanticipated host error")

    def stop_stream(self) -> None:
        self.stopped = True

    def close(self) -> None:
        self.closed = True


class FakePyAudio:
    instances: ClassVar[list[FakePyAudio]] = []  # every one made, newest last
    feed: ClassVar[Feed] = Feed()

    def __init__(self) -> None:
        self.terminated = False
        self.streams: list[FakeStream] = []
        FakePyAudio.instances.append(self)

    def get_device_count(self) -> int:
        return len(FAKE_DEVICES)

    def get_device_info_by_index(self, index: int) -> dict[str, Any]:
        if not 0 <= index < len(FAKE_DEVICES):
            raise OSError(-9996, "Invalid device")
        d = FAKE_DEVICES[index]
        return {
            "index": index,
            "name": d["name"],
            "maxInputChannels": d["in"],
            "defaultSampleRate": d["rate"],
        }

    def get_default_input_device_info(self) -> dict[str, Any]:
        return self.get_device_info_by_index(DEFAULT_INDEX)

    def is_format_supported(self, rate: int, **kw: Any) -> bool:
        d = FAKE_DEVICES[kw["input_device"]]
        if kw["input_channels"] > d["in"] or (rate == 16000 and d.get("no16k")):
            raise ValueError("Invalid sample rate", -9997)
        return True

    def open(self, **kw: Any) -> FakeStream:
        assert kw["input"] and not kw.get("start", True)
        stream = FakeStream(self, kw["rate"], kw["channels"], kw["frames_per_buffer"])
        self.streams.append(stream)
        return stream

    def terminate(self) -> None:
        self.terminated = True


@pytest.fixture
def fake_pyaudio(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakePyAudio]]:
    module = types.ModuleType("pyaudio")
    module.PyAudio = FakePyAudio  # type: ignore[attr-defined]
    module.paInt16 = 8  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyaudio", module)
    FakePyAudio.instances = []
    FakePyAudio.feed = Feed()
    yield FakePyAudio
    FakePyAudio.feed.release.set()  # frees a reader thread left hanging


def collect(mic: MicSource, timeout: float = 5.0) -> list[AudioChunk]:
    """All of ``mic.chunks()``, run the way the daemon runs it: on a thread of its own."""
    got: list[AudioChunk] = []
    thread = threading.Thread(target=lambda: got.extend(mic.chunks()))
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "chunks() did not end"
    return got


def pcm_bytes(signal: np.ndarray) -> bytes:
    """float [-1, 1] frames (x channels) → interleaved s16le."""
    return np.round(signal * 32767).astype("<i2").tobytes()


# --- choosing the device ---------------------------------------------------------------------


def test_device_by_name_part_ignores_case_and_output_only_devices(fake_pyaudio: Any) -> None:
    mic = MicSource("alc892")  # also the name of output-only device 1: not a microphone
    assert (mic.index, mic.name) == (0, "mic:HDA Intel PCH: ALC892 Analog (hw:0,0)")
    assert mic.rate == RATE  # 16 kHz when the device offers it, whatever its default
    mic.close()


def test_device_by_index_int_or_digits(fake_pyaudio: Any) -> None:
    for device in (3, "3", " 3 "):
        mic = MicSource(device)
        assert mic.device_name == "pulse"
        mic.close()


def test_exact_name_beats_a_longer_match(fake_pyaudio: Any) -> None:
    assert MicSource("PULSE").index == 3  # "pulse (monitor)" contains it too


def test_no_device_means_the_default_one(fake_pyaudio: Any) -> None:
    assert MicSource().device_name == "default"


def test_device_rate_when_16k_is_not_offered(fake_pyaudio: Any) -> None:
    mic = MicSource("usb pnp")
    assert mic.rate == 48000 and mic.block_frames == 1440  # 30 ms


def test_explicit_rate_the_device_lacks_is_named(fake_pyaudio: Any) -> None:
    with pytest.raises(MicError, match=r"16000 Hz \(its default rate is 48000 Hz\)"):
        MicSource("usb", rate=16000)
    assert all(pa.terminated for pa in fake_pyaudio.instances)  # nothing left open


def test_unknown_name_lists_the_input_devices(fake_pyaudio: Any) -> None:
    with pytest.raises(MicError) as err:
        MicSource("Blue Yeti")
    text = str(err.value)
    assert "'Blue Yeti'" in text
    assert "0: HDA Intel PCH: ALC892 Analog (hw:0,0) (44100 Hz)" in text
    assert "2: USB PnP Sound Device: Audio (hw:1,0) (48000 Hz)" in text
    assert "3: pulse" in text and "5: default" in text
    assert "Digital" not in text  # not a microphone
    assert isinstance(err.value, AudioFormatError)  # reported like any other bad source


def test_ambiguous_name_lists_the_matches(fake_pyaudio: Any) -> None:
    with pytest.raises(MicError, match="ambiguous") as err:
        MicSource("hw:")
    assert "0: HDA Intel" in str(err.value) and "2: USB PnP" in str(err.value)
    with pytest.raises(MicError, match="ambiguous"):
        MicSource("puls")


def test_an_output_device_or_missing_index_is_refused(fake_pyaudio: Any) -> None:
    with pytest.raises(MicError, match="device 1 is not a microphone; input devices: 0: HDA"):
        MicSource(1)
    with pytest.raises(MicError, match="device 42 is not a microphone"):
        MicSource(42)


def test_too_many_channels(fake_pyaudio: Any) -> None:
    with pytest.raises(MicError, match="at most 1 channels, not 2"):
        MicSource("usb", channels=2)


def test_list_input_devices(fake_pyaudio: Any) -> None:
    assert list_input_devices() == [
        (0, "HDA Intel PCH: ALC892 Analog (hw:0,0)", 44100),
        (2, "USB PnP Sound Device: Audio (hw:1,0)", 48000),
        (3, "pulse", 44100),
        (4, "pulse (monitor)", 44100),
        (5, "default", 44100),
    ]
    assert fake_pyaudio.instances[-1].terminated


# --- without PyAudio -------------------------------------------------------------------------


def test_without_pyaudio_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyaudio", None)  # what an absent module looks like
    with pytest.raises(MicError, match=r"pip install 'homebrain\[audio\]'") as err:
        MicSource()
    assert INSTALL_HINT in str(err.value) and isinstance(err.value.__cause__, ImportError)
    with pytest.raises(MicError, match="PyAudio, which is not installed"):
        list_input_devices()


def test_module_imports_without_pyaudio() -> None:
    code = "import sys; sys.modules['pyaudio'] = None; import homebrain.audio.mic"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


# --- reading ---------------------------------------------------------------------------------


def test_resampled_blocks_join_without_seams(fake_pyaudio: Any) -> None:
    """48 kHz in 30 ms blocks comes out exactly as if the whole recording were converted at once."""
    t = np.arange(1440 * 34) / 48000  # 34 blocks
    signal = 0.5 * np.sin(2 * np.pi * (200 + 3000 * t) * t)  # a chirp through the speech band
    for device, channels, frames in (
        ("usb", 1, signal),
        (0, 2, np.stack([signal, -0.5 * signal], axis=1)),
    ):
        data = pcm_bytes(frames)
        fake_pyaudio.feed = Feed(data)  # then the device fails: that ends chunks()
        mic = MicSource(device, rate=48000, channels=channels)
        chunks = collect(mic)
        assert [len(c.samples) for c in chunks] == [480] * 34
        assert [c.start for c in chunks] == pytest.approx([i * 0.03 for i in range(34)])
        whole = to_speech_pcm(data, PcmFormat(48000, 2, channels))
        assert np.array_equal(np.concatenate([c.samples for c in chunks]), whole)


def test_16k_mono_passes_through_exactly_with_stream_time(fake_pyaudio: Any) -> None:
    samples = np.random.default_rng(1).integers(-20000, 20000, 480 * 67, dtype=np.int16)
    fake_pyaudio.feed = Feed(samples.astype("<i2").tobytes())
    chunks = collect(MicSource("pulse"))
    assert np.array_equal(np.concatenate([c.samples for c in chunks]), samples)
    assert chunks[-1].start == pytest.approx(66 * 0.03)


def test_reads_never_raise_on_overflow(fake_pyaudio: Any) -> None:
    fake_pyaudio.feed = Feed(bytes(16000))
    mic = MicSource("pulse")
    assert len(collect(mic)) > 0
    stream = fake_pyaudio.instances[-1].streams[0]
    assert stream.overflow_flags and not any(stream.overflow_flags)


def test_unplugged_device_is_logged_and_ends_chunks(
    fake_pyaudio: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake_pyaudio.feed = Feed(bytes(1440 * 2 * 3))  # 90 ms, then OSError as when a USB mic is pulled
    mic = MicSource("usb")
    with caplog.at_level(logging.ERROR, "homebrain.audio"):
        chunks = collect(mic)
    assert sum(len(c.samples) for c in chunks) == 1440
    assert "USB PnP Sound Device" in caplog.text and "Unanticipated host error" in caplog.text
    pa = fake_pyaudio.instances[-1]
    assert pa.streams[0].closed and pa.terminated and mic.closed


def test_a_read_that_never_returns_ends_chunks_after_the_stall_time(
    fake_pyaudio: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sound server that dies can leave PortAudio's read blocked: chunks() must not wait too."""
    monkeypatch.setattr(MicSource, "STALL_SECONDS", 0.3)
    fake_pyaudio.feed = Feed(bytes(3200), then="hang")
    mic = MicSource("pulse")
    began = time.monotonic()
    with caplog.at_level(logging.ERROR, "homebrain.audio"):
        chunks = collect(mic)
    assert time.monotonic() - began < 2.0
    assert len(chunks) >= 3 and "delivered no audio for 0.3 s" in caplog.text
    fake_pyaudio.feed.release.set()  # the read returns late: the reader sees closed and releases
    stream = fake_pyaudio.instances[-1].streams[0]
    deadline = time.monotonic() + 2
    while not stream.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.closed


def test_no_first_audio_within_start_seconds(
    fake_pyaudio: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MicSource, "START_SECONDS", 0.2)
    fake_pyaudio.feed = Feed(then="hang")
    with caplog.at_level(logging.ERROR, "homebrain.audio"):
        assert collect(MicSource("pulse")) == []
    assert "delivered no audio for 0.2 s" in caplog.text


def test_close_from_another_thread_ends_chunks(fake_pyaudio: Any) -> None:
    fake_pyaudio.feed = Feed(then="silence")  # real-time, endless
    mic = MicSource("pulse")
    threading.Timer(0.3, mic.close).start()
    began = time.monotonic()
    chunks = collect(mic)
    assert 0.25 < time.monotonic() - began < 1.0 and len(chunks) >= 5
    pa = fake_pyaudio.instances[-1]
    deadline = time.monotonic() + 1
    while not pa.terminated and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pa.streams[0].stopped and pa.streams[0].closed and pa.terminated
    assert list(mic.chunks()) == []  # one pass


def test_close_before_reading_releases_the_device(fake_pyaudio: Any) -> None:
    with MicSource("pulse") as mic:
        pass
    pa = fake_pyaudio.instances[-1]
    assert pa.terminated and pa.streams[0].closed and not pa.streams[0].started
    assert list(mic.chunks()) == []


def test_a_listener_that_falls_behind_loses_audio_not_time(
    fake_pyaudio: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(MicSource, "QUEUE_SECONDS", 0.09)  # three blocks
    fake_pyaudio.feed = Feed(bytes(480 * 2 * 67), then="silence")  # 2 s at once, then real time
    mic = MicSource("pulse")
    chunks: list[AudioChunk] = []
    with caplog.at_level(logging.WARNING, "homebrain.audio"):
        for chunk in mic.chunks():
            chunks.append(chunk)
            if len(chunks) == 1:
                time.sleep(0.3)  # the reader runs on and overfills the queue
            if len(chunks) == 10:
                mic.close()
    assert mic.dropped > 0 and "fell behind" in caplog.text
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert max(np.diff(starts)) > 1.0  # the gap shows in stream time
    assert starts[-1] >= 67 * 0.03  # what came after the gap is stamped when it was recorded


# --- the real thing: PyAudio recording a PulseAudio null sink --------------------------------

NEEDS = {
    "pulseaudio": "apt-get install pulseaudio",
    "pactl": "apt-get install pulseaudio-utils",
    "paplay": "apt-get install pulseaudio-utils",
    "espeak-ng": "apt-get install espeak-ng",
}


def _need_pulse() -> None:
    """Skip, saying exactly what is missing; with HOMEBRAIN_REQUIRE_MIC=1 (CI) fail instead."""
    missing = [f"{tool} ({how})" for tool, how in NEEDS.items() if not shutil.which(tool)]
    try:
        import pyaudio  # noqa: F401
    except ImportError:
        missing.append("PyAudio (apt-get install portaudio19-dev; pip install pyaudio)")
    plugin = "alsa-lib/libasound_module_pcm_pulse.so"
    if not [*Path("/usr/lib").glob(f"*/{plugin}"), *Path("/usr/lib").glob(plugin)]:
        missing.append("ALSA's pulse plugin (apt-get install libasound2-plugins)")
    if missing:
        message = "no PulseAudio microphone: missing " + ", ".join(missing)
        if os.environ.get("HOMEBRAIN_REQUIRE_MIC") == "1":
            pytest.fail(message)
        pytest.skip(message)


class Pulse:
    """scripts/pulse_null_sink.sh in ``where``, as a child process of the test."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.server = f"unix:{where}/native"
        self.log = (where / "pulse.log").open("wb")
        self.proc = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "pulse_null_sink.sh"), str(where)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while True:
            ok = (where / "native").exists() and self.pactl("info").returncode == 0
            if ok:
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"PulseAudio did not start: {(where / 'pulse.log').read_text()}")
            time.sleep(0.05)

    def pactl(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "PULSE_SERVER": self.server}
        return subprocess.run(["pactl", *args], env=env, capture_output=True, timeout=10)

    def play(self, wav: Path) -> None:
        env = {**os.environ, "PULSE_SERVER": self.server}
        subprocess.run(["paplay", str(wav)], env=env, check=True, timeout=20)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulse]:
    _need_pulse()
    server = Pulse(tmp_path_factory.mktemp("pulse"))
    with pytest.MonkeyPatch.context() as mp:
        # libpulse (under ALSA's pulse plugin, under PortAudio) reads this when a stream opens
        mp.setenv("PULSE_SERVER", server.server)
        yield server
    server.stop()


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """espeak-ng saying a command, as a 16 kHz mono WAV (the sink's format) and its samples."""
    _need_pulse()
    where = tmp_path_factory.mktemp("speech")
    raw = where / "espeak.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-w", str(raw), "turn on the kitchen light"],
        check=True,
        timeout=30,
    )
    samples = read_wav(raw, str(raw))
    wav = where / "speech16k.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype("<i2").tobytes())
    return wav, samples


def record_while_playing(mic: MicSource, pulse: Pulse, wav: Path) -> np.ndarray:
    """Start recording, play ``wav`` into the sink once audio flows, stop a little after."""
    chunks: list[AudioChunk] = []
    thread = threading.Thread(target=lambda: chunks.extend(mic.chunks()))
    thread.start()
    deadline = time.monotonic() + 8
    while not chunks and time.monotonic() < deadline:  # the first read can take a second
        time.sleep(0.01)
    assert chunks, "no audio from PulseAudio"
    time.sleep(0.3)
    pulse.play(wav)
    time.sleep(0.3)
    mic.close()
    thread.join(5)
    assert not thread.is_alive()
    assert all(len(c.samples) == 480 for c in chunks[:-1])
    starts = [c.start for c in chunks]
    assert starts == pytest.approx([i * 0.03 for i in range(len(chunks))])
    return np.concatenate([c.samples for c in chunks])


def loud_span(samples: np.ndarray, level: int = 300) -> tuple[float, float]:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > level)
    return loud[0] / RATE, loud[-1] / RATE


def test_pulse_devices_are_listed_and_chosen(pulse: Pulse) -> None:
    devices = list_input_devices()
    by_name = {name: index for index, name, _ in devices}
    assert "pulse" in by_name, devices
    for device in ("PULSE", by_name["pulse"], str(by_name["pulse"])):
        with MicSource(device) as mic:
            assert mic.device_name == "pulse" and mic.rate == RATE
    with pytest.raises(MicError, match="no microphone named like 'no such mic'") as err:
        MicSource("no such mic")
    assert f"{by_name['pulse']}: pulse (" in str(err.value)


@pytest.mark.parametrize(("rate", "channels"), [(None, 1), (44100, 2)])
def test_records_speech_played_into_the_sink(
    pulse: Pulse, speech: tuple[Path, np.ndarray], rate: int | None, channels: int
) -> None:
    wav, sent = speech
    mic = MicSource("pulse", rate=rate, channels=channels)
    assert mic.rate == (rate or RATE)
    got = record_while_playing(mic, pulse, wav)

    onset, end = loud_span(got)
    sent_onset, sent_end = loud_span(sent)
    assert abs((end - onset) - (sent_end - sent_onset)) < 0.3
    before = got[: int((onset - 0.05) * RATE)].astype(float)
    during = got[int(onset * RATE) : int(end * RATE)].astype(float)
    assert len(before) > 0.2 * RATE  # recording ran before the speech came
    assert np.sqrt(np.mean(during**2)) > 100 * max(1.0, np.sqrt(np.mean(before**2)))

    # the speech itself, not just something loud: a strong normalised correlation peak
    x, s = got.astype(float), sent.astype(float)
    corr = np.correlate(x, s, mode="valid")
    lag = int(np.argmax(corr))
    segment = x[lag : lag + len(s)]
    assert corr[lag] / np.sqrt((segment @ segment) * (s @ s)) > 0.99
    if rate is None:  # 16 kHz mono end to end: PulseAudio hands over the very samples played
        assert np.array_equal(got[lag : lag + len(sent)], sent)


def test_pulseaudio_dying_mid_stream_ends_chunks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The sound server is the device here: killing it is the nearest thing to pulling the plug."""
    _need_pulse()
    own = Pulse(tmp_path)
    try:
        monkeypatch.setenv("PULSE_SERVER", own.server)
        monkeypatch.setattr(MicSource, "STALL_SECONDS", 0.5)
        mic = MicSource("pulse")
        chunks: list[AudioChunk] = []
        killed_at: list[float] = []

        def listen() -> None:
            for chunk in mic.chunks():
                chunks.append(chunk)
                if len(chunks) == 5:
                    own.proc.kill()
                    killed_at.append(time.monotonic())

        with caplog.at_level(logging.ERROR, "homebrain.audio"):
            thread = threading.Thread(target=listen)
            thread.start()
            thread.join(10)
        assert not thread.is_alive(), "chunks() outlived the sound server"
        assert killed_at and time.monotonic() - killed_at[0] < 3
        # PortAudio's read fails (logged "stopped delivering audio"), or hangs and the stall
        # timeout ends it ("delivered no audio"): both have been seen with the pulse plugin
        assert "microphone" in caplog.text and "(pulse)" in caplog.text
    finally:
        own.stop()
