"""Sound-alikes an ASR writes beside a number, and text-speak, put back before anything reads them.

"turn the wireless up too forty" is "up to forty" and "too degrees warmer" is "two
degrees": the model was trained with such damage and reads the intent well, but the
rules after it read "up to" and amounts word by word, so the words are mended first.
Only where the next word leaves no doubt: a number after "too" or "buy", a unit after
"too" or "to". Typed the same way: "radiator 2 twenty two" ("to"), "its 2 bright"
("too"), "lite" for "light".
"""

from __future__ import annotations

from collections.abc import Sequence

from homebrain.understanding import vocabulary as V
from homebrain.understanding.numbers import TEENS, TENS, UNITS

_NUMBERS = frozenset([*UNITS, *TEENS, *TENS]) - {"a", "zero", "oh", "o"}
# units a count of two goes before ("two degrees"); never a place something is set "to"
_COUNTED = frozenset({"degrees", "degree", "percent", "notches", "notch", "steps", "clicks"})
# the word heard -> the word meant, when a number follows
_BEFORE_A_NUMBER = {"too": "to", "buy": "by", "bye": "by", "2": "to"}
# levels said by name that "2" goes before as "to" ("fan 2 medium", "sail 2 half")
_LEVEL_WORDS = frozenset({"half", "medium", "low", "high", "max", "full", "quarter", "min"})
# how a thing feels that "2" goes before as "too" ("its 2 bright")
_TOO_MUCH = frozenset({"bright", "dark", "loud", "quiet", "hot", "cold", "warm", "noisy", "dim"})
# "turn the noguchi 2 blue" (but "its 2 warm" is too warm)
_COLOURS = frozenset(name.split()[0] for name in V.COLORS) - _TOO_MUCH
# spelt as typed -> the word
_TYPED = {"lite": "light", "lites": "lights"}


def _number(word: str) -> bool:
    return word in _NUMBERS or word.replace(".", "", 1).isdigit()


def mended(tokens: Sequence[str]) -> list[str]:
    out = [_TYPED.get(w, w) for w in tokens]
    for i, word in enumerate(out[:-1]):
        after = out[i + 1]
        if word in ("too", "to") and after in _COUNTED:
            out[i] = "two"
        elif word in _BEFORE_A_NUMBER and _number(after):
            out[i] = _BEFORE_A_NUMBER[word]
        elif word == "2" and (after in _LEVEL_WORDS or after in _COLOURS):
            out[i] = "to"
        elif word == "2" and after in _TOO_MUCH:
            out[i] = "too"
    return out
