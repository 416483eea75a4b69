"""What the model left untagged though the words say it plainly, added after it predicts.

A small tagger often gets the intent of a device action right and still misses
a word it never saw in that phrasing: a home name ("beamer sound up to 60"),
"all over the house", an amount nobody tagged ("steam fan flat out"). The
intent already says what is wanted, so the words can fill the gap. These
complements add only what is in the words exactly (a gazetteer name, one
device's own head noun, a generic device word, "every"/"all", "the house", a
number or preset word) and never replace or overlap a tagged span.

Safety: names of sensitive devices (locks, garage doors) are never added here;
they move only on what the model itself heard.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from homebrain.training.templates import (  # plain data, no torch
    RELATIVE_ATTRIBUTES,
    TOO_WORDS_DOWN,
    TOO_WORDS_UP,
)
from homebrain.understanding import vocabulary as V
from homebrain.understanding.gazetteer import DEVICE, ROOM, SCENE
from homebrain.understanding.model_runtime import Span
from homebrain.understanding.normalize import clean
from homebrain.understanding.numbers import KELVIN, parse_quantities
from homebrain.understanding.spans import SlotFiller, SpanLike, free_quantity, preset_percent


def complements(
    filler: SlotFiller,
    spans: Sequence[SpanLike],
    tokens: Sequence[str],
    marks: Sequence[str],
    intent: str = "",
) -> list[SpanLike]:
    """The model's spans plus what it left untagged but the words say plainly.

    Meant for an utterance already recognised as a device action. Only exact
    evidence is added, and never over a tagged span: a home name the gazetteer
    marks (when no tagged span names a device of the home, or when the name is
    an item of a list; a room tagged inside that name gives way), the last word of
    one device's name said alone ("the drapes" for "Velvet drapes"; not in a
    relative change, where "warmer" is no bottle warmer), a generic device word
    (when nothing device-like was tagged), "every"/"all" right before a device,
    and "the house"/"anywhere" (when no room was tagged). Names of sensitive
    devices (locks, garage doors) are never added.
    """
    covered = {i for s in spans for i in range(s.start, s.end)}
    extra: list[SpanLike] = []

    def free_of(start: int, end: int, allowed: Sequence[SpanLike]) -> bool:
        """Free but for the ``allowed`` spans."""
        mine = {i for s in allowed for i in range(s.start, s.end)}
        return not any(i in covered and i not in mine for i in range(start, end))

    def free(start: int, end: int) -> bool:
        return free_of(start, end, ())

    def add(kind: str, start: int, end: int, text: str = "") -> None:
        extra.append(Span(kind, start, end, text or " ".join(tokens[start:end])))
        covered.update(range(start, end))

    named = any(s.slot_type == "device" and filler.span_name(s, tokens) is not None for s in spans)
    has_room = any(s.slot_type == "room" for s in spans)
    for start, end, mark in _runs(marks):
        phrase = " ".join(tokens[start:end])
        if mark in (DEVICE, SCENE) and not _sensitive(filler, phrase):
            # "the kitchen light and the counter light": a home's name in a list is one of
            # the targets even beside a tagged one, and a room tagged inside it is its word;
            # "the light of the bar cart": a device word tagged inside it is its word too
            inside = [
                s
                for s in spans
                if start <= s.start < s.end <= end
                and (
                    s.slot_type == "room"
                    or (s.slot_type == "device" and filler.span_name(s, tokens) is None)
                )
            ]
            if (named and not _listed(tokens, start, end)) or not free_of(start, end, inside):
                continue
            spans = [s for s in spans if s not in inside]
            covered.difference_update(i for s in inside for i in range(s.start, s.end))
            has_room = any(s.slot_type == "room" for s in spans)
            add("device", start, end)
            continue
        if not free(start, end):
            continue
        if mark == ROOM and not has_room:
            add("room", start, end)
            has_room = True
    if not any(s.slot_type == "device" for s in (*spans, *extra)):
        found = _device_word(tokens, free)
        if found is not None:
            start, end = found
            # "some light in the glass room": light as a mass noun is the room's
            # lighting, every light there, not one to ask about
            mass = tokens[start:end] == ["light"] and start and tokens[start - 1] in _MASS
            add("device", start, end, "lighting" if mass else "")
    if (
        not named
        and intent not in ("increase", "decrease")
        and not any(s.slot_type in _DEVICE_LIKE for s in (*spans, *extra))
    ):
        # "could the drapes come open": a word of one device's name, said alone
        for i, token in enumerate(tokens):
            if token in filler.head_words and free(i, i + 1):
                add("device", i, i + 1, filler.head_words[token])
                break
    devices = [s.start for s in (*spans, *extra) if s.slot_type == "device"]
    scoped = any(s.slot_type == "scope" for s in spans)
    for i, token in enumerate(tokens):
        if token in _QUANTIFIERS and not scoped and free(i, i + 1):
            gap = i + 1
            while gap < len(tokens) and tokens[gap] in _QUANTIFIER_FILLER:
                gap += 1
            if gap in devices:
                add("scope", i, i + 1)
                scoped = True
        elif token in _WHOLE_HOME_SAID and not has_room and free(i, i + 1):
            add("room", i, i + 1)
            has_room = True
    return sorted((*spans, *extra), key=lambda s: s.start)


def whole_values(spans: Sequence[SpanLike], tokens: Sequence[str]) -> list[SpanLike]:
    """Value spans stretched over the rest of their number: "I meant [twenty] two" is 22.

    The model sometimes stops a spoken number early; the words after it that still
    make one number with it (and are not tagged as anything else) belong to it.
    """
    covered = {i for s in spans for i in range(s.start, s.end)}
    out: list[SpanLike] = []
    for span in spans:
        end = span.end
        if span.slot_type == "value":
            while end < len(tokens) and end not in covered:
                found = parse_quantities(list(tokens[span.start : end + 1]), loose=False)
                if len(found) != 1 or found[0].end != end + 1 - span.start:
                    break
                end += 1
        out.append(
            span
            if end == span.end
            else Span("value", span.start, end, " ".join(tokens[span.start : end]))
        )
    return out


def complete_value(
    intent: str, slots: dict[str, Any], spans: Sequence[SpanLike], tokens: Sequence[str]
) -> None:
    """An amount the intent needs but the model did not tag, read from the words.

    "three more degrees for Juniper's radiator", "steam fan flat out",
    "mezzanine light as bright as it'll go": the intent already says a value
    is wanted, so a number (with its unit when said) or a preset word found
    outside the tagged names is that value. A bare "one" is not a number here
    ("the punkah one").
    """
    if intent not in _VALUE_INTENTS or "value" in slots or "color_temp" in slots:
        return
    quantities = parse_quantities(tokens, loose=True)
    spoken = free_quantity(quantities, spans, with_unit=False)
    if spoken is not None:
        slots["value"] = spoken.number
        if spoken.unit:
            slots["unit"] = spoken.unit
        return
    if intent not in _PERCENT_INTENTS:
        return
    preset = _preset_in(tokens, spans)
    if preset is not None:
        slots["value"] = preset
        slots["unit"] = "%"


# Room words a complement adds when the model tagged no room ("home" is left out: "I'm
# home, lights on" is no request for every light in the house).
_WHOLE_HOME_SAID = frozenset({"house", "everywhere", "anywhere"})

# "some light", "more light": light as a mass noun
_MASS = frozenset({"some", "more", "of", "enough"})

_QUANTIFIERS = frozenset({"all", "every", "each", "both"})
_QUANTIFIER_FILLER = frozenset({"the", "of", "single", "my", "our", "those", "these", "your"})

# Device words a complement never adds: verbs as often as nouns ("switch it off"), content
# ("play music"), and what opens a house (a lock or a garage door moves only on what the
# model itself heard).
_NOT_COMPLEMENTED = V.NOUN_OR_VERB | {
    "temperature",
    "music",
    "radio",
    "stereo",
    *(w for w, d in V.DEVICE_WORDS.items() if d.domain == "lock"),
    *(w for w, d in V.DEVICE_WORDS.items() if d.only_classes & {"garage", "gate"}),
}

_VALUE_INTENTS = frozenset(
    {"set_brightness", "set_percentage", "set_volume", "set_position", "set_temperature",
     "increase", "decrease"}
)  # fmt: skip
_PERCENT_INTENTS = frozenset({"set_brightness", "set_percentage", "set_volume", "set_position"})

# "as bright as it'll go", "as loud as possible": the top of the range, said as a phrase
AS_FAR_AS = re.compile(
    r"\bas (?:bright|loud|high|fast|far|open|strong|hard|much|wide) as "
    r"(?:it'll|it will|it can|it goes|it gets|they'll|they will|they can|they go|possible"
    r"|you can|can be)\b"
)


def _sensitive(filler: SlotFiller, phrase: str) -> bool:
    """Whether the phrase names a sensitive device of the home (a lock, a garage door)."""
    name = filler.device_name(phrase)
    if name is None:
        name = clean(phrase).removesuffix("'s")
    return any(
        e.sensitive for e in filler.home.entities.values() if clean(name) in map(clean, e.names)
    )


def _preset_in(tokens: Sequence[str], spans: Sequence[SpanLike]) -> int | None:
    """A percentage said as a word or phrase outside the tagged spans ("flat out", "medium")."""
    preset = preset_percent(tokens, {i for s in spans for i in range(s.start, s.end)})
    if preset is not None:
        return preset
    if AS_FAR_AS.search(" ".join(tokens)):
        return 100
    return None


# spans that already say which device: a name or device word, or "it"/"this" pointing at one
_DEVICE_LIKE = frozenset({"device", "anaphor", "deixis"})


def _listed(tokens: Sequence[str], start: int, end: int) -> bool:
    """Whether tokens[start:end] is an item of a list: "and"/"or" right before or after it."""
    before = start - 1
    while before >= 0 and tokens[before] in ("the", "my", "our"):
        before -= 1
    after = tokens[end] if end < len(tokens) else ""
    return (before >= 0 and tokens[before] in _JOINERS) or after in _JOINERS


_JOINERS = frozenset({"and", "or", "plus", "also"})


def _runs(marks: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, mark) for each run of equal, non-empty gazetteer marks."""
    i = 0
    while i < len(marks):
        j = i
        while j < len(marks) and marks[j] == marks[i]:
            j += 1
        if marks[i] in (DEVICE, SCENE, ROOM):
            yield i, j, marks[i]
        i = j


def _device_word(tokens: Sequence[str], free: Callable[[int, int], bool]) -> tuple[int, int] | None:
    """Where a generic device word ("lights", "fans") stands untagged, longest first."""
    for size in (2, 1):
        for start in range(len(tokens) - size + 1):
            phrase = " ".join(tokens[start : start + size])
            known = phrase in V.DEVICE_WORDS and phrase not in _NOT_COMPLEMENTED
            if known and free(start, start + size):
                return start, start + size
    return None


# "dim it by 25 percent": an amount after "by" is a change, not a level
_SET_TO_CHANGE = frozenset(
    {"set_brightness", "set_volume", "set_temperature", "set_percentage", "set_position"}
)
_DOWN_WORDS = frozenset(
    {"dim", "down", "lower", "reduce", "decrease", "drop", "darker", "dimmer", "quieter",
     "cooler", "colder", "less", "slower", "close"}
)  # fmt: skip
# verbs that say a change: with an amount and no "to", the amount is how far
_STEP_VERBS = frozenset({"dim", "brighten", "lower", "raise", "reduce", "drop", "boost", "lift"})
_UP_WORDS = frozenset(
    {"up", "raise", "brighten", "increase", "more", "louder", "warmer", "hotter", "higher",
     "boost", "brighter", "faster", "open"}
)  # fmt: skip


# the words that say which way a change goes, whatever the model heard ("less cold" and "more
# dim" are left to it)
_UP_VERBS = frozenset({"up", "raise", "brighten", "increase", "boost", "lift"})
_DOWN_VERBS = frozenset({"down", "dim", "lower", "reduce", "decrease", "drop"})


# "set the heating", "I'd like to set the blinds": a level is coming, whatever the model heard
_SET_VERBS = frozenset({"set", "adjust"})
_CHANGE_VERBS = frozenset({"set", "adjust", "change", "pick", "choose"})
_STATE_WORDS = frozenset({"on", "off", "open", "closed", "shut", "up", "down", "scene", "mode"})
_SET_OF_DOMAIN = {
    "light": "set_brightness",
    "climate": "set_temperature",
    "cover": "set_position",
    "fan": "set_percentage",
    "media_player": "set_volume",
}
_LEVEL_SLOTS = ("value", "color", "color_temp", "mode", "attribute")


def set_reading(
    filler: SlotFiller, intent: str, slots: dict[str, Any], tokens: Sequence[str]
) -> str:
    """ "could you set the heating for me": a level to be asked for, not an on/off.

    "set" with a device and nothing to set it to means a value is still to
    come; the intent becomes that device's set_* one, so the dialogue asks for
    the value instead of switching something ("set the lights on" stays on).
    """
    said = set(tokens)
    mode_unnamed = "mode" in said and "mode" not in slots
    if (
        intent == "set_mode"
        and "mode" not in slots
        and "mode" not in said
        and len(said & {"on", "off"}) == 1
    ):
        # "put Juniper's radiator on": no mode named, a switch said (but "change the mode on
        # the wall stat" asks which mode)
        return "turn_off" if "off" in said else "turn_on"
    if intent in ("turn_on", "turn_off") and mode_unnamed and said & _CHANGE_VERBS:
        # "change the mode on the wall stat": which mode is still to be asked
        return "set_mode"
    if intent not in ("turn_on", "turn_off", "open", "close") or not said & _SET_VERBS:
        return intent
    if said & _STATE_WORDS or any(k in slots for k in _LEVEL_SLOTS):
        return intent
    domain = slots.get("domain")
    if not domain and isinstance(slots.get("name"), str) and "names" not in slots:
        domain = filler.name_domain(slots["name"])
    return _SET_OF_DOMAIN.get(str(domain or ""), intent)


# how much, said without an amount: a set_* intent with one of these and no value is a step
_DEGREE_WORDS = frozenset(
    {"more", "less", "further", "bit", "little", "touch", "slightly", "tad", "notch"}
)


def relative_reading(intent: str, slots: dict[str, Any], tokens: Sequence[str]) -> str:
    """The intent the words give a relative change, with ``slots`` brought into line.

    "dim it by 25 percent" is a change of 25 points, not a level of 25, even when
    the model heard a set_* intent: an amount right after "by" with a direction
    word makes it increase/decrease of that attribute. And a relative change
    carries no colour temperature: in "it's chilly, warm it up a bit" "warm" is
    how it feels, so the attribute comes from the feeling words instead. An
    amount after "to" in a change ("drop the lamp to thirty percent") is where
    the change ends (``to_level``). A set_* intent aimed at something, with no
    amount but a degree word ("open them a little more"), is a step that way.
    """
    if intent in ("set_brightness", "set_color") and "color_temp" in slots and "value" not in slots:
        # "the shaving light's colour temperature to 250 mireds": kelvin and mireds are a white
        if slots.get("attribute") in ("set_brightness", "set_color"):
            del slots["attribute"]
        return "set_color_temp"
    if (
        intent in ("increase", "decrease")
        and "value" in slots
        and _amount_after("to", tokens)
        and not _amount_after("by", tokens)
    ):
        slots["to_level"] = True
    said = set(tokens)
    scaled = said & _SCALINGS.keys()
    # "no, double it": no switch said, so "double" is the change, however the model heard it
    switched = intent in ("turn_on", "turn_off") and not said & {"on", "off"}
    if len(scaled) == 1 and (switched or intent in (_SET_TO_CHANGE | {"increase", "decrease"})):
        # "double the volume", "halve it": a change by a factor, not a step or a level
        if intent in _SET_TO_CHANGE:
            slots.setdefault("attribute", intent)
        slots.pop("value", None)
        slots.pop("unit", None)
        slots["factor"] = _SCALINGS[next(iter(scaled))]
        return "increase" if slots["factor"] > 1 else "decrease"
    aimed = any(slots.get(k) for k in (*_NAMED, "ref", "room"))
    if intent in _SET_TO_CHANGE and "value" not in slots and aimed and said & _DEGREE_WORDS:
        # "open them a little more", "the drapes open a bit": no level, a step
        slots.setdefault("attribute", intent)
        return "decrease" if said & (_DOWN_WORDS | {"less"}) else "increase"
    if intent in _SET_TO_CHANGE and "value" in slots and _amount_is_a_step(tokens):
        direction = "decrease" if said & _DOWN_WORDS else "increase" if said & _UP_WORDS else None
        if direction is not None:
            slots.setdefault("attribute", intent)
            return direction
    moves = (said & _UP_VERBS, said & _DOWN_VERBS)
    if intent in ("increase", "decrease") and bool(moves[0]) != bool(moves[1]):
        # "brighten the noguchi by 40%": a verb that moves one way, and none the other way
        intent = "increase" if moves[0] else "decrease"
    if intent in ("increase", "decrease") and "color_temp" in slots and slots.get("unit") != KELVIN:
        del slots["color_temp"]
        _attribute_from_words(slots, tokens)
    elif intent in ("increase", "decrease") and not any(slots.get(k) for k in _ALREADY_AIMED):
        # "it's chilly, warm it up a bit": what is felt says what to change
        _attribute_from_words(slots, tokens)
    way = _warmer_white(tokens)
    if way is not None and intent in _WHITE_READINGS and "color_temp" not in slots:
        # "a warmer white", "give that a cooler tone": the white of a light, however the model
        # heard "white" (a colour) or "warmer" (the heating)
        slots.pop("color", None)
        slots["attribute"] = "set_color_temp"
        return way
    if intent in ("increase", "decrease") and slots.get("attribute") in _WARMTH:
        # "a little cooler, more like daylight": the warmth word says which way, not "more"
        warmer, cooler = bool(said & _WARMER), bool(said & _COOLER)
        if warmer != cooler:
            intent = "increase" if warmer else "decrease"
    return intent


_WARMTH = frozenset({"set_temperature", "set_color_temp"})
_SCALINGS = {"double": 2.0, "halve": 0.5, "treble": 3.0, "triple": 3.0}
_WARMER = frozenset({"warmer", "hotter", "cosier", "cozier", "yellower"})
_COOLER = frozenset({"cooler", "colder", "whiter", "bluer", "crisper"})


# "warmer" right before one of these is a light's white, not the heating
_WHITE_WORDS = frozenset({"white", "whites", "tone", "tones", "colour", "color", "glow", "hue"})
_WHITE_READINGS = frozenset({"increase", "decrease", "set_color", "set_color_temp", "turn_on"})


def _warmer_white(tokens: Sequence[str]) -> str | None:
    for word, after in itertools.pairwise(tokens):
        if after in _WHITE_WORDS and word in _WARMER | _COOLER:
            return "increase" if word in _WARMER else "decrease"
    return None


_NAMED = ("name", "names", "device")
_ALREADY_AIMED = (*_NAMED, "color_temp")  # "warmer, 2700 kelvin" stays a colour


def toned_down(tokens: Sequence[str]) -> str | None:
    """ "not so bright", "hmm, not as loud", "not so dark please": a change, said as a wish.

    The model hears "not" and reads a refusal. Opened by "not so"/"not as" and a
    word for too much of something, the sentence asks for less of it (or, for "not
    so dark", more light); anything before it but a filler makes it a remark ("it's
    not so bright in here").
    """
    start = 0
    while start < len(tokens) and tokens[start] in _BEFORE_NOT_SO:
        start += 1
    if tokens[start : start + 2] not in (["not", "so"], ["not", "as"]) or start + 2 >= len(tokens):
        return None
    word = tokens[start + 2]
    if word in _TOO_MUCH:
        return "decrease"
    if word in _TOO_LITTLE:
        return "increase"
    return None


_BEFORE_NOT_SO = frozenset({"hmm", "um", "uh", "er", "erm", "oh", "ok", "okay", "no", "still"})
_TOO_MUCH = frozenset(w for words in TOO_WORDS_DOWN.values() for w in words)
_TOO_LITTLE = frozenset(w for words in TOO_WORDS_UP.values() for w in words)


def _attribute_from_words(slots: dict[str, Any], tokens: Sequence[str]) -> None:
    if "attribute" in slots:
        return
    for token in tokens:
        attribute = V.ATTRIBUTES.get(RELATIVE_ATTRIBUTES.get(token, ""))
        if attribute:
            slots["attribute"] = attribute
            return


def _amount_is_a_step(tokens: Sequence[str]) -> bool:
    """ "by twenty", an amount right after the direction ("up three degrees") or after
    "another", or a verb that moves with no "to" or "at" anywhere ("dim it thirty
    percent")."""
    if _amount_after("by", tokens):
        return True
    said = set(tokens)
    if said & _STEP_VERBS and not said & {"to", "at"}:
        return True
    if not _amount_after_any(("to", "at"), tokens) and _amount_after_any(("up", "down"), tokens):
        return True
    # "open it another twenty", "a further five degrees": more of the same, however said
    return _amount_after_any(("another", "further"), tokens)


def _amount_after(word: str, tokens: Sequence[str]) -> bool:
    return _amount_after_any((word,), tokens)


def _amount_after_any(words: Sequence[str], tokens: Sequence[str]) -> bool:
    for i, token in enumerate(tokens[:-1]):
        after = list(tokens[i + 1 : i + 4])
        if token in words and (parse_quantities(after, loose=True) or _A_SHARE & set(after[:2])):
            return True
    return False


# "another quarter", "a further third": a share of the way is an amount too
_A_SHARE = frozenset({"quarter", "third", "fifth", "tenth"})
