"""What a recognised custom intent does: publish its action and say its response.

A custom intent's ``action`` is an MQTT topic and a payload written in the
profiles' Jinja dialect (``homebrain.profiles.templating``: sandboxed, strict
about undefined names, and type-preserving, so ``"{{ sugar }}"`` stays the
number 2 inside a JSON payload). The payload is either

* a mapping (or list) whose string leaves are templates: sent as compact JSON;
* one template string: sent as the text it renders to (checked to be valid
  JSON when it looks like JSON), or as JSON when it is a lone expression
  whose value is a mapping, list, number or boolean;
* absent: every slot as a JSON object, in the order the slots are declared.

Templates read the slots by name plus ``intent``, ``site``, ``text`` (the
sentence) and ``slots`` (all of them as a mapping). A slot that the topic,
payload or response reads is required: when a sentence leaves it out, its
``defaults`` entry is used, else the dialogue asks for it.

Everything is checked when the config loads, including a trial render with
sample slot values, so a broken template stops ``check-config`` with the key
path instead of failing when someone asks for coffee.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2

from homebrain.messages import MqttMessage
from homebrain.profiles.templating import GLOBAL_NAMES, Template, compile_template
from homebrain.understanding.custom import (
    RESERVED_SLOTS,
    CustomIntentError,
    CustomIntentSpec,
)

log = logging.getLogger("homebrain.actions")

Loc = tuple[str | int, ...]


class ActionError(Exception):
    """A custom intent's action could not be rendered; ``part`` is "topic" or "payload"."""

    def __init__(self, message: str, part: str = "payload") -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class ActionMessage:
    """One rendered action, ready for the outbox; ``payload`` as data for reports."""

    intent: str
    message: MqttMessage
    payload: Any

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "topic": self.message.topic, "payload": self.payload}


def _compile(source: str, loc: Loc) -> Template:
    try:
        return compile_template(source)
    except jinja2.TemplateSyntaxError as exc:
        raise CustomIntentError(loc, f"{source!r}: invalid template: {exc.message}") from None


def _compile_tree(value: Any, loc: Loc, out: list[tuple[Loc, Template]]) -> Any:
    """A payload mapping/list with its string leaves compiled; records (loc, template)."""
    if isinstance(value, str):
        template = _compile(value, loc)
        out.append((loc, template))
        return template
    if isinstance(value, Mapping):
        return {str(k): _compile_tree(v, (*loc, str(k)), out) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_compile_tree(v, (*loc, i), out) for i, v in enumerate(value)]
    if value is None or isinstance(value, bool | int | float):
        return value
    raise CustomIntentError(
        loc, f"{value!r}: expected text, a number, true/false, a list or a mapping"
    )


def _render_tree(value: Any, context: Mapping[str, Any]) -> Any:
    if isinstance(value, Template):
        return value.value(context)
    if isinstance(value, dict):
        return {k: _render_tree(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [_render_tree(v, context) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class CustomAction:
    """A compiled ``action``: topic and payload templates, QoS and retain."""

    topic: Template
    payload: Any  # a Template, a tree of them, or None for "every slot as JSON"
    retain: bool = False
    qos: int = 1
    templates: tuple[tuple[Loc, Template], ...] = field(default=(), repr=False)

    @classmethod
    def from_config(cls, config: Any) -> CustomAction:
        get = config.get if isinstance(config, Mapping) else lambda k: getattr(config, k, None)
        found: list[tuple[Loc, Template]] = []
        topic_source = get("topic")
        if not isinstance(topic_source, str) or not topic_source.strip():
            raise CustomIntentError(("action", "topic"), "expected an MQTT topic like coffee/order")
        topic = _compile(topic_source, ("action", "topic"))
        found.append((("action", "topic"), topic))
        raw = get("payload")
        payload = None if raw is None else _compile_tree(raw, ("action", "payload"), found)
        qos = get("qos")
        return cls(
            topic,
            payload,
            bool(get("retain") or False),
            1 if qos is None else int(qos),
            tuple(found),
        )

    @property
    def names(self) -> frozenset[str]:
        """Every name the topic and payload read (all slots when the payload is implicit)."""
        return frozenset(n for _, t in self.templates for n in t.names)

    def render(
        self, intent: str, context: Mapping[str, Any], slots: Sequence[str]
    ) -> ActionMessage:
        """The message for ``context`` (slots plus intent/site/text); ActionError if it can't be."""
        try:
            topic = self.topic.text(context).strip()
        except Exception as exc:  # user templates: any failure is this action's failure
            raise ActionError(f"the topic: {_reason(exc)}", "topic") from None
        if not topic or any(c in topic for c in "#+\x00"):
            raise ActionError(
                f"the topic renders as {topic!r}; expected a topic without # or +", "topic"
            )
        try:
            if self.payload is None:
                data: Any = {s: context[s] for s in slots if s in context}
                text = _json(data)
            elif isinstance(self.payload, Template):
                data, text = self._single(self.payload.value(context))
            else:
                data = _render_tree(self.payload, context)
                text = _json(data)
        except ActionError:
            raise
        except Exception as exc:
            raise ActionError(f"the payload: {_reason(exc)}") from None
        message = MqttMessage(topic, text.encode("utf-8"), qos=self.qos, retain=self.retain)
        return ActionMessage(intent, message, data)

    @staticmethod
    def _single(value: Any) -> tuple[Any, str]:
        """A one-template payload: text stays text (checked if it looks like JSON)."""
        if isinstance(value, str):
            if value.lstrip()[:1] in ("{", "["):
                try:
                    return json.loads(value), value
                except json.JSONDecodeError as exc:
                    raise ActionError(f"the payload renders as broken JSON ({exc.msg})") from None
            return value, value
        return value, _json(value)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


@dataclass(frozen=True)
class ConfiguredIntent:
    """One entry of the config's ``intents:``: how it is heard and what it does."""

    spec: CustomIntentSpec
    action: CustomAction
    response_template: Template | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def spoken_name(self) -> str:
        return self.spec.spoken_name

    @property
    def required(self) -> tuple[str, ...]:
        """Slots the action or response reads that have no default, in declared order."""
        names = set(self.action.names)
        if self.action.payload is None:
            names |= set(self.spec.slots)
        if self.response_template is not None:
            names |= self.response_template.names
        if "slots" in names:  # a template that reads the whole mapping needs every slot
            names |= set(self.spec.slots)
        return tuple(s for s in self.spec.slots if s in names and s not in self.defaults)

    def complete(self, slots: Mapping[str, Any]) -> dict[str, Any]:
        """The heard slots plus defaults for the ones not said, in declared order."""
        merged = {**self.defaults, **{k: v for k, v in slots.items() if k in self.spec.slots}}
        return {s: merged[s] for s in self.spec.slots if s in merged}

    def missing(self, slots: Mapping[str, Any]) -> list[str]:
        return [s for s in self.required if s not in slots]

    def context(self, slots: Mapping[str, Any], site: str, text: str) -> dict[str, Any]:
        return {**slots, "intent": self.name, "site": site, "text": text, "slots": dict(slots)}

    def message(self, slots: Mapping[str, Any], site: str, text: str) -> ActionMessage:
        return self.action.render(self.name, self.context(slots, site, text), list(self.spec.slots))

    def response(self, slots: Mapping[str, Any], site: str, text: str) -> str | None:
        """The configured response rendered, or None (the dialogue then says its default)."""
        if self.response_template is None:
            return None
        try:
            said = self.response_template.text(self.context(slots, site, text)).strip()
        except Exception as exc:  # a user template: fall back to the default response
            log.error("response of custom intent %s failed: %s", self.name, _reason(exc))
            return None
        return said or None

    def options(self, slot: str) -> list[str]:
        """Spoken forms to offer in a question about ``slot``."""
        table = self.spec.slots.get(slot)
        return table.options() if table is not None else []

    # -- checks ----------------------------------------------------------------------------

    def check(self) -> list[CustomIntentError]:
        """Names the templates read, and a trial render with sample values."""
        problems: list[CustomIntentError] = []
        allowed = set(self.spec.slots) | RESERVED_SLOTS | GLOBAL_NAMES
        slots_text = ", ".join(self.spec.slots) or "none"
        templates = list(self.action.templates)
        if self.response_template is not None:
            templates.append((("response",), self.response_template))
        for loc, template in templates:
            unknown = sorted(template.names - allowed)
            if unknown:
                problems.append(
                    CustomIntentError(
                        loc,
                        f"reads {', '.join(unknown)}, which is not a slot of {self.name} "
                        f"(slots: {slots_text}; also intent, site, text, slots)",
                    )
                )
        if problems:
            return problems
        for slots in self._samples():
            try:
                self.message(slots, "site", "sample sentence")
            except ActionError as exc:
                problems.append(
                    CustomIntentError(
                        ("action", exc.part),
                        f"does not render with sample slots {_json_or_repr(slots)}: {exc}",
                    )
                )
                break
            if self.response_template is not None:
                try:
                    self.response_template.text(self.context(slots, "site", "sample sentence"))
                except Exception as exc:
                    problems.append(
                        CustomIntentError(
                            ("response",),
                            f"does not render with sample slots {_json_or_repr(slots)}: "
                            f"{_reason(exc)}",
                        )
                    )
                    break
        return problems

    def _samples(self) -> list[dict[str, Any]]:
        """Every slot filled with its first value, then with its last (defaults kept)."""
        samples: list[dict[str, Any]] = []
        for pick in (0, -1):
            slots: dict[str, Any] = {}
            for name, table in self.spec.slots.items():
                values = list(table.values.values())
                slots[name] = values[pick]
            samples.append(self.complete({**slots, **self.defaults}))
        return samples


def _json_or_repr(value: Any) -> str:
    try:
        return _json(value)
    except (TypeError, ValueError):
        return repr(value)


def build_intent(config: Any) -> ConfiguredIntent:
    """One ``intents:`` entry compiled and checked; CustomIntentError names the key path."""
    get = config.get if isinstance(config, Mapping) else lambda k: getattr(config, k, None)
    spec = CustomIntentSpec.build(
        str(get("name")), list(get("templates") or []), dict(get("slots") or {})
    )
    action_config = get("action")
    if action_config is None:
        raise CustomIntentError(("action",), "expected an action: {topic: ..., payload: ...}")
    action = CustomAction.from_config(action_config)
    defaults: dict[str, Any] = {}
    for slot, value in dict(get("defaults") or {}).items():
        if slot not in spec.slots:
            raise CustomIntentError(
                ("defaults", slot),
                f"{slot!r} is not a slot of {spec.name} (slots: {', '.join(spec.slots) or 'none'})",
            )
        if value is None or not isinstance(value, str | int | float | bool):
            raise CustomIntentError(
                ("defaults", slot), f"{value!r}: expected a string, number or true/false"
            )
        defaults[str(slot)] = value
    questions: dict[str, str] = {}
    for slot, text in dict(get("questions") or {}).items():
        if slot not in spec.slots:
            raise CustomIntentError(
                ("questions", slot),
                f"{slot!r} is not a slot of {spec.name} (slots: {', '.join(spec.slots) or 'none'})",
            )
        if not isinstance(text, str) or not text.strip():
            raise CustomIntentError(("questions", slot), f"{text!r}: expected a question")
        questions[str(slot)] = text.strip()
    response_source = get("response")
    response = None
    if response_source is not None:
        if not isinstance(response_source, str) or not response_source.strip():
            raise CustomIntentError(("response",), f"{response_source!r}: expected a sentence")
        response = _compile(response_source, ("response",))
    return ConfiguredIntent(spec, action, response, defaults, questions)


def build_intents(
    configs: Iterable[Any],
) -> tuple[dict[str, ConfiguredIntent], list[CustomIntentError]]:
    """Every usable intent by name, and every problem with its key path from the list index.

    Problems are located as ``(index, key, ...)`` inside the ``intents`` list.
    """
    built: dict[str, ConfiguredIntent] = {}
    first: dict[str, int] = {}
    problems: list[CustomIntentError] = []
    for index, config in enumerate(configs):
        name = config.get("name") if isinstance(config, Mapping) else getattr(config, "name", None)
        if isinstance(name, str) and name in first:
            problems.append(
                CustomIntentError(
                    (index, "name"),
                    f"duplicate intent name {name!r} (first at intents[{first[name]}])",
                )
            )
            continue
        if isinstance(name, str):
            first[name] = index
        try:
            intent = build_intent(config)
        except CustomIntentError as exc:
            problems.append(CustomIntentError((index, *exc.loc), exc.message))
            continue
        checked = intent.check()
        for problem in checked:
            problems.append(CustomIntentError((index, *problem.loc), problem.message))
        if not checked:
            built[intent.name] = intent
    return built, problems


def configured_intents(configs: Iterable[Any]) -> dict[str, ConfiguredIntent]:
    """The intents of a config that already passed ``load_config`` (raises on any problem)."""
    built, problems = build_intents(configs)
    if problems:
        raise ValueError("; ".join(f"intents{list(p.loc)}: {p.message}" for p in problems))
    return built


__all__ = [
    "ActionError",
    "ActionMessage",
    "ConfiguredIntent",
    "CustomAction",
    "build_intent",
    "build_intents",
    "configured_intents",
]
