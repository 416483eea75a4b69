"""Questions about the home ("is the garage door open?", "which lights are on?"), answered
from the state mirror.

A query never sends anything: it reads what the devices last reported. So it
resolves its targets more loosely than a command does: several matches are not
a reason to ask "which one?" back (the answer simply covers all of them), and
every kind of device can be asked about, locks included. What is not known yet
(nothing mirrored since the start) is said as unknown, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from homebrain.home import Entity, Home
from homebrain.understanding import vocabulary as V
from homebrain.understanding.resolve import ATTRIBUTE_DOMAINS, KIND_OF_DOMAIN, Resolver
from homebrain.understanding.tokenizer import words

from .responses import Responses

# A state word said in the question ("which lights are ON?"), as the mirror's own word.
_STATE_WORDS: dict[str, str] = {
    "on": "on",
    "running": "on",
    "off": "off",
    "open": "open",
    "opened": "open",
    "closed": "closed",
    "shut": "closed",
    "locked": "locked",
    "unlocked": "unlocked",
    "playing": "playing",
    "paused": "paused",
}

# Which kinds of device a state word can be true of (a list query only looks at those).
_STATE_DOMAINS: dict[str, tuple[str, ...]] = {
    "on": ("light", "switch", "fan", "media_player", "climate"),
    "off": ("light", "switch", "fan", "media_player", "climate"),
    "open": ("cover", "lock"),
    "closed": ("cover", "lock"),
    "locked": ("lock",),
    "unlocked": ("lock",),
    "playing": ("media_player",),
    "paused": ("media_player",),
}

# The spoken state of a media player or a moving cover, for query_state.
_SPOKEN_STATE = {"play": "playing", "pause": "paused"}

_HERE = frozenset({"here", "in here", "out here", "up here", "down here", "this room"})


@dataclass
class QueryAnswer:
    """What to say, and what it was about (those become "it"/"them" for the next turn)."""

    response: str
    about: list[str] = field(default_factory=list)


def spoken_name(entity: Entity) -> str:
    """ "Kitchen light" reads "kitchen light" mid-sentence; "TV" stays "TV"."""
    name = entity.name.strip()
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def the_names(entities: Sequence[Entity]) -> str:
    """ "kitchen light and the reading lamp": for templates that say "The {name} ..."."""
    names = [spoken_name(e) for e in entities]
    if len(names) <= 1:
        return "".join(names)
    rest = [f"the {n}" for n in names[1:]]
    return f"{', '.join([names[0], *rest[:-1]])} and {rest[-1]}"


def number_text(value: Any) -> Any:
    """21.0 → 21, 19.5 → 19.5: numbers as they are spoken."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else round(float(value), 1)
    return value


class QueryAnswerer:
    """Finds what a query is about and says its state, from ``state`` (the mirror)."""

    def __init__(
        self,
        home: Home,
        resolver: Resolver,
        state: Callable[[str], dict[str, Any]],
        responses: Responses,
    ) -> None:
        self.home = home
        self.resolver = resolver
        self.state = state
        self.responses = responses

    def answer(
        self,
        slots: dict[str, Any],
        text: str,
        site_room: str | None,
        pointing_at: str | None,
        referents: Sequence[str],
    ) -> QueryAnswer:
        asked = _asked_state(text)
        found = self._targets(slots, site_room, pointing_at, referents, asked)
        if isinstance(found, str):
            return QueryAnswer(found)
        entities, group = found
        attribute = str(slots.get("attribute") or "")
        if asked is not None and (group or len(entities) > 1):
            return self._list(entities, asked, slots)
        sentences = [self.describe(e, attribute) for e in entities]
        return QueryAnswer(" ".join(sentences), [e.entity_id for e in entities])

    # -- what it is about -----------------------------------------------------------------

    def _targets(
        self,
        slots: dict[str, Any],
        site_room: str | None,
        pointing_at: str | None,
        referents: Sequence[str],
        asked: str | None,
    ) -> tuple[list[Entity], bool] | str:
        """The entities asked about and whether a group was meant; or what to say instead."""
        entities = self.home.entities
        word = V.DEVICE_WORDS.get(str(slots.get("device") or ""))
        domain = ATTRIBUTE_DOMAINS.get(str(slots.get("attribute") or ""))
        if slots.get("attribute") == "set_color":
            domain = "light"
        names = slots.get("names") or ([slots["name"]] if slots.get("name") else [])
        rooms = list(slots.get("rooms") or ([slots["room"]] if slots.get("room") else []))
        ref = slots.get("ref")
        if str(ref or "") in _HERE and site_room and not rooms and not names:
            rooms = [site_room]
            ref = None
        group = bool(
            slots.get("plural") or slots.get("all") or slots.get("whole_home") or _plural(word)
        )
        kind = self._kind(slots, word, domain)

        def fits(entity: Entity) -> bool:
            if word is not None:
                return word.fits(entity.domain, entity.device_class)
            if domain is not None:
                return entity.domain == domain
            if asked is not None:
                return entity.domain in _STATE_DOMAINS[asked]
            return entity.domain != "scene"  # a scene has no state to tell

        if names:
            ids: list[str] = []
            for name in names:
                found = self.resolver.named(str(name))
                if len(found) > 1 and rooms:
                    found = [i for i in found if entities[i].room in rooms] or found
                if len(found) > 1 and not group and site_room:
                    found = [i for i in found if entities[i].room == site_room] or found
                ids.extend(i for i in found if i not in ids)
            if not ids:
                return self._say("not_found", kind=str(names[0]))
            return [entities[i] for i in ids], group or len(names) > 1
        if ref and not rooms and not word:
            ids = [pointing_at] if pointing_at in entities else list(referents)
            picked = [entities[i] for i in ids if i in entities]
            if picked:
                return picked, len(picked) > 1
            return self._say("query_what")
        pool = [e for e in entities.values() if fits(e)]
        if rooms:
            local = [e for e in pool if e.room in rooms]
            if not local:
                room = self.home.rooms.get(rooms[0])
                room_name = room.name if room else str(rooms[0]).replace("_", " ")
                return self._say(
                    "not_found_in_room", kind=kind, room=room_name[:1].lower() + room_name[1:]
                )
            return self._one_or_all(local, group, kind, rooms[0])
        if word is None and domain is None and asked is None and not group:
            return self._say("query_what")  # "status?" about nothing in particular
        if not pool:
            return self._say("not_found", kind=kind)
        if not group and site_room:
            local = [e for e in pool if e.room == site_room]
            if local:
                return self._one_or_all(local, group, kind, site_room)
        return pool, group or len(pool) > 1

    def _one_or_all(
        self, pool: list[Entity], group: bool, kind: str, room: str
    ) -> tuple[list[Entity], bool]:
        """The room's own device ("Kitchen light" for "the light in the kitchen"), else all."""
        if not group and len(pool) > 1:
            primary = self.resolver.primary([e.entity_id for e in pool], room, kind)
            if primary is not None:
                return [self.home.entities[primary]], False
        return pool, group or len(pool) > 1

    @staticmethod
    def _kind(slots: dict[str, Any], word: V.DeviceWord | None, domain: str | None) -> str:
        if word is not None:
            device = str(slots.get("device") or "")
            return device.removesuffix("s") if word.plural and device.endswith("s") else device
        if domain is not None:
            return KIND_OF_DOMAIN.get(domain, "device")
        return "device"

    # -- what to say ----------------------------------------------------------------------

    def _list(self, entities: list[Entity], asked: str, slots: dict[str, Any]) -> QueryAnswer:
        """ "The kitchen light and the reading lamp are on." / "No lights are on." """
        entities = [e for e in entities if e.domain in _STATE_DOMAINS[asked]]
        matching: list[Entity] = []
        unknown: list[Entity] = []
        for entity in entities:
            now = _state_word(entity, self.state(entity.entity_id))
            if now is None:
                unknown.append(entity)
            elif now == asked or (asked == "on" and now in ("playing", "paused")):
                matching.append(entity)
        if len(matching) > 1:
            text = self._say("query_list", name=the_names(matching), state=asked)
        elif matching:
            text = self._say("query_list_one", name=the_names(matching), state=asked)
        else:
            text = self._say("query_list_none", kind=_plural_kind(slots, entities), state=asked)
        if unknown:
            text = f"{text} {self._say('query_unknown', name=the_names(unknown))}"
        return QueryAnswer(text, [e.entity_id for e in matching or entities])

    def describe(self, entity: Entity, attribute: str = "") -> str:
        """One entity's mirrored state as a sentence; the attribute asked for comes first."""
        state = self.state(entity.entity_id)
        name = spoken_name(entity)
        domain = entity.domain
        if domain == "scene":
            return self._say("query_no_state", name=name)
        if domain == "climate":
            return self._climate(name, state)
        word = _state_word(entity, state)
        if domain == "media_player" and attribute == "set_volume":
            volume = state.get("volume")
            if volume is not None:
                return self._say("query_volume", name=name, value=number_text(volume))
        if domain == "light" and attribute == "set_color" and word == "on" and state.get("color"):
            return self._say("query_color", name=name, color=state["color"])
        if word is None:
            return self._say("query_unknown", name=name)
        if domain in ("light", "fan") and word == "on":
            level = state.get("brightness" if domain == "light" else "percentage")
            if level is not None:
                return self._say("query_on_level", name=name, value=number_text(level))
        if domain == "cover":
            position = state.get("position")
            if isinstance(position, int | float) and 0 < position < 100:
                return self._say("query_position", name=name, value=number_text(position))
        key = {
            "on": "query_on",
            "off": "query_off",
            "open": "query_open",
            "closed": "query_closed",
            "locked": "query_locked",
            "unlocked": "query_unlocked",
        }.get(word)
        if looks_plural(name):  # "The blinds are closed.", not "is"
            return self._say("query_list", name=name, state=word)
        if key is not None:
            return self._say(key, name=name)
        return self._say("query_state", name=name, state=word)

    def _climate(self, name: str, state: dict[str, Any]) -> str:
        """The set temperature, and the measured one when the thermostat reports it."""
        target = state.get("temperature")
        current = state.get("current_temperature")
        if state.get("mode") == "off":
            if current is not None:
                current = number_text(current)
                return self._say("query_climate_off_current", name=name, current=current)
            return self._say("query_off", name=name)
        if target is None and current is None:
            return self._say("query_unknown", name=name)
        if target is None:
            return self._say("query_current_temperature", name=name, current=number_text(current))
        if current is None:
            return self._say("query_temperature", name=name, value=number_text(target))
        return self._say(
            "query_temperature_current",
            name=name,
            value=number_text(target),
            current=number_text(current),
        )

    def _say(self, key: str, **fields: Any) -> str:
        return self.responses.say(key, **fields)


def _asked_state(text: str) -> str | None:
    """The first state word of the question: "which lights are on" → "on"."""
    for token in words(text or ""):
        if token in _STATE_WORDS:
            return _STATE_WORDS[token]
    return None


def _state_word(entity: Entity, state: dict[str, Any]) -> str | None:
    """The entity's mirrored state in the words of _STATE_WORDS; None when not known."""
    value = state.get("state")
    if entity.domain == "climate":
        mode = state.get("mode")
        return None if mode is None else ("off" if mode == "off" else "on")
    if entity.domain == "cover":
        position = state.get("position")
        if value in ("open", "closed", "opening", "closing", "stopped"):
            return str(value)
        if isinstance(position, int | float) and not isinstance(position, bool):
            return "closed" if position <= 0 else "open"
        return None
    if value is None:
        return None
    return _SPOKEN_STATE.get(str(value), str(value))


def looks_plural(name: str) -> bool:
    """ "blinds", "festoon lights": names that take "are" (not "glass", "Juniper's")."""
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "'s", "is"))


def _plural(word: V.DeviceWord | None) -> bool:
    return bool(word is not None and word.plural)


def _plural_kind(slots: dict[str, Any], entities: Sequence[Entity]) -> str:
    """ "lights" for "No lights are on."; the word said when there was one."""
    device = str(slots.get("device") or "")
    if device:
        word = V.DEVICE_WORDS.get(device)
        if word is not None and word.plural:
            return device
        return device if device.endswith("s") else f"{device}s"
    domains = {e.domain for e in entities}
    if len(domains) == 1:
        kind = KIND_OF_DOMAIN.get(next(iter(domains)), "device")
        return f"{kind}es" if kind.endswith(("s", "sh", "ch")) else f"{kind}s"
    return "devices"
