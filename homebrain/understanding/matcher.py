"""The first recogniser: a template/grammar matcher over the home's own names.

No model, no training: words are tagged (device names and rooms from the
config, device words, verbs, numbers, colours, modes) and a few ordered rules
pick the intent. Every word must be explained by a tag or be a harmless
filler; anything else ("what's the weather", "turn on the spaceship") is out
of domain, which keeps false actions rare. A learned model replaces this
later behind the same ``recognise(text, site_room) -> Intent`` interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from homebrain.home import Home
from homebrain.understanding import vocabulary as V
from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent
from homebrain.understanding.model_recogniser import DialogueState
from homebrain.understanding.normalize import clean, normalize
from homebrain.understanding.numbers import (
    CELSIUS,
    FAHRENHEIT,
    KELVIN,
    MIRED,
    NUMBER_WORDS,
    ORDINALS,
    PERCENT,
    TEENS,
    TENS,
    UNIT_WORDS,
    UNITS,
    Quantity,
    ordinal,
    parse_quantities,
)

# Confidence levels the dialogue can act on: sensitive devices need EXACT.
EXACT = 1.0
FUZZY = 0.8
LOOSE = 0.6

# Value intents and the device domain each belongs to.
VALUE_INTENT_OF_DOMAIN: dict[str, str] = {
    "light": "set_brightness",
    "fan": "set_percentage",
    "cover": "set_position",
    "media_player": "set_volume",
    "climate": "set_temperature",
}
ATTRIBUTE_NAMES: dict[str, str] = {
    "set_temperature": "temperature",
    "set_volume": "volume",
    "set_brightness": "brightness",
    "set_position": "position",
    "set_percentage": "speed",
    "set_color": "color",
}

UNITS_TEENS_TENS = frozenset([*UNITS, *TEENS, *TENS])
_ARTICLES = frozenset(
    {"the", "a", "an", "this", "that", "all", "every", "each", "my", "our", "both", "your"}
)
_ROOM_PREPOSITIONS = frozenset({"in", "of", "at", "inside"})


def phrase(text: str) -> tuple[str, ...]:
    """A name as the matcher sees it: cleaned word tuple."""
    return tuple(clean(text).split())


@dataclass
class _Tags:
    """What each word of one sentence was recognised as."""

    tokens: list[str]
    used: list[bool]
    entities: list[tuple[int, str]] = field(default_factory=list)  # (position, name phrase)
    rooms: list[tuple[int, str]] = field(default_factory=list)  # (position, room id)
    devices: list[tuple[int, str]] = field(default_factory=list)  # (position, device word)
    quantities: list[Quantity] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)
    color_temps: list[int] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    cools: list[str] = field(default_factory=list)  # "cool"/"cooling": mode or colour temp
    cues: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    ordinal: int | None = None
    quantifier: bool = False
    both: bool = False
    whole_home: bool = False
    ref: bool = False
    here: bool = False
    blockers: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)

    def free(self, i: int, length: int = 1) -> bool:
        return i + length <= len(self.tokens) and not any(self.used[i : i + length])

    def take(self, i: int, length: int = 1) -> None:
        for k in range(i, i + length):
            self.used[k] = True

    def prev(self, i: int) -> str:
        return self.tokens[i - 1] if i > 0 else ""


class Matcher:
    """Grammar matcher for one home; rebuild it when the config changes."""

    def __init__(self, home: Home, fuzzy_cutoff: float = 80.0) -> None:
        self.home = home
        self.fuzzy_cutoff = fuzzy_cutoff
        self._entity_phrases: dict[tuple[str, ...], list[str]] = {}
        self._variant_phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._room_phrases: dict[tuple[str, ...], str] = {}
        for entity in home.entities.values():
            for name in entity.names:
                key = phrase(name)
                if key:
                    self._entity_phrases.setdefault(key, []).append(entity.entity_id)
        for room in home.rooms.values():
            for name in (*room.names, room.id.replace("_", " ")):
                key = phrase(name)
                if key:
                    self._room_phrases.setdefault(key, room.id)
        for key in list(self._entity_phrases):
            last = key[-1]
            other = last[:-1] if last.endswith("s") and len(last) > 3 else last + "s"
            variant = (*key[:-1], other)
            if variant not in self._entity_phrases:
                self._variant_phrases.setdefault(variant, key)
        self._device_phrases = {tuple(w.split()): w for w in V.DEVICE_WORDS if " " in w}
        self._max_len = max(
            [len(k) for k in (*self._entity_phrases, *self._room_phrases, *self._variant_phrases)]
            + [1]
        )
        self._known = self._known_words()
        self._vocabulary = sorted(w for w in self._spelling_targets() if len(w) >= 4)
        self._joined: dict[str, tuple[str, ...]] = {
            "".join(k): k for k in (*self._entity_phrases, *self._room_phrases) if len(k) > 1
        }

    def _spelling_targets(self) -> set[str]:
        """Content words a damaged word may be repaired to; never fillers or question words."""
        words: set[str] = set()
        for key in (*self._entity_phrases, *self._room_phrases):
            words.update(key)
        for table in (V.DEVICE_WORDS, V.CUES, V.ATTRIBUTES, V.COLORS, V.MODES):
            for text in table:
                words.update(text.split())
        words.update(UNITS_TEENS_TENS)
        return words - V.BLOCKERS - V.STOP_WORDS

    def _known_words(self) -> set[str]:
        words: set[str] = set()
        for key in (*self._entity_phrases, *self._room_phrases):
            words.update(key)
        for table in (
            V.DEVICE_WORDS,
            V.CUES,
            V.ATTRIBUTES,
            V.COLORS,
            V.COLOR_TEMPS,
            V.MODES,
            V.PERCENT_WORDS,
        ):
            for text in table:
                words.update(text.split())
        words.update(V.QUANTIFIERS | V.WHOLE_HOME | V.REFERENCES | V.HERE | V.STOP_WORDS)
        words.update(V.BLOCKERS | V.RELATIVE | V.AFFIRM_STRONG | V.AFFIRM_EXTRA | V.DENY_STRONG)
        words.update(V.DENY_EXTRA | V.CANCEL_STRONG | V.CANCEL_EXTRA)
        for text in V.AFFIRM_PHRASES | V.CANCEL_PHRASES:
            words.update(text.split())
        words.update(NUMBER_WORDS | UNIT_WORDS | set(ORDINALS))
        return words

    # -- public ---------------------------------------------------------------------------

    def recognise(
        self,
        text: str,
        site_room: str | None = None,
        dialogue: DialogueState | None = None,
        vision: Mapping[str, float] | None = None,
    ) -> Intent:
        """Understand one sentence; ``site_room`` is where it was heard ("in here").

        The grammar reads words only: ``dialogue`` and ``vision`` are accepted so
        it can stand wherever the learned model does, and ignored.
        """
        norm = normalize(text)
        if not norm.ok:
            return Intent(OUT_OF_DOMAIN, {"rejected": norm.rejected}, EXACT, text)
        tokens = norm.text.split()
        answer = _confirmation(tokens)
        if answer is not None:
            return Intent(answer, {}, EXACT, text)
        tokens, corrected = self._correct(tokens)
        tags = self._tag(tokens, site_room)
        name, slots, confidence = self._decide(tags)
        if corrected and name != OUT_OF_DOMAIN:
            confidence = min(confidence, FUZZY)
        if name == OUT_OF_DOMAIN:
            slots = {}
        return Intent(name, slots, confidence, text)

    # -- spelling -------------------------------------------------------------------------

    def _correct(self, tokens: list[str]) -> tuple[list[str], bool]:
        """Repair small misspellings / ASR damage towards words this home knows."""
        out: list[str] = []
        changed = False
        for token in tokens:
            if token in self._known or token.replace(".", "").isdecimal():
                out.append(token)
                continue
            if token in self._joined:
                out.extend(self._joined[token])
                changed = True
                continue
            cutoff = self.fuzzy_cutoff if len(token) >= 5 else 85.0
            hit = None
            if len(token) >= 4:
                hit = process.extractOne(
                    token, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff
                )
            if hit is not None:
                out.append(str(hit[0]))
                changed = True
            else:
                out.append(token)
        return out, changed

    # -- tagging --------------------------------------------------------------------------

    def _tag(self, tokens: list[str], site_room: str | None) -> _Tags:
        tags = _Tags(tokens, [False] * len(tokens))
        self._tag_names(tags)
        self._tag_phrases(tags)
        _tag_one_pronoun(tags)
        _tag_percent_words(tags)
        masked = [t if not u else "\x00" for t, u in zip(tokens, tags.used, strict=True)]
        for q in parse_quantities(masked):
            tags.quantities.append(q)
            tags.take(q.start, q.end - q.start)
        for i, token in enumerate(tokens):
            if not tags.used[i]:
                _tag_word(tags, i, token)
        if tags.here and site_room:
            tags.rooms.append((-1, site_room))
        return tags

    def _tag_names(self, tags: _Tags) -> None:
        """Device and room names, longest first, so "kitchen light" beats "kitchen"."""
        tokens = tags.tokens
        for length in range(min(self._max_len, len(tokens)), 0, -1):
            for i in range(len(tokens) - length + 1):
                if not tags.free(i, length):
                    continue
                key = tuple(tokens[i : i + length])
                entity = self._entity_phrases.get(key)
                room = self._room_phrases.get(key)
                if entity and room:
                    before = tokens[i - 2] if tags.prev(i) == "the" and i > 1 else tags.prev(i)
                    if before in _ROOM_PREPOSITIONS:
                        entity = None
                if entity:
                    tags.entities.append((i, " ".join(key)))
                    tags.take(i, length)
                elif room:
                    tags.rooms.append((i, room))
                    tags.take(i, length)
                elif key in self._variant_phrases and not self._room_plus_device(key):
                    tags.entities.append((i, " ".join(self._variant_phrases[key])))
                    tags.take(i, length)

    def _room_plus_device(self, key: tuple[str, ...]) -> bool:
        """ "kitchen lights" is the kitchen's lights, not a plural of "Kitchen light"."""
        whole = " ".join(key)
        if whole in V.DEVICE_WORDS:
            return V.DEVICE_WORDS[whole].plural
        for cut in range(1, len(key)):
            device = " ".join(key[cut:])
            if key[:cut] in self._room_phrases and device in V.DEVICE_WORDS:
                return V.DEVICE_WORDS[device].plural
        return False

    def _tag_phrases(self, tags: _Tags) -> None:
        """Multi-word grammar phrases: "garage door", "warm white", "half way"."""
        tokens = tags.tokens
        for i in range(len(tokens) - 1):
            if not tags.free(i, 2):
                continue
            two = f"{tokens[i]} {tokens[i + 1]}"
            if two in V.DEVICE_WORDS:
                tags.devices.append((i, two))
            elif two in V.COLORS:
                tags.colors.append(V.COLORS[two])
            elif two in V.COLOR_TEMPS:
                tags.color_temps.append(V.COLOR_TEMPS[two])
            elif two in V.PERCENT_WORDS:
                tags.quantities.append(Quantity(V.PERCENT_WORDS[two], PERCENT, i, i + 2))
            else:
                continue
            tags.take(i, 2)

    # -- deciding -------------------------------------------------------------------------

    def _target_domains(self, tags: _Tags) -> list[str]:
        domains: list[str] = []
        for _, name in tags.entities:
            for entity_id in self._entity_phrases.get(tuple(name.split()), []):
                domain = entity_id.split(".", 1)[0]
                if domain not in domains:
                    domains.append(domain)
        for _, word in tags.devices:
            domain = V.DEVICE_WORDS[word].domain
            if domain not in domains:
                domains.append(domain)
        return domains

    def _decide(self, tags: _Tags) -> tuple[str, dict[str, Any], float]:
        if tags.blockers:
            return OUT_OF_DOMAIN, {}, EXACT
        confidence = EXACT
        if tags.unexplained:
            loose_ok = (
                len(tags.unexplained) == 1 and tags.entities and tags.cues and len(tags.tokens) >= 5
            )
            if not loose_ok:
                return OUT_OF_DOMAIN, {}, EXACT
            confidence = LOOSE
        if len(tags.quantities) > 1 or len(set(tags.colors)) > 1:
            return OUT_OF_DOMAIN, {}, EXACT
        slots = _target_slots(tags)
        domains = self._target_domains(tags)
        name = self._intent_name(tags, slots, domains)
        if name is None:
            return OUT_OF_DOMAIN, {}, EXACT
        return name, slots, confidence

    def _intent_name(self, tags: _Tags, slots: dict[str, Any], domains: list[str]) -> str | None:
        cues = set(tags.cues)
        has_target = bool(tags.entities or tags.rooms or tags.devices or tags.ref)
        quantity = tags.quantities[0] if tags.quantities else None
        if quantity is not None:
            slots["value"] = quantity.number
            if quantity.unit:
                slots["unit"] = quantity.unit
        if tags.colors:
            slots["color"] = tags.colors[0]
        # Which way "cool" goes depends on the device it is said about.
        if tags.cools:
            if "light" in domains and "climate" not in domains:
                tags.color_temps.append(V.COLOR_TEMPS["cool"])
            else:
                tags.modes.append("cool")
        if tags.color_temps:
            slots["color_temp"] = tags.color_temps[0]
        if tags.modes:
            slots["mode"] = tags.modes[0]
        if tags.attributes:
            slots["attribute"] = ATTRIBUTE_NAMES.get(tags.attributes[0], tags.attributes[0])
        if tags.ordinal is not None:
            slots["ordinal"] = tags.ordinal

        is_command = bool(cues - {"turn"}) or bool(tags.attributes)
        if not is_command and not has_target:
            # A bare value, ordinal or quantifier: an answer to a question, if one is pending.
            if (
                quantity
                or tags.colors
                or tags.modes
                or tags.color_temps
                or tags.ordinal
                or tags.quantifier
                or tags.both
            ):
                return "answer"
            return None

        if (
            not has_target
            and quantity is None
            and not tags.attributes
            and (cues & {"up", "down"} or cues <= {"on", "off"})
        ):
            return None  # "shut up", a bare "on": not a device command ("turn on" asks what)
        only_scenes = bool(domains) and set(domains) == {"scene"}
        if "lock" in cues:
            return "lock"
        if "unlock" in cues:
            return "unlock"
        if "pause" in cues:
            return "pause"
        if "play" in cues:
            return "play"
        if tags.colors:
            return "set_color"
        if tags.color_temps or (quantity and quantity.unit in (KELVIN, MIRED)):
            if quantity and quantity.unit == KELVIN and quantity.value > 0:
                slots["color_temp"] = round(1_000_000 / quantity.value)
                slots.pop("value", None)
                slots.pop("unit", None)
            elif quantity and quantity.unit == MIRED:
                slots["color_temp"] = quantity.number
                slots.pop("value", None)
                slots.pop("unit", None)
            return "set_color_temp"
        if tags.modes:
            return "set_mode"
        if quantity is not None or tags.attributes or cues & {"dim", "brighten"}:
            if not has_target and not (cues - {"turn", "set"}) and not tags.attributes:
                return "answer"  # "to 21", "make it 21" with nothing named: fills a question
            return _value_intent(tags, quantity, domains, cues)
        if "stop" in cues:
            return "stop" if has_target else "cancel"
        if cues & {"open", "raise"} and (not domains or {"cover", "lock"} & set(domains)):
            return "open"
        if (
            cues & {"close", "lower"}
            and "off" not in cues
            and (not domains or {"cover", "lock"} & set(domains))
        ):
            return "close"
        if only_scenes and not cues & {"off"}:
            return "activate_scene"
        if "activate" in cues:
            return "activate_scene" if not domains or "scene" in domains else "turn_on"
        if cues & {"on", "start"}:
            return "turn_on"
        if "off" in cues:
            return "turn_off"
        if cues & {"set", "up", "down", "raise", "lower"} and has_target:
            return _value_intent(tags, quantity, domains, cues)
        if has_target and not cues - {"turn"}:
            return "answer"
        return None


def _value_intent(
    tags: _Tags, quantity: Quantity | None, domains: list[str], cues: set[str]
) -> str:
    """Which value a number (or a missing one) is for."""
    if tags.attributes:
        return tags.attributes[0]
    if quantity is not None and quantity.unit in (CELSIUS, FAHRENHEIT):
        return "set_temperature"
    if cues & {"dim", "brighten"}:
        return "set_brightness"
    if cues & {"open", "close"}:
        return "set_position"
    for domain in domains:
        if domain in VALUE_INTENT_OF_DOMAIN:
            return VALUE_INTENT_OF_DOMAIN[domain]
    if quantity is not None and quantity.unit == PERCENT:
        return "set_brightness"
    return "set_temperature"


def _target_slots(tags: _Tags) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    names = list(dict.fromkeys(name for _, name in tags.entities))
    if names:
        slots["name"] = names[0]
        if len(names) > 1:
            slots["names"] = names
    rooms = list(dict.fromkeys(room for _, room in tags.rooms))
    if rooms:
        slots["room"] = rooms[0]
        if len(rooms) > 1:
            slots["rooms"] = rooms
    if tags.devices:
        word = tags.devices[0][1]
        slots["domain"] = V.DEVICE_WORDS[word].domain
        slots["device"] = word
        if any(V.DEVICE_WORDS[w].plural for _, w in tags.devices):
            slots["plural"] = True
    if tags.quantifier:
        slots["all"] = True
    if tags.both:
        slots["plural"] = True
    if tags.whole_home:
        slots["whole_home"] = True
    if tags.ref and not names:
        slots["ref"] = True
    return slots


def _confirmation(tokens: list[str]) -> str | None:
    """yes / no / cancel on their own (with harmless extra words)."""
    words = set(tokens)
    text = " ".join(tokens)
    if text in V.CANCEL_PHRASES or (
        words & V.CANCEL_STRONG
        and words
        <= V.CANCEL_STRONG
        | V.CANCEL_EXTRA
        | V.DENY_STRONG
        | {"never", "mind", "forget", "about", "stop"}
    ):
        return "cancel"
    if words & V.DENY_STRONG and words <= V.DENY_STRONG | V.DENY_EXTRA:
        return "deny"
    if text in V.AFFIRM_PHRASES or (
        words & V.AFFIRM_STRONG and words <= V.AFFIRM_STRONG | V.AFFIRM_EXTRA
    ):
        return "affirm"
    return None


def _tag_one_pronoun(tags: _Tags) -> None:
    """ "the kitchen one", "the first one", "that one": "one" is not the number 1 there."""
    for i, token in enumerate(tags.tokens):
        if token not in ("one", "ones") or tags.used[i]:
            continue
        nxt = tags.tokens[i + 1] if i + 1 < len(tags.tokens) else ""
        if nxt == "of" or nxt in V.DEVICE_WORDS:
            tags.take(i)  # "one of the lights", "one light": not a value of 1
            continue
        if i == 0:
            continue
        before = tags.tokens[i - 1]
        if nxt in UNIT_WORDS or nxt in NUMBER_WORDS - {"and", "a"}:
            continue
        if before in ("the", "that", "this", "other", "which", "each", "every") or (
            before in ORDINALS or tags.used[i - 1] or before in V.COLORS
        ):
            tags.take(i)


def _tag_percent_words(tags: _Tags) -> None:
    """ "halfway", "half", "full": percentages without a number ("and a half" is a number)."""
    for i, token in enumerate(tags.tokens):
        if tags.used[i] or token not in V.PERCENT_WORDS:
            continue
        if token == "half" and tags.prev(i) == "a":
            continue
        tags.quantities.append(Quantity(V.PERCENT_WORDS[token], PERCENT, i, i + 1))
        tags.take(i)


def _tag_word(tags: _Tags, i: int, token: str) -> None:
    """One leftover word: a device word, verb, value, quantifier, filler or unexplained."""
    tags.used[i] = True
    before = tags.prev(i)
    after = tags.tokens[i + 1] if i + 1 < len(tags.tokens) else ""
    if token in V.NOUN_OR_VERB:
        noun = before in _ARTICLES or (
            i > 0 and before not in V.CUES and tags.used[i - 1] and before not in V.STOP_WORDS
        )
        if token == "switch" and after in ("on", "off"):
            noun = False
        if token == "heat" and before in ("to", "on", "in"):
            tags.modes.append("heat")
            return
        if not noun:
            if token == "heat":
                tags.cues.append("set")
                tags.devices.append((i, "heat"))
            else:
                tags.cues.append(V.CUES[token])
            return
    if token in ("heating", "cooling") and (before in ("to", "on", "in") or after == "mode"):
        if token == "heating":
            tags.modes.append("heat")
        else:
            tags.cools.append(token)
        return
    if token in ("cool", "cooling"):
        tags.cools.append(token)
        return
    if token in V.ATTRIBUTES:
        tags.attributes.append(V.ATTRIBUTES[token])
        if token in V.DEVICE_WORDS:
            tags.devices.append((i, token))
        return
    if token in V.DEVICE_WORDS:
        tags.devices.append((i, token))
        return
    if token in V.CUES:
        tags.cues.append(V.CUES[token])
        return
    if token in V.COLORS:
        tags.colors.append(V.COLORS[token])
        return
    if token in V.COLOR_TEMPS:
        tags.color_temps.append(V.COLOR_TEMPS[token])
        return
    if token in V.MODES:
        tags.modes.append(V.MODES[token])
        return
    rank = ordinal(token)
    if rank is not None:
        tags.ordinal = rank
        return
    if token == "both":
        tags.both = True
        return
    if token in V.QUANTIFIERS:
        tags.quantifier = True
        return
    if token in V.WHOLE_HOME:
        tags.whole_home = True
        tags.quantifier = True
        return
    if token in V.REFERENCES:
        tags.ref = True
        return
    if token in V.HERE:
        tags.here = True
        return
    if token in V.BLOCKERS:
        tags.blockers.append(token)
        return
    if token in V.STOP_WORDS or token in UNIT_WORDS:
        return
    tags.unexplained.append(token)
