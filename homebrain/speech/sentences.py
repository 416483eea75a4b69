"""What the recogniser should expect to hear in this home, in spoken words.

The language model is built from the same template families the
understanding model learns from (``training.corpus``, torch-free), expanded
with this home's rooms, names, aliases and custom intents, so a new device is
heard as soon as the config names it. Out-of-domain sentences stay in: a
recogniser that only knows commands turns every remark into one. Sentences
the corpus damaged on purpose (dropped words, sound-alikes) are left out: the
acoustic model should not be told that "tone on" is likely.

Text is written as it is said ("21°C" is "twenty one degrees"), since that is
what pocketsphinx's dictionary spells and what comes back from it.
"""

from __future__ import annotations

import re

from homebrain.config.schema import HomebrainConfig
from homebrain.home import Home
from homebrain.training.corpus import generate_corpus
from homebrain.training.templates import number_words

DEFAULT_SENTENCES = 20_000  # corpus examples drawn (about 15,000 distinct clean ones)

_DECIMAL = re.compile(r"(\d+)\.(\d+)")
_NUMBER = re.compile(r"\d+")
_SYMBOLS = (("%", " percent "), ("°c", " degrees "), ("°f", " degrees "), ("°", " degrees "))
_NOT_SPOKEN = re.compile(r"[^a-z' ]+")


def spoken(text: str) -> str:
    """Lower-case words as they are said: digits, %, ° and punctuation spelled out or gone."""
    text = text.lower().replace("&", " and ")
    for symbol, word in _SYMBOLS:
        text = text.replace(symbol, word)
    text = _DECIMAL.sub(
        lambda m: (
            f" {number_words(int(m.group(1)))} point "
            + " ".join(number_words(int(d)) for d in m.group(2))
        ),
        text,
    )
    text = _NUMBER.sub(lambda m: f" {number_words(int(m.group()))} ", text)
    text = _NOT_SPOKEN.sub(" ", text)
    return " ".join(w.strip("'") for w in text.split() if w.strip("'"))


def home_names(config: HomebrainConfig) -> list[str]:
    """Every name of a device, room or custom slot value a user may say."""
    home = Home.from_config(config)
    names = [n for entity in home.entities.values() for n in entity.names]
    names += [n for room in home.rooms.values() for n in room.names]
    for intent in config.custom_intents:
        for values in intent.get("slots", {}).values():
            names += [str(v) for v in (values if isinstance(values, list | dict) else [values])]
    return sorted({spoken(n) for n in names if spoken(n)})


def language_sentences(
    config: HomebrainConfig, size: int = DEFAULT_SENTENCES, seed: int = 0
) -> list[str]:
    """Distinct spoken sentences for a language model of this home (deterministic for a seed)."""
    # without the development sets' phrasings: their everyday vocabulary is wide, and a
    # wider vocabulary made recognition worse here (DESIGN.md, docs/BENCHMARKS.md)
    examples = generate_corpus(config, size=size, seed=seed, borrowed=False)
    out = {spoken(" ".join(e.tokens)) for e in examples if "+asr" not in e.source}
    names = home_names(config)
    out.update(names)  # a name alone answers "which one?"
    out.update(f"the {n}" for n in names)
    for n in range(101):  # values alone answer "to what?"
        said = number_words(n)
        out.update((said, f"{said} percent", f"{said} degrees"))
    out.discard("")
    return sorted(out)
