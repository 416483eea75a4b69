"""Text clean-up before understanding.

ASR output, MQTT text and typed commands arrive with case, punctuation,
markup, emoji and politeness that carry no meaning for a command. Cleaning
them away in one place lets the recogniser (template matcher today, a learned
model later) see one canonical form, and lets the dialogue refuse garbage
before anything tries to understand it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 500

# Reasons a text is refused; the dialogue maps them to responses "rejected_<reason>".
EMPTY = "empty"
TOO_LONG = "too_long"
BINARY = "binary"
MARKUP = "markup"  # more tags than words: a document or a web page, not something said

# Politeness and hesitation: never part of a command. Longest phrases first so
# "thank you" goes before "you" could be considered on its own.
FILLERS: tuple[str, ...] = (
    "would you mind",
    "i would like you to",
    "i'd like you to",
    "i want you to",
    "could you please",
    "can you please",
    "would you please",
    "will you please",
    "could you",
    "can you",
    "would you",
    "will you",
    "go ahead and",
    "thank you",
    "thanks",
    "please",
    "kindly",
    "for me",
    "hey",
    "uh",
    "uhm",
    "um",
    "umm",
    "erm",
    "er",
    "hmm",
    "mm",
)

_TAG = re.compile(r"<[^<>]{0,200}>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ENTITY = re.compile(r"&[a-z]{2,8};|&#\d{1,6};")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}\b)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_KEEP_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_SPACE = re.compile(r"\s+")
_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(f.replace("'", "")) for f in FILLERS) + r")\b")


@dataclass(frozen=True)
class Normalized:
    """The cleaned text, or why the input was refused (``rejected`` set, ``text`` empty)."""

    text: str
    rejected: str | None = None

    @property
    def ok(self) -> bool:
        return self.rejected is None


def is_binary(text: str) -> bool:
    """Control characters, lone surrogates or decode replacement marks mean it was not speech."""
    for ch in text:
        if ch in "\t\n\r":
            continue
        if ch == "\ufffd":
            return True
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs"):
            return True
    return False


def _symbols_to_words(text: str) -> str:
    text = text.replace("%", " percent ")
    text = re.sub(
        r"°\s*([cf])\b",
        lambda m: " degrees " + ("celsius" if m.group(1) == "c" else "fahrenheit"),
        text,
    )
    text = text.replace("°", " degrees ")
    text = text.replace("&", " and ")
    return text


def strip_markup(text: str) -> str:
    """Text without HTML/XML tags, entities and Markdown link syntax (NFKC-normalised)."""
    text = unicodedata.normalize("NFKC", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    return _ENTITY.sub(" ", text)


def clean(text: str) -> str:
    """Lower-case words, digits and decimal points only; no refusal logic (see ``normalize``)."""
    text = strip_markup(text).lower()
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL_COMMA.sub(".", text)
    text = _symbols_to_words(text)
    text = text.replace("'", "").replace("’", "")
    text = _KEEP_DOT.sub("\x00", text)
    text = "".join(ch if ch.isalnum() or ch == "\x00" else " " for ch in text)
    text = text.replace("\x00", ".")
    # Letters glued to digits ("21c", "50percent") are separate words.
    text = re.sub(r"(?<=\d)(?=[^\d\s.])|(?<=[^\d\s.])(?=\d)", " ", text)
    text = _FILLER.sub(" ", text)
    words = _SPACE.sub(" ", text).strip().split(" ")
    deduped = [w for i, w in enumerate(words) if w and (i == 0 or w != words[i - 1])]
    return " ".join(deduped)


def normalize(text: str, max_chars: int = MAX_CHARS) -> Normalized:
    """Clean ``text`` for understanding, refusing what cannot be a spoken command."""
    if not isinstance(text, str):
        return Normalized("", BINARY)
    if len(text) > max_chars:
        return Normalized("", TOO_LONG)
    if is_binary(text):
        return Normalized("", BINARY)
    tags = _TAG.findall(text)
    if len(tags) >= 4 and sum(map(len, tags)) * 2 > len(text):
        return Normalized("", MARKUP)
    cleaned = clean(text)
    if not cleaned:
        return Normalized("", EMPTY)
    return Normalized(cleaned)
