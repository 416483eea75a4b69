"""Load and check a config file, reporting every problem with file, line and key path."""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from homebrain.config.schema import DeviceConfig, HomebrainConfig
from homebrain.yamlsource import Loc, Located, Problem, SourceError, read_located

if TYPE_CHECKING:
    from homebrain.actions.custom import ConfiguredIntent

ConfigProblem = Problem

log = logging.getLogger("homebrain.config")


class ConfigError(SourceError):
    what = "config"


@dataclass
class LoadedConfig:
    """The validated config plus where it came from (for reloads and messages)."""

    path: Path
    config: HomebrainConfig
    profiles: dict[str, Any]
    model: Any = None  # the loaded intent model runtime, when understanding.recogniser is model
    _custom: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def device(self, entity_id: str) -> DeviceConfig:
        for device in self.config.devices:
            if device.id == entity_id:
                return device
        raise KeyError(entity_id)

    def custom_intents(self) -> dict[str, ConfiguredIntent]:
        """The config's custom intents, compiled once (every eval session builds a pipeline)."""
        if self._custom is None:
            from homebrain.actions.custom import configured_intents  # late: reads profiles

            self._custom = dict(configured_intents(self.config.intents))
        return self._custom


def _path_text(loc: Loc, data: Any) -> str:
    """Render ('devices', 2, 'room') as devices[2 light.kitchen].room for humans."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                label_text = (
                    (node.get("id") or node.get("name")) if isinstance(node, dict) else None
                )
                if isinstance(label_text, str):
                    label = f"{item} {label_text}"
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


def load_config(path: str | Path, *, with_model: bool = True) -> LoadedConfig:
    """Parse, validate and cross-check a config; raise ConfigError listing every problem.

    ``with_model=False`` skips loading the intent model: client commands (say,
    state, simulate) only need the home, not the recogniser.
    """
    from homebrain.profiles.registry import load_profiles  # late: profiles import the schema

    path = Path(path)
    name = str(path)
    try:
        data, located = read_located(path)
    except SourceError as exc:
        raise ConfigError(exc.problems) from None
    if data is None:
        data = {}
    if isinstance(data, dict) and "intents" in data:
        _intents_as_words(path, data, located)
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
    raw_index: dict[str, list[int]] | None = None  # file indices of list entries kept
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
        model = _load_model(name, located, config, path.parent, problems) if with_model else None
        if not problems:
            return LoadedConfig(path=path, config=config, profiles=profiles, model=model)
    problems.sort(key=lambda p: (p.line or 0, p.path))
    raise ConfigError(problems)


def _intents_as_words(path: Path, data: dict[str, Any], located: Located) -> None:
    """Re-read ``intents:`` keeping unquoted yes/no/on/off as words.

    They are spoken forms there ("no" sugar → 0), while elsewhere in the config
    YAML's booleans stay booleans (``simulate: yes``).
    """
    try:
        words, word_lines = read_located(path, words_for_bools=True)
    except SourceError:  # already read once: cannot fail differently
        return
    if not isinstance(words, dict) or "intents" not in words:
        return
    data["intents"] = words["intents"]
    located.lines.update({k: v for k, v in word_lines.lines.items() if k[:1] == ("intents",)})
    located.duplicates[:] = [d for d in located.duplicates if d[0][:1] != ("intents",)]
    located.duplicates.extend(d for d in word_lines.duplicates if d[0][:1] == ("intents",))


_LISTS = ("devices", "intents")  # lists whose bad entries are dropped one by one


def _without_invalid(
    data: dict[str, Any], exc: ValidationError
) -> tuple[HomebrainConfig | None, dict[str, list[int]] | None]:
    """The config minus the parts that failed, so cross-checks can still report the rest.

    Only whole top-level keys and single devices or intents are dropped; rooms
    and sites stay as written (their ids are what the cross-checks need). The
    second value maps each list to the file indices of the entries kept.
    """
    bad_keys = {e["loc"][0] for e in exc.errors() if e["loc"]}
    cleaned = {k: v for k, v in data.items() if k not in bad_keys or k in _LISTS}
    kept: dict[str, list[int]] = {}
    for key in _LISTS:
        bad = {e["loc"][1] for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == key}
        raw = data.get(key)
        count = len(raw) if isinstance(raw, list) else 0
        kept[key] = [i for i in range(count) if i not in bad]
        if key in bad_keys:
            if not isinstance(raw, list) or not bad:
                cleaned.pop(key, None)
                kept[key] = []
            else:
                cleaned[key] = [item for i, item in enumerate(raw) if i not in bad]
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
        model = load_model(where)
    except ModelError as exc:
        loc: Loc = ("understanding", "model") if understanding.model else ("understanding",)
        problems.append(Problem(name, located.line(loc), ".".join(map(str, loc)), str(exc)))
        return None
    _warn_untrained(name, where, config, model)
    return model


def _warn_untrained(name: str, where: Path, config: HomebrainConfig, model: Any) -> None:
    """Say which custom intents the model cannot predict: they fall back to their templates."""
    from homebrain.actions.custom import build_intents
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.custom import model_knows

    built, _ = build_intents(config.intents)
    for intent in built.values():
        if model_knows(model, intent.spec):
            continue
        if intent.name in model.intents:
            lacking = [s for s in intent.spec.slots if f"custom_{s}" not in model.slot_types]
            what = f"custom intent {intent.name!r} without its slot(s) {', '.join(lacking)}"
        else:
            what = f"custom intent {intent.name!r}"
        # the shipped model knows no home's custom intents by design: templates are the plan
        shipped = where.resolve() == DEFAULT_MODEL.resolve()
        log.log(
            logging.INFO if shipped else logging.WARNING,
            "model %s was trained without %s; it is matched by its templates until you "
            "retrain: homebrain train --config %s --out DIR",
            where,
            what,
            name,
        )


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
    raw_index: dict[str, list[int]] | None = None,
) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []

    def add(loc: Loc, message: str) -> None:
        problems.append(ConfigProblem(name, located.line(loc), _path_text(loc, data), message))

    rooms = list(config.rooms)
    for site_id, site in config.sites.items():
        if site.room is not None and site.rooms:
            add(("sites", site_id, "rooms"), "give either room or rooms, not both")
        for other in site.rooms:
            if other not in config.rooms:
                add(
                    ("sites", site_id, "rooms"),
                    f"{other!r} is not a room{_choices(other, rooms)}",
                )
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
        index = raw_index["devices"][position] if raw_index else position
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
    if config.intents:
        from homebrain.actions.custom import build_intents  # late: it reads profiles' Jinja

        _, intent_problems = build_intents(config.intents)
        for problem in intent_problems:
            entry, *rest = problem.loc
            at = raw_index["intents"][int(entry)] if raw_index else entry
            add(("intents", at, *rest), problem.message)
    _check_speech(config, base, add)
    _check_vision(config, base, add, seen)
    return problems


def _check_vision(config: HomebrainConfig, base: Path, add: Any, entities: dict[str, int]) -> None:
    """Cameras watch rooms that exist, mark devices that exist, read sources that exist."""
    rooms = list(config.rooms)
    if config.vision.cameras:
        _check_vision_install(add)
    for name, camera in config.vision.cameras.items():
        loc: Loc = ("vision", "cameras", name)
        if camera.room is not None and camera.room not in rooms:
            add((*loc, "room"), f"{camera.room!r} is not a room{_choices(camera.room, rooms)}")
        for entity in camera.devices:
            if entity not in entities:
                add(
                    (*loc, "devices", entity),
                    f"{entity!r} is not a device{_choices(entity, list(entities))}",
                )
        source = camera.source
        if source.type == "folder":
            if source.path is None:
                add((*loc, "source", "path"), "a folder source needs a path")
            elif not (base / source.path).is_dir():
                add((*loc, "source", "path"), f"{source.path!r}: no such directory")
        elif source.type == "picamera2" and not _importable("picamera2"):
            add(
                (*loc, "source", "type"),
                "a Pi camera needs picamera2: apt install python3-picamera2, and a venv "
                "made with --system-site-packages (it only installs on a Raspberry Pi)",
            )
        elif source.type == "opencv":
            if (source.path is None) == (source.device is None):
                add(
                    (*loc, "source"),
                    "an opencv source needs either a device (camera index) or a path "
                    "(a file, /dev/video*, or a URL)",
                )
            elif (
                source.path is not None
                and "://" not in source.path
                and not (base / source.path).exists()
            ):
                add((*loc, "source", "path"), f"{source.path!r}: no such file or device")


def _check_speech(config: HomebrainConfig, base: Path, add: Any) -> None:
    """Audio sources name a site and a file that exist, the engine and wake word are known."""
    from homebrain.speech.engine import ENGINES  # late: the speech stage is optional

    speech = config.speech
    if speech.engine not in ENGINES:
        add(
            ("speech", "engine"),
            f"{speech.engine!r} is not a speech engine" + _choices(speech.engine, sorted(ENGINES)),
        )
    sites = list(config.sites)
    for i, source in enumerate(speech.sources):
        loc: Loc = ("speech", "sources", i)
        site = source.site or config.default_site
        if site is None and sites:
            add((*loc, "site"), f"which site hears it? expected one of: {', '.join(sites)}")
        elif source.site is not None and sites and source.site not in sites:
            add((*loc, "site"), f"{source.site!r} is not a site{_choices(source.site, sites)}")
        if source.type in ("wav", "raw"):
            if source.path is None:
                add((*loc, "path"), f"a {source.type} source needs a path")
            elif str(source.path) != "-":
                file = source.path if source.path.is_absolute() else base / source.path
                if not file.exists():
                    add((*loc, "path"), f"{str(source.path)!r}: no such file")
        if source.type == "raw" and source.width not in (1, 2, 3, 4):
            add((*loc, "width"), f"{source.width}: expected 1, 2, 3 or 4 bytes per sample")
        if source.type == "mic" and not _importable("pyaudio"):
            add((*loc, "type"), "a microphone needs PyAudio: pip install 'homebrain[audio]'")
    if speech.wake_word is not None:
        from homebrain.audio.wakeword import WAKE_WORDS

        model = speech.wake_word.model
        if model not in WAKE_WORDS:
            add(
                ("speech", "wake_word", "model"),
                f"{model!r} is not a wake word" + _choices(model, sorted(WAKE_WORDS)),
            )
    speak = speech.speak
    if speak.output == "file" and speak.directory is None:
        add(("speech", "speak", "directory"), "output file needs a directory for the WAVs")
    if speak.output == "command" and not speak.command:
        add(("speech", "speak", "command"), "output command needs a player, e.g. [aplay, -q]")
    endpoint = speech.endpoint
    if endpoint.max_utterance <= endpoint.min_speech:
        add(("speech", "endpoint", "max_utterance"), "expected more than min_speech")


def _check_vision_install(add: Any) -> None:
    """Cameras need OpenCV (the vision extra) and MediaPipe's model files: say so now,
    not from a camera thread after the daemon has started."""
    if not _importable("cv2"):
        add(("vision", "cameras"), "cameras need OpenCV: pip install 'homebrain[vision]'")
        return
    from homebrain.vision.models import (  # late: the vision stage is optional
        HAND_LANDMARK,
        PALM_DETECTION,
        POSE_DETECTION,
        POSE_LANDMARK,
        ModelFileMissing,
        model_path,
    )

    for name in (POSE_DETECTION, POSE_LANDMARK, PALM_DETECTION, HAND_LANDMARK):
        try:
            model_path(name)
        except ModelFileMissing as exc:
            add(("vision", "cameras"), str(exc))
            return


def _importable(module: str) -> bool:
    import importlib.util
    import sys

    if module in sys.modules:  # already imported (or put there, as tests do)
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


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
