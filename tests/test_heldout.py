"""The held-out evaluation set (issue 3) is really held out from the training material.

tests/eval/heldout_*.yaml with configs/eval_home.yaml measure generalisation:
names and phrasings the model never saw. This checks that claim in code:

(a) no room name, device name or alias of the evaluation home is in the
    training name pools (``names.all_name_strings()``);
(b) no sentence of the held-out files is in the training corpus the shipped
    model was trained on (``generate_corpus(size=50000, seed=0)``, compared as
    ``tokenizer.words`` token tuples with each example's tokens and with its
    sentence before ASR-like damage), and the phrasings are not the templates':
    * **template share**: sentences for which ``templates.matching_templates``
      finds nothing (reported; see below why it is not the bar);
    * **phrasing share**: sentences that no template yields when its
      placeholders stand only for what they are filled with in the corpus
      (names, rooms, device words and determiners for a target; numbers,
      units, colours and modes for a value), after stripping the corpus's
      polite prefixes, suffixes and fillers. At least 90% must be new.
    ``matching_templates`` lets a placeholder match *any* words, verbs included,
    so "{t} to {pct}" matches every sentence with "to" in the middle, "{t} on
    {speed}" every one with "on" in the middle and "make {t} {color}" every one
    starting with "make": it finds the templates to look at, not shared
    phrasings (its docstring says to judge the hits). The phrasing share is
    that judgement made mechanical;
(c) the files load with the evaluation loader, refer only to the home's
    entities and sites, and have at least 300 sentences, 60 of them `none`,
    over every domain.

No accuracy is asserted here: `homebrain eval` measures that (docs/BENCHMARKS.md).
Run this file as a script for the full report:
``.venv/bin/python tests/test_heldout.py``.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homebrain.config.loader import load_config  # noqa: E402
from homebrain.domains import COLOR_NAMES, DOMAINS  # noqa: E402
from homebrain.evaluation.files import (  # noqa: E402
    ASK,
    COMMANDS,
    NONE,
    EvalFile,
    Expectation,
    check_against_config,
    load_eval_file,
)
from homebrain.training import names as N  # noqa: E402
from homebrain.training import templates as T  # noqa: E402
from homebrain.understanding.tokenizer import words  # noqa: E402

CONFIG = ROOT / "configs" / "eval_home.yaml"
MODEL_CONFIG = ROOT / "configs" / "eval_home_model.yaml"
EVAL = ROOT / "tests" / "eval"
COMMANDS_FILE = EVAL / "heldout_commands.yaml"
DIALOGUES_FILE = EVAL / "heldout_dialogues.yaml"
RELATIVE_FILE = EVAL / "heldout_relative.yaml"
FILES = (COMMANDS_FILE, DIALOGUES_FILE, RELATIVE_FILE)

MIN_SENTENCES = 300
MIN_NONE = 60
MIN_NEW_PHRASING = 0.90


# -- the files ----------------------------------------------------------------------------------


@cache
def loaded_config():  # type: ignore[no-untyped-def]
    return load_config(CONFIG)


@cache
def eval_file(path: Path) -> EvalFile:
    return load_eval_file(path)


def sentences(path: Path) -> list[str]:
    """Every sentence a file says: each `say` of a test and each dialogue turn."""
    file = eval_file(path)
    out = [s for test in file.tests for s in test.say]
    out += [turn.say for d in file.dialogues for turn in d.turns if turn.say]
    return out


def all_sentences() -> list[str]:
    return [s for path in FILES for s in sentences(path)]


def opening_sentences() -> list[str]:
    """The single sentences and each dialogue's first turn.

    A later turn answers the conversation ("yes", "the first one", "undo that"):
    a closed set of words every assistant must know, which the corpus has too, so
    what such a turn measures is the dialogue state, not unseen wording.
    """
    out = [s for path in FILES for test in eval_file(path).tests for s in test.say]
    out += [d.turns[0].say for path in FILES for d in eval_file(path).dialogues if d.turns]
    return [s for s in out if s]


def home_strings() -> dict[str, str]:
    """Every room name, room alias, device name and alias of the home -> where it is from."""
    config = loaded_config().config
    out: dict[str, str] = {}
    for room_id, room in config.rooms.items():
        out[(room.name or room_id.replace("_", " ")).lower()] = f"rooms.{room_id}.name"
        out[room_id.replace("_", " ").lower()] = f"rooms.{room_id}"
        for alias in room.aliases:
            out[alias.lower()] = f"rooms.{room_id}.aliases"
    for device in config.devices:
        if device.name:
            out[device.name.lower()] = f"{device.id}.name"
        for alias in device.aliases:
            out[alias.lower()] = f"{device.id}.aliases"
    return out


# -- phrasings ----------------------------------------------------------------------------------

# What each placeholder is filled with in the corpus (homebrain/training/corpus.py),
# as the words it may stand for here: the evaluation home's names and rooms besides
# the pools', so that "the Noguchi" counts as a {t} and "forty percent" as a {pct}.
_DETERMINERS = "the a an my our your"
_SCOPE = (
    "all of every each both everything everywhere except apart from but other than whole "
    "entire house home flat room ones one in and here"
)
_ANAPHORS = "it them that those this these one ones here"
_FLOORS = "upstairs downstairs first ground second top floor basement"
_NUMBERS = (
    "zero oh nought one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand and point a half quarter quarters"
)
_UNITS = (
    "% ° percent per cent pct degrees degree celsius c centigrade kelvin k fahrenheit f "
    "mired mireds"
)
_AMOUNTS = "a bit little lot touch tad notch by more"


def _vocab(*texts: str | Iterable[str]) -> frozenset[str]:
    """Phrases a placeholder may be made of: each word of a plain string, each whole
    entry of a list (so "kick lights" is a name, but "kick" on its own is not)."""
    out: set[str] = set()
    for text in texts:
        if isinstance(text, str):
            out.update(words(text))
        else:
            out.update(" ".join(words(item)) for item in text)
    out.discard("")
    return frozenset(out)


@cache
def _home_words(kind: str) -> frozenset[str]:
    config = loaded_config().config
    texts: list[str] = []
    if kind == "rooms":
        for room_id, room in config.rooms.items():
            texts += [room.name or "", room_id.replace("_", " "), *room.aliases]
    else:
        for device in config.devices:
            if (kind == "scenes") == device.id.startswith("scene."):
                texts += [device.name or "", *device.aliases]
    return _vocab(texts)


def _bare_words() -> frozenset[str]:
    return _vocab(w for pairs in N.BARE_WORDS.values() for pair in pairs for w in pair)


@cache
def _said_words() -> frozenset[str]:
    return frozenset(w for s in all_sentences() for w in words(s))


def _pool(*pools: Iterable[str]) -> frozenset[str]:
    """The pools' names that could occur in a held-out sentence at all (all their words
    are said somewhere): the same matches, and regexes that compile in a second."""
    said = _said_words()
    return frozenset(p for p in _vocab(*pools) if all(w in said for w in p.split()))


@cache
def placeholder_words() -> dict[str, frozenset[str]]:
    rooms = _vocab(_DETERMINERS, "in", _FLOORS) | _pool(N.ROOMS) | _home_words("rooms")
    names = _vocab(_DETERMINERS) | _pool(*N.DEVICE_NAMES.values()) | _home_words("devices")
    scenes = _vocab(_DETERMINERS, "scene") | _pool(N.SCENE_NAMES) | _home_words("scenes")
    bare = _vocab(_DETERMINERS) | _bare_words()
    target = rooms | names | scenes | bare | _vocab(_SCOPE, _ANAPHORS) | _pool(N.PEOPLE)
    number = _vocab(
        _NUMBERS,
        _UNITS,
        T.PERCENT_VALUE_WORDS,
        T.POSITION_VALUE_WORDS,
        T.SPEED_VALUE_WORDS,
        "way",
    ) | {_DIGITS}
    color = _vocab(COLOR_NAMES, T.COLORS_EXTRA)
    color_temp = _vocab(T.COLOR_TEMP_WORDS)
    mode = _vocab(T.MODE_WORDS)
    up = _vocab(*T.COMPARATIVES_UP.values())
    down = _vocab(*T.COMPARATIVES_DOWN.values())
    return {
        **dict.fromkeys(("t", "tb", "tg"), target),
        "ta": bare | _vocab(_ANAPHORS, "all"),
        **dict.fromkeys(("room", "roomnp", "inroom"), rooms),
        "name": names,
        "scene": scenes,
        "bare": bare,
        "bares": bare,
        **dict.fromkeys(("pct", "temp", "vol", "pos", "speed", "kelvin", "n"), number),
        **dict.fromkeys(("delta", "dpct", "dtemp"), number | _vocab(_AMOUNTS)),
        "v": number | color | color_temp | mode,
        "color": color,
        "ct": color_temp | _vocab("white"),
        "mode": mode,
        "cu": up | _vocab(_AMOUNTS),
        "cd": down | _vocab(_AMOUNTS),
        "attr": _vocab(*T.ATTRIBUTE_NOUNS.values()),
        "hot": _vocab(*T.TOO_WORDS_DOWN.values()),
        "cold": _vocab(*T.TOO_WORDS_UP.values()),
    }


_DIGITS = "<digits>"  # in a vocabulary: any number written in digits ("21", "19.5")


def _one_of(vocab: frozenset[str]) -> str:
    """One or more of the phrases, whole words only."""
    options = [re.escape(w) for w in sorted(vocab - {_DIGITS}, key=len, reverse=True)]
    if _DIGITS in vocab:
        options.append(r"\d+(?:[.,]\d+)?")
    phrase = "(?:" + "|".join(options) + ")"
    return rf"(?<!\S){phrase}(?:\s+{phrase})*(?!\S)"


def _alternatives(texts: Iterable[str]) -> str:
    options = sorted({" ".join(words(t)) for t in texts}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(o) for o in options if o) + ")"


def _typed_regex(node: T.Seq | T.Alt | T.Lit | T.Ph | T.Span) -> str:
    """Like templates.template_regex, but a placeholder matches only what it is filled with."""
    if isinstance(node, T.Ph):
        typed = placeholder_words().get(node.name)
        if typed is not None:
            return _one_of(typed)
        if node.name == "verb":
            return _alternatives(v for vs in T.CONFIRM_VERBS.values() for v in vs)
        if node.name in T.OOD_FILL:
            return _alternatives(T.OOD_FILL[node.name])
        return r"(?<!\S)[^\W\d_]+(?!\S)"  # {gibberish}: one made-up word
    if isinstance(node, T.Seq):
        return "".join(_typed_regex(item) for item in node.items)
    if isinstance(node, T.Alt):
        return "(?:" + "|".join(_typed_regex(option) for option in node.options) + ")"
    if isinstance(node, T.Span):
        return _typed_regex(node.body)
    return T._regex(node)


@cache
def typed_regexes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (t, re.compile(r"^\s*" + _typed_regex(T.parse(t)) + r"\s*$"))
        for t in T.all_template_phrases()
        if not _only_gibberish(t)
    )


def _only_gibberish(template: str) -> bool:
    """ "{gibberish} {gibberish}": made-up words, a phrasing no real sentence shares."""
    return not T._has_literal_words(T.parse(template)) and set(
        re.findall(r"\{(\w+)", template)
    ) == {"gibberish"}


def _affixes(table: tuple[tuple[str, float], ...] | tuple[str, ...]) -> list[str]:
    texts = [item[0] if isinstance(item, tuple) else item for item in table]
    return sorted({" ".join(words(t)) for t in texts}, key=len, reverse=True)


@cache
def _prefixes() -> tuple[str, ...]:
    answer = ("uh", "um", "oh", "well", "hmm", "so", "okay")
    return tuple(_affixes(T.POLITE_PREFIXES) + list(answer))


def forms(sentence: str) -> set[str]:
    """The sentence as the corpus could have made it from a bare template: with its
    polite prefix, suffix and fillers taken off (each, and all of them), and a
    "would you mind turning ..." turned back into "turn ..."."""
    text = " ".join(words(sentence))
    found = {text}
    fillers = set(words(" ".join(T.FILLERS)))
    bare = " ".join(w for w in text.split() if w not in fillers)
    found.add(bare)
    for base in (text, bare):
        heads = {base}
        for prefix in _prefixes():
            if base.startswith(prefix + " "):
                heads.add(base[len(prefix) + 1 :])
        for prefix in T.GERUND_PREFIXES:
            if base.startswith(prefix + " "):
                rest = base[len(prefix) + 1 :].split(" ", 1)
                verb = {g: v for v, g in T.GERUNDS.items()}.get(rest[0])
                if verb:
                    heads.add(" ".join([verb, *rest[1:]]))
        for head in heads:
            found.add(head)
            for suffix in _affixes(T.POLITE_SUFFIXES):
                if head.endswith(" " + suffix):
                    found.add(head[: -len(suffix) - 1])
    return {f for f in found if f}


def shared_phrasing(sentence: str) -> list[str]:
    """Templates that yield the sentence with placeholders filled as the corpus fills them."""
    hits: list[str] = []
    variants = forms(sentence)
    for template, pattern in typed_regexes():
        if any(pattern.match(v) for v in variants):
            hits.append(template)
    return hits


@cache
def corpus_token_set() -> frozenset[tuple[str, ...]]:
    from homebrain.training.corpus import generate_corpus

    examples = generate_corpus(size=50_000, seed=0)
    # the tokens it was trained on (after ASR-like damage) and the sentence before damage
    return frozenset(tuple(e.tokens) for e in examples) | frozenset(
        tuple(words(e.text)) for e in examples if e.text
    )


# -- counting -----------------------------------------------------------------------------------


def domains_of(file: EvalFile) -> Counter[str]:
    """Sentences per domain (the domain of the expected entities; ask/none by kind)."""
    counts: Counter[str] = Counter()

    def add(expect: Expectation, n: int) -> None:
        if expect.kind == COMMANDS:
            for domain in sorted({e.split(".", 1)[0] for e in expect.commands}):
                counts[domain] += n
        else:
            counts[expect.kind] += n

    for test in file.tests:
        add(test.expect, len(test.say))
    for dialogue in file.dialogues:
        for turn in dialogue.turns:
            add(turn.expect, 1)
    return counts


def ask_domains(file: EvalFile) -> set[str]:
    """Domains of the devices the `ask` sentences are about (by the home's names in them)."""
    config = loaded_config().config
    found: set[str] = set()
    for test in file.tests:
        if test.expect.kind != ASK:
            continue
        for sentence in test.say:
            text = " ".join(words(sentence))
            for device in config.devices:
                for name in (device.name or "", *device.aliases):
                    key = " ".join(words(name))
                    if key and re.search(rf"(?<!\S){re.escape(key)}(?!\S)", text):
                        found.add(device.id.split(".", 1)[0])
    return found


# -- the checks ---------------------------------------------------------------------------------


def test_home_names_are_not_training_names() -> None:
    pools = N.all_name_strings()
    clashes = {text: where for text, where in home_strings().items() if text in pools}
    assert not clashes, f"names of the evaluation home that the training pools have: {clashes}"


def test_borrowed_templates_say_no_home_name() -> None:
    """The development sets' phrasings in the corpus say the home's names only as placeholders."""
    names = {" ".join(words(text)) for text in home_strings()} - {""}
    said = []
    for entries in T.borrowed().values():
        for template in (b.template for b in entries):
            literal = " ".join(words(re.sub(r"\{[^}]*\}|<\w+:|>", " ", template)))
            said += [(template, n) for n in names if f" {n} " in f" {literal} "]
    assert said == []


def test_home_uses_every_domain_and_profile() -> None:
    config = loaded_config().config
    assert {d.id.split(".", 1)[0] for d in config.devices} == set(DOMAINS)
    assert {d.profile for d in config.devices} >= {
        "zigbee2mqtt",
        "tasmota",
        "homeassistant",
        "template",
    }
    assert any(d.device_class == "garage" for d in config.devices)
    model = load_config(MODEL_CONFIG).config
    assert model.understanding.recogniser == "model"
    for key in ("rooms", "sites", "devices", "default_site", "simulate"):
        assert getattr(model, key) == getattr(config, key), f"{MODEL_CONFIG.name}: {key} differs"


def test_files_load_and_fit_the_home() -> None:
    files = [eval_file(p) for p in FILES]
    assert check_against_config(files, loaded_config()) == []


def test_retired_development_set_still_fits_the_home() -> None:
    """tests/eval/dev*_*.yaml: dev_* (read while widening the templates), dev2, dev3,
    dev4 (the second held-out set, read after being measured only, for three sessions),
    dev5 to dev10 (written blind, then read to tune the rules after the model)."""
    dev = sorted(EVAL.glob("dev*_*.yaml"))
    assert len(dev) == 28
    assert check_against_config([load_eval_file(p) for p in dev], loaded_config()) == []


def test_enough_sentences_over_every_domain() -> None:
    main = eval_file(COMMANDS_FILE)
    counts = domains_of(main)
    assert main.sentence_count >= MIN_SENTENCES, counts
    assert counts[NONE] >= MIN_NONE, counts
    commanded = {d for d in counts if d in DOMAINS}
    # locks and the garage door only ever ask in single sentences; their commands are in
    # the dialogues (after the yes)
    dialogue_domains = set(domains_of(eval_file(DIALOGUES_FILE))) & set(DOMAINS)
    assert commanded | ask_domains(main) | dialogue_domains == set(DOMAINS)
    assert "lock" in ask_domains(main)
    assert len(eval_file(DIALOGUES_FILE).dialogues) >= 20


def test_no_sentence_is_in_the_training_corpus() -> None:
    corpus = corpus_token_set()
    overlap = [s for s in opening_sentences() if tuple(words(s)) in corpus]
    assert overlap == [], f"{len(overlap)} held-out sentences are in the training corpus"


def test_phrasings_are_not_the_templates() -> None:
    said = all_sentences()
    shared = [(s, hits) for s in said if (hits := shared_phrasing(s))]
    new_share = 1 - len(shared) / len(said)
    loose = sum(1 for s in said if not T.matching_templates(s)) / len(said)
    print(
        f"\nnew phrasing: {new_share:.1%} of {len(said)} sentences; "
        f"no matching_templates hit at all: {loose:.1%}"
    )
    assert new_share >= MIN_NEW_PHRASING, "\n".join(f"{s!r}: {hits[:3]}" for s, hits in shared)


@pytest.mark.parametrize("sentence", ["turn on the dragonfly lamp", "set the punkah to 40%"])
def test_the_phrasing_check_sees_template_phrasings(sentence: str) -> None:
    assert shared_phrasing(sentence)
    assert shared_phrasing("could you " + sentence + " please")


# -- a report for the docs ------------------------------------------------------------------


def report() -> Iterator[str]:
    yield f"home: {CONFIG.relative_to(ROOT)}"
    pools = N.all_name_strings()
    strings = home_strings()
    yield f"  names/aliases/rooms: {len(strings)}, in the training pools: " + str(
        sum(1 for s in strings if s in pools)
    )
    for path in FILES:
        file = eval_file(path)
        counts = domains_of(file)
        yield (
            f"{path.relative_to(ROOT)}: {file.sentence_count} sentences, "
            f"{len(file.dialogues)} dialogues ({sum(len(d.turns) for d in file.dialogues)} turns)"
        )
        yield "  per kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    said = all_sentences()
    corpus = corpus_token_set()
    overlap = [s for s in said if tuple(words(s)) in corpus]
    yield f"sentences checked: {len(said)}; verbatim in the 50k training corpus: {len(overlap)}"
    for s in overlap:
        yield f"  IN CORPUS: {s!r}"
    loose = [s for s in said if T.matching_templates(s)]
    yield (
        f"matching_templates empty: {1 - len(loose) / len(said):.1%} "
        f"({len(said) - len(loose)}/{len(said)})"
    )
    shared = [(s, shared_phrasing(s)) for s in said]
    shared = [(s, h) for s, h in shared if h]
    yield (
        f"new phrasing (typed placeholders): {1 - len(shared) / len(said):.1%} "
        f"({len(said) - len(shared)}/{len(said)})"
    )
    for s, hits in shared:
        yield f"  SHARED: {s!r} <- {hits[:3]}"


if __name__ == "__main__":
    for line in report():
        print(line)
