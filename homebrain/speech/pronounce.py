"""Pronunciations for words pocketsphinx's dictionary lacks, from espeak-ng.

A home's names ("Noguchi", "punkah", "Juniper's") are rarely in the CMU
dictionary that ships with pocketsphinx, and a word without a pronunciation
cannot be recognised at all. espeak-ng (Debian main, already used to make
test audio) knows English letter-to-sound rules; its IPA output, with
multi-letter phonemes joined by ``_`` (``--ipa=3 --sep=_``), maps onto the
dictionary's ARPAbet phones.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable

# IPA (as espeak-ng writes it for en-us) → ARPAbet; multi-letter phonemes come joined by "_"
_IPA: dict[str, str] = {
    # vowels and diphthongs
    "ə": "AH", "ʌ": "AH", "ɐ": "AH", "ɪ": "IH", "ᵻ": "IH", "i": "IY", "iː": "IY",
    "ɛ": "EH", "e": "EH", "æ": "AE", "a": "AE", "ɑ": "AA", "ɑː": "AA", "ɒ": "AA",
    "ɔ": "AO", "ɔː": "AO", "ʊ": "UH", "u": "UW", "uː": "UW", "ɜ": "ER", "ɜː": "ER",
    "ɚ": "ER", "ɝ": "ER", "o": "OW", "e_ɪ": "EY", "a_ɪ": "AY", "a_ʊ": "AW",
    "o_ʊ": "OW", "ɔ_ɪ": "OY", "ɛ_ɹ": "EH R", "ɪ_ɹ": "IH R", "ʊ_ɹ": "UH R", "ɑ_ɹ": "AA R",
    "ɔ_ɹ": "AO R", "a_ɪ_ɚ": "AY ER", "a_ʊ_ɚ": "AW ER", "i_ə": "IY AH",
    # consonants
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "ɡ": "G", "g": "G", "f": "F",
    "v": "V", "θ": "TH", "ð": "DH", "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH",
    "m": "M", "n": "N", "ŋ": "NG", "l": "L", "ɹ": "R", "r": "R", "j": "Y", "w": "W",
    "t_ʃ": "CH", "d_ʒ": "JH", "ɾ": "T", "x": "K", "ç": "HH", "ɬ": "L",
}  # fmt: skip
_IGNORED = frozenset("ˈˌ.ʔ-‿ ")  # stress, syllable breaks, glottal stops
_SYLLABIC = "\u0329"  # "n̩": a consonant that is a syllable of its own


class PronunciationError(RuntimeError):
    """espeak-ng is missing or gave something that is no pronunciation."""


def arpabet(ipa: str) -> list[str]:
    """espeak-ng's ``--ipa=3 --sep=_`` output for one word → ARPAbet phones."""
    phones: list[str] = []
    units: list[str] = []  # phonemes: characters, or runs joined by "_"
    for char in ipa.strip():
        if char in _IGNORED:
            continue
        if char == "ː" and units:
            units[-1] += char
        elif char == _SYLLABIC:
            if units:  # "n̩" is "ən"
                units.insert(len(units) - 1, "ə")
        elif units and (units[-1].endswith("_") or char == "_"):
            units[-1] += char  # a multi-letter phoneme, joined by "_"
        else:
            units.append(char)
    for unit in units:
        unit = unit.rstrip("_")
        mapped = _IPA.get(unit) or _IPA.get(unit.replace("ː", ""))
        if mapped is None:
            # an unknown run: its letters one by one, where each is known
            parts = [_IPA.get(c) for c in unit.replace("_", "").replace("ː", "")]
            if None in parts:
                raise PronunciationError(f"no ARPAbet for {unit!r} in {ipa!r}")
            mapped = " ".join(p for p in parts if p)
        phones.extend(mapped.split())
    return phones


def pronounce(words: Iterable[str], voice: str = "en-us") -> dict[str, str]:
    """ARPAbet pronunciations (space-separated phones) for ``words``, from espeak-ng."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise PronunciationError(
            "espeak-ng is not installed: it gives the names pocketsphinx's dictionary lacks "
            "their pronunciation (apt install espeak-ng)"
        )
    out: dict[str, str] = {}
    for word in dict.fromkeys(words):
        result = subprocess.run(
            [espeak, "-q", "--ipa=3", "--sep=_", "-v", voice, word],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if result.returncode != 0:
            raise PronunciationError(f"espeak-ng failed on {word!r}: {result.stderr.strip()}")
        phones = arpabet(result.stdout)
        if not phones:
            raise PronunciationError(f"espeak-ng gave no sounds for {word!r}")
        out[word] = " ".join(phones)
    return out
