"""The same evaluation, side by side: homebrain's grammar, its learned model, and hassil.

    python bench/hassil_compare.py --config CONFIG FILE.yaml... [--json]

hassil (Home Assistant's template matcher) runs with the English sentences of the
``home-assistant-intents`` package (both from PyPI: ``pip install hassil
home-assistant-intents``) and slot lists built from the home, as Home Assistant
builds them:

- ``name``: every entity name and alias → the entity id, with ``{"domain": ...}``
  as the value's context (HA does the same, so "turn on the TV" infers the
  domain media_player);
- ``area``: every room name and alias → the room id;
- ``floor``: the floor id as words and ``"<floor> floor"`` → the floor id;
- the satellite's room (the test's ``site``, or the config's default site, as
  homebrain uses) is passed as hassil's ``intent_context["area"]``, as HA passes
  the satellite's area.

**Which sentences are comparable** (the rule used, applied per test):

1. Dialogues and ``audio`` tests are skipped; so are ``expect: ask`` tests (locks
   and garage doors: homebrain must ask first, HA's intents have no confirmation
   step) and custom-intent tests (``expect: {intent: ...}``).
2. Tests whose context has ``pointing_at`` are skipped (hassil has no camera).
3. ``expect: none`` tests are comparable.
4. An ``expect`` of entity commands is comparable when *every* expected entity
   and field is one some English HA intent can express: ``HA_FIELDS`` below
   (light state/brightness/color, switch state, fan state/percentage, cover
   open/close/position, climate temperature and mode off, media_player
   on/off/pause/play/volume, scene activate). E.g. cover ``stop``, climate mode
   ``cool``/``auto``/``heat`` and light ``color_temp`` are not comparable.

**HA intent → homebrain command** (on each resolved target entity):

- HassTurnOn: light/switch/fan/media_player ``state: on``; cover ``state: open``;
  lock ``state: locked``; scene ``activate: true``; climate ``mode: heat``.
- HassTurnOff: ``state: off``; cover ``state: close``; lock ``state: unlocked``;
  climate ``mode: off``.
- HassLightSet: ``brightness`` and/or ``color`` (a colour name), plus ``state: on``
  (HA's light.turn_on); a ``temperature`` in kelvin becomes ``color_temp`` mireds.
- HassClimateSetTemperature → ``temperature``; HassSetPosition → ``position``;
  HassMediaPause → ``state: pause``; HassMediaUnpause → ``state: play``;
  HassSetVolume → ``volume``; HassFanSetSpeed → ``percentage``.
- Other device intents HA would carry out (media search/next/previous, mute,
  relative volume, climate fan mode, vacuum, lawn mower) command their targets
  with ``{"ha_intent": NAME}``: an action, never a match. Intents that move no
  device (timers, weather, time, lists, GetState, Nevermind...) command nothing.

**Targets**: a ``name`` slot → that entity (an ``area`` beside it is ignored);
otherwise the entities of the sentence's ``domain`` (and ``device_class``, if
given) in the spoken ``area`` / ``floor``; an area that came only from the
satellite context is a preference (used when it holds a matching entity, else
the whole home), as HA's target matching prefers the satellite's area. No
name and no domain/device class → nothing. Nothing recognised → nothing.

Scoring, on the comparable subset, is homebrain's own (``runner.judge``): exact
match (commanded entity set equals the expected set, every expected field
present and equal; numbers numerically, words case-insensitively), intent
accuracy (right entity set), OOD false-action rate among ``expect: none``.
homebrain's grammar and its learned model are scored on the very same tests by
``EvalRunner`` (the daemon's code path), so their latency is the whole
pipeline's per sentence; hassil's is recognise + target resolution.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from rich.console import Console
from rich.table import Table

from homebrain.config.loader import LoadedConfig, load_config
from homebrain.evaluation.files import (
    COMMANDS,
    NONE,
    EvalFile,
    SentenceTest,
    check_against_config,
    load_eval_files,
)
from homebrain.evaluation.runner import EvalRunner, judge
from homebrain.home import Entity, Home
from homebrain.turns import ACTION

# domain → field → allowed values (None: any value) that some English HA intent can express
HA_FIELDS: dict[str, dict[str, set[str] | None]] = {
    "light": {"state": {"on", "off"}, "brightness": None, "color": None},
    "switch": {"state": {"on", "off"}},
    "fan": {"state": {"on", "off"}, "percentage": None},
    "cover": {"state": {"open", "close"}, "position": None},
    "climate": {"temperature": None, "mode": {"off"}},
    "media_player": {"state": {"on", "off", "pause", "play"}, "volume": None},
    "scene": {"activate": None},
}

# intents HA would carry out on devices, with no homebrain equivalent: an action, never a match
OTHER_DEVICE_INTENTS = {
    "HassMediaSearchAndPlay": "media_player",
    "HassMediaNext": "media_player",
    "HassMediaPrevious": "media_player",
    "HassMediaPlayerMute": "media_player",
    "HassMediaPlayerUnmute": "media_player",
    "HassSetVolumeRelative": "media_player",
    "HassClimateSetFanMode": "climate",
    "HassVacuumStart": "vacuum",
    "HassVacuumReturnToBase": "vacuum",
    "HassVacuumCleanArea": "vacuum",
    "HassLawnMowerStartMowing": "lawn_mower",
    "HassLawnMowerDock": "lawn_mower",
}
INTENT_DOMAIN = {
    "HassLightSet": "light",
    "HassClimateSetTemperature": "climate",
    "HassSetPosition": "cover",
    "HassMediaPause": "media_player",
    "HassMediaUnpause": "media_player",
    "HassSetVolume": "media_player",
    "HassFanSetSpeed": "fan",
    **OTHER_DEVICE_INTENTS,
}


# --- comparability --------------------------------------------------------------------------


def comparable(test: SentenceTest, home: Home) -> bool:
    """The docstring's rule."""
    if test.audio is not None or "pointing_at" in test.context:
        return False
    if test.expect.kind == NONE:
        return True
    if test.expect.kind != COMMANDS:
        return False
    for entity_id, fields in test.expect.commands.items():
        entity = home.entities.get(entity_id)
        allowed = HA_FIELDS.get(entity_id.split(".", 1)[0])
        if entity is None or allowed is None or entity.sensitive:
            return False
        for name, value in fields.items():
            if name not in allowed:
                return False
            words = allowed[name]
            if words is not None and str(value).strip().lower() not in words:
                return False
    return True


# --- hassil ---------------------------------------------------------------------------------


class HassilRecogniser:
    def __init__(self, loaded: LoadedConfig) -> None:
        from hassil import Intents
        from hassil.intents import SlotList, TextSlotList
        from home_assistant_intents import get_intents

        self.loaded = loaded
        self.home = Home.from_config(loaded.config)
        sentences = get_intents("en")
        if sentences is None:
            raise SystemExit("home-assistant-intents has no English sentences")
        self.intents = Intents.from_dict(sentences)
        names = [
            (text, e.entity_id, {"domain": e.domain})
            for e in self.home.entities.values()
            for text in dict.fromkeys((e.name, *e.aliases))
        ]
        areas = [
            (text, r.id)
            for r in self.home.rooms.values()
            for text in dict.fromkeys((r.name, *r.aliases))
        ]
        floors = {r.floor for r in self.home.rooms.values() if r.floor}
        floor_values = [
            (text, f)
            for f in sorted(floors)
            for text in dict.fromkeys((f.replace("_", " "), f"{f.replace('_', ' ')} floor"))
            if not text.endswith("floor floor")
        ]
        self.slot_lists: dict[str, SlotList] = {
            "name": TextSlotList.from_tuples(names, allow_template=False, name="name"),
            "area": TextSlotList.from_tuples(areas, allow_template=False, name="area"),
            "floor": TextSlotList.from_tuples(floor_values, allow_template=False, name="floor"),
        }

    def area_context(self, context: dict[str, Any]) -> dict[str, Any]:
        site = context.get("site") or self.home.default_site
        room_id = self.home.room_of_site(site)
        if room_id is None:
            return {}
        return {"area": {"value": room_id, "text": self.home.rooms[room_id].name}}

    def recognise(
        self, text: str, context: dict[str, Any]
    ) -> tuple[Any, dict[str, dict[str, Any]]]:
        from hassil import recognize_best

        result = recognize_best(
            text,
            self.intents,
            slot_lists=self.slot_lists,
            intent_context=self.area_context(context),
            best_slot_name="name",
        )
        if result is None:
            return None, {}
        return result, self.commands(result)

    # targets and commands

    def targets(self, result: Any) -> list[Entity]:
        entities = result.entities
        if "name" in entities:
            found = self.home.entities.get(entities["name"].value)
            return [found] if found is not None else []
        domains = _values(entities.get("domain")) or _values(_slot(result, "domain"))
        if not domains and result.intent.name in INTENT_DOMAIN:
            domains = {INTENT_DOMAIN[result.intent.name]}
        classes = _values(entities.get("device_class")) or _values(_slot(result, "device_class"))
        if not domains and not classes:
            return []
        pool = [
            e
            for e in self.home.entities.values()
            if (not domains or e.domain in domains) and (not classes or e.device_class in classes)
        ]
        if "floor" in entities:
            floor = entities["floor"].value
            pool = [e for e in pool if e.room and self.home.rooms[e.room].floor == floor]
        area = entities.get("area")
        if area is not None:
            in_area = [e for e in pool if e.room == area.value]
            spoken = area.text_span is not None or "area" not in result.context
            pool = in_area if (spoken or in_area) else pool
        return pool

    def commands(self, result: Any) -> dict[str, dict[str, Any]]:
        name = result.intent.name
        slots = {k: e.value for k, e in result.entities.items()}
        out: dict[str, dict[str, Any]] = {}
        for entity in self.targets(result):
            fields = command_fields(name, entity.domain, slots)
            if fields:
                out[entity.entity_id] = fields
        return out


def _slot(result: Any, key: str) -> Any:
    slots = getattr(result.intent_data, "slots", None) or {}
    return slots.get(key)


def _values(value: Any) -> set[str]:
    if value is None:
        return set()
    value = getattr(value, "value", value)
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def command_fields(intent: str, domain: str, slots: dict[str, Any]) -> dict[str, Any]:
    """The docstring's HA intent → homebrain command mapping, for one entity."""
    if intent == "HassTurnOn":
        turn_on: dict[str, dict[str, Any]] = {
            "cover": {"state": "open"},
            "lock": {"state": "locked"},
            "scene": {"activate": True},
            "climate": {"mode": "heat"},
        }
        return turn_on.get(domain, {"state": "on"})
    if intent == "HassTurnOff":
        return {
            "cover": {"state": "close"},
            "lock": {"state": "unlocked"},
            "climate": {"mode": "off"},
        }.get(domain, {"state": "off"})
    if intent == "HassLightSet" and domain == "light":
        fields: dict[str, Any] = {"state": "on"}
        if "brightness" in slots:
            fields["brightness"] = slots["brightness"]
        if "color" in slots:
            fields["color"] = slots["color"]
        if "temperature" in slots:
            kelvin = float(slots["temperature"])
            fields["color_temp"] = round(1_000_000 / kelvin) if kelvin else None
        return fields
    simple = {
        ("HassClimateSetTemperature", "climate"): ("temperature", "temperature"),
        ("HassSetPosition", "cover"): ("position", "position"),
        ("HassSetVolume", "media_player"): ("volume", "volume_level"),
        ("HassFanSetSpeed", "fan"): ("percentage", "percentage"),
    }.get((intent, domain))
    if simple is not None:
        out_key, slot_key = simple
        value = slots.get(slot_key, slots.get(out_key))
        return {out_key: value} if value is not None else {}
    if intent == "HassMediaPause" and domain == "media_player":
        return {"state": "pause"}
    if intent == "HassMediaUnpause" and domain == "media_player":
        return {"state": "play"}
    if intent in OTHER_DEVICE_INTENTS:
        return {"ha_intent": intent}
    return {}


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Score:
    sentences: int = 0
    exact: int = 0
    intent_ok: int = 0
    ood: int = 0
    ood_acted: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        n = self.sentences
        return {
            "sentences": n,
            "exact_match": round(self.exact / n, 4) if n else 1.0,
            "intent_accuracy": round(self.intent_ok / n, 4) if n else 1.0,
            "ood_sentences": self.ood,
            "ood_false_action_rate": round(self.ood_acted / self.ood, 4) if self.ood else 0.0,
            "latency_ms": {
                "p50": round(statistics.median(self.latencies), 3) if self.latencies else 0.0
            },
        }


def score_hassil(loaded: LoadedConfig, tests: list[SentenceTest]) -> Score:
    hassil = HassilRecogniser(loaded)
    score = Score()
    for test in tests:
        for text in test.say:
            started = time.perf_counter()
            result, commanded = hassil.recognise(text, test.context)
            score.latencies.append((time.perf_counter() - started) * 1000)
            outcome = SimpleNamespace(outcome=ACTION if commanded else "none")
            verdict = judge(test.expect, outcome, commanded)  # type: ignore[arg-type]
            score.sentences += 1
            score.exact += verdict.exact
            score.intent_ok += verdict.intent_ok
            if test.expect.kind == NONE:
                score.ood += 1
                score.ood_acted += bool(commanded)
            if not verdict.exact:
                score.failures.append(
                    {
                        "file": str(test.file),
                        "say": text,
                        "expected": test.expect.to_json(),
                        "ha_intent": result.intent.name if result is not None else None,
                        "ha_slots": {k: e.value for k, e in result.entities.items()}
                        if result is not None
                        else {},
                        "got": commanded,
                        "reason": verdict.reason,
                    }
                )
    return score


def score_homebrain(loaded: LoadedConfig, files: list[EvalFile]) -> Score:
    report = EvalRunner(loaded).run(files)
    score = Score()
    for file_report in report.files:
        for record in file_report.records:
            score.sentences += 1
            score.exact += record.verdict.exact
            score.intent_ok += record.verdict.intent_ok
            if record.expect.kind == NONE:
                score.ood += 1
                score.ood_acted += bool(record.commanded)
            if record.result is not None:
                score.latencies.append(record.result.latency_ms)
            if not record.verdict.exact:
                score.failures.append(record.failure_json())
    return score


def with_model(loaded: LoadedConfig) -> LoadedConfig:
    from homebrain.models import DEFAULT_MODEL
    from homebrain.understanding.model_runtime import load_model

    config = copy.deepcopy(loaded.config)
    config.understanding.recogniser = "model"
    path = config.understanding.model or DEFAULT_MODEL
    return LoadedConfig(loaded.path, config, loaded.profiles, load_model(path))


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--config", required=True, type=Path)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--failures", type=int, default=0, help="show N hassil failures")
    args = parser.parse_args(argv)

    loaded = load_config(args.config)
    eval_files = load_eval_files(list(dict.fromkeys(args.files)))
    problems = check_against_config(eval_files, loaded)
    if problems:
        print("\n".join(str(p) for p in problems), file=sys.stderr)
        return 2
    home = Home.from_config(loaded.config)
    total = sum(len(t.say) for f in eval_files for t in f.tests if t.audio is None)
    kept = [EvalFile(f.path, [t for t in f.tests if comparable(t, home)], []) for f in eval_files]
    tests = [t for f in kept for t in f.tests]

    grammar_loaded = copy.copy(loaded)
    grammar_loaded.config = copy.deepcopy(loaded.config)
    grammar_loaded.config.understanding.recogniser = "grammar"
    grammar_loaded.model = None
    results = {
        "homebrain grammar": score_homebrain(grammar_loaded, kept),
        "homebrain model": score_homebrain(with_model(loaded), kept),
        "hassil + HA intents": score_hassil(loaded, tests),
    }
    comparable_count = results["hassil + HA intents"].sentences
    if args.json:
        out = {
            "config": str(args.config),
            "files": [str(f) for f in args.files],
            "sentences_total": total,
            "sentences_comparable": comparable_count,
            "recognisers": {k: v.to_json() for k, v in results.items()},
            "failures": {k: v.failures for k, v in results.items()},
        }
        print(json.dumps(out, indent=2, default=str))
        return 0

    console = Console(width=max(Console().width, 110))
    table = Table(
        title=f"{args.config}: {comparable_count} of {total} sentences comparable "
        f"({', '.join(str(f) for f in args.files)})"
    )
    for column in (
        "recogniser",
        "sentences",
        "exact match",
        "intent acc.",
        "OOD false action",
        "p50 ms/sentence",
    ):
        table.add_column(column, justify="left" if column == "recogniser" else "right")
    for name, score in results.items():
        j = score.to_json()
        table.add_row(
            name,
            str(j["sentences"]),
            f"{j['exact_match']:.1%}",
            f"{j['intent_accuracy']:.1%}",
            f"{j['ood_false_action_rate']:.1%} of {j['ood_sentences']}",
            f"{j['latency_ms']['p50']:.2f}",
        )
    console.print(table)
    for failure in results["hassil + HA intents"].failures[: args.failures]:
        console.print(
            f"[red]hassil[/] {failure['say']!r}: {failure['ha_intent']} {failure['ha_slots']} "
            f"→ {failure['reason']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
