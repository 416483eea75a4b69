"""One stream of audio to what was said in it: gate → endpointer → recogniser.

Every place that takes audio (the daemon's sources, `homebrain listen`,
`homebrain eval` with ``audio:`` tests) goes through a ``Listener``, so what is
evaluated is what runs. The gate (a wake word, push-to-talk) decides which
audio reaches the endpointer at all; with none, everything does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from homebrain.audio.endpoint import Endpointer, EndpointSettings, Utterance, VoiceDetector
from homebrain.audio.sources import AudioChunk
from homebrain.config.schema import EndpointConfig
from homebrain.speech.engine import AsrEngine, Transcript


class Gate(Protocol):
    def feed(self, chunk: AudioChunk, speaking: bool = False) -> bool:
        """True when this chunk should reach the endpointer (``speaking``: mid-utterance)."""
        ...

    def utterance_done(self) -> None: ...


@dataclass(frozen=True)
class Heard:
    """One utterance and what the recogniser made of it."""

    transcript: Transcript
    start: float  # seconds into the stream (of the audio the gate let through)
    end: float
    decode_ms: float  # recognition alone
    cut: bool = False  # the utterance reached max_utterance
    ended_at: float = 0.0  # time.perf_counter() when the end of speech was decided

    @property
    def text(self) -> str:
        return self.transcript.text


def endpoint_settings(config: EndpointConfig | None = None) -> EndpointSettings:
    return EndpointSettings(**(config or EndpointConfig()).model_dump())


class Listener:
    def __init__(
        self,
        engine: AsrEngine,
        settings: EndpointSettings | None = None,
        detector: VoiceDetector | None = None,
        gate: Gate | None = None,
    ) -> None:
        if detector is None:
            from homebrain.audio.endpoint import SileroDetector

            detector = SileroDetector()
        self.engine = engine
        self.endpointer = Endpointer(detector, settings)
        self.gate = gate

    def feed(self, chunk: AudioChunk) -> list[Heard]:
        speaking = self.endpointer.in_utterance
        if self.gate is not None and not self.gate.feed(chunk, speaking=speaking):
            return []
        return [self._recognise(u) for u in self.endpointer.feed(chunk)]

    def flush(self) -> list[Heard]:
        """The stream ended: an utterance still open ends here."""
        return [self._recognise(u) for u in self.endpointer.flush()]

    def run(self, chunks: Iterable[AudioChunk]) -> Iterator[Heard]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """A whole clip that is known to be one utterance (no endpointing)."""
        return self.engine.transcribe(samples)

    def _recognise(self, utterance: Utterance) -> Heard:
        ended = time.perf_counter()
        transcript = self.engine.transcribe(utterance.samples)
        decode_ms = (time.perf_counter() - ended) * 1000
        if self.gate is not None:
            self.gate.utterance_done()
        return Heard(transcript, utterance.start, utterance.end, decode_ms, utterance.cut, ended)
