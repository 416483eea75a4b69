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
happens, at eight, before we leave) count anywhere. homebrain has no
schedules: it says so instead. A sentence opened by a question word ("has
anyone closed the blind") asks something rather than for something, and a
scene's name followed by "is" ("hygge is a Danish word") is talked about,
not asked for. So is a change said of somewhere else ("turn the heating up
in the car"), what might have been ("I'd have switched it off"), and what is
said to a person in the room ("stop fiddling with the lamp and go to sleep").
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from homebrain.understanding.numbers import parse_quantities
from homebrain.understanding.spans import SpanLike

NEGATED = "negated"
LATER = "later"
QUESTION = "question"
REMARK = "remark"

# said before the target: the request is declined, forbidden or only wondered about
_BEFORE: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "don't", "dont", "do not", "never", "needn't", "need not", "won't",
        "will not", "mustn't", "must not", "shouldn't", "should not", "not allowed",
        "nobody", "no one", "hold off", "no thanks", "no thank you", "not yet",
        "whether", "wondering", "wonder if", "not sure", "should i", "shall i",
        "should we", "shall we", "reckons", "told me to", "said to", "forget the",
        "not now", "let's not", "lets not", "not bother", "no point", "wouldn't",
        "would not", "i'd rather not",
    )
)  # fmt: skip
# "I wouldn't mind the lamp on", "never mind, the lamp on": a wish, not a refusal
_NOT_REFUSING = frozenset({"mind"})
# "I wonder if you could ...": a request, however hedged
_ASKING_YOU = frozenset(
    ("you", modal) for modal in ("could", "would", "might", "can", "will", "wouldnt", "couldnt")
)
_ASKING_YOU_ONE = frozenset({"you'd", "youd"})
# "I'd have switched it off if I'd noticed", "we used to put the festoon on": what was or
# might have been, not what is wanted now
_UNREAL: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "i'd have", "would have", "should have", "could have", "might have", "must have",
        "would've", "should've", "could've", "might've", "must've", "if i'd", "if we'd",
        "used to", "i think the", "i reckon the",
        # what someone else had done or says to do: "she made me switch the bottle warmer off"
        "made me", "made us", "makes me", "makes us", "experts say", "they say", "people say",
    )
)  # fmt: skip
# said to a person in the room, not to homebrain ("Juniper, stop fiddling with the lamp
# and go to sleep")
_TO_A_PERSON: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "go to sleep", "go to bed", "your homework", "your teeth", "your shoes", "your coat",
        "your dinner", "your room", "stop fiddling", "stop messing", "stop playing",
        "stop touching", "stop fussing", "come and see", "come and look", "come see",
        "have a look at",
    )
)  # fmt: skip
# places and things that are not in a home's device list: "turn the heating up in the car",
# "turn the heat down on that pan", "the telly was too loud at the pub" (unless the home
# names a device or room with the word, checked against ``known``)
_ELSEWHERE = frozenset(
    {"car", "van", "pub", "school", "office", "work", "shop", "hotel", "caravan", "gym",
     "train", "bus", "plane", "boat", "pan", "pans", "saucepan", "pot", "frying", "wok",
     "oven", "hob", "stove", "grill", "microwave", "toaster", "phone", "laptop", "computer",
     "tablet", "ipad", "iphone", "bulb", "bulbs", "battery", "batteries", "fuse", "engine"}
)  # fmt: skip
# "the drinks trolley light is such a lovely touch": admired, not asked for
_PRAISE = frozenset(
    {"such", "lovely", "beautiful", "gorgeous", "stunning", "pretty", "charming",
     "adorable", "magical", "wonderful", "my", "our", "older", "antique"}
)  # fmt: skip
_PLACE_LINKS = frozenset({"in", "on", "at"})
_OWNERS = frozenset({"the", "my", "your", "our", "that", "this", "a"})
# "I'm on the phone", "we're at the pub": where the speaker is, a reason, not a target
_SPEAKER_IS = frozenset(
    {"i'm", "im", "we're", "i", "we", "am", "are", "is", "he's", "she's", "they're", "you're"}
)
# "there's no need to turn the radiogram down": a command declined, unlike "no need for
# the punkah" (a wish to have it off), so it counts even where "need" is said
_NO_NEED_TO = ("no", "need", "to")
# "before we leave" waits for someone; "bring the sail in before the storm" is for now
_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she", "everyone"})
_HOURS = frozenset(
    {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}
)  # fmt: skip
_VALUE_WORDS = frozenset({"percent", "%", "degrees", "degree", "per", "cent"})
_UNITS_OF_TIME = frozenset({"minute", "minutes", "hour", "hours", "mins", "min", "seconds"})
# "we won't need the cooker any more", "no need for the bistro lights now": said of a
# device that is on, a wish to have it off, so no negation to hold back
_NEED = frozenset({"need", "needing", "needed"})
# "leave the punkah alone", "leave the festoon lights as they are"
_LEAVE_ENDS: tuple[tuple[str, ...], ...] = (("alone",), ("as", "it", "is"), ("as", "they", "are"))
_LEAVE_OPENERS = frozenset({"just", "please", "oh", "no", "and", "so", "you", "can", "could"})
_STATES = frozenset({"on", "off", "open", "closed", "shut", "running", "going", "locked", "up"})
_COPULAS = frozenset({"is", "are", "was", "were"})
_ROOM_LINKS = frozenset({"in", "the", "at", "on", "up", "down", "out"})
_QUESTION_OPENERS = frozenset(
    {"has", "did", "does", "was", "were", "why", "how", "where", "who", "whose", "what",
     "what's", "whats", "which", "convert", "calculate", "spell", "define", "translate"}
)  # fmt: skip
_CONDITIONS_ANYWHERE = frozenset({"when", "whenever", "unless"})
_CONDITIONS_FIRST = frozenset({"if", "once", "should", "until", "after"})
# "when you can", "if you could", "if it's no trouble", "if that's ok"
_POLITE_AFTER_CONDITION = frozenset(
    {"you", "you're", "it's", "its", "that's", "thats", "poss", "possible", "convenient"}
)
_BEFORE_A_DAY = frozenset({"on", "for", "by", "next", "this", "before"})  # not "till": how long
_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night", "lunchtime"})
_DAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_LATER_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(cue.split())
    for cue in (
        "as soon as", "first thing", "every morning", "every evening", "every night",
        "every day", "remind me", "remember to", "when i get", "when we get", "once i", "once we",
        "after i", "after we", "before i go", "before we go", "when it gets",
        "at sunset", "at sunrise", "at dawn", "at dusk", "at midnight", "at noon",
        "tomorrow morning", "tomorrow night", "tomorrow evening", "tomorrow at", "later on",
        "later tonight", "at the weekend", "this weekend", "next week",
        "the night before", "the day before", "the morning before",
        "on the list", "to the list", "on my list", "to do list", "to-do list",
    )
)  # fmt: skip
_TARGET_SLOTS = frozenset({"device", "anaphor", "deixis"})
# commands with no level: "at eight" after them is the hour ("keep it at eight" is a value)
_SWITCHING = frozenset(
    {"turn_on", "turn_off", "open", "close", "stop", "lock", "unlock", "play", "pause",
     "activate_scene"}
)  # fmt: skip
# what "at seven" said with is an hour: a switch, or a temperature (no one sets seven degrees)
_AT_AN_HOUR = _SWITCHING | {"set_temperature"}


def held_back(
    tokens: Sequence[str],
    spans: Sequence[SpanLike],
    intent: str = "",
    known: frozenset[str] = frozenset(),
) -> str | None:
    """Why the command in ``tokens`` is not one to carry out now, or None when it is.

    ``known``: the words of the home's device and room names, which are never a place
    or thing elsewhere (a home may well have an "oven light" or an "office").
    """
    targets = [s.start for s in spans if s.slot_type in _TARGET_SLOTS]
    first = min(targets) if targets else len(tokens)
    if intent == "activate_scene" and any(
        s.slot_type == "device" and _copula_after(tokens, spans, s.end) for s in spans
    ):
        # "hygge is a Danish word", "sundowners in the orangery is the best part of Friday"
        return REMARK
    if (
        _elsewhere(tokens, known, first if targets else 0)
        or _anywhere(tokens, _TO_A_PERSON)
        or _praised(tokens, spans)
    ):
        return REMARK
    if any(_at(tokens, i, c) for c in _UNREAL for i in range(first)):
        return REMARK
    negations = _BEFORE if not set(tokens) & _NEED else ()
    if any(
        _at(tokens, i, c) and not _refusal_of_nothing(tokens, i + len(c))
        for c in (*negations, _NO_NEED_TO)
        for i in range(first)
    ):
        return NEGATED
    if _asked(tokens):
        return QUESTION
    if "leave" in tokens:
        after = tokens.index("leave")
        if any(_at(tokens, i, end) for end in _LEAVE_ENDS for i in range(after, len(tokens))):
            return NEGATED
        if _leave_as_is(tokens, after):
            return NEGATED
    if _later(tokens) or _on_condition(tokens) or _before_someone(tokens):
        return LATER
    if intent in _AT_AN_HOUR and _at_an_hour(tokens):
        # "put the heating on at seven": an hour, never seven degrees
        return LATER
    return None


def _copula_after(tokens: Sequence[str], spans: Sequence[SpanLike], at: int) -> bool:
    """ "is"/"are"/"was"/"were" at ``at``, after a room said there ("in the orangery"), or
    after one more word ("hygge evenings are my favourite")."""
    rooms = {i for s in spans if s.slot_type == "room" for i in range(s.start, s.end)}
    if at + 1 < len(tokens) and tokens[at + 1] in _COPULAS and tokens[at] not in _ROOM_LINKS:
        return True  # "hygge evenings are ..."
    while at < len(tokens) and (at in rooms or tokens[at] in _ROOM_LINKS):
        at += 1
    return at < len(tokens) and tokens[at] in _COPULAS


def _refusal_of_nothing(tokens: Sequence[str], after: int) -> bool:
    """ "I wouldn't mind", "never mind": the negation refuses nothing; "I wonder if you
    could", "I was wondering whether you'd": wondering aloud is how some people ask."""
    if after < len(tokens) and tokens[after] in _NOT_REFUSING:
        return True
    while after < len(tokens) and tokens[after] in ("if", "whether"):
        after += 1
    return tuple(tokens[after : after + 2]) in _ASKING_YOU or (
        after < len(tokens) and tokens[after] in _ASKING_YOU_ONE
    )


def _elsewhere(tokens: Sequence[str], known: frozenset[str], first: int = 0) -> bool:
    """ "up in the car", "down on that pan", "too loud at the pub": the change is meant
    for a place or thing not in this home (but "I'm on the phone", "I'm off on the school
    run" say where the speaker is: a reason). Only after the first target (at ``first``)
    does the place belong to the command: "onions in the pan, turn the radiogram on" is
    a busy cook's command."""
    for i, token in enumerate(tokens):
        if i < first or token not in _ELSEWHERE or token in known:
            continue
        link = i - 2 if i >= 2 and tokens[i - 1] in _OWNERS else i - 1
        speaker = set(tokens[max(0, link - 3) : max(0, link)]) & _SPEAKER_IS
        if link >= 1 and tokens[link] in _PLACE_LINKS and not speaker:
            return True
    return False


def _praised(tokens: Sequence[str], spans: Sequence[SpanLike]) -> bool:
    """A device named, "is", and a word of praise: "the festoon lights are so magical"."""
    return any(
        s.slot_type == "device"
        and s.end + 1 < len(tokens)
        and tokens[s.end] in _COPULAS
        and tokens[s.end + 1] in _PRAISE
        for s in spans
    )


def _anywhere(tokens: Sequence[str], cues: Sequence[tuple[str, ...]]) -> bool:
    return any(_at(tokens, i, c) for c in cues for i in range(len(tokens)))


def _before_someone(tokens: Sequence[str]) -> bool:
    """ "turn the aga off before we leave": it waits for someone to do something."""
    return any(t == "before" and n in _SUBJECTS for t, n in pairwise(tokens))


def _at_an_hour(tokens: Sequence[str]) -> bool:
    """ "put the radiogram on at eight for the shipping forecast"."""
    for i, token in enumerate(tokens[:-1]):
        after = set(tokens[i + 2 : i + 4])
        if token == "at" and tokens[i + 1] in _HOURS and not after & _VALUE_WORDS:
            return True
    return False


def _asked(tokens: Sequence[str]) -> bool:
    """ "has anyone closed the starry blind", "what's a good film to watch on the big screen".

    A question about a device opened by a question word asks for nothing to be done;
    "can you", "could you", "will you" are requests and are not here, nor are
    "how about the lamp" and "what about the kitchen", which ask for the same again.
    """
    start = _opening(tokens)
    if start >= len(tokens) - 1 or tokens[start] not in _QUESTION_OPENERS:
        return False
    return tokens[start + 1] not in ("about", "if")


def _on_condition(tokens: Sequence[str]) -> bool:
    """ "when the film finishes, switch off the big screen", "if it gets chilly bump it up".

    "when you get a chance" and "if you could" are politeness, not conditions; "once"
    and "should" make one only where they open the sentence ("turn it up once more").
    """
    start = _opening(tokens)
    for i, token in enumerate(tokens):
        follows = tokens[i + 1] if i + 1 < len(tokens) else ""
        if follows in _POLITE_AFTER_CONDITION or not follows:
            continue
        if token in _CONDITIONS_ANYWHERE:
            return True
        if i == start and token in _CONDITIONS_FIRST:
            return True
    return False


def _opening(tokens: Sequence[str]) -> int:
    """Where the sentence starts once "oh", "just", "please", "so" ... are passed."""
    start = 0
    while start < len(tokens) and tokens[start] in _LEAVE_OPENERS:
        start += 1
    return start


def _leave_as_is(tokens: Sequence[str], at: int) -> bool:
    """ "leave the festoon lights on", "just leave the blind open": keep it as it is.

    Only when "leave" opens the sentence and the state ends it: "leave the heating on
    twenty" sets a value, and "turn it off, leave the lamp on" has a command before it.
    """
    return (
        all(t in _LEAVE_OPENERS for t in tokens[:at])
        and at < len(tokens) - 2
        and tokens[-1] in _STATES
    )


def _at(tokens: Sequence[str], i: int, cue: tuple[str, ...]) -> bool:
    return tuple(tokens[i : i + len(cue)]) == cue


def _later(tokens: Sequence[str]) -> bool:
    """ "in about an hour", "tomorrow morning", "on saturday", "at 8 pm", "as soon as ..."."""
    said = set(tokens)
    if _anywhere(tokens, _LATER_PHRASES):
        return True
    if len(tokens) >= 3 and tokens[-2] == "in" and tokens[-1] in _HOURS:
        return True  # "lights out in five": minutes, said short
    for i, token in enumerate(tokens):
        if token in _BEFORE_A_DAY and i + 1 < len(tokens) and tokens[i + 1] in _DAYS:
            return True  # "on saturday", "for friday", "by next friday"
        if token in _DAYS and i + 1 < len(tokens) and tokens[i + 1] in _PARTS_OF_DAY:
            return True  # "friday night"
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
