"""A minimal dialogue manager: one pending question per site, and safety first.

The recogniser hears one sentence at a time; people answer questions with
fragments ("twenty one", "the kitchen one", "yes"). The manager keeps the
unfinished intent per site (each satellite is its own conversation), fills it
from the next turn, and never lets a sensitive device (lock, garage door)
move without an explicit "yes" to a question that names it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from homebrain.actions.custom import ConfiguredIntent
from homebrain.domains import CommandError
from homebrain.home import Entity, Home
from homebrain.messages import DeviceCommand
from homebrain.turns import ACTION, ANSWER, ASK, REJECTED, UNKNOWN, Decision, TurnContext
from homebrain.understanding import vocabulary as V
from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent
from homebrain.understanding.matcher import Matcher
from homebrain.understanding.model_recogniser import DialogueState
from homebrain.understanding.normalize import normalize
from homebrain.understanding.recogniser import Recogniser
from homebrain.understanding.resolve import (
    AMBIGUOUS,
    INCOMPATIBLE,
    NO_TARGET,
    NOT_FOUND,
    Resolver,
)

from .commands import (
    REQUIRED_SLOT,
    OutOfRange,
    Unsupported,
    confirm_key,
    done_key,
    effective_intent,
    fields_for,
    missing,
    value_text,
)
from .responses import Responses

# Kinds of pending question.
VALUE = "value"
WHICH = "which"
CONFIRM = "confirm"
SLOT = "slot"  # a custom intent's missing slot

_NOT_COMMANDS = frozenset({"answer", "affirm", "deny", "cancel", OUT_OF_DOMAIN})
_TARGET_SLOTS = ("name", "names", "room", "rooms", "domain", "device")
_VALUE_SLOTS = ("value", "unit", "color", "color_temp", "mode")
_MAX_OPTIONS = 6

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
            "expires_in": max(0.0, self.expires - now),
        }


@dataclass
class _Session:
    pending: _Pending | None = None
    expired: bool = False  # a question timed out since the last turn
    referents: list[str] = field(default_factory=list)
    referents_at: float = 0.0
    last_intent: str | None = None


def spoken_name(entity: Entity) -> str:
    """ "Kitchen light" reads "kitchen light" mid-sentence; "TV" stays "TV"."""
    name = entity.name.strip()
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def join_names(names: list[str], word: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


class DialogueManager:
    """Turns text (and what the camera saw) into a Decision, one site at a time.

    ``state`` reads an entity's mirrored state (kept for state-aware features);
    ``clock`` is injectable so question expiry can be tested without sleeping.
    ``sensitive_confidence``: below it, a sensitive device is not even asked about.
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
        self.clock = clock
        self.matcher: Recogniser = matcher or Matcher(home)
        self.resolver = resolver or Resolver(home)
        self.custom: dict[str, ConfiguredIntent] = dict(custom or {})
        self._sessions: dict[str, _Session] = {}

    # -- public ---------------------------------------------------------------------------

    def handle(self, text: str, context: TurnContext | None = None) -> Decision:
        """Decide what one heard/typed sentence does. Never raises on odd input."""
        context = context or TurnContext()
        session = self._session(context.site)
        now = self.clock()
        self._expire(session, now)
        norm = normalize(text) if isinstance(text, str) else normalize("\x00")
        if not norm.ok:
            return Decision(None, [], self._say(f"rejected_{norm.rejected}"), REJECTED)
        site_room = self.home.room_of_site(context.site or self.home.default_site)
        vision = context.extra.get("vision")
        intent = self.matcher.recognise(
            text,
            site_room,
            dialogue=self._dialogue_state(session),
            vision=vision if isinstance(vision, dict) else None,
        )
        asr = context.extra.get("asr_confidence")
        if isinstance(asr, int | float) and not isinstance(asr, bool):
            intent.confidence *= max(0.0, min(1.0, float(asr)))
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
        if intent.name == OUT_OF_DOMAIN:
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
        if pending.kind == SLOT:
            return self._slot_answer(session, pending, intent, context, now)
        if intent.name in ("cancel", "deny"):
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        if _is_command(intent) or intent.name in self.custom:
            return None  # a whole new command (a custom intent is one by itself)
        if pending.kind == CONFIRM:
            session.pending = None
            if intent.name == "affirm" and intent.confidence >= self.sensitive_confidence:
                done = replace(pending.intent, targets=[c.entity_id for c in pending.commands])
                self._remember(session, done.targets, now)
                return Decision(done, list(pending.commands), pending.response, ACTION)
            key = "not_sure" if intent.name == "affirm" else "cancelled"
            return Decision(intent, [], self._say(key), ANSWER)
        if intent.name in ("affirm", OUT_OF_DOMAIN):
            return self._retry(session, pending, intent, now)
        if pending.kind == VALUE:
            slots = _merged(pending.intent.slots, intent.slots, _VALUE_SLOTS)
            filled = replace(pending.intent, slots=slots)
            domain = self.home.entities[filled.targets[0]].domain
            if missing(effective_intent(filled.name, slots, domain), slots):
                return self._retry(session, pending, intent, now)
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
        group = bool(slots.get("all") or slots.get("plural"))
        picked = list(candidates)
        if "ordinal" in slots:
            index = _index(len(candidates), slots["ordinal"])
            picked = [candidates[index]] if index is not None else []
        else:
            picked = self._narrow(candidates, slots)
            if not named_target and not group:
                picked = []
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
        picked = list(candidates)
        names = slots.get("names") or ([slots["name"]] if slots.get("name") else [])
        if names:
            named = {i for n in names for i in self.resolver.named(n)}
            picked = [c for c in picked if c in named]
        rooms = slots.get("rooms") or ([slots["room"]] if slots.get("room") else [])
        if rooms:
            picked = [c for c in picked if self.home.entities[c].room in rooms]
        word = V.DEVICE_WORDS.get(str(slots.get("device") or ""))
        if word is not None:
            picked = [
                c
                for c in picked
                if word.fits(self.home.entities[c].domain, self.home.entities[c].device_class)
            ]
        return picked

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
        if intent.name == "cancel":
            session.pending = None
            return Decision(intent, [], self._say("cancelled"), ANSWER)
        if intent.name in self.custom or _is_command(intent):
            return None
        # the asked slot first; anything else said ("a large one") replaces a default
        wanted = [pending.slot, *configured.spec.slots]
        heard = configured.spec.spot(intent.text, list(dict.fromkeys(wanted)))
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
        sensitive = [c for c in commands if self.home.entities[c.entity_id].sensitive]
        if sensitive:
            if intent.confidence < self.sensitive_confidence:
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
            )
            return Decision(intent, [], question, ASK)
        self._remember(session, intent.targets, now)
        session.last_intent = intent.name
        return Decision(intent, commands, response, ACTION)

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
