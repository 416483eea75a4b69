"""Load and check a config file, reporting every problem with file, line and key path."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from homebrain.config.schema import DeviceConfig, HomebrainConfig
from homebrain.yamlsource import Loc, Located, Problem, SourceError, read_located

ConfigProblem = Problem


class ConfigError(SourceError):
    what = "config"


@dataclass
class LoadedConfig:
    """The validated config plus where it came from (for reloads and messages)."""

    path: Path
    config: HomebrainConfig
    profiles: dict[str, Any]
    model: Any = None  # the loaded intent model runtime, when understanding.recogniser is model

    def device(self, entity_id: str) -> DeviceConfig:
        for device in self.config.devices:
            if device.id == entity_id:
                return device
        raise KeyError(entity_id)


def _path_text(loc: Loc, data: Any) -> str:
    """Render ('devices', 2, 'room') as devices[2 light.kitchen].room for humans."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label = f"{item} {node['id']}"
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts)


def _value_at(loc: Loc, data: Any) -> Any:
    node = data
    for item in loc:
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _known_keys(loc: Loc) -> list[str]:
    """The keys a model accepts at a location, for "did you mean" hints."""
    model: Any = HomebrainConfig
    for item in loc:
        if isinstance(item, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(str(item))
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load_config(path: str | Path) -> LoadedConfig:
    """Parse, validate and cross-check a config; raise ConfigError listing every problem."""
    from homebrain.profiles.registry import load_profiles  # late: profiles import the schema

    path = Path(path)
    name = str(path)
    try:
        data, located = read_located(path)
    except SourceError as exc:
        raise ConfigError(exc.problems) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            [
                ConfigProblem(
                    name, 1, "", f"expected a mapping of settings, got {type(data).__name__}"
                )
            ]
        )

    problems: list[ConfigProblem] = []
    for loc, line in located.duplicates:
        problems.append(
            ConfigProblem(
                name, line, _path_text(loc, data), "duplicate key (the later one would win)"
            )
        )

    config: HomebrainConfig | None = None
    raw_index: list[int] | None = None  # devices' indices in the file, when some were dropped
    try:
        config = HomebrainConfig.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(_pydantic_problem(name, located, data, loc, dict(error)))
        config, raw_index = _without_invalid(data, exc)
    if config is not None:
        profile_dirs = [p if p.is_absolute() else path.parent / p for p in config.profile_dirs]
        try:
            profiles = load_profiles(profile_dirs)
        except Exception as exc:  # a broken user profile file is a config problem
            problems.append(
                ConfigProblem(name, located.line(("profile_dirs",)), "profile_dirs", str(exc))
            )
            profiles = {}
        problems.extend(_cross_check(name, located, data, config, profiles, path.parent, raw_index))
        model = _load_model(name, located, config, path.parent, problems)
        if not problems:
            return LoadedConfig(path=path, config=config, profiles=profiles, model=model)
    problems.sort(key=lambda p: (p.line or 0, p.path))
    raise ConfigError(problems)


def _without_invalid(
    data: dict[str, Any], exc: ValidationError
) -> tuple[HomebrainConfig | None, list[int] | None]:
    """The config minus the parts that failed, so cross-checks can still report the rest.

    Only whole top-level keys and single devices are dropped; rooms and sites
    stay as written (their ids are what the cross-checks need).
    """
    bad_keys = {e["loc"][0] for e in exc.errors() if e["loc"]}
    bad_devices = {
        e["loc"][1] for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == "devices"
    }
    cleaned = {k: v for k, v in data.items() if k not in bad_keys or k == "devices"}
    if "devices" in bad_keys:
        devices = data.get("devices")
        if not isinstance(devices, list) or not bad_devices:
            cleaned.pop("devices", None)
        else:
            cleaned["devices"] = [d for i, d in enumerate(devices) if i not in bad_devices]
    raw_devices = data.get("devices")
    count = len(raw_devices) if isinstance(raw_devices, list) else 0
    kept = [i for i in range(count) if i not in bad_devices]
    if bad_keys & {"rooms", "sites"}:
        return None, None
    try:
        return HomebrainConfig.model_validate(cleaned), kept
    except ValidationError:
        return None, None


def _load_model(
    name: str, located: Located, config: HomebrainConfig, base: Path, problems: list[Problem]
) -> Any:
    """Load the intent model now, so a missing or broken one stops start-up with a reason."""
    understanding = config.understanding
    if understanding.recogniser != "model":
        return None
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.model_runtime import ModelError, load_model

    where = understanding.model or DEFAULT_MODEL
    if not where.is_absolute():
        where = base / where
    try:
        return load_model(where)
    except ModelError as exc:
        loc: Loc = ("understanding", "model") if understanding.model else ("understanding",)
        problems.append(Problem(name, located.line(loc), ".".join(map(str, loc)), str(exc)))
        return None


def _pydantic_problem(
    name: str, located: Located, data: Any, loc: Loc, error: dict[str, Any]
) -> ConfigProblem:
    kind = error["type"]
    path_text = _path_text(loc, data)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = did_you_mean(key, _known_keys(loc[:-1]))
        return ConfigProblem(name, located.line(loc), path_text, f"unknown key {key!r}{hint}")
    if kind == "missing":
        return ConfigProblem(name, located.line(loc[:-1]), path_text, "required key is missing")
    value = _value_at(loc, data)
    message = error["msg"]
    if message.startswith("Value error, "):
        message = "expected " + message[len("Value error, ") :]
    return ConfigProblem(name, located.line(loc), path_text, f"{_short(value)}: {message}")


def _cross_check(
    name: str,
    located: Located,
    data: Any,
    config: HomebrainConfig,
    profiles: dict[str, Any],
    base: Path,
    raw_index: list[int] | None = None,
) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []

    def add(loc: Loc, message: str) -> None:
        problems.append(ConfigProblem(name, located.line(loc), _path_text(loc, data), message))

    rooms = list(config.rooms)
    for site_id, site in config.sites.items():
        if site.room is not None and site.room not in config.rooms:
            add(
                ("sites", site_id, "room"),
                f"{site.room!r} is not a room{_choices(site.room, rooms)}",
            )
    if config.default_site is not None and config.default_site not in config.sites:
        add(
            ("default_site",),
            f"{config.default_site!r} is not a site"
            + _choices(config.default_site, list(config.sites)),
        )

    seen: dict[str, int] = {}
    for position, device in enumerate(config.devices):
        index = raw_index[position] if raw_index else position
        loc: Loc = ("devices", index)
        if device.id in seen:
            add(
                (*loc, "id"),
                f"duplicate entity id {device.id!r} (first at devices[{seen[device.id]}])",
            )
        else:
            seen[device.id] = index
        if device.room is not None and device.room not in config.rooms:
            add((*loc, "room"), f"{device.room!r} is not a room{_choices(device.room, rooms)}")
        profile = profiles.get(device.profile)
        if profile is None:
            add(
                (*loc, "profile"),
                f"{device.profile!r} is not a profile{_choices(device.profile, list(profiles))}",
            )
            continue
        if device.domain not in profile.domains():
            add(
                (*loc, "id"),
                f"profile {device.profile!r} has no {device.domain!r} devices; "
                f"it has {', '.join(sorted(profile.domains()))}",
            )
            continue
        for problem in profile.check_device(device):
            extra = did_you_mean(
                problem.key, [*DeviceConfig.model_fields, *_profile_keys(profile, device)]
            )
            value = f"{_short(problem.value)}: " if problem.value is not None else ""
            add(
                (*loc, problem.key),
                f"{value}{problem.message}{extra if 'unknown' in problem.message else ''}",
            )

    mqtt = config.mqtt
    if mqtt.password_file is not None:
        file = mqtt.password_file if mqtt.password_file.is_absolute() else base / mqtt.password_file
        if not os.access(file, os.R_OK) or not file.is_file():
            add(
                ("mqtt", "password_file"),
                f"{str(mqtt.password_file)!r}: cannot read the password file",
            )
        if mqtt.password is not None:
            add(("mqtt", "password"), "give either password or password_file, not both")
    if (mqtt.password is not None or mqtt.password_file is not None) and not mqtt.username:
        add(("mqtt", "username"), "a password needs a username")
    if mqtt.tls is not None:
        for key in ("ca_file", "cert_file", "key_file"):
            file = getattr(mqtt.tls, key)
            if file is not None and not (file if file.is_absolute() else base / file).is_file():
                add(("mqtt", "tls", key), f"{str(file)!r}: no such file")
    if mqtt.reconnect_max_delay < mqtt.reconnect_min_delay:
        add(("mqtt", "reconnect_max_delay"), "expected at least reconnect_min_delay")
    return problems


def _profile_keys(profile: Any, device: DeviceConfig) -> list[str]:
    keys = getattr(profile, "field_names", None)
    return list(keys(device.domain)) if callable(keys) else []


def _choices(word: str, choices: list[str]) -> str:
    hint = did_you_mean(word, choices)
    listed = ", ".join(choices) if choices else "none defined"
    return f"{hint}; expected one of: {listed}" if len(choices) <= 12 else hint


def resolve_file(loaded: LoadedConfig, file: Path) -> Path:
    """Config-relative paths are relative to the config file, as users expect."""
    return file if file.is_absolute() else loaded.path.parent / file
