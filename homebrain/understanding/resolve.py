"""From what the words said (name, room, device word) to entity ids.

Kept apart from the matcher so that any recogniser (grammar or learned)
hands over plain slots and the rules about rooms, groups and ambiguity live
in one place. It never guesses: one match is a target, several are a
question back (unless the words asked for a group).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from homebrain.home import Entity, Home
from homebrain.understanding import vocabulary as V
from homebrain.understanding.intent import Intent
from homebrain.understanding.normalize import clean
from homebrain.understanding.tokenizer import words

# Problems a resolution can report instead of targets.
AMBIGUOUS = "ambiguous"  # several candidates, one was meant: ask which
NO_TARGET = "no_target"  # nothing named at all: ask what
NOT_FOUND = "not_found"  # named, but no such device (in that room)
INCOMPATIBLE = "incompatible"  # the device cannot do that

_ALL_VALUE = ("light", "fan", "cover", "media_player", "climate")

INTENT_DOMAINS: dict[str, tuple[str, ...]] = {
    "turn_on": ("light", "switch", "fan", "media_player", "climate", "cover", "scene"),
    "turn_off": ("light", "switch", "fan", "media_player", "climate", "cover"),
    "set_brightness": ("light",),
    "set_color": ("light",),
    "set_color_temp": ("light",),
    "set_temperature": ("climate",),
    "set_mode": ("climate",),
    "open": ("cover", "lock"),
    "close": ("cover", "lock"),
    "stop": ("cover", "media_player", "fan", "switch"),
    "set_position": ("cover",),
    "set_percentage": ("fan",),
    "lock": ("lock",),
    "unlock": ("lock",),
    "play": ("media_player",),
    "pause": ("media_player",),
    "set_volume": ("media_player",),
    "activate_scene": ("scene",),
    "increase": _ALL_VALUE,
    "decrease": _ALL_VALUE,
}


# A number with no attribute word ("set the fan to 50", "set it to 50") means the
# device's main value; which one follows from the device, not from the words.
VALUE_INTENTS: dict[str, str] = {
    "light": "set_brightness",
    "fan": "set_percentage",
    "cover": "set_position",
    "media_player": "set_volume",
    "climate": "set_temperature",
}

# "warmer", "louder": the kind of device a relative change's attribute belongs to.
ATTRIBUTE_DOMAINS: dict[str, str] = {intent: domain for domain, intent in VALUE_INTENTS.items()}

# Generic intents that need a device word or a name before a question makes sense.
_GENERIC = frozenset({"turn_on", "turn_off", "open", "close", "stop"})

# A scene is a choice of its own: one that happens to be in the room is no guess to act on
# ("can dogs eat grapes" misheard as a scene request must not start one), so only a name
# chooses it.
_NAMED_ONLY = frozenset({"activate_scene"})

# "turn everything off" means things with a power switch, not the heating, the blinds
# or a scene; those need their own word.
_EVERYTHING: dict[str, tuple[str, ...]] = {
    "turn_on": ("light", "switch", "fan", "media_player"),
    "turn_off": ("light", "switch", "fan", "media_player"),
}

KIND_OF_DOMAIN: dict[str, str] = {
    "light": "light",
    "switch": "switch",
    "fan": "fan",
    "cover": "cover",
    "climate": "thermostat",
    "lock": "lock",
    "media_player": "player",
    "scene": "scene",
}


@dataclass
class Resolution:
    """Targets, or the problem and the candidates to ask about."""

    targets: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    problem: str | None = None
    kind: str = "device"  # what the user called it, for the question back
    room: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.targets)


def allowed_domains(intent: Intent) -> tuple[str, ...]:
    """Domains that can carry out ``intent``; value intents without an attribute word are open."""
    if intent.name in ("increase", "decrease"):
        domain = ATTRIBUTE_DOMAINS.get(str(intent.slots.get("attribute")))
        if domain is None and intent.slots.get("unit") in ("°C", "°F"):
            domain = "climate"  # "another two degrees"
        if domain == "climate" and "unit" not in intent.slots and _named(intent):
            # "make the paper lantern a little warmer": a light named is warmed in colour
            return ("climate", "light")
        return (domain,) if domain else _ALL_VALUE
    if intent.name in VALUE_INTENTS.values() and "attribute" not in intent.slots:
        unit = intent.slots.get("unit")
        if unit in ("°C", "°F"):
            return ("climate",)
        return _ALL_VALUE
    return INTENT_DOMAINS.get(intent.name, ())


def _named(intent: Intent) -> bool:
    return bool(intent.slots.get("name") or intent.slots.get("names"))


class Resolver:
    """Resolve slots against one home.

    ``prefer_primary``: when a room has several candidates and exactly one is
    named after the room and the device word ("Kitchen light" for "the light"
    in the kitchen), that one is the room's light and is taken without asking
    (DESIGN.md's evaluation example relies on it). With it off, or when no
    candidate is named so, the dialogue asks which.
    """

    def __init__(self, home: Home, prefer_primary: bool = True) -> None:
        self.home = home
        self.prefer_primary = prefer_primary
        self._by_name: dict[str, list[str]] = {}
        for entity in home.entities.values():
            for name in entity.names:
                key = clean(name)
                ids = self._by_name.setdefault(key, [])
                if entity.entity_id not in ids:
                    ids.append(entity.entity_id)

    def named(self, name: str) -> list[str]:
        """Entity ids whose name or alias is ``name``."""
        return list(self._by_name.get(clean(name), []))

    def resolve(
        self,
        intent: Intent,
        site_room: str | None = None,
        pointing_at: str | None = None,
        referents: Sequence[str] = (),
    ) -> Resolution:
        slots = intent.slots
        allowed = allowed_domains(intent)
        names = slots.get("names") or ([slots["name"]] if slots.get("name") else [])
        rooms = slots.get("rooms") or ([slots["room"]] if slots.get("room") else [])
        group = bool(slots.get("plural") or slots.get("all"))
        if _says_here(slots) and site_room and not rooms and not names:
            rooms = [site_room]  # "in here": the room that heard it, not a referent
        unknown_room = str(slots.get("unknown_room") or "")
        if unknown_room and not rooms and not names and not slots.get("ref"):
            # a room said that this home does not have: never the site's room instead
            kind = str(slots.get("device") or "device")
            return Resolution(problem=NOT_FOUND, kind=kind, room=unknown_room)
        pointed = self._pointed_kind(slots, rooms, names, allowed, pointing_at, referents)
        if names:
            found = self._by_names(names, rooms, group, allowed, site_room, slots)
        elif pointed is not None:
            found = pointed
        elif slots.get("ref") and not slots.get("domain") and not rooms:
            found = self._by_reference(allowed, pointing_at, referents)
        elif (_both_of_them(intent, rooms) or _unaimed_change(intent, rooms)) and any(
            r in self.home.entities and self.home.entities[r].domain in allowed for r in referents
        ):
            # "a bit brighter" right after "turn on the lamp": still the lamp (but "a touch
            # warmer" after it is the room's heating); "bit less on both of them" right after
            # two lamps: those two, not every device
            found = self._by_reference(allowed, pointing_at, referents)
        else:
            found = self._by_words(intent, rooms, group, allowed, site_room)
        return self._without_exceptions(found, slots)

    def _pointed_kind(
        self,
        slots: dict[str, object],
        rooms: list[str],
        names: list[str],
        allowed: tuple[str, ...],
        pointing_at: str | None,
        referents: Sequence[str],
    ) -> Resolution | None:
        """ "that lamp" while pointing at one: the device pointed at (or just talked about).

        A demonstrative with a device word means one particular device of that
        kind, so the camera's pointing target, else the last referent, wins
        over asking which lamp of the room, but only when it is that kind of
        device; otherwise the words are resolved as usual (None).
        """
        ref = str(slots.get("ref") or "")
        word = V.DEVICE_WORDS.get(str(slots.get("device") or ""))
        if ref not in _DEMONSTRATIVES or word is None or rooms or names:
            return None
        ids = [pointing_at] if pointing_at in self.home.entities else list(referents)
        fitting = [
            i
            for i in ids
            if i in self.home.entities
            and word.fits(self.home.entities[i].domain, self.home.entities[i].device_class)
            and self.home.entities[i].domain in allowed
        ]
        if not fitting or (len(fitting) > 1 and not word.plural):
            return None
        return Resolution(targets=fitting)

    def _without_exceptions(self, found: Resolution, slots: dict[str, object]) -> Resolution:
        """ "all the lights except the lamp": what was named after "except" is left out."""
        left_out: set[str] = set()
        for name in _strings(slots.get("except_names")):
            left_out.update(self.named(name))
        rooms = set(_strings(slots.get("except_rooms")))
        left_out.update(e.entity_id for e in self.home.entities.values() if e.room in rooms)
        if not left_out or not found.ok:
            return found
        targets = [t for t in found.targets if t not in left_out]
        if not targets:
            return Resolution(problem=NOT_FOUND, kind=found.kind, room=found.room)
        return Resolution(targets=targets, room=found.room)

    # -- the three ways a target is said ----------------------------------------------------

    def _by_names(
        self,
        names: list[str],
        rooms: list[str],
        group: bool,
        allowed: tuple[str, ...],
        site_room: str | None,
        slots: dict[str, object],
    ) -> Resolution:
        targets: list[str] = []
        for name in names:
            ids = self.named(name)
            if not ids:
                continue
            if len(ids) > 1 and rooms:
                ids = [i for i in ids if self._room(i) in rooms] or ids
            if len(ids) > 1 and not group and site_room:
                ids = [i for i in ids if self._room(i) == site_room] or ids
            if len(ids) > 1 and not group:
                picked = _pick(ids, slots.get("ordinal"))
                if picked is None:
                    return Resolution(candidates=ids, problem=AMBIGUOUS, kind=name)
                ids = [picked]
            targets.extend(i for i in ids if i not in targets)
        if not targets:
            return Resolution(problem=NOT_FOUND, kind=names[0])
        fitting = [t for t in targets if t.split(".", 1)[0] in allowed]
        if not fitting:
            return Resolution(targets=targets, problem=INCOMPATIBLE, kind=names[0])
        return Resolution(targets=fitting)

    def _by_reference(
        self, allowed: tuple[str, ...], pointing_at: str | None, referents: Sequence[str]
    ) -> Resolution:
        """ "turn that on": what the camera saw pointed at, else the last thing talked about."""
        ids = [pointing_at] if pointing_at in self.home.entities else list(referents)
        ids = [i for i in ids if i in self.home.entities]
        if not ids:
            return Resolution(problem=NO_TARGET)
        fitting = [i for i in ids if i.split(".", 1)[0] in allowed]
        if not fitting:
            return Resolution(targets=ids, problem=INCOMPATIBLE)
        return Resolution(targets=fitting)

    def _by_words(
        self,
        intent: Intent,
        rooms: list[str],
        group: bool,
        allowed: tuple[str, ...],
        site_room: str | None,
    ) -> Resolution:
        slots = intent.slots
        device = str(slots.get("device") or "")
        word = V.DEVICE_WORDS.get(device)
        kind = device.removesuffix("s") if word and word.plural and device.endswith("s") else device
        if word is not None and word.only_classes & {"speaker"}:
            kind = "speaker"
        if word is not None:
            pool = [e for e in self.home.entities.values() if word.fits(e.domain, e.device_class)]
            if pool and not any(e.domain in allowed for e in pool):
                return Resolution(
                    targets=[e.entity_id for e in pool][:1], problem=INCOMPATIBLE, kind=kind
                )
            pool = [e for e in pool if e.domain in allowed]
        else:
            if slots.get("mode") and "climate" in allowed:
                # "get some cooling going in the parlour": a heating mode is said of climate
                allowed = ("climate",)
            else:
                allowed = _EVERYTHING.get(intent.name, allowed)
            pool = [e for e in self.home.entities.values() if e.domain in allowed]
            # "twenty one in the parlour" said as a temperature: with no device word, the
            # intent's own kind of device is meant, not every device that takes a number
            own = [e for e in pool if e.domain in INTENT_DOMAINS.get(intent.name, ())]
            if own and intent.name in VALUE_INTENTS.values():
                pool = own
            domains = {e.domain for e in pool}
            kind = KIND_OF_DOMAIN[next(iter(domains))] if len(domains) == 1 else "device"
        if word is None and intent.name in _NAMED_ONLY:
            # "Granny, come and sit in the orangery" heard as a scene: a room is no name
            return Resolution(problem=NO_TARGET, kind=kind)
        if rooms:
            local = [e for e in pool if e.room in rooms]
            if not local:
                return Resolution(problem=NOT_FOUND, kind=kind, room=rooms[0])
            return self._choose(local, group, kind, slots.get("ordinal"), rooms[0])
        if slots.get("whole_home") or slots.get("all"):
            if not pool:
                return Resolution(problem=NOT_FOUND, kind=kind)
            return Resolution(targets=[e.entity_id for e in pool])
        if not pool:
            return Resolution(problem=NOT_FOUND, kind=kind)
        if word is None and intent.name in _GENERIC | _NAMED_ONLY:
            return Resolution(problem=NO_TARGET, kind=kind)
        if site_room:
            local = [e for e in pool if e.room == site_room]
            if local:
                return self._choose(local, group, kind, slots.get("ordinal"), site_room)
            # "the lights" where none are here: which ones is a question, not all of them
            return self._choose(pool, False, kind, slots.get("ordinal"), None)
        return self._choose(pool, group, kind, slots.get("ordinal"), None)

    def _choose(
        self, pool: list[Entity], group: bool, kind: str, rank: object, room: str | None
    ) -> Resolution:
        ids = [e.entity_id for e in pool]
        if group or len(ids) == 1:
            return Resolution(targets=ids, room=room)
        picked = _pick(ids, rank)
        if picked is None and room is not None:
            picked = self.primary(ids, room, kind)
        if picked is not None:
            return Resolution(targets=[picked], room=room)
        return Resolution(candidates=ids, problem=AMBIGUOUS, kind=kind, room=room)

    def primary(self, candidates: Sequence[str], room_id: str, kind: str) -> str | None:
        """The one candidate named "<room> <kind>" ("Kitchen light"), if preferred and unique."""
        room = self.home.rooms.get(room_id)
        if not self.prefer_primary or room is None or not kind:
            return None
        wanted = {f"{clean(n)} {clean(kind)}" for n in (*room.names, room.id.replace("_", " "))}
        hits = [
            c
            for c in candidates
            if c in self.home.entities
            and {clean(n) for n in self.home.entities[c].names} & wanted
            and self.home.entities[c].room == room_id
        ]
        return hits[0] if len(hits) == 1 else None

    def _room(self, entity_id: str) -> str | None:
        entity = self.home.entities.get(entity_id)
        return entity.room if entity else None


_DEMONSTRATIVES = frozenset({"that", "this", "those", "these"})

_HERE = frozenset({"here", "in here", "out here", "up here", "down here", "this room"})


def _both_of_them(intent: Intent, rooms: list[str]) -> bool:
    """ "both", "all of them": a scope said of things talked about, not "all off"."""
    slots = intent.slots
    if not slots.get("all") or rooms or slots.get("device") or slots.get("whole_home"):
        return False
    return bool(set(words(intent.text or "")) & _THOSE_TALKED_ABOUT)


_THOSE_TALKED_ABOUT = frozenset({"both", "them", "those", "these"})


def _unaimed_change(intent: Intent, rooms: list[str]) -> bool:
    """A change that names nothing at all ("louder", "a touch warmer", "half brightness"):
    right after a command, it is for what that command moved."""
    slots = intent.slots
    return (
        intent.name in _UNAIMED_CHANGES
        and not rooms
        and not slots.get("device")
        and not slots.get("all")
        and not slots.get("whole_home")
    )


_UNAIMED_CHANGES = frozenset(
    {"increase", "decrease", "set_color", "set_color_temp", *VALUE_INTENTS.values()}
)


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def _says_here(slots: dict[str, object]) -> bool:
    return str(slots.get("ref") or "") in _HERE


def _pick(ids: list[str], rank: object) -> str | None:
    """ "the second one": a 1-based position (-1 = last) among the candidates."""
    if not isinstance(rank, int) or not ids:
        return None
    index = rank - 1 if rank > 0 else len(ids) + rank
    return ids[index] if 0 <= index < len(ids) else None
