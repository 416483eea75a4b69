"""`homebrain run`: the long-running service.

Threads: the MQTT link (paho's network loop under a reconnecting supervisor),
one worker that owns the pipeline and the mirror (every event goes through its
queue, so no stage needs locks), optional embedded broker, simulator and
prompt; the main thread handles signals and the systemd watchdog.

The retained ``homebrain/state`` snapshot carries the devices' mirrored state
and each site's conversation (open question, referents, last intent, what undo
would send), published after every state change and every turn, so
`homebrain state` can show both. With ``hermes.enabled`` the daemon also speaks
the Snips/Hermes protocol (homebrain/mqtt/hermes.py).
"""

from __future__ import annotations

import json
import logging
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from homebrain.actions.custom import ActionMessage
from homebrain.config.loader import ConfigError, LoadedConfig, load_config
from homebrain.messages import DeviceCommand, MqttMessage
from homebrain.mqtt import hermes
from homebrain.mqtt.broker import EmbeddedBroker
from homebrain.mqtt.link import MqttLink
from homebrain.mqtt.outbox import Pending
from homebrain.mqtt.topics import (
    HERMES_NLU_QUERY,
    HERMES_NOT_RECOGNIZED,
    Topics,
    hermes_intent,
)
from homebrain.pipeline import Origin, Pipeline
from homebrain.service.notify import Notifier
from homebrain.speech.engine import Transcript
from homebrain.speech.listener import Heard
from homebrain.state.mirror import StateMirror
from homebrain.turns import ASK, REJECTED, UNHEARD, TurnContext, TurnResult

if TYPE_CHECKING:
    from homebrain.speech.service import SpeechService
    from homebrain.vision.scene import Scene
    from homebrain.vision.service import VisionService

log = logging.getLogger("homebrain.daemon")

MAX_TEXT_PAYLOAD = 64 * 1024
# a held gesture waits this long for words that may come with it (the words then decide)
GESTURE_GRACE_S = 1.0
GESTURE_WAIT_S = 10.0  # and at most this long for a sentence under way to end


@dataclass
class _Event:
    kind: str  # "text" | "speech" | "hermes" | "state" | "reload" | "connected" | "failed"
    args: tuple[Any, ...]
    reply: Callable[[TurnResult], None] | None = None


class MqttSink:
    """Sends device commands and custom actions through the link's outbox.

    Both expire alike (``max_command_age``) and a late failure is reported to the
    asking site. ``actions`` holds the custom actions of the current turn, for
    the intent message.
    """

    def __init__(self, daemon: Daemon) -> None:
        self.daemon = daemon
        self.actions: list[ActionMessage] = []

    def start_turn(self) -> None:
        self.actions = []

    def _failed(self, origin: Origin) -> Callable[[Pending, str], None]:
        def failed(pending: Pending, why: str) -> None:
            self.daemon.events.put(_Event("failed", (origin, pending, why)))

        return failed

    def send(self, command: DeviceCommand, messages: list[MqttMessage], origin: Origin) -> None:
        max_age = self.daemon.loaded.config.mqtt.max_command_age
        failed = self._failed(origin)
        for message in messages:
            self.daemon.link.publish(message, max_age=max_age, on_failed=failed, tag=command)

    def send_action(self, action: ActionMessage, origin: Origin) -> None:
        self.actions.append(action)
        self.daemon.link.publish(
            action.message,
            max_age=self.daemon.loaded.config.mqtt.max_command_age,
            on_failed=self._failed(origin),
            tag=action,
        )


class Daemon:
    def __init__(
        self,
        loaded: LoadedConfig,
        notifier: Notifier | None = None,
        prompt: TextIO | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.loaded = loaded
        self.notifier = notifier or Notifier()
        self.prompt = prompt
        self.out = out or sys.stdout
        self.topics = Topics(loaded.config.mqtt.topic_prefix)
        self.events: queue.Queue[_Event | None] = queue.Queue()
        self.stopping = threading.Event()
        self.mirror = StateMirror(loaded)
        self.sink = MqttSink(self)
        self.pipeline = Pipeline(loaded, self.mirror, self.sink)
        self.link = MqttLink(
            loaded,
            on_message=self._on_message,
            subscriptions=self._subscriptions,
            on_connected=lambda: self.events.put(_Event("connected", ())),
        )
        self.broker: EmbeddedBroker | None = None
        self._sim_stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.reloads = 0
        self.turn_latencies: deque[float] = deque(maxlen=10_000)
        # end of speech → turn published, in ms (``homebrain bench`` reads these)
        self.speech_latencies: deque[float] = deque(maxlen=10_000)
        self.speech: SpeechService | None = None
        if loaded.config.speech.sources:
            from homebrain.speech.service import SpeechService  # builds the recogniser

            self.speech = SpeechService(loaded.config, loaded.path.parent, self._heard)
        self.vision: VisionService | None = None
        self._last_turn: dict[str, float] = {}  # site → when words last came (monotonic)
        if loaded.config.vision.cameras:
            self.vision = self._vision_service(loaded)

    # ---- wiring ----------------------------------------------------------
    def _vision_service(self, loaded: LoadedConfig) -> VisionService:
        from homebrain.vision.service import VisionService  # late: needs OpenCV

        return VisionService(
            loaded.config.vision,
            loaded.path.parent,
            on_presence=self._publish_presence,
            on_gesture=self._gesture_seen,
        )

    def _gesture_seen(self, scene: Scene, gesture: str) -> None:
        """From a camera thread: a gesture held. It answers only if no words come with it
        (words and camera disagreeing: the words win), so it waits a moment first."""
        self._gesture_later(scene, gesture, time.monotonic())

    def _gesture_later(self, scene: Scene, gesture: str, seen_at: float) -> None:
        timer = threading.Timer(
            GESTURE_GRACE_S, lambda: self.events.put(_Event("gesture", (scene, gesture, seen_at)))
        )
        timer.daemon = True
        timer.start()

    def _publish_presence(self, camera: str, presence: dict[str, Any]) -> None:
        """From a camera thread: who is seen, retained, for other automations (no image)."""
        self.link.publish(
            MqttMessage(self.topics.presence(camera), json.dumps(presence).encode(), retain=True)
        )

    def _seen(self, context: TurnContext) -> TurnContext:
        """The cameras' part of a turn: vision vector, pointing, the room the speaker is in."""
        if self.vision is None:
            return context
        from homebrain.vision.fusion import turn_vision

        home = self.pipeline.home
        site = context.site or home.default_site
        room = home.room_of_site(site)
        seen = turn_vision(
            self.vision.scenes(), room, self.vision.zone_orders(), home.rooms_of_site(site)
        )
        if seen.camera is not None:
            log.info(
                "[%s] camera %s: pointing at %s, seen in %s",
                context.site,
                seen.camera,
                seen.pointing_at or "nothing",
                seen.seen_room or room,
            )
        return seen.apply(context)

    def handle_gesture(
        self, scene: Scene, gesture: str, seen_at: float | None = None
    ) -> TurnResult | None:
        """A gesture held in front of a camera answers the question its room's site asked,
        unless words came with it: a turn at that site since, or speech under way there."""
        if not self.loaded.config.vision.gesture_turns:
            return None
        home = self.pipeline.home
        dialogue = self.pipeline.dialogue
        sites = [*home.sites, *(r for r in home.rooms if r not in home.sites)]
        waiting = [s for s in sites if home.room_of_site(s) == scene.room and dialogue.pending(s)]
        if not waiting:
            return None
        site = waiting[0]
        if seen_at is not None and self._last_turn.get(site, float("-inf")) >= seen_at:
            log.info("[%s] %s seen, but words came with it: the words decide", site, gesture)
            return None
        if self.speech is not None and self.speech.hearing(site):
            if seen_at is not None and time.monotonic() - seen_at < GESTURE_WAIT_S:
                self._gesture_later(scene, gesture, seen_at)  # let the sentence finish
            return None
        log.info("[%s] %s seen by camera %s answers the question", site, gesture, scene.camera)
        self.sink.start_turn()
        context = TurnContext(site=site, extra={"vision": scene.vision_values(
            self.vision.zone_orders().get(scene.camera) if self.vision else None
        )})  # fmt: skip
        result = self.pipeline.handle_text("", context)
        self.turn_latencies.append(result.latency_ms)
        self._publish_turn(result)
        return result

    @property
    def hermes_enabled(self) -> bool:
        return self.loaded.config.hermes.enabled

    def _subscriptions(self) -> list[str]:
        extra = [HERMES_NLU_QUERY] if self.hermes_enabled else []
        if self.speech is not None:
            extra += [self.topics.audio(site) for site in sorted(self.speech.pushed)]
            extra += [self.topics.listen(site) for site in self.speech.sites]
        return [self.topics.text_in, *extra, *self.mirror.subscriptions()]

    def _heard(self, site: str, heard: Heard) -> None:
        """From a listening thread: queue the utterance, in order with everything else."""
        self.events.put(_Event("speech", (site, heard)))

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        if self.speech is not None and not retained:
            audio_site = self.topics.site_of(topic, "audio")
            if audio_site is not None:  # straight to its listener: the worker never waits on audio
                self.speech.push_audio(audio_site, payload)
                return
            listen_site = self.topics.site_of(topic, "listen")
            if listen_site is not None:
                self.speech.open(listen_site, "push-to-talk")
                return
        site = self.topics.site_of_text(topic)
        if site is not None:
            if not retained:  # a retained command is history, not a request
                self.events.put(_Event("text", (site, payload)))
            return
        if topic == HERMES_NLU_QUERY:
            if not retained:
                self.events.put(_Event("hermes", (payload,)))
            return
        self.events.put(_Event("state", (topic, payload)))

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> None:
        cfg = self.loaded.config
        if cfg.mqtt.embedded:
            self.broker = EmbeddedBroker(cfg.mqtt.host, cfg.mqtt.port)
            self.broker.start()
        self._spawn(self._work, "worker")
        self.link.start()
        if cfg.simulate:
            from homebrain.simulate.runner import run_simulator

            ready = threading.Event()
            self._spawn(lambda: run_simulator(self.loaded, self._sim_stop, ready), "simulator")
            ready.wait(10)
        if self.speech is not None:
            self.speech.start()
        if self.vision is not None:
            self.vision.start()
        devices = len(cfg.devices)
        self.notifier.ready(f"{devices} devices, broker {cfg.mqtt.host}:{cfg.mqtt.port}")
        log.info("homebrain ready: %d devices, %d sites", devices, len(cfg.sites))
        if self.prompt is not None:
            self._spawn(self._read_prompt, "prompt")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def healthy(self) -> bool:
        return all(t.is_alive() for t in self._threads if t.name == "worker") and self.link.alive()

    def run(self) -> int:
        """Run until SIGTERM/SIGINT; SIGHUP reloads the config."""
        signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        signal.signal(signal.SIGINT, lambda *_: self.stopping.set())
        signal.signal(signal.SIGHUP, lambda *_: self.events.put(_Event("reload", ())))
        self.start()
        interval = self.notifier.watchdog_interval
        tick = min(interval / 3, 5.0) if interval else 1.0
        while not self.stopping.wait(tick):
            if self.healthy():
                self.notifier.watchdog()
            else:
                log.error("a core thread died; not petting the watchdog")
        self.stop()
        return 0

    def stop(self) -> None:
        log.info("stopping")
        self.notifier.stopping()
        self.stopping.set()
        self._sim_stop.set()
        if self.speech is not None:
            self.speech.stop()
        if self.vision is not None:
            self.vision.stop()
        self.events.put(None)
        self.link.stop()
        if self.broker is not None:
            self.broker.stop()
        log.info("stopped")

    # ---- the worker: every event, in order -------------------------------
    def _work(self) -> None:
        while True:
            event = self.events.get()
            if event is None:
                return
            try:
                self._handle(event)
            except Exception:  # never let one event stop the daemon
                log.exception("failed to handle %s event", event.kind)

    def _handle(self, event: _Event) -> None:
        if event.kind == "state":
            topic, payload = event.args
            if self.mirror.handle(topic, payload):
                self._publish_snapshot()
        elif event.kind == "text":
            site, payload = event.args
            result = self.handle_payload(site, payload)
            if event.reply is not None:
                event.reply(result)
        elif event.kind == "speech":
            site, heard = event.args
            self.handle_heard(site, heard)
        elif event.kind == "gesture":
            scene, gesture, seen_at = event.args
            self.handle_gesture(scene, gesture, seen_at)
        elif event.kind == "hermes":
            (payload,) = event.args
            self.handle_hermes_query(payload)
        elif event.kind == "reload":
            self.reload()
        elif event.kind == "connected":
            self._refresh_devices()
        elif event.kind == "failed":
            origin, pending, why = event.args
            self._report_failure(origin, pending, why)

    def handle_payload(self, site: str, payload: bytes) -> TurnResult:
        self._last_turn[site] = time.monotonic()
        self.sink.start_turn()
        text, context = self._decode(site, payload)
        if text is None:
            result = TurnResult(
                "", site, None, self.pipeline.responses.render(context), [], REJECTED
            )
            log.warning("[%s] rejected text payload (%d bytes): %s", site, len(payload), context)
        else:
            assert isinstance(context, TurnContext)
            context = self._seen(context)
            heard = context.extra.pop("transcript", None)
            if isinstance(heard, Transcript):  # a satellite's recogniser heard it
                result = self.pipeline.handle_transcript(heard, context)
            else:
                result = self.pipeline.handle_text(text, context)
            self.turn_latencies.append(result.latency_ms)
        self._publish_turn(result)
        return result

    def handle_heard(self, site: str, heard: Heard) -> TurnResult:
        """An utterance from a listening thread: understood and answered like text.

        Speech the recogniser was unsure of gets no spoken answer (the intent
        topic still says it was ignored, for debugging); a question asked opens
        the site's ears without the wake word.
        """
        self._last_turn[site] = time.monotonic()
        self.sink.start_turn()
        result = self.pipeline.handle_transcript(
            heard.transcript, self._seen(TurnContext(site=site))
        )
        self.turn_latencies.append(result.latency_ms)
        self._publish_turn(result, asr=heard)
        self.speech_latencies.append((time.perf_counter() - heard.ended_at) * 1000)
        if result.outcome == ASK and self.speech is not None:
            self.speech.question_asked(site)
        if result.outcome != UNHEARD:
            self._speak(site, result.response)
        return result

    def _speak(self, site: str, text: str) -> None:
        """The answer out loud (``speech.speak``), off the worker: synthesis takes a moment."""
        cfg = self.loaded.config.speech.speak
        if not cfg.enabled or not text:
            return
        from homebrain.speech.speak import Speaker

        def publish(wav: bytes) -> None:
            self.link.publish(MqttMessage(self.topics.speech(site), wav))

        output = publish if cfg.output == "mqtt" else cfg.output
        directory = cfg.directory
        if directory is not None and not directory.is_absolute():
            directory = self.loaded.path.parent / directory
        speaker = Speaker(cfg.voice, output, cfg.command, directory)
        threading.Thread(target=speaker.speak, args=(text,), name="speak", daemon=True).start()

    def handle_hermes_query(self, payload: bytes) -> TurnResult | None:
        """A hermes/nlu/query: the sentence of a Hermes client, handled like site text.

        A payload that is not a query is logged and skipped: it has no site to
        answer to, and the daemon keeps running.
        """
        if not self.hermes_enabled:
            return None  # subscribed under an earlier config
        try:
            query = hermes.parse_query(payload)
        except hermes.HermesError as exc:
            log.warning("ignored %s payload (%d bytes): %s", HERMES_NLU_QUERY, len(payload), exc)
            return None
        site = query.site or self.pipeline.home.default_site or "default"
        self.sink.start_turn()
        result = self.pipeline.handle_text(query.text, TurnContext(site=site))
        self.turn_latencies.append(result.latency_ms)
        self._publish_turn(result, query)
        return result

    def _decode(self, site: str, payload: bytes) -> tuple[str | None, Any]:
        """Plain UTF-8 text, or JSON {"text": ..., "pointing_at": ...}.

        A recogniser elsewhere (`homebrain listen`, a satellite) adds
        ``"confidence"`` (0-1, per word) and ``"alternatives"``: the turn is then
        handled as speech, so an unsure hearing is ignored and a lock asks again.
        """
        if len(payload) > MAX_TEXT_PAYLOAD:
            return None, "rejected_too_long"
        try:
            raw = payload.decode("utf-8")
        except UnicodeDecodeError:
            return None, "rejected_binary"
        context = TurnContext(site=site)
        stripped = raw.strip()
        if stripped.startswith("{"):
            try:
                data = json.loads(stripped)
            except json.JSONDecodeError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("text"), str):
                pointing = data.get("pointing_at")
                context.pointing_at = pointing if isinstance(pointing, str) else None
                confidence = data.get("confidence")
                if isinstance(confidence, int | float) and not isinstance(confidence, bool):
                    alternatives = data.get("alternatives")
                    context.extra["transcript"] = Transcript(
                        data["text"],
                        min(max(float(confidence), 0.0), 1.0),
                        [a for a in alternatives if isinstance(a, str)]
                        if isinstance(alternatives, list)
                        else [],
                    )
                return data["text"], context
        return raw, context

    def _publish_turn(
        self,
        result: TurnResult,
        query: hermes.HermesQuery | None = None,
        asr: Heard | None = None,
    ) -> None:
        if result.outcome != UNHEARD:
            self.link.publish(
                MqttMessage(self.topics.response(result.site), result.response.encode())
            )
        if self.hermes_enabled:
            self._publish_hermes(result, query)
        intent: dict[str, Any] = (
            result.intent.to_json() if result.intent is not None else {"intent": None}
        )
        intent.update(site=result.site, outcome=result.outcome)
        intent["commands"] = [{"entity_id": c.entity_id, **c.fields} for c in result.commands]
        if asr is not None:
            transcript = asr.transcript
            intent["asr"] = {
                "text": transcript.text,
                "confidence": round(transcript.confidence, 4),
                "alternatives": transcript.alternatives,
                "seconds": round(asr.end - asr.start, 2),
            }
        if self.sink.actions:
            intent["actions"] = [
                {"topic": a.message.topic, "payload": a.payload} for a in self.sink.actions
            ]
        self.link.publish(MqttMessage(self.topics.intent(result.site), json.dumps(intent).encode()))
        self._publish_snapshot()  # the conversation moved on

    def _publish_hermes(self, result: TurnResult, query: hermes.HermesQuery | None) -> None:
        """The turn in Hermes' words: hermes/intent/<name>, or intentNotRecognized.

        "Not recognised" is only said to a Hermes query (its client waits for an
        answer); a rejected or out-of-domain sentence from elsewhere publishes nothing.
        """
        intent = result.intent
        if intent is not None and hermes.understood(intent):
            # the input is this turn's sentence: after "yes", the intent is the confirmed one
            body = hermes.intent_payload(intent, result.text, result.site, query=query)
            topic = hermes_intent(intent.name)
        elif query is not None:
            body = hermes.not_recognized_payload(result.text, result.site, query=query)
            topic = HERMES_NOT_RECOGNIZED
        else:
            return
        self.link.publish(MqttMessage(topic, json.dumps(body).encode()))

    def _publish_snapshot(self) -> None:
        body = json.dumps(
            {
                "devices": self.mirror.snapshot(),
                "dialogue": self.pipeline.dialogue.describe(),
                "time": time.time(),
            }
        )
        self.link.publish(MqttMessage(self.topics.state, body.encode(), retain=True))

    def _refresh_devices(self) -> None:
        """Ask devices that support it for their state, so the mirror is full after a start."""
        for message in self.mirror.refresh_requests():
            self.link.publish(message, max_age=self.loaded.config.mqtt.max_command_age)

    def _report_failure(self, origin: Origin, pending: Pending, why: str) -> None:
        text = self.pipeline.responses.render(
            origin.failure_key, name=origin.entity_name, reason=why
        )
        log.error("[%s] command for %s not sent: %s", origin.site, origin.entity_name, why)
        self.link.publish(MqttMessage(self.topics.response(origin.site), text.encode()))
        if self.prompt is not None:
            print(f"! {text}", file=self.out, flush=True)

    # ---- reload ----------------------------------------------------------
    def reload(self) -> bool:
        """SIGHUP: swap in a new config only if it is entirely valid."""
        self.notifier.reloading()
        try:
            loaded = load_config(self.loaded.path)
        except ConfigError as exc:
            log.error("reload refused, keeping the running config:\n%s", exc)
            self.notifier.ready("reload refused: config has errors")
            return False
        if loaded.config.mqtt != self.loaded.config.mqtt:
            log.warning("mqtt settings changed: they take effect at the next restart")
            loaded.config.mqtt = self.loaded.config.mqtt
        vision_changed = loaded.config.vision != self.loaded.config.vision
        self.loaded = loaded
        self.link.loaded = loaded
        self.mirror.configure(loaded)
        if self.speech is not None:
            self.speech.reload(loaded.config)  # the new names and sentences
        if vision_changed:
            if self.vision is not None:
                self.vision.stop()
            self.vision = self._vision_service(loaded) if loaded.config.vision.cameras else None
            if self.vision is not None:
                self.vision.start()
        previous = self.pipeline
        self.pipeline = Pipeline(loaded, self.mirror, self.sink)
        # conversations go on across a reload where the home still has what they name
        self.pipeline.dialogue.adopt(previous.dialogue)
        self.link.resubscribe()
        self.reloads += 1
        self._publish_snapshot()
        log.info("config reloaded from %s: %d devices", loaded.path, len(loaded.config.devices))
        self.notifier.ready("reloaded")
        return True

    # ---- prompt (demo) ---------------------------------------------------
    def _read_prompt(self) -> None:
        assert self.prompt is not None
        site = self.pipeline.home.default_site or "default"
        print(
            f"Type a command for site '{site}' (Ctrl-D or Ctrl-C to quit).",
            file=self.out,
            flush=True,
        )
        for line in self.prompt:
            line = line.strip()
            if not line:
                continue
            done = threading.Event()
            holder: list[TurnResult] = []

            def reply(
                result: TurnResult, holder: list[TurnResult] = holder, done: threading.Event = done
            ) -> None:
                holder.append(result)
                done.set()

            self.events.put(_Event("text", (site, line.encode()), reply))
            if done.wait(10) and holder:
                print(f"> {holder[0].response}", file=self.out, flush=True)
        # end of input (Ctrl-D) ends an interactive session, as in any shell
        self.stopping.set()


def run_daemon(config_path: Path, prompt: bool | None = None) -> int:
    try:
        loaded = load_config(config_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.getLogger().setLevel(loaded.config.log_level)
    use_prompt = sys.stdin.isatty() if prompt is None else prompt
    try:
        # the speech stage opens its sources and builds its recogniser here: a missing
        # microphone, engine package or model stops the start, before anything runs
        daemon = Daemon(loaded, prompt=sys.stdin if use_prompt else None)
    except Exception as exc:
        print(f"{config_path}: cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        return daemon.run()
    except Exception as exc:
        log.error("%s", exc)
        daemon.stop()
        return 1
