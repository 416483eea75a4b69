"""Evaluation files (DESIGN.md, "Evaluation files"): load, validate, check against a config.

The format is a contract shared with outside tools::

    tests:
      - say: ["turn on the kitchen light", "kitchen light on please"]   # or one string
        context: {site: kitchen, pointing_at: light.reading_lamp}      # optional
        expect: {light.kitchen_ceiling: {state: "on"}}
      - say: "what's the weather like"
        expect: none                  # nothing may be commanded
      - audio: clips/lamp.wav         # instead of say (relative to the evaluation file)
        transcript: turn on the lamp  # optional: what it says, for the word error rate
        expect: {intent: my_intent, slots: {name: value}}     # a custom intent
    dialogues:
      - name: heating needs a value
        context: {site: living_room}  # optional default for every turn
        turns:
          - {say: "set the heating", expect: ask}   # a question back, nothing sent
          - {say: "twenty one degrees", expect: {climate.living_room: {temperature: 21}}}

Extensions (none of which changes the meaning of a file written to the contract):
an optional ``name`` on a test, a dialogue-level ``context`` that turns inherit,
and ``wait: SECONDS`` on a dialogue turn (time passing before it is said, for
question time-outs), and ``transcript`` beside ``audio`` (the words the clip
says: the word error rate is reported when it is given). Context keys other
than ``site`` and ``pointing_at`` are passed to the pipeline in
``TurnContext.extra``. ``frame: picture.jpg`` (or ``frames:`` for a short
clip: its last frame, with a gesture counted only when held over the last two, as
the daemon's cameras count it) in a
context is what the camera saw at that turn: the real landmark models run on
it and the scene joins the turn as the daemon's cameras would (vision vector,
pointing at a configured device, the room the speaker is seen in); ``camera:``
names which configured camera took it (default: the one watching the site's
room).

YAML 1.1 reads a bare ``on``/``off``/``yes``/``no`` as a boolean; here they stay
words, so ``{state: on}`` means the word "on" as the contract does. Only
``true``/``false`` are booleans.

Every problem is reported as an `EvalProblem` naming the file, the line, the
test (``tests[2]``) or dialogue turn, and what is wrong; `EvalFileError` carries
all of them, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homebrain.config.loader import LoadedConfig, did_you_mean
from homebrain.domains import DOMAINS, CommandError
from homebrain.turns import TurnContext
from homebrain.yamlsource import Loc, Located, Problem, SourceError, read_located

# Expectation kinds.
COMMANDS = "commands"  # {entity_id: {field: value}}: exactly these entities, with these fields
NONE = "none"  # nothing may be commanded
ASK = "ask"  # a question back, nothing commanded
INTENT = "intent"  # {intent: name, slots: {...}}: a custom intent

TEST_KEYS = ("name", "say", "audio", "transcript", "context", "expect")
TURN_KEYS = ("say", "audio", "transcript", "context", "expect", "wait")
DIALOGUE_KEYS = ("name", "context", "turns")
TOP_KEYS = ("tests", "dialogues")
INTENT_KEYS = ("intent", "slots")


EvalProblem = Problem


class EvalFileError(SourceError):
    what = "evaluation file"


@dataclass
class Expectation:
    kind: str
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)
    intent: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Any:
        """As written in the file: the mapping, "none", "ask" or {intent, slots}."""
        if self.kind == COMMANDS:
            return {k: dict(v) for k, v in self.commands.items()}
        if self.kind == INTENT:
            return {"intent": self.intent, "slots": dict(self.slots)}
        return self.kind


@dataclass
class SentenceTest:
    """One entry of ``tests``: each of ``say`` is one sentence, run on its own."""

    file: Path
    index: int
    line: int | None
    say: list[str]
    audio: Path | None
    context: dict[str, Any]
    expect: Expectation
    name: str | None = None
    transcript: str | None = None  # what an audio clip says, for the word error rate

    @property
    def where(self) -> str:
        return f"tests[{self.index}]" + (f" {self.name!r}" if self.name else "")


@dataclass
class DialogueTurn:
    index: int
    line: int | None
    say: str | None
    audio: Path | None
    context: dict[str, Any]
    expect: Expectation
    wait: float = 0.0
    transcript: str | None = None  # what an audio clip says, for the word error rate


@dataclass
class Dialogue:
    file: Path
    index: int
    line: int | None
    name: str
    turns: list[DialogueTurn]


@dataclass
class EvalFile:
    path: Path
    tests: list[SentenceTest]
    dialogues: list[Dialogue]

    @property
    def sentence_count(self) -> int:
        return sum(len(t.say) if t.audio is None else 1 for t in self.tests)


def turn_context(context: dict[str, Any]) -> TurnContext:
    """An evaluation ``context`` mapping as the pipeline's TurnContext."""
    extra = {k: v for k, v in context.items() if k not in ("site", "pointing_at")}
    return TurnContext(
        site=context.get("site"), pointing_at=context.get("pointing_at"), extra=extra
    )


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), f"a {type(value).__name__}")


class _Reader:
    """Turns one file's data into dataclasses, collecting every problem."""

    def __init__(self, path: Path, lines: Located) -> None:
        self.path = path
        self.name = str(path)
        self.lines = lines
        self.problems: list[EvalProblem] = []

    def problem(self, loc: Loc, where: str, message: str) -> None:
        self.problems.append(EvalProblem(self.name, self.lines.line(loc), where, message))

    def unknown_keys(
        self, data: dict[str, Any], known: tuple[str, ...], loc: Loc, where: str
    ) -> None:
        for key in data:
            if key not in known:
                hint = did_you_mean(str(key), list(known))
                self.problem(
                    (*loc, key),
                    where,
                    f"unknown key {key!r}{hint}; expected {', '.join(known)}",
                )

    def read(self, data: Any) -> EvalFile:
        if not isinstance(data, dict):
            self.problem(
                (), "", f"expected a mapping with tests and/or dialogues, got {_kind(data)}"
            )
            return EvalFile(self.path, [], [])
        self.unknown_keys(data, TOP_KEYS, (), "")
        tests: list[SentenceTest] = []
        dialogues: list[Dialogue] = []
        raw_tests = data.get("tests")
        if raw_tests is not None and not isinstance(raw_tests, list):
            self.problem(("tests",), "tests", f"expected a list of tests, got {_kind(raw_tests)}")
        elif raw_tests:
            for index, raw in enumerate(raw_tests):
                test = self.test(raw, index)
                if test is not None:
                    tests.append(test)
        raw_dialogues = data.get("dialogues")
        if raw_dialogues is not None and not isinstance(raw_dialogues, list):
            self.problem(
                ("dialogues",),
                "dialogues",
                f"expected a list of dialogues, got {_kind(raw_dialogues)}",
            )
        elif raw_dialogues:
            for index, raw in enumerate(raw_dialogues):
                dialogue = self.dialogue(raw, index)
                if dialogue is not None:
                    dialogues.append(dialogue)
        if not raw_tests and not raw_dialogues and not self.problems:
            self.problem((), "", "no tests and no dialogues in this file")
        return EvalFile(self.path, tests, dialogues)

    def test(self, raw: Any, index: int) -> SentenceTest | None:
        loc: Loc = ("tests", index)
        where = f"tests[{index}]"
        if not isinstance(raw, dict):
            self.problem(
                loc, where, f"expected a mapping with say/audio and expect, got {_kind(raw)}"
            )
            return None
        name = raw.get("name")
        if name is not None:
            if isinstance(name, str | int | float) and not isinstance(name, bool):
                name = str(name)
                where = f"{where} {name!r}"
            else:
                self.problem((*loc, "name"), where, f"name: expected a string, got {_kind(name)}")
                name = None
        before = len(self.problems)
        self.unknown_keys(raw, TEST_KEYS, loc, where)
        say: list[str] = []
        audio = self.audio(raw, loc, where)
        if "say" in raw:
            value = raw["say"]
            items = value if isinstance(value, list) else [value]
            if isinstance(value, list) and not value:
                self.problem((*loc, "say"), where, "say: expected at least one sentence")
            for i, item in enumerate(items):
                if isinstance(item, str) and item.strip():
                    say.append(item)
                else:
                    at: Loc = (*loc, "say", i) if isinstance(value, list) else (*loc, "say")
                    self.problem(
                        at, where, f"say: expected a non-empty sentence, got {_kind(item)} {item!r}"
                    )
        if "say" in raw and "audio" in raw:
            self.problem(loc, where, "give either say or audio, not both")
        elif "say" not in raw and "audio" not in raw:
            self.problem(loc, where, "missing say (a sentence or a list of them) or audio (a file)")
        context = self.context(raw.get("context"), (*loc, "context"), where)
        expect = self.expect(raw, loc, where)
        if len(self.problems) > before or expect is None:
            return None
        return SentenceTest(
            self.path,
            index,
            self.lines.line(loc),
            say,
            audio,
            context,
            expect,
            name,
            self.transcript(raw, loc, where),
        )

    def dialogue(self, raw: Any, index: int) -> Dialogue | None:
        loc: Loc = ("dialogues", index)
        where = f"dialogues[{index}]"
        if not isinstance(raw, dict):
            self.problem(loc, where, f"expected a mapping with name and turns, got {_kind(raw)}")
            return None
        before = len(self.problems)
        name = raw.get("name")
        if name is None:
            name = f"dialogue {index}"
        elif isinstance(name, str | int | float) and not isinstance(name, bool):
            name = str(name)
            where = f"{where} {name!r}"
        else:
            self.problem((*loc, "name"), where, f"name: expected a string, got {_kind(name)}")
        self.unknown_keys(raw, DIALOGUE_KEYS, loc, where)
        context = self.context(raw.get("context"), (*loc, "context"), where)
        raw_turns = raw.get("turns")
        turns: list[DialogueTurn] = []
        if not isinstance(raw_turns, list) or not raw_turns:
            self.problem(
                (*loc, "turns"), where, f"turns: expected a list of turns, got {_kind(raw_turns)}"
            )
        else:
            for i, raw_turn in enumerate(raw_turns):
                turn = self.turn(raw_turn, (*loc, "turns", i), f"{where}.turns[{i}]", i, context)
                if turn is not None:
                    turns.append(turn)
        if len(self.problems) > before:
            return None
        return Dialogue(self.path, index, self.lines.line(loc), str(name), turns)

    def turn(
        self, raw: Any, loc: Loc, where: str, index: int, defaults: dict[str, Any]
    ) -> DialogueTurn | None:
        if not isinstance(raw, dict):
            self.problem(loc, where, f"expected a mapping with say and expect, got {_kind(raw)}")
            return None
        before = len(self.problems)
        self.unknown_keys(raw, TURN_KEYS, loc, where)
        say: str | None = None
        audio = self.audio(raw, loc, where)
        if "say" in raw:
            value = raw["say"]
            own = raw.get("context")
            pictured = isinstance(own, dict) and bool(own.get("frame") or own.get("frames"))
            if isinstance(value, str) and (value.strip() or pictured):
                say = value  # "" with a picture: no words, only a gesture
            else:
                self.problem(
                    (*loc, "say"),
                    where,
                    f"say: expected one non-empty sentence (a dialogue turn is one utterance; "
                    f"'' only with a frame: a gesture without words), "
                    f"got {_kind(value)} {value!r}",
                )
        if "say" in raw and "audio" in raw:
            self.problem(loc, where, "give either say or audio, not both")
        elif "say" not in raw and "audio" not in raw:
            self.problem(loc, where, "missing say (a sentence) or audio (a file)")
        context = {**defaults, **self.context(raw.get("context"), (*loc, "context"), where)}
        wait = raw.get("wait", 0.0)
        if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
            self.problem((*loc, "wait"), where, f"wait: expected seconds (>= 0), got {wait!r}")
            wait = 0.0
        expect = self.expect(raw, loc, where)
        if len(self.problems) > before or expect is None:
            return None
        return DialogueTurn(
            index,
            self.lines.line(loc),
            say,
            audio,
            context,
            expect,
            float(wait),
            self.transcript(raw, loc, where),
        )

    def transcript(self, raw: dict[str, Any], loc: Loc, where: str) -> str | None:
        """``transcript``: the words of an audio clip (only beside ``audio``)."""
        if "transcript" not in raw:
            return None
        value = raw["transcript"]
        if "audio" not in raw:
            self.problem((*loc, "transcript"), where, "transcript: only for audio tests")
        elif not isinstance(value, str):
            self.problem(
                (*loc, "transcript"), where, f"transcript: expected words, got {_kind(value)}"
            )
        else:
            return value
        return None

    def audio(self, raw: dict[str, Any], loc: Loc, where: str) -> Path | None:
        if "audio" not in raw:
            return None
        return self.file(raw["audio"], (*loc, "audio"), where, "audio", "a file path")

    def context(self, raw: Any, loc: Loc, where: str) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(
                loc, where, f"context: expected a mapping like {{site: kitchen}}, got {_kind(raw)}"
            )
            return {}
        for key in ("site", "pointing_at", "camera"):
            value = raw.get(key)
            if value is not None and not (isinstance(value, str) and value.strip()):
                self.problem((*loc, key), where, f"context.{key}: expected a name, got {value!r}")
        out = {str(k): v for k, v in raw.items()}
        if "frame" in raw and "frames" in raw:
            self.problem(loc, where, "context: give either frame or frames, not both")
        if "frame" in raw:
            frame = self.image(raw["frame"], (*loc, "frame"), where, "frame")
            out["frame"] = str(frame) if frame is not None else None
        if "frames" in raw:
            frames = raw["frames"]
            if not isinstance(frames, list) or not frames:
                self.problem(
                    (*loc, "frames"),
                    where,
                    f"frames: expected a list of images, got {_kind(frames)}",
                )
                out["frames"] = []
            else:
                found = [
                    self.image(f, (*loc, "frames", i), where, f"frames[{i}]")
                    for i, f in enumerate(frames)
                ]
                out["frames"] = [str(f) for f in found if f is not None]
        return out

    def image(self, value: Any, loc: Loc, where: str, key: str) -> Path | None:
        """A camera frame for the turn: an image file, relative to the evaluation file."""
        return self.file(value, loc, where, f"context.{key}", "an image file")

    def file(self, value: Any, loc: Loc, where: str, label: str, wanted: str) -> Path | None:
        """An existing file named by ``value``, relative to the evaluation file."""
        if not isinstance(value, str) or not value.strip():
            self.problem(loc, where, f"{label}: expected {wanted}, got {_kind(value)}")
            return None
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path
        if not path.is_file():
            self.problem(loc, where, f"{label}: {value!r}: no such file ({path})")
            return None
        return path

    def expect(self, raw: dict[str, Any], loc: Loc, where: str) -> Expectation | None:
        at: Loc = (*loc, "expect")
        if "expect" not in raw:
            self.problem(loc, where, "missing expect (entity commands, none, ask or {intent: ...})")
            return None
        value = raw["expect"]
        if isinstance(value, str) and value.strip().lower() in (NONE, ASK):
            return Expectation(value.strip().lower())
        if not isinstance(value, dict) or not value:
            self.problem(
                at,
                where,
                "expect: expected 'none', 'ask', {entity_id: {field: value}} or "
                f"{{intent: name, slots: {{...}}}}, got {_kind(value)} {value!r}",
            )
            return None
        if "intent" in value:
            return self.intent(value, at, where)
        commands: dict[str, dict[str, Any]] = {}
        ok = True
        for entity_id, fields in value.items():
            eloc: Loc = (*at, entity_id)
            domain, dot, object_id = str(entity_id).partition(".")
            if not dot or not object_id or domain not in DOMAINS:
                self.problem(
                    eloc,
                    where,
                    f"expect: {entity_id!r} is not an entity id (domain.object_id, domain one of "
                    f"{', '.join(DOMAINS)})",
                )
                ok = False
                continue
            if fields is None:
                fields = {}  # only "this entity is commanded"
            if not isinstance(fields, dict):
                self.problem(
                    eloc,
                    where,
                    f"expect.{entity_id}: expected a mapping of command fields like "
                    f'{{state: "on"}}, got {_kind(fields)} {fields!r}',
                )
                ok = False
                continue
            checked: dict[str, Any] = {}
            for name, expected in fields.items():
                spec = DOMAINS[domain].get(str(name))
                if spec is None:
                    hint = did_you_mean(str(name), list(DOMAINS[domain]))
                    self.problem(
                        (*eloc, name),
                        where,
                        f"expect.{entity_id}: {domain} has no command field {name!r}{hint}; "
                        f"expected one of {', '.join(DOMAINS[domain])}",
                    )
                    ok = False
                    continue
                try:
                    spec.coerce(expected)  # validated; kept as written (compared leniently)
                    checked[str(name)] = expected
                except CommandError as exc:
                    self.problem((*eloc, name), where, f"expect.{entity_id}.{name}: {exc}")
                    ok = False
            commands[str(entity_id)] = checked
        return Expectation(COMMANDS, commands=commands) if ok else None

    def intent(self, value: dict[str, Any], at: Loc, where: str) -> Expectation | None:
        ok = True
        for key in value:
            if key not in INTENT_KEYS:
                self.problem(
                    (*at, key),
                    where,
                    f"expect: unknown key {key!r} beside intent; expected intent and slots",
                )
                ok = False
        name = value.get("intent")
        if not isinstance(name, str) or not name.strip():
            self.problem((*at, "intent"), where, f"expect.intent: expected a name, got {name!r}")
            ok = False
        slots = value.get("slots") or {}
        if not isinstance(slots, dict):
            self.problem(
                (*at, "slots"), where, f"expect.slots: expected a mapping, got {_kind(slots)}"
            )
            ok = False
        if not ok:
            return None
        return Expectation(
            INTENT, intent=str(name).strip(), slots={str(k): v for k, v in slots.items()}
        )


def load_eval_file(path: str | Path) -> EvalFile:
    """Parse and validate one evaluation file; raise EvalFileError listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        data, lines = read_located(path, words_for_bools=True)  # "on"/"off" are states here
    except SourceError as exc:
        raise EvalFileError(exc.problems) from None
    reader = _Reader(path, lines)
    for loc, line in lines.duplicates:
        reader.problems.append(
            EvalProblem(
                name, line, ".".join(map(str, loc)), "duplicate key (the later one would win)"
            )
        )
    loaded = reader.read(data)
    if reader.problems:
        raise EvalFileError(sorted(reader.problems, key=lambda p: p.line or 0))
    return loaded


def load_eval_files(paths: list[Path]) -> list[EvalFile]:
    """Load every file, raising one EvalFileError with the problems of all of them."""
    files: list[EvalFile] = []
    problems: list[EvalProblem] = []
    for path in paths:
        try:
            files.append(load_eval_file(path))
        except EvalFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise EvalFileError(problems)
    return files


def check_against_config(files: list[EvalFile], loaded: LoadedConfig) -> list[EvalProblem]:
    """Entities, sites and pointed-at things an evaluation names must exist in the config.

    An expectation naming an entity the home does not have could never pass, so
    it is a mistake in the file (reported with a "did you mean"), not a failure
    of the pipeline.
    """
    entities = [d.id for d in loaded.config.devices]
    sites = sorted({*loaded.config.sites, *loaded.config.rooms})
    problems: list[EvalProblem] = []

    def check(
        file: EvalFile, line: int | None, where: str, context: dict[str, Any], expect: Expectation
    ) -> None:
        def add(message: str) -> None:
            problems.append(EvalProblem(str(file.path), line, where, message))

        site = context.get("site")
        if site is not None and site not in sites:
            hint = did_you_mean(site, sites)
            add(f"context.site: {site!r} is not a site or room of the config{hint}")
        pointing = context.get("pointing_at")
        if pointing is not None and pointing not in entities:
            hint = did_you_mean(pointing, entities)
            add(f"context.pointing_at: {pointing!r} is not an entity of the config{hint}")
        for entity_id in expect.commands:
            if entity_id not in entities:
                hint = did_you_mean(entity_id, entities)
                add(f"expect: {entity_id!r} is not an entity of the config{hint}")

    for file in files:
        for test in file.tests:
            check(file, test.line, test.where, test.context, test.expect)
        for dialogue in file.dialogues:
            for turn in dialogue.turns:
                check(
                    file,
                    turn.line,
                    f"dialogues[{dialogue.index}] {dialogue.name!r}.turns[{turn.index}]",
                    turn.context,
                    turn.expect,
                )
    return problems
