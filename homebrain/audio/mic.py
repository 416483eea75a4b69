"""The microphone, through PyAudio (PortAudio), as an ``AudioSource``.

PyAudio is an optional extra (it needs PortAudio to build), so it is imported
only when a microphone is opened: the rest of homebrain, and machines without a
sound card, never need it. Reads happen on a thread of their own because a
sound server that dies can leave PortAudio's read blocked for good (seen with
ALSA's PulseAudio plugin); ``chunks()`` then ends after ``STALL_SECONDS``
without audio instead of hanging the daemon's listener with it.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from homebrain.audio.pcm import RATE, WIDTH, AudioFormatError, PcmFormat, to_speech_pcm
from homebrain.audio.sources import CHUNK_MS, AudioChunk

log = logging.getLogger("homebrain.audio")

INSTALL_HINT = "pip install 'homebrain[audio]'"


class MicError(AudioFormatError):
    """A microphone that cannot be opened; an ``AudioFormatError`` so callers report it alike."""


def _import_pyaudio() -> Any:
    try:
        import pyaudio  # untyped; ignore_missing_imports covers it
    except ImportError as exc:
        raise MicError(
            f"the microphone needs PyAudio, which is not installed: {INSTALL_HINT} "
            "(building it needs PortAudio: apt-get install portaudio19-dev)"
        ) from exc
    return pyaudio


def _input_devices(pa: Any) -> list[tuple[int, str, int]]:
    devices = []
    for index in range(pa.get_device_count()):
        info = pa.get_device_info_by_index(index)
        if int(info.get("maxInputChannels", 0)) > 0:
            devices.append((index, str(info["name"]), int(info["defaultSampleRate"])))
    return devices


def list_input_devices() -> list[tuple[int, str, int]]:
    """(index, name, default rate) of every device that records, for choosing one in the config."""
    pa = _import_pyaudio().PyAudio()
    try:
        return _input_devices(pa)
    finally:
        pa.terminate()


def _describe(devices: list[tuple[int, str, int]]) -> str:
    if not devices:
        return "there are no input devices"
    return "input devices: " + "; ".join(f"{i}: {name} ({rate} Hz)" for i, name, rate in devices)


def _pick_device(pa: Any, device: str | int | None) -> tuple[int, str, int, int]:
    """(index, name, default rate, max channels) of the device asked for by index or name."""
    devices = _input_devices(pa)
    if device is None:
        try:
            index = int(pa.get_default_input_device_info()["index"])
        except (OSError, KeyError) as exc:
            raise MicError(f"no default microphone; {_describe(devices)}") from exc
    elif isinstance(device, int) or device.strip().isdigit():
        index = int(device)
    else:
        wanted = device.strip().lower()
        exact = [d for d in devices if d[1].lower() == wanted]
        found = exact or [d for d in devices if wanted in d[1].lower()]
        if not found:
            raise MicError(f"no microphone named like {device!r}; {_describe(devices)}")
        if len(found) > 1:
            names = ", ".join(f"{i}: {name}" for i, name, _ in found)
            raise MicError(
                f"microphone {device!r} is ambiguous, it matches {names}; "
                "give more of the name or the index"
            )
        index = found[0][0]
    if index not in {d[0] for d in devices}:
        raise MicError(f"device {index} is not a microphone; {_describe(devices)}")
    info = pa.get_device_info_by_index(index)
    return index, str(info["name"]), int(info["defaultSampleRate"]), int(info["maxInputChannels"])


def _supported(pa: Any, pyaudio: Any, index: int, rate: int, channels: int) -> bool:
    try:
        return bool(
            pa.is_format_supported(
                rate, input_device=index, input_channels=channels, input_format=pyaudio.paInt16
            )
        )
    except (ValueError, OSError):  # ValueError is PyAudio's way of saying "no"
        return False


def _block_frames(rate: int, chunk_ms: int) -> int:
    """Device frames per read: about ``chunk_ms``, and a whole number of 16 kHz samples.

    Blocks that convert to a whole number of samples keep the resampling grid
    continuous from block to block, so joined blocks have no seams.
    """
    period = rate // math.gcd(rate, RATE)  # the fewest frames that make whole samples
    return period * max(1, round(rate * chunk_ms / 1000 / period))


class _Converter:
    """Device blocks → 16 kHz mono, each converted with its neighbours as context.

    ``to_speech_pcm`` low-passes with zero padding at the edges of what it is
    given; converting a block alone would click every block. With the block
    before and after as context the edges fall outside the kept part, at the
    cost of one block of latency (none when the device already gives 16 kHz).
    Outputs come with the stream time of their first sample.
    """

    def __init__(self, fmt: PcmFormat, block_frames: int, where: str) -> None:
        self.fmt = fmt
        self.where = where
        self.direct = fmt.rate == RATE
        self.out_per_block = block_frames * RATE // fmt.rate
        self._prev: bytes | None = None  # already emitted, kept as context
        self._cur: tuple[int, bytes] | None = None  # waiting for the block after it

    def push(self, offset: int, data: bytes) -> tuple[float, np.ndarray] | None:
        """``data`` read at frame ``offset``; the next output, if one is ready."""
        if self.direct:
            return offset / self.fmt.rate, to_speech_pcm(data, self.fmt, self.where)
        ready = None if self._cur is None else self._emit(data)
        self._prev = None if self._cur is None else self._cur[1]
        self._cur = (offset, data)
        return ready

    def flush(self) -> tuple[float, np.ndarray] | None:
        """The last block, without a block after it (at a gap or the end of the stream)."""
        ready = None if self._cur is None else self._emit(b"")
        self._prev = self._cur = None
        return ready

    def _emit(self, after: bytes) -> tuple[float, np.ndarray]:
        assert self._cur is not None
        offset, cur = self._cur
        before = self._prev or b""
        converted = to_speech_pcm(before + cur + after, self.fmt, self.where)
        skip = self.out_per_block if before else 0
        return offset / self.fmt.rate, converted[skip : skip + self.out_per_block]


class MicSource:
    """A live microphone: 16 kHz mono chunks with ``start`` in stream time, until closed.

    One pass: the stream starts on the first ``chunks()`` and is released when
    that ends, by ``close()`` (from any thread), a failed or stalled device, or
    the caller stopping. Errors in choosing or opening the device are raised
    here, at construction, where the daemon can still report them plainly.
    """

    START_SECONDS = 5.0  # the first audio may take a while (seen: 2 s from an idle PulseAudio)
    STALL_SECONDS = 2.0  # a device that delivers nothing this long is gone
    QUEUE_SECONDS = 10.0  # audio held for a listener that falls behind; newer blocks are dropped

    def __init__(
        self,
        device: str | int | None = None,
        rate: int | None = None,
        channels: int = 1,
        chunk_ms: int = CHUNK_MS,
    ) -> None:
        pyaudio = _import_pyaudio()
        pa = pyaudio.PyAudio()
        try:
            index, device_name, default_rate, max_channels = _pick_device(pa, device)
            where = f"microphone {index} ({device_name})"
            if not 1 <= channels <= max_channels:
                raise MicError(f"{where} records at most {max_channels} channels, not {channels}")
            if rate is None:
                rate = RATE if _supported(pa, pyaudio, index, RATE, channels) else default_rate
            fmt = PcmFormat(rate, WIDTH, channels)
            fmt.check(where)
            if not _supported(pa, pyaudio, index, rate, channels):
                raise MicError(
                    f"{where} cannot record {channels} channel(s) at {rate} Hz "
                    f"(its default rate is {default_rate} Hz)"
                )
            block = _block_frames(rate, chunk_ms)
            try:
                stream = pa.open(
                    format=pyaudio.paInt16,
                    channels=channels,
                    rate=rate,
                    input=True,
                    input_device_index=index,
                    frames_per_buffer=block,
                    start=False,  # started by chunks(): no stale audio before the listener runs
                )
            except (OSError, ValueError) as exc:
                raise MicError(f"{where} cannot be opened: {exc}") from exc
        except BaseException:
            pa.terminate()
            raise
        self.name = f"mic:{device_name}"
        self.index = index
        self.device_name = device_name
        self.fmt = fmt
        self.chunk_ms = chunk_ms
        self.block_frames = block
        self.dropped = 0  # blocks lost because the listener fell behind
        self._where = where
        self._pa = pa
        self._stream = stream
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._started = False
        self._released = False

    @property
    def rate(self) -> int:
        """The device's rate, as recorded (chunks are always 16 kHz)."""
        return self.fmt.rate

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        """Stop recording; a running ``chunks()`` ends within about one block."""
        self._closed.set()
        with self._lock:
            if not self._started:  # no reader owns the stream: release it here
                self._release()

    def __enter__(self) -> MicSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _release(self) -> None:
        if self._released:
            return
        self._released = True
        for step in (self._stream.stop_stream, self._stream.close, self._pa.terminate):
            try:
                step()
            except Exception as exc:  # a device already gone fails to stop; nothing to keep
                log.debug("%s: releasing: %s", self._where, exc)

    def _read(self, blocks: queue.Queue[tuple[int, bytes] | None], limit: int) -> None:
        """The reader thread: device blocks onto the queue until closed or the device fails."""
        frames = 0
        try:
            self._stream.start_stream()
            while not self._closed.is_set():
                data = self._stream.read(self.block_frames, exception_on_overflow=False)
                if blocks.qsize() < limit:  # only this thread adds: the check holds
                    blocks.put((frames, data))
                else:
                    if self.dropped == 0:
                        log.warning("%s: the listener fell behind, dropping audio", self._where)
                    self.dropped += 1
                frames += self.block_frames
        except Exception as exc:  # OSError when unplugged; never let it escape the thread
            if not self._closed.is_set():
                log.error("%s stopped delivering audio: %s", self._where, exc)
        finally:
            self._closed.set()
            self._release()
            blocks.put(None)  # never blocks: the queue has no maxsize, the limit is checked above

    def chunks(self) -> Iterator[AudioChunk]:
        """Chunks of exactly ``chunk_ms`` (the last may be short); a gap in ``start`` marks loss."""
        with self._lock:
            if self._started or self._closed.is_set():
                return
            self._started = True
        block_seconds = self.block_frames / self.rate
        blocks: queue.Queue[tuple[int, bytes] | None] = queue.Queue()
        limit = max(2, round(self.QUEUE_SECONDS / block_seconds))
        reader = threading.Thread(
            target=self._read, args=(blocks, limit), name=f"mic-{self.index}", daemon=True
        )
        reader.start()
        converter = _Converter(self.fmt, self.block_frames, self._where)
        size = RATE * self.chunk_ms // 1000
        pending = np.zeros(0, dtype=np.int16)
        pending_start = 0.0  # stream time of pending[0]
        expected = 0  # frame offset of the next block, when none was dropped

        def add(ready: tuple[float, np.ndarray] | None) -> None:
            nonlocal pending, pending_start
            if ready is not None:
                if not len(pending):
                    pending_start = ready[0]
                pending = np.concatenate([pending, ready[1]])

        wait = self.START_SECONDS
        try:
            while True:
                try:
                    item = blocks.get(timeout=wait)
                except queue.Empty:
                    log.error("%s delivered no audio for %.1f s; giving it up", self._where, wait)
                    break
                wait = self.STALL_SECONDS
                if item is None:
                    break
                offset, data = item
                if offset != expected:  # blocks were dropped: what is pending ends early
                    add(converter.flush())
                    if len(pending):
                        yield AudioChunk(pending, pending_start)
                    pending = np.zeros(0, dtype=np.int16)
                expected = offset + self.block_frames
                add(converter.push(offset, data))
                while len(pending) >= size:
                    yield AudioChunk(pending[:size], pending_start)
                    pending = pending[size:]
                    pending_start += size / RATE
            add(converter.flush())
            for start in range(0, len(pending), size):
                yield AudioChunk(pending[start : start + size], pending_start + start / RATE)
        finally:
            self._closed.set()  # the reader stops after its current block and releases
