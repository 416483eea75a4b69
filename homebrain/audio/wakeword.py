"""The wake word: a gate in front of endpointing, so only speech meant for homebrain is recognised.

A house is full of talk not addressed to homebrain (people, the TV); sending
all of it to recognition wastes the Pi and invites false commands.
``WakeWordDetector`` spots one of the phrases bundled with ``pymicro-wakeword``
(small streaming TFLite models, numpy only, no download); ``WakeGate`` passes
audio on only after it, after push-to-talk, or while homebrain awaits the
answer to its own question. Time is stream time, never the wall clock, so a
recording replays exactly as it ran live.
"""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np
from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model

from homebrain.audio.pcm import RATE
from homebrain.audio.sources import AudioChunk

log = logging.getLogger(__name__)

WAKE_WORDS: dict[str, Model] = {
    "okay_nabu": Model.OKAY_NABU,
    "hey_jarvis": Model.HEY_JARVIS,
    "hey_mycroft": Model.HEY_MYCROFT,
    "alexa": Model.ALEXA,
}

STEP = 160  # samples per feature step (10 ms), what the feature extractor consumes
STEP_SECONDS = STEP / RATE

GateState = Literal["waiting", "listening"]


def _samples(chunk: AudioChunk | np.ndarray) -> np.ndarray:
    return (chunk.samples if isinstance(chunk, AudioChunk) else chunk).astype(np.int16)


class WakeWordDetector:
    """One wake word over a stream of chunks of any length.

    The model fires on several 30 ms steps in a row for one spoken wake word;
    it is reset after the first, so each one counts once.
    """

    def __init__(self, name: str) -> None:
        if name not in WAKE_WORDS:
            known = ", ".join(sorted(WAKE_WORDS))
            raise ValueError(f"unknown wake word {name!r}; known: {known}")
        self.name = name
        self._model = MicroWakeWord.from_builtin(WAKE_WORDS[name])
        self._features = MicroWakeWordFeatures()
        self._pending = np.zeros(0, dtype=np.int16)  # less than one STEP, carried over
        self._clock = 0.0  # stream time of the first pending sample
        self.detected_at: float | None = None  # stream seconds of the last detection

    def feed(self, chunk: AudioChunk | np.ndarray) -> bool:
        """True when the wake word ended inside this chunk (or the carried-over bit before it)."""
        samples = _samples(chunk)
        if isinstance(chunk, AudioChunk):  # resynchronise: the caller may skip audio
            self._clock = chunk.start - len(self._pending) / RATE
        self._pending = np.concatenate([self._pending, samples])
        heard = False
        while len(self._pending) >= STEP:
            step, self._pending = self._pending[:STEP], self._pending[STEP:]
            self._clock += STEP_SECONDS
            if self._step(step) and not heard:
                heard = True
                self.detected_at = self._clock
                self._restart_model()
        return heard

    def reset(self) -> None:
        """Forget all audio heard so far: after a gap the stream must start afresh.

        Bare arrays fed afterwards count from 0 s again; chunks carry their own time.
        ``detected_at`` stays: it records the last detection, which still happened.
        """
        self._restart_model()
        self._pending = np.zeros(0, dtype=np.int16)
        self._clock = 0.0

    def _step(self, step: np.ndarray) -> bool:
        fired = False
        for features in self._features.process_streaming(step.tobytes()):
            fired = bool(self._model.process_streaming(features)) or fired
        return fired

    def _restart_model(self) -> None:
        # the model's streaming state and its window of probabilities carry the
        # last wake word; left in place it would fire again on the next steps
        self._model.reset()
        self._features.reset()


class WakeGate:
    """Decides, chunk by chunk, whether audio goes on to the endpointer.

    ``waiting``: only the detector hears audio. ``listening``: everything goes
    on, until one utterance is done (``utterance_done``) or ``listen_window``
    seconds pass without speech starting. No detector means no wake word: the
    gate always listens.
    """

    def __init__(
        self, detector: WakeWordDetector | None = None, listen_window: float = 8.0
    ) -> None:
        if listen_window <= 0:
            raise ValueError(f"listen_window must be positive, got {listen_window}")
        self.detector = detector
        self.listen_window = listen_window
        self.reason: str | None = None  # why the gate is listening, for logs
        self._listening = detector is None
        self._until = 0.0  # stream time the listen window closes unless speech started
        self._reopened = False  # open() came while listening: stay open after the utterance
        self._now = 0.0  # stream time at the end of the last chunk

    @property
    def state(self) -> GateState:
        return "listening" if self._listening else "waiting"

    def feed(self, chunk: AudioChunk | np.ndarray, speaking: bool = False) -> bool:
        """True: pass this chunk on to the endpointer.

        ``speaking`` says the endpointer is inside an utterance, so the listen
        window does not close mid-sentence; the utterance ends the listening
        through ``utterance_done`` instead.
        """
        if not isinstance(chunk, AudioChunk):  # a bare array follows on from the last chunk
            chunk = AudioChunk(chunk, self._now)
        start = chunk.start
        self._now = start + chunk.seconds
        if self.detector is None:
            return True
        if self._listening:
            if speaking or start < self._until:
                return True
            self._close("nothing said within the listen window")
        if self.detector.feed(chunk):
            at = self.detector.detected_at
            self._listen("wake word", self._now if at is None else at)
        return False  # the wake word itself is not for the recogniser

    def open(self, reason: str) -> None:
        """Listen without the wake word: push-to-talk, or homebrain asked a question."""
        if self.detector is None:
            return
        self._reopened = self._listening
        self._listen(reason, self._now)

    def utterance_done(self) -> None:
        """One utterance per wake word: back to waiting, unless ``open`` came meanwhile."""
        if self.detector is None or not self._listening:
            return
        if self._reopened:
            self._reopened = False
            self._until = max(self._until, self._now + self.listen_window)
            return
        self._close("utterance done")

    def _listen(self, reason: str, since: float) -> None:
        log.debug("listening from %.2f s: %s", since, reason)
        self._listening = True
        self.reason = reason
        self._until = since + self.listen_window

    def _close(self, why: str) -> None:
        log.debug("waiting for the wake word from %.2f s: %s", self._now, why)
        self._listening = False
        self._reopened = False
        self.reason = None
        if self.detector is not None:
            self.detector.reset()  # it heard nothing while listening: no stale context
