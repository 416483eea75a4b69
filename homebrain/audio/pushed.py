"""Audio that arrives in pieces from elsewhere: a satellite's chunks on MQTT.

A satellite with only a microphone streams raw 16 kHz mono s16le PCM (what
Rhasspy satellites and ``arecord -r 16000 -f S16_LE`` give) or sends whole
WAV files of any format. The MQTT thread ``push`` es payloads; the listener
thread reads ``chunks``. When the stream pauses the source adds silence, so an
utterance whose satellite stopped sending right after it still ends.
"""

from __future__ import annotations

import io
import logging
import queue
from collections.abc import Iterator

import numpy as np

from homebrain.audio.pcm import RATE, SPEECH, AudioFormatError, to_speech_pcm
from homebrain.audio.sources import CHUNK_MS, AudioChunk, _chunked, read_wav

log = logging.getLogger("homebrain.audio")

MAX_PAYLOAD = 4 * 1024 * 1024  # bytes; about two minutes of 16 kHz speech
IDLE_SECONDS = 0.5  # a pause this long in the stream is filled with silence...
IDLE_FILL = 1.0  # ...this long, once per pause


class PushedSource:
    def __init__(self, name: str, max_queue: int = 2000) -> None:
        self.name = name
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=max_queue)
        self._position = 0.0
        self.dropped = 0  # payloads refused (bad, too big, or the listener fell behind)

    def push(self, payload: bytes) -> bool:
        """Queue one payload; a bad one is logged and skipped (False), never raised."""
        try:
            samples = self.decode(payload)
        except AudioFormatError as exc:
            self.dropped += 1
            log.warning("%s: audio payload of %d bytes skipped: %s", self.name, len(payload), exc)
            return False
        try:
            self._queue.put_nowait(samples)
        except queue.Full:
            self.dropped += 1
            log.warning("%s: the listener is behind; audio dropped", self.name)
            return False
        return True

    def decode(self, payload: bytes) -> np.ndarray:
        if len(payload) > MAX_PAYLOAD:
            raise AudioFormatError(f"{len(payload)} bytes is more than {MAX_PAYLOAD} in one piece")
        if payload[:4] == b"RIFF":
            return read_wav(io.BytesIO(payload), self.name)
        if len(payload) % 2:
            raise AudioFormatError("raw audio must be 16-bit samples (an even number of bytes)")
        return to_speech_pcm(payload, SPEECH, self.name)

    def close(self) -> None:
        self._queue.put(None)

    def chunks(self) -> Iterator[AudioChunk]:
        filled = True  # nothing to end before the first audio
        while True:
            try:
                samples = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                if not filled:
                    samples = np.zeros(int(RATE * IDLE_FILL), dtype=np.int16)
                    filled = True
                else:
                    continue
            else:
                if samples is None:
                    return
                filled = False
            yield from _chunked(samples, self._position, CHUNK_MS)
            self._position += len(samples) / RATE
