"""Custom intents from the config, understood by their own sentence templates.

A custom intent (``intents:`` in the config) is a name, sentence templates in
the corpus's template language (``homebrain.training.templates``: ``(a|b)``
alternatives, an empty alternative for "optional", ``{slot}`` placeholders)
and, per slot, the spoken forms it accepts with the value each one means
("skinny" → ``skimmed``). Numbers are spoken both ways: a slot value ``2``
is also heard as "2" and "two" without listing them.

Two recognisers use the same specs:

* ``TemplateMatcher`` matches a whole sentence against the templates. Every
  word must be a template word (a plural "s" aside) or a slot value, except
  politeness and hesitation (``normalize.clean`` removes "please", "could
  you", "um"...) and a few harmless fillers (``SKIPPABLE``). That keeps it as
  precise as the grammar matcher: a sentence it does not cover stays out of
  domain instead of firing someone's coffee machine.
* ``CustomRecogniser`` wraps the built-in recogniser (grammar or model). Intents
  the base does not know (always for the grammar; for a model, the ones it
  was trained without) are matched by template first; a model's own custom
  predictions get their tagged spans mapped to canonical values by fuzzy
  matching against the spoken forms, and a slot the tagger missed is spotted
  in the words.

Pure Python (templates.py's parser, rapidfuzz): the daemon never imports torch.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from homebrain.training import templates as T  # the template language; plain data, no torch
from homebrain.understanding.intent import OUT_OF_DOMAIN, Intent
from homebrain.understanding.labels import INTENTS
from homebrain.understanding.model_recogniser import DialogueState
from homebrain.understanding.normalize import clean, normalize
from homebrain.understanding.recogniser import Recogniser

log = logging.getLogger("homebrain.understanding")

EXACT = 1.0
FUZZY = 0.8  # a slot value repaired by fuzzy matching ("capuccino")

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Names every payload/response template can read besides the slots, so no slot may take them.
RESERVED_SLOTS = frozenset({"intent", "site", "text", "slots"})
# Words that may stand anywhere without being in a template: they never change what is
# asked for. (Politeness such as "please" and "could you" is already gone after clean().)
SKIPPABLE = frozenset(
    {"just", "now", "ok", "okay", "oh", "so", "well", "right", "actually", "quickly", "homebrain"}
)
_FUZZY_MIN_CHARS = 5  # shorter words are too easy to confuse ("oat" / "oak")
_FUZZY_CUTOFF = 86.0
_SPAN_CUTOFF = 75.0  # a model's span is known to be a value of the slot: be more lenient
_MAX_NUMBER_WORDS = 9999
_MAX_PARSES = 500  # per template and sentence: templates are small, this is a safety net


class CustomIntentError(ValueError):
    """A custom intent that cannot be used; ``loc`` is the key path inside the intent."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def spoken_number_forms(value: Any) -> list[str]:
    """How a numeric slot value may be said: "2" and "two" (nothing for words or booleans)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    if isinstance(value, float) and not value.is_integer():
        return [repr(value)]
    number = int(value)
    forms = [str(number)]
    if 0 <= number <= _MAX_NUMBER_WORDS:
        forms.append(T.number_words(number))
    return forms


# -- slot values -------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotTable:
    """One slot's spoken forms (cleaned, as the matcher sees words) and their values."""

    name: str
    values: dict[str, Any]  # cleaned spoken form → canonical value
    spoken: tuple[str, ...]  # the forms as written plus number forms, for the training corpus
    _by_length: dict[int, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _written: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_config(cls, name: str, raw: Any) -> SlotTable:
        """``raw``: a list of values (each its own spoken form) or a mapping spoken → value."""
        pairs: list[tuple[tuple[str | int, ...], Any, Any]]
        if isinstance(raw, Mapping):
            pairs = [((str(k),), k, v) for k, v in raw.items()]
        elif isinstance(raw, list | tuple):
            pairs = [((i,), v, v) for i, v in enumerate(raw)]
        else:
            raise CustomIntentError(
                (),
                "expected a list of spoken values or a mapping of spoken form → value, "
                f"got {type(raw).__name__}",
            )
        if not pairs:
            raise CustomIntentError((), "expected at least one value")
        values: dict[str, Any] = {}
        written: dict[str, str] = {}
        spoken: list[str] = []
        for at, key, value in pairs:
            if isinstance(key, bool):
                raise CustomIntentError(
                    (),
                    f"{key!r}: YAML read this as true/false; quote a spoken form such as "
                    '"no" or "off" to keep it a word',
                )
            if not isinstance(key, str | int | float):
                raise CustomIntentError(at, f"{key!r}: expected a spoken form (words)")
            if value is None or not isinstance(value, str | int | float | bool):
                raise CustomIntentError(
                    at, f"{value!r}: expected a value that is a string, number or true/false"
                )
            text = str(key)
            cleaned = clean(text)
            if not cleaned:
                raise CustomIntentError(
                    at,
                    f"{text!r}: no words left to hear once politeness and punctuation are "
                    "removed; expected a spoken form",
                )
            values.setdefault(cleaned, value)
            written.setdefault(cleaned, text.strip())
            spoken.append(text)
        for value in list(values.values()):
            for form in spoken_number_forms(value):
                if clean(form) not in values:
                    values[clean(form)] = value
                    written[clean(form)] = form
                    spoken.append(form)
        table = cls(name, values, tuple(dict.fromkeys(spoken)), _written=written)
        for key in values:
            table._by_length.setdefault(len(key.split()), []).append(key)
        return table

    @property
    def max_words(self) -> int:
        return max(self._by_length, default=1)

    def options(self) -> list[str]:
        """One spoken form per distinct value, as written, in order (for questions)."""
        seen: list[Any] = []
        out: list[str] = []
        for key, value in self.values.items():
            if not any(value == s and type(value) is type(s) for s in seen):
                seen.append(value)
                out.append(self._written.get(key, key))
        return out

    def at(self, tokens: Sequence[str], start: int) -> Iterator[tuple[int, Any, bool]]:
        """(end, value, fuzzy) for the slot's values that start at ``tokens[start]``."""
        longest = min(self.max_words, len(tokens) - start)
        for length in range(longest, 0, -1):
            phrase = " ".join(tokens[start : start + length])
            if phrase in self.values:
                yield start + length, self.values[phrase], False
        for length in range(longest, 0, -1):
            phrase = " ".join(tokens[start : start + length])
            if phrase in self.values:
                continue
            hit = self.fuzzy(phrase, _FUZZY_CUTOFF, length)
            if hit is not None:
                yield start + length, self.values[hit], True

    def fuzzy(self, phrase: str, cutoff: float, words: int | None = None) -> str | None:
        """The spoken form ``phrase`` is a damaged spelling of, or None (digits never are)."""
        if len(phrase) < _FUZZY_MIN_CHARS or any(ch.isdigit() for ch in phrase):
            return None
        choices = [
            k
            for k in (self._by_length.get(words, []) if words else list(self.values))
            if len(k) >= _FUZZY_MIN_CHARS
        ]
        if not choices:
            return None
        best = process.extractOne(phrase, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return str(best[0]) if best else None

    def exact(self, text: str) -> tuple[bool, Any]:
        """(found, value) for a span a model tagged: the whole span, or a form inside it."""
        key = clean(text)
        if key in self.values:
            return True, self.values[key]
        tokens = key.split()
        for start in range(len(tokens)):
            for _end, value, fuzzy in self.at(tokens, start):
                if not fuzzy:
                    return True, value
        return False, None


# -- templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Slot:
    name: str


@dataclass(frozen=True)
class _Seq:
    items: tuple[_Words | _Slot | _Alt, ...]


@dataclass(frozen=True)
class _Alt:
    options: tuple[_Seq, ...]


_Node = _Words | _Slot | _Seq | _Alt


def _compile(node: T.Seq | T.Alt | T.Lit | T.Ph | T.Span, slots: Collection[str]) -> _Node:
    """templates.py's tree with literal words cleaned as input is, placeholders checked."""
    if isinstance(node, T.Lit):
        return _Words(tuple(clean(node.text).split()))
    if isinstance(node, T.Ph):
        if node.arg:
            raise ValueError(f"{{{node.name}:{node.arg}}}: a slot placeholder takes no ':' part")
        if node.name not in slots:
            listed = ", ".join(slots) or "none"
            raise ValueError(
                f"uses {{{node.name}}}, which is not one of this intent's slots ({listed})"
            )
        return _Slot(node.name)
    if isinstance(node, T.Span):
        raise ValueError("'<slot:words>' spans are for the built-in templates; use a {slot}")
    if isinstance(node, T.Alt):
        return _Alt(tuple(_as_seq(_compile(o, slots)) for o in node.options))
    return _Seq(tuple(_item(_compile(i, slots)) for i in node.items))


def _as_seq(node: _Node) -> _Seq:
    return node if isinstance(node, _Seq) else _Seq((_item(node),))


def _item(node: _Node) -> _Words | _Slot | _Alt:
    return _Alt((node,)) if isinstance(node, _Seq) else node


def _literal_words(node: _Node) -> set[str]:
    if isinstance(node, _Words):
        return set(node.words)
    if isinstance(node, _Seq):
        return {w for item in node.items for w in _literal_words(item)}
    if isinstance(node, _Alt):
        return {w for option in node.options for w in _literal_words(option)}
    return set()


def _can_be_empty(node: _Node) -> bool:
    if isinstance(node, _Words):
        return not node.words
    if isinstance(node, _Slot):
        return False
    if isinstance(node, _Seq):
        return all(_can_be_empty(item) for item in node.items)
    return any(_can_be_empty(option) for option in node.options)


def compile_template(template: str, slots: Collection[str]) -> _Seq:
    """One checked template; ValueError says what is wrong with it."""
    try:
        tree = T.parse(template)
    except T.TemplateError as exc:
        raise ValueError(str(exc)) from None
    compiled = _as_seq(_compile(tree, slots))
    if _can_be_empty(compiled):
        raise ValueError("matches an empty sentence; expected words or a {slot}")
    return compiled


def _same_word(template_word: str, token: str) -> bool:
    """Template words match exactly, or as the other plural ("sugars" / "sugar", "pinch")."""
    if token == template_word:
        return True
    if len(template_word) < 3 or len(token) < 3:
        return False
    short, long = sorted((template_word, token), key=len)
    return long in (short + "s", short + "es")


def _skips(tokens: Sequence[str], i: int) -> Iterator[int]:
    """``i`` and every later position reached by skipping only harmless filler words."""
    yield i
    while i < len(tokens) and tokens[i] in SKIPPABLE:
        i += 1
        yield i


Parse = tuple[int, tuple[tuple[str, Any], ...], int]  # (end, slot values, fuzzy repairs)


@dataclass(frozen=True)
class CustomIntentSpec:
    """What understanding needs of one custom intent."""

    name: str
    templates: tuple[str, ...]
    slots: dict[str, SlotTable]
    compiled: tuple[_Seq, ...] = field(repr=False, compare=False)
    literals: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @classmethod
    def build(
        cls, name: str, templates: Sequence[str], slots: Mapping[str, Any]
    ) -> CustomIntentSpec:
        """Check and compile; CustomIntentError carries the key path of the first problem."""
        if not NAME.match(name):
            raise CustomIntentError(
                ("name",), f"{name!r}: expected a lower-case identifier like order_coffee"
            )
        if name in INTENTS:
            raise CustomIntentError(
                ("name",), f"{name!r} is a built-in intent; expected a name of your own"
            )
        tables: dict[str, SlotTable] = {}
        for slot, raw in slots.items():
            if not NAME.match(str(slot)) or slot in RESERVED_SLOTS:
                raise CustomIntentError(
                    ("slots", slot),
                    f"{slot!r}: expected a lower-case identifier other than "
                    f"{', '.join(sorted(RESERVED_SLOTS))}",
                )
            try:
                tables[str(slot)] = SlotTable.from_config(str(slot), raw)
            except CustomIntentError as exc:
                raise CustomIntentError(("slots", slot, *exc.loc), exc.message) from None
        if not templates:
            raise CustomIntentError(("templates",), "expected at least one sentence template")
        compiled: list[_Seq] = []
        for index, template in enumerate(templates):
            try:
                tree = compile_template(template, tables)
            except ValueError as exc:
                raise CustomIntentError(("templates", index), f"{template!r}: {exc}") from None
            compiled.append(tree)
        literals = frozenset(w for tree in compiled for w in _literal_words(tree))
        return cls(name, tuple(templates), tables, tuple(compiled), literals)

    @property
    def spoken_name(self) -> str:
        return self.name.replace("_", " ")

    def corpus_form(self) -> dict[str, Any]:
        """As ``training.corpus.custom_intent`` takes it: templates and every spoken form."""
        return {
            "name": self.name,
            "templates": list(self.templates),
            "slots": {slot: list(table.spoken) for slot, table in self.slots.items()},
        }

    # -- matching ------------------------------------------------------------------------

    def match(self, tokens: Sequence[str]) -> tuple[dict[str, Any], int] | None:
        """(slots, fuzzy repairs) of the best template parse of the whole sentence, or None."""
        best: tuple[int, int, dict[str, Any]] | None = None
        for tree in self.compiled:
            for count, (end, pairs, fuzzy) in enumerate(self._walk(tree, tokens, 0)):
                if count >= _MAX_PARSES:
                    break
                if not all(t in SKIPPABLE for t in tokens[end:]):
                    continue
                slots = dict(pairs)
                rank = (-fuzzy, len(slots))
                if best is None or rank > (best[0], best[1]):
                    best = (-fuzzy, len(slots), slots)
                if fuzzy == 0:
                    break
        if best is None:
            return None
        return best[2], -best[0]

    def _walk(self, node: _Node, tokens: Sequence[str], i: int) -> Iterator[Parse]:
        if isinstance(node, _Words):
            yield from self._words(node.words, 0, tokens, i)
        elif isinstance(node, _Slot):
            table = self.slots[node.name]
            for start in _skips(tokens, i):
                if start >= len(tokens):
                    break
                for end, value, fuzzy in table.at(tokens, start):
                    yield end, ((node.name, value),), int(fuzzy)
        elif isinstance(node, _Alt):
            for option in node.options:
                yield from self._walk(option, tokens, i)
        else:
            yield from self._seq(node.items, 0, tokens, i)

    def _seq(
        self, items: Sequence[_Node], k: int, tokens: Sequence[str], i: int
    ) -> Iterator[Parse]:
        if k == len(items):
            yield i, (), 0
            return
        for end, pairs, fuzzy in self._walk(items[k], tokens, i):
            for end2, pairs2, fuzzy2 in self._seq(items, k + 1, tokens, end):
                yield end2, pairs + pairs2, fuzzy + fuzzy2

    def _words(
        self, words: Sequence[str], k: int, tokens: Sequence[str], i: int
    ) -> Iterator[Parse]:
        if k == len(words):
            yield i, (), 0
            return
        for start in _skips(tokens, i):
            if start < len(tokens) and _same_word(words[k], tokens[start]):
                yield from self._words(words, k + 1, tokens, start + 1)

    def spot(self, text: str, slots: Sequence[str], taken: Sequence[str] = ()) -> dict[str, Any]:
        """Values of ``slots`` said anywhere in ``text`` (an answer: "a large one, please").

        Slots are tried in the order given, longest phrase first, and one word
        serves one slot only; fuzzy repairs come after every exact find. Words
        of ``taken`` (phrases already understood as something else) are not
        reused, and a spoken form made only of the templates' own words ("a"
        for one sugar) counts only when it is all that was said: in "could I
        get a latte" the "a" is not a sugar.
        """
        tokens = clean(text).split()
        used = [False] * len(tokens)
        for phrase in taken:
            words = clean(phrase).split()
            for start in range(len(tokens) - len(words) + 1):
                end = start + len(words)
                if words and tokens[start:end] == words and not any(used[start:end]):
                    used[start:end] = [True] * len(words)
                    break
        said = [t for t in tokens if t not in SKIPPABLE]
        found: dict[str, Any] = {}
        for fuzzy_pass in (False, True):
            for slot in slots:
                table = self.slots.get(slot)
                if table is None or slot in found:
                    continue
                for start in range(len(tokens)):
                    hit = next(
                        (
                            (end, value)
                            for end, value, fuzzy in table.at(tokens, start)
                            if fuzzy == fuzzy_pass
                            and not any(used[start:end])
                            and (
                                tokens[start:end] == said
                                or not set(tokens[start:end]) <= self.literals | SKIPPABLE
                            )
                        ),
                        None,
                    )
                    if hit is not None:
                        end, value = hit
                        found[slot] = value
                        used[start:end] = [True] * (end - start)
                        break
        return found


def build_specs(configs: Iterable[Any]) -> list[CustomIntentSpec]:
    """Specs from config entries (objects or dicts with name, templates, slots)."""
    specs: list[CustomIntentSpec] = []
    for config in configs:
        specs.append(
            CustomIntentSpec.build(
                str(_get(config, "name")),
                list(_get(config, "templates") or []),
                dict(_get(config, "slots") or {}),
            )
        )
    return specs


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


class TemplateMatcher:
    """Whole-sentence matching against every custom intent's templates."""

    def __init__(self, specs: Iterable[CustomIntentSpec]) -> None:
        self.specs = {spec.name: spec for spec in specs}

    def match(self, text: str, only: Collection[str] | None = None) -> Intent | None:
        """The custom intent ``text`` says, with canonical slot values; None when none fits.

        ``only`` limits the search to those intent names. With several fitting
        intents, one without fuzzy repairs beats one with them, then more slots win,
        then the intent listed first in the config.
        """
        norm = normalize(text)
        if not norm.ok:
            return None
        tokens = norm.text.split()
        best: tuple[tuple[int, int], str, dict[str, Any], int] | None = None
        for name, spec in self.specs.items():
            if only is not None and name not in only:
                continue
            found = spec.match(tokens)
            if found is None:
                continue
            slots, fuzzy = found
            rank = (-fuzzy, len(slots))
            if best is None or rank > best[0]:
                best = (rank, name, slots, fuzzy)
        if best is None:
            return None
        _, name, slots, fuzzy = best
        return Intent(name, slots, FUZZY if fuzzy else EXACT, text)


class ModelLike(Protocol):
    """What ``model_knows`` reads of a loaded model bundle."""

    intents: Sequence[str]
    slot_types: Sequence[str]


def model_knows(model: ModelLike, spec: CustomIntentSpec) -> bool:
    """Whether ``model`` was trained with this intent and every one of its slots."""
    return spec.name in model.intents and all(
        f"custom_{slot}" in model.slot_types for slot in spec.slots
    )


class CustomRecogniser:
    """A recogniser (the grammar matcher or the model) plus the config's custom intents.

    ``learned``: custom intents the base recogniser predicts itself (a model
    trained with them). Every other custom intent is matched by its templates
    before the base is asked, so it works without retraining.
    """

    def __init__(
        self,
        base: Recogniser,
        specs: Iterable[CustomIntentSpec],
        learned: Collection[str] = (),
    ) -> None:
        self.base = base
        self.templates = TemplateMatcher(specs)
        self.specs = self.templates.specs
        self.learned = frozenset(learned) & set(self.specs)
        self.template_first = frozenset(self.specs) - self.learned

    def recognise(
        self,
        text: str,
        site_room: str | None = None,
        dialogue: DialogueState | None = None,
        vision: Mapping[str, float] | None = None,
    ) -> Intent:
        if self.template_first:
            hit = self.templates.match(text, self.template_first)
            if hit is not None:
                return hit
        intent = self.base.recognise(text, site_room, dialogue=dialogue, vision=vision)
        if intent.name in self.specs:
            return self._canonical(intent)
        if intent.name not in INTENTS:
            # a model trained with an intent this config no longer has: not ours to act on
            log.info("the model predicted %r, which the config does not define", intent.name)
            return Intent(OUT_OF_DOMAIN, {"unknown_intent": intent.name}, intent.confidence, text)
        return intent

    def _canonical(self, intent: Intent) -> Intent:
        """A model's custom intent: span words → canonical values; missed slots spotted.

        A span whose words are exactly another slot's value ("large" tagged as
        the drink) is taken as that slot: the tagger confused the labels, the
        words are unambiguous. Otherwise a span is fuzzy-matched against its own
        slot's spoken forms ("capuccino"), and slots still missing are spotted
        in the words the spans did not use.
        """
        spec = self.specs[intent.name]
        raw = {s: v for s, v in intent.slots.items() if s in spec.slots and isinstance(v, str)}
        slots: dict[str, Any] = {}
        taken: list[str] = []
        unsure: dict[str, str] = {}
        for slot, text in raw.items():
            found, value = spec.slots[slot].exact(text)
            if found:
                slots[slot] = value
                taken.append(text)
            else:
                unsure[slot] = text
        for slot, text in unsure.items():
            key = clean(text)
            other = next(
                (o for o, t in spec.slots.items() if o not in slots and key in t.values), None
            )
            if other is not None:
                slots[other] = spec.slots[other].values[key]
                taken.append(text)
                continue
            hit = spec.slots[slot].fuzzy(key, _SPAN_CUTOFF)
            if hit is not None and slot not in slots:
                slots[slot] = spec.slots[slot].values[hit]
                taken.append(text)
        missing = [s for s in spec.slots if s not in slots]
        if missing:
            slots.update(spec.spot(intent.text, missing, taken))
        ordered = {s: slots[s] for s in spec.slots if s in slots}
        return Intent(intent.name, ordered, intent.confidence, intent.text)


__all__ = [
    "RESERVED_SLOTS",
    "CustomIntentError",
    "CustomIntentSpec",
    "CustomRecogniser",
    "SlotTable",
    "TemplateMatcher",
    "build_specs",
    "model_knows",
    "spoken_number_forms",
]
