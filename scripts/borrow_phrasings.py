"""Turn the development sets' sentences into training templates (``borrowed.tsv``).

The development sets were written blind, in many people's styles, by writers
who never saw the templates: phrasings the templates lack. Every sentence that
homebrain already gets exactly right (run through the evaluation's own code
path) becomes a template in the corpus's language, labelled with the intent
it was understood as and the spans its slots came from. The evaluation
home's names and rooms become placeholders (``{name:light}``, ``{room}``),
so the corpus fills them from its own pools and never learns the home; a
sentence that still says one of the home's names elsewhere is left out.

A turn of a dialogue keeps the dialogue context the model heard it in (the
pending question, the last intent and domain); the turns after one that went
wrong are left out, and so are sentences said with a context other than a
site. So is every template that would produce a sentence of the files given
with ``--exclude``: the held-out set must keep phrasings no training template
has, and the sets the tests assert must not be trained verbatim.

    python scripts/borrow_phrasings.py --config configs/eval_home_model.yaml \\
        --exclude tests/eval/heldout_*.yaml tests/eval/dev9_*.yaml tests/eval/dev10_*.yaml \\
        tests/eval/dialogues_issue4*.yaml tests/eval/demo_*.yaml -- tests/eval/dev*_*.yaml
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from homebrain.config.loader import load_config
from homebrain.evaluation.files import NONE, Dialogue, EvalFile, SentenceTest, load_eval_files
from homebrain.evaluation.runner import EvalRunner, EvalSession, TurnRecord
from homebrain.home import Home
from homebrain.training import templates as T
from homebrain.understanding.intent import OUT_OF_DOMAIN
from homebrain.understanding.labels import INTENTS
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.spans import SpanLike
from homebrain.understanding.tokenizer import words

OUT = Path(__file__).resolve().parent.parent / "homebrain" / "training" / "borrowed.tsv"
_SPECIAL = re.compile(r"[(){}<>|:\t]")
_KEPT_IN_OOD = frozenset({"device", "room"})  # as the corpus's remarks keep them


class HomeNames:
    """The evaluation home's names as word tuples: what a template must never say."""

    def __init__(self, home: Home) -> None:
        self.devices: dict[tuple[str, ...], str] = {}
        for entity in home.entities.values():
            for name in entity.names:
                self.devices[tuple(words(name.lower()))] = entity.domain
        self.rooms = {tuple(words(n.lower())) for r in home.rooms.values() for n in r.names}
        self.rooms |= {tuple(words(room_id.replace("_", " "))) for room_id in home.rooms}
        self.all = set(self.devices) | self.rooms

    def said_in(self, tokens: Sequence[str]) -> bool:
        return any(
            tuple(tokens[i : i + len(name)]) == name
            for name in self.all
            for i in range(len(tokens) - len(name) + 1)
        )


def template_of(
    tokens: Sequence[str], spans: Iterable[SpanLike], intent: str, names: HomeNames
) -> str | None:
    """The sentence as a template, or None when it cannot be one without the home's names."""
    if any(_SPECIAL.search(t) for t in tokens):
        return None
    by_start = {s.start: s for s in spans}
    out: list[str] = []
    literal: list[str] = []
    i = 0
    while i < len(tokens):
        span = by_start.get(i)
        if span is None or span.end <= i:
            out.append(tokens[i])
            literal.append(tokens[i])
            i += 1
            continue
        said = tuple(tokens[span.start : span.end])
        slot = span.slot_type
        if slot == "device" and said in names.devices:
            domain = names.devices[said]
            out.append("{scene}" if domain == "scene" else f"{{name:{domain}}}")
        elif slot == "room" and said in names.rooms:
            out.append("{room}")
        elif intent == OUT_OF_DOMAIN and slot not in _KEPT_IN_OOD:
            out.extend(said)
            literal.extend(said)
        else:
            out.append(f"<{slot}:{' '.join(said)}>")
            literal.extend(said)
        i = span.end
    if names.said_in(literal) or not literal:
        return None
    return " ".join(out)


def _recogniser(session: EvalSession) -> ModelRecogniser:
    recogniser = session.pipeline.recogniser
    if not isinstance(recogniser, ModelRecogniser):
        raise SystemExit("the config must use the learned model and no custom intents")
    return recogniser


Key = tuple[str, str]  # (template, context written as "key=value,...", "" for none)


class Borrower:
    """Runs sentences and dialogues as the evaluation does and keeps what was read right."""

    def __init__(self, config: Path) -> None:
        self.loaded = load_config(config)
        self.names = HomeNames(Home.from_config(self.loaded.config))
        self.found: dict[Key, str] = {}
        self.skipped: Counter[str] = Counter()

    def test(self, test: SentenceTest) -> None:
        if set(test.context) - {"site"} or test.audio is not None:
            # a site only places "in here"; anything else is a state the words rely on
            self.skipped["said with a context or as audio"] += len(test.say) or 1
            return
        for text in test.say:
            session = EvalSession(self.loaded)
            record = EvalRunner.run_turn(
                session, str(test.file), test.line, test.where, text, test.context, test.expect
            )
            self.turn(session, record)

    def dialogue(self, dialogue: Dialogue) -> None:
        session = EvalSession(self.loaded)
        for turn in dialogue.turns:
            if turn.say is None:
                self.skipped["said with a context or as audio"] += 1
                break  # the rest hangs on a turn that was not read
            record = EvalRunner.run_turn(
                session, str(dialogue.file), turn.line, f"dialogue {dialogue.name!r}",
                turn.say, turn.context, turn.expect, turn.wait,
            )  # fmt: skip
            if not self.turn(session, record):
                break

    def turn(self, session: EvalSession, record: TurnRecord) -> bool:
        """Borrow one sentence as the evaluation ran it; False when it was not right."""
        if record.result is None or not record.verdict.exact:
            self.skipped["not right yet"] += 1
            return False
        expect = record.expect
        reading = _recogniser(session).last_reading
        # a question commands nothing and stays one; anything else expected to command
        # nothing is out of domain, whatever rule held it back
        none = expect.kind == NONE and reading.intent != "query"
        intent = OUT_OF_DOMAIN if none else reading.intent
        if intent not in INTENTS or not reading.tokens:
            self.skipped["read in parts or no built-in intent"] += 1
        elif intent == OUT_OF_DOMAIN and expect.kind != NONE:
            # a rule after the model found the command: the model's own reading was wrong
            self.skipped["right by a rule, not the model"] += 1
        elif (template := template_of(reading.tokens, reading.spans, intent, self.names)) is None:
            self.skipped["says a home name outside a span"] += 1
        else:
            said_in = ",".join(f"{k}={v}" for k, v in reading.context.items() if v != "none")
            if self.found.setdefault((template, said_in), intent) != intent:
                self.skipped["same template, two intents"] += 1
        return True


def borrow(config: Path, files: list[EvalFile]) -> tuple[dict[Key, str], Counter[str]]:
    """(template, context) -> intent for every sentence run right; why others were left out."""
    borrower = Borrower(config)
    for eval_file in files:
        for test in eval_file.tests:
            borrower.test(test)
        for dialogue in eval_file.dialogues:
            borrower.dialogue(dialogue)
    return borrower.found, borrower.skipped


def held_out(files: list[EvalFile]) -> list[str]:
    said = [s for f in files for t in f.tests for s in t.say]
    said += [turn.say for f in files for d in f.dialogues for turn in d.turns if turn.say]
    return [" ".join(words(s)) for s in said]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True, help="a home using the model")
    parser.add_argument(
        "--exclude", type=Path, nargs="*", default=[], help="files no template may produce"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("files", type=Path, nargs="+", help="evaluation files to borrow from")
    args = parser.parse_args(argv)
    found, skipped = borrow(args.config, load_eval_files(args.files))
    excluded = held_out(load_eval_files(args.exclude))
    kept = {
        key: intent
        for key, intent in found.items()
        if not any(T.template_regex(key[0]).match(s) for s in excluded)
    }
    skipped["would say a sentence of an --exclude file"] = len(found) - len(kept)
    lines = [
        "\t".join((intent, template, said_in) if said_in else (intent, template))
        for (template, said_in), intent in sorted(kept.items(), key=_order)
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} templates -> {args.out}", file=sys.stderr)
    for why, n in skipped.most_common():
        print(f"  left out: {n:5d}  {why}", file=sys.stderr)
    by_intent = Counter(kept.values())
    print("  " + ", ".join(f"{k} {v}" for k, v in by_intent.most_common()), file=sys.stderr)
    return 0


def _order(item: tuple[Key, str]) -> tuple[str, str, str]:
    (template, said_in), intent = item
    return intent, said_in, template


if __name__ == "__main__":
    sys.exit(main())
