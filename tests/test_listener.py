"""The listener: endpointing and recognition together, decoding while the speaker talks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from homebrain.audio.endpoint import FRAME, EndpointSettings
from homebrain.audio.sources import AudioChunk
from homebrain.speech.engine import Transcript
from homebrain.speech.listener import Listener
from homebrain.speech.pocketsphinx_engine import PocketsphinxEngine
from homebrain.speech.synthesis import Voice, noise_floor, utterance

SENTENCES = ["turn on the lamp", "turn off the lamp", "close the blinds", "open the blinds"]


class Recording(PocketsphinxEngine):
    """The real engine, noting how it was used."""

    def __init__(self) -> None:
        super().__init__(SENTENCES)
        self.calls: list[str] = []

    def begin(self) -> None:
        self.calls.append("begin")
        super().begin()

    def feed(self, samples: np.ndarray) -> None:
        self.calls.append("feed")
        super().feed(samples)

    def end(self) -> Transcript:
        self.calls.append("end")
        return super().end()

    def abort(self) -> None:
        self.calls.append("abort")
        super().abort()

    def transcribe(self, samples: np.ndarray) -> Transcript:
        self.calls.append("transcribe")
        return super().transcribe(samples)


@pytest.fixture(scope="module")
def engine() -> Recording:
    return Recording()


def chunks(samples: np.ndarray, size: int = 480) -> list[AudioChunk]:
    return [AudioChunk(samples[i : i + size], i / 16000) for i in range(0, len(samples), size)]


def test_utterances_are_decoded_while_they_are_spoken(engine: Recording) -> None:
    rng = np.random.default_rng(5)
    voice = Voice.parse("en-us")
    talk = np.concatenate(
        [utterance("turn off the lamp", voice, rng), utterance("close the blinds", voice, rng)]
    )
    engine.calls.clear()
    heard = list(Listener(engine).run(chunks(talk)))
    assert [h.text for h in heard] == ["turn off the lamp", "close the blinds"]
    # the first utterance is decoded whole (the engine's live normalisation is not yet
    # learnt), the second while it is spoken: many pieces before its end
    assert engine.calls[0] == "transcribe" and engine.calls.count("transcribe") == 1
    assert engine.calls.count("begin") == engine.calls.count("end") == 1
    assert engine.calls[: engine.calls.index("end")].count("feed") > 20
    # the same words as decoding the whole utterance at its end
    whole = engine.transcribe(utterance("close the blinds", voice, np.random.default_rng(5)))
    assert whole.text == heard[1].text


class Scripted:
    def __init__(self, scores: list[float]) -> None:
        self.scores = iter(scores)

    def __call__(self, frame: np.ndarray) -> float:
        return next(self.scores, 0.0)

    def reset(self) -> None:
        pass


def test_a_blip_too_short_is_abandoned_and_a_new_engine_waits_for_the_next_one(
    engine: Recording, tmp_path: Path
) -> None:
    settings = EndpointSettings(min_speech=0.25, trailing_silence=0.1, pre_roll=0.0)
    # two frames of "speech", then quiet: shorter than min_speech, so no utterance
    listener = Listener(engine, settings, detector=Scripted([0.9, 0.9] + [0.0] * 20))
    listener._warm = True  # as after a first utterance
    engine.calls.clear()
    quiet = noise_floor(22 * FRAME, rng=np.random.default_rng(1))
    heard = list(listener.run(chunks(quiet, FRAME)))
    assert heard == []
    assert engine.calls[0] == "begin" and engine.calls[-1] == "abort"
    replacement = PocketsphinxEngine(["open the blinds"])
    listener.swap_engine(replacement)
    assert listener.engine is engine  # taken between utterances, from the listening thread
    listener.feed(AudioChunk(quiet[:FRAME], 0.0))
    assert listener.engine is replacement


def test_clipped_speech_and_endless_silence_are_handled(engine: Recording) -> None:
    rng = np.random.default_rng(9)
    said = utterance("open the blinds", Voice.parse("en-us"), rng).astype(np.float64)
    clipped = np.clip(said * 8.0, -32768, 32767).astype(np.int16)  # a shouting, saturated mic
    assert np.mean(np.abs(clipped) == 32767) > 0.01
    silence = np.zeros(16000 * 60, dtype=np.int16)  # a minute of digital silence
    heard = list(Listener(engine).run(chunks(np.concatenate([silence, clipped, silence]))))
    assert len(heard) == 1  # the silence is no utterance; the shout is one
    assert "blinds" in heard[0].text
