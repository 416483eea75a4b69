"""A minimal dialogue manager: one pending question per site, and safety first.

The recogniser hears one sentence at a time; people answer questions with
fragments ("twenty one", "the kitchen one", "yes"). The manager keeps the
unfinished intent per site (each satellite is its own conversation), fills it
from the next turn, and never lets a sensitive device (lock, garage door)
move without an explicit "yes" to a question that names it.

Per site it also remembers what the last command did, for a while
(``referent_timeout``): its targets ("turn it off"), its values ("and the
bedroom too" says them again for another room) and how its targets were just
before it ("undo that" puts them back). Questions about the home ("is the
garage open?") are answered from the mirrored state and send nothing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from homebrain.actions.custom import ConfiguredIntent
from homebrain.domains import CommandError
from homebrain.home import Home
from homebrain.messages import DeviceCommand
from homebrain.turns import ACTION, ANSWER, ASK, REJECTED, UNKNOWN, Decision, TurnContext
from homebrain.understanding import vocabulary as V
from homebrain.understanding.holdback import LATER, NEGATED
from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent
from homebrain.understanding.labels import GESTURE_ANSWERS
from homebrain.understanding.matcher import Matcher
from homebrain.understanding.model_recogniser import DialogueState
from homebrain.understanding.normalize import normalize
from homebrain.understanding.numbers import NUMBER_WORDS, parse_quantities
from homebrain.understanding.recogniser import Recogniser
from homebrain.understanding.resolve import (
    AMBIGUOUS,
    ATTRIBUTE_DOMAINS,
    INCOMPATIBLE,
    KIND_OF_DOMAIN,
    NO_TARGET,
    NOT_FOUND,
    VALUE_INTENTS,
    Resolver,
)
from homebrain.understanding.tokenizer import words

from .commands import (
    REQUIRED_SLOT,
    OutOfRange,
    Unsupported,
    confirm_key,
    done_key,
    effective_intent,
    fields_for,
    missing,
    restore_fields,
    value_text,
)
from .other_one import the_other_one
from .queries import QueryAnswerer, looks_plural, spoken_name
from .responses import Responses
from .target_correction import corrects_target

# Kinds of pending question.
VALUE = "value"
WHICH = "which"
CONFIRM = "confirm"
SLOT = "slot"  # a custom intent's missing slot

_NOT_COMMANDS = frozenset({"answer", "affirm", "deny", "cancel", "undo", "query", OUT_OF_DOMAIN})
_TARGET_SLOTS = ("name", "names", "room", "rooms", "domain", "device")
_VALUE_SLOTS = ("value", "unit", "color", "color_temp", "mode")
# What "and the bedroom too" carries over from the last command: everything but its target.
_CARRIED_SLOTS = (*_VALUE_SLOTS, "attribute")
# "sorry, I meant twenty two", "actually make that nineteen": a value taken back
_TAKING_BACK = frozenset({"meant", "mean", "sorry", "actually", "make", "correction", "rather"})
# what a value taken back may say besides the number: "oh sorry, I meant twenty two degrees"
_CORRECTION_WORDS = _TAKING_BACK | frozenset(
    {"i", "no", "oh", "um", "uh", "er", "oops", "wait", "it", "that", "to", "please", "and",
     "point", "degrees", "degree", "percent", "%", "°", "celsius", "c", "a", "half", "say",
     "said", "was", "should", "be", "have", "been"}
)  # fmt: skip


def _only_a_correction(text: str) -> bool:
    """ "sorry, I meant twenty two", not "sorry, I have twenty two emails"."""
    return all(
        t in _CORRECTION_WORDS or t in NUMBER_WORDS or t.replace(".", "", 1).isdigit()
        for t in words(text)
    )


def _correction_part(text: str) -> str | None:
    """The text, or its opening clauses, when they are only a correction and the clauses
    after them say no number of their own ("no, 21, we're not made of money")."""
    if _only_a_correction(text):
        return text
    parts = _CLAUSES.split(text)
    whole = _said_value(text)
    for count in range(len(parts) - 1, 0, -1):
        opening = " ".join(parts[:count])
        if _only_a_correction(opening) and whole and _said_value(opening) == whole:
            return opening
    return None


_CLAUSES = re.compile(r"[,;.!?]")
# commands after which a level said alone is that device's level
_LEVEL_AFTER = frozenset({"turn_on", "increase", "decrease", *VALUE_INTENTS.values()})


def _said_value(text: str) -> dict[str, Any]:
    """The one number a sentence says, with its unit ({} for none or several)."""
    found = parse_quantities(words(text))
    if len(found) != 1:
        return {}
    number = found[0].value
    said: dict[str, Any] = {"value": int(number) if number == int(number) else number}
    return {**said, "unit": found[0].unit} if found[0].unit else said


# slots that aim a turn at a device of its own
_TARGET_WORDS = ("name", "names", "device", "room", "rooms", "all", "whole_home")
# what "the other one" replaces: the words that pointed, not the values
_POINTERS = (*_TARGET_WORDS, "ref", "domain", "plural", "deixis")
# Words that make a bare target a repeat of the last command ("and the bedroom too",
# "same for the hallway", "what about the kitchen"); see _sounds_elliptical.
_ELLIPSIS_FIRST = frozenset({"and", "also", "same", "now", "then", "plus", "the", "in", "for"})
_ELLIPSIS_ANY = frozenset({"too", "also", "same", "well", "ditto", "likewise", "similarly"})
# A device word for each kind, for a repeat that names only a room.
_DOMAIN_WORD = {domain: kind for domain, kind in KIND_OF_DOMAIN.items()}
_DOMAIN_WORD.update({"media_player": "media player", "climate": "thermostat"})
_MAX_OPTIONS = 6

# An explicit yes (before a lock or garage door moves): one of these words or phrases, and
# no word that takes it back or hedges it. The recogniser's "affirm" alone is not enough:
# a model can hear "I'm not sure" as a yes, and the safety promise must not rest on it.
_YES_PHRASES = (*sorted(V.AFFIRM_PHRASES), "please do", "go on")
_NOT_A_YES = frozenset(
    {
        *V.DENY_STRONG,
        *V.CANCEL_STRONG,
        "not",
        "dont",
        "never",
        "maybe",
        "perhaps",
        "possibly",
        "probably",
        "unsure",
        "wait",
        "hold",
        "later",
        "stop",
        "isnt",
        "wont",
        "cant",
        "shouldnt",
    }
)
_THUMBS_UP = 0.5  # the vision stage's gesture_thumbs_up score that counts as a yes
# Words of a name that tell nothing apart in an answer to "which one?".
_PLAIN_WORDS = frozenset({"the", "a", "an", "one", "ones", "of", "in", "on", "my", "that"})
# Words an answer to "which one?" may say besides a name: "oh the lantern please"
_ANSWER_FILLER = frozenset(
    {"please", "yes", "yeah", "ok", "okay", "oh", "um", "uh", "er", "erm", "just", "its", "it"}
)
# Words that point: "this one", "that", "the one over there"
_POINTING_WORDS = frozenset({"this", "that", "these", "those", "here", "there"})

# The value a pending question waits for, in labels.PENDING_SLOTS' words.
_PENDING_SLOT = {
    "set_temperature": "temperature",
    "set_brightness": "brightness",
    "set_position": "position",
    "set_percentage": "percentage",
    "set_volume": "volume",
    "set_color": "color",
    "set_color_temp": "color_temp",
    "set_mode": "mode",
}


@dataclass
class _Pending:
    kind: str
    intent: Intent
    question: str
    expires: float
    candidates: list[str] = field(default_factory=list)
    commands: list[DeviceCommand] = field(default_factory=list)
    response: str = ""
    retried: bool = False
    slot: str | None = None  # the custom slot a SLOT question asks for
    undoing: bool = False  # a CONFIRM whose commands put the last change back

    def describe(self, now: float) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "intent": self.intent.name,
            "slots": dict(self.intent.slots),
            "targets": list(self.intent.targets),
            "candidates": list(self.candidates),
            "commands": [
                {"entity_id": c.entity_id, "fields": dict(c.fields)} for c in self.commands
            ],
            "question": self.question,
            "slot": self.slot,
            "undo": self.undoing,
            "expires_in": max(0.0, self.expires - now),
        }


@dataclass
class _Undo:
    """How to put back what the last command changed: one command per target that can be.

    ``unknown`` are the targets whose earlier state the mirror did not have (or
    that have none, like a scene): undo names them instead of guessing.
    """

    commands: list[DeviceCommand]
    at: float
    unknown: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, Any]:
        return {
            "commands": [
                {"entity_id": c.entity_id, "fields": dict(c.fields)} for c in self.commands
            ],
            "unknown": list(self.unknown),
        }


@dataclass
class _Session:
    pending: _Pending | None = None
    expired: bool = False  # a question timed out since the last turn
    referents: list[str] = field(default_factory=list)
    referents_at: float = 0.0
    last_intent: str | None = None
    # the last command (or query) as it was carried out, for "and the bedroom too"
    last_command: Intent | None = None
    last_at: float = 0.0
    undo: _Undo | None = None
    # how sure speech recognition was of this turn's words (1.0 for typed text)
    heard: float = 1.0


def join_names(names: list[str], word: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


class DialogueManager:
    """Turns text (and what the camera saw) into a Decision, one site at a time.

    ``state`` reads an entity's mirrored state (kept for state-aware features);
    ``clock`` is injectable so question expiry can be tested without sleeping.
    ``ask_confidence``: below it, a sensitive device is not even asked about (the
    user is asked to say it again), nor is it when speech recognition was less
    sure of the words than ``sensitive_confidence``; a "yes" below that does not
    move one either. Between the two, a sensitive command the recogniser was
    unsure of is asked about: the question names the device, and nothing moves
    without a sure "yes".
    ``custom``: the config's custom intents by name; one of them, once every slot
    its action needs is known (said, defaulted or asked for), is an ACTION
    decision with no device commands: the pipeline publishes its message.
    """

    def __init__(
        self,
        home: Home,
        state: Callable[[str], dict[str, Any]],
        responses: Responses,
        question_timeout: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        referent_timeout: float = 300.0,
        sensitive_confidence: float = 0.9,
        ask_confidence: float = 0.6,
        matcher: Recogniser | None = None,
        resolver: Resolver | None = None,
        custom: Mapping[str, ConfiguredIntent] | None = None,
    ) -> None:
        self.home = home
        self.state = state
        self.responses = responses
        self.question_timeout = question_timeout
        self.referent_timeout = referent_timeout
        self.sensitive_confidence = sensitive_confidence
        self.ask_confidence = min(ask_confidence, sensitive_confidence)
        self.clock = clock
        self.matcher: Recogniser = matcher or Matcher(home)
        self.resolver = resolver or Resolver(home)
        self.custom: dict[str, ConfiguredIntent] = dict(custom or {})
        self.queries = QueryAnswerer(home, self.resolver, state, responses)
        self._sessions: dict[str, _Session] = {}

    # -- public ---------------------------------------------------------------------------

    def handle(self, text: str, context: TurnContext | None = None) -> Decision:
        """Decide what one heard/typed sentence does. Never raises on odd input."""
        context = context or TurnContext()
        session = self._session(context.site)
        now = self.clock()
        self._expire(session, now)
        norm = normalize(text) if isinstance(text, str) else normalize("\x00")
        vision = context.extra.get("vision")
        gesture_answer = (
            norm.rejected == "empty" and session.pending is not None and answers_by_gesture(vision)
        )
        if not norm.ok and not gesture_answer:
            return Decision(None, [], self._say(f"rejected_{norm.rejected}"), REJECTED)
        site_room = self.home.room_of_site(context.site or self.home.default_site)
        seen_room = context.extra.get("seen_room")
        if site_room is None and isinstance(seen_room, str) and seen_room in self.home.rooms:
            hears = self.home.rooms_of_site(context.site or self.home.default_site)
            if not hears or seen_room in hears:
                # the site's room is unknown or one of several: where the speaker is seen
                site_room = seen_room
        intent = self.matcher.recognise(
            text,
            site_room,
            dialogue=self._dialogue_state(session),
            vision=vision if isinstance(vision, dict) else None,
        )
        if gesture_answer and intent.name not in _GESTURE_INTENTS.values():
            # no words, only a gesture: what it means does not depend on the recogniser
            # (the grammar reads words only; the model may be unsure of a weak score)
            intent = gesture_intent(vision)
        asr = context.extra.get("asr_confidence")
        session.heard = 1.0
        if isinstance(asr, int | float) and not isinstance(asr, bool):
            session.heard = max(0.0, min(1.0, float(asr)))
            intent.confidence *= session.heard
        expired, session.expired = session.expired, False
        if session.pending is not None:
            decision = self._continue(session, session.pending, intent, context, site_room, now)
            if decision is not None:
                return decision
            session.pending = None  # a new complete command replaces the question
        return self._fresh(session, intent, context, site_room, now, expired)

    def reset(self, site: str | None = None) -> None:
        """Forget conversations: all sites, or just ``site``."""
        if site is None:
            self._sessions.clear()
        else:
            self._sessions.pop(site, None)

    def pending(self, site: str | None) -> dict[str, Any] | None:
        """The open question at ``site`` as plain data, or None."""
        session = self._sessions.get(site or "default")
        if session is None:
            return None
        now = self.clock()
        self._expire(session, now)
        return session.pending.describe(now) if session.pending else None

    def describe(self) -> dict[str, dict[str, Any]]:
        """Every site's conversation as plain data (for the state snapshot and `homebrain state`).

        Per site: the open question (as ``pending``), what "it" means now
        (``referents``, empty once they have timed out), the last intent, and
        what "undo" would send.
        """
        now = self.clock()
        out: dict[str, dict[str, Any]] = {}
        for site, session in sorted(self._sessions.items()):
            self._expire(session, now)
            fresh = now - session.referents_at <= self.referent_timeout
            referents = list(session.referents) if fresh else []
            undo = session.undo
            if undo is not None and now - undo.at > self.referent_timeout:
                undo = None
            out[site] = {
                "pending": session.pending.describe(now) if session.pending else None,
                "referents": referents,
                "referents_age": round(now - session.referents_at, 1) if referents else None,
                "last_intent": session.last_intent,
                "undo": undo.describe() if undo else None,
            }
        return out

    def adopt(self, previous: DialogueManager) -> None:
        """Carry conversations over from the manager of a previous config (a SIGHUP reload).

        What still makes sense in this home is kept: referents, the last
        command, the undo record and the open question survive when every
        entity (and custom intent) they name is still configured; the rest is
        dropped, so a reload never leaves a question about a device that is gone.
        The previous manager is not used afterwards (its sessions are taken over).
        """
        known = self.home.entities
        for site, old in previous._sessions.items():
            session = _Session(
                expired=old.expired,
                referents=[r for r in old.referents if r in known],
                referents_at=old.referents_at,
                last_intent=old.last_intent,
            )
            last = old.last_command
            if last is not None and all(t in known for t in last.targets):
                session.last_command, session.last_at = last, old.last_at
            if old.undo is not None:
                commands = [c for c in old.undo.commands if c.entity_id in known]
                unknown = [u for u in old.undo.unknown if u in known]
                if commands or unknown:
                    session.undo = _Undo(commands, old.undo.at, unknown)
            if old.pending is not None and self._still_valid(old.pending):
                session.pending = old.pending
            self._sessions[site] = session

    def _still_valid(self, pending: _Pending) -> bool:
        named = [
            *pending.intent.targets,
            *pending.candidates,
            *(c.entity_id for c in pending.commands),
        ]
        if not all(n in self.home.entities for n in named):
            return False
        return pending.kind != SLOT or pending.intent.name in self.custom

    # -- turns ----------------------------------------------------------------------------

    def _fresh(
        self,
        session: _Session,
        intent: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
        expired: bool,
    ) -> Decision:
        again = self._value_corrected(session, intent, now)
        if again is not None:
            return self._with_targets(session, again, again.targets, now)
        instead = self._target_corrected(session, intent, context, site_room, now)
        if instead is not None:
            return instead
        level = self._level_for_last(session, intent, now)
        if level is not None:
            return self._with_targets(session, level, level.targets, now)
        if intent.name == OUT_OF_DOMAIN:
            held = intent.slots.get("held_back")
            if held in (NEGATED, LATER):
                # a command said but not wanted now: answered, nothing sent
                return Decision(intent, [], self._say(f"held_back_{held}"), ANSWER)
            return Decision(intent, [], self._say("unknown"), UNKNOWN)
        if intent.name == "affirm":
            return Decision(
                intent, [], self._say("expired" if expired else "nothing_to_confirm"), ANSWER
            )
        if intent.name in ("deny", "cancel"):
            return Decision(intent, [], self._say("ok"), ANSWER)
        if intent.name == "answer":
            if expired:
                return Decision(intent, [], self._say("expired"), ANSWER)
            return Decision(intent, [], self._say("unknown"), UNKNOWN)
        if intent.name in self.custom:
            return self._custom(session, intent, context, now)
        if intent.name == "undo":
            return self._undo(session, intent, now)
        intent = self._the_other_one(session, intent, now)
        intent = self._with_ellipsis(session, intent, now)
        intent = self._as_last_changed(session, intent, site_room, now)
        if intent.name == "query":
            return self._query(session, intent, context, site_room, now)
        return self._act(session, intent, context, site_room, now)

    def _continue(
        self,
        session: _Session,
        pending: _Pending,
        intent: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
    ) -> Decision | None:
        """Use this turn as the answer to ``pending``; None if it is a new command instead."""
        if intent.name == "undo":
            # "undo" while homebrain waits for an answer takes back the unfinished
            # request, not the command before it
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        if intent.name == "query":
            # a question in between is answered and the open one still waits; but a
            # confirmation only ever stands right after its own question
            if pending.kind == CONFIRM:
                session.pending = None
            return self._query(
                session,
                self._with_ellipsis(session, intent, now),
                context,
                site_room,
                now,
                keep_last=True,
            )
        if pending.kind == SLOT:
            return self._slot_answer(session, pending, intent, context, now)
        if intent.name in ("cancel", "deny"):
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        if _is_command(intent) or intent.name in self.custom:
            return None  # a whole new command (a custom intent is one by itself)
        if pending.kind == CONFIRM:
            session.pending = None
            if (
                intent.name == "affirm"
                and intent.confidence >= self.sensitive_confidence
                and explicit_yes(intent.text, context.extra.get("vision"))
            ):
                done = replace(pending.intent, targets=[c.entity_id for c in pending.commands])
                return self._sent(
                    session, done, list(pending.commands), pending.response, now, pending.undoing
                )
            key = "not_sure" if intent.name == "affirm" else "cancelled"
            return Decision(intent, [], self._say(key), ANSWER)
        if intent.name == OUT_OF_DOMAIN and (
            _picks_one(pending, intent) or self._names_one_option(pending, intent.text)
        ):
            # "the last one you mentioned", "lantern" while "which one?" waits: an answer,
            # however unsure the model was of the words around the ordinal or the name
            return self._which(
                session, pending, replace(intent, name="answer"), context, site_room, now
            )
        if intent.name in ("affirm", OUT_OF_DOMAIN):
            return self._retry(session, pending, intent, now)
        if pending.kind == VALUE:
            slots = _merged(pending.intent.slots, intent.slots, _VALUE_SLOTS)
            filled = replace(pending.intent, slots=slots)
            domain = self.home.entities[filled.targets[0]].domain
            if missing(effective_intent(filled.name, slots, domain), slots):
                instead = _main_value(filled, intent, domain)
                if instead is None:
                    return self._retry(session, pending, intent, now)
                filled = instead
            session.pending = None
            return self._with_targets(session, filled, filled.targets, now)
        return self._which(session, pending, intent, context, site_room, now)

    def _which(
        self,
        session: _Session,
        pending: _Pending,
        answer: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
    ) -> Decision:
        """Answer to "which one?": by name, room, device word, ordinal, or "both"/"all"."""
        slots = answer.slots
        base = replace(pending.intent, slots=_merged(pending.intent.slots, slots, _VALUE_SLOTS))
        named_target = any(k in slots for k in _TARGET_SLOTS)
        candidates = pending.candidates

        def act_on_new_target() -> Decision:
            """The answer named something else: do the pending action on that instead."""
            session.pending = None
            retargeted = replace(base, slots=_retargeted(base.slots, slots))
            return self._act(session, retargeted, context, site_room, now)

        if not candidates:
            if not named_target and not slots.get("ref"):
                return self._retry(session, pending, answer, now)
            return act_on_new_target()
        # "both", "all of them", or two names ("the lamp and the bedroom light")
        group = bool(slots.get("all") or slots.get("plural") or len(slots.get("names") or []) > 1)
        picked = list(candidates)
        if "ordinal" in slots:
            index = _index(len(candidates), slots["ordinal"])
            picked = [candidates[index]] if index is not None else []
        elif context.pointing_at in candidates and not named_target and _points(answer):
            picked = [context.pointing_at]  # "this one", pointing at one of the options
        else:
            picked = self._narrow(candidates, slots)
            if not named_target and not group:
                # "the counter one": a word of one option's name that the others lack
                told = answer.name == "answer"
                picked = self._told_apart(candidates, answer.text) if told else []
            if not picked and named_target:
                return act_on_new_target()
        kind = str(pending.intent.slots.get("device") or "device")
        if len(picked) > 1 and not group and slots.get("room"):
            primary = self.resolver.primary(picked, slots["room"], kind.removesuffix("s"))
            picked = [primary] if primary else picked
        if len(picked) == 1 or (picked and group):
            session.pending = None
            return self._with_targets(session, base, picked, now)
        if len(picked) > 1:
            return self._ask_which(session, base, picked, kind, now)
        return self._retry(session, pending, answer, now)

    def _narrow(self, candidates: list[str], slots: dict[str, Any]) -> list[str]:
        """The candidates the words point at: names, else rooms, then the device word.

        With names, a room only chooses among one name's own matches (as the
        resolver does): "the reading lamp and the bedroom light" tags the room of
        the second name, which must not drop the first.
        """
        picked = list(candidates)
        names = slots.get("names") or ([slots["name"]] if slots.get("name") else [])
        rooms = slots.get("rooms") or ([slots["room"]] if slots.get("room") else [])
        if names:
            named: list[str] = []
            for name in names:
                ids = [c for c in self.resolver.named(str(name)) if c in picked]
                if len(ids) > 1 and rooms:
                    ids = [i for i in ids if self.home.entities[i].room in rooms] or ids
                named.extend(i for i in ids if i not in named)
            picked = [c for c in picked if c in named]
        elif rooms:
            picked = [c for c in picked if self.home.entities[c].room in rooms]
        word = V.DEVICE_WORDS.get(str(slots.get("device") or ""))
        if word is not None:
            picked = [
                c
                for c in picked
                if word.fits(self.home.entities[c].domain, self.home.entities[c].device_class)
            ]
        return picked

    def _told_apart(self, candidates: list[str], text: str) -> list[str]:
        """The one option whose name has a word said in ``text`` that no other option's has.

        The recogniser tags whole names; an answer to "the kitchen light or the
        counter light?" often says only the part that differs ("the counter
        one"). Only the options just offered count, and only a word that singles
        one out: device words ("light") and a word two options share say nothing.
        """
        said = set(words(text or "")) - _PLAIN_WORDS - set(V.DEVICE_WORDS)
        if not said:
            return []
        own = {
            c: {w for name in self.home.entities[c].names for w in words(name)}
            for c in candidates
            if c in self.home.entities
        }
        hits = [
            c
            for c, mine in own.items()
            if said & (mine - set().union(*(v for o, v in own.items() if o != c)))
        ]
        return hits if len(hits) == 1 else []

    def _names_one_option(self, pending: _Pending, text: str | None) -> bool:
        """ "Lantern", "the stained glass one": only words of one option's names (and words
        that say nothing), however the recogniser read them."""
        if pending.kind != WHICH or not pending.candidates:
            return False
        picked = self._told_apart(pending.candidates, text or "")
        if len(picked) != 1:
            return False
        own = {w for name in self.home.entities[picked[0]].names for w in words(name)}
        said = set(words(text or "")) - _PLAIN_WORDS - set(V.DEVICE_WORDS) - _ANSWER_FILLER
        return said <= own

    def _retry(self, session: _Session, pending: _Pending, intent: Intent, now: float) -> Decision:
        """Ask once more; a second miss gives up."""
        if pending.retried:
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        pending.retried = True
        pending.expires = now + self.question_timeout
        return Decision(intent, [], self._say("ask_again", question=pending.question), ASK)

    # -- custom intents -------------------------------------------------------------------

    def _custom(
        self, session: _Session, intent: Intent, context: TurnContext, now: float
    ) -> Decision:
        """A custom intent: ask for a missing slot, or decide to publish its action."""
        configured = self.custom[intent.name]
        slots = configured.complete(intent.slots)
        done = replace(intent, slots=slots, targets=[])
        missing = configured.missing(slots)
        if missing:
            slot = missing[0]
            question = self._slot_question(configured, slot)
            session.pending = _Pending(SLOT, done, question, now + self.question_timeout, slot=slot)
            return Decision(done, [], question, ASK)
        site = context.site or self.home.default_site or "default"
        response = configured.response(slots, site, intent.text) or self._say(
            "done_custom", name=configured.spoken_name
        )
        session.last_intent = intent.name
        session.undo = None  # "undo" now would mean the custom action, which cannot be undone
        return Decision(done, [], response, ACTION)

    def _slot_answer(
        self,
        session: _Session,
        pending: _Pending,
        intent: Intent,
        context: TurnContext,
        now: float,
    ) -> Decision | None:
        """The answer to "which size?": a value of that slot, said alone or in a sentence.

        "no" is a value when the slot has it ("how many sugars?" "no"), else it
        cancels; the same request said again is merged with what was heard; any
        other complete command replaces the question (None).
        """
        configured = self.custom.get(pending.intent.name)
        if configured is None or pending.slot is None:  # the config was reloaded meanwhile
            session.pending = None
            return None
        if intent.name == pending.intent.name:
            session.pending = None
            merged = {**pending.intent.slots, **intent.slots}
            return self._custom(session, replace(pending.intent, slots=merged), context, now)
        # the asked slot first; anything else said ("a large one") replaces a default
        wanted = [pending.slot, *configured.spec.slots]
        heard = configured.spec.spot(intent.text, list(dict.fromkeys(wanted)))
        aimed = any(intent.slots.get(k) for k in ("name", "names", "device", "room", "rooms"))
        answered = pending.slot in heard and not aimed
        if intent.name == "cancel" and not answered:
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        if intent.name in self.custom or (_is_command(intent) and not answered):
            # a whole new command; one that names nothing but says the asked-for value
            # ("skinny" taken for a command word, or for "cancel") is the answer
            return None
        if pending.slot not in heard:
            if intent.name == "deny":
                session.pending = None
                return Decision(intent, [], self._say("cancelled"), ANSWER)
            return self._retry(session, pending, intent, now)
        session.pending = None
        merged = {**pending.intent.slots, **heard}
        return self._custom(session, replace(pending.intent, slots=merged), context, now)

    def _slot_question(self, configured: ConfiguredIntent, slot: str) -> str:
        own = configured.questions.get(slot)
        if own:
            return own
        options = configured.options(slot)
        what = slot.replace("_", " ")
        if 2 <= len(options) <= _MAX_OPTIONS:
            return self._say("ask_slot", what=what, options=join_names(options, "or"))
        return self._say("ask_slot_open", what=what)

    # -- acting ---------------------------------------------------------------------------

    def _act(
        self,
        session: _Session,
        intent: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
    ) -> Decision:
        fresh = now - session.referents_at <= self.referent_timeout
        referents = session.referents if fresh else []
        found = self.resolver.resolve(intent, site_room, context.pointing_at, referents)
        if found.problem == NO_TARGET and _ambient_it(intent):
            # "it's chilly, warm it up": nothing was talked about, so "it" is the room
            plain = {k: v for k, v in intent.slots.items() if k != "ref"}
            found = self.resolver.resolve(
                replace(intent, slots=plain), site_room, context.pointing_at, referents
            )
        if found.problem == AMBIGUOUS:
            return self._ask_which(session, intent, found.candidates, found.kind, now)
        if found.problem == NO_TARGET:
            question = self._say("ask_target")
            session.pending = _Pending(
                WHICH, replace(intent, targets=[]), question, now + self.question_timeout
            )
            return Decision(intent, [], question, ASK)
        if found.problem == NOT_FOUND:
            if found.room:
                room = self.home.rooms.get(found.room)
                room_name = room.name if room else found.room.replace("_", " ")
                text = self._say(
                    "not_found_in_room", kind=found.kind, room=room_name[:1].lower() + room_name[1:]
                )
            else:
                text = self._say("not_found", kind=found.kind)
            return Decision(intent, [], text, ANSWER)
        if found.problem == INCOMPATIBLE or not found.targets:
            return Decision(intent, [], self._incompatible(found.targets), ANSWER)
        return self._with_targets(session, intent, found.targets, now)

    def _with_targets(
        self, session: _Session, intent: Intent, targets: list[str], now: float
    ) -> Decision:
        intent = replace(intent, targets=list(targets))
        entities = [self.home.entities[t] for t in targets if t in self.home.entities]
        if not entities:
            return Decision(intent, [], self._say("unknown"), UNKNOWN)
        first = effective_intent(intent.name, intent.slots, entities[0].domain)
        ask = missing(first, intent.slots)
        if ask is not None:
            question = self._say(ask)
            session.pending = _Pending(VALUE, intent, question, now + self.question_timeout)
            return Decision(intent, [], question, ASK)
        commands: list[DeviceCommand] = []
        skipped: list[str] = []
        try:
            for entity in entities:
                name = effective_intent(intent.name, intent.slots, entity.domain)
                try:
                    fields = fields_for(name, entity, intent.slots, self.state(entity.entity_id))
                except Unsupported:
                    skipped.append(entity.entity_id)
                    continue
                commands.append(DeviceCommand(entity.entity_id, fields))
        except OutOfRange as exc:
            return Decision(intent, [], self._say(exc.response_key, **exc.fields), ANSWER)
        except CommandError:
            return Decision(intent, [], self._say("unknown"), UNKNOWN)
        if not commands:
            return Decision(intent, [], self._incompatible(skipped), ANSWER)
        intent.targets = [c.entity_id for c in commands]
        moved = [self.home.entities[c.entity_id] for c in commands]
        lead = commands[0].fields
        response = self._say(
            done_key(lead, moved[0].domain),
            name=join_names([spoken_name(e) for e in moved]),
            value=value_text(lead),
            color=lead.get("color", ""),
            mode=lead.get("mode", ""),
        )
        return self._send(session, intent, commands, response, now)

    def _send(
        self,
        session: _Session,
        intent: Intent,
        commands: list[DeviceCommand],
        response: str,
        now: float,
        undoing: bool = False,
    ) -> Decision:
        """Send ``commands``, unless one moves a sensitive device: then ask first.

        An undo goes through here too, so putting a lock or a garage door back
        needs the same explicit "yes" as moving it did.
        """
        sensitive = [c for c in commands if self.home.entities[c.entity_id].sensitive]
        if sensitive:
            if intent.confidence < self.ask_confidence or session.heard < self.sensitive_confidence:
                # words barely heard are heard again, not guessed at and asked about
                return Decision(intent, [], self._say("not_sure"), ANSWER)
            names = [spoken_name(self.home.entities[c.entity_id]) for c in sensitive]
            question = self._say(confirm_key(sensitive[0].fields), name=join_names(names))
            session.pending = _Pending(
                CONFIRM,
                intent,
                question,
                now + self.question_timeout,
                commands=commands,
                response=response,
                undoing=undoing,
            )
            return Decision(intent, [], question, ASK)
        return self._sent(session, intent, commands, response, now, undoing)

    def _sent(
        self,
        session: _Session,
        intent: Intent,
        commands: list[DeviceCommand],
        response: str,
        now: float,
        undoing: bool,
    ) -> Decision:
        """The commands go out now: remember them for "it", "and the bedroom too" and "undo".

        The undo record is taken here, from the mirror as it is just before the
        commands leave (for a confirmed command: at the "yes", not at the
        question). An undo itself is not recorded: "undo" twice does not redo.
        """
        targets = [c.entity_id for c in commands]
        if undoing:
            session.undo = None
        else:
            session.undo = self._undo_record(commands, now)
            session.last_command = replace(intent, targets=targets, slots=dict(intent.slots))
            session.last_at = now
        self._remember(session, targets, now)
        session.last_intent = intent.name
        return Decision(intent, commands, response, ACTION)

    def _undo_record(self, commands: list[DeviceCommand], now: float) -> _Undo:
        restore: list[DeviceCommand] = []
        unknown: list[str] = []
        for command in commands:
            entity = self.home.entities[command.entity_id]
            fields = restore_fields(entity.domain, command.fields, self.state(entity.entity_id))
            if fields is None:
                unknown.append(entity.entity_id)
            else:
                restore.append(DeviceCommand(entity.entity_id, fields))
        return _Undo(restore, now, unknown)

    # -- undo, queries, ellipsis ----------------------------------------------------------

    def _undo(self, session: _Session, intent: Intent, now: float) -> Decision:
        """Put the last command's targets back as they were (only the fields it changed).

        "undo the lamp" after a command to several devices puts back only the lamp.
        """
        record = session.undo
        if record is None or now - record.at > self.referent_timeout:
            session.undo = None
            return Decision(intent, [], self._say("nothing_to_undo"), ANSWER)
        known = self.home.entities
        commands = [c for c in record.commands if c.entity_id in known]
        unknown = [u for u in record.unknown if u in known]
        if any(k in intent.slots for k in ("name", "names", "room", "rooms", "device")):
            named = set(self._narrow([*(c.entity_id for c in commands), *unknown], intent.slots))
            commands = [c for c in commands if c.entity_id in named]
            unknown = [u for u in unknown if u in named]
        if not commands:
            if unknown:
                names = join_names([spoken_name(known[u]) for u in unknown])
                return Decision(intent, [], self._say("cannot_undo", name=names), ANSWER)
            return Decision(intent, [], self._say("nothing_to_undo"), ANSWER)
        done = replace(intent, targets=[c.entity_id for c in commands])
        names = join_names([spoken_name(known[c.entity_id]) for c in commands])
        one = len(commands) == 1 and not looks_plural(names)  # "the blinds are back"
        response = self._say("undone" if one else "undone_many", name=names)
        return self._send(session, done, commands, response, now, undoing=True)

    def _query(
        self,
        session: _Session,
        intent: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
        keep_last: bool = False,
    ) -> Decision:
        """Answer from the mirror; nothing is sent. What it was about becomes "it".

        ``keep_last``: asked while a question is open, the query leaves the
        conversation's last command alone (the answer to the question still
        completes that one).
        """
        fresh = now - session.referents_at <= self.referent_timeout
        answer = self.queries.answer(
            intent.slots,
            intent.text,
            site_room,
            context.pointing_at,
            session.referents if fresh else [],
        )
        done = replace(intent, targets=list(answer.about))
        if answer.about:
            self._remember(session, answer.about, now)
        if not keep_last:
            session.last_intent = intent.name
            session.last_command = replace(done, slots=dict(intent.slots))
            session.last_at = now
        return Decision(done, [], answer.response, ANSWER)

    def _with_ellipsis(self, session: _Session, intent: Intent, now: float) -> Intent:
        """ "and the bedroom too": the last command again, with its values, for a new target.

        The model hears such a turn as the last intent with only a room or device
        tagged; this fills in the values (brightness, colour, temperature, the
        attribute of a relative change or a query) that the new turn did not
        say. Only when the sentence sounds like a repeat: "dim the bedroom
        light" right after "dim the lamp to 30%" is a new request whose value is
        asked for, not copied. A turn that names no target at all ("brighter")
        is left to the referents, as before.
        """
        last = session.last_command
        if last is None or now - session.last_at > self.referent_timeout:
            return intent
        slots = intent.slots
        if intent.name != last.name or not any(
            k in slots for k in ("name", "names", "room", "rooms", "device")
        ):
            return intent
        if any(k in slots for k in _CARRIED_SLOTS) or not _sounds_elliptical(intent.text):
            return intent
        merged = {**slots, **{k: last.slots[k] for k in _CARRIED_SLOTS if k in last.slots}}
        if not any(k in slots for k in ("name", "names", "device")):
            # only a room: the same kind of device as last time ("the bedroom" light, not fan)
            device = last.slots.get("device") or self._kind_word(last.targets)
            if isinstance(device, str) and device in V.DEVICE_WORDS:
                merged["device"] = device
                merged["domain"] = V.DEVICE_WORDS[device].domain
            if last.slots.get("plural") or len(last.targets) > 1:
                merged["plural"] = True  # "same in the orangery" after the parlour's lights
        return replace(intent, slots=merged)

    def _the_other_one(self, session: _Session, intent: Intent, now: float) -> Intent:
        """ "and the other one too": the one device like the last that it was not, by name."""
        if now - session.referents_at > self.referent_timeout or any(
            intent.slots.get(k) for k in ("name", "names")
        ):
            return intent
        other = the_other_one(self.home, session.referents, words(intent.text or ""))
        if other is None:
            return intent
        slots = {k: v for k, v in intent.slots.items() if k not in _POINTERS}
        return replace(intent, slots={**slots, "name": other.name})

    def _value_corrected(self, session: _Session, intent: Intent, now: float) -> Intent | None:
        """ "sorry, I meant twenty two" right after a value was set: that value instead.

        Only a bare value said with words that take something back, and only when
        the last command (still fresh) set a value of its own.
        """
        last = session.last_command
        text = intent.text or ""
        said = words(text)
        if (
            intent.name not in ("answer", OUT_OF_DOMAIN)
            or last is None
            or now - session.last_at > self.referent_timeout
            or "value" not in last.slots
            or last.name in ("increase", "decrease")  # a step again would step twice
            or not (set(said) & _TAKING_BACK or said[:1] in (["no"], ["nope"], ["nah"]))
        ):
            return None
        correction = _correction_part(text)  # clause by clause: only once the rest fits
        if correction is None:
            return None
        value: dict[str, Any] = {k: intent.slots[k] for k in ("value", "unit") if k in intent.slots}
        if correction != text:
            # "no, 21, we're not made of money": the number of the clauses that take back
            value = _said_value(correction)
        if "value" not in value:
            # the words are a number and taking back alone, however the model read them
            value = _said_value(text)
        if "value" not in value:
            return None
        slots = {k: v for k, v in last.slots.items() if k not in ("unit", "bare_value")}
        return replace(last, slots={**slots, **value})

    def _level_for_last(self, session: _Session, intent: Intent, now: float) -> Intent | None:
        """ "Full blast" right after "turn the punkah on": the level of what was just switched.

        A bare value with no question asked is a value for nothing (the recogniser marks
        it so), except right after a command that switched on or set devices of one kind,
        when it says its unit and that fits their main value (a percentage for a fan,
        degrees for the heating). A plain number is still nothing ("twenty one" after a
        question was dropped for another command), and so is a level for what was just
        switched off.
        """
        last = session.last_command
        if (
            intent.name != OUT_OF_DOMAIN
            or not intent.slots.get("bare_value")
            or "value" not in intent.slots
            or not intent.slots.get("unit")
            or last is None
            or last.name not in _LEVEL_AFTER
            or not last.targets
            or now - session.last_at > self.referent_timeout
        ):
            return None
        entities = [self.home.entities.get(t) for t in last.targets]
        domains = {e.domain for e in entities if e is not None}
        if len(domains) != 1 or any(e is None or e.sensitive for e in entities):
            return None
        domain = next(iter(domains))
        main = VALUE_INTENTS.get(domain)
        if main is None or intent.slots.get("unit") not in _MAIN_UNITS[domain]:
            return None
        aimed = {k: v for k, v in last.slots.items() if k in _POINTERS}
        value: dict[str, Any] = {k: intent.slots[k] for k in ("value", "unit") if k in intent.slots}
        return replace(last, name=main, slots={**aimed, **value}, text=intent.text)

    def _target_corrected(
        self,
        session: _Session,
        intent: Intent,
        context: TurnContext,
        site_room: str | None,
        now: float,
    ) -> Decision | None:
        """ "No, the mezzanine" right after a command: put its device back, do it to that one.

        None unless the words take back (target_correction), the last command is
        fresh with its undo record, the turn names one other device for it (or
        "the other one"), and no sensitive device is on either side.
        """
        last, record = session.last_command, session.undo
        tokens = words(intent.text or "")
        if (
            last is None
            or record is None
            or record.unknown
            or now - session.last_at > self.referent_timeout
            or intent.name in ("query", "undo", *self.custom)
            or not corrects_target(tokens)
        ):
            return None
        said = {k: intent.slots[k] for k in (*_TARGET_SLOTS, "plural") if intent.slots.get(k)}
        other = the_other_one(self.home, last.targets, tokens, correcting=True)
        if other is not None:
            said = {"name": other.name}
        if not said:
            return None
        # the meant device replaces everything that aimed the last command
        slots = {**{k: v for k, v in last.slots.items() if k not in _POINTERS}, **said}
        if "name" not in said and "device" not in said and "domain" not in said:
            domains = {t.split(".", 1)[0] for t in last.targets}
            if len(domains) == 1:  # "I meant the mezzanine": the same kind of device there
                domain = next(iter(domains))
                slots = {**slots, "device": _DOMAIN_WORD.get(domain, domain), "domain": domain}
        slots = _merged(slots, intent.slots, _VALUE_SLOTS)  # "no, the festoon, at fifty"
        meant = replace(last, slots=slots, targets=[], text=intent.text)
        found = self.resolver.resolve(meant, site_room, context.pointing_at, [])
        involved = [*last.targets, *found.targets]
        if (
            not found.ok
            or set(found.targets) & set(last.targets)
            or any(self.home.entities[t].sensitive for t in involved if t in self.home.entities)
        ):
            return None
        restore = [c for c in record.commands if c.entity_id in self.home.entities]
        decision = self._with_targets(session, meant, found.targets, now)
        if decision.outcome != ACTION:
            return decision
        names = join_names([spoken_name(self.home.entities[c.entity_id]) for c in restore])
        back = self._say("put_back" if len(restore) == 1 else "put_back_many", name=names)
        commands = [*restore, *decision.commands]
        return replace(decision, commands=commands, response=f"{back} {decision.response}")

    def _as_last_changed(
        self, session: _Session, intent: Intent, site_room: str | None, now: float
    ) -> Intent:
        """ "a touch warmer" right after the paper lantern's white was set: the white again.

        A change that names nothing goes to what was just changed (the referents);
        its words can still point at another kind of device ("warmer" is the
        heating's, "noisy" a player's). Where the last command was a light's
        white, or a light in a room with no heating of its own, warmth is its
        white; where it was a fan, noise is its speed.
        """
        last = session.last_command
        slots = intent.slots
        if (
            intent.name not in ("increase", "decrease")
            or last is None
            or now - session.last_at > self.referent_timeout
            or any(slots.get(k) for k in (*_TARGET_WORDS, "unit"))
        ):
            return intent
        domains = {t.split(".", 1)[0] for t in last.targets}
        attribute = slots.get("attribute")
        if (
            domains == {"light"}
            and attribute == "set_temperature"
            and (_changed_white(last) or self._unheated(site_room))
        ):
            # where the room that heard it has no heating, "warmer" after a light is its white
            return replace(intent, slots={**slots, "attribute": "set_color_temp"})
        if domains == {"fan"} and attribute == "set_volume":
            return replace(intent, slots={**slots, "attribute": "set_percentage"})
        return intent

    def _unheated(self, room: str | None) -> bool:
        """A known room with no heating of its own."""
        return room is not None and not any(
            e.domain == "climate" and e.room == room for e in self.home.entities.values()
        )

    def _kind_word(self, targets: list[str]) -> str | None:
        """The device word for the one kind of device ``targets`` are, if they are one kind."""
        domains = {t.split(".", 1)[0] for t in targets}
        if len(domains) != 1:
            return None
        return _DOMAIN_WORD.get(next(iter(domains)))

    def _ask_which(
        self, session: _Session, intent: Intent, candidates: list[str], kind: str, now: float
    ) -> Decision:
        names = [
            f"the {spoken_name(self.home.entities[c])}"
            for c in candidates
            if c in self.home.entities
        ]
        if len(names) > _MAX_OPTIONS:
            names = [*names[: _MAX_OPTIONS - 1], f"one of {len(names) - _MAX_OPTIONS + 1} more"]
        kind = kind.removesuffix("s") if kind.endswith("s") and kind in V.DEVICE_WORDS else kind
        question = self._say("ask_which", kind=kind, options=join_names(names, "or"))
        pending_intent = replace(intent, targets=[])
        session.pending = _Pending(
            WHICH,
            pending_intent,
            question,
            now + self.question_timeout,
            candidates=list(candidates),
        )
        return Decision(intent, [], question, ASK)

    # -- helpers --------------------------------------------------------------------------

    def _incompatible(self, targets: list[str]) -> str:
        entities = [self.home.entities[t] for t in targets if t in self.home.entities]
        if not entities:
            return self._say("unknown")
        return self._say("incompatible", name=join_names([spoken_name(e) for e in entities]))

    def _say(self, key: str, **fields: Any) -> str:
        return self.responses.say(key, **fields)

    def _session(self, site: str | None) -> _Session:
        return self._sessions.setdefault(site or "default", _Session())

    def _expire(self, session: _Session, now: float) -> None:
        if session.pending is not None and now >= session.pending.expires:
            session.pending = None
            session.expired = True

    def _remember(self, session: _Session, targets: list[str], now: float) -> None:
        session.referents = list(targets)
        session.referents_at = now

    def _dialogue_state(self, session: _Session) -> DialogueState:
        """The conversation as the learned model sees it (the grammar ignores it)."""
        pending = session.pending
        last_domain = session.referents[0].split(".", 1)[0] if session.referents else "none"
        last_intent = session.last_intent or "none"
        if pending is None:
            return DialogueState(last_domain=last_domain, last_intent=last_intent)
        slot = "target" if pending.kind == WHICH else "none"
        if pending.kind == VALUE:
            need = REQUIRED_SLOT.get(pending.intent.name)
            slot = _PENDING_SLOT.get(pending.intent.name, "none") if need else "none"
        kind = VALUE if pending.kind == SLOT else pending.kind  # a value, in the model's words
        return DialogueState(kind, slot, last_domain, pending.intent.name)


def _changed_white(command: Intent) -> bool:
    """The command set or moved a light's white (colour temperature)."""
    slots = command.slots
    return (
        command.name == "set_color_temp"
        or "color_temp" in slots
        or slots.get("attribute") == "set_color_temp"
    )


def _sounds_elliptical(text: str) -> bool:
    """ "and the kitchen too", "same for the hallway", "the bedroom as well", "what about X"."""
    tokens = words(text or "")
    if not tokens:
        return False
    if tokens[0] in _ELLIPSIS_FIRST or tokens[:2] in (["what", "about"], ["how", "about"]):
        return True
    return any(t in _ELLIPSIS_ANY for t in tokens)


def explicit_yes(text: str, vision: object = None) -> bool:
    """Whether a yes to "are you sure?" is explicit: a yes word or phrase and nothing that
    hedges or takes it back ("yes do it", "go ahead"; not "I'm not sure", "maybe",
    "yes no"), or a thumbs-up seen by the camera with no such word.
    """
    tokens = [t.replace("'", "") for t in words(text or "")]
    if any(t in _NOT_A_YES for t in tokens):
        return False
    if any(t in V.AFFIRM_STRONG for t in tokens):
        return True
    joined = f" {' '.join(tokens)} "
    if any(f" {phrase} " in joined for phrase in _YES_PHRASES):
        return True
    if isinstance(vision, Mapping):
        score = vision.get("gesture_thumbs_up")
        return isinstance(score, int | float) and float(score) >= _THUMBS_UP
    return False


# the vision entries of the gestures that answer a pending question without words
_GESTURE_INTENTS = {f"gesture_{g}": answer for g, answer in GESTURE_ANSWERS.items()}


def _gesture_scores(vision: object) -> dict[str, float]:
    if not isinstance(vision, Mapping):
        return {}
    scores = {name: vision.get(name) for name in _GESTURE_INTENTS}
    return {k: float(v) for k, v in scores.items() if isinstance(v, int | float)}


def answers_by_gesture(vision: object) -> bool:
    """Whether the camera saw a gesture that can answer a question on its own."""
    return any(score >= _THUMBS_UP for score in _gesture_scores(vision).values())


def gesture_intent(vision: object) -> Intent:
    """The answer the strongest answering gesture gives: yes, no or never mind."""
    scores = _gesture_scores(vision)
    name = max(scores, key=lambda g: scores[g])
    return Intent(_GESTURE_INTENTS[name], {}, scores[name], "")


# The unit a number said for each kind of device's main value may carry (None: no unit).
_MAIN_UNITS: dict[str, tuple[str | None, ...]] = {
    "climate": (None, "°C", "°F"),
    "light": (None, "%"),
    "fan": (None, "%"),
    "cover": (None, "%"),
    "media_player": (None, "%"),
}


def _main_value(pending: Intent, answer: Intent, domain: str) -> Intent | None:
    """ "Which mode?" "Twenty two degrees": a number that fits the device's main value
    (temperature, brightness, ...) answers a question about another of its settings.

    The answer names the same device (it is the one asked about) and a complete value
    for it, so asking again would only repeat the question. None when the number does
    not fit (a percentage for the heating) or the question wanted a number anyway.
    """
    main = VALUE_INTENTS.get(domain)
    value = answer.slots.get("value")
    # a bare number can be a colour temperature, so only a mode or a colour question
    if main is None or pending.name not in ("set_mode", "set_color") or value is None:
        return None
    if answer.slots.get("unit") not in _MAIN_UNITS.get(domain, (None,)):
        return None
    dropped = ("attribute", "mode", "color", "color_temp")
    slots = {k: v for k, v in pending.slots.items() if k not in dropped}
    return replace(pending, name=main, slots=slots)


def _ambient_it(intent: Intent) -> bool:
    """ "warm it up", "cool it down a bit": a change whose words say the kind of device
    (warmer: the heating) with an "it" that points at nothing in particular."""
    slots = intent.slots
    if intent.name not in ("increase", "decrease") or str(slots.get("ref") or "") != "it":
        return False
    return str(slots.get("attribute") or "") in ATTRIBUTE_DOMAINS or slots.get("unit") in (
        "°C",
        "°F",
    )


def _picks_one(pending: _Pending, intent: Intent) -> bool:
    """An ordinal said while "which one?" waits, with candidates to count."""
    return pending.kind == WHICH and bool(pending.candidates) and "ordinal" in intent.slots


def _points(answer: Intent) -> bool:
    """ "This one", "that": an answer that points rather than names."""
    return bool(answer.slots.get("ref")) or bool(set(words(answer.text or "")) & _POINTING_WORDS)


def _is_command(intent: Intent) -> bool:
    """A whole new command (names what to act on), not a fragment answering a question."""
    return intent.name not in _NOT_COMMANDS and any(k in intent.slots for k in _TARGET_SLOTS)


def _retargeted(base: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The question's slots with the answer's target words: a name replaces everything
    about the target, a room or device word only replaces its own kind."""
    out = dict(base)
    if "name" in answer:
        for key in (*_TARGET_SLOTS, "plural", "all", "ref"):
            out.pop(key, None)
    if "room" in answer:
        out.pop("rooms", None)
    if "device" in answer:
        out.pop("domain", None)
    for key in (*_TARGET_SLOTS, "ref", "plural", "all", "ordinal"):
        if key in answer:
            out[key] = answer[key]
    return out


def _merged(base: dict[str, Any], answer: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """``base`` with the answer's values for ``keys``; a new number drops the old unit."""
    out = dict(base)
    if "value" in answer:
        out.pop("unit", None)
    for key in keys:
        if key in answer:
            out[key] = answer[key]
    return out


def _index(count: int, rank: Any) -> int | None:
    if not isinstance(rank, int):
        return None
    index = rank - 1 if rank > 0 else count + rank
    return index if 0 <= index < count else None


__all__ = ["CONFIRM", "SLOT", "VALUE", "WHICH", "DialogueManager", "join_names", "spoken_name"]
