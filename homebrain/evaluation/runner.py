"""Run evaluation files through the daemon's own code path and score them.

Every sentence and every dialogue gets a fresh `EvalSession`: a real `Pipeline`
(understanding, dialogue, profiles) whose `CaptureSink` records the commands it
would publish and feeds their MQTT messages to an in-process `Simulator`; the
simulated devices' state messages go into the `StateMirror`, as in the daemon,
so later turns of a dialogue see the state earlier turns made. Nothing leaks
from one test or dialogue to the next.

Scoring (DESIGN.md's JSON keys):

- ``sentences``: sentences of ``tests`` run (each string of a ``say`` list and
  each ``audio`` test is one); dialogue turns are scored per dialogue.
- ``exact_match``: the fraction of sentences whose outcome matches ``expect``
  exactly: for entity commands, the commanded entities are exactly the
  expected ones and every expected field is in the entity's (merged) command
  with an equal value (numbers numerically, 21 == 21.0; words
  case-insensitively); ``none``: nothing commanded; ``ask``: a question back
  and nothing commanded; a custom intent: the intent name and every expected
  slot equal. A custom intent's published action counts as acting: it fails
  ``none`` and ``ask``, and an entity expectation that did not ask for it.
- ``intent_accuracy``: the fraction of sentences whose *target* is right,
  values aside: for entity commands, the set of commanded entities equals the
  expected set (brightness 40 instead of 50 still counts); for ``none``,
  nothing was commanded; for ``ask``, a question was asked; for a custom
  intent, the intent name matches (slots aside).
- ``ood_false_action_rate``: among the ``expect: none`` sentences that ran, the
  fraction that commanded anything or published a custom action (0 when there
  are none).
- ``dialogues`` / ``dialogues_passed``: a dialogue passes when every turn
  matches exactly (every turn runs even after one fails, and each failing turn
  is listed in ``failures`` with the dialogue's name).
- ``latency_ms``: p50 and p99 of `TurnResult.latency_ms` over every turn that
  ran, sentences and dialogue turns alike (0 when none ran).

With no sentences, ``exact_match`` and ``intent_accuracy`` are 1.0 (nothing
failed).

Audio tests (``audio:``) run through the daemon's own listener (Silero VAD,
endpointing, the configured recogniser built for this home); every utterance
found in the clip is a turn of the same session, and the last one is judged.
Where tests give a ``transcript``, ``word_error_rate`` (an extension key) is
the word-level edit distance over the reference words. A clip that cannot be
read fails with the reason, and is never counted as an out-of-domain action.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

from homebrain.actions.custom import ActionMessage
from homebrain.audio.pcm import AudioFormatError
from homebrain.audio.sources import WavFileSource
from homebrain.config.loader import LoadedConfig
from homebrain.evaluation.files import (
    ASK,
    COMMANDS,
    INTENT,
    NONE,
    Dialogue,
    DialogueTurn,
    EvalFile,
    Expectation,
    SentenceTest,
    turn_context,
)
from homebrain.home import Home
from homebrain.messages import DeviceCommand, MqttMessage
from homebrain.pipeline import Origin, Pipeline
from homebrain.speech.engine import Transcript
from homebrain.speech.listener import Listener
from homebrain.speech.sentences import spoken
from homebrain.state.mirror import StateMirror
from homebrain.turns import ACTION, UNHEARD, TurnContext, TurnResult
from homebrain.turns import ASK as ASK_OUTCOME

if TYPE_CHECKING:
    from homebrain.vision.frames_context import FrameContexts

log = logging.getLogger("homebrain.evaluation")

TURN_GAP_S = 1.0  # simulated seconds between two turns (plus a turn's `wait`)


# --- one session: pipeline + simulated devices + mirror ----------------------------------------


class ManualClock:
    """The dialogue's clock: advances only when told, so results never depend on machine speed."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class CaptureSink:
    """A CommandSink that publishes to simulated devices instead of a broker.

    Records every command, custom action and message of the current turn; each
    device message goes to the simulator and the devices' answering state
    messages into the mirror.
    """

    def __init__(self, simulator: Any, mirror: StateMirror) -> None:
        self.simulator = simulator
        self.mirror = mirror
        self.commands: list[DeviceCommand] = []
        self.actions: list[ActionMessage] = []
        self.messages: list[MqttMessage] = []

    def start_turn(self) -> None:
        self.commands = []
        self.actions = []
        self.messages = []

    def send(self, command: DeviceCommand, messages: list[MqttMessage], origin: Origin) -> None:
        self.commands.append(command)
        for message in messages:
            self.messages.append(message)
            for reply in self.simulator.handle(message.topic, message.payload):
                self.mirror.handle(reply.topic, reply.payload)

    def send_action(self, action: ActionMessage, origin: Origin) -> None:
        """A custom action: recorded and captured; no simulated device listens for it."""
        self.actions.append(action)
        self.messages.append(action.message)


class EvalSession:
    """A fresh pipeline over fresh simulated devices, for one test or one dialogue."""

    def __init__(
        self, loaded: LoadedConfig, frames: Callable[[], FrameContexts] | None = None
    ) -> None:
        from homebrain.simulate.simulator import Simulator  # late: a sibling stage

        self.frames = frames

        self.simulator = Simulator(loaded)
        self.mirror = StateMirror(loaded)
        for message in self.simulator.initial_messages():
            self.mirror.handle(message.topic, message.payload)
        self.clock = ManualClock()
        self.sink = CaptureSink(self.simulator, self.mirror)
        self.pipeline = Pipeline(loaded, self.mirror, self.sink, clock=self.clock)

    def say(self, text: str, context: dict[str, Any], wait: float = 0.0) -> TurnResult:
        self.clock.advance(TURN_GAP_S + wait)
        self.sink.start_turn()
        return self.pipeline.handle_text(text, self.context(context))

    def context(self, context: dict[str, Any]) -> TurnContext:
        turn = turn_context(context)
        if self.frames is not None and (context.get("frame") or context.get("frames")):
            self.frames().apply(context, turn)
        return turn

    def hear(
        self, transcript: Transcript, context: dict[str, Any], wait: float = 0.0
    ) -> TurnResult:
        self.clock.advance(TURN_GAP_S + wait)
        self.sink.start_turn()
        return self.pipeline.handle_transcript(transcript, self.context(context))


# --- judging one turn --------------------------------------------------------------------------


def values_equal(expected: Any, got: Any) -> bool:
    """Numbers numerically (21 == 21.0, "21" == 21), words case-insensitively, on/yes == True."""
    if isinstance(expected, bool) or isinstance(got, bool):
        if isinstance(expected, bool) and isinstance(got, bool):
            return expected == got
        flag, other = (expected, got) if isinstance(expected, bool) else (got, expected)
        if isinstance(other, str):
            word = other.strip().lower()
            return word in (("true", "yes", "on") if flag else ("false", "no", "off"))
        return False
    number_e, number_g = _number(expected), _number(got)
    if (
        number_e is not None
        and number_g is not None
        and (isinstance(expected, int | float) or isinstance(got, int | float))
    ):
        return math.isclose(number_e, number_g, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, str) and isinstance(got, str):
        return expected.strip().casefold() == got.strip().casefold()
    if isinstance(expected, dict) and isinstance(got, dict):
        return expected.keys() == got.keys() and all(
            values_equal(v, got[k]) for k, v in expected.items()
        )
    if isinstance(expected, list | tuple) and isinstance(got, list | tuple):
        return len(expected) == len(got) and all(
            values_equal(a, b) for a, b in zip(expected, got, strict=True)
        )
    return bool(expected == got)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def merged_commands(commands: list[DeviceCommand]) -> dict[str, dict[str, Any]]:
    """Entity → every field commanded to it this turn (later commands win)."""
    out: dict[str, dict[str, Any]] = {}
    for command in commands:
        out.setdefault(command.entity_id, {}).update(command.fields)
    return out


@dataclass
class Verdict:
    exact: bool
    intent_ok: bool
    reason: str = ""


def judge(
    expect: Expectation,
    result: TurnResult,
    commanded: dict[str, dict[str, Any]],
    actions: Sequence[ActionMessage] = (),
) -> Verdict:
    """Compare one turn's result with its expectation (see the module docstring)."""
    acted = [*commanded, *(f"{a.intent} ({a.message.topic})" for a in actions)]
    if expect.kind == NONE:
        if acted:
            return Verdict(False, False, f"commanded {', '.join(acted)}; nothing should be")
        return Verdict(True, True)
    if expect.kind == ASK:
        asked = result.outcome == ASK_OUTCOME
        if asked and not acted:
            return Verdict(True, True)
        if acted:
            return Verdict(False, asked, f"commanded {', '.join(acted)} instead of asking")
        return Verdict(False, False, f"expected a question, got {result.outcome}")
    if expect.kind == INTENT:
        name = result.intent.name if result.intent is not None else None
        if name is None or name.casefold() != (expect.intent or "").casefold():
            return Verdict(False, False, f"expected intent {expect.intent!r}, got {name!r}")
        slots = result.intent.slots if result.intent is not None else {}
        wrong = [
            f"slot {key}: expected {value!r}, got {slots[key]!r}"
            if key in slots
            else f"slot {key} missing"
            for key, value in expect.slots.items()
            if key not in slots or not values_equal(value, slots[key])
        ]
        return Verdict(not wrong, True, "; ".join(wrong))
    assert expect.kind == COMMANDS
    expected_ids, got_ids = set(expect.commands), set(commanded)
    problems: list[str] = []
    missing = sorted(expected_ids - got_ids)
    extra = sorted(got_ids - expected_ids)
    if missing:
        problems.append(f"not commanded: {', '.join(missing)}")
    if extra:
        problems.append(f"commanded unexpectedly: {', '.join(extra)}")
    if actions:
        problems.append(f"published unexpectedly: {', '.join(acted[len(commanded) :])}")
    for entity_id in sorted(expected_ids & got_ids):
        fields = commanded[entity_id]
        for name, value in expect.commands[entity_id].items():
            if name not in fields:
                problems.append(f"{entity_id}: no {name} (expected {value!r})")
            elif not values_equal(value, fields[name]):
                problems.append(f"{entity_id}: {name} {fields[name]!r}, expected {value!r}")
    if not commanded and result.outcome != ACTION:
        problems.append(f"outcome {result.outcome}")
    return Verdict(not problems, expected_ids == got_ids, "; ".join(problems))


# --- records and metrics ------------------------------------------------------------------------


@dataclass
class TurnRecord:
    """One sentence or dialogue turn as it ran."""

    file: str
    line: int | None
    where: str
    say: str | None
    audio: str | None
    context: dict[str, Any]
    expect: Expectation
    verdict: Verdict
    result: TurnResult | None = None
    commanded: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[MqttMessage] = field(default_factory=list)
    dialogue: str | None = None
    turn: int | None = None  # 1-based, in dialogues
    actions: list[ActionMessage] = field(default_factory=list)  # custom actions published
    heard: list[str] | None = None  # audio: what the recogniser made of each utterance
    reference: str | None = None  # audio: the clip's transcript, when the test gives it

    @property
    def ran(self) -> bool:
        return self.result is not None

    def got_json(self) -> dict[str, Any]:
        if self.result is None:
            return {"error": self.verdict.reason}
        intent = self.result.intent
        got: dict[str, Any] = {
            "outcome": self.result.outcome,
            "commands": self.commanded,
            "intent": intent.name if intent is not None else None,
            "slots": dict(intent.slots) if intent is not None else {},
            "response": self.result.response,
        }
        if self.heard is not None:  # an extension key: audio tests
            got["heard"] = self.heard
        if self.actions:  # an extension key: only when a custom action was published
            got["actions"] = [
                {"topic": a.message.topic, "payload": a.payload} for a in self.actions
            ]
        return got

    def failure_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.audio is not None:
            out["audio"] = self.audio
        else:
            out["say"] = self.say
        out["expected"] = self.expect.to_json()
        out["got"] = self.got_json()
        out["reason"] = self.verdict.reason
        out["line"] = self.line
        if self.context:
            out["context"] = self.context
        if self.dialogue is not None:
            out["dialogue"] = self.dialogue
            out["turn"] = self.turn
        return out


@dataclass
class Stats:
    sentences: int = 0
    exact: int = 0
    intent_ok: int = 0
    ood: int = 0
    ood_acted: int = 0
    dialogues: int = 0
    dialogues_passed: int = 0
    latencies: list[float] = field(default_factory=list)
    words: int = 0  # reference words of audio tests with a transcript
    word_errors: int = 0

    def add_sentence(self, record: TurnRecord) -> None:
        self.add_words(record)
        self.sentences += 1
        self.exact += record.verdict.exact
        self.intent_ok += record.verdict.intent_ok
        if record.expect.kind == NONE and record.ran:
            self.ood += 1
            self.ood_acted += bool(record.commanded or record.actions)
        self.add_latency(record)

    def add_words(self, record: TurnRecord) -> None:
        if record.reference is None or record.heard is None:
            return
        reference = spoken(record.reference).split()
        self.words += len(reference)
        self.word_errors += int(Levenshtein.distance(reference, " ".join(record.heard).split()))

    def add_latency(self, record: TurnRecord) -> None:
        if record.result is not None:
            self.latencies.append(record.result.latency_ms)

    def merge(self, other: Stats) -> None:
        self.sentences += other.sentences
        self.exact += other.exact
        self.intent_ok += other.intent_ok
        self.ood += other.ood
        self.ood_acted += other.ood_acted
        self.dialogues += other.dialogues
        self.dialogues_passed += other.dialogues_passed
        self.latencies.extend(other.latencies)
        self.words += other.words
        self.word_errors += other.word_errors

    @property
    def passed(self) -> bool:
        return self.exact == self.sentences and self.dialogues_passed == self.dialogues

    def to_json(self) -> dict[str, Any]:
        out = self._contract_json()
        if self.words:
            out["word_error_rate"] = _ratio(self.word_errors, self.words, 0.0)
        return out

    def _contract_json(self) -> dict[str, Any]:
        return {
            "sentences": self.sentences,
            "exact_match": _ratio(self.exact, self.sentences, 1.0),
            "intent_accuracy": _ratio(self.intent_ok, self.sentences, 1.0),
            "ood_false_action_rate": _ratio(self.ood_acted, self.ood, 0.0),
            "dialogues": self.dialogues,
            "dialogues_passed": self.dialogues_passed,
            "latency_ms": {
                "p50": round(quantile(self.latencies, 0.50), 3),
                "p99": round(quantile(self.latencies, 0.99), 3),
            },
        }


def _ratio(part: int, whole: int, empty: float) -> float:
    return round(part / whole, 4) if whole else empty


def quantile(values: list[float], q: float) -> float:
    """The q-quantile, interpolating linearly between closest ranks (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = min(max(q, 0.0), 1.0) * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


@dataclass
class FileReport:
    path: str
    stats: Stats
    records: list[TurnRecord]  # every sentence and dialogue turn, in file order
    dialogue_results: list[tuple[str, bool]]

    @property
    def failures(self) -> list[TurnRecord]:
        return [r for r in self.records if not r.verdict.exact]


@dataclass
class EvalReport:
    files: list[FileReport]

    @property
    def overall(self) -> Stats:
        total = Stats()
        for report in self.files:
            total.merge(report.stats)
        return total

    @property
    def failures(self) -> list[TurnRecord]:
        return [r for report in self.files for r in report.failures]

    @property
    def passed(self) -> bool:
        return all(report.stats.passed for report in self.files)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's object: overall, files, failures (all of them; extra keys are extensions)."""
        return {
            "overall": self.overall.to_json(),
            "files": {report.path: report.stats.to_json() for report in self.files},
            "failures": [record.failure_json() for record in self.failures],
        }


# --- running ------------------------------------------------------------------------------------


Progress = Callable[[int], None]  # called with how many items (sentences, dialogues) just finished


class EvalRunner:
    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self._listener: Listener | None = None
        self._frames: FrameContexts | None = None

    def session(self) -> EvalSession:
        return EvalSession(self.loaded, self.frames)

    def frames(self) -> FrameContexts:
        """The camera stage for ``frame:`` contexts, built at the first one (needs OpenCV)."""
        if self._frames is None:
            from homebrain.vision.frames_context import FrameContexts

            home = Home.from_config(self.loaded.config)
            self._frames = FrameContexts(
                self.loaded.config.vision,
                lambda site: home.room_of_site(site or home.default_site),
                lambda site: home.rooms_of_site(site or home.default_site),
            )
        return self._frames

    @property
    def listener(self) -> Listener:
        """The daemon's listener for this home, built at the first audio test (about a second)."""
        if self._listener is None:
            from homebrain.speech.build import build_listener

            self._listener = build_listener(self.loaded.config)
        return self._listener

    def run(self, files: list[EvalFile], progress: Progress | None = None) -> EvalReport:
        return EvalReport([self.run_file(f, progress) for f in files])

    def run_file(self, eval_file: EvalFile, progress: Progress | None = None) -> FileReport:
        stats = Stats()
        records: list[TurnRecord] = []
        dialogue_results: list[tuple[str, bool]] = []
        for test in eval_file.tests:
            for record in self.run_test(test):
                stats.add_sentence(record)
                records.append(record)
                if progress is not None:
                    progress(1)
        for dialogue in eval_file.dialogues:
            turns = self.run_dialogue(dialogue)
            passed = all(r.verdict.exact for r in turns)
            stats.dialogues += 1
            stats.dialogues_passed += passed
            for record in turns:
                stats.add_latency(record)
                stats.add_words(record)
            records.extend(turns)
            dialogue_results.append((dialogue.name, passed))
            if progress is not None:
                progress(1)
        return FileReport(str(eval_file.path), stats, records, dialogue_results)

    def run_test(self, test: SentenceTest) -> list[TurnRecord]:
        """Each sentence of a test on its own fresh session (alternatives of one command)."""
        where = test.where
        file = str(test.file)
        if test.audio is not None:
            return [
                self._run_audio(
                    self.session(),
                    file,
                    test.line,
                    where,
                    test.audio,
                    test.context,
                    test.expect,
                    reference=test.transcript,
                )
            ]
        return [
            self.run_turn(self.session(), file, test.line, where, text, test.context, test.expect)
            for text in test.say
        ]

    def run_dialogue(self, dialogue: Dialogue) -> list[TurnRecord]:
        """Every turn in order on one session, so state and conversation carry over."""
        session = self.session()
        records: list[TurnRecord] = []
        for turn in dialogue.turns:
            record = self._dialogue_turn(session, dialogue, turn)
            record.dialogue = dialogue.name
            record.turn = turn.index + 1
            records.append(record)
        return records

    def _dialogue_turn(
        self, session: EvalSession, dialogue: Dialogue, turn: DialogueTurn
    ) -> TurnRecord:
        where = f"dialogues[{dialogue.index}] {dialogue.name!r}.turns[{turn.index}]"
        file = str(dialogue.file)
        if turn.audio is not None:
            return self._run_audio(
                session,
                file,
                turn.line,
                where,
                turn.audio,
                turn.context,
                turn.expect,
                turn.wait,
                turn.transcript,
            )
        assert turn.say is not None
        return self.run_turn(
            session, file, turn.line, where, turn.say, turn.context, turn.expect, turn.wait
        )

    def _run_audio(
        self,
        session: EvalSession,
        file: str,
        line: int | None,
        where: str,
        audio: Path,
        context: dict[str, Any],
        expect: Expectation,
        wait: float = 0.0,
        reference: str | None = None,
    ) -> TurnRecord:
        """Every utterance of the clip is a turn of ``session``; the last one is judged."""
        record = TurnRecord(
            file, line, where, None, str(audio), context, expect, Verdict(False, False)
        )
        record.reference = reference
        try:
            heard = [h.transcript for h in self.listener.run(WavFileSource(audio).chunks())]
        except AudioFormatError as exc:
            record.verdict = Verdict(False, False, f"cannot read the audio: {exc}")
            return record
        record.heard = [t.text for t in heard]
        results: list[TurnResult] = []
        for i, transcript in enumerate(heard or [Transcript("", 0.0)]):
            results.append(session.hear(transcript, context, wait if i == 0 else 0.0))
        result = next((r for r in reversed(results) if r.outcome != UNHEARD), results[-1])
        record.result = result
        record.say = " / ".join(record.heard)
        record.commanded = merged_commands(session.sink.commands)
        record.actions = list(session.sink.actions)
        record.messages = list(session.sink.messages)
        record.verdict = judge(expect, result, record.commanded, record.actions)
        return record

    @staticmethod
    def run_turn(
        session: EvalSession,
        file: str,
        line: int | None,
        where: str,
        text: str,
        context: dict[str, Any],
        expect: Expectation,
        wait: float = 0.0,
    ) -> TurnRecord:
        try:
            result = session.say(text, context, wait)
        except Exception as exc:  # a crash is this sentence's failure, not the whole run's
            log.exception("%s:%s: %s: %r crashed the pipeline", file, line, where, text)
            reason = f"the pipeline crashed: {type(exc).__name__}: {exc}"
            return TurnRecord(
                file, line, where, text, None, context, expect, Verdict(False, False, reason)
            )
        commanded = merged_commands(session.sink.commands)
        actions = list(session.sink.actions)
        verdict = judge(expect, result, commanded, actions)
        return TurnRecord(
            file,
            line,
            where,
            text,
            None,
            context,
            expect,
            verdict,
            result,
            commanded,
            list(session.sink.messages),
            actions=actions,
        )
