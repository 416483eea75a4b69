"""The training corpus: labelled examples generated from templates and name pools.

``generate_corpus`` expands the built-in English template families
(``templates.py``) with names drawn from large pools (``names.py``) plus the
home's own rooms, devices and aliases, and the user's custom intents. Every
example carries the tokens (``tokenizer.words``), one BIO tag per token, the
intent, the dialogue context and the vision input the model will see.

Tagging conventions (the span filler downstream relies on them):

* ``device``: a name ("desk lamp", "sonos") or a device word ("the lights");
  "<room> <device word>" is ``room`` + ``device`` ("kitchen" / "light"), also
  for a home's own names that start with one of its rooms ("Kitchen light");
* ``value``: numbers in digits or words, "half", "halfway", "full", "low"...;
  ordinals ("the first one") stay ``O``;
* ``unit``: "%", "percent", "degrees", "°C", "kelvin";
* ``color``: colour names and colour-temperature words ("cool white", "warm");
* ``attribute``: "brightness", "temperature", "volume", "speed", "colour",
  "position", and the words of a relative change ("brighter", "louder",
  "too cold"); ``templates.RELATIVE_ATTRIBUTES`` says which attribute each means;
* ``anaphor``: "it", "them", and "that", "those", "that one" when nobody points;
* ``deixis``: "this", "these", "here", and "that"/"those" while the camera
  sees a pointing gesture (``gesture_pointing`` in the vision input);
* ``scope``: "all", "every", "everything", "both", "each", "everywhere",
  "whole house", "except", "apart from", "but", "other than";
* ``custom_<slot>``: a custom intent's slot;
* out-of-domain sentences are all ``O``, whatever device words they contain;
  so is the weather "it" of "make it 21 degrees in here".
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from homebrain.config.schema import HomebrainConfig
from homebrain.domains import COLOR_NAMES
from homebrain.home import Home
from homebrain.training import names as N
from homebrain.training import templates as T
from homebrain.training.examples import Example
from homebrain.understanding.labels import GESTURE_ANSWERS, INTENTS, SLOT_TYPES
from homebrain.understanding.resolve import INTENT_DOMAINS
from homebrain.understanding.tokenizer import words

Chunk = tuple[str, str | None]  # (text, slot type or None)

MAX_TOKENS = 30
OOD_SHARE = 0.12  # at least 10% of the corpus is out of domain
CONFIG_NAME_SHARE = 0.35  # how often a name is drawn from the home's own config
MADE_UP_SHARE = 0.14  # how often a device name is a made-up word ("zorvel lamp")
CONTEXT_NOISE = 0.3  # commands heard while a question is pending, or after another command
CAMERA_SHARE = 0.35  # examples with a camera (people, zones, idle gestures)
ASR_DAMAGE = 0.12
OUT_OF_DOMAIN = "out_of_domain"

_NO_ARTICLE_ROOMS = frozenset({"upstairs", "downstairs"})
_FLOOR_ROOMS = frozenset({"first floor", "ground floor", "second floor", "top floor"})
_EVERYTHING_INTENTS = frozenset({"turn_on", "turn_off", "lock", "close"})
_RELATIVE_DOMAINS = ("light", "climate", "media_player", "fan")
_GESTURES = tuple(GESTURE_ANSWERS)
_GESTURE_INTENT = GESTURE_ANSWERS
_INTENT_GESTURE = {v: k for k, v in _GESTURE_INTENT.items()}
_NEUTRAL_WORDS: tuple[tuple[Chunk, ...], ...] = (
    (("this", "deixis"),),
    (("this one", "deixis"),),
    (("that one", "anaphor"),),
    (("that", "anaphor"),),
    (("uh", None),),
    (("um", None),),
    (("hmm", None),),
    (("mm", None),),
    (("well", None),),
    (("er", None),),
)
_VALUE_SLOTS: dict[str, tuple[str, str, str]] = {
    # pending slot → (intent asking, domain, placeholder giving the value)
    "temperature": ("set_temperature", "climate", "temp"),
    "brightness": ("set_brightness", "light", "pct"),
    "position": ("set_position", "cover", "pos"),
    "percentage": ("set_percentage", "fan", "speed"),
    "volume": ("set_volume", "media_player", "vol"),
    "color": ("set_color", "light", "color"),
    "color_temp": ("set_color_temp", "light", "ctk"),
    "mode": ("set_mode", "climate", "mode"),
}
_NUMERIC_ONLY_ANSWERS = frozenset(
    {"to {v}", "about {v}", "around {v}", "put it on {v}", "put it at {v}", "{v} i think"}
)
_COMMAND_INTENTS: tuple[str, ...] = (*INTENT_DOMAINS, "increase", "decrease")
_CONFIRM_INTENTS: tuple[tuple[str, float], ...] = (
    ("unlock", 4.0),
    ("lock", 2.0),
    ("open", 2.5),
    ("close", 1.0),
    ("turn_on", 0.4),
    ("turn_off", 0.4),
    ("activate_scene", 0.2),
)
_DOMAINS_OF: dict[str, tuple[str, ...]] = {
    **INTENT_DOMAINS,
    "increase": _RELATIVE_DOMAINS,
    "decrease": _RELATIVE_DOMAINS,
    "query": ("light", "climate", "cover", "lock", "media_player", "fan", "switch"),
}
_NOT_FOR_INTENT: dict[str, frozenset[str]] = {"play": frozenset({"music"})}


class Skip(Exception):
    """This draw of a template cannot be filled (e.g. no comparative for the domain)."""


# ---------------------------------------------------------------------------
# custom intents


@dataclass(frozen=True)
class CustomIntent:
    """A config's custom intent as the corpus needs it: templates and spoken slot values."""

    name: str
    templates: tuple[str, ...]
    slots: dict[str, tuple[str, ...]]

    @property
    def slot_types(self) -> tuple[str, ...]:
        return tuple(f"custom_{slot}" for slot in self.slots)


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def custom_intent(obj: Any) -> CustomIntent:
    """A ``CustomIntent`` from a dict or config object (``name``, ``templates``, ``slots``)."""
    if isinstance(obj, CustomIntent):
        return obj
    name = _get(obj, "name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"custom intent name must be a lower-case identifier, got {name!r}")
    if name in INTENTS:
        raise ValueError(f"custom intent {name!r} has the name of a built-in intent")
    raw_templates = _get(obj, "templates") or []
    if isinstance(raw_templates, str):
        raw_templates = [raw_templates]
    templates = tuple(str(t) for t in raw_templates)
    if not templates:
        raise ValueError(f"custom intent {name!r} has no templates")
    slots: dict[str, tuple[str, ...]] = {}
    for slot, values in (_get(obj, "slots") or {}).items():
        if isinstance(values, Mapping):
            spoken = tuple(str(k) for k in values)
        elif isinstance(values, str):
            spoken = (values,)
        else:
            spoken = tuple(str(v) for v in values)
        spoken = tuple(s for s in spoken if words(s))
        if not spoken:
            raise ValueError(f"custom intent {name!r}: slot {slot!r} has no spoken values")
        slots[str(slot)] = spoken
    for template in templates:
        for item in _placeholders(T.parse(template)):
            if item not in slots and item not in _CUSTOM_BUILTINS:
                raise ValueError(
                    f"custom intent {name!r}: template {template!r} uses {{{item}}}, "
                    f"which is not one of its slots ({', '.join(slots) or 'none'})"
                )
    return CustomIntent(name, templates, slots)


_CUSTOM_BUILTINS = frozenset({"room", "roomnp", "inroom", "pct", "temp", "color", "name", "t"})


def _placeholders(node: T.Seq | T.Alt | T.Lit | T.Ph | T.Span) -> list[str]:
    if isinstance(node, T.Ph):
        return [node.name]
    if isinstance(node, T.Seq):
        return [p for item in node.items for p in _placeholders(item)]
    if isinstance(node, T.Alt):
        return [p for option in node.options for p in _placeholders(option)]
    if isinstance(node, T.Span):
        return _placeholders(node.body)
    return []


def _customs(custom_intents: Iterable[Any] | None) -> list[CustomIntent]:
    found: list[CustomIntent] = []
    for obj in custom_intents or []:
        spec = custom_intent(obj)
        if any(c.name == spec.name for c in found):
            raise ValueError(f"custom intent {spec.name!r} is defined twice")
        found.append(spec)
    return found


def slot_types_for(custom_intents: Iterable[Any] | None = None) -> tuple[str, ...]:
    """SLOT_TYPES plus ``custom_<slot>`` for every custom intent's slots (first seen order)."""
    extra: list[str] = []
    for spec in _customs(custom_intents):
        extra.extend(s for s in spec.slot_types if s not in extra and s not in SLOT_TYPES)
    return (*SLOT_TYPES, *extra)


def intents_for(custom_intents: Iterable[Any] | None = None) -> tuple[str, ...]:
    """INTENTS plus the custom intents' names."""
    return (*INTENTS, *(spec.name for spec in _customs(custom_intents)))


# ---------------------------------------------------------------------------
# name pools (with a home's own names on top)


def _norm(text: str) -> str:
    return " ".join(words(text))


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class Pools:
    """Rooms and device names to draw from; a home's names are drawn more often."""

    def __init__(self, home: Home | None = None) -> None:
        self.config_rooms: list[str] = []
        self.config_names: dict[str, list[list[Chunk]]] = {}
        rooms = set(N.ROOMS)
        if home is not None:
            for room in home.rooms.values():
                for text in (*room.names, room.id.replace("_", " ")):
                    name = _norm(text)
                    if name and name not in self.config_rooms:
                        self.config_rooms.append(name)
            rooms.update(self.config_rooms)
            for entity in home.entities.values():
                for text in entity.names:
                    name = _norm(text)
                    if not name:
                        continue
                    chunks = self._config_name(name, entity.domain)
                    found = self.config_names.setdefault(entity.domain, [])
                    if chunks not in found:
                        found.append(chunks)
        self.rooms_article = tuple(
            r for r in N.ROOMS if r not in _NO_ARTICLE_ROOMS and r not in _FLOOR_ROOMS
        )
        self.config_article = tuple(r for r in self.config_rooms if not _possessive(r))
        # built-in names that start with a config room would break the room + device rule
        self.device_names = {
            domain: tuple(
                n
                for n in pool
                if n in N.COMPOUND_DEVICE_WORDS or N.starts_with_room(n, rooms) is None
            )
            for domain, pool in N.DEVICE_NAMES.items()
        }

    def _config_name(self, name: str, domain: str) -> list[Chunk]:
        if domain == "scene" or name in N.COMPOUND_DEVICE_WORDS:
            return [(name, "device")]
        room = N.starts_with_room(name, self.config_rooms)
        if room is None:
            return [(name, "device")]
        return [(room, "room"), (name[len(room) :].strip(), "device")]

    # -- rooms ------------------------------------------------------------------------

    def room_word(self, rng: random.Random, article_only: bool = False) -> str:
        if self.config_rooms and rng.random() < CONFIG_NAME_SHARE:
            pool = self.config_article if article_only else tuple(self.config_rooms)
            if pool:
                return rng.choice(pool)
        r = rng.random()
        if r < 0.08 and not article_only:
            kind = rng.choice(("room", "room", "bedroom", "office", "playroom", "den", "study"))
            return f"{N.possessive(rng.choice(N.PEOPLE))} {kind}"
        if r < 0.12:
            return f"{N.pseudo_word(rng)} {rng.choice(('room', 'suite', 'wing', 'lounge'))}"
        return rng.choice(self.rooms_article if article_only else N.ROOMS)

    def room(self, rng: random.Random) -> list[Chunk]:
        """A room said after "the"."""
        return [(self.room_word(rng, article_only=True), "room")]

    def room_np(self, rng: random.Random) -> list[Chunk]:
        """A room as a noun phrase: "the kitchen", "Emma's room", "upstairs"."""
        room = self.room_word(rng)
        if _possessive(room) or room in _NO_ARTICLE_ROOMS:
            return [(room, "room")]
        return [("the", None), (room, "room")]

    def in_room(self, rng: random.Random) -> list[Chunk]:
        """Where: "in the kitchen", "in Emma's room", "upstairs", "on the top floor", "in here"."""
        r = rng.random()
        if r < 0.06:
            return [("in", None), ("here", "deixis")]
        if r < 0.08:
            return [("here", "deixis")]
        if r < 0.11:
            return self.floor(rng)
        room = self.room_word(rng)
        if room in _NO_ARTICLE_ROOMS:
            return [(room, "room")]
        if room in _FLOOR_ROOMS:
            return [("on the", None), (room, "room")]
        if _possessive(room):
            return [("in", None), (room, "room")]
        return [(rng.choice(("in the", "in the", "in the", "in the", "in")), None), (room, "room")]

    @staticmethod
    def floor(rng: random.Random) -> list[Chunk]:
        """ "upstairs", "downstairs", "on the first floor", "in the basement"."""
        floor = rng.choice(N.FLOORS)
        if floor in _NO_ARTICLE_ROOMS:
            return [(floor, "room")]
        return [("in the" if floor == "basement" else "on the", None), (floor, "room")]

    # -- devices ----------------------------------------------------------------------

    def name(
        self, rng: random.Random, domain: str, avoid: frozenset[str] = frozenset()
    ) -> list[Chunk]:
        config = self.config_names.get(domain)
        if config and rng.random() < CONFIG_NAME_SHARE:
            return list(rng.choice(config))
        if rng.random() < MADE_UP_SHARE:
            return [(self._made_up(rng, domain), "device")]
        for _ in range(5):
            name = rng.choice(self.device_names[domain])
            if name not in avoid:
                return [(name, "device")]
        raise Skip("no name")

    def _made_up(self, rng: random.Random, domain: str) -> str:
        """A name no pool has: "zorvel", "brinta lamp", "Emma's lamp"."""
        word = N.pseudo_word(rng)
        if domain == "scene":
            suffix = rng.choice(("", " time", " night", " mode", " vibes", " evening"))
            return f"{word}{suffix}"
        bare = self.bare(rng, domain, rng.random() < 0.2)
        form = rng.random()
        if form < 0.35:
            return word
        if form < 0.75:
            return f"{word} {bare}"
        person = N.possessive(rng.choice(N.PEOPLE))
        if form < 0.9:
            return f"{person} {bare}"
        return f"{person} {rng.choice(self.device_names[domain])}"

    @staticmethod
    def bare(rng: random.Random, domain: str, plural: bool = False) -> str:
        singular, plural_word = rng.choice(N.BARE_WORDS[domain])
        return plural_word if plural else singular


def _possessive(room: str) -> bool:
    return "'s " in room or "' " in room


# ---------------------------------------------------------------------------
# a draft: chunks before politeness, damage and tokenisation


@dataclass
class Draft:
    chunks: list[Chunk]
    intent: str
    source: str
    context: dict[str, str] = field(default_factory=dict)
    vision: dict[str, float] = field(default_factory=dict)
    polite: str = "command"  # "command" | "answer" | "none": which politeness may wrap it
    noise: bool = True  # may get a camera / context it does not depend on
    fine_vision: bool = False  # vision decides the label: keep it in the dedup key


def _ctx(kind: str, slot: str, domain: str, intent: str) -> dict[str, str]:
    return {
        "pending_kind": kind,
        "pending_slot": slot,
        "last_domain": domain,
        "last_intent": intent,
    }


def _domain_of(rng: random.Random, intent: str) -> str:
    domains = _DOMAINS_OF.get(intent)
    return rng.choice(domains) if domains else "none"


def _referent_domain(rng: random.Random, likely: str) -> str:
    """The domain of the last thing acted on: often the one talked about, sometimes none."""
    r = rng.random()
    if r < 0.5:
        return likely
    if r < 0.8:
        return "none"
    return rng.choice(tuple(N.DEVICE_NAMES))


def after_command(
    rng: random.Random, intent: str | None = None, domain: str | None = None
) -> dict[str, str]:
    intent = intent or rng.choice(_COMMAND_INTENTS)
    domain = domain or _domain_of(rng, intent)
    return _ctx("none", "none", domain, intent)


def pending_value(rng: random.Random, slot: str | None = None) -> dict[str, str]:
    slot = slot or rng.choice(tuple(_VALUE_SLOTS))
    intent, domain, _ = _VALUE_SLOTS[slot]
    return _ctx("value", slot, _referent_domain(rng, domain), intent)


def pending_which(
    rng: random.Random, intent: str | None = None, domain: str | None = None
) -> dict[str, str]:
    intent = intent or rng.choice(_COMMAND_INTENTS)
    domain = domain or _domain_of(rng, intent)
    slot = "target" if rng.random() < 0.9 else "none"
    return _ctx("which", slot, _referent_domain(rng, domain), intent)


def pending_confirm(rng: random.Random, intent: str | None = None) -> dict[str, str]:
    intent = intent or _weighted(rng, _CONFIRM_INTENTS)
    return _ctx("confirm", "none", _referent_domain(rng, _domain_of(rng, intent)), intent)


def noise_context(rng: random.Random, confirm: bool = True, value: bool = True) -> dict[str, str]:
    """A context a fresh command may be heard in (it replaces any pending question)."""
    if rng.random() >= CONTEXT_NOISE:
        return {}
    r = rng.random()
    if r < 0.45 or (r < 0.65 and not value) or (r >= 0.85 and not confirm):
        return after_command(rng)
    if r < 0.65:
        return pending_value(rng)
    if r < 0.85:
        return pending_which(rng)
    return pending_confirm(rng)


def camera(
    rng: random.Random, gesture: str | None = None, strength: float | None = None
) -> dict[str, float]:
    """What the scene stage reports with a camera: people, zones, and one gesture (or none)."""
    vision: dict[str, float] = {
        "people_count": rng.choice((0.25, 0.25, 0.25, 0.5, 0.5, 0.75, 1.0)),
        "speaker_seen": 1.0 if rng.random() < 0.8 else 0.0,
    }
    for zone in range(4):
        if rng.random() < 0.3:
            vision[f"zone_{zone}"] = 1.0
    if gesture is None:
        if rng.random() < 0.7:
            vision["gesture_none"] = round(rng.uniform(0.6, 1.0), 2)
        return vision
    s = round(strength if strength is not None else rng.uniform(0.6, 1.0), 2)
    vision[f"gesture_{gesture}"] = s
    if rng.random() < 0.6:
        vision["gesture_none"] = round(max(0.0, 1.0 - s) * rng.uniform(0.3, 1.0), 2)
    if gesture == "pointing":
        vision["speaker_seen"] = 1.0
    return {k: v for k, v in vision.items() if v}


def pointing(rng: random.Random) -> dict[str, float]:
    vision = camera(rng, "pointing")
    if rng.random() < 0.8:
        vision["pointing_target"] = 1.0
        vision["pointing_confidence"] = round(rng.uniform(0.5, 1.0), 2)
    elif rng.random() < 0.5:
        vision["pointing_confidence"] = round(rng.uniform(0.1, 0.5), 2)
    return vision


# ---------------------------------------------------------------------------
# filling templates


class Gen:
    """Fills one template at a time; ``domain``/``intent`` say what the placeholders are about."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng = rng
        self.pools = pools
        self.domain = "light"
        self.intent = "turn_on"
        self.pointing = False
        self.last_intent = "none"
        self.group = False
        self.custom: CustomIntent | None = None

    def expand(
        self, template: str, domain: str, intent: str, *, point: bool = False
    ) -> list[Chunk]:
        self.domain, self.intent, self.pointing, self.group = domain, intent, point, False
        out: list[Chunk] = []
        self._node(T.parse(template), out)
        return out

    def _node(self, node: T.Seq | T.Alt | T.Lit | T.Ph | T.Span, out: list[Chunk]) -> None:
        if isinstance(node, T.Lit):
            out.append((node.text, None))
        elif isinstance(node, T.Seq):
            for item in node.items:
                self._node(item, out)
        elif isinstance(node, T.Alt):
            self._node(self.rng.choice(node.options), out)
        elif isinstance(node, T.Span):
            inner: list[Chunk] = []
            self._node(node.body, inner)
            out.append(("".join(text for text, _ in inner), node.slot))
        else:
            out.extend(self.fill(node.name, node.arg))

    # -- placeholders -----------------------------------------------------------------

    def fill(self, name: str, arg: str = "") -> list[Chunk]:
        rng, domain = self.rng, arg or self.domain
        if self.custom is not None and name in self.custom.slots:
            return [(rng.choice(self.custom.slots[name]), f"custom_{name}")]
        if name == "t":
            return self.target(domain)
        if name == "tb":
            return self.bare_np(domain)
        if name == "tg":
            self.group = True
            return self.group_np(domain)
        if name == "ta":
            return self.anaphor(self.domain, one=arg == "one")
        if name == "name":
            return self.pools.name(rng, domain, _NOT_FOR_INTENT.get(self.intent, frozenset()))
        if name == "bare":
            return [(self.pools.bare(rng, domain), "device")]
        if name == "bares":
            return [(self.pools.bare(rng, domain, True), "device")]
        if name == "room":
            return self.pools.room(rng)
        if name == "roomnp":
            return self.pools.room_np(rng)
        if name == "inroom":
            return self.pools.in_room(rng)
        if name == "scene":
            return self.pools.name(rng, "scene")
        if name == "tz":
            return _with_s(self.target(domain))
        if name == "roomz":
            return _with_s(self.pools.room_np(rng))
        if name == "poss":
            return [(N.possessive(rng.choice(N.PEOPLE)), "room")]
        if name == "whose":
            return [(N.possessive(rng.choice(N.PEOPLE)), None)]
        if name == "dn":
            return _delta_number(self)
        if name in _VALUE_FILLERS:
            return _VALUE_FILLERS[name](self)
        if name == "verb":
            verbs = T.CONFIRM_VERBS.get(self.last_intent)
            if not verbs:
                raise Skip("no verb")
            return [(rng.choice(verbs), None)]
        if name == "gibberish":
            return [(N.pseudo_word(rng), None)]
        if name == "n":
            n = rng.randint(1, 12) if rng.random() < 0.6 else rng.randint(13, 100)
            return [(str(n) if rng.random() < 0.5 else T.number_words(n), None)]
        if name in T.OOD_FILL:
            return [(rng.choice(T.OOD_FILL[name]), None)]
        raise T.TemplateError(f"unknown placeholder {{{name}}}")

    def _article(self) -> str:
        return _weighted(self.rng, (("the", 0.75), ("my", 0.06), ("our", 0.04), ("", 0.15)))

    def target(self, domain: str) -> list[Chunk]:
        """A target phrase: a name, a device word, with or without a room."""
        rng, pools = self.rng, self.pools
        if domain == "scene":
            return [("the", None), *pools.name(rng, "scene"), ("scene", None)]
        avoid = _NOT_FOR_INTENT.get(self.intent, frozenset())
        form = _weighted(rng, _TARGET_FORMS)
        plural = rng.random() < 0.3
        if form == "name":
            return [(self._article(), None), *pools.name(rng, domain, avoid)]
        if form == "labelled":
            # a house-sitter reading the sticker: "the one labelled bottle warmer"
            thing = rng.choice(("one", "thing", "device", "appliance", "switch", "plug", "unit"))
            said = rng.choice(("labelled", "called", "named", "marked", "that says"))
            return [("the", None), (f"{thing} {said}", None), *pools.name(rng, domain, avoid)]
        if form == "name_room":
            return [("the", None), *pools.name(rng, domain, avoid), *pools.in_room(rng)]
        if form == "room_name":
            name = pools.name(rng, domain, avoid)
            if len(name) > 1:
                raise Skip("name already has a room")
            return [("the", None), *pools.room(rng), *name]
        bare = pools.bare(rng, domain, plural)
        if bare in avoid:
            raise Skip("word not for this intent")
        if form == "bare":
            return [
                (rng.choice(("the", "the", "the", "my", "")) if plural else "the", None),
                (bare, "device"),
            ]
        if form == "room_bare":
            room = pools.room(rng)
            if f"{room[0][0]} {bare}" in N.COMPOUND_DEVICE_WORDS:
                raise Skip("compound device word")
            article = "the" if rng.random() < 0.85 else ""
            return [(article, None), *room, (bare, "device")]
        if form == "bare_room":
            return [("the", None), (bare, "device"), *pools.in_room(rng)]
        return [("the", None), (bare, "device"), ("in", None), ("here", "deixis")]

    def bare_np(self, domain: str) -> list[Chunk]:
        plural = self.rng.random() < 0.5
        article = self.rng.choice(("the", "the", "")) if plural else "the"
        return [(article, None), (self.pools.bare(self.rng, domain, plural), "device")]

    def group_np(self, domain: str) -> list[Chunk]:
        """ "all the lights", "every lamp in the den", "all lights except the kitchen"."""
        rng, pools = self.rng, self.pools
        bares: Chunk = (pools.bare(rng, domain, True), "device")
        bare: Chunk = (pools.bare(rng, domain), "device")
        everything = self.intent in _EVERYTHING_INTENTS
        form = rng.randrange(22 if everything else 17)
        all_the: list[Chunk] = [
            (rng.choice(("all", "all", "all of")), "scope"),
            (rng.choice(("the", "the", "")), None),
        ]
        if all_the[0][0] == "all of":
            all_the = [("all", "scope"), ("of the", None)]
        except_word: Chunk = (
            _weighted(
                rng, (("except", 4.0), ("apart from", 1.0), ("but", 1.0), ("other than", 0.5))
            ),
            "scope",
        )
        every: Chunk = ("every single" if rng.random() < 0.2 else "every", "scope")
        if form == 0:
            return [*all_the, bares]
        if form == 1:
            return [every, bare]
        if form == 2:
            return [*all_the, bares, *pools.in_room(rng)]
        if form == 3:
            return [every, bare, *pools.in_room(rng)]
        if form == 4:
            return [*all_the, *pools.room(rng), bares]
        if form == 5:
            return [*all_the, bares, except_word, ("the", None), *pools.room(rng), ("ones", None)]
        if form == 6:
            return [*all_the, bares, except_word, ("the", None), *pools.room(rng)]
        if form == 7:
            return [*all_the, bares, except_word, ("the", None), *pools.name(rng, domain)]
        if form == 8:
            return [("every", "scope"), bare, except_word, ("the", None), *pools.name(rng, domain)]
        if form == 9:
            return [*all_the, bares, except_word, *pools.in_room(rng)]
        if form == 10:
            return [*all_the, bares, ("", None), (rng.choice(N.FLOORS[:2]), "room")]
        if form == 11:
            if rng.random() < 0.6:
                return [("the", None), bares, ("everywhere", "scope")]
            return [("the", None), bares, ("in", None), ("every", "scope"), ("room", None)]
        if form == 12:
            whole = rng.choice(
                ("whole house", "whole house", "entire house", "whole flat", "whole home")
            )
            return [*all_the, bares, ("in the", None), (whole, "scope")]
        if form == 13:
            return [("both", "scope"), ("the", None), *pools.room(rng), bares]
        if form == 14:
            return [("the", None), *pools.room(rng), ("and", None), *pools.room(rng), bares]
        if form == 15:
            return [
                ("the", None),
                bares,
                ("in the", None),
                *pools.room(rng),
                ("and the", None),
                *pools.room(rng),
            ]
        if form == 16:
            return [("each", "scope"), bare, *pools.in_room(rng)]
        if form == 17:
            return [("everything", "scope")]
        if form == 18:
            return [("everything", "scope"), *pools.in_room(rng)]
        if form == 19:
            return [("everything", "scope"), *pools.floor(rng)]
        if form == 20:
            return [("everything", "scope"), except_word, ("the", None), bares]
        return [("everything", "scope"), except_word, *pools.in_room(rng)]

    def anaphor(self, domain: str, one: bool = False) -> list[Chunk]:
        """ "it", "them", "that", "this lamp"; "that" is deixis only while someone points."""
        rng = self.rng
        that = "deixis" if self.pointing else "anaphor"
        forms = _ONE_FORMS if one else (_POINT_FORMS if self.pointing else _ANAPHOR_FORMS)
        form = _weighted(rng, forms)
        if domain in ("scene", "any", "relative"):
            domain = "light"
        if form == "it":
            return [("it", "anaphor")]
        if form == "them":
            return [("them", "anaphor")]
        if form == "them all":
            return [("them", "anaphor"), ("all", "scope")]
        if form in ("that", "those", "that one", "those ones"):
            return [(form, that)]
        if form in ("this", "these", "this one", "these ones"):
            return [(form, "deixis")]
        if form == "that bare":
            return [("that", that), (self.pools.bare(rng, domain), "device")]
        if form == "those bares":
            return [("those", that), (self.pools.bare(rng, domain, True), "device")]
        if form == "this bare":
            return [("this", "deixis"), (self.pools.bare(rng, domain), "device")]
        return [("these", "deixis"), (self.pools.bare(rng, domain, True), "device")]


_TARGET_FORMS: tuple[tuple[str, float], ...] = (
    ("name", 32.0),
    ("bare", 16.0),
    ("room_bare", 20.0),
    ("bare_room", 12.0),
    ("name_room", 6.0),
    ("room_name", 5.0),
    ("bare_here", 2.0),
    ("labelled", 1.0),
)
_ANAPHOR_FORMS: tuple[tuple[str, float], ...] = (
    ("it", 30.0),
    ("them", 10.0),
    ("them all", 1.0),
    ("that", 10.0),
    ("those", 3.0),
    ("that one", 4.0),
    ("this", 5.0),
    ("this one", 2.0),
    ("these", 2.0),
    ("that bare", 4.0),
    ("this bare", 5.0),
    ("these bares", 1.5),
    ("those bares", 1.5),
)
_POINT_FORMS: tuple[tuple[str, float], ...] = (
    ("that", 20.0),
    ("this", 10.0),
    ("that one", 6.0),
    ("this one", 4.0),
    ("those", 3.0),
    ("these", 2.0),
    ("that bare", 8.0),
    ("this bare", 8.0),
    ("those bares", 2.0),
    ("these bares", 2.0),
    ("it", 3.0),
)
_ONE_FORMS: tuple[tuple[str, float], ...] = (
    ("that one", 10.0),
    ("this one", 6.0),
    ("that", 3.0),
    ("this", 3.0),
    ("those", 1.0),
    ("these", 1.0),
    ("those ones", 0.5),
    ("that bare", 3.0),
    ("this bare", 3.0),
)


# -- values -----------------------------------------------------------------------------


def _number(rng: random.Random, n: int) -> str:
    if rng.random() < 0.55:
        return str(n)
    if n == 100:
        return rng.choice(("a hundred", "one hundred", "hundred"))
    return T.number_words(n, hyphen=rng.random() < 0.15)


def _unit(rng: random.Random, units: Sequence[tuple[str, float]]) -> Chunk:
    return (_weighted(rng, units), "unit")


def _percent(gen: Gen, words_: Sequence[str], word_share: float, unit_share: float) -> list[Chunk]:
    rng = gen.rng
    if words_ and rng.random() < word_share:
        return [(rng.choice(words_), "value")]
    n = rng.randrange(0, 101, 5) if rng.random() < 0.7 else rng.randint(1, 100)
    out: list[Chunk] = [(_number(rng, n), "value")]
    if rng.random() < unit_share:
        out.append(_unit(rng, T.PERCENT_UNITS))
    return out


def _temperature(gen: Gen) -> list[Chunk]:
    rng = gen.rng
    if rng.random() < 0.04:
        f = rng.randint(60, 80)
        unit = rng.choice(("degrees fahrenheit", "fahrenheit", "°F", "degrees f"))
        return [(_number(rng, f), "value"), (unit, "unit")]
    n = rng.randint(16, 28) if rng.random() < 0.8 else rng.randint(5, 35)
    if rng.random() < 0.2 and n < 35:
        r = rng.random()
        if r < 0.5:
            text = f"{n}.5"
        elif r < 0.8:
            text = f"{T.number_words(n)} point five"
        else:
            text = f"{T.number_words(n)} and a half"
    else:
        text = _number(rng, n)
    out: list[Chunk] = [(text, "value")]
    if rng.random() < 0.6:
        out.append(_unit(rng, T.TEMPERATURE_UNITS))
    return out


def _volume(gen: Gen) -> list[Chunk]:
    rng = gen.rng
    if rng.random() < 0.05:
        return [(rng.choice(("max", "half", "maximum")), "value")]
    n = rng.randrange(0, 101, 5) if rng.random() < 0.6 else rng.randint(1, 100)
    out: list[Chunk] = [(_number(rng, n), "value")]
    if rng.random() < 0.2:
        out.append(_unit(rng, T.PERCENT_UNITS))
    return out


def _delta(gen: Gen) -> list[Chunk]:
    rng = gen.rng
    if gen.domain == "climate":
        n = rng.choice((1, 1, 2, 2, 2, 3, 4, 5))
        unit = "degree" if n == 1 and rng.random() < 0.8 else "degrees"
        return [(_number(rng, n), "value"), (unit, "unit")]
    n = rng.choice((5, 10, 10, 10, 15, 20, 20, 25, 30, 50))
    out: list[Chunk] = [(_number(rng, n), "value")]
    if gen.domain != "media_player" or rng.random() < 0.5:
        out.append(_unit(rng, T.PERCENT_UNITS))
    return out


def _delta_number(gen: Gen) -> list[Chunk]:
    """The number of a change alone: "three (more degrees)", "another ten"."""
    rng = gen.rng
    if gen.domain == "climate":
        return [(_number(rng, rng.choice((1, 2, 2, 3, 3, 4, 5))), "value")]
    return [(_number(rng, rng.choice((5, 10, 10, 15, 20, 25, 30))), "value")]


def _with_s(chunks: list[Chunk]) -> list[Chunk]:
    """ "the punkah's", "the parlour's": the last word of a name or room takes the 's."""
    text, slot = chunks[-1]
    if slot not in ("device", "room") or not text[-1:].isalpha() or "'" in text:
        raise Skip("no 's here")
    if text in _NO_ARTICLE_ROOMS or text.endswith("s"):
        raise Skip("no 's here")
    return [*chunks[:-1], (f"{text}'s", slot)]


def _kelvin(gen: Gen) -> list[Chunk]:
    rng = gen.rng
    n = rng.randrange(2000, 6600, 100)
    text = str(n) if rng.random() < 0.85 else T.number_words(n)
    return [(text, "value"), (rng.choice(T.KELVIN_UNITS), "unit")]


def _color(gen: Gen) -> list[Chunk]:
    rng = gen.rng
    pool = T.COLORS_EXTRA if rng.random() < 0.15 else COLOR_NAMES
    return [(rng.choice(pool), "color")]


def _from(table: Mapping[str, Sequence[str]], slot: str) -> Callable[[Gen], list[Chunk]]:
    def fill(gen: Gen) -> list[Chunk]:
        options = table.get(gen.domain, ())
        if not options:
            raise Skip(f"no {slot} word for {gen.domain}")
        return [(gen.rng.choice(options), slot)]

    return fill


_VALUE_FILLERS: dict[str, Callable[[Gen], list[Chunk]]] = {
    "pct": lambda g: _percent(g, T.PERCENT_VALUE_WORDS, 0.08, 0.6),
    "pos": lambda g: _percent(g, T.POSITION_VALUE_WORDS, 0.25, 0.6),
    "speed": lambda g: _percent(g, T.SPEED_VALUE_WORDS, 0.3, 0.5),
    "temp": _temperature,
    "vol": _volume,
    "delta": _delta,
    "dpct": _delta,
    "dtemp": _delta,
    "kelvin": _kelvin,
    "color": _color,
    "ct": lambda g: [(g.rng.choice(T.COLOR_TEMP_WORDS), "color")],
    "ctk": lambda g: (
        _kelvin(g) if g.rng.random() < 0.25 else [(g.rng.choice(T.COLOR_TEMP_WORDS), "color")]
    ),
    "mode": lambda g: [(g.rng.choice(T.MODE_WORDS), "mode")],
    "cu": _from(T.COMPARATIVES_UP, "attribute"),
    "cd": _from(T.COMPARATIVES_DOWN, "attribute"),
    "cold": _from(T.TOO_WORDS_UP, "attribute"),
    "hot": _from(T.TOO_WORDS_DOWN, "attribute"),
    "attr": _from(T.ATTRIBUTE_NOUNS, "attribute"),
}


# ---------------------------------------------------------------------------
# families: each makes one draft for the intent it fills


def _pick_domain(rng: random.Random, intent: str, domains: Iterable[str]) -> str:
    weights = T.DOMAIN_OVERRIDES.get(intent, {})
    options = [(d, weights.get(d, T.DOMAIN_WEIGHTS.get(d, 1.0))) for d in domains]
    return str(_weighted(rng, options))


def make_command(gen: Gen, intent: str) -> Draft:
    rng = gen.rng
    by_domain = T.COMMAND_TEMPLATES[intent]
    domain = _pick_domain(rng, intent, by_domain)
    chunks = gen.expand(rng.choice(by_domain[domain]), domain, intent)
    source = "relative" if intent in ("increase", "decrease") else "command"
    if gen.group:
        source = "group"
    return Draft(chunks, intent, source, noise_context(rng))


def make_everyday(gen: Gen, intent: str) -> Draft:
    """Everyday English for a command: needs, complaints, remarks with the command after."""
    rng = gen.rng
    by_domain = T.EVERYDAY_TEMPLATES[intent]
    domain = _pick_domain(rng, intent, by_domain)
    chunks = gen.expand(rng.choice(by_domain[domain]), domain, intent)
    return Draft(chunks, intent, "everyday", noise_context(rng))


def make_query(gen: Gen, intent: str) -> Draft:
    rng = gen.rng
    domain = _weighted(
        rng,
        (("light", 2.0), ("climate", 1.6), ("cover", 1.0), ("lock", 1.0), ("media_player", 1.0),
         ("fan", 0.5), ("switch", 0.6), ("scene", 0.2)),
    )  # fmt: skip
    own = T.QUERY_TEMPLATES.get(domain, ())
    pool = own if domain == "scene" or rng.random() < 0.5 else T.QUERY_TEMPLATES["any"]
    chunks = gen.expand(rng.choice(pool), domain, "query")
    return Draft(chunks, "query", "query", noise_context(rng))


def _anaphor_templates(intent: str) -> list[tuple[str, str]]:
    return list(T.ANAPHOR_TEMPLATES.get(intent, ()))


def _anaphor_domain(rng: random.Random, intent: str, kind: str) -> str:
    if kind == "any":
        return _domain_of(rng, intent if intent in _DOMAINS_OF else "turn_on")
    if kind == "relative":
        return rng.choice(("light", "media_player", "fan"))  # "make it warmer": weather "it"
    return kind


def make_anaphor(gen: Gen, intent: str, point: bool = False) -> Draft:
    """ "turn it off", "make them brighter"; with ``point``, "turn that on" while pointing."""
    rng = gen.rng
    kind, template = rng.choice(_anaphor_templates(intent))
    domain = _anaphor_domain(rng, intent, kind)
    chunks = gen.expand(template, domain, intent, point=point)
    value_intent = intent.startswith("set_") and intent not in ("set_color", "set_mode")
    if point:
        context = after_command(rng) if rng.random() < 0.4 else {}
        return Draft(chunks, intent, "pointing", context, pointing(rng), fine_vision=True)
    # the last thing acted on is what "it" means: its domain is in the context ("stop it"
    # with nothing going on, or a question pending, is a cancel)
    always = value_intent or intent == "stop"
    context = after_command(rng, domain=domain) if always or rng.random() < 0.7 else {}
    if context and intent != "stop" and rng.random() < 0.15:
        # "is the coffee machine on?" ... "turn it on then": "it" is what was asked about
        context = after_command(rng, "query", domain)
    return Draft(chunks, intent, "anaphor", context)


def make_repeat(gen: Gen, intent: str) -> Draft:
    """ "and the bedroom too": the last intent again, for another room or device."""
    rng = gen.rng
    domain = rng.choice(T.REPEATABLE[intent])
    chunks = gen.expand(rng.choice(T.REPEAT_TEMPLATES), domain, intent)
    last_domain = domain if rng.random() < 0.85 else "none"
    context = _ctx("none", "none", last_domain, intent)
    return Draft(chunks, intent, "repeat", context, polite="answer")


def make_undo(gen: Gen, intent: str) -> Draft:
    rng = gen.rng
    domain = rng.choice(("light", "climate", "cover", "media_player", "fan", "switch"))
    chunks = gen.expand(rng.choice(T.UNDO_TEMPLATES), domain, "undo")
    context = after_command(rng, domain=domain) if rng.random() < 0.7 else noise_context(rng)
    return Draft(chunks, "undo", "undo", context)


def _confirm_context(rng: random.Random) -> dict[str, str]:
    r = rng.random()
    if r < 0.8:
        return pending_confirm(rng)
    if r < 0.87:
        return {}
    if r < 0.94:
        return pending_which(rng)
    return pending_value(rng)


def make_confirmation(gen: Gen, intent: str) -> Draft:
    """ "yes" / "no, leave it locked" while a confirmation (usually) is pending."""
    rng = gen.rng
    context = _confirm_context(rng)
    gen.last_intent = context.get("last_intent", "none")
    phrases = T.AFFIRM_PHRASES if intent == "affirm" else T.DENY_PHRASES
    domain = context.get("last_domain", "none")
    chunks = gen.expand(rng.choice(phrases), domain if domain != "none" else "lock", intent)
    vision = camera(rng, _INTENT_GESTURE[intent]) if rng.random() < 0.15 else {}
    return Draft(chunks, intent, intent, context, vision, polite="answer", noise=not vision)


def make_cancel(gen: Gen, intent: str) -> Draft:
    rng = gen.rng
    r = rng.random()
    if r < 0.25:
        context = pending_confirm(rng)
    elif r < 0.5:
        context = pending_value(rng)
    elif r < 0.7:
        context = pending_which(rng)
    elif r < 0.85:
        context = after_command(rng)
    else:
        context = {}
    phrase = rng.choice(T.CANCEL_PHRASES)
    if phrase.startswith("stop ") and context.get("pending_kind", "none") == "none":
        context = pending_confirm(rng)  # "stop it" after a command is said of the device
    chunks = gen.expand(phrase, "light", "cancel")
    vision = camera(rng, "open_palm") if rng.random() < 0.15 else {}
    return Draft(chunks, "cancel", "cancel", context, vision, polite="answer", noise=not vision)


def make_value_answer(gen: Gen, intent: str) -> Draft:
    """ "twenty one degrees" while the heating asked for a temperature."""
    rng = gen.rng
    slot = rng.choice(tuple(_VALUE_SLOTS))
    _, domain, placeholder = _VALUE_SLOTS[slot]
    template = rng.choice(T.VALUE_ANSWERS)
    numeric = placeholder in ("temp", "pct", "pos", "speed", "vol")
    if template in _NUMERIC_ONLY_ANSWERS and not numeric:
        raise Skip("numeric answer phrasing")
    template = template.replace("make it", "make <anaphor:it>").replace(
        "set it", "set <anaphor:it>"
    )
    template = template.replace("put it", "put <anaphor:it>").replace(
        "{v}", "{" + placeholder + "}"
    )
    chunks = gen.expand(template, domain, "answer")
    if rng.random() < 0.92:
        return Draft(chunks, "answer", "answer_value", pending_value(rng, slot), polite="answer")
    # nothing asked: "twenty degrees please" is a command (that will ask which heating)
    # when the value says what it is for; a bare number is still an answer to nothing
    asking = _VALUE_SLOTS[slot][0]
    says_what = slot in ("color", "color_temp", "mode") or (
        slot == "temperature" and any(tag == "unit" for _, tag in chunks)
    )
    if says_what:
        return Draft(chunks, asking, "value_alone", {}, polite="answer")
    return Draft(chunks, "answer", "answer_value", {}, polite="answer")


def make_which_answer(gen: Gen, intent: str) -> Draft:
    """ "the kitchen one", "the first one", "both" after "which light?"."""
    rng = gen.rng
    asking = rng.choice(("turn_on", "turn_on", "turn_off", "turn_off", "set_brightness", "open",
                         "close", "set_temperature", "lock", "unlock", "set_volume", "pause",
                         "set_color", "increase", "decrease", "query"))  # fmt: skip
    domain = _domain_of(rng, asking)
    if domain == "scene":
        domain = "light"
    point = rng.random() < 0.12
    template = rng.choice(T.WHICH_ANSWERS)
    chunks = gen.expand(template, domain, "answer", point=point)
    context = pending_which(rng, asking, domain) if rng.random() < 0.92 else {}
    if point:
        return Draft(
            chunks, "answer", "answer_which", context, pointing(rng), "answer", fine_vision=True
        )
    return Draft(chunks, "answer", "answer_which", context, polite="answer")


def make_gesture(gen: Gen, intent: str) -> Draft:
    """No words, only a gesture: thumbs up/down or an open palm while a question is pending."""
    rng = gen.rng
    gesture = _INTENT_GESTURE[intent]
    r = rng.random()
    if intent == "affirm" or r < 0.7:
        context = pending_confirm(rng)
    else:
        context = pending_value(rng) if r < 0.85 else pending_which(rng)
    chunks: list[Chunk] = []
    source = "vision_gesture"
    if rng.random() < 0.3:
        chunks = list(rng.choice(_NEUTRAL_WORDS))
        source = "vision_words"
    return Draft(chunks, intent, source, context, camera(rng, gesture), "none", False, True)


def make_idle_vision(gen: Gen, intent: str) -> Draft:
    """No words, or a hum, and nothing to answer (or no gesture): nothing is meant."""
    rng = gen.rng
    r = rng.random()
    if r < 0.5:
        # a clear gesture, but no question is pending: nothing to say yes or no to
        vision = camera(rng, rng.choice((*_GESTURES, "pointing")))
        context = after_command(rng) if rng.random() < 0.5 else {}
    elif r < 0.8:
        vision = camera(rng) if rng.random() < 0.8 else {}
        context = pending_confirm(rng) if rng.random() < 0.5 else noise_context(rng)
    else:
        vision = camera(rng, rng.choice(_GESTURES), rng.uniform(0.05, 0.3))
        context = pending_confirm(rng)
    chunks = list(rng.choice(_NEUTRAL_WORDS)) if rng.random() < 0.3 else []
    chunks = [(text, None) for text, _ in chunks]
    return Draft(chunks, OUT_OF_DOMAIN, "vision_idle", context, vision, "none", False, True)


def make_ood(gen: Gen, intent: str) -> Draft:
    rng = gen.rng
    # now and then a remark alone, which commands nothing ("we're off to bed")
    alone = rng.random() < 0.12
    template = rng.choice(T.ALONE_FRAMES) if alone else rng.choice(T.OOD_SENTENCES)
    domain = _pick_domain(
        rng, "ood", ("light", "switch", "fan", "cover", "climate", "lock", "media_player")
    )
    chunks = gen.expand(template, domain, OUT_OF_DOMAIN)
    source = "ood_command_like" if "{t}" in template else "ood"
    return Draft([(text, None) for text, _ in chunks], OUT_OF_DOMAIN, source, noise_context(rng))


_KEEP_IN_OOD = frozenset({"device", "room"})
_WRAPPED = ("turn_on", "turn_off", "open", "close", "lock", "unlock", "set_temperature",
            "set_brightness", "activate_scene", "play", "set_color")  # fmt: skip


def _about(chunks: Sequence[Chunk]) -> list[Chunk]:
    """Out-of-domain chunks that keep their device and room tags (the gazetteer marks them)."""
    return [(text, slot if slot in _KEEP_IN_OOD else None) for text, slot in chunks]


def make_ood_about(gen: Gen, intent: str) -> Draft:
    """A remark about a device ("the lamp takes ages to warm up"): nothing to do."""
    rng = gen.rng
    domains = ("light", "switch", "fan", "cover", "climate", "media_player")
    domain = _pick_domain(rng, "ood", domains)
    remarks = T.OOD_ABOUT_SCENES if rng.random() < 0.15 else T.OOD_ABOUT_DEVICES
    chunks = gen.expand(rng.choice(remarks), domain, OUT_OF_DOMAIN)
    return Draft(_about(chunks), OUT_OF_DOMAIN, "ood_about", noise_context(rng))


def make_ood_wrapped(gen: Gen, intent: str) -> Draft:
    """A command for later, on a condition, denied or wondered about: not one to carry out."""
    rng = gen.rng
    inner = make_command(gen, rng.choice(_WRAPPED))
    if rng.random() < 0.35:
        # a condition made of an everyday clause, either side of the command
        template = f"{rng.choice(T.CONDITIONS)} {rng.choice(T.REASON_CLAUSES)}"
        wrap = gen.expand(template, "light", OUT_OF_DOMAIN)
        if rng.random() < 0.6:
            chunks = [*_about(wrap), *_about(inner.chunks)]
        else:
            chunks = [*_about(inner.chunks), *_about(wrap)]
        return Draft(chunks, OUT_OF_DOMAIN, "ood_wrapped", noise_context(rng), polite="none")
    if rng.random() < 0.6:
        wrap = gen.expand(rng.choice(T.OOD_WRAPS_BEFORE), "light", OUT_OF_DOMAIN)
        chunks = [*_about(wrap), *_about(inner.chunks)]
        polite = "none"  # "don't could you..." is nobody's sentence
    else:
        wrap = gen.expand(rng.choice(T.OOD_WRAPS_AFTER), "light", OUT_OF_DOMAIN)
        chunks = [*_about(inner.chunks), *_about(wrap)]
        polite = "command"
    return Draft(chunks, OUT_OF_DOMAIN, "ood_wrapped", noise_context(rng), polite=polite)


_NAMED_DOMAIN = re.compile(r"\{name:(\w+)\}")


def make_borrowed(gen: Gen, intent: str) -> Draft:
    """A development sentence's phrasing with fresh names: styles the templates lack."""
    rng = gen.rng
    entry = rng.choice(T.borrowed()[intent])
    template = entry.template
    named = _NAMED_DOMAIN.search(template)
    domain = named.group(1) if named else "scene" if "{scene}" in template else "light"
    chunks = gen.expand(template, domain, intent)
    if entry.context:
        context = dict(entry.context)  # a turn of a dialogue: heard after what came before
    elif intent != OUT_OF_DOMAIN:
        context = noise_context(rng)
    else:
        # a remark naming a device is never heard while a question waits: there, a name is
        # most likely the answer ("the festoon")
        context = after_command(rng) if rng.random() < CONTEXT_NOISE else {}
    # it has its own politeness, if any ("could you could you" is nobody's sentence)
    return Draft(chunks, intent, "borrowed", context, polite="none")


def borrowed_weight(intent: str) -> float:
    """A family weight that grows with the phrasings there are, so few are not repeated."""
    n = len(T.borrowed().get(intent, ()))
    return min(BORROWED_OOD_WEIGHT if intent == OUT_OF_DOMAIN else BORROWED_WEIGHT, 0.01 * n)


BORROWED_WEIGHT = 1.5  # beside about 10 for a command's other families
BORROWED_OOD_WEIGHT = 2.0  # beside 18.5 for the other out-of-domain families


def _make_custom(spec: CustomIntent) -> Callable[[Gen, str], Draft]:
    def make(gen: Gen, intent: str) -> Draft:
        gen.custom = spec
        try:
            chunks = gen.expand(gen.rng.choice(spec.templates), "switch", spec.name)
        finally:
            gen.custom = None
        return Draft(chunks, spec.name, f"custom:{spec.name}", noise_context(gen.rng))

    return make


@dataclass(frozen=True)
class Family:
    source: str
    intent: str
    weight: float
    make: Callable[[Gen, str], Draft]
    priority: int = 1  # lower first: it wins when two families make the same input


def families(customs: Sequence[CustomIntent] = (), borrowed: bool = True) -> list[Family]:
    """Every family, with the intent whose share it fills and its weight within that share."""
    out: list[Family] = []
    for intent in INTENTS:
        if intent in T.COMMAND_TEMPLATES:
            out.append(Family("command", intent, 6.0, make_command, 2))
        if intent in T.EVERYDAY_TEMPLATES:
            weight = T.EVERYDAY_WEIGHT.get(intent, T.EVERYDAY_DEFAULT_WEIGHT)
            out.append(Family("everyday", intent, weight, make_everyday, 2))
        if intent in T.ANAPHOR_TEMPLATES:
            out.append(Family("anaphor", intent, 1.2, make_anaphor, 1))
            if intent != "activate_scene":
                out.append(Family("pointing", intent, 0.5, partial(make_anaphor, point=True), 1))
        if intent in T.REPEATABLE:
            out.append(Family("repeat", intent, 0.8, make_repeat, 1))
    out += [
        Family("query", "query", 7.0, make_query, 2),
        Family("undo", "undo", 8.0, make_undo, 2),
        Family("affirm", "affirm", 6.0, make_confirmation, 1),
        Family("vision_gesture", "affirm", 1.6, make_gesture, 0),
        Family("deny", "deny", 6.0, make_confirmation, 1),
        Family("vision_gesture", "deny", 1.6, make_gesture, 0),
        Family("cancel", "cancel", 6.0, make_cancel, 1),
        Family("vision_gesture", "cancel", 1.6, make_gesture, 0),
        Family("answer_value", "answer", 5.0, make_value_answer, 1),
        Family("answer_which", "answer", 5.0, make_which_answer, 1),
        Family("ood", OUT_OF_DOMAIN, 12.0, make_ood, 3),
        Family("ood_about", OUT_OF_DOMAIN, 2.5, make_ood_about, 3),
        Family("ood_wrapped", OUT_OF_DOMAIN, 3.5, make_ood_wrapped, 3),
        Family("vision_idle", OUT_OF_DOMAIN, 0.5, make_idle_vision, 0),
    ]
    for intent in T.borrowed() if borrowed else ():
        if intent in INTENTS and (weight := borrowed_weight(intent)) > 0:
            out.append(Family("borrowed", intent, weight, make_borrowed, 2))
    for spec in customs:
        out.append(Family(f"custom:{spec.name}", spec.name, 1.0, _make_custom(spec), 0))
    return out


# ---------------------------------------------------------------------------
# from a draft to an example: politeness, tokens and tags, ASR damage, noise


def _tokens_tags(chunks: Sequence[Chunk]) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    tags: list[str] = []
    for text, slot in chunks:
        toks = words(text)
        tokens.extend(toks)
        if slot is None:
            tags.extend("O" for _ in toks)
        else:
            tags.extend(f"{'B' if i == 0 else 'I'}-{slot}" for i in range(len(toks)))
    return tokens, tags


_SPACES = re.compile(r"\s+")
_GLUE = re.compile(r"(?<=\d) (?=%|°)")


def _surface(chunks: Sequence[Chunk]) -> str:
    text = _SPACES.sub(" ", " ".join(t for t, _ in chunks)).strip()
    return _GLUE.sub("", text)


def _polite(rng: random.Random, draft: Draft) -> list[Chunk]:
    chunks = list(draft.chunks)
    if draft.polite == "none" or not chunks:
        return chunks
    command = draft.polite == "command"
    first = next((i for i, (t, _) in enumerate(chunks) if t.strip()), 0)
    text, slot = chunks[first]
    head, _, rest = text.strip().partition(" ")
    verb = slot is None and head in T.VERBS
    if rng.random() < (0.28 if command else 0.08):
        if command and verb and head in T.GERUNDS and rng.random() < 0.12:
            chunks[first] = (f"{T.GERUNDS[head]} {rest}", None)
            chunks.insert(0, (rng.choice(T.GERUND_PREFIXES), None))
        else:
            options = T.POLITE_PREFIXES if command else _ANSWER_PREFIXES
            prefix = _weighted(rng, options)
            if prefix in T.VERB_PREFIXES and not verb:
                prefix = _weighted(rng, _ANSWER_PREFIXES)
            chunks.insert(0, (prefix, None))
    if rng.random() < (0.2 if command else 0.06):
        chunks.append((_weighted(rng, T.POLITE_SUFFIXES), None))
    if rng.random() < 0.04 and len(chunks) > 2:
        # a hesitation between two phrases, never inside a span
        at = rng.randrange(1, len(chunks))
        chunks.insert(at, (rng.choice(T.FILLERS), None))
    return chunks


FRAME_SHARE = {"command": 0.25, "answer": 0.15}  # how often a clause comes with it
OOD_FRAME_SHARE = 0.15  # remarks and wrapped commands get clauses too, so a clause decides nothing
_FRAMED_OOD = frozenset({"ood", "ood_about", "ood_wrapped"})


# what a clause says that asks for a change by itself (light, warmth, quiet)
_FELT = re.compile(
    r"\b(see|dark|gloomy|bright|noisy|quiet|cold|chilly|nippy|freezing|hot|stuffy|muggy|hear)\b"
)


def _clause_template(rng: random.Random, before: bool) -> str:
    """A stock frame, a reason built from parts, or a remark: many words that command nothing."""
    r = rng.random()
    if r < 0.35:
        return rng.choice(T.FRAMES_BEFORE if before else T.FRAMES_AFTER)
    if r < 0.8:
        return rng.choice(T.REASON_CLAUSES)
    return rng.choice(T.CLAUSE_REMARKS)


def _framed(gen: Gen, draft: Draft, chunks: list[Chunk]) -> list[Chunk]:
    """Now and then a clause around it that commands nothing ("it's late, lights off")."""
    rng = gen.rng
    if draft.intent == OUT_OF_DOMAIN:
        share = OOD_FRAME_SHARE if draft.source in _FRAMED_OOD else 0.0
    else:
        share = FRAME_SHARE.get(draft.polite, 0.0)
    if rng.random() >= share:
        return chunks
    before = rng.random() < 0.45
    template = _clause_template(rng, before)
    clause = [(text, None) for text, _ in gen.expand(template, "light", OUT_OF_DOMAIN)]
    if draft.intent == OUT_OF_DOMAIN and _FELT.search(_surface(clause)):
        return chunks  # "I can't see a thing", "it's chilly" ask for a change: not beside a remark
    if before:
        joiner = rng.choice(T.FRAME_JOINERS_BEFORE)
        return [*clause, (joiner, None), *chunks]
    joiner = rng.choice(T.FRAME_JOINERS_AFTER)
    if joiner == "while" and " away" in template:
        joiner = ""  # "... while we're away" is for later (make_ood_wrapped)
    return [*chunks, (joiner, None), *clause]


_ANSWER_PREFIXES: tuple[tuple[str, float], ...] = (
    ("uh", 1.0),
    ("um", 1.0),
    ("oh", 0.6),
    ("well", 0.4),
    ("hmm", 0.4),
    ("so", 0.3),
    ("okay", 0.2),
)


_COMMA_AFTER = frozenset(
    {"hey", "ok", "okay", "so", "uh", "um", "right", "alright", "well", "oh", "yes", "no", "hmm"}
)


def _decorate(rng: random.Random, text: str, intent: str) -> str:
    """Case and punctuation as people type them (the tokens do not change)."""
    if not text:
        return text
    r = rng.random()
    if r < 0.3:
        text = text[0].upper() + text[1:]
    elif r < 0.33:
        text = text.upper()
    elif r < 0.36:
        text = text.title()
    r = rng.random()
    if r < 0.15:
        text += "?" if intent == "query" else "."
    elif r < 0.22:
        text += "!"
    elif r < 0.3 and " " in text:
        head, _, tail = text.partition(" ")
        if head.lower() in _COMMA_AFTER:
            text = f"{head}, {tail}"
    return text


def damage(rng: random.Random, tokens: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    """ASR-like damage that keeps the tags right: dropped filler words, sound-alikes,
    stutters, hesitations, words run together inside a name."""
    tokens, tags = list(tokens), list(tags)
    for _ in range(1 if rng.random() < 0.75 else 2):
        op = rng.random()
        if op < 0.3:
            spots = [
                i
                for i, (w, t) in enumerate(zip(tokens, tags, strict=True))
                if t == "O" and w in T.DROPPABLE
            ]
            if spots and len(tokens) > 2:
                i = rng.choice(spots)
                del tokens[i], tags[i]
        elif op < 0.65:
            spots = [i for i, w in enumerate(tokens) if w in T.HOMOPHONES]
            if spots:
                i = rng.choice(spots)
                new = words(rng.choice(T.HOMOPHONES[tokens[i]]))
                tag = tags[i]
                rest = "O" if tag == "O" else f"I-{tag[2:]}"
                extra = [rest] * (len(new) - 1)
                tokens[i : i + 1] = new
                tags[i : i + 1] = [tag, *extra]
        elif op < 0.78:
            spots = [i for i, t in enumerate(tags) if t == "O"]
            if spots:
                i = rng.choice(spots)
                tokens.insert(i, tokens[i])
                tags.insert(i, "O")
        elif op < 0.9:
            spots = [i for i, t in enumerate(tags) if not t.startswith("I-")] + [len(tags)]
            i = rng.choice(spots)
            tokens.insert(i, rng.choice(("uh", "um", "er", "hmm")))
            tags.insert(i, "O")
        else:
            spots = [
                i
                for i in range(len(tokens) - 1)
                if tags[i] != "O"
                and tags[i + 1] == f"I-{tags[i][2:]}"
                and tokens[i].isalpha()
                and tokens[i + 1].isalpha()
            ]
            if spots:
                i = rng.choice(spots)
                tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
                tags[i : i + 2] = [tags[i]]
    return tokens, tags


def _vision_noise(rng: random.Random, draft: Draft, tags: Sequence[str]) -> dict[str, float]:
    """A camera that sees people and idle hands; gestures that do not change the meaning."""
    if draft.vision or not draft.noise or rng.random() >= CAMERA_SHARE:
        return dict(draft.vision)
    r = rng.random()
    if r < 0.7 or not tags:
        return camera(rng)
    if r < 0.85 and "B-anaphor" not in tags and "B-deixis" not in tags:
        return pointing(rng)
    if draft.intent in _INTENT_GESTURE:
        return camera(rng, _INTENT_GESTURE[draft.intent])
    return camera(rng, rng.choice(_GESTURES))


def _key(example: Example, fine_vision: bool) -> tuple[Any, ...]:
    context = tuple(sorted((k, v) for k, v in example.context.items() if v != "none"))
    if fine_vision:
        vision: tuple[Any, ...] = tuple(sorted((k, round(v, 1)) for k, v in example.vision.items()))
    else:
        vision = tuple(
            sorted(
                k
                for k, v in example.vision.items()
                if k.startswith("gesture_") and k != "gesture_none" and v >= 0.5
            )
        )
    return (tuple(example.tokens), context, vision)


class _Builder:
    def __init__(self, rng: random.Random, gen: Gen) -> None:
        self.rng = rng
        self.gen = gen
        self.seen: dict[tuple[Any, ...], str] = {}
        self.conflicts = 0
        self.examples: list[Example] = []
        self.by_intent: Counter[str] = Counter()

    def attempt(self, family: Family) -> bool:
        rng = self.rng
        try:
            draft = family.make(self.gen, family.intent)
        except Skip:
            return False
        chunks = _framed(self.gen, draft, _polite(rng, draft))
        tokens, tags = _tokens_tags(chunks)
        if len(tokens) > MAX_TOKENS or (not tokens and draft.intent not in _EMPTY_OK):
            return False
        text = _surface(chunks)
        source = draft.source
        if tokens and rng.random() < ASR_DAMAGE:
            damaged = damage(rng, tokens, tags)
            if damaged[0] != tokens:
                tokens, tags = damaged
                source += "+asr"
        example = Example(
            tokens=tokens,
            tags=tags,
            intent=draft.intent,
            context=dict(draft.context),
            vision=_vision_noise(rng, draft, tags),
            text=_decorate(rng, text, draft.intent) if "+asr" not in source else text,
            source=source,
        )
        key = _key(example, draft.fine_vision)
        known = self.seen.get(key)
        if known is not None:
            if known != example.intent:
                self.conflicts += 1
            return False
        self.seen[key] = example.intent
        self.examples.append(example)
        self.by_intent[example.intent] += 1
        return True

    def produce(self, family: Family, count: int, cap: int | None = None) -> int:
        made = 0
        tries = 0
        limit = count * 12 + 60
        while made < count and tries < limit:
            tries += 1
            if cap is not None and self.by_intent[family.intent] >= cap:
                break
            if self.attempt(family):
                made += 1
        return made


_EMPTY_OK = frozenset({"affirm", "deny", "cancel", OUT_OF_DOMAIN})


def generate_corpus(
    config: HomebrainConfig | None = None,
    size: int = 50_000,
    seed: int = 0,
    custom_intents: list[Any] | None = None,
    borrowed: bool = True,
) -> list[Example]:
    """``size`` labelled examples (fewer only if the templates run out), the same for a seed.

    The home's names come from ``config`` when given; custom intents from
    ``custom_intents``, else from ``config.custom_intents`` if the config has them.
    ``borrowed``: include the development sets' phrasings (``T.borrowed``).
    """
    if size <= 0:
        return []
    if custom_intents is None and config is not None:
        custom_intents = getattr(config, "custom_intents", None)
    customs = _customs(custom_intents)
    rng = random.Random(seed)
    home = Home.from_config(config) if config is not None else None
    builder = _Builder(rng, Gen(rng, Pools(home)))
    fams = families(customs, borrowed)
    n_intents = len(INTENTS) - 1 + len(customs)
    ood_total = size * OOD_SHARE
    per_intent = (size - ood_total) / n_intents
    weight_of: dict[str, float] = {}
    for fam in fams:
        weight_of.setdefault(fam.intent, 0.0)
        weight_of[fam.intent] += fam.weight
    quota = {
        id(fam): (ood_total if fam.intent == OUT_OF_DOMAIN else per_intent)
        * fam.weight
        / weight_of[fam.intent]
        for fam in fams
    }
    ordered = sorted(fams, key=lambda f: f.priority)
    for fam in ordered:
        builder.produce(fam, round(quota[id(fam)]))
    # top up from families that still find new sentences, never past 1.5x an intent's share
    for _ in range(6):
        missing = size - len(builder.examples)
        if missing <= 0:
            break
        progress = 0
        total_weight = sum(f.weight for f in fams if f.intent != OUT_OF_DOMAIN)
        for fam in ordered:
            if fam.intent == OUT_OF_DOMAIN:
                continue
            want = max(1, round(missing * fam.weight / total_weight))
            progress += builder.produce(fam, want, cap=round(per_intent * 1.5))
        if not progress:
            break
    examples = builder.examples
    rng.shuffle(examples)
    return examples[:size]


# ---------------------------------------------------------------------------
# splitting, files, statistics


def split(
    examples: Sequence[Example], validation: float = 0.1, seed: int = 0
) -> tuple[list[Example], list[Example]]:
    """(train, validation), stratified by intent so every intent is in both when it can be."""
    if not 0.0 <= validation < 1.0:
        raise ValueError(f"validation share must be in [0, 1), got {validation}")
    rng = random.Random(seed)
    by_intent: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        by_intent.setdefault(example.intent, []).append(i)
    held: set[int] = set()
    for intent in sorted(by_intent):
        indices = by_intent[intent]
        rng.shuffle(indices)
        n = round(len(indices) * validation)
        if validation > 0 and n == 0 and len(indices) > 1:
            n = 1
        held.update(indices[:n])
    train = [e for i, e in enumerate(examples) if i not in held]
    valid = [e for i, e in enumerate(examples) if i in held]
    return train, valid


def write_jsonl(path: str | Path, examples: Iterable[Example]) -> int:
    """Write one JSON object per line; returns how many."""
    count = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for example in examples:
            out.write(json.dumps(example.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_jsonl(path: str | Path) -> list[Example]:
    examples: list[Example] = []
    with Path(path).open(encoding="utf-8") as src:
        for number, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                examples.append(Example.from_json(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not an example: {exc}") from None
    return examples


@dataclass
class CorpusStats:
    total: int
    intents: Counter[str]
    slots: Counter[str]  # spans per slot type
    sources: Counter[str]  # per template family (ASR damage counted apart)
    damaged: int
    with_context: int
    with_vision: int
    empty: int

    @property
    def ood_share(self) -> float:
        return self.intents.get(OUT_OF_DOMAIN, 0) / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "intents": dict(self.intents.most_common()),
            "slots": dict(self.slots.most_common()),
            "sources": dict(self.sources.most_common()),
            "damaged": self.damaged,
            "with_context": self.with_context,
            "with_vision": self.with_vision,
            "empty": self.empty,
            "ood_share": round(self.ood_share, 4),
        }

    def format(self) -> str:
        lines = [
            f"{self.total} examples: {self.damaged} with ASR damage, {self.with_context} with "
            f"dialogue context, {self.with_vision} with vision, {self.empty} without words, "
            f"{self.ood_share:.1%} out of domain"
        ]
        for title, counts in (
            ("intent", self.intents),
            ("slot", self.slots),
            ("source", self.sources),
        ):
            lines.append(f"{title}:")
            lines.extend(f"  {name:<24} {count:>7}" for name, count in counts.most_common())
        return "\n".join(lines)


def describe(examples: Iterable[Example]) -> CorpusStats:
    intents: Counter[str] = Counter()
    slots: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    total = damaged = with_context = with_vision = empty = 0
    for example in examples:
        total += 1
        intents[example.intent] += 1
        family, _, flag = example.source.partition("+")
        sources[family] += 1
        damaged += flag == "asr"
        with_context += any(v != "none" for v in example.context.values())
        with_vision += any(example.vision.values())
        empty += not example.tokens
        for tag in example.tags:
            if tag.startswith("B-"):
                slots[tag[2:]] += 1
    return CorpusStats(total, intents, slots, sources, damaged, with_context, with_vision, empty)


def bio_errors(example: Example, slot_types: Sequence[str] = SLOT_TYPES) -> list[str]:
    """What is wrong with an example's tags (empty when they are valid BIO over ``slot_types``)."""
    problems: list[str] = []
    if len(example.tokens) != len(example.tags):
        problems.append("tokens and tags differ in length")
    allowed = set(slot_types)
    previous = "O"
    for i, tag in enumerate(example.tags):
        if tag != "O":
            prefix, _, slot = tag.partition("-")
            if prefix not in ("B", "I") or slot not in allowed:
                problems.append(f"token {i}: unknown tag {tag}")
            elif prefix == "I" and previous[2:] != slot:
                problems.append(f"token {i}: {tag} after {previous}")
        previous = tag
    return problems


__all__ = [
    "CorpusStats",
    "CustomIntent",
    "Example",
    "Family",
    "Pools",
    "bio_errors",
    "custom_intent",
    "describe",
    "families",
    "generate_corpus",
    "intents_for",
    "read_jsonl",
    "slot_types_for",
    "split",
    "write_jsonl",
]
