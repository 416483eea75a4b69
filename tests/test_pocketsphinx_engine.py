"""pocketsphinx with a language model of the home's sentences, on real espeak-ng speech."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from homebrain.audio.sources import WavFileSource
from homebrain.speech.engine import ENGINES
from homebrain.speech.pocketsphinx_engine import PocketsphinxEngine

SENTENCES = [
    "close the blinds please",
    "open the blinds",
    "turn on the punkah",
    "turn off the punkah",
    "switch on the festoon lights",
    "switch off the festoon lights",
    "set the heating to twenty one degrees",
    "set the heating to nineteen degrees",
    "what is the temperature in the bedroom",
    "turn off the zorblax",  # a made-up word that is no name of the home: left out
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> PocketsphinxEngine:
    workdir = tmp_path_factory.mktemp("asr")
    return PocketsphinxEngine(SENTENCES, workdir, names=["Punkah", "Festoon lights"])


def said(text: str, tmp_path: Path) -> np.ndarray:
    wav = tmp_path / "said.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, timeout=30)
    return WavFileSource(wav).read()


@pytest.mark.parametrize(
    "text",
    ["close the blinds please", "turn on the punkah", "set the heating to twenty one degrees"],
)
def test_sentences_of_the_home_are_heard(
    engine: PocketsphinxEngine, tmp_path: Path, text: str
) -> None:
    heard = engine.transcribe(said(text, tmp_path))
    assert heard.text == text
    assert 0.0 < heard.confidence <= 1.0


def test_the_lexicon_holds_the_names_and_not_made_up_words(engine: PocketsphinxEngine) -> None:
    assert "punkah" in engine.words  # not in the CMU dictionary: pronounced by espeak-ng
    assert "zorblax" not in engine.words and engine.sentences == len(SENTENCES) - 1


def test_nothing_said_is_nothing_heard(engine: PocketsphinxEngine) -> None:
    empty = engine.transcribe(np.zeros(0, dtype=np.int16))
    assert empty.text == "" and empty.confidence == 0.0


def test_the_registry_builds_it(tmp_path: Path) -> None:
    built = ENGINES["pocketsphinx"](["open the blinds"], tmp_path)
    assert isinstance(built, PocketsphinxEngine) and built.name == "pocketsphinx"


def test_no_sentence_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no sentence"):
        PocketsphinxEngine(["the zorblax glorps"], tmp_path)
