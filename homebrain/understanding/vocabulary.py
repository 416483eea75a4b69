"""The fixed English words of the template matcher (device words, verbs, values).

Kept apart from the matcher so the learned model that replaces it can reuse
the same word lists to generate training sentences, and so a reader can see
at a glance what the grammar understands.
"""

from __future__ import annotations

from dataclasses import dataclass

from homebrain.domains import COLOR_NAMES


@dataclass(frozen=True)
class DeviceWord:
    """A spoken device word: the domain it means, and which device classes it excludes/needs."""

    domain: str
    plural: bool = False
    only_classes: frozenset[str] = frozenset()
    not_classes: frozenset[str] = frozenset()

    def fits(self, domain: str, device_class: str | None) -> bool:
        if domain != self.domain:
            return False
        if self.only_classes and device_class not in self.only_classes:
            return False
        return device_class not in self.not_classes


_NOT_BLIND = frozenset({"garage", "gate", "door"})
_SPEAKER = frozenset({"speaker", "receiver"})


def _both(singular: str, plural: str, word: DeviceWord) -> dict[str, DeviceWord]:
    return {
        singular: word,
        plural: DeviceWord(word.domain, True, word.only_classes, word.not_classes),
    }


DEVICE_WORDS: dict[str, DeviceWord] = {
    **_both("light", "lights", DeviceWord("light")),
    **_both("lamp", "lamps", DeviceWord("light")),
    **_both("bulb", "bulbs", DeviceWord("light")),
    "lighting": DeviceWord("light", True),
    **_both("fan", "fans", DeviceWord("fan")),
    **_both("blind", "blinds", DeviceWord("cover", not_classes=_NOT_BLIND)),
    **_both("shade", "shades", DeviceWord("cover", not_classes=_NOT_BLIND)),
    **_both("curtain", "curtains", DeviceWord("cover", not_classes=_NOT_BLIND)),
    **_both("shutter", "shutters", DeviceWord("cover", not_classes=_NOT_BLIND)),
    **_both("cover", "covers", DeviceWord("cover")),
    **_both("garage door", "garage doors", DeviceWord("cover", only_classes=frozenset({"garage"}))),
    **_both("gate", "gates", DeviceWord("cover", only_classes=frozenset({"gate"}))),
    "heating": DeviceWord("climate"),
    "heat": DeviceWord("climate"),
    **_both("thermostat", "thermostats", DeviceWord("climate")),
    **_both("heater", "heaters", DeviceWord("climate")),
    **_both("radiator", "radiators", DeviceWord("climate")),
    "temperature": DeviceWord("climate"),
    "air conditioning": DeviceWord("climate"),
    "air conditioner": DeviceWord("climate"),
    "aircon": DeviceWord("climate"),
    **_both("lock", "locks", DeviceWord("lock")),
    **_both("door", "doors", DeviceWord("lock")),
    **_both("door lock", "door locks", DeviceWord("lock")),
    **_both("tv", "tvs", DeviceWord("media_player", not_classes=_SPEAKER)),
    **_both("television", "televisions", DeviceWord("media_player", not_classes=_SPEAKER)),
    "telly": DeviceWord("media_player", not_classes=_SPEAKER),
    **_both("speaker", "speakers", DeviceWord("media_player", only_classes=_SPEAKER)),
    "music": DeviceWord("media_player", only_classes=_SPEAKER),
    "radio": DeviceWord("media_player", only_classes=_SPEAKER),
    "stereo": DeviceWord("media_player", only_classes=_SPEAKER),
    **_both("media player", "media players", DeviceWord("media_player")),
    **_both("switch", "switches", DeviceWord("switch")),
    **_both("plug", "plugs", DeviceWord("switch")),
    **_both("socket", "sockets", DeviceWord("switch")),
    **_both("outlet", "outlets", DeviceWord("switch")),
    **_both("scene", "scenes", DeviceWord("scene")),
}

# Words that are verbs at the start of a command but nouns after "the".
NOUN_OR_VERB = frozenset({"switch", "lock", "heat"})

# Cue words: what the sentence asks to happen.
CUES: dict[str, str] = {
    "on": "on",
    "off": "off",
    "start": "start",
    "enable": "on",
    "disable": "off",
    "deactivate": "off",
    "kill": "off",
    "open": "open",
    "raise": "raise",
    "lift": "raise",
    "close": "close",
    "shut": "close",
    "lower": "lower",
    "draw": "close",
    "stop": "stop",
    "halt": "stop",
    "freeze": "stop",
    "lock": "lock",
    "unlock": "unlock",
    "unbolt": "unlock",
    "bolt": "lock",
    "secure": "lock",
    "play": "play",
    "resume": "play",
    "unpause": "play",
    "continue": "play",
    "pause": "pause",
    "activate": "activate",
    "trigger": "activate",
    "run": "activate",
    "launch": "activate",
    "set": "set",
    "make": "set",
    "change": "set",
    "adjust": "set",
    "put": "set",
    "bring": "set",
    "move": "set",
    "go": "set",
    "keep": "set",
    "dim": "dim",
    "darken": "dim",
    "brighten": "brighten",
    "up": "up",
    "down": "down",
    "increase": "up",
    "decrease": "down",
    "reduce": "down",
    "turn": "turn",
    "switch": "turn",
    "power": "turn",
}

# Attribute words name which value a number is for.
ATTRIBUTES: dict[str, str] = {
    "temperature": "set_temperature",
    "temp": "set_temperature",
    "volume": "set_volume",
    "loudness": "set_volume",
    "brightness": "set_brightness",
    "position": "set_position",
    "speed": "set_percentage",
    "colour": "set_color",
    "color": "set_color",
}

COLORS: dict[str, str] = {c: c for c in COLOR_NAMES}
COLORS.update({"grey": "white", "gray": "white", "daylight white": "white"})

# Colour temperature words, in mireds (150 cold .. 500 warm), as lamps understand them.
COLOR_TEMPS: dict[str, int] = {
    "warmest": 500,
    "warm": 454,
    "soft white": 400,
    "candlelight": 500,
    "neutral": 370,
    "neutral white": 370,
    "natural white": 370,
    "cool white": 250,
    "cold white": 250,
    "cool": 250,
    "cold": 250,
    "daylight": 200,
    "coolest": 153,
    "coldest": 153,
}

MODES: dict[str, str] = {
    "heat": "heat",
    "heating": "heat",
    "cool": "cool",
    "cooling": "cool",
    "auto": "auto",
    "automatic": "auto",
}

# Words that stand for a percentage on their own.
PERCENT_WORDS: dict[str, int] = {
    "half": 50,
    "halfway": 50,
    "half way": 50,
    "full": 100,
    "max": 100,
    "maximum": 100,
    "low": 33,
    "medium": 66,
    "high": 100,
    "quarter": 25,
    "a quarter": 25,
    "three quarters": 75,
    "three quarter": 75,
    "flat out": 100,
    "full blast": 100,
    "full whack": 100,
    "full power": 100,
    "top speed": 100,
    "mute": 0,
}

# Relative changes ("warmer", "a bit brighter") belong to a later dialogue; until then
# they are known words (never "repaired" into "warm") that nothing explains.
RELATIVE = frozenset(
    {
        "warmer",
        "cooler",
        "colder",
        "hotter",
        "brighter",
        "dimmer",
        "darker",
        "louder",
        "quieter",
        "softer",
        "higher",
        "more",
        "less",
        "bit",
        "little",
        "slightly",
        "lot",
    }
)

QUANTIFIERS = frozenset({"all", "every", "everything", "both", "each", "whole"})
WHOLE_HOME = frozenset(
    {"everywhere", "house", "home", "downstairs", "upstairs", "apartment", "flat"}
)
REFERENCES = frozenset({"it", "that", "this", "them", "those", "these"})
HERE = frozenset({"here"})

# Words that carry no meaning for a command of this grammar.
STOP_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "in",
        "of",
        "to",
        "at",
        "for",
        "with",
        "and",
        "into",
        "from",
        "one",
        "ones",
        "now",
        "then",
        "just",
        "also",
        "too",
        "again",
        "mode",
        "level",
        "setting",
        "room",
        "way",
        "fully",
        "completely",
        "totally",
        "right",
        "away",
        "please",
        "inside",
        "so",
        "i",
        "me",
        "us",
        "we",
        "you",
        "let",
        "get",
        "could",
        "would",
        "be",
        "should",
        "like",
        "want",
        "need",
        "okay",
        "ok",
        "percentage",
        "degrees",
        "by",
        "there",
        "around",
        "about",
        "as",
        "well",
    }
)

# Words that mean the sentence is a question or a request this grammar cannot serve.
# They force "out of domain" even when a device is named.
BLOCKERS = frozenset(
    {
        "what",
        "whats",
        "who",
        "whos",
        "why",
        "how",
        "hows",
        "when",
        "where",
        "wheres",
        "which",
        "is",
        "isnt",
        "are",
        "arent",
        "was",
        "were",
        "does",
        "did",
        "didnt",
        "doesnt",
        "will",
        "tell",
        "joke",
        "weather",
        "news",
        "remind",
        "reminder",
        "timer",
        "alarm",
        "call",
        "text",
        "email",
        "order",
        "buy",
        "search",
        "google",
        "song",
        "songs",
        "recipe",
        "dont",
        "not",
        "never",
        "cant",
        "wont",
        "shouldnt",
        "if",
        "unless",
        "after",
        "before",
        "tomorrow",
        "tonight",
        "yesterday",
        "minutes",
        "hours",
        "seconds",
        "o",
        "clock",
        "oclock",
    }
)

AFFIRM_STRONG = frozenset(
    {
        "yes",
        "yeah",
        "yea",
        "yep",
        "yup",
        "sure",
        "ok",
        "okay",
        "confirm",
        "confirmed",
        "affirmative",
        "absolutely",
        "definitely",
        "correct",
        "certainly",
    }
)
AFFIRM_PHRASES = frozenset(
    {
        "do it",
        "go ahead",
        "go for it",
        "of course",
        "i am sure",
        "im sure",
        "thats right",
        "yes i am sure",
        "proceed",
    }
)
AFFIRM_EXTRA = frozenset(
    {
        "it",
        "do",
        "go",
        "ahead",
        "for",
        "i",
        "am",
        "im",
        "please",
        "right",
        "thats",
        "that",
        "is",
        "of",
        "course",
        "very",
        "much",
        "sure",
        "proceed",
        "oh",
    }
)
DENY_STRONG = frozenset({"no", "nope", "nah", "negative", "wrong", "incorrect"})
DENY_EXTRA = frozenset(
    {"do", "dont", "not", "it", "that", "thats", "is", "way", "thanks", "oh", "sorry"}
)
CANCEL_STRONG = frozenset({"cancel", "nevermind", "abort", "quit", "exit", "nothing"})
CANCEL_PHRASES = frozenset(
    {
        "never mind",
        "forget it",
        "forget about it",
        "forget that",
        "scratch that",
        "stop",
        "stop it",
        "leave it",
        "no stop",
        "stop that",
    }
)
CANCEL_EXTRA = frozenset(
    {
        "it",
        "that",
        "this",
        "no",
        "the",
        "question",
        "oh",
        "all",
        "everything",
        "please",
        "then",
        "okay",
        "ok",
    }
)
