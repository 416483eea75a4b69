"""Colour words <-> the numbers ecosystems use (hex, "r,g,b", CIE xy).

The abstract contract speaks colour *names*; Tasmota wants hex, Home Assistant
"r,g,b" and Zigbee2MQTT reports CIE xy. One palette here keeps every profile
and the simulator in agreement, and reading a colour back picks the nearest
palette name, so a state message always maps to a word the recogniser knows.

The palette's entries all have different hues/saturations (not just different
brightness), because devices report colour scaled by brightness (Tasmota) or
as chromaticity only (xy): names differing only in lightness could not be told
apart on the way back.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Mapping, Sequence
from typing import Any

from homebrain.domains import COLOR_NAMES

PALETTE: dict[str, tuple[int, int, int]] = {
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "orange": (255, 165, 0),
    "purple": (160, 32, 240),
    "pink": (255, 192, 203),
    "white": (255, 255, 255),
    "warm white": (255, 214, 170),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "violet": (238, 130, 238),
    "turquoise": (64, 224, 208),
    "gold": (255, 215, 0),
    "lime": (50, 205, 50),
    "teal": (0, 150, 136),
    "indigo": (75, 0, 130),
    "amber": (255, 191, 0),
}

if set(PALETTE) != set(COLOR_NAMES):  # pragma: no cover - guards an edit of domains.py
    raise RuntimeError("colors.PALETTE must name exactly domains.COLOR_NAMES")

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})([0-9a-fA-F]{2}){0,2}$")
_WHITE_ONLY = re.compile(r"^#?([0-9a-fA-F]{2}){1,2}$")
_TRIPLE = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")

RGB = tuple[int, int, int]


def rgb_of(color: str) -> RGB:
    """The RGB of a palette name, "#rrggbb" or "r,g,b"; ValueError for anything else."""
    word = color.strip().lower()
    if word in PALETTE:
        return PALETTE[word]
    match = _HEX.match(word)
    if match:
        digits = match.group(1)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    triple = _TRIPLE.match(word)
    if triple:
        rgb = tuple(int(part) for part in triple.groups())
        if all(0 <= c <= 255 for c in rgb):
            return rgb[0], rgb[1], rgb[2]
    known = ", ".join(COLOR_NAMES)
    raise ValueError(f"unknown colour {color!r}; expected one of {known}, or #rrggbb")


def hex_of(color: str, prefix: str = "#") -> str:
    r, g, b = rgb_of(color)
    return f"{prefix}{r:02X}{g:02X}{b:02X}"


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def xy_of(color: str) -> dict[str, float]:
    """CIE 1931 xy (sRGB, D65) rounded as Zigbee2MQTT reports it."""
    r, g, b = (_linear(c) for c in rgb_of(color))
    x = r * 0.4124 + g * 0.3576 + b * 0.1805
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = r * 0.0193 + g * 0.1192 + b * 0.9505
    total = x + y + z
    if total == 0:
        return {"x": 0.3127, "y": 0.329}  # black has no chromaticity: report white point
    return {"x": round(x / total, 4), "y": round(y / total, 4)}


def _normalised(rgb: Sequence[float]) -> tuple[float, ...]:
    top = max(rgb)
    return tuple(c * 255 / top for c in rgb)


_PALETTE_NORMALISED = {name: _normalised(rgb) for name, rgb in PALETTE.items()}
_PALETTE_XY = {name: xy_of(name) for name in PALETTE}


def nearest_rgb(rgb: Sequence[float]) -> str | None:
    """The palette name closest in hue and saturation; None for black (no colour shown)."""
    if max(rgb) <= 0:
        return None
    target = _normalised(rgb)
    return min(
        _PALETTE_NORMALISED,
        key=lambda name: sum(
            (a - b) ** 2 for a, b in zip(_PALETTE_NORMALISED[name], target, strict=True)
        ),
    )


def nearest_xy(x: float, y: float) -> str:
    return min(
        _PALETTE_XY,
        key=lambda name: (_PALETTE_XY[name]["x"] - x) ** 2 + (_PALETTE_XY[name]["y"] - y) ** 2,
    )


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"expected a number in a colour, got {value!r}")
    return float(value)


def name_of(value: Any) -> str | None:
    """Read a colour as an ecosystem reports it and return the nearest palette name.

    Accepts a palette name, hex (Tasmota's RRGGBB[CC][WW]), "r,g,b", or a mapping with
    x/y, hex, r/g/b or hue/saturation (Zigbee2MQTT). None means "no colour" (all black).
    """
    if isinstance(value, str):
        word = value.strip().lower()
        if word in PALETTE:
            return word
        if _WHITE_ONLY.match(word):
            return None  # a CT-only bulb's white channels (Tasmota "#CWWW"): no colour
        match = _HEX.match(word)
        if match:
            digits = word.lstrip("#")
            rgb = rgb_of(digits[:6])
            whites = [int(digits[i : i + 2], 16) for i in range(6, len(digits), 2)]
            if max(rgb) == 0 and any(whites):
                return "white"
            return nearest_rgb(rgb)
        return nearest_rgb(rgb_of(word))
    if isinstance(value, Mapping):
        if "x" in value and "y" in value:
            return nearest_xy(_number(value["x"]), _number(value["y"]))
        if "hex" in value:
            return name_of(str(value["hex"]))
        if all(k in value for k in "rgb"):
            return nearest_rgb([_number(value[k]) for k in "rgb"])
        if "hue" in value and "saturation" in value:
            hsv = colorsys.hsv_to_rgb(
                _number(value["hue"]) / 360, _number(value["saturation"]) / 100, 1
            )
            return nearest_rgb([c * 255 for c in hsv])
        raise ValueError(
            f"a colour needs x/y, hex, r/g/b or hue/saturation, got keys {list(value)}"
        )
    if isinstance(value, list | tuple) and len(value) == 3:
        return nearest_rgb([_number(c) for c in value])
    raise ValueError(f"expected a colour, got {value!r}")
