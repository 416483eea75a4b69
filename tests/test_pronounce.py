"""espeak-ng pronunciations for words pocketsphinx's dictionary lacks, tried on real decoding."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pocketsphinx
import pytest

from homebrain.audio.sources import WavFileSource
from homebrain.speech.pronounce import PronunciationError, arpabet, pronounce

COMMON = [
    "kitchen",
    "thermostat",
    "festoon",
    "bedroom",
    "living",
    "brightness",
    "curtains",
    "percent",
    "twenty",
    "warmer",
    "beamer",
    "light",
    "lamp",
    "heating",
    "blinds",
    "radio",
    "switch",
    "fan",
    "garage",
    "door",
]


@cache
def cmudict() -> dict[str, str]:
    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        word, _, phones = line.partition(" ")
        out.setdefault(word, phones.strip())
    return out


def test_common_words_sound_as_the_dictionary_says() -> None:
    got = pronounce(COMMON)
    same = [w for w in COMMON if got[w] == cmudict()[w]]
    assert len(same) >= 0.8 * len(COMMON), {w: (got[w], cmudict()[w]) for w in COMMON}


def test_names_get_phones_the_acoustic_model_has() -> None:
    phones = {p for pron in cmudict().values() for p in pron.split()}
    names = ["punkah", "noguchi", "hygge", "juniper's", "toadstool", "radiogram"]
    assert not [n for n in names if n in cmudict() and n != "noguchi"]  # really missing
    for name, pron in pronounce(names).items():
        assert pron and set(pron.split()) <= phones, (name, pron)


@pytest.mark.parametrize(
    ("ipa", "phones"),
    [
        ("kˈɪt_ʃən", "K IH CH AH N"),  # a joined affricate
        ("ɡˈɑː_ɹdən", "G AA R D AH N"),  # a joined r-coloured vowel
        ("lˈɪɾə_l", "L IH T AH L"),  # a flap, an unknown run spelt out
        ("bˈʌʔn̩", "B AH AH N"),  # a glottal stop dropped, a syllabic n
    ],
)
def test_arpabet(ipa: str, phones: str) -> None:
    assert " ".join(arpabet(ipa)) == phones


def test_unknown_sound_is_an_error() -> None:
    with pytest.raises(PronunciationError, match="no ARPAbet"):
        arpabet("ʘ")


def test_pocketsphinx_hears_names_it_had_no_word_for(tmp_path: Path) -> None:
    """espeak-ng says the sentences; pocketsphinx decodes them with a grammar of the home."""
    words = [
        "turn",
        "on",
        "off",
        "the",
        "punkah",
        "noguchi",
        "toadstool",
        "lamp",
        "kitchen",
        "light",
        "radiogram",
    ]
    dictionary = tmp_path / "home.dict"
    dictionary.write_text("".join(f"{w} {p}\n" for w, p in pronounce(words).items()))
    grammar = tmp_path / "home.gram"
    grammar.write_text(
        "#JSGF V1.0;\ngrammar home;\npublic <cmd> = turn (on | off) the "
        "(punkah | noguchi | toadstool lamp | kitchen light | radiogram);\n"
    )
    model = Path(pocketsphinx.get_model_path()) / "en-us" / "en-us"
    decoder = pocketsphinx.Decoder(
        hmm=str(model), jsgf=str(grammar), dict=str(dictionary), loglevel="FATAL"
    )
    rng = np.random.default_rng(0)
    heard = {}
    for text in ["turn on the punkah", "turn off the noguchi", "turn on the toadstool lamp"]:
        wav = tmp_path / "said.wav"
        subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, timeout=30)
        samples = WavFileSource(wav).read().astype(np.int32)
        # a faint noise floor: pocketsphinx decodes digital silence badly (DESIGN.md)
        samples = np.clip(samples + rng.normal(0, 10, len(samples)), -32768, 32767)
        decoder.start_utt()
        decoder.process_raw(samples.astype(np.int16).tobytes(), full_utt=True)
        decoder.end_utt()
        heard[text] = decoder.hyp().hypstr if decoder.hyp() else None
    assert all(text == got for text, got in heard.items()), heard
