"""One turn, text in → decision → device messages out: the daemon's code path.

`run`, `say` (through the daemon), `eval` and `bench` all go through
`Pipeline.handle_text`, so what is evaluated is what runs.

Device commands become messages through their profiles; a custom intent's
decision becomes its configured action message. Both leave through the same
sink (the daemon's outbox: queued during a broker outage, sent on reconnect or
reported as not sent), so a coffee order is as safe as a light switch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from homebrain.actions.custom import ActionError, ActionMessage, ConfiguredIntent
from homebrain.config.loader import LoadedConfig
from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.home import Home
from homebrain.messages import DeviceCommand, MqttMessage
from homebrain.profiles.base import ProfileError
from homebrain.speech.engine import Transcript
from homebrain.state.mirror import StateMirror
from homebrain.turns import ACTION, ANSWER, UNHEARD, TurnContext, TurnResult
from homebrain.understanding.custom import CustomRecogniser, model_knows
from homebrain.understanding.matcher import Matcher
from homebrain.understanding.model_recogniser import ModelRecogniser
from homebrain.understanding.recogniser import Recogniser

log = logging.getLogger("homebrain.pipeline")


@dataclass(frozen=True)
class Origin:
    """Who asked for a command, so a late failure can be reported to the right site.

    ``failure_key`` is the response that reports it (``not_sent`` for a device,
    ``not_sent_custom`` for a custom intent's action, named by its spoken name).
    """

    site: str
    text: str
    entity_name: str
    failure_key: str = "not_sent"


class CommandSink(Protocol):
    def send(self, command: DeviceCommand, messages: list[MqttMessage], origin: Origin) -> None: ...

    def send_action(self, action: ActionMessage, origin: Origin) -> None: ...


class Pipeline:
    def __init__(
        self,
        loaded: LoadedConfig,
        mirror: StateMirror,
        sink: CommandSink,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.mirror = mirror
        self.sink = sink
        self.clock = clock
        self.loaded = loaded
        self.home = Home.from_config(loaded.config)
        self.responses = Responses(loaded.config.responses)
        self.custom: dict[str, ConfiguredIntent] = loaded.custom_intents()
        self.recogniser = self._recogniser()
        self.dialogue = DialogueManager(
            self.home,
            mirror.get,
            self.responses,
            question_timeout=loaded.config.dialogue.question_timeout,
            clock=clock,
            referent_timeout=loaded.config.dialogue.referent_timeout,
            matcher=self.recogniser,
            custom=self.custom,
        )

    def _recogniser(self) -> Recogniser:
        """The configured recogniser, with the custom intents on top.

        A model hears the custom intents it was trained with; the others (all of
        them for the grammar) are matched by their templates first.
        """
        model = self.loaded.model
        base: Recogniser
        learned: list[str] = []
        if model is not None:
            base = ModelRecogniser(
                self.home, model, self.loaded.config.understanding.min_confidence
            )
            learned = [c.name for c in self.custom.values() if model_knows(model, c.spec)]
        else:
            base = Matcher(self.home)
        if not self.custom:
            return base
        return CustomRecogniser(base, [c.spec for c in self.custom.values()], learned)

    def site_of(self, context: TurnContext) -> str:
        return context.site or self.home.default_site or "default"

    def handle_transcript(
        self, transcript: Transcript, context: TurnContext | None = None
    ) -> TurnResult:
        """A recognised utterance: like text, with the recogniser's confidence passed on.

        An utterance the recogniser is unsure of is ignored without an answer: a
        television in the room must not start conversations. Its confidence scales
        the understanding's, so a lock is not moved on a doubtful hearing.
        """
        speech = self.loaded.config.speech
        context = context or TurnContext()
        site = self.site_of(context)
        if not transcript.text or transcript.confidence < speech.min_confidence:
            log.info(
                "[%s] ignored what was heard: %r (confidence %.3f)",
                site,
                transcript.text,
                transcript.confidence,
            )
            return TurnResult(transcript.text, site, None, "", [], UNHEARD)
        extra = dict(context.extra)
        extra["asr_confidence"] = min(1.0, transcript.confidence / speech.sure_above)
        extra["asr_alternatives"] = list(transcript.alternatives)
        return self.handle_text(
            transcript.text, TurnContext(site=site, pointing_at=context.pointing_at, extra=extra)
        )

    def handle_text(self, text: str, context: TurnContext | None = None) -> TurnResult:
        started = time.perf_counter()
        context = context or TurnContext()
        site = self.site_of(context)
        if context.site is None:
            context = TurnContext(site=site, pointing_at=context.pointing_at, extra=context.extra)
        decision = self.dialogue.handle(text, context)
        sent: list[DeviceCommand] = []
        failures: list[str] = []
        for command in decision.commands:
            device = self.loaded.device(command.entity_id)
            entity = self.home.entities[command.entity_id]
            try:
                messages = self.loaded.profiles[device.profile].command_messages(
                    device, command.fields
                )
            except ProfileError as exc:
                log.error("cannot express %s for %s: %s", command.fields, command.entity_id, exc)
                failures.append(entity.name)
                continue
            self.sink.send(command, messages, Origin(site, text, entity.name))
            sent.append(command)
        response = decision.response
        outcome = decision.outcome
        if failures:
            response = self.responses.render("cannot_do", name=", ".join(failures))
            outcome = ACTION if sent else ANSWER
        intent = decision.intent
        if outcome == ACTION and intent is not None and intent.name in self.custom:
            configured = self.custom[intent.name]
            try:
                # ``text`` in its templates is the request, also when a later turn completed it
                action = configured.message(intent.slots, site, intent.text or text)
            except ActionError as exc:
                log.error("custom intent %s: cannot render its action: %s", intent.name, exc)
                response = self.responses.render(
                    "failed_custom", name=configured.spoken_name, reason=str(exc)
                )
                outcome = ANSWER
            else:
                origin = Origin(site, text, configured.spoken_name, "not_sent_custom")
                self.sink.send_action(action, origin)
                log.info("[%s] %s → %s %s", site, intent.name, action.message.topic, action.payload)
        if decision.intent is not None:
            decision.intent.targets = decision.intent.targets or [c.entity_id for c in sent]
        latency = (time.perf_counter() - started) * 1000
        log.info(
            "[%s] %r → %s (%s) %s", site, text[:80], outcome, response, [c.fields for c in sent]
        )
        return TurnResult(text, site, decision.intent, response, sent, outcome, latency)
