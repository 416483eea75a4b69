"""What every speech recogniser gives and takes, and the registry the config names them by.

An engine takes one utterance (16 kHz mono int16, from the endpointer) and
returns a ``Transcript``; pocketsphinx is the embedded default, and others
(faster-whisper, Vosk with a model directory the user provides) plug in here
without being installed for the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np


class EngineError(RuntimeError):
    """An engine that cannot start here (its package or model is missing): said at start-up."""


@dataclass(frozen=True)
class Transcript:
    text: str  # lower-case words, "" when nothing was heard
    confidence: float  # 0..1, per word: comparable between short and long sentences
    alternatives: list[str] = field(default_factory=list)  # n-best after the first


class AsrEngine(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray) -> Transcript: ...


@runtime_checkable
class StreamingAsrEngine(AsrEngine, Protocol):
    """An engine that can decode while the utterance goes on (the listener uses it when it
    can), so that at the end of speech only the last frames are left to decode."""

    def begin(self) -> None: ...

    def feed(self, samples: np.ndarray) -> None: ...

    def end(self) -> Transcript: ...

    def abort(self) -> None: ...


def _pocketsphinx(*args: object, **kwargs: object) -> AsrEngine:
    from homebrain.speech.pocketsphinx_engine import PocketsphinxEngine  # loads a model

    return PocketsphinxEngine(*args, **kwargs)  # type: ignore[arg-type]


def _vosk(*args: object, **kwargs: object) -> AsrEngine:
    from homebrain.speech.vosk_engine import VoskEngine  # optional: the user installs vosk

    return VoskEngine(*args, **kwargs)  # type: ignore[arg-type]


ENGINES: dict[str, Callable[..., AsrEngine]] = {"pocketsphinx": _pocketsphinx, "vosk": _vosk}
