"""One stream of audio to what was said in it: gate → endpointer → recogniser.

Every place that takes audio (the daemon's sources, `homebrain listen`,
`homebrain eval` with ``audio:`` tests) goes through a ``Listener``, so what is
evaluated is what runs. The gate (a wake word, push-to-talk) decides which
audio reaches the endpointer at all; with none, everything does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, cast

from homebrain.audio.endpoint import (
    FRAME,
    Endpointer,
    EndpointSettings,
    Utterance,
    VoiceDetector,
)
from homebrain.audio.sources import AudioChunk
from homebrain.config.schema import EndpointConfig
from homebrain.speech.engine import AsrEngine, StreamingAsrEngine, Transcript


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
    """Gate → endpointer → recogniser for one stream.

    With a streaming engine the utterance is decoded while it is spoken, so
    the end of speech leaves only the trailing frames to decode; otherwise the
    whole utterance is decoded at its end. An engine's first utterance is
    decoded whole even so: pocketsphinx normalises live audio with a running
    mean that starts from a default and learns it from the utterances it has
    decoded (its first streamed one was often misheard).
    """

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
        self._next: AsrEngine | None = None  # a rebuilt engine, taken between utterances
        self._lock = threading.Lock()
        self._fed = 0  # frames of the open utterance the streaming engine has had
        self._streaming = False
        self._warm = False  # the engine has decoded an utterance

    def swap_engine(self, engine: AsrEngine) -> None:
        """Use ``engine`` from the next utterance on (a config reload rebuilt it)."""
        with self._lock:
            self._next = engine

    def feed(self, chunk: AudioChunk) -> list[Heard]:
        speaking = self.endpointer.in_utterance
        if self.gate is not None and not self.gate.feed(chunk, speaking=speaking):
            return []
        heard = [self._recognise(u) for u in self.endpointer.feed(chunk)]
        self._stream()
        return heard

    def flush(self) -> list[Heard]:
        """The stream ended: an utterance still open ends here."""
        heard = [self._recognise(u) for u in self.endpointer.flush()]
        self._stream()
        return heard

    def run(self, chunks: Iterable[AudioChunk]) -> Iterator[Heard]:
        for chunk in chunks:
            yield from self.feed(chunk)
        yield from self.flush()

    def _stream(self) -> None:
        """Keep a streaming engine up to date with the open utterance (or drop a blip)."""
        endpointer = self.endpointer
        if not endpointer.in_utterance:
            if self._streaming:  # dropped as too short: no utterance came of it
                cast(StreamingAsrEngine, self.engine).abort()
                self._streaming = False
            self._take_next()
            return
        if not self._streaming:
            self._take_next()
            if not self._warm or not isinstance(self.engine, StreamingAsrEngine):
                return
            self.engine.begin()
            self._streaming, self._fed = True, 0
        cast(StreamingAsrEngine, self.engine).feed(endpointer.utterance_audio(self._fed))
        self._fed = endpointer.utterance_frames

    def _take_next(self) -> None:
        with self._lock:
            if self._next is not None:
                self.engine, self._next = self._next, None
                self._warm = False

    def _recognise(self, utterance: Utterance) -> Heard:
        ended = time.perf_counter()
        if self._streaming:
            engine = cast(StreamingAsrEngine, self.engine)
            engine.feed(utterance.samples[self._fed * FRAME :])
            transcript = engine.end()
            self._streaming = False
        else:
            self._take_next()
            transcript = self.engine.transcribe(utterance.samples)
        decode_ms = (time.perf_counter() - ended) * 1000
        self._warm = True
        if self.gate is not None:
            self.gate.utterance_done()
        return Heard(transcript, utterance.start, utterance.end, decode_ms, utterance.cut, ended)
