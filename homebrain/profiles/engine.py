"""A device profile defined by a YAML file (see docs/PROFILES.md).

Each ecosystem's spelling of the abstract commands is data, so adding a device
type means adding a file, not code. This module compiles such a file once
(every template, every name it reads, every abstract field it mentions is
checked up front, so a broken profile fails at config load naming the file and
key) and then implements the Profile protocol from it: commands out, state in,
and the device side the simulator plays.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from pydantic import ValidationError

from homebrain.config.schema import DeviceConfig
from homebrain.domains import DOMAINS, STATE_ONLY_FIELDS, CommandError, validate_state_field
from homebrain.messages import MqttMessage
from homebrain.profiles.base import FieldProblem, ProfileError, StatePayloadError
from homebrain.profiles.spec import EmitDoc, FieldDoc, ParseDoc, ProfileDoc
from homebrain.profiles.templating import Template, check_syntax, compile_template, to_json

log = logging.getLogger("homebrain.profiles")

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster

MAX_PAYLOAD = 64 * 1024
"""Payloads above this are refused unread: a 1 MB state message is an attack or a bug."""

ALL = "*"
DEVICE_NAMES = frozenset({"entity_id", "object_id", "domain", "name"})
COMMAND_NAMES = frozenset({"value", "command"})
PARSE_NAMES = frozenset({"value", "value_json"})
PUBLISH_NAMES = frozenset({"fields"})
ABSTRACT_NAMES = frozenset(
    name for table in (DOMAINS, STATE_ONLY_FIELDS) for fields in table.values() for name in fields
)
RESERVED = DEVICE_NAMES | COMMAND_NAMES | PARSE_NAMES | PUBLISH_NAMES | ABSTRACT_NAMES


class CommandPayloadError(StatePayloadError):
    """A command message a (simulated) device cannot understand."""


class _Omit:
    """Marks a JSON value left out because the state it needs is absent."""


OMIT = _Omit()


# --- compiled pieces ---------------------------------------------------------------------------


class _Compiler:
    """Compiles one profile document, collecting where each template came from."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> ProfileError:
        return ProfileError(f"{self.source}: {where}: {message}")

    def template(self, text: str, where: str, allowed: frozenset[str]) -> Template:
        try:
            compiled = compile_template(text)
        except jinja2.TemplateSyntaxError as exc:
            raise self.fail(where, f"invalid template: {exc.message} (line {exc.lineno})") from None
        unknown = sorted(compiled.names - allowed)
        if unknown:
            raise self.fail(
                where,
                f"unknown name {unknown[0]!r} in template {text!r}; "
                f"available: {', '.join(sorted(allowed - ABSTRACT_NAMES)) or 'none'}",
            )
        return compiled

    def value(self, raw: Any, where: str, allowed: frozenset[str]) -> Template | Any:
        """A template for strings, the value itself for YAML numbers/booleans."""
        if isinstance(raw, str):
            return self.template(raw, where, allowed)
        if raw is None or isinstance(raw, bool | int | float):
            return raw
        raise self.fail(where, f"expected a template or a constant, got {type(raw).__name__}")


def _value_of(node: Template | Any, context: Mapping[str, Any]) -> Any:
    return node.value(context) if isinstance(node, Template) else node


def _names_of(node: Template | Any) -> frozenset[str]:
    return node.names if isinstance(node, Template) else frozenset()


@dataclass(frozen=True)
class JsonTemplate:
    """A JSON object whose keys and leaves may be templates; leaves keep their types."""

    root: Any
    names: frozenset[str]

    @classmethod
    def compile(
        cls, doc: Any, where: str, compiler: _Compiler, allowed: frozenset[str]
    ) -> JsonTemplate:
        names: set[str] = set()

        def build(node: Any, path: str) -> Any:
            if isinstance(node, dict):
                items = []
                for key, child in node.items():
                    key_t = compiler.template(str(key), f"{path}.{key}", allowed)
                    names.update(key_t.names)
                    items.append((key_t, build(child, f"{path}.{key}")))
                return ("dict", items)
            if isinstance(node, list):
                return ("list", [build(child, f"{path}[{i}]") for i, child in enumerate(node)])
            leaf = compiler.value(node, path, allowed)
            names.update(_names_of(leaf))
            return ("leaf", leaf)

        return cls(build(doc, where), frozenset(names))

    def render(self, context: Mapping[str, Any], absent: frozenset[str]) -> Any:
        return self._render(self.root, context, absent)

    def _render(self, node: Any, context: Mapping[str, Any], absent: frozenset[str]) -> Any:
        kind, body = node
        if kind == "leaf":
            if _names_of(body) & absent:
                return OMIT
            value = _value_of(body, context)
            return OMIT if value is None else value
        if kind == "list":
            values = [self._render(child, context, absent) for child in body]
            kept = [v for v in values if v is not OMIT]
            return kept if kept or not body else OMIT
        out: dict[str, Any] = {}
        for key_t, child in body:
            if key_t.names & absent:
                continue
            value = self._render(child, context, absent)
            if value is not OMIT:
                out[key_t.text(context)] = value
        return out if out or not body else OMIT


@dataclass(frozen=True)
class EmitRule:
    where: str
    topic: Template | None = None
    payload: Template | None = None
    body: JsonTemplate | None = None
    when: Template | None = None
    retain: bool = False
    unsupported: str | None = None

    @property
    def names(self) -> frozenset[str]:
        """Names the topic and a text payload read (a JSON body decides per leaf)."""
        out = set(self.topic.names if self.topic else ())
        if self.payload is not None:
            out |= self.payload.names
        return frozenset(out)


@dataclass(frozen=True)
class ParseRule:
    where: str
    topic: Template
    format: str
    fields: dict[str, Template | Any]
    obj: Template | None
    ignore_unrelated: bool = False


@dataclass(frozen=True)
class DomainRules:
    command: dict[str, list[EmitRule]]
    state: list[ParseRule]
    refresh: list[EmitRule]
    sim_commands: list[ParseRule]
    publish: list[EmitRule]


@dataclass(frozen=True)
class DeviceField:
    name: str
    doc: FieldDoc
    default: Template | Any

    def applies(self, domain: str) -> bool:
        return self.doc.domains is None or domain in self.doc.domains

    def type_problem(self, value: Any) -> str | None:
        """Why a value does not fit this key's type (None when it does)."""
        kind = self.doc.type
        if kind in ("str", "topic", "template"):
            if not isinstance(value, str):
                return f"expected text, got {type(value).__name__} (put it in quotes in YAML)"
            if kind == "topic" and any(c in value for c in "+#\0"):
                return "expected an MQTT topic without the wildcards + and #"
            if kind == "template":
                return check_syntax(value)
            return None
        if kind == "int":
            return (
                None
                if isinstance(value, int) and not isinstance(value, bool)
                else "expected a whole number"
            )
        if kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return None if ok else "expected a number"
        return None if isinstance(value, bool) else "expected true or false"


# --- the profile -------------------------------------------------------------------------------


@dataclass
class _DeviceInfo:
    context: dict[str, Any]
    topics: dict[str, str] = field(default_factory=dict)  # rule location -> rendered topic


@dataclass
class _Parsed:
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    matched: bool = False
    unrelated_ok: bool = False  # every matching rule reads a shared topic


class YamlProfile:
    """A Profile (see profiles.base) compiled from one profile file."""

    def __init__(self, document: Any, source: str) -> None:
        if not isinstance(document, dict):
            raise ProfileError(
                f"{source}: expected a mapping with name, description, fields, domains"
            )
        try:
            doc = ProfileDoc.model_validate(document)
        except ValidationError as exc:
            raise ProfileError(_schema_problem(source, exc)) from None
        self.source = source
        self.name: str = doc.name
        self.description: str = doc.description
        compiler = _Compiler(source)
        self._fields = self._compile_fields(doc, compiler)
        for name in doc.vars:
            if name in RESERVED or name in DeviceConfig.model_fields:
                raise compiler.fail(
                    f"vars.{name}", f"{name!r} is reserved (a common device key or template name)"
                )
        base = frozenset(self._fields) | frozenset(doc.vars) | DEVICE_NAMES
        self._vars = {
            name: compiler.template(text, f"vars.{name}", base) for name, text in doc.vars.items()
        }
        self._domains = {
            domain: self._compile_domain(domain, spec, compiler, base)
            for domain, spec in doc.domains.items()
        }
        self._devices: dict[tuple[str, str], _DeviceInfo] = {}

    @classmethod
    def from_text(cls, text: str, source: str) -> YamlProfile:
        try:
            document = yaml.load(text, Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{source}:{mark.line + 1}" if mark else source
            raise ProfileError(
                f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
            ) from None
        return cls(document, source)

    @classmethod
    def from_file(cls, path: Path) -> YamlProfile:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"{path}: cannot read the profile: {exc}") from None
        return cls.from_text(text, str(path))

    def __repr__(self) -> str:
        return f"YamlProfile({self.name!r}, {self.source!r})"

    # ---- compiling ------------------------------------------------------------------------------

    def _compile_fields(self, doc: ProfileDoc, compiler: _Compiler) -> dict[str, DeviceField]:
        names = frozenset(doc.fields) | DEVICE_NAMES
        out: dict[str, DeviceField] = {}
        for name, spec in doc.fields.items():
            where = f"fields.{name}"
            if name in RESERVED or name in DeviceConfig.model_fields:
                raise compiler.fail(
                    where, f"{name!r} is reserved (a common device key or template name)"
                )
            if name in doc.vars:
                raise compiler.fail(where, f"{name!r} is both a field and a var")
            for domain in spec.domains or ():
                if domain not in DOMAINS:
                    raise compiler.fail(f"{where}.domains", f"unknown domain {domain!r}")
            default: Template | Any = spec.default
            if isinstance(spec.default, str) and spec.type != "template":
                default = compiler.template(spec.default, f"{where}.default", names - {name})
            out[name] = DeviceField(name, spec, default)
        return out

    def _compile_domain(
        self, domain: str, spec: Any, compiler: _Compiler, base: frozenset[str]
    ) -> DomainRules:
        where = f"domains.{domain}"
        if domain != ALL and domain not in DOMAINS:
            raise compiler.fail(
                where, f"unknown domain; expected one of {', '.join(DOMAINS)} or '*'"
            )
        command_fields = DOMAINS.get(domain, {})
        state_fields = {**command_fields, **STATE_ONLY_FIELDS.get(domain, {})}
        abstract = frozenset(state_fields) if domain != ALL else ABSTRACT_NAMES
        command: dict[str, list[EmitRule]] = {}
        for name, rules in spec.command.items():
            if name != ALL and domain != ALL and name not in command_fields:
                raise compiler.fail(
                    f"{where}.command.{name}",
                    f"{domain} has no command field {name!r}; "
                    f"expected {', '.join(command_fields)} or '*'",
                )
            allowed = base | COMMAND_NAMES | abstract
            command[name] = [
                self._compile_emit(rule, f"{where}.command.{name}[{i}]", compiler, allowed, False)
                for i, rule in enumerate(rules)
            ]
        sim = spec.simulate
        return DomainRules(
            command=command,
            state=[
                self._compile_parse(
                    rule, f"{where}.state[{i}]", compiler, base, state_fields, domain
                )
                for i, rule in enumerate(spec.state)
            ],
            refresh=[
                self._compile_emit(rule, f"{where}.refresh[{i}]", compiler, base, False)
                for i, rule in enumerate(spec.refresh)
            ],
            sim_commands=[
                self._compile_parse(
                    rule, f"{where}.simulate.commands[{i}]", compiler, base, command_fields, domain
                )
                for i, rule in enumerate(sim.commands)
            ],
            publish=[
                self._compile_emit(
                    rule,
                    f"{where}.simulate.publish[{i}]",
                    compiler,
                    base | PUBLISH_NAMES | abstract,
                    True,
                )
                for i, rule in enumerate(sim.publish)
            ],
        )

    @staticmethod
    def _compile_emit(
        doc: EmitDoc, where: str, compiler: _Compiler, allowed: frozenset[str], retain: bool
    ) -> EmitRule:
        if doc.unsupported is not None:
            return EmitRule(where, unsupported=doc.unsupported)
        assert doc.topic is not None  # EmitDoc guarantees it
        return EmitRule(
            where,
            topic=compiler.template(doc.topic, f"{where}.topic", allowed),
            payload=compiler.template(doc.payload, f"{where}.payload", allowed)
            if doc.payload is not None
            else None,
            body=JsonTemplate.compile(doc.json_body, f"{where}.json", compiler, allowed)
            if doc.json_body is not None
            else None,
            when=compiler.template("{{ (" + doc.when + ") }}", f"{where}.when", allowed)
            if doc.when is not None
            else None,
            retain=retain if doc.retain is None else doc.retain,
        )

    @staticmethod
    def _compile_parse(
        doc: ParseDoc,
        where: str,
        compiler: _Compiler,
        base: frozenset[str],
        known: Mapping[str, Any],
        domain: str,
    ) -> ParseRule:
        allowed = base | PARSE_NAMES
        fields: dict[str, Template | Any] = {}
        for name, raw in doc.fields.items():
            if domain != ALL and name not in known:
                raise compiler.fail(
                    f"{where}.fields.{name}",
                    f"{domain} has no field {name!r} here; expected one of {', '.join(known)}",
                )
            fields[name] = compiler.value(raw, f"{where}.fields.{name}", allowed)
        obj = compiler.template(doc.object, f"{where}.object", allowed) if doc.object else None
        topic = compiler.template(doc.topic, f"{where}.topic", base)
        return ParseRule(where, topic, doc.format, fields, obj, doc.ignore_unrelated)

    # ---- the Profile protocol: config side -----------------------------------------------------

    def domains(self) -> set[str]:
        if ALL in self._domains:
            return set(DOMAINS)
        return set(self._domains)

    def field_names(self, domain: str) -> list[str]:
        return [name for name, f in self._fields.items() if f.applies(domain)]

    def check_device(self, device: DeviceConfig) -> list[FieldProblem]:
        problems = self._key_problems(device)
        if not problems:
            problems = self._derivation_problems(device)
        if not problems:
            problems = self._topic_problems(device)
        return problems

    def _key_problems(self, device: DeviceConfig) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        extras = device.profile_fields
        for key, value in extras.items():
            spec = self._fields.get(key)
            if spec is None:
                problems.append(FieldProblem(key, f"unknown key for profile {self.name!r}", value))
            elif not spec.applies(device.domain):
                kinds = ", ".join(spec.doc.domains or ())
                problems.append(
                    FieldProblem(
                        key,
                        f"unknown key for {device.domain} devices of profile {self.name!r} "
                        f"(it is for {kinds})",
                        value,
                    )
                )
            elif (why := spec.type_problem(value)) is not None:
                problems.append(FieldProblem(key, why, value))
        for name, spec in self._fields.items():
            if spec.doc.required and spec.applies(device.domain) and name not in extras:
                hint = f": {spec.doc.help}" if spec.doc.help else ""
                problems.append(FieldProblem(name, f"required by profile {self.name!r}{hint}"))
        return problems

    def _derivation_problems(self, device: DeviceConfig) -> list[FieldProblem]:
        """Keys whose default is derived from another key the device does not give."""
        extras = device.profile_fields
        needs: dict[str, list[str]] = {}
        for name, spec in self._fields.items():
            if (
                name in extras
                or not spec.applies(device.domain)
                or not isinstance(spec.default, Template)
            ):
                continue
            for source in sorted(spec.default.names):
                other = self._fields.get(source)
                if other is not None and source not in extras and other.doc.default is None:
                    needs.setdefault(source, []).append(name)
        return [
            FieldProblem(
                source,
                f"required by profile {self.name!r} to derive {', '.join(derived)} "
                f"(or set {'it' if len(derived) == 1 else 'them'} explicitly)",
            )
            for source, derived in needs.items()
        ]

    def _topic_problems(self, device: DeviceConfig) -> list[FieldProblem]:
        try:
            context = self._context(device)
        except ProfileError as exc:
            return [FieldProblem("profile", str(exc))]
        rules = self._rules(device)
        problems: list[FieldProblem] = []
        for topic_t in self._all_topics(rules):
            if not topic_t.names <= context.keys():
                continue  # depends on the command's value: checked when sent
            try:
                topic = topic_t.text(context).strip()
            except Exception as exc:
                problems.append(
                    FieldProblem(self._blame(topic_t, device), f"cannot build a topic: {exc}")
                )
                continue
            if any(c in topic for c in "+#\0"):
                problems.append(
                    FieldProblem(
                        self._blame(topic_t, device),
                        f"makes the topic {topic!r}, but MQTT topics cannot contain + or #",
                    )
                )
        if not problems:
            overlap = set(self.command_topics(device)) & set(self.state_topics(device))
            if overlap:
                problems.append(
                    FieldProblem(
                        "state_topic" if "state_topic" in device.profile_fields else "profile",
                        f"{sorted(overlap)[0]!r} is both a command and a state topic; the device "
                        "would take its own state reports for commands",
                    )
                )
        return problems

    def _blame(self, topic_t: Template, device: DeviceConfig) -> str:
        """The device key a broken topic most likely comes from."""
        extras = device.profile_fields
        for name in sorted(topic_t.names):
            if name in extras:
                return name
        for var in sorted(topic_t.names & self._vars.keys()):
            for name in sorted(self._vars[var].names):
                if name in extras:
                    return name
        return "profile"

    @staticmethod
    def _all_topics(rules: DomainRules) -> Iterable[Template]:
        for rule_list in rules.command.values():
            yield from (r.topic for r in rule_list if r.topic is not None)
        yield from (r.topic for r in rules.refresh + rules.publish if r.topic is not None)
        yield from (r.topic for r in rules.state + rules.sim_commands)

    # ---- runtime helpers ------------------------------------------------------------------------

    def _rules(self, device: DeviceConfig) -> DomainRules:
        rules = self._domains.get(device.domain) or self._domains.get(ALL)
        if rules is None:
            raise ProfileError(f"profile {self.name!r} has no {device.domain} devices")
        return rules

    def _context(self, device: DeviceConfig) -> dict[str, Any]:
        return self._device(device).context

    def _device(self, device: DeviceConfig) -> _DeviceInfo:
        """A device's template variables (its keys with defaults, then the vars), cached."""
        extras = device.profile_fields
        key = (device.id, json.dumps([device.name, extras], sort_keys=True, default=str))
        cached = self._devices.get(key)
        if cached is not None:
            return cached
        context: dict[str, Any] = {
            "entity_id": device.id,
            "object_id": device.object_id,
            "domain": device.domain,
            "name": device.name or device.object_id.replace("_", " "),
        }
        try:
            for name, spec in self._fields.items():
                if not spec.applies(device.domain):
                    continue
                if name in extras:
                    value = extras[name]
                    if spec.doc.type == "topic" and isinstance(value, str) and "{" in value:
                        value = compile_template(value).text(context)
                    context[name] = value
                elif isinstance(spec.default, Template):
                    # derived from a key the device may lack; check_device says which
                    with contextlib.suppress(jinja2.UndefinedError):
                        context[name] = spec.default.text(context)
                elif spec.default is not None:
                    context[name] = spec.default
            for name, var in self._vars.items():
                with contextlib.suppress(jinja2.UndefinedError):  # a var for other domains
                    context[name] = var.text(context)
        except Exception as exc:
            raise ProfileError(
                f"profile {self.name!r}: cannot prepare {device.id}: {exc}"
            ) from None
        if len(self._devices) > 4096:
            self._devices.clear()
        info = _DeviceInfo(context)
        self._devices[key] = info
        return info

    def _rule_topic(self, device: DeviceConfig, rule: ParseRule) -> str:
        info = self._device(device)
        topic = info.topics.get(rule.where)
        if topic is None:
            try:
                topic = rule.topic.text(info.context).strip()
            except Exception as exc:
                raise ProfileError(
                    f"{self.source}: {rule.where}.topic: {exc} (device {device.id})"
                ) from None
            info.topics[rule.where] = topic
        return topic

    def _emit(
        self,
        device: DeviceConfig,
        items: Iterable[tuple[EmitRule, Mapping[str, Any]]],
        absent: frozenset[str] = frozenset(),
        strict: bool = True,
    ) -> list[MqttMessage]:
        """Render rules into messages, merging JSON bodies bound for the same topic."""
        out: list[tuple[str, Any, bool]] = []
        merged_at: dict[tuple[str, bool], int] = {}
        for rule, context in items:
            if rule.topic is None or rule.names & absent:
                continue  # (no topic: an 'unsupported' rule outside `command` sends nothing)
            try:
                if rule.when is not None and not rule.when.value(context):
                    continue
                topic = rule.topic.text(context).strip()
                if not topic:
                    if strict:
                        raise ProfileError(
                            f"{self.source}: {rule.where}: the topic is empty for {device.id}"
                        )
                    continue
                if any(c in topic for c in "+#\0"):
                    raise ProfileError(
                        f"{self.source}: {rule.where}: {topic!r} is not a topic to publish to"
                    )
                if rule.payload is not None:
                    out.append((topic, rule.payload.text(context).encode("utf-8"), rule.retain))
                    continue
                assert rule.body is not None
                body = rule.body.render(context, absent)
            except ProfileError:
                raise
            except Exception as exc:
                raise ProfileError(
                    f"profile {self.name!r} ({self.source}: {rule.where}) "
                    f"failed for {device.id}: {exc}"
                ) from None
            if body is OMIT:
                continue
            slot = (topic, rule.retain)
            if slot in merged_at:
                _deep_merge(out[merged_at[slot]][1], body)
            else:
                merged_at[slot] = len(out)
                out.append((topic, body, rule.retain))
        return [
            MqttMessage(
                topic,
                payload if isinstance(payload, bytes) else to_json(payload).encode("utf-8"),
                qos=1,
                retain=retain,
            )
            for topic, payload, retain in out
        ]

    def _topics(self, device: DeviceConfig, rules: list[ParseRule]) -> list[str]:
        topics: list[str] = []
        for rule in rules:
            topic = self._rule_topic(device, rule)
            if topic and topic not in topics:
                topics.append(topic)
        return topics

    def _read(
        self,
        device: DeviceConfig,
        rules: list[ParseRule],
        topic: str,
        payload: bytes,
        validate: Callable[[str, Any], Any],
        error: type[StatePayloadError],
    ) -> _Parsed:
        """Apply every rule for this topic; field problems are collected, not raised."""
        result = _Parsed()
        context = self._context(device)
        matching = [r for r in rules if self._rule_topic(device, r) == topic]
        if not matching:
            return result
        result.matched = True
        result.unrelated_ok = all(r.ignore_unrelated for r in matching)
        if len(payload) > MAX_PAYLOAD:
            raise error(
                f"{len(payload)} bytes is over the {MAX_PAYLOAD // 1024} KiB limit; not read"
            )
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise error("the payload is not UTF-8 text") from None
        parsed, json_problem = _load_json(text)
        for rule in matching:
            local = dict(context, value=text)
            if parsed is not _NO_JSON:
                local["value_json"] = parsed
            if rule.format == "json":
                if json_problem is not None:
                    raise error(f"expected a JSON object, but {json_problem}: {_short(text)}")
                if not isinstance(parsed, dict):
                    raise error(
                        f"expected a JSON object, got {type(parsed).__name__}: {_short(text)}"
                    )
            for name, node in rule.fields.items():
                self._read_one(name, node, local, validate, result)
            if rule.obj is not None:
                self._read_object(rule.obj, local, validate, result)
        return result

    @staticmethod
    def _read_one(
        name: str,
        node: Template | Any,
        context: Mapping[str, Any],
        validate: Callable[[str, Any], Any],
        result: _Parsed,
    ) -> None:
        """One field: absent if the payload lacks it, a problem if it is there but wrong."""
        try:
            value = _value_of(node, context)
        except jinja2.UndefinedError:
            return  # the payload does not carry this field
        except Exception as exc:
            result.problems.append(f"{name}: {exc}")
            return
        if value is None:
            return
        try:
            result.fields[name] = validate(name, value)
        except CommandError as exc:
            result.problems.append(f"{name}: {exc}")

    @staticmethod
    def _read_object(
        obj: Template,
        local: Mapping[str, Any],
        validate: Callable[[str, Any], Any],
        result: _Parsed,
    ) -> None:
        try:
            value = obj.value(local)
            if isinstance(value, str):
                value = json.loads(value) if value.strip() else {}
        except jinja2.UndefinedError:
            return
        except Exception as exc:
            result.problems.append(f"not a JSON object of fields ({exc})")
            return
        if not isinstance(value, dict):
            result.problems.append(f"expected a JSON object of fields, got {_short(repr(value))}")
            return
        for name, item in value.items():
            YamlProfile._read_one(str(name), item, local, validate, result)

    # ---- the Profile protocol: the controller's side -------------------------------------------

    def command_messages(self, device: DeviceConfig, command: dict[str, Any]) -> list[MqttMessage]:
        rules = self._rules(device)
        context = dict(self._context(device), command=command)
        items: list[tuple[EmitRule, Mapping[str, Any]]] = []
        catch_all_done = False
        for name, value in command.items():
            field_rules = rules.command.get(name)
            if field_rules is None:
                field_rules = rules.command.get(ALL)
                if field_rules is None:
                    raise ProfileError(
                        f"profile {self.name!r} cannot send {device.domain}.{name} "
                        f"(no command rule for it in {self.source})"
                    )
                if catch_all_done:
                    continue
                catch_all_done = True
                value = command
            for rule in field_rules:
                if rule.unsupported is not None:
                    raise ProfileError(
                        f"profile {self.name!r} cannot send {device.domain}.{name}: "
                        f"{rule.unsupported}"
                    )
                items.append((rule, {**context, **command, "value": value}))
        return self._emit(device, items)

    def state_topics(self, device: DeviceConfig) -> list[str]:
        return self._topics(device, self._rules(device).state)

    def parse_state(self, device: DeviceConfig, topic: str, payload: bytes) -> dict[str, Any]:
        if not payload.strip():
            return {}  # a cleared retained message carries no state
        result = self._read(
            device,
            self._rules(device).state,
            topic,
            payload,
            lambda name, value: validate_state_field(device.domain, name, value),
            StatePayloadError,
        )
        return self._settle(device, result, topic, payload, StatePayloadError)

    def refresh_messages(self, device: DeviceConfig) -> list[MqttMessage]:
        context = self._context(device)
        return self._emit(
            device, ((rule, context) for rule in self._rules(device).refresh), strict=False
        )

    # ---- the Profile protocol: the device's side (simulator) ----------------------------------

    def command_topics(self, device: DeviceConfig) -> list[str]:
        return self._topics(device, self._rules(device).sim_commands)

    def parse_command(self, device: DeviceConfig, topic: str, payload: bytes) -> dict[str, Any]:
        """The abstract fields a command message sets; {} for a state query (e.g. Z2M /get)."""
        specs = DOMAINS[device.domain]

        def validate(name: str, value: Any) -> Any:
            if name not in specs:
                raise CommandError(f"{device.domain} has no field {name!r}")
            return specs[name].coerce(value)

        result = self._read(
            device, self._rules(device).sim_commands, topic, payload, validate, CommandPayloadError
        )
        if not result.matched:
            raise CommandPayloadError(f"{topic!r} is not a command topic of {device.id}")
        if result.problems and not result.fields:
            raise CommandPayloadError("; ".join(result.problems))
        if result.problems:
            log.warning(
                "%s: ignored part of a command on %s: %s",
                device.id,
                topic,
                "; ".join(result.problems),
            )
        return result.fields

    def state_messages(self, device: DeviceConfig, state: dict[str, Any]) -> list[MqttMessage]:
        if not state:
            return []
        absent = ABSTRACT_NAMES - state.keys()
        context = {**self._context(device), **state, "fields": state}
        rules = self._rules(device).publish
        return self._emit(device, ((rule, context) for rule in rules), absent=absent, strict=False)

    # ---- shared ----------------------------------------------------------------------------------

    def _settle(
        self,
        device: DeviceConfig,
        result: _Parsed,
        topic: str,
        payload: bytes,
        error: type[StatePayloadError],
    ) -> dict[str, Any]:
        if result.problems and not result.fields:
            raise error("; ".join(result.problems))
        if result.matched and not result.fields and not result.unrelated_ok:
            raise error(
                f"nothing usable for a {device.domain} in "
                f"{_short(payload.decode('utf-8', 'replace'))}"
            )
        if result.problems:
            log.warning(
                "%s: ignored part of the state on %s: %s",
                device.id,
                topic,
                "; ".join(result.problems),
            )
        return result.fields


def _schema_problem(source: str, exc: ValidationError) -> str:
    """The first schema error as "file: key.path: what is wrong", in words a user knows."""
    first = exc.errors()[0]
    loc = [str(p) for p in first["loc"]]
    where = ".".join(loc) or "(top level)"
    if first["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}{_suggest(loc[-1], _known_keys(loc[:-1]))}"
    elif first["type"] == "missing":
        message = "required key is missing"
    else:
        message = first["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{source}: {where}: {message}{more}"


def _known_keys(loc: list[str]) -> list[str]:
    """The keys allowed where an unknown key was found, for a "did you mean"."""
    model: Any = ProfileDoc
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if fields is None:
            continue  # a dict key or list index: stay on the same model
        info = fields.get(part)
        if info is None:
            continue
        model = _model_in(info.annotation)
    fields = getattr(model, "model_fields", None) or {}
    return [info.alias or name for name, info in fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_NO_JSON = object()


def _load_json(text: str) -> tuple[Any, str | None]:
    """(value, None) or (_NO_JSON, why): deep nesting and NaN are refused, not crashed on."""
    try:
        return json.loads(text, parse_constant=_refuse_constant), None
    except RecursionError:
        return _NO_JSON, "it is nested too deeply"
    except ValueError as exc:
        return _NO_JSON, f"it is not JSON ({exc})"


def _refuse_constant(word: str) -> Any:
    raise ValueError(f"{word} is not a number")


def _deep_merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _short(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")
