"""Commands said but not asked for now: negated, wondered about, or meant for later.

"leave the punkah alone", "no need for the heating", "I'm wondering whether to
put the lullaby on", "turn the beamer on as soon as the match kicks off": the
words of a command are there, and a model that reads them as one switches
something nobody asked to switch. The corpus teaches the model such sentences,
but an out-of-domain sentence that causes an action is the costliest mistake
there is, so these plain cues are checked after the model too.

A negation or a hedge counts only *before* the first device word, name or
"it" ("turn the lamp off, I don't need it" is a command with a reason); "leave
... alone" and a time to come (an hour from now, tomorrow, when something
happens) count anywhere. homebrain has no schedules: it says so instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from homebrain.understanding.numbers import parse_quantities
from homebrain.understanding.spans import SpanLike

NEGATED = "negated"
LATER = "later"

# said before the target: the request is declined, forbidden or only wondered about
_BEFORE: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "don't", "dont", "do not", "never", "needn't", "need not", "won't",
        "will not", "mustn't", "must not", "shouldn't", "should not", "not allowed",
        "nobody", "no one", "hold off", "no thanks", "no thank you", "not yet",
        "whether", "wondering", "wonder if", "not sure", "should i", "shall i",
        "should we", "shall we", "reckons", "told me to", "said to", "forget the",
    )
)  # fmt: skip
_UNITS_OF_TIME = frozenset({"minute", "minutes", "hour", "hours", "mins", "min", "seconds"})
# "we won't need the cooker any more", "no need for the bistro lights now": said of a
# device that is on, a wish to have it off, so no negation to hold back
_NEED = frozenset({"need", "needing", "needed"})
# "leave the punkah alone", "leave the festoon lights as they are"
_LEAVE_ENDS: tuple[tuple[str, ...], ...] = (("alone",), ("as", "it", "is"), ("as", "they", "are"))
_DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_LATER_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "as soon as", "first thing", "every morning", "every evening", "every night",
        "every day", "remind me", "when i get", "when we get", "once i", "once we",
        "after i", "after we", "before i go", "before we go", "when it gets",
        "at sunset", "at sunrise", "at dawn", "at dusk", "at midnight", "at noon",
        "tomorrow morning", "tomorrow night", "tomorrow evening", "tomorrow at", "later on",
        "later tonight", "at the weekend", "this weekend", "next week",
    )
)  # fmt: skip
_TARGET_SLOTS = frozenset({"device", "anaphor", "deixis"})


def held_back(tokens: Sequence[str], spans: Sequence[SpanLike]) -> str | None:
    """``NEGATED`` or ``LATER`` when the command in ``tokens`` is not one to carry out now."""
    targets = [s.start for s in spans if s.slot_type in _TARGET_SLOTS]
    first = min(targets) if targets else len(tokens)
    if not set(tokens) & _NEED and any(_at(tokens, i, c) for c in _BEFORE for i in range(first)):
        return NEGATED
    if "leave" in tokens:
        after = tokens.index("leave")
        if any(_at(tokens, i, end) for end in _LEAVE_ENDS for i in range(after, len(tokens))):
            return NEGATED
    if _later(tokens):
        return LATER
    return None


def _at(tokens: Sequence[str], i: int, cue: tuple[str, ...]) -> bool:
    return tuple(tokens[i : i + len(cue)]) == cue


def _later(tokens: Sequence[str]) -> bool:
    """ "in about an hour", "tomorrow morning", "on saturday", "at 8 pm", "as soon as ..."."""
    said = set(tokens)
    if any(_at(tokens, i, p) for p in _LATER_PHRASES for i in range(len(tokens))):
        return True
    for i, token in enumerate(tokens):
        if token == "on" and i + 1 < len(tokens) and tokens[i + 1] in _DAYS:
            return True
        if token == "in" and said & _UNITS_OF_TIME:
            # "in an hour", "in about twenty minutes", "in half an hour"
            rest = [t for t in tokens[i + 1 : i + 6] if t not in ("about", "around", "half")]
            if rest[:2] in (["an", "hour"], ["a", "minute"]) or (
                rest and parse_quantities(rest[:3], loose=False) and set(rest[:3]) & _UNITS_OF_TIME
            ):
                return True
        if token == "at" and i + 2 < len(tokens) and tokens[i + 2] in ("am", "pm", "o'clock"):
            return True
    return False
