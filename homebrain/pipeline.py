"""One turn, text in → decision → device messages out: the daemon's code path.

`run`, `say` (through the daemon), `eval` and `bench` all go through
`Pipeline.handle_text`, so what is evaluated is what runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from homebrain.config.loader import LoadedConfig
from homebrain.dialogue.manager import DialogueManager
from homebrain.dialogue.responses import Responses
from homebrain.home import Home
from homebrain.messages import DeviceCommand, MqttMessage
from homebrain.profiles.base import ProfileError
from homebrain.state.mirror import StateMirror
from homebrain.turns import ACTION, ANSWER, TurnContext, TurnResult
from homebrain.understanding.model_recogniser import ModelRecogniser

log = logging.getLogger("homebrain.pipeline")


@dataclass(frozen=True)
class Origin:
    """Who asked for a command, so a late failure can be reported to the right site."""

    site: str
    text: str
    entity_name: str


class CommandSink(Protocol):
    def send(self, command: DeviceCommand, messages: list[MqttMessage], origin: Origin) -> None: ...


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
        recogniser = None
        if loaded.model is not None:
            recogniser = ModelRecogniser(
                self.home, loaded.model, loaded.config.understanding.min_confidence
            )
        self.dialogue = DialogueManager(
            self.home,
            mirror.get,
            self.responses,
            question_timeout=loaded.config.dialogue.question_timeout,
            clock=clock,
            referent_timeout=loaded.config.dialogue.referent_timeout,
            matcher=recogniser,
        )

    def site_of(self, context: TurnContext) -> str:
        return context.site or self.home.default_site or "default"

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
        if decision.intent is not None:
            decision.intent.targets = decision.intent.targets or [c.entity_id for c in sent]
        latency = (time.perf_counter() - started) * 1000
        log.info(
            "[%s] %r → %s (%s) %s", site, text[:80], outcome, response, [c.fields for c in sent]
        )
        return TurnResult(text, site, decision.intent, response, sent, outcome, latency)
