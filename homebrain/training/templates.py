"""The built-in English template families of the corpus, as data, and their tiny language.

A template is a string in a small language:

* ``{t}``: a placeholder the corpus fills (a target phrase, a value, a room...);
  ``{t:light}`` gives it an argument (here: the domain);
* ``(turn|switch) on``: one of the alternatives (an empty one makes it optional);
* ``<attribute:volume|sound>``: literal words tagged as one span of a slot type.

Placeholders (filled in ``corpus.py``):

======================  ====================================================
``t``                   a target phrase for the family's domain ("the desk
                        lamp", "the kitchen lights", "the fan in the den")
``tb``                  a bare device phrase without room ("the lights")
``tg``                  a group phrase ("all the lights except the kitchen")
``ta``                  an anaphor / deixis phrase ("it", "that", "this lamp")
``name`` ``bare`` ``bares`` ``room`` ``inroom``  the pieces of a target
``pct`` ``temp`` ``vol`` ``pos`` ``speed``       values with optional units
``dpct`` ``dtemp``      small changes ("ten percent", "two degrees")
``color`` ``ct`` ``kelvin`` ``mode`` ``scene``   lights, climate, scenes
``cu`` ``cd``           comparatives ("brighter" / "dimmer") for the domain
``attr``                the attribute noun for the domain ("volume")
``hot`` ``cold``        "too hot" / "too cold" words for the domain
other names             out-of-domain fillers (``food``, ``city``...), tagged O
======================  ====================================================

Everything here is plain data so ``all_template_phrases()`` can hand the full
list to a held-out check: an evaluation file must use phrasings that no
template here produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from homebrain.understanding.tokenizer import words

# ---------------------------------------------------------------------------
# the template language


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Ph:
    name: str
    arg: str = ""


@dataclass(frozen=True)
class Alt:
    options: tuple[Seq, ...]


@dataclass(frozen=True)
class Span:
    slot: str
    body: Alt


@dataclass(frozen=True)
class Seq:
    items: tuple[Lit | Ph | Alt | Span, ...]


class TemplateError(ValueError):
    pass


def _parse_alt(text: str, i: int, closer: str) -> tuple[Alt, int]:
    options: list[Seq] = []
    while True:
        seq, i = _parse_seq(text, i, closer)
        options.append(seq)
        if i < len(text) and text[i] == "|":
            i += 1
            continue
        return Alt(tuple(options)), i


def _parse_seq(text: str, i: int, closer: str) -> tuple[Seq, int]:
    items: list[Lit | Ph | Alt | Span] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            items.append(Lit("".join(buf)))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "|" or (closer and ch == closer):
            break
        if ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise TemplateError(f"unclosed '{{' in {text!r}")
            flush()
            name, _, arg = text[i + 1 : end].partition(":")
            items.append(Ph(name.strip(), arg.strip()))
            i = end + 1
        elif ch == "(":
            flush()
            alt, i = _parse_alt(text, i + 1, ")")
            if i >= len(text) or text[i] != ")":
                raise TemplateError(f"unclosed '(' in {text!r}")
            items.append(alt)
            i += 1
        elif ch == "<":
            end = text.find(":", i)
            if end < 0:
                raise TemplateError(f"'<' without 'slot:' in {text!r}")
            flush()
            slot = text[i + 1 : end].strip()
            alt, i = _parse_alt(text, end + 1, ">")
            if i >= len(text) or text[i] != ">":
                raise TemplateError(f"unclosed '<' in {text!r}")
            items.append(Span(slot, alt))
            i += 1
        elif ch in ")>":
            raise TemplateError(f"unbalanced {ch!r} in {text!r}")
        else:
            buf.append(ch)
            i += 1
    flush()
    return Seq(tuple(items)), i


@cache
def parse(template: str) -> Seq:
    """Parse a template once (cached)."""
    seq, i = _parse_seq(template, 0, "")
    if i != len(template):
        raise TemplateError(f"unexpected {template[i]!r} in {template!r}")
    return seq


def _regex(node: Seq | Alt | Lit | Ph | Span) -> str:
    if isinstance(node, Seq):
        return "".join(_regex(item) for item in node.items)
    if isinstance(node, Alt):
        return "(?:" + "|".join(_regex(option) for option in node.options) + ")"
    if isinstance(node, Span):
        return _regex(node.body)
    if isinstance(node, Ph):
        return r"(?<!\S)\S(?:.*?\S)?(?!\S)"  # one or more whole words
    parts = []
    for piece in re.split(r"(\s+)", node.text.lower()):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s*")
        else:
            parts.append(r"(?<!\S)" + re.escape(" ".join(words(piece))) + r"(?!\S)")
    return "".join(parts)


@cache
def template_regex(template: str) -> re.Pattern[str]:
    """A regex matching every sentence ``template`` can give (placeholders match anything).

    It matches sentences as ``tokenizer.words`` joins them with single spaces.
    """
    return re.compile(r"^\s*" + _regex(parse(template)) + r"\s*$")


# ---------------------------------------------------------------------------
# numbers as words

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int, hyphen: bool = False, a_hundred: bool = False) -> str:
    """0..9999 in words: 21 → "twenty one" (or "twenty-one"), 100 → "one hundred"."""
    if n < 0:
        return "minus " + number_words(-n, hyphen)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        if not ones:
            return _TENS[tens]
        return f"{_TENS[tens]}{'-' if hyphen else ' '}{_ONES[ones]}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "a hundred" if hundreds == 1 and a_hundred else f"{_ONES[hundreds]} hundred"
        if not rest:
            return head
        return f"{head} and {number_words(rest, hyphen)}"
    thousands, rest = divmod(n, 1000)
    head = f"{number_words(thousands)} thousand"
    if not rest:
        return head
    if rest < 100:
        return f"{head} and {number_words(rest, hyphen)}"
    return f"{head} {number_words(rest, hyphen)}"


# ---------------------------------------------------------------------------
# value words

PERCENT_UNITS: tuple[tuple[str, float], ...] = (
    ("%", 3.0),
    ("percent", 3.0),
    ("per cent", 0.7),
    ("pct", 0.2),
)
TEMPERATURE_UNITS: tuple[tuple[str, float], ...] = (
    ("degrees", 4.0),
    ("degrees celsius", 1.0),
    ("°", 0.6),
    ("°C", 1.0),
    ("°c", 0.3),
    ("celsius", 0.5),
    ("degrees c", 0.3),
    ("degrees centigrade", 0.1),
)
KELVIN_UNITS: tuple[str, ...] = ("kelvin", "k", "kelvin", "degrees kelvin")

# Words that stand for a percentage (V.PERCENT_WORDS understands them all).
PERCENT_VALUE_WORDS: tuple[str, ...] = (
    "half", "full", "max", "maximum", "a quarter", "three quarters", "full whack", "full blast"
)  # fmt: skip
POSITION_VALUE_WORDS: tuple[str, ...] = (
    "halfway", "half way", "half", "a quarter", "three quarters", "quarter"
)  # fmt: skip
SPEED_VALUE_WORDS: tuple[str, ...] = (
    "low", "medium", "high", "max", "full", "half", "flat out", "full blast", "top speed",
    "full power", "a quarter",
)  # fmt: skip

COLORS_EXTRA: tuple[str, ...] = (
    "grey",
    "gray",
    "crimson",
    "lavender",
    "coral",
    "mint",
    "sky blue",
    "navy",
    "peach",
    "rose",
    "lilac",
    "salmon",
    "aqua",
    "emerald",
    "scarlet",
    "daylight white",
)
# Colour-temperature words (tagged as colour; V.COLOR_TEMPS turns them into mireds).
# "warm white" is a colour (domains.COLOR_NAMES), not one of these.
COLOR_TEMP_WORDS: tuple[str, ...] = (
    "warm",
    "warmest",
    "soft white",
    "candlelight",
    "neutral",
    "neutral white",
    "natural white",
    "cool white",
    "cold white",
    "cool",
    "daylight",
    "coolest",
    "coldest",
)
MODE_WORDS: tuple[str, ...] = ("heat", "heating", "cool", "cooling", "auto", "automatic")

# Relative-change words per domain: the comparative is tagged `attribute`.
COMPARATIVES_UP: dict[str, tuple[str, ...]] = {
    "light": ("brighter", "lighter", "more bright"),
    "climate": ("warmer", "hotter", "toastier"),
    "media_player": ("louder", "noisier"),
    "fan": ("faster", "stronger", "more powerful"),
}
COMPARATIVES_DOWN: dict[str, tuple[str, ...]] = {
    "light": ("dimmer", "darker", "less bright"),
    "climate": ("cooler", "colder", "chillier"),
    "media_player": ("quieter", "softer", "less loud"),
    "fan": ("slower", "gentler", "weaker"),
}
# "it's too cold in here" → increase; the adjective is tagged `attribute`.
TOO_WORDS_UP: dict[str, tuple[str, ...]] = {
    "light": ("dark", "dim", "gloomy"),
    "climate": ("cold", "chilly", "cool", "freezing", "nippy", "parky"),
    "media_player": ("quiet",),
    "fan": (),
}
TOO_WORDS_DOWN: dict[str, tuple[str, ...]] = {
    "light": ("bright", "glaring"),
    "climate": ("hot", "warm", "stuffy", "boiling", "stifling", "sweltering", "roasting", "muggy"),
    "media_player": ("loud", "noisy"),
    "fan": ("breezy", "windy", "draughty"),
}
ATTRIBUTE_NOUNS: dict[str, tuple[str, ...]] = {
    "light": ("brightness",),
    "climate": ("temperature", "temp"),
    "media_player": ("volume", "sound"),
    "fan": ("speed",),
}

# Which attribute a tagged relative word means (for whoever turns spans into slots).
RELATIVE_ATTRIBUTES: dict[str, str] = {
    **{w: "brightness" for w in (*COMPARATIVES_UP["light"], *COMPARATIVES_DOWN["light"])},
    **{w: "brightness" for w in (*TOO_WORDS_UP["light"], *TOO_WORDS_DOWN["light"])},
    **{w: "temperature" for w in (*COMPARATIVES_UP["climate"], *COMPARATIVES_DOWN["climate"])},
    **{w: "temperature" for w in (*TOO_WORDS_UP["climate"], *TOO_WORDS_DOWN["climate"])},
    **{w: "volume" for w in (*COMPARATIVES_UP["media_player"], *TOO_WORDS_UP["media_player"])},
    **{w: "volume" for w in (*COMPARATIVES_DOWN["media_player"], *TOO_WORDS_DOWN["media_player"])},
    **{w: "speed" for w in (*COMPARATIVES_UP["fan"], *COMPARATIVES_DOWN["fan"])},
    **{w: "speed" for w in (*TOO_WORDS_UP["fan"], *TOO_WORDS_DOWN["fan"])},
    "brightness": "brightness",
    "temperature": "temperature",
    "temp": "temperature",
    "volume": "volume",
    "sound": "volume",
    "speed": "speed",
}

# ---------------------------------------------------------------------------
# politeness and filler (all tagged O)

POLITE_PREFIXES: tuple[tuple[str, float], ...] = (
    ("please", 3.0),
    ("could you", 3.0),
    ("can you", 3.0),
    ("could you please", 1.5),
    ("can you please", 1.0),
    ("would you", 1.0),
    ("will you", 0.5),
    ("hey", 2.0),
    ("hey homebrain", 0.7),
    ("ok homebrain", 0.4),
    ("uh", 1.5),
    ("um", 1.5),
    ("erm", 0.5),
    ("so", 0.6),
    ("okay", 0.6),
    ("ok so", 0.3),
    ("right", 0.3),
    ("alright", 0.3),
    ("i want you to", 0.6),
    ("i'd like you to", 0.5),
    ("i need you to", 0.4),
    ("go ahead and", 0.5),
    ("quickly", 0.3),
    ("hey there", 0.3),
    ("hello", 0.3),
    ("could you just", 0.4),
    ("just", 0.6),
    ("oh and", 0.3),
    ("uh please", 0.3),
    ("hey could you", 0.6),
    ("computer", 0.2),
    # the speaker's own wish: "i want to dim the lamp", "let's open the blinds"
    ("i want to", 0.6),
    ("i'd like to", 0.4),
    ("i wanna", 0.2),
    ("let's", 0.4),
    ("can we", 0.4),
    ("could we", 0.3),
    ("can i", 0.2),
    ("we should", 0.2),
    # roundabout but still asking: "i wonder if you could draw the drapes"
    ("i wonder if you could", 0.3),
    ("i was wondering if you could", 0.2),
    ("i wonder if you might", 0.1),
    ("would you be a dear and", 0.1),
    ("be a love and", 0.1),
    ("do me a favour and", 0.2),
    ("i'd be grateful if you'd", 0.1),
    ("would you kindly", 0.1),
)
# "would you mind turning ..." needs the verb's -ing form.
GERUND_PREFIXES: tuple[str, ...] = ("would you mind", "do you mind", "how about")
# Prefixes that only go before a verb ("could you turn...", never "could you the kitchen one").
VERB_PREFIXES = frozenset(
    {
        "could you",
        "can you",
        "could you please",
        "can you please",
        "would you",
        "will you",
        "i want you to",
        "i'd like you to",
        "i need you to",
        "go ahead and",
        "quickly",
        "could you just",
        "i want to",
        "i'd like to",
        "i wanna",
        "let's",
        "can we",
        "could we",
        "can i",
        "we should",
        "uh please",
        "hey could you",
        "i wonder if you could",
        "i was wondering if you could",
        "i wonder if you might",
        "would you be a dear and",
        "be a love and",
        "do me a favour and",
        "i'd be grateful if you'd",
        "would you kindly",
    }
)
GERUNDS: dict[str, str] = {
    "turn": "turning",
    "switch": "switching",
    "set": "setting",
    "open": "opening",
    "close": "closing",
    "shut": "shutting",
    "lock": "locking",
    "unlock": "unlocking",
    "make": "making",
    "dim": "dimming",
    "put": "putting",
    "start": "starting",
    "stop": "stopping",
    "pause": "pausing",
    "play": "playing",
    "resume": "resuming",
    "activate": "activating",
    "raise": "raising",
    "lower": "lowering",
    "change": "changing",
    "increase": "increasing",
    "decrease": "decreasing",
    "bring": "bringing",
    "move": "moving",
    "adjust": "adjusting",
    "brighten": "brightening",
    "kill": "killing",
    "power": "powering",
    "run": "running",
    "pull": "pulling",
    "roll": "rolling",
    "undo": "undoing",
}
# Words a command starts with: only these take "could you ..." in front.
VERBS = frozenset(GERUNDS) | frozenset(
    [
        "unlatch",
        "unbolt",
        "bolt",
        "secure",
        "release",
        "resume",
        "unpause",
        "hit",
        "press",
        "carry",
        "continue",
        "trigger",
        "load",
        "recall",
        "enable",
        "disable",
        "flip",
        "flick",
        "get",
        "fire",
        "boot",
        "wake",
        "light",
        "illuminate",
        "cut",
        "tone",
        "knock",
        "drop",
        "nudge",
        "crank",
        "bump",
        "keep",
        "hold",
        "heat",
        "warm",
        "cool",
        "draw",
        "lift",
        "halt",
        "freeze",
        "reverse",
        "revert",
        "restore",
        "reset",
        "take",
        "go",
        "apply",
        "check",
        "give",
        "let",
        "shut",
        "unplug",
        "kill",
        "start",
    ]
)
POLITE_SUFFIXES: tuple[tuple[str, float], ...] = (
    ("please", 5.0),
    ("for me", 2.0),
    ("thanks", 2.0),
    ("thank you", 1.5),
    ("now", 1.5),
    ("right now", 0.8),
    ("please thanks", 0.3),
    ("if you can", 0.5),
    ("if you could", 0.4),
    ("for me please", 0.8),
    ("now please", 0.6),
    ("cheers", 0.3),
    ("asap", 0.2),
    ("quick", 0.2),
    ("mate", 0.2),
    ("again", 0.3),
    ("okay", 0.3),
    ("dear", 0.1),
    ("love", 0.1),
    ("would you", 0.2),
    ("when you get a chance", 0.1),
    ("real quick", 0.1),
)
FILLERS: tuple[str, ...] = ("uh", "um", "er", "erm", "hmm", "uhh", "umm", "like", "you know")

# ---------------------------------------------------------------------------
# ASR-like damage

# Sound-alikes an ASR writes for a word (tags stay as they were).
HOMOPHONES: dict[str, tuple[str, ...]] = {
    "to": ("too", "two"),
    "too": ("to", "two"),
    "two": ("to", "too"),
    "for": ("four",),
    "high": ("hi",),
    "four": ("for",),
    "eight": ("ate",),
    "right": ("write", "rite"),
    "write": ("right",),
    "blinds": ("blind",),
    "blind": ("blinds",),
    "lights": ("light's", "lites", "light"),
    "light": ("lite", "lights"),
    "there": ("their",),
    "here": ("hear",),
    "one": ("won",),
    "off": ("of",),
    "whole": ("hole",),
    "by": ("buy", "bye"),
    "no": ("know",),
    "new": ("knew",),
    "fan": ("fun",),
    "heat": ("heet",),
    "lamp": ("lamb",),
    "lamps": ("lambs",),
    "door": ("dore",),
    "shades": ("shade",),
    "curtains": ("curtain",),
    "the": ("a", "da"),
    "set": ("sit",),
    "dim": ("dem",),
    "lock": ("lok",),
    "tv": ("t v",),
    "ac": ("a c",),
    "lounge": ("lunge",),
    "hall": ("haul",),
    "loo": ("lieu",),
    "warmer": ("warm er",),
    "thirty": ("thirsty",),
    "fifteen": ("fifty",),
    "its": ("it's",),
    "it's": ("its",),
    "what's": ("whats",),
    "living": ("leaving",),
    "bedroom": ("bed room",),
    "playroom": ("play room",),
    "downstairs": ("down stairs",),
    "upstairs": ("up stairs",),
    "hallway": ("hall way",),
}
# Words an ASR may swallow without changing the meaning (never slot words).
DROPPABLE: tuple[str, ...] = (
    "the",
    "a",
    "an",
    "please",
    "to",
    "my",
    "our",
    "me",
    "for",
    "can",
    "could",
    "you",
    "of",
    "just",
    "now",
    "uh",
    "um",
    "hey",
    "so",
    "in",
    "thanks",
    "will",
    "would",
)

# ---------------------------------------------------------------------------
# command families: intent → domain → templates

_ON = (
    "turn on {t}",
    "turn {t} on",
    "switch on {t}",
    "switch {t} on",
    "{t} on",
    "{t} on please",
    "put {t} on",
    "put on {t}",
    "power on {t}",
    "power up {t}",
    "flip on {t}",
    "flick {t} on",
    "turn {t} back on",
    "switch {t} back on",
    "can we have {t} on",
    "i want {t} on",
    "i'd like {t} on",
    "get {t} on",
    "enable {t}",
    "turn on {tb} {inroom}",
    "turn {tb} on {inroom}",
    "switch {tb} on {inroom}",
    "(turn|switch) on {tg}",
    "(turn|switch) {tg} on",
    "{tg} on",
    "let's have {t} on",
    "{t} needs to be on",
    "bring {t} on",
    "(go ahead and|) (turn|switch) on {t} (now|)",
    "(turn|switch|power) on",
    "(turn|switch) on (please|now|)",
)
_ON_EXTRA: dict[str, tuple[str, ...]] = {
    "light": (
        "light up {t}",
        "illuminate {t}",
        "<device:lights> on {inroom}",
        "<device:lights> on",
    ),
    "switch": ("start {t}", "start up {t}", "fire up {t}", "run {t}", "get {t} going"),
    "fan": ("start {t}", "start up {t}", "get {t} going", "fire up {t}", "run {t}"),
    "media_player": ("start {t}", "boot up {t}", "fire up {t}", "wake up {t}"),
    "climate": ("start {t}", "fire up {t}", "get {t} going", "put {t} on (for a bit|)"),
}
_OFF = (
    "turn off {t}",
    "turn {t} off",
    "switch off {t}",
    "switch {t} off",
    "{t} off",
    "{t} off please",
    "shut off {t}",
    "shut {t} off",
    "power off {t}",
    "power down {t}",
    "kill {t}",
    "cut {t}",
    "put {t} off",
    "disable {t}",
    "flick {t} off",
    "turn {t} back off",
    "switch {t} back off",
    "i want {t} off",
    "can we have {t} off",
    "get {t} off",
    "turn off {tb} {inroom}",
    "turn {tb} off {inroom}",
    "switch {tb} off {inroom}",
    "(turn|switch) off {tg}",
    "(turn|switch) {tg} off",
    "{tg} off",
    "kill {tg}",
    "shut {tg} off",
    "{t} can go off now",
    "(go ahead and|) (turn|switch) off {t} (now|)",
    "(turn|switch|power) off",
    "(turn|switch) off (please|now|)",
)
_OFF_EXTRA: dict[str, tuple[str, ...]] = {
    "light": (
        "<device:lights> out",
        "<device:lights> out {inroom}",
        "<device:lights> off {inroom}",
    ),
    "switch": ("stop {t}", "cut the power to {t}", "unplug {t}"),
    "fan": ("cut the power to {t}", "stop {t} (spinning|running|)"),
    "media_player": ("shut down {t}", "power down {t}"),
    "climate": ("shut down {t}", "stop {t} (running|)"),
}

_BRIGHTNESS = (
    "set {t} to {pct}",
    "set {t} <attribute:brightness> to {pct}",
    "set the <attribute:brightness> of {t} to {pct}",
    "set the <attribute:brightness> {inroom} to {pct}",
    "<attribute:brightness> to {pct} {inroom}",
    "<attribute:brightness> {pct}",
    "set {t} at {pct}",
    "dim {t} to {pct}",
    "dim {t} down to {pct}",
    "brighten {t} to {pct}",
    "{t} to {pct}",
    "{t} at {pct}",
    "{t} <attribute:brightness> {pct}",
    "{t} <attribute:brightness> to {pct}",
    "make {t} {pct}",
    "turn {t} to {pct}",
    "turn {t} down to {pct}",
    "turn {t} up to {pct}",
    "put {t} on {pct}",
    "put {t} at {pct}",
    "change {t} to {pct}",
    "change the <attribute:brightness> of {t} to {pct}",
    "adjust {t} to {pct}",
    "bring {t} down to {pct}",
    "bring {t} up to {pct}",
    "{t} {pct} please",
    "set {t} to {pct} <attribute:brightness>",
    "{t} at <value:full|max|maximum> <attribute:brightness>",
    "<value:full|max|maximum> <attribute:brightness> on {t}",
    "dim {t}",
    "dim {t} please",
    "can you dim {t}",
    "set the <attribute:brightness> of {t}",
    "change the <attribute:brightness> {inroom}",
    "dim {tg} to {pct}",
    "set {tg} to {pct}",
)
_COLOR = (
    "make {t} {color}",
    "turn {t} {color}",
    "change {t} to {color}",
    "set {t} to {color}",
    "set {t} <attribute:colour|color> to {color}",
    "set the <attribute:colour|color> of {t} to {color}",
    "change the <attribute:colour|color> of {t} to {color}",
    "change the <attribute:colour|color> {inroom} to {color}",
    "{t} {color}",
    "{t} to {color}",
    "{t} in {color}",
    "i want {t} {color}",
    "can {t} be {color}",
    "make {t} go {color}",
    "switch {t} to {color}",
    "{color} {t} please",
    "{color} <device:light> {inroom}",
    "make {tg} {color}",
    "turn {tg} {color}",
    "set {t} <attribute:colour|color> {color}",
    "set {t} <attribute:colour|color>",
    "change the <attribute:colour|color> of {t}",
    "make {t} a nice {color}",
    "go {color} {inroom}",
)
_COLOR_TEMP = (
    "set {t} to {ct}",
    "make {t} {ct}",
    "{t} to {ct}",
    "change {t} to {ct}",
    "switch {t} to {ct}",
    "turn {t} {ct}",
    "{ct} <device:light> {inroom}",
    "{t} to {kelvin}",
    "set {t} to {kelvin}",
    "change {t} to {kelvin}",
    "set the colour temperature of {t} to {kelvin}",
    "set the color temperature of {t} to {kelvin}",
    "set the colour temperature of {t} to {ct}",
    "make {tg} {ct}",
    "set the colour temperature of {t}",
)
_TEMPERATURE = (
    "set {t} to {temp}",
    "set the <attribute:temperature|temp> to {temp}",
    "set the <attribute:temperature> {inroom} to {temp}",
    "<attribute:temperature> to {temp} {inroom}",
    "<attribute:temperature> {temp}",
    "{t} to {temp}",
    "{t} at {temp}",
    "turn {t} to {temp}",
    "turn {t} up to {temp}",
    "turn {t} down to {temp}",
    "put {t} on {temp}",
    "put {t} to {temp}",
    "change {t} to {temp}",
    "change the <attribute:temperature> to {temp}",
    "adjust {t} to {temp}",
    "make it {temp} {inroom}",
    "i want it {temp} {inroom}",
    "i'd like it to be {temp} {inroom}",
    "heat {roomnp} to {temp}",
    "warm {roomnp} up to {temp}",
    "cool {roomnp} (down|) to {temp}",
    "keep {t} at {temp}",
    "hold {t} at {temp}",
    "keep {roomnp} at {temp}",
    "can you set {t} to {temp}",
    "set {t} for {temp}",
    "{t} {temp} please",
    "set {t}",
    "set the <attribute:temperature> {inroom}",
    "change the <attribute:temperature>",
    "adjust {t}",
    "set {tg} to {temp}",
    "set the <attribute:temperature> to {temp} everywhere",
)
_MODE = (
    "set {t} to {mode}",
    "set {t} to {mode} mode",
    "put {t} on {mode}",
    "put {t} in {mode} mode",
    "put {t} into {mode} mode",
    "switch {t} to {mode}",
    "switch {t} to {mode} mode",
    "change {t} to {mode}",
    "change {t} to {mode} mode",
    "{t} to {mode}",
    "{t} {mode} mode",
    "{t} on {mode}",
    "{mode} mode on {t}",
    "{mode} mode {inroom}",
    "turn {t} to {mode}",
    "set the mode of {t} to {mode}",
    "set the mode {inroom} to {mode}",
    "change the mode to {mode}",
    "i want {t} on {mode}",
    "set {t} mode",
    "change the mode of {t}",
)
_OPEN = (
    "open {t}",
    "open up {t}",
    "open {t} (all the way|fully|completely|up)",
    "raise {t}",
    "lift {t}",
    "pull up {t}",
    "pull {t} up",
    "roll up {t}",
    "roll {t} up",
    "{t} up",
    "{t} open",
    "put {t} up",
    "get {t} open",
    "open {t} please",
    "can you open {t}",
    "open {tg}",
    "raise {tg}",
    "open {tb} {inroom}",
    "draw back {t}",
    "{t} all the way up",
    "let {t} up",
    "extend {t}",
    "(roll|wind|pull|put|let) out {t}",
    "(roll|wind|pull|put) {t} out",
    "unfurl {t}",
)
_CLOSE = (
    "close {t}",
    "close {t} (all the way|fully|completely)",
    "shut {t}",
    "lower {t}",
    "pull down {t}",
    "pull {t} down",
    "roll down {t}",
    "roll {t} down",
    "{t} down",
    "{t} closed",
    "put {t} down",
    "bring {t} down",
    "close {t} please",
    "can you close {t}",
    "close {tg}",
    "lower {tg}",
    "shut {tg}",
    "close {tb} {inroom}",
    "{t} all the way down",
    "draw {t}",
    "close up {t}",
    "retract {t}",
    "(roll|wind|pull|bring) in {t}",
    "(roll|wind|pull|bring) {t} (in|back in)",
    "furl {t}",
)
_STOP = (
    "stop {t}",
    "halt {t}",
    "freeze {t}",
    "stop {t} (there|right there|now|moving)",
    "{t} stop",
    "hold {t} there",
    "hold {t} right there",
    "stop {t} where (it is|they are)",
    "stop moving {t}",
    "stop {tg}",
    "stop {t} please",
)
_STOP_MEDIA = ("stop {t}", "stop playing on {t}", "stop the playback on {t}", "{t} stop")
_POSITION = (
    "set {t} to {pos}",
    "{t} to {pos}",
    "open {t} {pos}",
    "open {t} to {pos}",
    "close {t} {pos}",
    "close {t} to {pos}",
    "lower {t} to {pos}",
    "raise {t} to {pos}",
    "move {t} to {pos}",
    "put {t} at {pos}",
    "set the <attribute:position> of {t} to {pos}",
    "set {t} <attribute:position> to {pos}",
    "{t} <attribute:position> {pos}",
    "bring {t} down to {pos}",
    "pull {t} down to {pos}",
    "roll {t} down to {pos}",
    "{t} {pos} please",
    "{t} {pos} open",
    "adjust {t} to {pos}",
    "set {tg} to {pos}",
    "set {t} <attribute:position>",
)
_PERCENTAGE = (
    "set {t} to {speed}",
    "{t} to {speed}",
    "set {t} <attribute:speed> to {speed}",
    "set the <attribute:speed> of {t} to {speed}",
    "{t} <attribute:speed> {speed}",
    "{t} <attribute:speed> to {speed}",
    "turn {t} up to {speed}",
    "turn {t} down to {speed}",
    "put {t} on {speed}",
    "run {t} at {speed}",
    "{t} on {speed}",
    "change {t} <attribute:speed> to {speed}",
    "change the <attribute:speed> of {t} to {speed}",
    "set <attribute:speed> to {speed} on {t}",
    "<device:fan> <attribute:speed> {speed}",
    "<device:fan> <attribute:speed> to {speed} {inroom}",
    "make {t} go {speed}",
    "{t} at {speed}",
    "set the <attribute:speed> of {t}",
    "set {tg} to {speed}",
)
_LOCK = (
    "lock {t}",
    "lock up {t}",
    "bolt {t}",
    "secure {t}",
    "{t} locked",
    "lock {t} please",
    "can you lock {t}",
    "make sure {t} is locked",
    "lock {tg}",
    "bolt {tg}",
    "secure {tg}",
    "lock {t} for the night",
    "lock {t} now",
    "{t} lock",
    "lock <scope:everything> up",
    "lock up",
)
_UNLOCK = (
    "unlock {t}",
    "unbolt {t}",
    "{t} unlocked",
    "unlock {t} please",
    "can you unlock {t}",
    "unlatch {t}",
    "release {t}",
    "release the lock on {t}",
    "unlock {tg}",
    "{t} unlock",
    "disengage the lock on {t}",
)
_PLAY = (
    "play {t}",
    "resume {t}",
    "resume playback on {t}",
    "continue playing on {t}",
    "unpause {t}",
    "hit play on {t}",
    "press play on {t}",
    "{t} play",
    "start playing on {t}",
    "carry on playing on {t}",
    "resume",
    "unpause",
    "resume playback",
    "press play",
    "hit play",
    "carry on playing",
    "continue playback",
    "keep playing",
    "start it playing again",
)
_PAUSE = (
    "pause {t}",
    "pause",
    "pause playback",
    "pause playback on {t}",
    "hit pause on {t}",
    "press pause",
    "hit pause",
    "{t} pause",
    "pause {t} for a second",
    "pause {t} please",
    "pause {tg}",
    "hold the playback",
    "pause the playback {inroom}",
)
_VOLUME = (
    "set the <attribute:volume> to {vol}",
    "set the <attribute:volume> (on|of) {t} to {vol}",
    "set {t} <attribute:volume> to {vol}",
    "{t} <attribute:volume> {vol}",
    "{t} <attribute:volume> to {vol}",
    "<attribute:volume> {vol} on {t}",
    "<attribute:volume> at {vol}",
    "<attribute:volume> {vol}",
    "change the <attribute:volume> to {vol}",
    "change the <attribute:volume> of {t} to {vol}",
    "put the <attribute:volume> (at|on) {vol}",
    "turn the <attribute:volume> (up|down) to {vol}",
    "turn {t} (up|down) to {vol}",
    "set {t} to {vol}",
    "set {t} to <attribute:volume> {vol}",
    "make the <attribute:volume> {vol}",
    "<attribute:volume> to {vol} {inroom}",
    "set the <attribute:volume>",
    "change the <attribute:volume> on {t}",
    "set {tg} to <attribute:volume> {vol}",
)
_SCENE = (
    "activate {scene}",
    "activate the {scene} scene",
    "activate {scene} scene",
    "start {scene}",
    "start the {scene} scene",
    "run {scene}",
    "run the {scene} scene",
    "turn on {scene}",
    "turn on the {scene} scene",
    "set the scene to {scene}",
    "switch to {scene}",
    "switch to the {scene} scene",
    "{scene} please",
    "{scene}",
    "it's {scene}",
    "time for {scene}",
    "let's do {scene}",
    "go to {scene}",
    "trigger {scene}",
    "trigger the {scene} scene",
    "set up {scene}",
    "set up for {scene}",
    "load {scene}",
    "load the {scene} scene",
    "recall {scene}",
    "put on {scene}",
    "enable {scene}",
    "{scene} scene",
    "{scene} scene {inroom}",
    "start {scene} {inroom}",
    "we're doing {scene}",
    "get ready for {scene}",
    "can we do {scene}",
    "apply {scene}",
    "scene {scene}",
)

# Relative changes: one list, filled per domain ({cu}/{cd}, {attr}, {dpct}/{dtemp}).
_INCREASE = (
    "make {t} {cu}",
    "make {t} a (bit|little|touch|tad|lot) {cu}",
    "make {t} (slightly|much|way) {cu}",
    "{t} {cu}",
    "{t} a bit {cu}",
    "{cu} please",
    "{cu}",
    "a bit {cu}",
    "a little {cu}",
    "(slightly|much|a lot|somewhat) {cu}",
    "{cu} {inroom}",
    "a bit {cu} {inroom}",
    "make {roomnp} {cu}",
    "turn up {t}",
    "turn {t} up",
    "turn {t} up a (bit|little|notch)",
    "turn up the {attr}",
    "turn the {attr} up",
    "turn up the {attr} (on|of) {t}",
    "turn the {attr} up {inroom}",
    "turn the {attr} up a (bit|little|notch)",
    "increase the {attr} (of|on) {t}",
    "increase the {attr}",
    "increase the {attr} {inroom}",
    "raise the {attr}",
    "raise the {attr} {inroom}",
    "bump up the {attr}",
    "bump {t} up",
    "crank up {t}",
    "crank the {attr} up",
    "{attr} up",
    "{attr} up a bit",
    "more {attr}",
    "{attr} up {delta}",
    "{t} up {delta}",
    "up {delta}",
    "turn <anaphor:it> up {delta}",
    "turn {t} up by {delta}",
    "turn the {attr} up by {delta}",
    "increase {t} by {delta}",
    "increase the {attr} by {delta}",
    "raise the {attr} by {delta}",
    "{delta} {cu}",
    "make {t} {delta} {cu}",
    "{cu} by {delta}",
    "can you make {t} {cu}",
    "it's too {cold} {inroom}",
    "it's (a bit|a little|way|really|) too {cold} in here",
    "it's too {cold}",
    "go {cu}",
    "little {cu} please",
    "nudge {t} up",
    "nudge the {attr} up a bit",
    "make {tg} {cu}",
    "turn up {tg}",
)
_DECREASE = (
    "make {t} {cd}",
    "make {t} a (bit|little|touch|tad|lot) {cd}",
    "make {t} (slightly|much|way) {cd}",
    "{t} {cd}",
    "{t} a bit {cd}",
    "{cd} please",
    "{cd}",
    "a bit {cd}",
    "a little {cd}",
    "(slightly|much|a lot|somewhat) {cd}",
    "{cd} {inroom}",
    "a bit {cd} {inroom}",
    "make {roomnp} {cd}",
    "turn down {t}",
    "turn {t} down",
    "turn {t} down a (bit|little|notch)",
    "turn down the {attr}",
    "turn the {attr} down",
    "turn down the {attr} (on|of) {t}",
    "turn the {attr} down {inroom}",
    "turn the {attr} down a (bit|little|notch)",
    "decrease the {attr} (of|on) {t}",
    "decrease the {attr}",
    "reduce the {attr}",
    "reduce the {attr} {inroom}",
    "lower the {attr}",
    "lower the {attr} {inroom}",
    "drop the {attr}",
    "knock {t} down a bit",
    "tone down {t}",
    "tone the {attr} down",
    "{attr} down",
    "{attr} down a bit",
    "less {attr}",
    "{attr} down {delta}",
    "{t} down {delta}",
    "down {delta}",
    "turn <anaphor:it> down {delta}",
    "turn {t} down by {delta}",
    "turn the {attr} down by {delta}",
    "decrease {t} by {delta}",
    "reduce the {attr} by {delta}",
    "lower the {attr} by {delta}",
    "{delta} {cd}",
    "make {t} {delta} {cd}",
    "{cd} by {delta}",
    "can you make {t} {cd}",
    "it's too {hot} {inroom}",
    "it's (a bit|a little|way|really|) too {hot} in here",
    "it's too {hot}",
    "go {cd}",
    "little {cd} please",
    "nudge {t} down",
    "nudge the {attr} down a bit",
    "make {tg} {cd}",
    "turn down {tg}",
)
_DECREASE_LIGHT = ("dim {t} a (bit|little|touch)", "dim {t} slightly", "dim {t} a bit more")

# ---------------------------------------------------------------------------
# how people say it to a house: wishes, needs and states rather than verbs
# ("I need the lamp on", "the lamp can go off", "no more lamp"), colloquial verbs
# ("pop", "bung", "douse"), and a named target followed by "it" ("we're done with
# the lamp, switch it off"). Kept apart from the verb families above so the
# share of each style can be read and tuned in one place.

_WANT = "(i need|i want|i'd like|i would like|i'd love|we need|we want|we'd like|i could do with|we could do with|i fancy|i could use|give me|let me have|can i have|could i have|can we have|could we have|can we get|could we get|i'd appreciate)"  # noqa: E501
_MAY = "(can|could|may as well|might as well|should|ought to|needs to|need to|has to|have to|is to|are to|will)"  # noqa: E501
_NICE = "(would be (nice|good|great|lovely|handy|useful)|would be nice now|would help|please)"

_ON_SAID = (
    f"{_WANT} {{t}} on",
    f"{_WANT} {{t}} (switched|turned) on",
    f"{_WANT} {{t}} (going|running)",
    f"{_WANT} {{t}}",
    f"{_WANT} {{t}} on (now|please|for a bit|)",
    f"{{t}} {_MAY} (come|go|be|be switched|be turned) on",
    f"{{t}} on {_NICE}",
    f"{{t}} {_NICE}",
    "{t} on (when you get a (sec|second|minute|chance)|when you can|if you would)",
    "(pop|bung|stick|whack|throw|chuck|flick|knock|bang) {t} on",
    "(pop|bung|stick|whack|throw|flick) on {t}",
    "(get|have) {t} on (for me|please|)",
    "(fire|start|power|boot) up {t}",
    "(wake|start) {t}",
    "(can|could|will|would) {t} (come|go|be|be switched) on",
    "let's get {t} (on|going)",
    "{t} (needs|need) to be on",
    "{t} (should|must) be on",
    "(is|are) {t} able to come on",
    "on with {t}",
    "{t} on (then|again|too)",
    "{t} back on",
    "(turn|switch|put) {t} on (again|too|as well)",
)
_ON_LIGHT_SAID = (
    "light {t}",
    "light up {roomnp}",
    "{roomnp} lit (up|please|)",
    f"{_WANT} {{roomnp}} lit (up|)",
    f"{_WANT} (some|a bit of|a little) light {{inroom}}",
    f"{_WANT} (some|a bit of|a little) light (from|on) {{t}}",
    f"{_WANT} {{t}} lit",
    "(lights|light) (on|up) {inroom}",
    "(some|a bit of) light {inroom} (please|)",
    "(some|a bit of|a little) light please",
    "(brighten|light) up {roomnp}",
    "(illuminate|light up) {t}",
    "{t} (lit|lit up) (please|)",
    "(put|get|turn) (a|the) <device:light> on {inroom}",
    "(put|get|turn) (a|the) <device:light> on",
)
_OFF_SAID = (
    f"{{t}} {_MAY} (go|come|be|be switched|be turned) off",
    f"{{t}} {_MAY} go out",
    f"{{t}} {_MAY} (go|be) (off|out) (now|)",
    "{t} off (when you get a (sec|second|minute|chance)|when you can|if you would)",
    "(no more|enough of|that's enough of) {t} (for (now|today|tonight)|)",
    "(no|there's no) need for {t} (any more|anymore|now|tonight|)",
    "we (don't|do not) need {t} (any more|anymore|now|)",
    "i (don't|do not) need {t} (any more|anymore|now|)",
    "(we're|i'm|we are|i am) (done|finished) with {t}",
    f"{_WANT} {{t}} off",
    f"{_WANT} {{t}} (switched|turned) off",
    "(pop|bung|knock|flick|switch) {t} off",
    "(pop|knock|flick) off {t}",
    "(shut|close) down {t}",
    "(kill|cut|stop) {t} (now|please|)",
    "(get|have) {t} off (for me|please|)",
    "{t} (needs|need) to (be|go) off",
    "{t} (should|must) be off",
    "(can|could|will|would) {t} (go|be|be switched|be turned) off",
    "off with {t}",
    "{t} off (then|again|too)",
    "(turn|switch|put) {t} off (again|too|as well)",
    "(i'm|we're) (done|finished) with {t} (you can|) (turn|put) <anaphor:it> off",
    "{t} (has|have) been on (for ages|long enough) (kill|put) <anaphor:it|them> off",
    "{t} (is|are) still on (turn|switch) <anaphor:it|them> off",
    "about {t} (turn|switch) <anaphor:it|them> off",
)
_OFF_LIGHT_SAID = (
    "(douse|extinguish|snuff out|put out|darken|black out) {t}",
    "(douse|extinguish|darken) {tg}",
    f"{{t}} {_MAY} go out",
    "{t} out (please|now|)",
    "{roomnp} (can|could|should|may as well) go dark",
    "(make|leave|get) {roomnp} dark",
    f"{_WANT} {{roomnp}} dark",
    "(darken|black out) {roomnp}",
    "(lights|light) out {inroom} (please|now|)",
    "no more (light|lights) {inroom}",
    "(lights|light) off (all over|throughout|across|everywhere in) the house",
)
_BRIGHTNESS_SAID = (
    "{pct} (for|on|from) {t}",
    "{pct} <attribute:brightness> (for|on|from) {t}",
    "just {pct} (for|on|from) {t}",
    "{t} (needs|need) to be (at|on) {pct}",
    "{t} (should|could|can) be (at|on) {pct}",
    f"{_WANT} {{t}} (at|on) {{pct}}",
    "(bring|take|turn) {t} (way|right|) down (to|) {pct}",
    "{t} (down|up) to {pct}",
    "(give|let) {t} {pct}",
    "{t} as bright as (it'll|it will|it can|they'll|they can) go",
    "{t} as (bright|dim) as possible",
    "{t} (on|at) <value:full|max|maximum> (whack|blast|)",
    "(just|only) a (glimmer|glow|touch) {inroom} {pct}",
    "{pct} {inroom}",
    "{pct} light {inroom}",
    "make {t} {pct} bright",
    "(i want|we want|i'd like) everything {inroom} lit (at|to) {pct}",
)
_COLOR_SAID = (
    "(paint|bathe|wash|flood|drench) {t} (in|with|) {color}",
    "(paint|bathe|wash|flood) {roomnp} (in|with|) {color}",
    "give {t} a {color} (glow|tint|hue|tone|light|look)",
    "(i fancy|i'd like|i want|let's have|how about) {color} (on|for|from) {t}",
    "{color} (on|for) {t}",
    "{color} on (every|each|all the) <device:light> {inroom}",
    "{t} (should|could|can|needs to) (be|go|turn) {color}",
    "{t} in {color} (please|for me|)",
    "(tint|colour|color) {t} {color}",
    "let's have {t} {color}",
    "(a|some) {color} (glow|light) from {t}",
    "(can|could) {t} (go|be|turn) {color}",
)
_COLOR_TEMP_SAID = (
    "(set|give|put) a {ct} (tone|light|glow|setting) on {t}",
    "give {t} a {ct} (tone|glow|light)",
    "{ct} (on|for|from) {t}",
    "{kelvin} (on|for) {t}",
    f"{_WANT} (proper|nice|some|) {{ct}} (light|) from {{t}}",
    "{t} (should|could|can) be {ct}",
    "{t} at {kelvin}",
    "(make|turn) {t} (nice and|) {ct}",
)
_TEMPERATURE_SAID = (
    f"{_WANT} (it|things) {{temp}} {{inroom}}",
    "{temp} on {t}",
    "{temp} (for|in) {roomnp}",
    "(can|could) {t} go (to|up to|down to) {temp}",
    "(can|could) {roomnp} (be|go to) {temp}",
    "{temp} (is|would be|will be|should be) (plenty|enough|fine|good|nice|right) (for|in) {roomnp}",
    "{temp} (is|would be|will be|should be) (plenty|enough|fine|good|nice|right) (for|on) {t}",
    "let's have {temp} (on|for|in) {t}",
    "let's have {temp} {inroom}",
    "{roomnp} should be {temp}",
    "{t} (should|could|can|needs to) (be|sit|stay|go|run) (at|on|to|) {temp}",
    "{t} (should|could|can) be (set to|at) {temp}",
    "(heat|warm) {roomnp} (up|) to {temp}",
    "{temp} {inroom} please",
    "(make|get) {roomnp} {temp}",
    "{t} (needs|need) (changing|adjusting|setting)",
    "{t} needs a different <attribute:temperature>",
)
_PERCENTAGE_SAID = (
    f"{_WANT} {{t}} (spinning|going|running|on) (at|on) {{speed}}",
    "{t} (should|could|can) (go|run|spin|be) (at|on) {speed}",
    "{speed} (on|for) {t}",
    "{t} (on|at) {speed} (please|now|)",
    "{t} (flat out|full blast|full whack|full tilt)",
    "{t} needs a different <attribute:speed>",
    "(change|adjust) the <attribute:speed> of {t}",
)
_POSITION_SAID = (
    "(crack|open) {t} (open|) a (little|bit|touch|crack)",
    "(can|could) {t} (go|be) {pos} (open|)",
    "{t} (should|could|can) be {pos} (open|)",
    "{pos} (open|) (on|for) {t}",
    f"{_WANT} {{t}} {{pos}} (open|)",
)
_OPEN_MORE_SAID = (
    "part {t}",
    "(pull|draw) {t} (open|back|apart)",
    "{t} (up|open) it's (morning|light)",
)
_CLOSE_MORE_SAID = ("(pull|draw) {t} (across|together)", "{t} across (please|)")
_OPEN_SAID = (
    f"{_WANT} {{t}} open",
    "{t} (can|could|should|needs to) (go|be|come) (up|open)",
    "let (some|the) light in {inroom}",
    "(throw|fling|pull) (open|back) {t}",
    "{t} open (please|now|for me|)",
    "let's have {t} open",
)
_CLOSE_SAID = (
    f"{_WANT} {{t}} (closed|shut|down)",
    "{t} (can|could|should|needs to) (go|be|come) (down|closed|shut)",
    "{t} (shut|closed|down) (please|now|for me|)",
    "(pull|draw) {t} (shut|closed|to)",
    "let's have {t} (closed|shut)",
    "keep the (sun|light) out {inroom}",
)
_LOCK_SAID = (
    "make sure {t} (is|are) (bolted|secure|locked|shut)",
    "{t} (should|needs to|must|has to) be (locked|bolted|secured)",
    f"{_WANT} {{t}} (locked|bolted)",
    "(can|could) {t} be (locked|bolted)",
    "(check|see) {t} (is|are) locked",
)
_UNLOCK_SAID = (
    "{t} (needs|need) (unlocking|opening)",
    "{t} (should|needs to|must|has to|can) be unlocked",
    f"{_WANT} {{t}} unlocked",
    "(can|could) {t} be unlocked",
    "let (them|him|her|the guests|the (delivery|cleaner)) in (through|at) {t}",
)
_ON_MORE_SAID = (
    "(get|set) {t} (turning|spinning|going|running|working)",
    "(bring|get) {t} (to life|going|up and running)",
    "get {t} (warmed|fired|started) up",
    "(fire|start|crank) {t} up",
)
_OFF_MORE_SAID = (
    "{t} (can|could|may as well) stop (now|)",
    "(stop|halt) {t} (now|please|)",
    "that's enough from {t}",
)
_PLAY_SAID = (
    "(carry on|keep going|go on) (with|on) {t}",
    "{t} (can|could) (carry on|start again|resume)",
    "back on with {t}",
)
_PAUSE_SAID = (
    "(hang on|hold on|wait) {t} on hold",
    "put {t} on (hold|pause)",
    "pause (the (film|show|music|programme|match)|) (on|in) {t}",
    "(hang on|hold on|wait) pause {t}",
    "{t} (can|could) (pause|wait) (a (sec|second|moment|minute)|)",
)
_VOLUME_SAID = (
    "{t} <attribute:sound|volume|loudness> (up|down|) (to|at|) {vol}",
    "{vol} (on|for) {t}",
    "<attribute:volume|loudness|sound> {vol} (on|for) {t}",
    "<value:mute> {t}",
    "<value:mute> (the sound|the volume) (on|of) {t}",
    "{t} (should|could|can) be (at|on) {vol}",
)
_SCENE_SAID = (
    "it's {scene} (time|o'clock)",
    "(we're|i'm) having a {scene} (evening|night|afternoon|morning)",
    "(do|let's do|could we do|can we do|could you do|can you do) the {scene}"
    " (thing|scene|routine|mode|setting)",
    "(kick off|set off|start up|fire up|put on) (the|) {scene}",
    "{scene} (time|mode|routine) (please|)",
    "{scene} for {person}",
    "{whose} {scene} (routine|scene|please)",
    "(set|get) the mood (in|for) {roomnp} {scene}",
    "(set|get) the mood {scene}",
    "(it's|time for) {scene} {inroom}",
    "(going|heading) to bed do the {scene}",
    "(cue|queue|line) up (the|) {scene}",
    "{person} is (going down|off to bed|asleep) do the {scene}",
)
_INCREASE_SAID = (
    "{t} (could|can|should) go up a (notch|bit|touch|little|degree|smidge)",
    "{t} (could|can|should) be a (bit|touch|little|tad|smidge) {cu}",
    "{roomnp} (could|can|should) be a (bit|touch|little|tad|smidge) {cu}",
    "{roomnp} could do with (another|an extra) {delta}",
    "{t} could do with (another|an extra) {delta}",
    "{delta} more (for|on|in) {t}",
    "(another|an extra) {delta} (for|on|in) {t}",
    "a (smidge|touch|tad|bit|little) more {attr} (on|for|from) {t}",
    "(nudge|bump|push|knock) {t} up (a (bit|notch|touch)|)",
    "(nudge|bump|push) up {t}",
    "{t} {cu} by {delta}",
    "{cu} than that",
    "a (bit|little|touch|tad) {cu} than that",
    "{cu} than that please",
    "(even|a bit|a little) {cu} (still|again|)",
)
_DECREASE_SAID = (
    "{t} (could|can|should) go down a (notch|bit|touch|little|degree|smidge)",
    "{t} (could|can|should) be a (bit|touch|little|tad|smidge) {cd}",
    "{roomnp} (could|can|should) be a (bit|touch|little|tad|smidge) {cd}",
    "(knock|take) {delta} off {t}",
    "(knock|take) {delta} off (the|) {attr}",
    "(back|turn|take) {t} (off|down) {delta}",
    "(back|turn|take) <anaphor:it|them> (off|down) {delta}",
    "{t} {cd} by {delta}",
    "{cd} than that",
    "a (bit|little|touch|tad) {cd} than that",
    "{cd} than that please",
    "(even|a bit|a little) {cd} (still|again|)",
    "(nudge|knock|bring) {t} down (a (bit|notch|touch)|)",
    "too (much|loud|bright|hot|warm) {cd} (by|) {delta}",
)

# Remarks about a device that ask nothing of it (out of domain, the device still tagged).
OOD_ABOUT_DEVICES: tuple[str, ...] = (
    "{t} (is|are|seems|seem) (broken|flickering|buzzing|making a (noise|funny noise)|on the blink)",
    "{t} (is|are) (new|old|lovely|expensive|a bit ugly|from ikea|a present|my favourite)",
    "{t} (takes|take) (ages|forever|hours|a while) to (warm up|heat up|come on|get going|start)",
    "{t} (says|shows|reads|said) {n}",
    "{t} (needs|need) (a new bulb|cleaning|dusting|fixing|replacing|a new battery|new batteries)",
    "we (need|should get|ought to buy) a (new|bigger|better|second) {bare}",
    "(we|i) (need|could do with|want|should get|ought to get|must buy|are getting) (a|another)"
    " (new|bigger|smaller|better|second|quieter|brighter|proper|cheaper) {bare} (for|in) {roomnp}",
    "(we|i) need to (buy|get|order|replace|fix|repair|move|clean) {t}",
    "(we|i) (need|could do with) (more|new|better|some new) {bares} {inroom}",
    "(does|do) {t} need (a new bulb|replacing|servicing|fixing)",
    "(i|we) (bought|ordered|fixed|cleaned|moved|painted|broke) {t} (yesterday|last week|today|)",
    "where did we (get|buy) {t}",
    "how (old|much) (is|was) {t}",
    "(who|why did someone) (left|leave|turned|turn) {t} on",
    "(the|) (bulb|battery|fuse) (in|of) {t} (has gone|is dead|blew)",
    "{t} (was|were) on all night",
    "i (love|like|hate|don't like) {t}",
    "{t} (looks|look) (nice|great|odd|dusty) {inroom}",
    "(my|our) {bare} (at work|at the office|at my mum's|in the old flat) (is|was) (on|off|broken)",
    "(does|do) {t} use much (power|electricity)",
    "(is|are) {t} (energy efficient|dimmable|smart|waterproof)",
    "{t} (came|come) on by itself",
    "{n} degrees (outside|out there|in the garden) (today|)",
    "{t} (is|are|was|were) (a copy|a replica|an antique|a wedding present|a bit kitsch"
    "|more for show|mostly for decoration|a family heirloom|older than me|from the fifties)",
    "{t} belonged to (my|her|his|our) (grandad|grandma|gran|mum|dad|aunt|uncle)",
    "(i|we) (read|heard|learned|saw) that {t} (was|is|were|are) (designed|made|invented) "
    "(in|by) (japan|the fifties|an architect|hand|a famous designer)",
    "(has|have) (anyone|someone|you|the kids) (closed|opened|turned off|turned on|moved"
    "|touched|seen|broken) {t}",
    "did (anyone|someone|you|the kids) (close|open|turn off|turn on|move|touch|switch off) {t}",
    "(what's|what is) a good (film|show|album|programme) to (watch|play|listen to) on {t}",
    "(my|her|his) (mum|dad|gran|friend) has {t} (just like|exactly like|similar to) (ours|this)",
    # stories, scripts, lessons and tradespeople: the device named, nothing asked of homebrain
    "(he|she|they|the detective|the old man) (reached for|walked over to|crossed to|went over"
    " to) {t} and (switched|turned|flicked|pulled|threw) (it|them) (on|off|open|shut)",
    "(he|she|they|i) (switched|turned|flicked) {t} (on|off) and (saw|noticed|realised|heard)"
    " (that|) (something|nothing|the letter|someone|a shadow)",
    "would you like me to (open|close|turn on|turn off|switch on|switch off|dim|draw) {t}"
    " (so you can see|for you|while you look round|)",
    "stage direction (she|he|they) (crosses|goes|walks|runs) to {t} and (throws|pulls|flings"
    "|switches|turns) (it|them) (open|shut|on|off)",
    "when you (dim|brighten|turn up|turn down|switch off|switch on) (a|the) {bare} (less|more)"
    " (current|power|heat|light) (flows|comes out|is used|gets through)",
    "(i'm|we're|you're) (closing|opening|turning off|switching on|locking) the (pretend|toy"
    "|play|dolls' house) {bares}",
    "(babies|dolls|teddies|toys) can't (turn|switch) (the|) {bares} (on|off)",
    "write down that {t} (blocks|lets in|keeps out|lets through) the (light|heat|cold|sun)",
    "(the|) (motor|wiring|switch|bulb|battery|remote|thermostat) (on|in|of) {t} (is|was)"
    " (fine|faulty|gone|dead|fine now)",
    "{t} (is|are|was) fine (now|), it's the (limit switch|fuse|wiring|motor|remote|bulb"
    "|socket) that's (gone|broken|faulty|the problem)",
)
# Remarks about a scene by its name ("hygge is a Danish word"): naming one is not asking for it.
OOD_ABOUT_SCENES: tuple[str, ...] = (
    "{scene} (is|was|'s) (a|an) (danish|funny|odd|lovely|old|silly) (word|idea|name|tradition)",
    "how do you (spell|say|pronounce) {scene}",
    "what does {scene} (mean|stand for)",
    "where does the word {scene} come from",
    "(that|our|the) {scene} (evening|night|party|weekend) (was|is) (lovely|great|fun|a disaster)",
    "we (had|did|loved|enjoyed) {scene} (last night|yesterday|on friday|at the weekend)",
    "{scene} (is|are) (a bit of|) (a|our) (family|house|) tradition",
    "i (love|like|hate|adore) {scene}",
    "{scene} is (my|our|her|his) favourite",
    "who (came up with|named|set up|made) {scene}",
    "{scene} (is|was) (getting|) (later|earlier|longer|shorter) (and later|these days|)",
)
# A command that homebrain cannot do now: for later, on a condition, denied or wondered about.
OOD_WRAPS_BEFORE: tuple[str, ...] = (
    "if (it|it's) (rains|gets dark|gets cold|gets too hot|raining|dark|cold|sunny)",
    "if (anyone|someone|the postman|the dog) (comes|rings|barks|gets in)",
    "(when|once|after) (i|we) (get home|get back|leave|go to bed|wake up|get up)",
    "(when|once) it gets (dark|light|cold|late)",
    "(tomorrow|tonight|later|in the morning|on monday|at the weekend|next week)",
    "(at|by) (seven|eight|nine|ten|eleven|midnight|noon|sunset|sunrise|{n} o'clock|{n} pm|{n} am)",
    "(in|after) (five|ten|twenty|{n}) (minutes|hours)",
    "(don't|do not|never|please don't|you don't need to|no need to)",
    "(should i|shall i|shall we|should we|do you think i should|would it be wise to)",
    "(remind me to|don't let me forget to|make a note to|add a reminder to)",
    "(i forgot to|i meant to|she always forgets to|he never remembers to)",
    "(i was going to|i was about to|i wanted to|we used to|they used to|you used to|i tried to"
    "|you had to|we had to)",
    "(he|she|mum|dad|{person}) (told|asked) (me|us|the kids|him|her) to",
    "(she|he|{person}) keeps asking (me|us) to",
    "(she|he|mum|dad|{person}) (made|makes|always makes) (me|us|the kids|him|her)",
    "(the experts|experts|they|people|the man on the radio|the leaflet) (say|says|said|reckon)"
    " (that|) (you should|we should|you ought to|it's best to)",
    "(don't|never) (ever|) (let anyone|let the kids)",
)
OOD_WRAPS_AFTER: tuple[str, ...] = (
    "(tomorrow|tonight|later|in the morning|on monday|at the weekend|next week|every day)",
    "(at|by) (seven|eight|nine|ten|eleven|midnight|noon|sunset|sunrise|{n} o'clock|{n} pm|{n} am)",
    "(in|after) (five|ten|twenty|{n}) (minutes|hours)",
    "(if|when) (it|it's) (rains|gets dark|gets cold|raining|dark|cold)",
    "(when|once|after) (i|we) (get home|get back|leave|go to bed|wake up|get up)",
    "(when i'm|while we're) (away|out|on holiday)",
    "every (morning|evening|night|day) at (seven|eight|{n})",
)

# What people say around a command ("we're off to bed, lights off"): clauses that
# carry no command of their own, put before or after one (tagged O).
FRAMES_BEFORE: tuple[str, ...] = (
    "(i'm|we're) off to bed",
    "(i'm|we're) going to bed",
    "(i'm|we're) heading (up|out|off|to bed)",
    "time for bed",
    "bedtime",
    "it's getting late",
    "it's late",
    "it's getting dark",
    "it's dark (in here|out here|up here|down here)",
    "i can't see (anything|a thing|properly)",
    "i can barely see",
    "the (kids|children|baby) (are|is) asleep",
    "{person} is (asleep|sleeping|in bed)",
    "{whose} (asleep|in bed|going down|home|here|back)",
    "(we're|we are) (all|) (in|home|back|settling in|settled|sitting down to eat)",
    "everyone's (in|home|back|inside|asleep)",
    "(the|) (bottle's|tea's|dinner's|food's|bath's) ready",
    "(she's|he's|the baby's|the little one's) (napping|down for a nap|going down|asleep)",
    "it's (scorching|sweltering|boiling|roasting|baking|freezing|perishing) (out there|outside|today)",  # noqa: E501
    "(we're|i'm) (eating out|going out for dinner|off to the pub|out tonight|out all day)",
    "(we're|i'm) watching a (film|movie|show)",
    "the (film|movie|match|show) is (starting|about to start|over|finished)",
    "the (film's|movie's|match's|show's) (starting|on|over|finished)",
    "dinner's (ready|over)",
    "(the guests are|our guests are|visitors are) (here|coming|on their way|leaving)",
    "(i'm|we're) (home|back|up|awake|leaving|going out|off out|off)",
    "(i'm|we're) (done|finished) (in here|out here|up here|down here|for the day|for tonight|)",
    "(i'm|we're) (reading|working|cooking|on a call|getting ready|relaxing|tidying up)",
    "(i'm|we're) about to (read|eat|go out|leave|have a bath|watch something)",
    "(morning|good morning|good evening|good night|night night|evening)",
    "right then",
    "okay then",
    "listen",
    "oh by the way",
    "one more thing",
    "before i forget",
    "quick one",
    "while i think of it",
    "sorry",
    "sorry to bother you",
    "the party's over",
    "party time",
    "(lunch|dinner|breakfast) is over",
    "that's (the|) (film|washing|dinner) done",
    "all done",
    "(it's|that's) (too|so) (dark|gloomy|bright|noisy|quiet) (in here|)",
    "the sun's (in my eyes|going down|up)",
    "(it's|it is) (sunny|raining|a lovely day) (out|outside|)",
    "the (postman|courier|cleaner|plumber) is (here|coming|at the door)",
    "(we've|i've) got (visitors|company|people over|friends round)",
    "(i've|we've) just got (in|home|back|up)",
    "(i'm|we're) (in|at) the (car|door|garden)",
    # hands full: where the speaker is and what they hold, then the command
    "(onions|the pasta|the rice|dinner|the stew|the sauce|the eggs) (in|on) the (pan|hob|oven)",
    "(cake's|bread's|the roast's|the pie's) in the oven",
    "(flour|paint|mud|glue) up to my (elbows|wrists)",
    "(my hands are|i'm) (covered in flour|full|wet|sticky|all greasy)",
    "(holding|carrying) (a hot tray|the baby|the shopping|a pan|two cups)",
    "(baby|the shopping|a tray) in one (arm|hand)",
    "(i'm|we're) (cooking|baking|washing up|painting|changing a nappy)",
)
FRAMES_AFTER: tuple[str, ...] = (
    "when you get a (chance|minute|moment|sec|second)",
    "when you (can|have a moment)",
    "if (that's|it's) (ok|okay|alright|all right|no trouble)",
    "if you (don't mind|wouldn't mind)",
    "while you're (at it|there|about it)",
    "for (now|tonight|today|the night|the evening|a bit|a while)",
    "(we're|i'm) (off to bed|going out|heading out|leaving|off|done|done here|finished)",
    "it's (late|getting late|bedtime|dark|too dark|too bright|morning)",
    "(thanks|thank you|cheers) (a lot|very much|mate|love|)",
    "(ta|lovely|brilliant|great|perfect)",
    "there's a good (robot|computer|assistant)",
    "and that's (it|all)",
    "that's all",
    "nothing else",
    "for the (guests|kids|baby|dog|film|match|party|evening)",
    "for {person}",
    "(yeah|okay|alright)",
    "(the|) (film|show|match) is (starting|over|on)",
    "(the|) (film's|show's|match's) (starting|over|on)",
    "i'm (getting ready|reading|working|cooking)",
    "(so|so that) (i|we) can (see|read|sleep|relax|work|think)",
    "(i|we) can't see",
    "(we've|i've) got (visitors|company|guests)",
    "(before|) (i|we) (go|leave|head off)",
    "(we're|i'm) (eating out|going out|out for the day|out tonight|off out)",
    "(the|) (film's|match's|game's|show's) (over|finished|done)",
    "(we're|everyone's) (all|) (in|home|back) (now|)",
    "for (her|his|the baby's|the) (nap|bath|bedtime|feed)",
    "it's (scorching|sweltering|boiling|roasting|baking|freezing) (out there|outside|today|)",
    "(the|) (bottle's|tea's|dinner's) ready",
    "(it's|that's) (wasting|eating) (power|electricity|money)",
    "nobody's (watching|using it|in there|listening)",
)
# Remarks that on their own ask for light or quiet ("can't see a thing") are not out of
# domain said alone; only the others are.
ASKS_FOR_A_CHANGE = re.compile(r"\b(see|dark|gloomy|bright|noisy|quiet)\b")
ALONE_FRAMES: tuple[str, ...] = tuple(
    f for f in FRAMES_BEFORE + FRAMES_AFTER if not ASKS_FOR_A_CHANGE.search(f)
)
# Why people say they want it ("..., I'm looking for my keys", "the baby's stirring, ..."):
# everyday clauses that command nothing, built from parts so the model meets many words
# beside a command and learns that they do not make it out of domain. No device names
# and no numbers: a clause must not look like a target or a value.
REASON_CLAUSES: tuple[str, ...] = (
    "(i'm|we're|she's|he's|they're) (looking for|trying to find|hunting for|searching for) "
    "(my|the|her|his|our|a) {thing}",
    "(i've|we've|she's|he's) (lost|dropped|found|spilled|broken|forgotten|misplaced) "
    "(my|the|her|his|our|a) {thing}",
    "(i|we|you) (need|want|have|ought) to {doing}",
    "(she|he) (needs|wants|has) to {doing}",
    "(i'm|we're|she's|he's|they're) (about to|going to|trying to|starting to|off to) {doing}",
    "so (i|we|she|he|they|you) can {doing}",
    "(i|we) (can't|cannot|couldn't) {doing}",
    "(i'd like|we'd like|i want|we want) to {doing}",
    "{person} (wants|needs|is having|likes|loves|asked for) (a|the|some|her|his) {thing}",
    "{person} (is|was|'s) (asleep|tired|upset|poorly|ill|home|back|coming over|on the phone"
    "|in the bath|doing homework|working late|on her way|on his way)",
    "(my|her|his|our|the) (hands are|arms are|feet are|back is|eyes are|head is) "
    "(full|cold|tired|aching|sore|wet|killing me|full of shopping)",
    "(i've|we've|she's|he's) got (a cold|a headache|a migraine|my hands full|company"
    "|guests|a lot on|work to do|an early start|a deadline|the flu)",
    "(the|that|this) (film|show|song|match|game|book|meal|day|week|party) (was|is) "
    "(awful|great|boring|brilliant|too long|over|rubbish|amazing|dreadful)",
    "(i|we) (love|hate|like|can't stand) this (song|show|film|programme|album|weather|bit)",
    "(i|we) (heard|saw|smelled|think i heard|thought i saw) (a noise|something|a fox|a cat"
    "|smoke|someone|a car)",
    "(it's|it is) (film|movie|game|quiz|pizza|date|bath|story|party|games) (night|time)",
    "(it's|it is) (december|christmas|winter|summer|the weekend|friday|sunday|monday"
    "|my birthday|a holiday)",
    "(it's|it's gone|it's getting|it's a bit|it's rather) (cold|chilly|nippy|mild|warm|stuffy"
    "|muggy|hot|freezing|damp|fresh)",
    "(we're|i'm|they're) away (for the weekend|for the night|till sunday|until monday"
    "|for a week|on holiday|for a few days)",
    "(the|our|my) (guests|visitors|kids|neighbours|in-laws|friends) (have gone|are here"
    "|are coming|are cold|are hot|are leaving|went home|have arrived|are complaining)",
    "(everyone's|everybody's|they've all|the kids have) (gone home|left|gone to bed|gone out|gone)",
    "(she|he|they) (says|said|asked|wants it|insists)",
    "like (an old|a|the) {thing}",
    "just enough to (see by|read by|find my way|see the stairs|get by)",
    "(the|my|her|his) {food} (is|are|'s) (nearly ready|ready|burning|in the oven|going in"
    "|getting cold)",
    "(i'm|we're|she's|he's) (cooking|baking|reading|knitting|studying|sewing|painting|ironing"
    "|on the phone|in the bath|doing the dishes|doing homework|having a nap|exercising)",
    "(the|) (baby|little one|dog|cat|puppy) (is|'s) (stirring|waking up|crying|hungry|asleep"
    "|barking|scratching at the door|restless)",
    "(this|that|it) (looks|sounds|feels|seems) (odd|weird|wrong|horrible|pretty|lovely|off"
    "|strange|awful)",
    "(i|we) (can|could) (hear|see) (it|them) from the (garden|kitchen|street|bedroom|road|hallway)",
    "(the|) (sun's|sun is) (blazing|out|in my eyes|beating down|setting|behind the clouds)",
    "(there's|there is) (bread|a cake|a pie|someone|a delivery|a parcel|nobody|no one) "
    "(to bake|in the oven|at the door|here|in there|coming)",
    "(the|) (groceries|shopping|parcel|pizza|taxi|delivery|post) (is|are|has|have) "
    "(here|arrived|come)",
    "(i'm|we're) (up here|down here|out here|in here|outside|in the garden|upstairs"
    "|downstairs) (now|)",
    "(that|it) (was|is) (too much|not enough|a bit much|perfect|fine|lovely)",
    "(i|we) (don't|do not) (want|need) to (wake|disturb|bother) (anyone|the baby|the kids"
    "|the neighbours|{person})",
    "(we|i) (had|have) a (long|busy|hard|lovely|rough) (day|week|night)",
    # a reason that speaks of what is coming soon is still a reason: the command beside it is
    # for now (but not one with a time of day: "at seven" makes a command one for later)
    "(the baby will|the little one will|she'll|he'll|{person} will|the kids will|they'll"
    "|the guests will) ((want|need) (feeding|a feed|a bath|their tea|the loo)|be (fed|home"
    "|hungry|here|up|back|down|cold|tired)) (soon|in a minute|shortly|any minute now"
    "|before long)",
    "(the|) (wind's|wind is|rain's|storm's|weather's) (picking up|getting up|coming in"
    "|on its way|turning)",
    "(the guests|everyone|{person}|the in-laws) (will be|are) here (soon|any minute"
    "|in a bit|shortly)",
    # hands full: what the speaker is in the middle of, said first in a few words
    "(onions|potatoes|the pasta|the soup|the stock|the sauce|the eggs) (in the pan|on the hob"
    "|boiling over|in the jug|nearly done)",
    "(flour|dough|paint|mud|soap|glue|oil) (up to my elbows|all over my hands|on my hands"
    "|everywhere)",
    "(the baby|the shopping|a hot tray|the washing|a box|the cat) in (one arm|my arms|both hands)",
    "(holding|carrying|juggling) (a hot tray|the baby|the shopping|a pan|the washing|two plates)",
    "(the cake's|the bread's|the roast's|the pie's|dinner's) in the oven",
    "(i'm|i am) (licking the spoon|stirring the sauce|kneading the dough|up a ladder"
    "|in the shower|changing a nappy)",
    "the oven door's open",
)
# Words that make a reason a condition ("the guests have gone, lights off" is a command;
# "when the guests have gone, lights off" is one for later): put before a reason clause.
CONDITIONS: tuple[str, ...] = (
    "when", "whenever", "once", "as soon as", "if", "after", "the moment", "in case",
    "unless", "until", "by the time", "the minute", "next time",
)  # fmt: skip
FRAME_JOINERS_BEFORE: tuple[str, ...] = ("", "", "", "so", "and", "so can you", "so please")
FRAME_JOINERS_AFTER: tuple[str, ...] = ("", "", "", "", "because", "as", "since", "while")

# ---------------------------------------------------------------------------
# everyday English, a family of its own ("everyday" in the corpus, weighted apart):
# needs and wishes ("we need the hall light", "I'd appreciate the fan being on"),
# comfort complaints that ask for a change ("I'm chilly", "can't see a thing up here",
# "I can barely hear the radio"), a remark about the device with the command after it
# ("the lamp's been on all day, turn it off"), colloquial verbs ("fire the heater up",
# "get the awning out", "that's far enough"), and values said first ("forty percent
# across both kitchen lights", "three more degrees for the radiator").

_NEED = (
    "(i need|we need|need|i'm going to need|we're going to need|i'll need|we'll need"
    "|i really need|we really need|i could really use|i just need|we just need)"
)
_APPRECIATE = (
    "(i'd appreciate|i would appreciate|we'd appreciate|i'd love|we'd love|i'd prefer"
    "|i'd rather have|it'd be (nice|great|good) to have|it would be (nice|great|lovely) to have)"
)
_IT_ON = "(turn|switch|put|flick|get|stick) <anaphor:it|them> on"
_IT_OFF = "(turn|switch|shut|knock|flick|put|kill) <anaphor:it|them> off"
_HERE = "(in|up|down|over|out) <deixis:here>"
_CANT_SEE = (
    "(i can't see|we can't see|can't see|i cannot see|i can hardly see|i can barely see"
    "|i can't see a thing|can't see a thing|can't see a blessed thing|i can't see anything"
    "|it's pitch black|it's pitch dark|it's like a cave|it's too dark to see"
    "|i can't see what i'm doing|can't see my hands)"
)
_LIGHT_WORD = "<device:light|lights|lamp|a light>"
_COLD_ME = "(i'm|we're|i am|we are|i feel|i'm feeling|we're all) (a bit|a little|really|so|rather|quite|getting|)"  # noqa: E501
_HOT_ME = _COLD_ME
_NUDGE_UP = "(nudge|bump|push|tweak|knock|edge|notch) {t} up (a (bit|touch|notch|degree)|)"
_NUDGE_DOWN = "(nudge|bump|knock|tweak|ease|edge|notch) {t} down (a (bit|touch|notch|degree)|)"
_NUDGE = "(nudge|bump|tweak|touch) {t}"

# Needing a device is wanting it on (said twice over in the family: it is how people
# most often put it, and "I don't need X" is "off").
_ON_NEED = (
    f"{_NEED} {{t}}",
    f"{_NEED} {{t}} (on|going|running|switched on|turned on|on please|on now)",
    f"{_NEED} {{t}} {{inroom}}",
    "(i need|we need|i just need|i really need) {t} (please|now|for a (bit|minute|while)|)",
    "(i need|we need|need) {t} (on|going) (to (read|see|work|cook)|)",
)
_ON_EVERYDAY = (
    *_ON_NEED,
    *_ON_NEED,
    f"{_APPRECIATE} {{t}} (being|) (on|switched on|turned on)",
    f"{_APPRECIATE} {{t}} on (please|now|for a bit|)",
    "(could|can) (i|we) (have|get) {t} (on|going|running|switched on) (please|)",
    "(get|have) {t} (going|running|started|fired up|up and running|on the go)",
    "(fire|start|crank|spin|kick) {t} up",
    "(fire|boot|start|spin|kick) up {t}",
    "(could|can|would|will) {t} (come|go|be put|be switched) on (please|for me|)",
    "{t} on (would be|it'd be) (great|lovely|grand|nice|brilliant|handy)",
    "(let's|can we|could we) get {t} (on|going|started)",
    "(something|anything) (needs|wants) (turning|switching|putting) on",
    "(something|anything) (needs|wants|has) to (be|go) on",
    "(turn|switch|put) something on (please|for me|)",
    f"{{t}} (is|are) off (again|) {_IT_ON}",
    f"(where's|where is) {{t}} {_IT_ON}",
    "(now|right) {t} (on|going) (please|)",
    "{t} needs (switching|turning|putting) on",
    "(i|we) (want|fancy|would like) {t} (going|running|on) (again|now|)",
)
_ON_LIGHT_EVERYDAY = (
    f"{_CANT_SEE} ({_HERE}|)",
    f"{_CANT_SEE} {{inroom}}",
    f"{_CANT_SEE} ({_HERE}|) (light|lights|a light|some light|the light) please",
    f"{_CANT_SEE} (turn|switch|put) (a|the) {_LIGHT_WORD} on",
    f"{_CANT_SEE} (turn|switch|put) on {{t}}",
    f"{_CANT_SEE} {{t}} on (please|)",
    f"{_NEED} (a|the|some) {_LIGHT_WORD} (on|) (over|by|above|near|at) {{furn}}",
    f"{_NEED} (a|the|some) {_LIGHT_WORD} (on|) ({_HERE}|{{inroom}})",
    f"{_NEED} (some|a bit of|a little|more) light ({_HERE}|{{inroom}}|over {{furn}}|)",
    "(a bit of|some|a little|a spot of|bit of) light (please|{inroom}|over {furn}|here please|)",
    f"(a|some) {_LIGHT_WORD} (over|by|above) {{furn}} (please|)",
    "(could|can) (i|we) (have|get) (some|a bit of|a little) light (over|by) {furn}",
    "(could|can) (i|we) (have|get) (some|a bit of|a little|more) light {inroom} (please|)",
    "(let's|can we|could we) have (some|a bit of) light (on|in) {roomnp}",
    "{t} (please|) (i|we) can't see",
)
_ON_FAN_EVERYDAY = (
    "a (breeze|bit of air|bit of a breeze|draught|cool breeze|bit of a draught) (from|off) {t}"
    " (would be|would be so|will be) (lovely|nice|great|welcome|heaven)",
    "(could|can) (i|we) (have|get) (a|some) (breeze|air|air moving) (from|off|with) {t}",
    "(get|let's get) (some|the) air moving {inroom}",
    "{roomnp} (is|) (all|really|) (steamed up|steamy|fogged up|misty|stuffy) ({t} (on|)|) please",
    "{roomz} (all|really|) (steamed up|steamy|fogged up|misty) {t} please",
    "the (mirror's|window's|room's) (all|) (steamed|fogged) up (get|put|turn) {t} on",
    "(it's|it is) (stuffy|muggy|close|airless) {inroom} {t} on (please|)",
)
_ON_SWITCH_EVERYDAY = (
    "get {t} (warming|heating|boiling) up",
    "(get|set) {t} (warming|heating|going|started) (up|) (for (breakfast|dinner|tea|later)|)",
    "(fire|warm) {t} up (for (breakfast|dinner|tea|the morning)|)",
)
_ON_CLIMATE_EVERYDAY = (
    "get {t} (warming|heating) up",
    "(get|let's get) (some|the|a bit of) <device:heating> going {inroom}",
)
_ON_MEDIA_EVERYDAY = (
    "{t} on (for the|) (match|game|news|film|football|racing|cricket|quiz|weather)",
    "(put|stick|get) {t} on (for the|) (match|game|news|film|football|racing)",
)
_OFF_EVERYDAY = (
    "{t} (has|have) been (on|going|running|blaring|burning|left on) (all day|all night|all morning"
    f"|all evening|for hours|for ages|since (breakfast|lunch|this morning|yesterday)) {_IT_OFF}",
    "{t} (is|are) (still on|wasting power|making me (cold|chilly)|keeping (me|us|the baby) awake"
    f"|driving me mad|doing my head in|too much) {_IT_OFF}",
    "{tz} (making me (cold|chilly|shiver)|still going|still on|keeping (me|us) awake"
    f"|doing my head in|wasting power) {_IT_OFF}",
    "(we|i) (won't|will not|shan't|don't) need {t} (any more|anymore|again|) (today|tonight|this evening|)",  # noqa: E501
    "(no|there's no) (call|need) for {t} (today|tonight|now|any more)",
    "no {bares} (anywhere|{inroom}|in the house|at all) (please|)",
    "no {bare} {inroom} (today|tonight|this evening|please)",
    "{t} can (rest|have a rest|take a break|have the night off) (now|)",
    f"(nobody|no one|nobody's|no one's) (is|) (using|watching|listening to|in with) {{t}} {_IT_OFF}",  # noqa: E501
    "(i'm|we're) (off|out|leaving|done) (so|) {t} (off|can go off)",
    "(something|anything) (needs|wants) (turning|switching|putting) off",
    "(turn|switch) something off (please|)",
    "{t} needs (switching|turning|putting) off",
)
_OFF_LIGHT_EVERYDAY = (
    "(enough|that's enough) light (for now|{inroom}|)",
    "(i|we) (don't|won't) need (any|the) (light|lights) {inroom} (any more|tonight|)",
)
_COLD_CLAUSE = (
    "((i'm|we're|i am) (a bit|really|so|getting|) (cold|chilly|freezing|frozen|shivering)"
    "|it's (a bit|so|really|) (nippy|parky|chilly|cold|freezing) (in here|))"
)
_HOT_CLAUSE = (
    "((i'm|we're|i am) (a bit|really|so|getting|) (hot|boiling|roasting|melting|sweltering)"
    "|it's (a bit|so|really|) (stuffy|stifling|muggy|sweltering|roasting|boiling) (in here|))"
)
_INCREASE_CLIMATE_EVERYDAY = (
    f"{_COLD_ME} <attribute:cold|chilly|freezing>",
    f"{_COLD_ME} <attribute:cold|chilly|freezing> {{inroom}}",
    "{roomnp} (is|feels|is getting) (a bit|rather|really|pretty|quite|getting|) {cold}",
    "{roomz} (a bit|rather|really|pretty|quite|getting) {cold}",
    "(it's|it is|it feels) (a bit|rather|really|pretty|quite|bitterly|) {cold} {inroom}",
    "(it's|it is|it feels) (a bit|rather|really|pretty|quite|) {cold} (in|up|down) <deixis:here>",
    f"{_COLD_CLAUSE} {_NUDGE_UP}",
    f"{_COLD_CLAUSE} {_NUDGE}",
    f"{_COLD_CLAUSE} (warm|heat) {{roomnp}} up (a bit|)",
    f"{_COLD_CLAUSE} (more|a bit more) <attribute:heat|warmth> please",
    "{dn} more <unit:degrees> (for|on|in) {t}",
    "{dn} more <unit:degrees> {inroom} (please|)",
    "(another|an extra) {dn} <unit:degrees> (for|on|in) {t}",
    "(raise|put|turn|bump) {t} up (another|an extra|by) {delta}",
)
_DECREASE_CLIMATE_EVERYDAY = (
    f"{_HOT_ME} <attribute:hot|boiling|sweltering|warm>",
    "(it's|it is|it feels) (a bit|rather|really|so|absolutely|) {hot} {inroom}",
    "(it's|it is|it feels) (a bit|rather|really|so|absolutely|) {hot} (in|up|down) <deixis:here>",
    "{roomnp} (is|feels|is getting) (a bit|rather|really|too|so|) {hot}",
    "{roomz} (getting|a bit|rather|really|so) {hot} (in there|)",
    f"{_HOT_CLAUSE} {_NUDGE_DOWN}",
    f"{_HOT_CLAUSE} (back|turn|take) <anaphor:it|them> (off|down) (a bit|{{delta}}|)",
    f"{_HOT_CLAUSE} (cool|bring) {{roomnp}} down (a bit|)",
    "{dn} (fewer|less) <unit:degrees> (for|on|in) {t}",
    "(take|knock) {dn} <unit:degrees> off {t}",
    "(back|ease) {t} (off|down) {delta}",
)
_INCREASE_MEDIA_EVERYDAY = (
    "(i|we) (can barely|can hardly|can scarcely|can't|cannot) hear {t}",
    "(i|we) (can barely|can hardly|can't) hear (a thing|anything) (from|on|over) {t}",
    "{t} (is|are) (barely|hardly|not) audible",
    "{t} (is|are) (far|way|much) too <attribute:quiet>",
    "(can't|cannot) hear {t} (over the (kettle|hoover|kids|washing machine|rain)|)",
    "(i|we) (need|want|could use) more <attribute:volume|sound> (from|on) {t}",
    "(another|a further) {dn} (on|for) {t}",
)
_DECREASE_MEDIA_EVERYDAY = (
    "{t} (is|are) (deafening|blaring|far too loud|way too loud|too much)",
    "(i|we) can't hear (myself|ourselves) think (over|with) {t}",
    "{t} (is|are) (waking|going to wake) (the baby|the kids|the neighbours|everyone)",
    "(another|a further) {dn} (off|down) (on|for) {t}",
)
_RELATIVE_EVERYDAY = (
    "(dim|lower|bring|take|turn) {ta} (down|) (another|a further) {delta}",
    "{ta} (down|lower) (another|a further) {delta}",
)
_RELATIVE_UP_EVERYDAY = (
    "(raise|bring|take|turn|push) {ta} (up|) (another|a further) {delta}",
    "{ta} (up|higher) (another|a further) {delta}",
)
_MODE_EVERYDAY = (
    "get (some|the|a bit of) <mode:cooling> going {inroom}",
    "(get|put|switch) (the|some) <mode:cooling> on {inroom}",
    "(some|a bit of) <mode:cooling> {inroom} (please|would be nice|)",
    "(i|we) (need|want|could do with) (some|a bit of) <mode:cooling> {inroom}",
    "(get|put|switch) {t} (on|over|across) to <mode:cooling|heating|heat|cool|auto>",
    "(let's|can we) have {t} (on|in|doing) <mode:cooling|heating|heat|cool|auto>",
    "{t} (should|could|can) (be|go) (on|in) {mode} (mode|)",
)
_TEMPERATURE_EVERYDAY = (
    "{temp} (for|on|in) {t} (please|)",
    "(give|let) {t} (have|) {temp}",
    "{t} (up|down) to {temp} (please|)",
    "(can we|let's|could we) (have|get) {roomnp} (up|down) to {temp}",
    "(i'd like|we'd like|i want) {roomnp} (at|on|to be) {temp}",
)
_BRIGHTNESS_EVERYDAY = (
    "{pct} (across|on|for) (<scope:both>|<scope:all> (the|of the|)) {room} <device:lights|lamps|bulbs>",  # noqa: E501
    "{pct} (across|on|for) <scope:both|all> (the|) <device:lights|lamps> {inroom}",
    "{t} (as low as|right down to|as dim as|as high as|right up to|all the way to) {pct}",
    "(take|bring|turn) {t} (as low as|right down to|all the way down to) {pct}",
    "(just|only|about|roughly) {pct} (from|on|for) {t}",
    "{pct} (should|would|will) do (for|on) {t}",
    "(let's|can we) (try|have) {t} (at|on) {pct}",
)
_PERCENTAGE_EVERYDAY = (
    "{speed} <attribute:speed> (for|on) {t} (please|)",
    "{t} (on|at) {speed} <attribute:speed> (please|)",
    "(run|spin|put) {t} (at|on) {speed} <attribute:speed>",
    "{t} (going|running|spinning) (at|on) {speed}",
)
_OPEN_EVERYDAY = (
    "(could|can|would|will) {t} (come|go) (open|up) (please|)",
    f"({_APPRECIATE}|i want|i'd like|we'd like|i need|we need) {{t}} (opened|raised|pulled up"
    "|drawn back|rolled up|open)",
    "(get|put|wind|roll|run|crank) {t} out (please|)",
    "(get|put|wind|roll) out {t}",
    "let (the|some) (morning|daylight|sun|sunshine|light|day) in {t} (up|open) (please|)",
    "let (the|some) (morning|daylight|sun|sunshine|light) into {roomnp} {t} (up|open)",
    "{t} (up|open) (it's|) (morning|a lovely day|time to get up|sunny out|daylight)",
    "{t} needs (opening|raising|pulling up)",
    "(i|we) (want|need) to see (out|the garden|the view) {t} (up|open)",
)
_CLOSE_EVERYDAY = (
    "{t} (down|closed|shut|across) for (her|his|the baby's|the|their) (nap|film|night|sleep|bedtime)",  # noqa: E501
    "(draw|pull|close|bring) {t} (across|to|together)",
    "{t} (across|to|together) (please|now|)",
    "(could|can|would) {t} (come|go) (down|closed|across|to) (please|)",
    f"({_APPRECIATE}|i want|i'd like|we'd like|i need|we need) {{t}} (closed|drawn|lowered|shut"
    "|pulled down|down)",
    "(bring|wind|pull|take|roll) {t} (in|back in) (please|)",
    "keep the (sun|glare|heat|light|neighbours) out {t} (down|closed|across)",
    "the sun's in my eyes {t} down",
    "{t} needs (closing|lowering|drawing)",
)
_STOP_EVERYDAY = (
    "(that's|that is) (far enough|enough|plenty|good|fine|grand) (on|with|for) {t}",
    "(whoa|woah|hold it|hold on|wait|stop stop|oi) {t} (that's far enough|that'll do|right there"
    "|stop there|enough|stop)",
    "(whoa|woah|hold it|hold on|wait|that'll do) (stop|halt|freeze) {t}",
    "{t} (that's far enough|that'll do|that's plenty|enough now|stop there)",
    "(stop|halt|freeze) {t} (that's far enough|that'll do|there)",
)
_LOCK_EVERYDAY = (
    "{t} (needs|need|wants|want) (locking|bolting|securing|locking up)",
    "(we're|everyone's|we are) (all|) (in|home|back|inside) (lock|bolt|secure) {t}",
    "(has|have) {t} been locked (lock|bolt) <anaphor:it|them> (please|)",
)
_UNLOCK_EVERYDAY = ("{t} (needs|need|wants|want) unlocking (now|please|)",)
_SCENE_EVERYDAY = (
    "(do|run|play|put on|start|give us) the {scene} (for {person}|{inroom}|please|)",
    "{scene} (for|in) {roomnp} (please|)",
    "(it's|time for) {whose} {scene}",
    "(time for|let's have|can we have) (the|a bit of|some|) {scene} (please|)",
    "{whose} (going down|off to bed|sleepy|asleep) (do|put on|start) the {scene}",
)

EVERYDAY_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "turn_on": {
        "light": _ON_EVERYDAY + _ON_LIGHT_EVERYDAY,
        "switch": _ON_EVERYDAY + _ON_SWITCH_EVERYDAY,
        "fan": _ON_EVERYDAY + _ON_FAN_EVERYDAY,
        "media_player": _ON_EVERYDAY + _ON_MEDIA_EVERYDAY,
        "climate": _ON_EVERYDAY + _ON_CLIMATE_EVERYDAY,
    },
    "turn_off": {
        d: _OFF_EVERYDAY + (_OFF_LIGHT_EVERYDAY if d == "light" else ())
        for d in ("light", "switch", "fan", "media_player", "climate")
    },
    "increase": {
        "climate": _INCREASE_CLIMATE_EVERYDAY + _RELATIVE_UP_EVERYDAY,
        "media_player": _INCREASE_MEDIA_EVERYDAY + _RELATIVE_UP_EVERYDAY,
        "light": _RELATIVE_UP_EVERYDAY,
        "fan": _RELATIVE_UP_EVERYDAY,
    },
    "decrease": {
        "climate": _DECREASE_CLIMATE_EVERYDAY + _RELATIVE_EVERYDAY,
        "media_player": _DECREASE_MEDIA_EVERYDAY + _RELATIVE_EVERYDAY,
        "light": _RELATIVE_EVERYDAY,
        "fan": _RELATIVE_EVERYDAY,
    },
    "set_mode": {"climate": _MODE_EVERYDAY},
    "set_temperature": {"climate": _TEMPERATURE_EVERYDAY},
    "set_brightness": {"light": _BRIGHTNESS_EVERYDAY},
    "set_percentage": {"fan": _PERCENTAGE_EVERYDAY},
    "open": {"cover": _OPEN_EVERYDAY},
    "close": {"cover": _CLOSE_EVERYDAY},
    "stop": {"cover": _STOP_EVERYDAY},
    "lock": {"lock": _LOCK_EVERYDAY},
    "unlock": {"lock": _UNLOCK_EVERYDAY},
    "activate_scene": {"scene": _SCENE_EVERYDAY},
}
# How much of an intent's share the everyday family takes (the verb family has 6.0).
EVERYDAY_WEIGHT: dict[str, float] = {
    "turn_on": 3.0,
    "turn_off": 2.5,
    "increase": 2.5,
    "decrease": 2.5,
    "open": 2.0,
    "close": 2.0,
    "stop": 2.5,
}
EVERYDAY_DEFAULT_WEIGHT = 1.5


# A wish to change something, with nothing to change it to yet ("I want to adjust the
# drapes", "can you sort out the volume on the radio"): a set_* intent, so the value is
# asked for.
_ADJUST = "(i want|i'd like|i need|we need|i'm trying|i wanted) to (adjust|change|tweak|sort out)"
_ADJUST_ASK = "(can|could) (you|i|we) (adjust|change|tweak|sort out)"
_WISH_SET: dict[str, tuple[str, ...]] = {
    "set_brightness": (
        f"{_ADJUST} the <attribute:brightness> (of|on) {{t}}",
        f"{_ADJUST_ASK} the <attribute:brightness> (of|on) {{t}}",
    ),
    "set_color": (
        f"{_ADJUST} the <attribute:colour|color> (of|on) {{t}}",
        "{t} (needs|could do with|wants) a (new|different) <attribute:colour|color>",
    ),
    "set_temperature": (f"{_ADJUST} {{t}}", f"{_ADJUST_ASK} {{t}}"),
    "set_position": (
        f"{_ADJUST} {{t}}",
        "(i want|i'd like|i need|we need) to move {t}",
        f"{_ADJUST_ASK} {{t}}",
    ),
    "set_percentage": (f"{_ADJUST} the <attribute:speed> (of|on) {{t}}",),
    "set_volume": (
        f"{_ADJUST} the <attribute:volume> (of|on) {{t}}",
        f"{_ADJUST_ASK} the <attribute:volume> (of|on) {{t}}",
    ),
    "set_mode": (f"{_ADJUST} the <attribute:mode> (of|on) {{t}}",),
}

COMMAND_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "turn_on": {
        d: _ON
        + _ON_SAID
        + _ON_EXTRA.get(d, ())
        + (_ON_LIGHT_SAID if d == "light" else _ON_MORE_SAID)
        for d in ("light", "switch", "fan", "media_player", "climate")
    },
    "turn_off": {
        d: _OFF
        + _OFF_SAID
        + _OFF_EXTRA.get(d, ())
        + (_OFF_LIGHT_SAID if d == "light" else _OFF_MORE_SAID)
        for d in ("light", "switch", "fan", "media_player", "climate")
    },
    "set_brightness": {"light": _BRIGHTNESS + _BRIGHTNESS_SAID + _WISH_SET["set_brightness"]},
    "set_color": {"light": _COLOR + _COLOR_SAID + _WISH_SET["set_color"]},
    "set_color_temp": {"light": _COLOR_TEMP + _COLOR_TEMP_SAID},
    "set_temperature": {"climate": _TEMPERATURE + _TEMPERATURE_SAID + _WISH_SET["set_temperature"]},
    "set_mode": {"climate": _MODE + _WISH_SET["set_mode"]},
    "open": {
        "cover": _OPEN + _OPEN_SAID + _OPEN_MORE_SAID,
        "lock": ("open {t}", "open {t} please", "open up {t}"),
    },
    "close": {"cover": _CLOSE + _CLOSE_SAID + _CLOSE_MORE_SAID, "lock": ("close {t}", "shut {t}")},
    "stop": {"cover": _STOP, "media_player": _STOP_MEDIA},
    "set_position": {"cover": _POSITION + _POSITION_SAID + _WISH_SET["set_position"]},
    "set_percentage": {"fan": _PERCENTAGE + _PERCENTAGE_SAID + _WISH_SET["set_percentage"]},
    "lock": {"lock": _LOCK + _LOCK_SAID},
    "unlock": {"lock": _UNLOCK + _UNLOCK_SAID},
    "play": {"media_player": _PLAY + _PLAY_SAID},
    "pause": {"media_player": _PAUSE + _PAUSE_SAID},
    "set_volume": {"media_player": _VOLUME + _VOLUME_SAID + _WISH_SET["set_volume"]},
    "activate_scene": {"scene": _SCENE + _SCENE_SAID},
    "increase": {
        d: _INCREASE + _INCREASE_SAID for d in ("light", "climate", "media_player", "fan")
    },
    "decrease": {
        "light": _DECREASE + _DECREASE_SAID + _DECREASE_LIGHT,
        "climate": _DECREASE + _DECREASE_SAID,
        "media_player": _DECREASE + _DECREASE_SAID,
        "fan": _DECREASE + _DECREASE_SAID,
    },
}

# How often each domain is picked for an intent (the rest are 1.0).
DOMAIN_WEIGHTS: dict[str, float] = {
    "light": 2.0,
    "switch": 1.0,
    "fan": 0.8,
    "media_player": 1.0,
    "climate": 1.0,
    "cover": 1.0,
    "lock": 1.0,
    "scene": 1.0,
}
# Some intents are said of a second domain only now and then ("open the front door").
DOMAIN_OVERRIDES: dict[str, dict[str, float]] = {
    "open": {"cover": 6.0, "lock": 1.0},
    "close": {"cover": 8.0, "lock": 1.0},
    "stop": {"cover": 3.0, "media_player": 1.0},
}

# ---------------------------------------------------------------------------
# queries ({t} per domain)

QUERY_TEMPLATES: dict[str, tuple[str, ...]] = {
    "any": (
        "is {t} on",
        "is {t} off",
        "is {t} still on",
        "are {tb} on {inroom}",
        "did i leave {t} on",
        "did someone leave {t} on",
        "what's {t} set to",
        "what is {t} set to",
        "what's the status of {t}",
        "status of {t}",
        "check {t}",
        "check on {t}",
        "is anything on {inroom}",
        "is everything off {inroom}",
        "which {bares} are on",
        "which {bares} are still on",
        "which {bares} are off",
        "are any {bares} on {inroom}",
        "are all the {bares} off",
        "how many {bares} are on",
        "tell me if {t} is on",
        "can you check if {t} is on",
        "is {t} running",
        "is {t} working",
        "what state is {t} in",
        "whats on {inroom}",
        "anything still on {inroom}",
    ),
    "light": (
        "how bright is {t}",
        "what's the <attribute:brightness> of {t}",
        "what <attribute:brightness> is {t} at",
        "what colour is {t}",
        "what color is {t} set to",
        "is {t} dimmed",
    ),
    "climate": (
        "what's the <attribute:temperature> {inroom}",
        "what is the <attribute:temperature> {inroom}",
        "what's the <attribute:temperature> set to",
        "what <attribute:temperature> is it {inroom}",
        "how warm is it {inroom}",
        "how cold is it {inroom}",
        "how hot is the {room}",
        "is {t} heating",
        "what mode is {t} in",
        "what's {t} at",
        "is {t} on heat",
        "what's the current <attribute:temperature>",
        "<attribute:temperature> {inroom}",
        "how many degrees is it {inroom}",
        "is the {room} warm",
    ),
    "cover": (
        "is {t} open",
        "is {t} closed",
        "are {tb} open {inroom}",
        "are {tb} up or down",
        "did i close {t}",
        "is {t} shut",
        "how far open is {t}",
        "what <attribute:position> is {t} at",
        "are all the {bares} closed",
        "which {bares} are open",
    ),
    "lock": (
        "is {t} locked",
        "is {t} unlocked",
        "did i lock {t}",
        "did someone lock {t}",
        "are all the {bares} locked",
        "is everything locked",
        "are the doors locked",
        "which {bares} are unlocked",
        "is {t} open",
        "check that {t} is locked",
    ),
    "media_player": (
        "what's playing on {t}",
        "what is playing {inroom}",
        "is {t} playing",
        "is {t} paused",
        "what's the <attribute:volume> on {t}",
        "how loud is {t}",
        "what <attribute:volume> is {t} at",
    ),
    "fan": (
        "what <attribute:speed> is {t} on",
        "how fast is {t} going",
        "what's the <attribute:speed> of {t}",
    ),
    "switch": ("is {t} plugged in", "has {t} finished"),
    "scene": ("which scene is on", "what scene is active", "is {scene} on"),
}

# ---------------------------------------------------------------------------
# undo, confirmations, cancel

UNDO_TEMPLATES: tuple[str, ...] = (
    "undo",
    "undo {ta}",
    "undo the last (thing|command|change)",
    "put {ta} back",
    "put {ta} back (how|the way) it was",
    "put {ta} back the way they were",
    "revert",
    "revert {ta}",
    "revert the last change",
    "go back",
    "go back to how it was",
    "change {ta} back",
    "change {ta} back please",
    "take {ta} back",
    "reverse {ta}",
    "reverse the last (thing|command)",
    "oops undo {ta}",
    "oops (that was wrong|wrong one|my mistake) undo {ta}",
    "no undo {ta}",
    "can you undo {ta}",
    "undo what you just did",
    "set {ta} back",
    "set {ta} back to before",
    "restore {ta}",
    "restore the previous setting",
    "switch {ta} back",
    "turn {ta} back to how it was",
    "make {ta} like before",
    "back to how it was",
    "that was wrong put {ta} back",
    "cancel the last (thing|change|command)",
    "undo the last (thing|change) you did",
    "reset {ta} to before",
)

AFFIRM_PHRASES: tuple[str, ...] = (
    "yes",
    "yeah",
    "yep",
    "yup",
    "yea",
    "sure",
    "sure thing",
    "ok",
    "okay",
    "alright",
    "all right",
    "do it",
    "go ahead",
    "go for it",
    "please do",
    "yes please",
    "yes do it",
    "yes go ahead",
    "yeah go on",
    "go on",
    "go on then",
    "absolutely",
    "definitely",
    "of course",
    "correct",
    "that's right",
    "that's correct",
    "right",
    "confirm",
    "confirmed",
    "i confirm",
    "affirmative",
    "certainly",
    "yes i'm sure",
    "i'm sure",
    "yes i am sure",
    "yes please do",
    "yes that's fine",
    "that's fine",
    "fine",
    "fine by me",
    "sounds good",
    "perfect",
    "proceed",
    "yes proceed",
    "do it now",
    "yes {ta}",
    "yes do {ta}",
    "yes {verb} {ta}",
    "yeah {verb} {ta}",
    "sure {verb} {ta}",
    "yes {verb} {ta} please",
    # the request said again in full ("yes please open the garage")
    "(yes|yeah|yep) (please|) {verb} {t}",
    "(yes|yeah) {verb} {t} please",
    "yep thanks",
    "yes thanks",
    "yes thank you",
    "uh yes",
    "um yeah",
    "mm hmm",
    "uh huh",
    "yes yes",
    "yeah sure",
    "ok do it",
    "okay go ahead",
    "make it so",
    "let's do it",
    "why not",
    "you bet",
    "indeed",
    "aye",
    "aye go on",
    "(yes|yeah|yep|aye) (go on|carry on|do it|go for it|please do|that's it|that one)",
    "righto",
    "right you are",
    "(yes|yeah) (definitely|absolutely|of course|for sure|sure)",
    "(yes|yeah) (i'm|i am) (sure|certain|positive)",
    "(yes|yeah) that's (right|correct|what i (said|meant|want))",
    "(please|yes) (do|go ahead) (then|)",
    "(sure|fine|ok|okay) (go ahead|do it|go on|then)",
)
# verbs used in "yes, unlock it" (a confirmation, not a new command)
CONFIRM_VERBS: dict[str, tuple[str, ...]] = {
    "unlock": ("unlock",),
    "lock": ("lock",),
    "open": ("open",),
    "close": ("close", "shut"),
    "turn_on": ("turn on", "do"),
    "turn_off": ("turn off", "do"),
}
DENY_PHRASES: tuple[str, ...] = (
    "no",
    "nope",
    "nah",
    "no thanks",
    "no thank you",
    "don't",
    "don't do it",
    "don't do that",
    "no don't",
    "no don't do it",
    "no don't {verb} {ta}",
    "don't {verb} {ta}",
    "no leave {ta}",
    "leave {ta} (locked|closed|as it is|alone)",
    "no keep {ta} (locked|closed|shut)",
    "negative",
    "not now",
    "no not now",
    "not yet",
    "absolutely not",
    "definitely not",
    "certainly not",
    "i said no",
    "wrong",
    "that's wrong",
    "no that's wrong",
    "incorrect",
    "no way",
    "no no",
    "no no no",
    "uh no",
    "um no",
    "nah leave it",
    "nope not that",
    "please don't",
    "better not",
    "i don't think so",
    "rather not",
    "no i changed my mind",
    "no wait",
    "hold on no",
    "no {ta} stays (locked|closed|shut)",
)
CANCEL_PHRASES: tuple[str, ...] = (
    "cancel",
    "cancel that",
    "cancel it",
    "cancel please",
    "never mind",
    "nevermind",
    "never mind then",
    "oh never mind",
    "stop",
    "stop it",
    "stop that",
    "forget it",
    "forget about it",
    "forget that",
    "forget i said anything",
    "abort",
    "abort that",
    "scratch that",
    "leave it",
    "no stop",
    "stop stop",
    "quit",
    "exit",
    "nothing",
    "it doesn't matter",
    "doesn't matter",
    "don't bother",
    "don't worry about it",
    "ignore that",
    "ignore me",
    "disregard that",
    "just forget it",
    "cancel the (question|request|command)",
    "stop listening",
    "that's all",
    "nothing thanks",
    "nothing never mind",
    "oh forget it",
    "never mind it's fine",
    "skip it",
    "drop it",
    "call it off",
    "cancel everything",
)

# ---------------------------------------------------------------------------
# follow-ups

# pending value question → the answer phrases ({v}: the value for the pending slot)
VALUE_ANSWERS: tuple[str, ...] = (
    "{v}",
    "{v}",
    "{v}",
    "{v} please",
    "to {v}",
    "make it {v}",
    "set it to {v}",
    "let's say {v}",
    "let's go with {v}",
    "about {v}",
    "around {v}",
    "maybe {v}",
    "uh {v}",
    "um {v} please",
    "{v} thanks",
    "just {v}",
    "{v} would be good",
    "{v} is fine",
    "try {v}",
    "go with {v}",
    "put it on {v}",
    "put it at {v}",
    "i'd say {v}",
    "hmm {v}",
    "{v} i think",
    "oh {v}",
    "{v} should do (it|)",
    "{v} (would be|will be|is) (nice|fine|plenty|enough|lovely|perfect|good)",
    "{v} i (reckon|guess|suppose)",
    "(about|around|roughly|say) {v} i (reckon|think|guess)",
    "(about|around) {v} (or so|ish)",
    "{v} (for now|to start with|to begin with)",
    "(let's|we'll) (try|have|go for) {v}",
    "(make|put|set) (it|that|them) {v}",
    "how about {v}",
    "{v} (if you can|if possible)",
)
# pending "which one?" → answers
WHICH_ANSWERS: tuple[str, ...] = (
    "the {room} one",
    "the one in the {room}",
    "the one {inroom}",
    "{room}",
    "the {room}",
    "in the {room}",
    "the {room} {bare}",
    "the {bare} in the {room}",
    "the {name}",
    "{name}",
    "the {name} please",
    "the (first|second|third|last|other) one",
    "(first|second|third|last) one",
    "the (first|second|third|last) (one|{bare})",
    "(first|second|third|last)",
    "<scope:both>",
    "<scope:both> of them",
    "<scope:both> please",
    "<scope:all> of them",
    "<scope:all> of them please",
    "<scope:all>",
    "<scope:all> the {bares}",
    "<scope:everything>",
    "<scope:every> one",
    "<scope:each> of them",
    "{ta:one}",
    "{ta:one} please",
    "the {room} one please",
    "uh the {room} one",
    "the {name} {inroom}",
    "the {room} and the {room}",
    "the {name} and the {name}",
    "not the {room} one the {room} one",
    "<scope:all> except the {room} one",
    "(whichever's|whatever's|the one that's|whichever is|the one that is) {inroom}",
    "(whichever|the one) is in {roomnp}",
    "the <scope:pair|two|lot> of them",
    "(the|) <scope:pair> (of them|please|then|)",
    "{poss}",
    "{poss} (not the {room}|please|one)",
    "{poss} not {poss}",
    "(oh|) the {name} (of course|obviously|silly|)",
    "<scope:both> (of them|) (please|then|)",
    "(it's|it is) the {room} one",
    "(i mean|i meant) the {name}",
    "(i mean|i meant) the one {inroom}",
    "the {name} not the {name}",
    "the {room} not the {room}",
)
# "and the bedroom too" → the last intent again with a new room or device
REPEAT_TEMPLATES: tuple[str, ...] = (
    "and the {room} too",
    "and the {room}",
    "the {room} too",
    "the {room} as well",
    "and the {room} as well",
    "same for the {room}",
    "same in the {room}",
    "same thing in the {room}",
    "do the same in the {room}",
    "do the same for the {room}",
    "also the {room}",
    "also in the {room}",
    "and in the {room}",
    "and {inroom} too",
    "now the {room}",
    "now do the {room}",
    "what about the {room}",
    "and the {room} please",
    "the {room} also",
    "and the {name} too",
    "and the {name}",
    "the {name} as well",
    "same for the {name}",
    "also the {name}",
    "and the {room} {bare} too",
    "the {room} {bares} as well",
    "and the {bares} {inroom}",
    "and {ta:one} too",
    "do the {room} too",
    "and <room:upstairs> too",
    "and <room:downstairs>",
    "and {roomnp} too",
    "ditto for the {room}",
    "again for the {room}",
    "repeat that for the {room}",
    "same again {inroom}",
    "{roomnp} likewise",
    "the {name} likewise",
    "likewise (for|in|with) {roomnp}",
    "likewise for the {name}",
    "(and|) {roomnp} (the same|same again|the same please|same please)",
    "(the same|same again|same) (for|in|with) {roomnp} (please|too|)",
    "(same|ditto|likewise) (goes for|with) {roomnp}",
    "{roomnp} (likewise|the same) (please|too|)",
    "(now|then) {roomnp} (likewise|the same|too)",
)
# Intents that "and the bedroom too" can repeat, with the domain they were said of.
REPEATABLE: dict[str, tuple[str, ...]] = {
    "turn_on": ("light", "switch", "fan", "media_player", "climate"),
    "turn_off": ("light", "switch", "fan", "media_player", "climate"),
    "set_brightness": ("light",),
    "set_color": ("light",),
    "set_color_temp": ("light",),
    "set_temperature": ("climate",),
    "set_mode": ("climate",),
    "open": ("cover",),
    "close": ("cover",),
    "set_position": ("cover",),
    "set_percentage": ("fan",),
    "lock": ("lock",),
    "increase": ("light", "climate", "media_player", "fan"),
    "decrease": ("light", "climate", "media_player", "fan"),
    "pause": ("media_player",),
    "set_volume": ("media_player",),
    "query": ("light", "climate", "cover", "lock"),
}

# Commands about "it"/"them"/"that" (the last thing, or what the camera sees pointed at).
ANAPHOR_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    # intent → (domain, template)
    "turn_on": (
        ("any", "turn {ta} on"),
        ("any", "switch {ta} on"),
        ("any", "turn on {ta}"),
        ("any", "{ta} on"),
        ("any", "turn {ta} back on"),
        ("any", "put {ta} on"),
        ("any", "power {ta} on"),
        ("any", "can you turn {ta} on"),
    ),
    "turn_off": (
        ("any", "turn {ta} off"),
        ("any", "switch {ta} off"),
        ("any", "turn off {ta}"),
        ("any", "{ta} off"),
        ("any", "turn {ta} back off"),
        ("any", "kill {ta}"),
        ("any", "shut {ta} off"),
        ("any", "power {ta} down"),
    ),
    "set_brightness": (
        ("light", "dim {ta} to {pct}"),
        ("light", "set {ta} to {pct}"),
        ("light", "make {ta} {pct}"),
        ("light", "{ta} to {pct}"),
        ("light", "brighten {ta} to {pct}"),
        ("light", "dim {ta}"),
        ("light", "set {ta} <attribute:brightness> to {pct}"),
        ("light", "{pct} (on|for) {ta} (please|)"),
        ("light", "(just|only) {pct} (on|for) {ta}"),
    ),
    "set_color": (
        ("light", "make {ta} {color}"),
        ("light", "turn {ta} {color}"),
        ("light", "change {ta} to {color}"),
        ("light", "set {ta} to {color}"),
    ),
    "set_color_temp": (
        ("light", "make {ta} {ct}"),
        ("light", "set {ta} to {ct}"),
        ("light", "change {ta} to {kelvin}"),
    ),
    "set_temperature": (
        ("climate", "set {ta} to {temp}"),
        ("climate", "turn {ta} to {temp}"),
        ("climate", "put {ta} on {temp}"),
        ("climate", "change {ta} to {temp}"),
    ),
    "set_mode": (
        ("climate", "set {ta} to {mode}"),
        ("climate", "put {ta} on {mode}"),
        ("climate", "switch {ta} to {mode} mode"),
    ),
    "open": (
        ("cover", "open {ta}"),
        ("cover", "open {ta} up"),
        ("cover", "raise {ta}"),
        ("cover", "pull {ta} up"),
        ("cover", "open {ta} (fully|all the way)"),
    ),
    "close": (
        ("cover", "close {ta}"),
        ("cover", "shut {ta}"),
        ("cover", "lower {ta}"),
        ("cover", "pull {ta} down"),
    ),
    "stop": (
        ("cover", "stop {ta}"),
        ("cover", "stop {ta} there"),
        ("media_player", "stop {ta}"),
        ("cover", "(whoa|hold it|hold on|wait) stop {ta} (there|right there|)"),
        ("cover", "(that's|that is) far enough (stop|halt|hold) {ta}"),
    ),
    "set_position": (
        ("cover", "set {ta} to {pos}"),
        ("cover", "open {ta} {pos}"),
        ("cover", "move {ta} to {pos}"),
    ),
    "set_percentage": (
        ("fan", "set {ta} to {speed}"),
        ("fan", "put {ta} on {speed}"),
        ("fan", "turn {ta} (up|down) to {speed}"),
    ),
    "lock": (("lock", "lock {ta}"), ("lock", "lock {ta} up"), ("lock", "bolt {ta}")),
    "unlock": (("lock", "unlock {ta}"), ("lock", "unbolt {ta}")),
    "play": (("media_player", "play {ta}"), ("media_player", "resume {ta}")),
    "pause": (("media_player", "pause {ta}"), ("media_player", "pause {ta} for a bit")),
    "set_volume": (
        ("media_player", "set {ta} to <attribute:volume> {vol}"),
        ("media_player", "turn {ta} (up|down) to {vol}"),
        ("media_player", "set the <attribute:volume> of {ta} to {vol}"),
    ),
    "increase": (
        ("relative", "make {ta} {cu}"),
        ("relative", "make {ta} a bit {cu}"),
        ("relative", "turn {ta} up"),
        ("relative", "turn {ta} up a bit"),
        ("relative", "turn {ta} up {delta}"),
        ("relative", "{ta} {cu}"),
        ("relative", "bump {ta} up"),
    ),
    "decrease": (
        ("relative", "make {ta} {cd}"),
        ("relative", "make {ta} a bit {cd}"),
        ("relative", "turn {ta} down"),
        ("relative", "turn {ta} down a bit"),
        ("relative", "turn {ta} down {delta}"),
        ("relative", "{ta} {cd}"),
        ("relative", "dim {ta} a bit"),
    ),
    "query": (
        ("any", "is {ta} on"),
        ("any", "is {ta} off"),
        ("any", "what's {ta} set to"),
        ("cover", "is {ta} open"),
        ("lock", "is {ta} locked"),
    ),
    "activate_scene": (("scene", "activate {ta}"), ("scene", "run {ta} again")),
}

# ---------------------------------------------------------------------------
# out of domain: all tagged O, whatever device-ish words they contain

OOD_SENTENCES: tuple[str, ...] = (
    # weather
    "what's the weather going to be",
    "will it rain today",
    "is it going to rain tomorrow",
    "is it sunny out",
    "how hot will it be this afternoon",
    "what's the forecast for the weekend",
    "do i need an umbrella",
    "is it windy outside",
    "will it snow tonight",
    "what's the temperature outside",
    "how cold is it outside",
    "what's the weather in {city}",
    "is it raining in {city}",
    "when is sunset today",
    "what time is sunrise",
    "what's the pollen count",
    "what's the humidity outside",
    "is there a storm coming",
    # music and media requests (content, not a device)
    "play some {genre}",
    "play {genre} music",
    "play music by {artist}",
    "play {artist}",
    "play the new {artist} album",
    "put on some {genre}",
    "play my playlist",
    "play something relaxing",
    "play the radio station {station}",
    "play a song",
    "play the latest episode of my podcast",
    "shuffle my music",
    "skip this song",
    "next track",
    "what song is this",
    "who sings this",
    "add this song to my favourites",
    "play the song about {food}",
    "i love this song",
    "play some music",
    "play songs from the eighties",
    "play white noise",
    "play an audiobook",
    # chit chat
    "how's it going",
    "how are you today",
    "what's your name",
    "who made you",
    "are you a robot",
    "do you like me",
    "good job",
    "you're great",
    "you're useless",
    "i'm bored",
    "i'm tired",
    "i'm hungry",
    "hello there",
    "hi",
    "good afternoon",
    "what can you do",
    "thank you very much",
    "thanks a lot",
    "i love you",
    "what's up",
    "how old are you",
    "where do you live",
    "are you listening",
    "sing me a song",
    "say something funny",
    "tell me something interesting",
    "do you dream",
    "let's chat",
    "what do you think about {topic}",
    "i had a long day",
    "my {person} is coming over later",
    "we're having {food} for dinner",
    # jokes, trivia, knowledge
    "tell me a funny joke",
    "know any jokes",
    "make me laugh",
    "tell me a riddle",
    "what is the capital of {country}",
    "who is the president of {country}",
    "how tall is mount everest",
    "how far away is the moon",
    "what's the speed of light",
    "who wrote hamlet",
    "when was the eiffel tower built",
    "how many legs does a spider have",
    "what's the meaning of life",
    "what does {word} mean",
    "how do you spell {word}",
    "translate {word} into french",
    "what's {n} times {n}",
    "what is {n} plus {n}",
    "convert {n} miles to kilometres",
    "how many ounces in a pound",
    "who won the match last night",
    "what's the score in the {team} game",
    "when do the {team} play next",
    "how did the {team} do",
    "what's the population of {city}",
    "what's the stock price of apple",
    "how much is a bitcoin",
    "what's the latest news",
    "read me the headlines",
    "any news today",
    # time and date
    "what time is it now",
    "what's the time",
    "what day is it",
    "what's the date today",
    "what's the date tomorrow",
    "when is christmas",
    "how many days until {holiday}",
    "what time is it in {city}",
    "is it a bank holiday today",
    "what year is it",
    # timers, alarms, reminders, calendar
    "set a timer for {n} minutes",
    "set an alarm for {n} am",
    "wake me up at {n}",
    "remind me to {chore}",
    "remind me to {chore} tomorrow",
    "remind me at {n} to {chore}",
    "what's on my calendar",
    "do i have any meetings today",
    "add {event} to my calendar",
    "cancel my {n} o'clock meeting",
    "how long is left on the timer",
    "snooze the alarm",
    "start a stopwatch",
    # shopping and lists
    "add {food} to the shopping list",
    "put {food} on my shopping list",
    "what's on my shopping list",
    "add {chore} to my to do list",
    "order some {food}",
    "order {food} for delivery",
    "buy more {food}",
    "i need to buy {item}",
    "we're out of {food}",
    "reorder {item}",
    "where's my package",
    "track my order",
    "how much does {item} cost",
    # communication
    "call {person}",
    "phone {person}",
    "text {person} that i'm on my way",
    "send a message to {person}",
    "read my messages",
    "any new emails",
    "email {person} about {event}",
    "video call {person}",
    # recipes, food
    "how do i make {food}",
    "give me a recipe for {food}",
    "how long do i boil an egg",
    "what should i cook tonight",
    "how many calories in {food}",
    "make me some {food}",
    "cook me some {food}",
    "i want {food}",
    "find a recipe with {food}",
    # navigation, travel
    "how long will it take to get to {city}",
    "what's the traffic like",
    "directions to the nearest {place}",
    "when's the next train to {city}",
    "is my flight on time",
    "book a taxi",
    "find a {place} near me",
    # device-ish statements that are not commands
    "i bought a new {bare} yesterday",
    "the {room} is a mess",
    "the {room} needs cleaning",
    "my door is red",
    "my {bare} is broken",
    "the {name} was expensive",
    "i love the {room}",
    "where did i put my keys",
    "i left my phone in the {room}",
    "the {bare} in the {room} is really old",
    "we should paint the {room} {color}",
    "i want to buy a {color} {bare}",
    "my {person} turned the {bare} off yesterday",
    "the {bare} has been flickering all week",
    "i need a new {bare} for the {room}",
    "the {room} is my favourite room",
    "who left the {room} door open",
    "the {name} is making a weird noise",
    "that {bare} looks nice",
    "i'm going to the {room}",
    "i'll be in the {room}",
    "the kids are in the {room}",
    "the cat is sleeping in the {room}",
    "the dog knocked over the {bare}",
    "the {bare} was on sale",
    "did you see my glasses in the {room}",
    "the {room} floor is wet",
    "we need to fix the {bare}",
    "how much power does the {name} use",
    "how do i install a {bare}",
    "what brand is the {name}",
    "the {bare} is too expensive",
    "open a bottle of wine",
    "open my email",
    "open the garage sale website",
    "close the deal",
    "close your eyes",
    "lock in the answer",
    "turn the page",
    "turn around",
    "turn left at the lights",
    "switch to english",
    "set the table",
    "set up a meeting",
    "set a reminder",
    "play a game",
    "play chess with me",
    "pause for thought",
    "stop being silly",
    "start a new game",
    "it's cold outside today",
    "it was hot yesterday",
    "the lights in the city are beautiful",
    "the heating bill was huge",
    "i'm watching tv",
    "the tv show was great",
    "what's on tv tonight",
    "record the football",
    "how do i reset the {name}",
    "who turned the {bare} on",
    "why is the {bare} on",
    "when did the {bare} turn on",
    "the fan club meets on tuesday",
    "my mum is a fan of {artist}",
    "i'm a big fan",
    "the light at the end of the tunnel",
    "that's a bright idea",
    "lock screen",
    "the blinds guy is coming tomorrow",
    "we need new curtains",
    "the door bell rang",
    "someone is at the door",
    "knock knock",
    # negated or conditional commands: nothing may happen
    "don't turn on {t}",
    "don't turn off {t}",
    "do not turn on {t}",
    "don't open {t}",
    "never unlock {t}",
    "don't touch {t}",
    "please don't switch {t} on",
    "i didn't say turn on {t}",
    "turn on {t} tomorrow at {n}",
    "turn off {t} in {n} minutes",
    "if it gets dark turn on {t}",
    "turn on {t} when i get home",
    "remind me to turn off {t}",
    "should i turn on {t}",
    "shall we turn off {t}",
    "i wonder if {t} is broken",
    "maybe later turn on {t}",
    "i forgot to turn off {t} at work",
    "my friend turned on {t} at her house",
    # "light", "heat", "fan" in another sense
    "i lit (the fire|a candle|the candles|the barbecue|the stove)",
    "(light|can you light) (the candles|a candle|the fire|the barbecue)",
    "we're (running low on|out of) (light bulbs|batteries|candles)",
    "the light is (lovely|beautiful|amazing) this (evening|morning)",
    "what a (lovely|gorgeous) light",
    "it's (already|getting) dark outside",
    "the heat (outside|today) is unbearable",
    "i'm a big fan of {artist}",
    "turn the page",
    "switch places with me",
    # "cold", "hot", "sun", "dark", "bright" in another sense: remarks, not requests
    "i think i'm (coming down with|getting|fighting off) a (cold|fever|chill)",
    "(i've|she's|he's|the baby's|{person} has) (got|caught) a (cold|temperature|fever|chill)",
    "(my|her|his) (tea|coffee|soup|dinner) (has gone|went|is) (cold|lukewarm)",
    "(the|that) (sun|sunset|sunrise) (is|was) "
    "(gorgeous|beautiful|lovely|stunning) (|tonight|today)",
    "the sun is (setting|rising|coming up|going down) over the (hills|garden|sea|trees|rooftops)",
    "what a (cold|hot|warm|freezing|boiling) (day|night|winter|summer|week) (|it's been)",
    "it was (freezing|boiling|roasting|baking) at the (match|beach|park|station)",
    "she gave me the cold shoulder",
    "(that's|what) a (cool|hot|bright) (idea|car|song|kid)",
    "(dark|white|milk) chocolate is my favourite",
    "we (stayed out|played outside) until (dark|it got dark)",
    "we're (up|off) bright and early tomorrow",
    "the (kids|dog|cat) (love|loves) (the snow|the cold|the sun)",
    "(i|we) (love|hate) (cold|hot|warm|sunny|dark) (mornings|evenings|weather|nights)",
    # gibberish and fragments
    "{gibberish}",
    "{gibberish} {gibberish}",
    "{gibberish} {gibberish} {gibberish}",
    "the the the",
    "and then",
    "what",
    "huh",
    "pardon",
    "sorry what",
    "hmm",
    "testing testing",
    "one two three testing",
    "is this thing on",
    "can you hear me",
    "blah blah blah",
    "la la la",
    "hello hello",
    "ok google",
    "alexa",
    "hey siri",
)
OOD_FILL: dict[str, tuple[str, ...]] = {
    "city": (
        "london", "paris", "new york", "tokyo", "berlin", "madrid", "sydney", "toronto",
        "dublin", "rome", "mumbai", "cairo", "oslo", "lisbon", "chicago", "manchester",
    ),
    "genre": (
        "rock", "classical", "hip hop", "pop", "country", "blues", "reggae",
        "techno", "lofi", "folk", "metal", "soul", "indie", "disco", "ambient",
    ),
    "artist": (
        "taylor swift", "the beatles", "queen", "adele", "miles davis", "beyonce", "coldplay",
        "abba", "mozart", "bob marley", "radiohead", "ed sheeran", "nina simone", "drake",
    ),
    "station": ("bbc radio one", "classic fm", "kiss", "npr", "radio four"),
    "food": (
        "milk", "eggs", "bread", "pasta", "coffee beans", "bananas",
        "cheese", "tomatoes", "sushi", "curry", "pancakes", "burgers", "butter", "rice",
        "apples", "cereal", "soup", "tacos", "cookies", "salad", "noodles",
    ),
    "item": (
        "batteries", "light bulbs", "phone chargers", "toilet paper", "kettle descaler",
        "dish soap", "lamp shades", "socks", "birthday candles", "printer ink",
    ),
    "person": (
        "my mum", "dad", "grandma", "sarah", "john", "my sister", "my brother", "the doctor",
        "the office", "alex", "priya", "tom", "my boss", "the plumber", "jessica",
    ),
    "country": ("france", "japan", "brazil", "canada", "kenya", "india", "norway", "peru"),
    "team": ("yankees", "lakers", "arsenal", "chelsea", "patriots", "warriors", "united"),
    "topic": ("football", "politics", "the weather", "cats", "space", "robots", "art"),
    "word": ("serendipity", "ubiquitous", "lamp", "ephemeral", "door", "light", "quixotic"),
    "holiday": ("christmas", "easter", "halloween", "my birthday", "new year", "summer"),
    "chore": (
        "take the bins out", "water the plants", "call the dentist", "buy stamps",
        "pick up the kids", "feed the cat", "pay the bills", "take my pills",
    ),
    "event": ("lunch with sam", "the dentist", "a meeting on friday", "the school play"),
    "furn": (
        "the dresser", "the sink", "the desk", "the table", "the bed", "the sofa", "the worktop",
        "the cooker", "the stairs", "the mirror", "the piano", "the counter", "the armchair",
        "the bookcase", "the hob", "the bath", "the easel", "the workbench", "my chair",
    ),
    "place": ("pharmacy", "petrol station", "supermarket", "coffee shop", "hospital", "gym"),
    "thing": (
        "keys", "glasses", "phone", "earring", "wallet", "purse", "remote", "book", "ring",
        "charger", "slipper", "scissors", "gin", "corkscrew", "good plates", "passport",
        "homework", "lego", "dummy", "teddy", "map", "torch", "bulb", "needle", "pen", "mug",
        "crossword", "recipe", "jigsaw piece", "contact lens", "hairbrush", "tin opener",
    ),
    "doing": (
        "read", "find my keys", "see what i'm doing", "sleep", "get some rest", "trim my beard",
        "put my makeup on", "finish this chapter", "do the ironing", "tidy up", "cook",
        "watch the match", "hear myself think", "concentrate", "work", "study", "knit",
        "get dressed", "find the cat", "see the stairs", "clean up", "wrap the presents",
        "bake", "get the washing in", "feed the baby", "have a bath", "paint", "relax",
        "take a call", "write a letter", "check on the kids", "get some air", "stay warm",
        "cool down", "save money", "go out", "catch the bus", "get up early",
    ),
}  # fmt: skip

# Remarks out of domain that may stand beside a command as its clause ("what a day it's
# been, ..."): the ones that name no device, room or value.
_NOT_A_CLAUSE = re.compile(
    r"\{(t|tb|tg|ta|tz|name|bare|bares|room|roomnp|inroom|roomz|scene"
    r"|poss|gibberish|n|dn)\}"
)
_ASKS_SOMETHING = frozenset(
    {"play", "put", "skip", "shuffle", "next", "add", "remind", "call", "text", "order", "buy",
     "book", "tell", "give", "show", "find", "read", "start", "stop", "set", "send", "make"}
)  # fmt: skip
CLAUSE_REMARKS: tuple[str, ...] = tuple(
    s
    for s in OOD_SENTENCES
    if not _NOT_A_CLAUSE.search(s)
    and len(s.split()) > 2
    and s.split()[0] not in _ASKS_SOMETHING | set(VERBS)
    and " ".join(s.split()[:2]) not in ("i need", "we need", "i want", "we want")
)

# ---------------------------------------------------------------------------
# phrasings borrowed from the development sets (scripts/borrow_phrasings.py)

BORROWED_FILE = Path(__file__).with_name("borrowed.tsv")


@dataclass(frozen=True)
class Borrowed:
    """A borrowed template and, for a dialogue turn, the context the model heard it in."""

    template: str
    context: tuple[tuple[str, str], ...] = ()


@cache
def borrowed() -> dict[str, tuple[Borrowed, ...]]:
    """intent -> templates made from development sentences homebrain already got right.

    Written by people who never saw the templates above, they bring styles the
    templates lack; the evaluation home's names in them are placeholders. A line is
    ``intent<TAB>template`` with, for a turn of a dialogue, ``<TAB>key=value,...``:
    the dialogue context (``labels.context_vector``'s keywords) it was said in.
    """
    by_intent: dict[str, list[Borrowed]] = {}
    for number, line in enumerate(BORROWED_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        intent, _, rest = line.partition("\t")
        template, _, said_in = rest.partition("\t")
        pairs = [p.partition("=") for p in said_in.split(",")] if said_in else []
        if not intent or not template or "\t" in said_in or any(not sep for _, sep, _ in pairs):
            raise TemplateError(
                f"{BORROWED_FILE.name}:{number}: expected 'intent<TAB>template[<TAB>key=value,...]'"
            )
        context = tuple((k, v) for k, _, v in pairs)
        by_intent.setdefault(intent, []).append(Borrowed(template, context))
    return {intent: tuple(entries) for intent, entries in by_intent.items()}


# ---------------------------------------------------------------------------
# what all of the above is, for held-out checks


def all_template_phrases() -> tuple[str, ...]:
    """Every template string of every built-in family (placeholders unexpanded)."""
    phrases: list[str] = []
    for by_domain in COMMAND_TEMPLATES.values():
        for templates in by_domain.values():
            phrases.extend(templates)
    for templates in QUERY_TEMPLATES.values():
        phrases.extend(templates)
    for pairs in ANAPHOR_TEMPLATES.values():
        phrases.extend(t for _, t in pairs)
    phrases.extend(UNDO_TEMPLATES)
    phrases.extend(AFFIRM_PHRASES)
    phrases.extend(DENY_PHRASES)
    phrases.extend(CANCEL_PHRASES)
    phrases.extend(VALUE_ANSWERS)
    phrases.extend(WHICH_ANSWERS)
    phrases.extend(REPEAT_TEMPLATES)
    for by_domain in EVERYDAY_TEMPLATES.values():
        for templates in by_domain.values():
            phrases.extend(templates)
    phrases.extend(OOD_SENTENCES)
    phrases.extend(OOD_ABOUT_DEVICES)
    phrases.extend(OOD_ABOUT_SCENES)
    for entries in borrowed().values():
        phrases.extend(b.template for b in entries)
    return tuple(dict.fromkeys(phrases))


def _has_literal_words(node: Seq | Alt | Lit | Ph | Span) -> bool:
    if isinstance(node, Lit):
        return bool(words(node.text))
    if isinstance(node, Seq):
        return any(_has_literal_words(item) for item in node.items)
    if isinstance(node, Alt):
        return any(_has_literal_words(option) for option in node.options)
    if isinstance(node, Span):
        return _has_literal_words(node.body)
    return False


def matching_templates(sentence: str, with_words_only: bool = True) -> list[str]:
    """The built-in templates ``sentence`` could have come from (placeholders match anything).

    Placeholders match any words, so a template made only of placeholders
    ("{t} {color}") matches almost anything: those are left out unless
    ``with_words_only`` is False. Use this to find the *phrasings* an evaluation
    sentence shares with the training templates, and judge the hits.
    """
    text = " ".join(words(sentence))
    return [
        t
        for t in all_template_phrases()
        if (not with_words_only or _has_literal_words(parse(t))) and template_regex(t).match(text)
    ]
