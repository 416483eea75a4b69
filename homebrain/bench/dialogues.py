"""Evaluation dialogues through the real daemon and a real broker, timed per turn.

`homebrain eval` runs dialogues through the daemon's own pipeline in process;
this runs them the way a satellite talks to a running homebrain: each turn is
published on ``homebrain/<site>/text``, the daemon (the real `Daemon`: MQTT
link, worker queue, recogniser, dialogue, profiles, outbox) answers on
``homebrain/<site>/response`` and ``.../intent``, and the device commands it
publishes are received on the devices' own command topics. So it both checks
the dialogues end to end over MQTT and measures what issue 4 asks for: per-turn
latency, text in → device command received (both broker hops included).

One MQTT client plays the user and every device: it is a `Simulator` (the
same simulated devices as ``simulate: true``, which the daemon runs without
here) that answers each command with the device's state message. Using one
client keeps the order right without waiting: a device's state reply is
queued on the same connection before the next sentence, so the broker hands
the daemon that state before the next turn, as in `homebrain eval`.

Each dialogue starts from fresh devices (a new simulator publishes its initial
state) and a fresh conversation (the daemon's dialogue is reset). A turn's
``wait`` moves the dialogue's clock on (plus `TURN_GAP_S`, like the evaluation
runner) instead of sleeping. Dialogues whose turns need what the text topic
cannot carry (audio, or context beyond ``site`` and ``pointing_at``, such as
``asr_confidence``) are skipped and listed.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paho.mqtt.client as mqtt
from rich.console import Console
from rich.progress import Progress

from homebrain.actions.custom import ActionMessage
from homebrain.config.loader import LoadedConfig
from homebrain.config.schema import DeviceConfig
from homebrain.daemon import Daemon
from homebrain.evaluation.files import Dialogue, DialogueTurn
from homebrain.evaluation.runner import TURN_GAP_S, Verdict, judge, quantile
from homebrain.home import Home
from homebrain.messages import MqttMessage
from homebrain.mqtt.connection import no_delay
from homebrain.mqtt.topics import Topics
from homebrain.simulate.simulator import Simulator
from homebrain.turns import TurnResult
from homebrain.understanding.intent import Intent

if TYPE_CHECKING:
    from homebrain.vision.service import CameraWorker

ANSWER_TIMEOUT_S = 5.0
# what a turn can carry to the running daemon: the text topic's site and pointing_at, and
# pictures, which this client shows to the daemon's cameras
_CONTEXT_OVER_MQTT = frozenset({"site", "pointing_at", "frame", "frames", "camera"})


class OffsetClock:
    """The dialogue's clock: real monotonic time plus the simulated waits of the turns."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@dataclass
class TurnRun:
    """One turn as it went over MQTT."""

    dialogue: str
    turn: int  # 1-based
    say: str
    site: str
    verdict: Verdict
    outcome: str = ""
    commanded: dict[str, dict[str, Any]] = field(default_factory=dict)  # from the intent message
    device_topics: list[str] = field(default_factory=list)  # command topics that got a message
    response: str = ""
    command_ms: float | None = None  # text published → first device command received
    response_ms: float | None = None  # text published → response received
    intent: dict[str, Any] = field(default_factory=dict)  # the daemon's intent message

    @property
    def passed(self) -> bool:
        return self.verdict.exact

    def to_json(self) -> dict[str, Any]:
        return {
            "dialogue": self.dialogue,
            "turn": self.turn,
            "say": self.say,
            "site": self.site,
            "passed": self.passed,
            "reason": self.verdict.reason,
            "outcome": self.outcome,
            "commands": self.commanded,
            "device_topics": self.device_topics,
            "response": self.response,
            "command_ms": self.command_ms,
            "response_ms": self.response_ms,
        }


def mqtt_skip_reason(dialogue: Dialogue) -> str | None:
    """Why a dialogue cannot be said over the text topic, or None when it can."""
    for turn in dialogue.turns:
        if turn.say is None:
            return "audio turns need the speech stage"
        extra = sorted(set(turn.context) - _CONTEXT_OVER_MQTT)
        if extra:
            return f"context {', '.join(extra)} cannot be sent on the text topic"
    return None


class _Turn:
    """What arrives for the turn in flight (filled on the client's network thread)."""

    def __init__(self, site: str, started: float) -> None:
        self.site = site
        self.started = started
        self.device_topics: list[str] = []
        self.first_command: float | None = None
        self.response: str | None = None
        self.response_at: float | None = None
        self.intent: dict[str, Any] | None = None
        self.done = threading.Event()


class DaemonDialogues:
    """A daemon in this process, and one client that is the user and every device.

    ``loaded`` must point at a running broker; its ``simulate`` is switched off
    (this client simulates the devices instead). Use as a context manager.
    """

    def __init__(self, loaded: LoadedConfig) -> None:
        loaded.config.simulate = False
        self.loaded = loaded
        self.topics = Topics(loaded.config.mqtt.topic_prefix)
        self.home = Home.from_config(loaded.config)
        self.daemon = Daemon(loaded)
        self.clock = OffsetClock()
        self._lock = threading.Lock()
        self._simulator = Simulator(loaded)
        self._devices_on: dict[str, list[DeviceConfig]] = {}
        for device in loaded.config.devices:
            for topic in loaded.profiles[device.profile].command_topics(device):
                self._devices_on.setdefault(topic, []).append(device)
        self._turn: _Turn | None = None
        self._online = threading.Event()
        self._subscribed = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"homebrain-dialogues-{time.time_ns()}"
        )
        self.client.on_socket_open = no_delay
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *args: self._subscribed.set()
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(min_delay=1, max_delay=2)  # back soon after an outage

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        cfg = self.loaded.config.mqtt
        self.client.connect(cfg.host, cfg.port)
        self.client.loop_start()
        if not self._subscribed.wait(timeout):
            raise RuntimeError(f"could not subscribe at the broker {cfg.host}:{cfg.port}")
        self._publish_all(self._simulator.initial_messages())
        self.daemon.start()
        if self.daemon.vision is not None:
            # this client is every camera too: turns show their frames (``frame:``) to the
            # daemon's own camera path, so the cameras' threads make way
            self.daemon.vision.stop()
        self.daemon.pipeline.dialogue.clock = self.clock
        if not self.daemon.link.wait_connected(timeout) or not self.wait_online(timeout):
            self.stop()
            raise RuntimeError(f"the daemon could not reach the broker at {cfg.host}:{cfg.port}")

    def wait_online(self, timeout: float = 10.0) -> bool:
        """True once this client is subscribed and the daemon said "online" (after this
        client's last reconnect): the daemon's subscriptions are in place by then."""
        deadline = time.monotonic() + timeout
        return self._subscribed.wait(timeout) and self._online.wait(
            max(0.0, deadline - time.monotonic())
        )

    def stop(self) -> None:
        self.daemon.stop()
        self.client.loop_stop()
        self.client.disconnect()

    def __enter__(self) -> DaemonDialogues:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the client: user and devices -------------------------------------------------------

    def _on_connect(self, client: mqtt.Client, *args: Any) -> None:
        topics = {
            *self._devices_on,
            self.topics.status,
            f"{self.topics.prefix}/+/response",
            f"{self.topics.prefix}/+/intent",
        }
        client.subscribe([(t, 1) for t in sorted(topics)])

    def _on_disconnect(self, client: mqtt.Client, *args: Any) -> None:
        """Until the daemon says "online" again after a reconnect, it may not hear a sentence."""
        self._subscribed.clear()
        self._online.clear()

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        now = time.perf_counter()
        topic, payload = msg.topic, bytes(msg.payload)
        if topic == self.topics.status:
            if payload == b"online":
                self._online.set()
            else:
                self._online.clear()
            return
        if topic in self._devices_on:
            with self._lock:
                turn, simulator = self._turn, self._simulator
            if turn is not None and self._is_command(topic, payload):
                turn.device_topics.append(topic)
                if turn.first_command is None:
                    turn.first_command = now
            for reply in simulator.handle(topic, payload):  # the device answers with its state
                self._publish(reply)
            return
        with self._lock:
            turn = self._turn
        if turn is None or msg.retain:
            return
        if topic == self.topics.response(turn.site):
            turn.response = payload.decode("utf-8", "replace")
            turn.response_at = now
        elif topic == self.topics.intent(turn.site):
            try:
                turn.intent = json.loads(payload)
            except ValueError:
                turn.intent = {}
            turn.done.set()

    def _show(self, frames: list[str], camera: str | None, site: str) -> CameraWorker | None:
        """The camera for ``site`` (or ``camera``) sees ``frames``; a single picture is
        seen for two frames, as a camera watching a still scene would."""
        vision = self.daemon.vision
        if not frames or vision is None:
            return None
        from homebrain.vision.frames_context import read_image
        from homebrain.vision.types import Frame

        # the camera eval would pick: the one named, else the one watching the site's room
        view = vision.analyser.view(camera, self.home.room_of_site(site))
        worker = vision.workers.get(view.name)
        if worker is None:
            return None
        pictures = [read_image(Path(f)) for f in frames]
        if len(pictures) == 1:
            pictures *= 2
        for index, picture in enumerate(pictures):
            worker.step(Frame(worker.name, picture, time.time(), index))
        return worker

    def _is_command(self, topic: str, payload: bytes) -> bool:
        """A message that tells a device to do something (not a request for its state)."""
        for device in self._devices_on.get(topic, []):
            try:
                if self.loaded.profiles[device.profile].parse_command(device, topic, payload):
                    return True
            except Exception:  # a malformed command is still a message to the device
                return True
        return False

    def entities_on(self, topics: Iterable[str]) -> set[str]:
        """The entities whose command topics these are."""
        return {d.id for t in topics for d in self._devices_on.get(t, [])}

    def _publish(self, message: MqttMessage) -> mqtt.MQTTMessageInfo:
        return self.client.publish(
            message.topic, message.payload, qos=message.qos, retain=message.retain
        )

    def _publish_all(self, messages: Iterable[MqttMessage]) -> None:
        for info in [self._publish(m) for m in messages]:
            info.wait_for_publish(ANSWER_TIMEOUT_S)

    # -- dialogues --------------------------------------------------------------------------

    def reset(self) -> None:
        """Fresh devices (their initial state, published before the next sentence) and no
        conversation at any site."""
        simulator = Simulator(self.loaded)
        with self._lock:
            self._simulator = simulator
        self._publish_all(simulator.initial_messages())
        self.daemon.pipeline.dialogue.reset()

    def run_dialogue(self, dialogue: Dialogue) -> list[TurnRun]:
        """Every turn in order, from fresh devices and a fresh conversation."""
        self.reset()
        return [self.run_turn(dialogue.name, turn) for turn in dialogue.turns]

    def run_turn(self, name: str, turn: DialogueTurn) -> TurnRun:
        assert turn.say is not None
        self.clock.advance(TURN_GAP_S + turn.wait)
        site = str(turn.context.get("site") or self.home.default_site or "default")
        frames = [turn.context["frame"]] if turn.context.get("frame") else []
        frames += list(turn.context.get("frames") or [])
        camera = turn.context.get("camera")
        run = self.say(turn.say, site, turn.context.get("pointing_at"), frames, camera)
        run.dialogue, run.turn = name, turn.index + 1
        if run.intent:
            run.verdict = self._judge(turn, run)
        return run

    def say(
        self,
        text: str,
        site: str,
        pointing_at: str | None = None,
        frames: list[str] | None = None,
        camera: str | None = None,
    ) -> TurnRun:
        """Publish one sentence and wait for the daemon's intent message for it.

        With ``frames`` the camera watching ``site``'s room (or ``camera``) sees them
        first, through the daemon's own camera path; an empty ``text`` then says
        nothing, and the answer is what the gesture does.
        """
        payload = (
            json.dumps({"text": text, "pointing_at": pointing_at}).encode()
            if pointing_at
            else text.encode()
        )
        # After a reconnect the daemon resends what the broker had not acknowledged (the
        # last turn's intent among them): let that go by before this turn listens.
        self.daemon.link.wait_outbox_empty(ANSWER_TIMEOUT_S)
        pending = _Turn(site, time.perf_counter())
        with self._lock:
            self._turn = pending
        shown = self._show(frames or [], camera, site)
        if text or not shown:
            self._publish(MqttMessage(self.topics.text(site), payload))
        answered = pending.done.wait(ANSWER_TIMEOUT_S)
        with self._lock:
            self._turn = None
        if shown is not None and self.daemon.vision is not None:
            # the picture is taken away: it must not speak for the next turn
            self.daemon.vision.forget(shown.name)
        run = TurnRun("", 0, text, site, Verdict(True, True))
        if not answered or pending.intent is None:
            run.verdict = Verdict(False, False, f"no answer within {ANSWER_TIMEOUT_S:g} s")
            return run
        intent = pending.intent
        run.outcome = str(intent.get("outcome") or "")
        for command in intent.get("commands") or []:
            fields = {k: v for k, v in command.items() if k != "entity_id"}
            run.commanded.setdefault(str(command.get("entity_id")), {}).update(fields)
        run.device_topics = list(pending.device_topics)
        run.response = pending.response or ""
        if pending.first_command is not None:
            run.command_ms = (pending.first_command - pending.started) * 1000
        if pending.response_at is not None:
            run.response_ms = (pending.response_at - pending.started) * 1000
        run.intent = intent
        return run

    def _judge(self, turn: DialogueTurn, run: TurnRun) -> Verdict:
        """The evaluation's judgement of what the daemon decided, plus the wire: every
        commanded entity got a message on its command topics, and no other device did."""
        intent = run.intent
        name = intent.get("intent")
        result = TurnResult(
            run.say,
            run.site,
            Intent(str(name), dict(intent.get("slots") or {})) if name else None,
            run.response,
            [],
            run.outcome,
        )
        actions = [
            ActionMessage(str(name), MqttMessage(str(a.get("topic")), b""), a.get("payload"))
            for a in intent.get("actions") or []
        ]
        verdict = judge(turn.expect, result, run.commanded, actions)
        reached = self.entities_on(run.device_topics)
        problems = [verdict.reason] if verdict.reason else []
        silent = sorted(set(run.commanded) - reached)
        if silent:
            problems.append(f"no message on the command topics of {', '.join(silent)}")
        stray = sorted(reached - set(run.commanded))
        if stray:
            problems.append(f"command topics of {', '.join(stray)} got a message")
        return Verdict(verdict.exact and not problems, verdict.intent_ok, "; ".join(problems))


@dataclass
class DialogueBench:
    """Every dialogue that can go over MQTT, and the timings of its turns."""

    runs: list[TurnRun]
    dialogues: int
    passed: int
    skipped: list[tuple[str, str]]
    pipeline_ms: list[float]

    def summary(self) -> dict[str, Any]:
        commands = [r.command_ms for r in self.runs if r.command_ms is not None]
        responses = [r.response_ms for r in self.runs if r.response_ms is not None]
        return {
            "dialogues": self.dialogues,
            "dialogues_passed": self.passed,
            "skipped": [{"dialogue": n, "why": why} for n, why in self.skipped],
            "turns": len(self.runs),
            "command_turns": len(commands),
            "text_to_command_ms": _figures(commands),
            "text_to_response_ms": _figures(responses),
            "pipeline_ms": _figures(self.pipeline_ms),
            "failures": [r.to_json() for r in self.runs if not r.passed],
        }


def _figures(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "p50": round(quantile(values, 0.50), 3),
        "p99": round(quantile(values, 0.99), 3),
        "max": round(max(values), 3),
    }


def run_dialogues(
    driver: DaemonDialogues,
    dialogues: Iterable[Dialogue],
    progress: Callable[[], None] | None = None,
) -> DialogueBench:
    """Run ``dialogues`` through ``driver`` (started), skipping what MQTT cannot carry."""
    runs: list[TurnRun] = []
    skipped: list[tuple[str, str]] = []
    count = passed = 0
    before = len(driver.daemon.turn_latencies)
    for dialogue in dialogues:
        why = mqtt_skip_reason(dialogue)
        if why is not None:
            skipped.append((dialogue.name, why))
        else:
            turns = driver.run_dialogue(dialogue)
            runs.extend(turns)
            count += 1
            passed += all(t.passed for t in turns)
        if progress is not None:
            progress()
    pipeline = list(driver.daemon.turn_latencies)[before:]
    return DialogueBench(runs, count, passed, skipped, pipeline)


def run_dialogue_bench(
    config: Path,
    files: list[Path],
    repeat: int,
    host: str | None,
    port: int | None,
    as_json: bool,
) -> int:
    """`homebrain bench --dialogues FILE`: the dialogues over MQTT, per-turn latency figures.

    Like the single-command bench, an embedded-broker config gets its own
    Mosquitto on a free port (started here), and ``--host``/``--port`` point at
    any other broker. Exit code 0 when every dialogue that could run passed.
    """
    from homebrain.bench.latency import use_broker  # one way to choose or start a broker
    from homebrain.cli.common import load_or_report
    from homebrain.evaluation.cli import load_checked_or_report

    loaded = load_or_report(config)
    if loaded is None:
        return 2
    evals = load_checked_or_report(files, loaded)
    if evals is None:
        return 2
    dialogues = [d for f in evals for d in f.dialogues] * max(1, repeat)
    broker = use_broker(loaded, host, port)
    try:
        with (
            DaemonDialogues(loaded) as driver,
            Progress(disable=as_json or not sys.stderr.isatty(), transient=True) as bar,
        ):
            task = bar.add_task("dialogues", total=len(dialogues))
            bench = run_dialogues(driver, dialogues, lambda: bar.advance(task))
    finally:
        if broker is not None:
            broker.terminate()
            broker.wait(5)
    summary = bench.summary()
    summary["broker"] = f"{loaded.config.mqtt.host}:{loaded.config.mqtt.port}"
    summary["repeat"] = max(1, repeat)
    if as_json:
        print(json.dumps(summary))
    else:
        _print_summary(summary)
    return 0 if bench.passed == bench.dialogues else 1


def _print_summary(summary: dict[str, Any]) -> None:
    console = Console()
    console.print(
        f"{summary['dialogues_passed']}/{summary['dialogues']} dialogues passed over MQTT "
        f"through {summary['broker']} ({summary['turns']} turns, "
        f"{summary['command_turns']} of them commanded a device)"
    )
    for name, why in ((s["dialogue"], s["why"]) for s in summary["skipped"]):
        console.print(f"  skipped {name!r}: {why}", markup=False)
    for label, key in (
        ("text → device command received", "text_to_command_ms"),
        ("text → response received      ", "text_to_response_ms"),
        ("inside the pipeline           ", "pipeline_ms"),
    ):
        figures = summary[key]
        console.print(f"{label}: p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms")
    for failure in summary["failures"][:20]:
        console.print(
            f"  FAILED {failure['dialogue']!r} turn {failure['turn']} {failure['say']!r}: "
            f"{failure['reason']}",
            markup=False,
        )
