"""Which words of an utterance are one of the home's own names: the model's gazetteer input.

A small model trained on generated sentences cannot know that "festoon" or
"wall stat" is a device in *this* home; the home's config does. Marking the
words that spell one of its device or room names (longest match first) and
giving the mark to the model as one more hashed feature per token lets it tag
names it never saw, in phrasings it never saw, the way production NLU engines
use lookup tables. The mark is a hint, not the answer: training drops it now
and then (``training_marks``) so the model still tags names the home does not
spell exactly (a misheard name, a name said differently).

Scene names get a mark of their own: "fire up the festoon" and "fire up hygge"
read alike, and only the home knows which name is a scene.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence

from homebrain.home import Home
from homebrain.understanding.model_runtime import bio_spans
from homebrain.understanding.tokenizer import words

DEVICE = "device"
SCENE = "scene"
ROOM = "room"
NONE = ""

# how often a span's mark is kept while training (a gazetteer miss is normal in real use)
KEEP_SHARE = 0.85


class Gazetteer:
    """Longest-match marking of token runs that spell a device, scene or room name."""

    def __init__(
        self, devices: Iterable[str] = (), rooms: Iterable[str] = (), scenes: Iterable[str] = ()
    ) -> None:
        self._phrases: dict[tuple[str, ...], str] = {}
        for text in rooms:
            self._add(text, ROOM)
        for text in scenes:
            self._add(text, SCENE)
        for text in devices:  # a device name wins over a room or scene of the same spelling
            self._add(text, DEVICE)
        self._longest = max((len(p) for p in self._phrases), default=0)
        # "dragon fly lamp" for "dragonfly lamp": a recogniser that splits a word it does
        # not know into two it does (a name spelt with spaces removed -> its mark)
        self._joined = {"".join(p): m for p, m in self._phrases.items()}

    def _add(self, text: str, mark: str) -> None:
        phrase = tuple(words(text))
        if phrase:
            self._phrases[phrase] = mark
        if len(phrase) >= 2 and mark == DEVICE:
            # "the light of the bar cart", "the fan of palm leaf": the name said the other
            # way round, as people whose first language builds names so often do
            head, rest = phrase[-1], phrase[:-1]
            for other_way in ((head, "of", "the", *rest), (head, "of", *rest)):
                self._phrases.setdefault(other_way, mark)

    @classmethod
    def for_home(cls, home: Home) -> Gazetteer:
        devices = [n for e in home.entities.values() if e.domain != "scene" for n in e.names]
        scenes = [n for e in home.entities.values() if e.domain == "scene" for n in e.names]
        rooms = [n for r in home.rooms.values() for n in (*r.names, r.id.replace("_", " "))]
        floors = [r.floor for r in home.rooms.values() if r.floor]
        return cls(devices, [*rooms, *floors], scenes)

    def __len__(self) -> int:
        return len(self._phrases)

    def marks(self, tokens: Sequence[str]) -> list[str]:
        """One mark per token: ``"device"``, ``"scene"``, ``"room"`` or ``""``."""
        out = [NONE] * len(tokens)
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                phrase = tuple(tokens[i : i + size])
                # "the beamer's volume": a name said in the possessive is still the name
                mark = self._phrases.get(phrase) or self._phrases.get(
                    (*phrase[:-1], phrase[-1].removesuffix("'s"))
                )
                if mark is not None:
                    out[i : i + size] = [mark] * size
                    i += size
                    break
            else:
                i += self._split(tokens, i, out) or 1
        return out

    def _split(self, tokens: Sequence[str], i: int, out: list[str]) -> int:
        """Marks a name said with one of its words split in two; how many tokens it took."""
        for size in range(min(self._longest + 1, len(tokens) - i), 1, -1):
            mark = self._joined.get("".join(tokens[i : i + size]))
            if mark is not None:
                out[i : i + size] = [mark] * size
                return size
        return 0


def generic_phrases(generic: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """Device words as token tuples, plurals included: never a home's own name."""
    common = {tuple(words(w)) for w in generic}
    common |= {(*w[:-1], w[-1] + "s") for w in common if w}  # "radios" is as generic as "radio"
    return frozenset(common)


def training_marks(
    tokens: Sequence[str],
    tags: Sequence[str],
    rng: random.Random,
    generic: Collection[tuple[str, ...]] = frozenset(),
    scene: bool = False,
) -> list[str]:
    """The marks a home's gazetteer would give a generated example, now and then missing.

    Every tagged device name (not a generic device word such as "lamp": the
    ``generic_phrases``) and room becomes a gazetteer entry, kept with
    ``KEEP_SHARE``; marking then runs over the whole sentence as it does on the
    device, so the same words elsewhere in it are marked too. Spans are read
    from the tags as the device runtime reads the model's (``bio_spans``).
    With ``scene`` (the example activates a scene) its names are scene names.
    """
    spans = bio_spans(tokens, tags)
    devices = [
        s.text
        for s in spans
        if s.slot_type == DEVICE
        and tuple(tokens[s.start : s.end]) not in generic
        and rng.random() < KEEP_SHARE
    ]
    rooms = [s.text for s in spans if s.slot_type == ROOM and rng.random() < KEEP_SHARE]
    if not devices and not rooms:
        return [NONE] * len(tokens)
    if scene:
        return Gazetteer(rooms=rooms, scenes=devices).marks(tokens)
    return Gazetteer(devices, rooms).marks(tokens)
