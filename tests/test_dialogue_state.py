"""Dialogue state is inspectable and survives a reload (issue 4), through the real daemon,
a real Mosquitto and simulated devices; one conversation also runs the shipped model (undo).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from mqtt_helpers import Recorder, wait_until

from homebrain.cli.state import collect_report, render_dialogue, show_state
from homebrain.config.loader import load_config
from homebrain.daemon import Daemon, _Event
from homebrain.turns import ACTION

# What SIGHUP puts on the worker's queue: the reload runs on the thread that runs the turns.
RELOAD = _Event("reload", ())


def snapshot_with(recorder: Recorder, check) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The latest homebrain/state snapshot for which ``check(dialogue)`` holds."""

    def ok(message: Any) -> bool:
        try:
            return bool(check(json.loads(message.payload)["dialogue"]))
        except (KeyError, TypeError, ValueError):
            return False

    return dict(json.loads(recorder.wait_for("homebrain/state", predicate=ok).payload))


def say(recorder: Recorder, site: str, text: str) -> dict[str, Any]:
    """Say ``text`` at ``site`` and return the intent message the daemon published for it."""
    recorder.clear()
    recorder.publish(f"homebrain/{site}/text", text)
    return dict(json.loads(recorder.wait_for(f"homebrain/{site}/intent").payload))


def kitchen_question(dialogue: dict[str, Any]) -> bool:
    pending = (dialogue.get("kitchen") or {}).get("pending")
    return bool(pending and pending["question"] == "To what temperature?")


def test_snapshot_shows_each_sites_conversation(daemon: Daemon, recorder: Recorder) -> None:
    say(recorder, "bedroom", "turn on the bedroom light")
    say(recorder, "kitchen", "set the heating")
    snapshot = snapshot_with(recorder, kitchen_question)
    kitchen, bedroom = snapshot["dialogue"]["kitchen"], snapshot["dialogue"]["bedroom"]
    assert kitchen["pending"]["kind"] == "value"
    assert 0 < kitchen["pending"]["expires_in"] <= 15
    assert bedroom["pending"] is None
    assert bedroom["referents"] == ["light.bedroom"]
    assert bedroom["last_intent"] == "turn_on"
    assert bedroom["undo"]["commands"] == [
        {"entity_id": "light.bedroom", "fields": {"state": "off"}}
    ]
    # the snapshot is retained: `homebrain state` started later gets it at once
    report = collect_report(daemon.loaded, timeout=5)
    assert report.source == "daemon"
    assert kitchen_question(report.dialogue)
    assert report.dialogue["bedroom"]["referents"] == ["light.bedroom"]


def test_homebrain_state_prints_the_conversations(
    daemon: Daemon, recorder: Recorder, test_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    say(recorder, "kitchen", "set the heating")
    snapshot_with(recorder, kitchen_question)
    assert show_state(test_config, timeout=5, as_json=True) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["source"] == "daemon"
    assert kitchen_question(shown["dialogue"])
    assert show_state(test_config, timeout=5, as_json=False) == 0
    table = capsys.readouterr().out
    assert "Conversations" in table and "To what temperature?" in table and "kitchen" in table


def test_render_dialogue_without_conversations(capsys: pytest.CaptureFixture[str]) -> None:
    render_dialogue({})
    assert "No conversations yet." in capsys.readouterr().out
    stale = {"kitchen": {"pending": {"question": "Q?", "kind": "value", "expires_in": 5}}}
    render_dialogue(stale, age=10)  # a question that timed out since the snapshot
    assert "timed out" in capsys.readouterr().out


def test_a_question_survives_a_reload(
    daemon: Daemon, recorder: Recorder, test_config: Path
) -> None:
    say(recorder, "kitchen", "set the heating")
    daemon.events.put(RELOAD)
    assert wait_until(lambda: daemon.reloads == 1)
    snapshot_with(recorder, kitchen_question)  # published again after the reload
    answered = say(recorder, "kitchen", "twenty one degrees")
    assert answered["outcome"] == ACTION
    assert answered["commands"] == [{"entity_id": "climate.living_room", "temperature": 21.0}]


def test_a_reload_drops_what_the_home_no_longer_has(
    daemon: Daemon, recorder: Recorder, test_config: Path
) -> None:
    say(recorder, "kitchen", "set the heating")
    say(recorder, "bedroom", "turn on the bedroom light")
    data = yaml.safe_load(test_config.read_text())
    data["devices"] = [d for d in data["devices"] if d["id"] != "climate.living_room"]
    test_config.write_text(yaml.safe_dump(data, sort_keys=False))
    daemon.events.put(RELOAD)
    assert wait_until(lambda: daemon.reloads == 1)
    snapshot = snapshot_with(
        recorder,
        lambda d: (d.get("kitchen") or {}).get("pending") is None and "bedroom" in d,
    )
    assert snapshot["dialogue"]["bedroom"]["referents"] == ["light.bedroom"]
    late = say(recorder, "kitchen", "twenty one degrees")
    assert late["commands"] == []


def test_undo_through_the_daemon_with_the_model(tmp_path: Path, test_config: Path) -> None:
    data = yaml.safe_load(test_config.read_text())
    data["understanding"] = {"recogniser": "model"}
    test_config.write_text(yaml.safe_dump(data, sort_keys=False))
    d = Daemon(load_config(test_config))
    d.start()
    cfg = d.loaded.config.mqtt
    recorder = Recorder(cfg.host, cfg.port)
    try:
        assert d.link.wait_connected(10)
        on = say(recorder, "kitchen", "turn on the kitchen light")
        assert on["outcome"] == ACTION
        assert wait_until(lambda: d.mirror.get("light.kitchen_ceiling").get("state") == "on")
        undone = say(recorder, "kitchen", "undo that")
        assert undone["intent"] == "undo" and undone["outcome"] == ACTION
        off = recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")
        assert json.loads(off.payload)["state"] == "OFF"
        response = recorder.wait_for("homebrain/kitchen/response").payload.decode()
        assert response == "Done, the kitchen light is back as it was."
        assert wait_until(lambda: d.mirror.get("light.kitchen_ceiling").get("state") == "off")
        asked = say(recorder, "kitchen", "is the kitchen light on?")
        assert asked["intent"] == "query" and asked["commands"] == []
        answer = recorder.wait_for("homebrain/kitchen/response").payload.decode()
        assert answer == "The kitchen light is off."
    finally:
        recorder.close()
        d.stop()
