"""From tagged spans (what a learned model marks) to the slots the resolver and dialogue use.

The grammar matcher fills slots directly; a tagger only says "these words are
a device, these a room, this a value". Turning span text into the same slots
(a name the home knows, a room id, a number with its unit, a colour, a mode)
is done here, against the home's own names, so the model never has to know
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from homebrain.home import Home
from homebrain.training.templates import RELATIVE_ATTRIBUTES  # plain data, no torch
from homebrain.understanding import vocabulary as V
from homebrain.understanding.normalize import clean
from homebrain.understanding.numbers import KELVIN, ordinal, parse_quantities, tokenize


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
        for entity in home.entities.values():
            for name in entity.names:
                self.entity_names.setdefault(clean(name), name)
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

    def fill(self, spans: Sequence[SpanLike], tokens: Sequence[str]) -> dict[str, Any]:
        slots: dict[str, Any] = {}
        names: list[str] = []
        rooms: list[str] = []
        # what follows "except" / "apart from" is left out, not targeted
        except_names: list[str] = []
        except_rooms: list[str] = []
        for index, span in enumerate(spans):
            kind, text = span.slot_type, span.text
            into_names, into_rooms = (
                (except_names, except_rooms) if slots.get("except") else (names, rooms)
            )
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
                elif room is None and clean(text) in V.WHOLE_HOME:
                    slots["whole_home"] = True
            elif kind == "value":
                unit_text = _adjacent_unit(spans, index)
                self._value(f"{text} {unit_text}".strip(), slots)
            elif kind == "unit" and "unit" not in slots:
                found = parse_quantities(["1", *tokenize(text)])
                if found and found[0].unit:
                    slots["unit"] = found[0].unit
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
                    slots["attribute"] = attribute
            elif kind in ("anaphor", "deixis"):
                slots["ref"] = clean(text) or True
            elif kind == "scope":
                word = clean(text)
                if word.startswith("except") or word in ("but", "apart from", "other than"):
                    slots["except"] = True
                else:
                    slots["all"] = True
                    if word in ("everything", "everywhere"):
                        slots["whole_home"] = True
            elif kind.startswith("custom_"):
                slots[kind.removeprefix("custom_")] = text
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
        name = self._match(text, self.entity_names)
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

    def _value(self, text: str, slots: dict[str, Any]) -> None:
        key = clean(text)
        if key in V.PERCENT_WORDS:
            slots.setdefault("value", V.PERCENT_WORDS[key])
            slots.setdefault("unit", "%")
            return
        found = parse_quantities(tokenize(text))
        if found:
            slots.setdefault("value", found[0].number)
            if found[0].unit:
                slots.setdefault("unit", found[0].unit)

    def _color(self, text: str, slots: dict[str, Any]) -> None:
        key = clean(text)
        if key in V.COLORS:
            slots["color"] = V.COLORS[key]
        elif key in V.COLOR_TEMPS:
            slots["color_temp"] = V.COLOR_TEMPS[key]
        else:
            best = self._match(key, dict(V.COLORS))
            if best is not None:
                slots["color"] = best


# Words that say a room's lights are meant without naming them.
_LIGHT_STATE_WORDS = frozenset({"lit", "dark", "darken", "pitch", "gloomy"})


def _adjacent_unit(spans: Sequence[SpanLike], index: int) -> str:
    if index + 1 < len(spans):
        following = spans[index + 1]
        if following.slot_type == "unit" and following.start == spans[index].end:
            return following.text
    return ""
