"""The learned recogniser: the on-device model's intent and spans, as an Intent with slots.

It has the grammar matcher's interface (``recognise(text, site_room, ...)``)
plus the two inputs only a model can use: the dialogue state and the camera's
vision vector. Torch is never imported here; the predictor is the LiteRT
runtime (or anything with the same ``predict``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from homebrain.home import Home
from homebrain.understanding.complements import (
    AS_FAR_AS,
    complements,
    complete_value,
    relative_reading,
    set_reading,
    toned_down,
    whole_values,
)
from homebrain.understanding.corrections import corrected
from homebrain.understanding.gazetteer import Gazetteer
from homebrain.understanding.holdback import NEGATED, held_back
from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent
from homebrain.understanding.normalize import strip_markup
from homebrain.understanding.resolve import INTENT_DOMAINS, VALUE_INTENTS
from homebrain.understanding.sound_alikes import mended
from homebrain.understanding.spans import SlotFiller, SpanLike
from homebrain.understanding.tokenizer import words


@dataclass(frozen=True)
class DialogueState:
    """What the model is told about the conversation (labels.context_vector's keywords)."""

    pending_kind: str = "none"
    pending_slot: str = "none"
    last_domain: str = "none"
    last_intent: str = "none"

    def as_context(self) -> dict[str, str]:
        return {
            "pending_kind": self.pending_kind,
            "pending_slot": self.pending_slot,
            "last_domain": self.last_domain,
            "last_intent": self.last_intent,
        }


@dataclass
class Reading:
    """One sentence as the recogniser read it: words, spans, the model's context, intent."""

    tokens: list[str] = field(default_factory=list)
    spans: list[SpanLike] = field(default_factory=list)
    context: dict[str, str] = field(default_factory=dict)
    intent: str = ""


class PredictionLike(Protocol):
    intent: str
    intent_confidence: float
    intent_probs: Mapping[str, float]
    spans: Sequence[SpanLike]


class Predictor(Protocol):
    def predict(
        self,
        tokens: list[str],
        context: dict[str, str],
        vision: dict[str, float],
        marks: list[str] | None = None,
    ) -> PredictionLike: ...


class ModelRecogniser:
    """``min_confidence``: below it the model's guess is treated as out of domain."""

    def __init__(self, home: Home, predictor: Predictor, min_confidence: float = 0.5) -> None:
        self.predictor = predictor
        self.filler = SlotFiller(home)
        self.gazetteer = Gazetteer.for_home(home)
        self.min_confidence = min_confidence
        # words the home uses in its names: never a place or a thing elsewhere
        names = [n for e in home.entities.values() for n in e.names]
        names += [n for r in home.rooms.values() for n in r.names]
        self.home_words = frozenset(w for n in names for w in words(n.lower()))
        # the last sentence as it was read, so tools that turn heard sentences into
        # training phrasings see the words, spans and context, not only the intent
        # (scripts/borrow_phrasings.py)
        self.last_reading = Reading()

    def recognise(
        self,
        text: str,
        site_room: str | None = None,
        dialogue: DialogueState | None = None,
        vision: Mapping[str, float] | None = None,
    ) -> Intent:
        self.last_reading = Reading(context=(dialogue or DialogueState()).as_context())
        intent = self._recognise(text, site_room, dialogue, vision)
        self.last_reading.intent = intent.name
        return intent

    def _recognise(
        self,
        text: str,
        site_room: str | None,
        dialogue: DialogueState | None,
        vision: Mapping[str, float] | None,
    ) -> Intent:
        # markup and stuttered words are not speech; the model never saw them in training
        raw = [w for w in (_latin(w) for w in words(strip_markup(text))) if w]
        tokens = mended([w for i, w in enumerate(raw) if i == 0 or w != raw[i - 1]])
        context = (dialogue or DialogueState()).as_context()
        readable = any(ch.isalnum() for w in tokens for ch in w)
        if not readable and not vision and context == DialogueState().as_context():
            # nothing the model can read and nothing else to go on ("日本語", "🙂")
            return Intent(OUT_OF_DOMAIN, {}, 1.0, text)
        marks = self.gazetteer.marks(tokens)
        prediction = self.predictor.predict(tokens, context, dict(vision or {}), marks)
        spans: Sequence[SpanLike] = whole_values(corrected(prediction.spans, tokens), tokens)
        self.last_reading.tokens, self.last_reading.spans = tokens, list(spans)
        slots = self.filler.fill(spans, tokens)
        confidence = _family_confidence(prediction)
        predicted = _to_the_top(self.filler, prediction.intent, slots, tokens)
        said = toned_down(tokens) or _name_and_level(self.filler, slots, spans, tokens)
        if said is not None:
            # "not so bright", "festoon to twenty five percent": the words leave no doubt,
            # however the model read the "not" or the missing verb
            predicted, confidence = said, max(confidence, self.min_confidence)
        if predicted == "play" and _asks_for_content(tokens, slots):
            # "play music", "play some jazz": content homebrain has no source for
            slots["content"] = True
            return Intent(OUT_OF_DOMAIN, slots, confidence, text)
        unsure = confidence < self.min_confidence and not (
            # "undo" said outright is no guess, however unsure the model is of the rest
            predicted == "undo" and set(tokens) & _UNDO_WORDS
        )
        if unsure:
            # unsure of the whole, even of it being nothing: a clause may still be sure
            clause = self._surer_clause(text, site_room, dialogue, vision, prediction)
            if clause is not None:
                self.last_reading.tokens = []  # read in parts: no one reading of the whole
                return clause
        if unsure and predicted != OUT_OF_DOMAIN:
            slots["low_confidence"] = predicted
            if _a_value_for_nothing(predicted, context, tokens, spans):
                slots["bare_value"] = True  # "twenty one degrees", however unsure: for nothing
            held = held_back(tokens, spans, predicted, self.home_words)
            if held is not None:
                # unsure what was meant, but the words hold it back anyway: say why
                slots["held_back"] = held
            return Intent(OUT_OF_DOMAIN, slots, confidence, text)
        if (
            predicted in ("deny", "cancel")
            and context["pending_kind"] == "none"
            and any(slots.get(k) for k in ("name", "names", "device"))
        ):
            # "leave the punkah alone" with nothing asked: a device to leave as it is
            slots["held_back"] = NEGATED
            return Intent(OUT_OF_DOMAIN, slots, confidence, text)
        if _a_value_for_nothing(predicted, context, tokens, spans):
            # "twenty one degrees" with no question asked: a value for nothing in particular
            slots["bare_value"] = True
            return Intent(OUT_OF_DOMAIN, slots, confidence, text)
        if predicted in INTENT_DOMAINS:
            # a device action the model was sure of: what it left untagged, the words still say
            completed = complements(self.filler, spans, tokens, marks, predicted)
            if list(completed) != list(spans):  # filled again only when something changed
                spans = completed
                slots = self.filler.fill(spans, tokens)
                self.last_reading.spans = list(spans)
            complete_value(predicted, slots, spans, tokens)
            held = held_back(tokens, spans, predicted, self.home_words)
            if held is not None:
                # "leave the punkah alone", "the beamer on as soon as the match starts"
                slots["held_back"] = held
                return Intent(OUT_OF_DOMAIN, slots, confidence, text)
        if predicted == OUT_OF_DOMAIN and _aimed(Intent(predicted, slots)):
            # sure it is no command now: the words may still say why ("in an hour")
            held = held_back(tokens, spans, _likeliest_command(prediction), self.home_words)
            if held is not None:
                slots["held_back"] = held
        intent = set_reading(self.filler, predicted, slots, tokens)
        intent = relative_reading(intent, slots, tokens)
        return Intent(intent, slots, confidence, text)

    def _surer_clause(
        self,
        text: str,
        site_room: str | None,
        dialogue: DialogueState | None,
        vision: Mapping[str, float] | None,
        whole: PredictionLike,
    ) -> Intent | None:
        """ "switch the bottle warmer off, the baby's fed": the command, heard on its own.

        A reason or a remark beside a command can leave the model unsure of the
        whole sentence. When exactly one of its clauses (split where the text has
        a comma or a semicolon) is a command aimed at something that the model is
        all but certain of, and the whole sentence gave that reading some weight,
        that clause is what was asked.
        """
        parts = [p for p in _CLAUSE_BREAK.split(text) if any(c.isalnum() for c in p)]
        if len(parts) < 2:
            return None
        sure = [
            heard
            for heard in (self._recognise(p, site_room, dialogue, vision) for p in parts)
            if heard.name != OUT_OF_DOMAIN and heard.confidence >= _SURE and _aimed(heard)
        ]
        if len(sure) != 1 or _weight(whole, sure[0].name) < _SOME_WEIGHT:
            return None
        return Intent(sure[0].name, sure[0].slots, sure[0].confidence, text)


_CLAUSE_BREAK = re.compile(r"[,;]")
# a clause on its own must be a command the model is all but certain of, aimed at something
_SURE = 0.9


def _likeliest_command(prediction: PredictionLike) -> str:
    """The device action the model thought likeliest, however unlikely."""
    commands = {k: p for k, p in prediction.intent_probs.items() if k in INTENT_DOMAINS}
    return max(commands, key=commands.__getitem__) if commands else OUT_OF_DOMAIN


def _aimed(intent: Intent) -> bool:
    return any(intent.slots.get(k) for k in ("name", "names", "device", "ref", "room", "rooms"))


# how much of the whole sentence's probability a clause's reading needs
_SOME_WEIGHT = 0.1
_UNDO_WORDS = frozenset({"undo", "revert"})
# the intents that set a device's main level: one per domain
LEVELS = frozenset(VALUE_INTENTS.values())


def _weight(prediction: PredictionLike, intent: str) -> float:
    """The probability the model gave ``intent`` (the five levels counted as one)."""
    probs = prediction.intent_probs
    if intent in LEVELS:
        return sum(float(probs.get(name, 0.0)) for name in LEVELS)
    return float(probs.get(intent, 0.0))


def _family_confidence(prediction: PredictionLike) -> float:
    """The model's confidence, counting "set X to a value" as one intent.

    "set the noguchi to 60" is sure to be a level but torn between brightness,
    percentage and volume when the name says nothing of what the thing is; the
    named device decides that later (commands.effective_intent), so splitting the
    probability between them is no doubt about what the user wants.
    """
    confidence = float(prediction.intent_confidence)
    if prediction.intent in LEVELS:
        confidence = max(confidence, _weight(prediction, prediction.intent))
    return confidence


# words that may stand beside a bare value without making it a command
_BESIDE_A_VALUE = frozenset(
    {"please", "uh", "um", "er", "erm", "oh", "okay", "ok", "so", "then", "thanks", "hmm", "like",
     "about", "around", "roughly", "degrees", "degree", "percent", "celsius", "fahrenheit"}
)  # fmt: skip


def _only_a_value(tokens: Sequence[str], spans: Sequence[SpanLike]) -> bool:
    """Nothing but an amount (and its unit, and politeness) was said."""
    inside = {i for s in spans if s.slot_type in ("value", "unit") for i in range(s.start, s.end)}
    if not inside:
        return False
    return all(i in inside or t in _BESIDE_A_VALUE for i, t in enumerate(tokens))


# words that may stand between a device's name and its level
_NAME_TO_LEVEL = frozenset({"the", "to", "at", "on", *_BESIDE_A_VALUE})


def _a_value_for_nothing(
    predicted: str, context: Mapping[str, str], tokens: Sequence[str], spans: Sequence[SpanLike]
) -> bool:
    """A value alone, with no question asked, whether the model calls it a level, an answer
    or nothing at all (the dialogue may still give it to what was just switched on)."""
    return (
        (predicted in LEVELS or predicted in ("answer", OUT_OF_DOMAIN))
        and context["pending_kind"] == "none"
        and _only_a_value(tokens, spans)
    )


def _name_and_level(
    filler: SlotFiller,
    slots: Mapping[str, object],
    spans: Sequence[SpanLike],
    tokens: Sequence[str],
) -> str | None:
    """ "festoon to twenty five percent": a home's device and a level, and nothing else.

    With no verb the model may take it for a remark; the name's kind of device
    says which level ("to" a brightness, a speed, a volume).
    """
    name = slots.get("name")
    if not isinstance(name, str) or "value" not in slots:
        return None
    inside = {
        i
        for s in spans
        if s.slot_type in ("device", "value", "unit")
        for i in range(s.start, s.end)
    }
    if not all(i in inside or t in _NAME_TO_LEVEL for i, t in enumerate(tokens)):
        return None
    return VALUE_INTENTS.get(str(filler.name_domain(name) or ""))


def _to_the_top(
    filler: SlotFiller, intent: str, slots: Mapping[str, object], tokens: Sequence[str]
) -> str:
    """ "festoon lights as bright as they'll go": a device named with the top of its range.

    The model may read the phrase as a remark; a named device and "as bright as it'll
    go" together are its main value set to the top (the complements fill in the 100).
    """
    if intent != OUT_OF_DOMAIN or not AS_FAR_AS.search(" ".join(tokens)):
        return intent
    name = slots.get("name")
    domain = filler.name_domain(name) if isinstance(name, str) else slots.get("domain")
    return VALUE_INTENTS.get(str(domain or ""), intent)


def _latin(word: str) -> str:
    """The word in the letters the model was trained on: "café" → "cafe"; other scripts → ""."""
    if word.isascii() or word == "°":
        return word
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return plain if plain and len(plain) * 2 >= len(word) else ""


# What "play ..." asks for when it names content rather than a player.
_CONTENT = frozenset(
    {"music", "song", "songs", "playlist", "album", "podcast", "track", "tune", "tunes",
     "audiobook", "radio", "station", "jazz", "rock", "pop", "classical", "something"}
)  # fmt: skip


_GO_ON = frozenset({"resume", "continue", "unpause"})


def _asks_for_content(tokens: Sequence[str], slots: Mapping[str, object]) -> bool:
    if set(tokens) & _GO_ON:
        return False  # "resume music", "continue the radio": what was playing, not content
    device = slots.get("device")
    named = any(slots.get(k) for k in ("name", "names", "ref")) or (
        bool(device) and device not in _CONTENT  # "play music": music is no player
    )
    return not named and any(t in _CONTENT for t in tokens)
