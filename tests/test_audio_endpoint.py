"""Endpointing with the real Silero VAD on real espeak-ng speech, silence and noise."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from homebrain.audio.endpoint import (
    FRAME,
    Endpointer,
    EndpointSettings,
    SileroDetector,
    Utterance,
)
from homebrain.audio.pcm import RATE
from homebrain.audio.sources import WavFileSource, _chunked

NOISE_FLOOR = 10.0  # int16 RMS: about -70 dBFS, what a quiet room gives a microphone


@cache
def speech(text: str) -> np.ndarray:
    path = Path(f"/tmp/homebrain-test-{abs(hash(text))}.wav")
    subprocess.run(["espeak-ng", "-w", str(path), text], check=True, timeout=30)
    return WavFileSource(path).read()


def noise(seconds: float, rms: float = NOISE_FLOOR, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(0, rms, int(seconds * RATE)).astype(np.int16)


def stream(*parts: np.ndarray) -> np.ndarray:
    audio = np.concatenate(parts).astype(np.int32)
    audio += noise(len(audio) / RATE, seed=1)  # a faint floor everywhere, as rooms have
    return np.clip(audio, -32768, 32767).astype(np.int16)


def run(audio: np.ndarray, settings: EndpointSettings | None = None) -> list[Utterance]:
    endpointer = Endpointer(SileroDetector(), settings)
    return list(endpointer.utterances(_chunked(audio, 0.0, 30)))


def test_one_sentence_between_silences() -> None:
    said = speech("turn on the kitchen light")
    found = run(stream(noise(1.0), said, noise(1.5)))
    assert len(found) == 1
    utterance = found[0]
    # it starts before the speech does (pre-roll) and ends after it, within reason
    assert 0.5 <= utterance.start <= 1.0
    assert 1.0 + len(said) / RATE <= utterance.end <= 1.0 + len(said) / RATE + 1.0
    assert not utterance.cut


def test_two_sentences_are_two_utterances() -> None:
    first, second = speech("turn on the kitchen light"), speech("and the bedroom too")
    found = run(stream(noise(0.5), first, noise(1.2), second, noise(1.0)))
    assert len(found) == 2
    assert found[0].end <= found[1].start


def test_noise_and_silence_are_no_utterance() -> None:
    assert run(stream(noise(5.0, rms=300.0, seed=7))) == []  # steady hiss, about -40 dBFS
    assert run(np.zeros(3 * RATE, dtype=np.int16)) == []  # digital silence


def test_endless_speech_is_cut_at_the_maximum() -> None:
    said = speech("turn on the kitchen light and the bedroom light and the hall light")
    endless = stream(*[said] * 6)
    settings = EndpointSettings(max_utterance=4.0, trailing_silence=0.5)
    found = run(endless, settings)
    assert found and found[0].cut
    assert found[0].seconds == pytest.approx(4.0, abs=2 * FRAME / RATE)


def test_a_stream_that_ends_mid_sentence_still_gives_it() -> None:
    said = speech("turn on the kitchen light")
    found = run(stream(noise(0.5), said))
    assert len(found) == 1 and found[0].end == pytest.approx(0.5 + len(said) / RATE, abs=0.05)


class Scripted:
    """A detector that says what a list says: for the state machine's edges alone."""

    def __init__(self, scores: list[float]) -> None:
        self.scores = iter(scores)

    def __call__(self, frame: np.ndarray) -> float:
        return next(self.scores)

    def reset(self) -> None:
        pass


def frames(n: int) -> np.ndarray:
    return np.ones(n * FRAME, dtype=np.int16)


def test_short_blips_are_dropped_and_hysteresis_holds() -> None:
    settings = EndpointSettings(min_speech=0.25, trailing_silence=0.3, pre_roll=0.0)
    blip = [0.1] * 5 + [0.9] * 3 + [0.1] * 20  # 3 frames = 0.1 s of speech: a click
    assert Endpointer(Scripted(blip), settings).feed(frames(len(blip))) == []
    # 0.4 is below 0.5 but above 0.5 - HYSTERESIS: the sentence goes on
    soft = [0.9] * 10 + [0.4] * 20 + [0.1] * 12
    found = Endpointer(Scripted(soft), settings).feed(frames(len(soft)))
    assert len(found) == 1 and found[0].seconds == pytest.approx((10 + 20 + 10) * FRAME / RATE)


@pytest.mark.parametrize(
    "bad",
    [
        EndpointSettings(threshold=1.5),
        EndpointSettings(trailing_silence=-1),
        EndpointSettings(max_utterance=0.1, min_speech=0.2),
    ],
)
def test_impossible_settings_are_refused(bad: EndpointSettings) -> None:
    with pytest.raises(ValueError):
        Endpointer(Scripted([]), bad)
