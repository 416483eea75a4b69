"""Spoken and written numbers with their units.

ASR writes "twenty one", people type "21.5" or "21°C"; the dialogue needs
one float and a unit either way. This works on word tokens so the matcher can
tell which words a number used up (and which remain to be explained).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

UNITS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "nought": 0,
    "nil": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
ORDINALS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "last": -1,
}

PERCENT = "%"
CELSIUS = "°C"
FAHRENHEIT = "°F"
KELVIN = "K"
MIRED = "mired"

NUMBER_WORDS = frozenset(
    [*UNITS, *TEENS, *TENS, *SCALES, "point", "half", "minus", "negative", "and", "a"]
)
UNIT_WORDS = frozenset(
    [
        "percent",
        "per",
        "cent",
        "pct",
        "%",
        "degrees",
        "degree",
        "deg",
        "°",
        "celsius",
        "centigrade",
        "fahrenheit",
        "c",
        "f",
        "kelvin",
        "k",
        "mired",
        "mireds",
    ]
)

_DIGITS = re.compile(r"^\d+(?:\.\d+)?$", re.ASCII)
_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[^\W\d_]+|[%°]")


@dataclass(frozen=True)
class Quantity:
    """A number found in tokens ``start``..``end`` (exclusive), with its unit if one was said."""

    value: float
    unit: str | None
    start: int
    end: int

    @property
    def number(self) -> int | float:
        """Whole numbers as int so responses read "21", not "21.0"."""
        return int(self.value) if float(self.value).is_integer() else self.value


def tokenize(text: str) -> list[str]:
    """Split raw text into number-friendly tokens ("21°C" → ["21", "°", "c"])."""
    return _TOKEN.findall(text.lower().replace("-", " "))


def _is_digits(token: str) -> bool:
    return bool(_DIGITS.match(token))


def _digit_value(token: str) -> int | None:
    """A single spoken digit after "point" ("nineteen point five")."""
    if token in UNITS:
        return UNITS[token]
    if token.isdecimal():
        return int(token)
    return None


def _words(tokens: Sequence[str], i: int) -> tuple[float, int] | None:
    """Parse a whole number in words at ``i``; return (value, next index)."""
    total = 0
    current = 0
    last = ""  # kind of the last word: unit, teen, ten, scale
    j = i
    n = len(tokens)
    while j < n:
        tok = tokens[j]
        if tok == "a" and j + 1 < n and tokens[j + 1] in SCALES and not last:
            current = 1
            last = "unit"
            j += 1
            continue
        if tok in UNITS and tok != "oh" and last in ("", "ten", "scale"):
            if tok == "zero" and last:
                break
            current += UNITS[tok]
            last = "unit"
        elif tok in TEENS and last in ("", "scale"):
            current += TEENS[tok]
            last = "teen"
        elif tok in TENS and last in ("", "scale"):
            current += TENS[tok]
            last = "ten"
        elif tok in SCALES and last in ("unit", "teen", "ten") and current:
            if SCALES[tok] == 100:
                current *= 100
            else:
                total += current * SCALES[tok]
                current = 0
            last = "scale"
        elif (
            tok == "and"
            and last == "scale"
            and j + 1 < n
            and (tokens[j + 1] in UNITS or tokens[j + 1] in TEENS or tokens[j + 1] in TENS)
        ):
            pass
        else:
            break
        j += 1
    if j == i:
        return None
    return float(total + current), j


def _fraction(tokens: Sequence[str], j: int) -> tuple[float, int]:
    """Decimal or "and a half" tail after a whole number; (0, j) if none."""
    n = len(tokens)
    if j + 1 < n and tokens[j] == "point":
        digits: list[int] = []
        k = j + 1
        while k < n:
            d = _digit_value(tokens[k])
            if d is None or (tokens[k].isdecimal() and len(digits) > 0):
                break
            if tokens[k].isdecimal():
                # "21 point 5": the digits come as one token
                return float("0." + tokens[k]), k + 1
            digits.append(d)
            k += 1
        if digits:
            return float("0." + "".join(str(d) for d in digits)), k
    if tokens[j : j + 3] == ["and", "a", "half"]:
        return 0.5, j + 3
    return 0.0, j


def _unit(tokens: Sequence[str], j: int) -> tuple[str | None, int]:
    """The unit said after a number, if any; (None, j) otherwise."""
    n = len(tokens)
    tok = tokens[j] if j < n else ""
    nxt = tokens[j + 1] if j + 1 < n else ""
    if tok in ("percent", "pct", "%"):
        return PERCENT, j + 1
    if tok == "per" and nxt == "cent":
        return PERCENT, j + 2
    if tok in ("degrees", "degree", "deg", "°"):
        if nxt in ("c", "celsius", "centigrade"):
            return CELSIUS, j + 2
        if nxt in ("f", "fahrenheit"):
            return FAHRENHEIT, j + 2
        return CELSIUS, j + 1
    if tok in ("celsius", "centigrade"):
        return CELSIUS, j + 1
    if tok == "fahrenheit":
        return FAHRENHEIT, j + 1
    if tok in ("kelvin", "k"):
        return KELVIN, j + 1
    if tok in ("mired", "mireds"):
        return MIRED, j + 1
    return None, j


def _number_at(tokens: Sequence[str], i: int) -> tuple[float, int] | None:
    """A number (digits or words, with a decimal/half tail) starting exactly at ``i``."""
    n = len(tokens)
    tok = tokens[i]
    sign = 1.0
    start = i
    if tok in ("minus", "negative") and i + 1 < n:
        sign = -1.0
        i += 1
        tok = tokens[i]
    if _is_digits(tok):
        value, j = float(tok), i + 1
        if "." not in tok:
            frac, j = _fraction(tokens, j)
            value += frac
        return sign * value, j
    if tok == "half" or tokens[i : i + 2] == ["a", "half"]:
        return sign * 0.5, i + (1 if tok == "half" else 2)
    if tok == "point":
        frac, j = _fraction(tokens, i)
        return (sign * frac, j) if j > i else None
    parsed = _words(tokens, i)
    if parsed is None:
        return None
    value, j = parsed
    frac, j = _fraction(tokens, j)
    if j == start:
        return None
    return sign * (value + frac), j


# "three more degrees", "two extra percent": a comparative between a number and its unit
_BETWEEN = frozenset({"more", "less", "extra", "further", "fewer"})
# units said as a whole word, so "a degree" is one degree but "a c" (air con) is no amount
_SPELT_UNITS = frozenset({"degree", "percent", "per"})
_COUPLE_UNITS = _SPELT_UNITS | {"degrees"}


def _unit_at(tokens: Sequence[str], i: int) -> bool:
    return i < len(tokens) and tokens[i] in _SPELT_UNITS


def parse_quantities(tokens: Sequence[str], *, loose: bool = False) -> list[Quantity]:
    """Every number in ``tokens``, left to right, with the unit that follows it.

    ``loose`` also reads the looser ways a whole sentence says an amount, which
    a tagger often leaves untagged: "a degree" (1 °C), "a degree and a half"
    (1.5 °C), "a couple of degrees" (2 °C) and "three more degrees" (3 °C). It
    is off by default because the grammar matcher explains the words a number
    used up, and "more" is a cue to it; a caller scanning free text for an
    amount turns it on.
    """
    found: list[Quantity] = []
    i = 0
    n = len(tokens)
    while i < n:
        couple = 3 if tokens[i : i + 3] == ["a", "couple", "of"] else 0
        couple = couple or (2 if tokens[i : i + 2] == ["couple", "of"] else 0)
        if loose and couple and i + couple < n and tokens[i + couple] in _COUPLE_UNITS:
            # "a couple of degrees" is two
            unit, j = _unit(tokens, i + couple)
            found.append(Quantity(2.0, unit, i, j))
            i = j
            continue
        if loose and tokens[i] in ("a", "an") and i + 1 < n and tokens[i + 1] in _SPELT_UNITS:
            unit, j = _unit(tokens, i + 1)
            frac, j = _fraction(tokens, j)
            found.append(Quantity(1.0 + frac, unit, i, j))
            i = j
            continue
        hit = (
            _number_at(tokens, i)
            if tokens[i] not in ("and", "a", "oh")
            or (tokens[i] == "a" and i + 1 < n and tokens[i + 1] in ("hundred", "thousand", "half"))
            else None
        )
        if hit is None:
            i += 1
            continue
        value, j = hit
        if tokens[j - 1] == "half" and tokens[j : j + 1] == ["a"] and _unit_at(tokens, j + 1):
            j += 1  # "half a degree": the "a" belongs to the half
        unit, k = _unit(tokens, j)
        if loose and unit is None and j < n and tokens[j] in _BETWEEN:
            unit, k = _unit(tokens, j + 1)
            k = k if unit else j
        if loose and unit is not None and float(value).is_integer():
            frac, k = _fraction(tokens, k)  # "two degrees and a half"
            value += frac
        found.append(Quantity(value, unit, i, k))
        i = k
    return found


def find_quantity(text: str) -> Quantity | None:
    """The first number in raw text ("set it to 21.5°C" → 21.5 °C)."""
    found = parse_quantities(tokenize(text))
    return found[0] if found else None


def parse_number(text: str) -> Quantity | None:
    """``text`` read as exactly one number and optional unit, nothing else; else None."""
    tokens = tokenize(text)
    found = parse_quantities(tokens)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(tokens):
        return found[0]
    return None


def ordinal(token: str) -> int | None:
    """1-based position for "first", "2nd"...; -1 for "last"; None otherwise."""
    return ORDINALS.get(token)
