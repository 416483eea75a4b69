"""From tagged spans (what a learned model marks) to the slots the resolver and dialogue use.

The grammar matcher fills slots directly; a tagger only says "these words are
a device, these a room, this a value". Turning span text into the same slots
(a name the home knows, a room id, a number with its unit, a colour, a mode)
is done here, against the home's own names, so the model never has to know
them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from homebrain.home import Home
from homebrain.training.templates import RELATIVE_ATTRIBUTES  # plain data, no torch
from homebrain.understanding import vocabulary as V
from homebrain.understanding.normalize import clean
from homebrain.understanding.numbers import (
    KELVIN,
    MIRED,
    Quantity,
    ordinal,
    parse_quantities,
    tokenize,
)
from homebrain.understanding.word_classes import load_word_classes


class SpanLike(Protocol):
    slot_type: str
    start: int
    end: int
    text: str


class SlotFiller:
    """Fills slots for one home; fuzzy matching tolerates ASR-damaged names."""

    def __init__(self, home: Home, fuzzy_cutoff: float = 85.0) -> None:
        self.home = home
        self.cutoff = fuzzy_cutoff
        self.entity_names: dict[str, str] = {}
        self._name_domains: dict[str, set[str]] = {}  # clean name → domains of its devices
        for entity in home.entities.values():
            for name in entity.names:
                self.entity_names.setdefault(clean(name), name)
                self._name_domains.setdefault(clean(name), set()).add(entity.domain)
        # "the drapes" for "Velvet drapes", "the dragonfly" for "Dragonfly lamp": a name's
        # last word, or a rarer word of it, that is one device's alone (and that device is
        # no lock or garage door); never a word of a room's name ("glass room", "Juniper's")
        # and never a common word before the last ("the sun's out" says nothing of "Sun sail")
        common = load_word_classes().common
        owners: dict[str, dict[str, str]] = {}  # word → {entity id: its first name with it}
        for entity in home.entities.values():
            for name in entity.names:
                words = clean(name).split()
                for i, word in enumerate(words):
                    if i == len(words) - 1 or not common(word):
                        owners.setdefault(word, {}).setdefault(entity.entity_id, name)
        room_words = {
            word
            for room in home.rooms.values()
            for name in (*room.names, room.id.replace("_", " "), room.floor or "")
            for word in clean(name).split()
        }
        self.head_words: dict[str, str] = {
            word: name
            for word, named in owners.items()
            if len(named) == 1 and word not in _NOT_HEADS | room_words and len(word) > 2
            for entity_id, name in named.items()
            if not home.entities[entity_id].sensitive
        }
        self.room_names: dict[str, str] = {}
        self.floors: dict[str, list[str]] = {}  # "upstairs" → the rooms on that floor
        for room in home.rooms.values():
            for name in (*room.names, room.id.replace("_", " ")):
                self.room_names.setdefault(clean(name), room.id)
            if room.floor:
                self.floors.setdefault(clean(room.floor), []).append(room.id)

    def _match(self, text: str, choices: dict[str, Any]) -> Any | None:
        key = clean(text)
        if key in choices:
            return choices[key]
        if not key or not choices:
            return None
        best = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=self.cutoff)
        return choices[best[0]] if best else None

    def device_name(self, text: str) -> str | None:
        """The home's device name ``text`` says, tolerating ASR damage; None if none."""
        found = self._match(text, self.entity_names)
        if found is not None:
            return found
        turned = _the_other_way(text)
        if turned is not None:
            found = self._match(turned, self.entity_names)
            if found is not None:
                return found
        # "the little stained glass lamp": a name of the home, with a word before it
        words = clean(text).split()
        tails = (" ".join(words[start:]) for start in range(1, len(words) - 1))
        return next((self.entity_names[t] for t in tails if t in self.entity_names), None)

    def name_domain(self, name: str) -> str | None:
        """The domain of the devices a home name says, when they all share one."""
        domains = self._name_domains.get(clean(name), set())
        return next(iter(domains)) if len(domains) == 1 else None

    def span_name(self, span: SpanLike, tokens: Sequence[str]) -> str | None:
        """The home's device name a device span says, widened to the words around it."""
        return self.device_name(self._widen_to_name(span, tokens))

    def fill(self, spans: Sequence[SpanLike], tokens: Sequence[str]) -> dict[str, Any]:
        slots: dict[str, Any] = {}
        names: list[str] = []
        rooms: list[str] = []
        # what follows "except" / "apart from" is left out, not targeted; the cue itself is
        # often left untagged ("everything dark except the toadstool lamp"), so its place in
        # the words decides too
        except_names: list[str] = []
        except_rooms: list[str] = []
        except_from = _except_cue(tokens)
        values: list[tuple[int, int | float, str | None]] = []  # (rank, value, unit)
        has_value = any(s.slot_type == "value" for s in spans)
        quantities = parse_quantities(tokens, loose=True) if has_value else []
        for index, span in enumerate(spans):
            kind, text = span.slot_type, span.text
            left_out = slots.get("except") or (
                except_from is not None and span.start >= except_from
            )
            into_names, into_rooms = (except_names, except_rooms) if left_out else (names, rooms)
            if kind == "device":
                text = self._widen_to_name(span, tokens)
                self._device(text, slots, into_names, into_rooms)
            elif kind == "room":
                room = self._match(text, self.room_names)
                floor = self.floors.get(clean(text))
                if room is not None and room not in into_rooms:
                    into_rooms.append(room)
                elif room is None and floor:
                    into_rooms.extend(r for r in floor if r not in into_rooms)
                    slots.setdefault("floor", clean(text))
                elif room is None and clean(text) in _WHOLE_HOME:
                    slots["whole_home"] = True
                elif room is None and _this_room(clean(text), tokens[: span.start]):
                    # "make my room warmer", "the heater in this room": where it was heard
                    slots.setdefault("ref", "here")
                elif room is None and not left_out and clean(text):
                    # "the lights in the attic" in a home with no attic: not the site's lights
                    slots.setdefault("unknown_room", clean(text))
            elif kind == "value":
                unit_text = _adjacent_unit(spans, index)
                found = _widest(quantities, span) or self._value(f"{text} {unit_text}".strip())
                if found is not None:
                    values.append(found)
            elif kind == "unit" and "unit" not in slots:
                found_unit = parse_quantities(["1", *tokenize(text)])
                if found_unit and found_unit[0].unit:
                    slots["unit"] = found_unit[0].unit
            elif kind == "color":
                self._color(text, slots)
            elif kind == "mode":
                mode = V.MODES.get(clean(text))
                if mode:
                    slots["mode"] = mode
            elif kind == "attribute":
                word = clean(text)
                # "brighter", "too cold" name their attribute too (the corpus tags them so)
                attribute = V.ATTRIBUTES.get(word) or V.ATTRIBUTES.get(
                    RELATIVE_ATTRIBUTES.get(word, "")
                )
                if attribute:
                    # "faster than that, it's sweltering": the first attribute word is the
                    # one asked about, a later one is usually how it feels
                    slots.setdefault("attribute", attribute)
            elif kind in ("anaphor", "deixis"):
                slots["ref"] = clean(text) or True
            elif kind == "scope":
                word = clean(text)
                if word.startswith("except") or word in _EXCEPT_WORDS:
                    slots["except"] = True
                else:
                    slots["all"] = True
                    if word in ("everything", "everywhere", "anywhere"):
                        slots["whole_home"] = True
            elif kind.startswith("custom_"):
                slots[kind.removeprefix("custom_")] = text
        if values:
            best = min(values, key=lambda v: v[0])
            if best[0] == _PRESET:
                # "as low as five percent": a number said with its unit beats a preset word
                spoken = free_quantity(quantities, spans, with_unit=True)
                if spoken is not None:
                    best = (_WITH_UNIT, spoken.number, spoken.unit)
            slots["value"] = best[1]
            if best[2]:
                slots["unit"] = best[2]
        if names:
            slots["name"] = names[0]
            if len(names) > 1:
                slots["names"] = names
        if rooms:
            slots["room"] = rooms[0]
            if len(rooms) > 1:
                slots["rooms"] = rooms
        if slots.get("unit") == KELVIN and slots.get("value") and "color_temp" not in slots:
            slots["color_temp"] = round(1_000_000 / float(slots.pop("value")))  # → mireds
            slots.pop("unit")
        elif slots.get("unit") == MIRED and slots.get("value") and "color_temp" not in slots:
            slots["color_temp"] = round(float(slots.pop("value")))
            slots.pop("unit")
        if "device" not in slots and not names and set(tokens) & _LIGHT_STATE_WORDS:
            # "the orangery lit up", "everything dark": said of lights, all of them there
            slots.update(device="lights", domain="light", plural=True)
        if except_names:
            slots["except_names"] = except_names
        if except_rooms:
            slots["except_rooms"] = except_rooms
        for token in tokens:
            rank = ordinal(token)
            if rank is not None:
                slots["ordinal"] = rank
                break
        return slots

    def _widen_to_name(self, span: SpanLike, tokens: Sequence[str]) -> str:
        """The home's own multi-word name around a device span, if the words say one exactly.

        A tagger that never saw "bar cart light" may mark only "light"; the
        home knows the name, so the untagged words just before the span (or
        the span's own words with a room word the model split off) complete it.
        Only an exact name counts: widening never guesses.
        """
        for extra in range(min(4, span.start), 0, -1):
            phrase = " ".join(tokens[span.start - extra : span.end])
            if clean(phrase) in self.entity_names:
                return phrase
        return span.text

    def _device(self, text: str, slots: dict[str, Any], names: list[str], rooms: list[str]) -> None:
        name = self.device_name(text)
        if name is None:
            # "the drapes" tagged as a device: the one device whose name ends so
            name = self.head_words.get(clean(text))
        if name is not None:
            if name not in names:
                names.append(name)
            return
        words = clean(text).split()
        # the longest device word in the span ("garage door" before "door"); what precedes
        # it may be a room said inside the device phrase ("bedroom lights")
        for size in (2, 1):
            for start in range(len(words) - size, -1, -1):
                phrase = " ".join(words[start : start + size])
                word = V.DEVICE_WORDS.get(phrase)
                if word is None:
                    continue
                slots.setdefault("device", phrase)
                slots.setdefault("domain", word.domain)
                if word.plural:
                    slots["plural"] = True
                prefix = " ".join(words[:start])
                room = self._match(prefix, self.room_names) if prefix else None
                if room is not None and room not in rooms:
                    rooms.append(room)
                return

    def _value(self, text: str) -> tuple[int, int | float, str | None] | None:
        """A value span as (rank, value, unit): a spoken number outranks a preset word."""
        key = clean(text)
        found = parse_quantities(tokenize(text))
        if found and key not in V.PERCENT_WORDS:
            return (_WITH_UNIT if found[0].unit else _NUMBER, found[0].number, found[0].unit)
        # the preset word, alone or inside a longer span ("medium speed", "on full")
        preset = preset_percent(key.split())
        return None if preset is None else (_PRESET, preset, "%")

    def _color(self, text: str, slots: dict[str, Any]) -> None:
        key = clean(text)
        if key in V.COLORS:
            slots["color"] = V.COLORS[key]
        elif key in V.COLOR_TEMPS:
            slots["color_temp"] = V.COLOR_TEMPS[key]
        elif key.removesuffix(" white") in V.COLOR_TEMPS:
            slots["color_temp"] = V.COLOR_TEMPS[key.removesuffix(" white")]  # "coolest white"
        else:
            best = self._match(key, dict(V.COLORS))
            if best is not None:
                slots["color"] = best


def _the_other_way(text: str) -> str | None:
    """ "light of the bar cart" -> "bar cart light"; None when no "of" joins two parts."""
    words = clean(text).split()
    if "of" not in words[1:-1]:
        return None
    at = words.index("of", 1)
    rest = words[at + 1 :]
    if rest[:1] == ["the"]:
        rest = rest[1:]
    return " ".join([*rest, *words[:at]]) if rest else None


# A room said without its name: the one the speaker is in ("room" after one of these).
_THIS_ROOM = frozenset({"my room", "this room", "our room"})
_THIS_ROOM_OWNERS = frozenset({"my", "this", "our"})
# Words that say a room's lights are meant without naming them.
_LIGHT_STATE_WORDS = frozenset({"lit", "dark", "darken", "pitch", "gloomy"})


def _adjacent_unit(spans: Sequence[SpanLike], index: int) -> str:
    if index + 1 < len(spans):
        following = spans[index + 1]
        if following.slot_type == "unit" and following.start == spans[index].end:
            return following.text
    return ""


# How sure a value span is, best first: a number with its unit, a bare number, a preset word.
_WITH_UNIT, _NUMBER, _PRESET = 0, 1, 2

# Words that start the part of a sentence that is left out ("all the lights apart from ...").
_EXCEPT_WORDS = frozenset({"but", "apart", "apart from", "other than", "excluding", "save"})
_EXCEPT_CUES: tuple[tuple[str, ...], ...] = (
    ("except",),
    ("excepting",),
    ("excluding",),
    ("apart", "from"),
    ("other", "than"),
    ("but", "not"),
    ("save", "for"),
)

# Room-span words meaning the whole home ("all over the house", "no fans anywhere").
_WHOLE_HOME = V.WHOLE_HOME | {"anywhere"}

# Words never taken for a device's head noun: device words, the words of commands and
# relative changes ("warmer" is no "Bottle warmer"), and the small words.
_NOT_HEADS = frozenset(
    {
        *V.DEVICE_WORDS,
        *V.CUES,
        *V.RELATIVE,
        *V.STOP_WORDS,
        *V.COLORS,
        *V.MODES,
        *V.PERCENT_WORDS,
        "evening",
        "morning",
        "night",
        "bedtime",
        "tonight",
        "today",
        "afternoon",
    }
) | frozenset(w for phrase in V.DEVICE_WORDS for w in phrase.split())


def _except_cue(tokens: Sequence[str]) -> int | None:
    """The index of the first word after an "except" cue, if the sentence has one."""
    for i in range(len(tokens)):
        for cue in _EXCEPT_CUES:
            if tuple(tokens[i : i + len(cue)]) == cue:
                return i + len(cue)
    return None


def _widest(quantities: Sequence[Quantity], span: SpanLike) -> tuple[int, int | float, str] | None:
    """A number with its unit that the span is part of ("half" in "a degree and a half")."""
    for q in quantities:
        wider = q.end - q.start > span.end - span.start
        if q.unit and wider and q.start <= span.start and span.end <= q.end:
            return (_WITH_UNIT, q.number, q.unit)
    return None


_PRESET_LONGEST = max(len(phrase.split()) for phrase in V.PERCENT_WORDS)


def preset_percent(words: Sequence[str], taken: Collection[int] = ()) -> int | None:
    """The percentage a preset word or phrase says ("medium", "flat out"), longest first.

    Words at the positions in ``taken`` (tagged spans) are not read.
    """
    for size in range(min(_PRESET_LONGEST, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(i in taken for i in range(start, start + size)):
                continue
            phrase = " ".join(words[start : start + size])
            if phrase in V.PERCENT_WORDS:
                return V.PERCENT_WORDS[phrase]
    return None


def free_quantity(
    quantities: Sequence[Quantity], spans: Sequence[SpanLike], with_unit: bool
) -> Quantity | None:
    """The first number outside every tagged name, room and colour ("three more degrees").

    An attribute or unit span inside it ("more", "degrees") does not hide it.
    """
    named = [s for s in spans if s.slot_type in ("device", "room", "color")]
    taken = {i for s in named for i in range(s.start, s.end)}
    for q in quantities:
        if any(i in taken for i in range(q.start, q.end)):
            continue
        if with_unit and not q.unit:
            continue
        if not q.unit and q.value == 1:
            continue  # "the punkah one", "this one": a pronoun, not an amount
        return q
    return None


def _this_room(text: str, before: Sequence[str]) -> bool:
    """ "my room", "this room" (or "room" tagged after "my"): the speaker's own room."""
    owner = before[-1] if before else ""
    return text in _THIS_ROOM or (text == "room" and owner in _THIS_ROOM_OWNERS)
