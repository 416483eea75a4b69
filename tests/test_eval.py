"""`homebrain eval`: DESIGN.md's evaluation files through the real pipeline, profiles and
simulated devices (no mocks, no broker)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from homebrain.cli.main import main
from homebrain.config.loader import load_config
from homebrain.evaluation.files import (
    ASK,
    COMMANDS,
    NONE,
    EvalFileError,
    load_eval_file,
)
from homebrain.evaluation.runner import (
    EvalRunner,
    EvalSession,
    quantile,
    values_equal,
)

DEMO = ROOT / "configs" / "demo.yaml"
CONTRACT_KEYS = {
    "sentences",
    "exact_match",
    "intent_accuracy",
    "ood_false_action_rate",
    "dialogues",
    "dialogues_passed",
    "latency_ms",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def run_json(capsys: pytest.CaptureFixture[str], *files: Path) -> tuple[int, dict[str, Any]]:
    code = main(["eval", "--config", str(DEMO), *map(str, files), "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


MIXED = """\
tests:
  - say: ["turn on the kitchen light", "kitchen light on please"]
    expect: {light.kitchen_ceiling: {state: "on"}}
  - say: "turn on the reading lamp"
    expect: {light.bedroom: {state: "on"}}          # wrong entity: must fail
  - say: "set the kitchen light to 40 percent"
    expect: {light.kitchen_ceiling: {brightness: 50}}  # right entity, wrong value
  - say: "what's the weather like"
    expect: none
dialogues:
  - name: heating needs a value
    turns:
      - {say: "set the heating", expect: ask}
      - {say: "twenty one degrees", expect: {climate.living_room: {temperature: 21}}}
"""

OOD = """\
tests:
  - say: "turn on the kitchen light"
    expect: none                                     # acts although it should not
  - say: "what's the weather like"
    expect: none
"""


def test_json_numbers_per_file_and_overall(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = write(tmp_path, "mixed.yaml", MIXED)
    ood = write(tmp_path, "ood.yaml", OOD)
    code, data = run_json(capsys, mixed, ood)
    assert code == 1
    assert set(data) == {"overall", "files", "failures"}
    assert list(data["files"]) == [str(mixed), str(ood)]

    m = data["files"][str(mixed)]
    assert set(m) == CONTRACT_KEYS
    assert m["sentences"] == 5
    assert m["exact_match"] == 0.6  # 3 of 5
    assert m["intent_accuracy"] == 0.8  # the 40 % sentence targets the right light
    assert m["ood_false_action_rate"] == 0.0
    assert (m["dialogues"], m["dialogues_passed"]) == (1, 1)

    o = data["files"][str(ood)]
    assert (o["sentences"], o["exact_match"], o["intent_accuracy"]) == (2, 0.5, 0.5)
    assert o["ood_false_action_rate"] == 0.5
    assert (o["dialogues"], o["dialogues_passed"]) == (0, 0)

    overall = data["overall"]
    assert set(overall) == CONTRACT_KEYS
    assert overall["sentences"] == 7
    assert overall["exact_match"] == round(4 / 7, 4)
    assert overall["intent_accuracy"] == round(5 / 7, 4)
    assert overall["ood_false_action_rate"] == round(1 / 3, 4)
    assert (overall["dialogues"], overall["dialogues_passed"]) == (1, 1)
    latency = overall["latency_ms"]
    assert set(latency) == {"p50", "p99"}
    assert 0 < latency["p50"] <= latency["p99"] < 5000

    failures = data["failures"]
    assert [f.get("say") for f in failures] == [
        "turn on the reading lamp",
        "set the kitchen light to 40 percent",
        "turn on the kitchen light",
    ]
    for failure in failures:
        assert {"file", "say", "expected", "got"} <= set(failure)
    wrong_entity, wrong_value, acted = failures
    assert wrong_entity["file"] == str(mixed)
    assert wrong_entity["expected"] == {"light.bedroom": {"state": "on"}}
    assert wrong_entity["got"]["commands"] == {"light.reading_lamp": {"state": "on"}}
    assert wrong_entity["got"]["outcome"] == "action"
    assert wrong_entity["got"]["response"]  # what it said back
    assert wrong_value["got"]["commands"]["light.kitchen_ceiling"]["brightness"] == 40
    assert "brightness" in wrong_value["reason"]
    assert acted["expected"] == "none" and acted["file"] == str(ood)


def test_all_passing_exits_zero_and_prints_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "ok.yaml",
        """\
        tests:
          - say: "turn on the light"
            context: {site: bedroom}
            expect: {light.bedroom: {state: on}}     # bare on: the word, not a boolean
          - say: "turn that on"
            context: {site: living_room, pointing_at: light.reading_lamp}
            expect: {light.reading_lamp: {state: "ON"}}      # words compare case-insensitively
          - say: "set the heating to 21 degrees"
            expect: {climate.living_room: {temperature: 21.0}}
          - say: "open the blinds"
            expect: {cover.living_room_blinds: }             # only: this entity, any fields
        """,
    )
    assert main(["eval", "--config", str(DEMO), str(path)]) == 0
    out = capsys.readouterr().out
    assert "ok.yaml" in out and "overall" in out and "100.0%" in out
    assert "All passed" in out


def test_failures_listed_with_response_and_limited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        tests:
          - say: ["turn on the reading lamp", "switch on the reading lamp", "reading lamp on"]
            expect: {light.bedroom: {state: "on"}}
        """,
    )
    assert main(["eval", "--config", str(DEMO), str(path), "--failures", "2"]) == 1
    out = capsys.readouterr().out
    assert "'turn on the reading lamp'" in out and "'switch on the reading lamp'" in out
    assert "'reading lamp on'" not in out and "1 more" in out
    assert "light.reading_lamp" in out and "response:" in out
    assert "Some tests failed" in out


def test_dialogue_passes_and_failing_turn_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "dialogues.yaml",
        """\
        dialogues:
          - name: heating needs a value
            turns:
              - {say: "set the heating", expect: ask}
              - {say: "twenty one degrees", expect: {climate.living_room: {temperature: 21}}}
          - name: wrong value
            turns:
              - {say: "set the heating", expect: ask}
              - {say: "twenty two degrees", expect: {climate.living_room: {temperature: 21}}}
        """,
    )
    code, data = run_json(capsys, path)
    assert code == 1
    overall = data["overall"]
    assert (overall["sentences"], overall["dialogues"], overall["dialogues_passed"]) == (0, 2, 1)
    assert overall["exact_match"] == 1.0  # no sentences: nothing failed
    assert overall["latency_ms"]["p50"] > 0  # dialogue turns are timed
    [failure] = data["failures"]
    assert failure["dialogue"] == "wrong value" and failure["turn"] == 2
    assert failure["say"] == "twenty two degrees"
    assert failure["got"]["commands"] == {"climate.living_room": {"temperature": 22}}


def test_conversation_carries_within_a_dialogue_not_between_tests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "carry.yaml",
        """\
        tests:
          - say: "turn on the kitchen light"
            expect: {light.kitchen_ceiling: {state: "on"}}
          - say: "turn it off"          # a fresh session: "it" refers to nothing
            expect: ask
        dialogues:
          - name: it refers to the last device
            turns:
              - {say: "turn on the kitchen light", expect: {light.kitchen_ceiling: {state: "on"}}}
              - {say: "turn it off", expect: {light.kitchen_ceiling: {state: "off"}}}
        """,
    )
    code, data = run_json(capsys, path)
    assert data["failures"] == []
    assert code == 0


def test_device_state_carries_within_a_dialogue_not_between_tests(tmp_path: Path) -> None:
    loaded = load_config(DEMO)
    sessions: list[EvalSession] = []

    class Recording(EvalRunner):
        def session(self) -> EvalSession:
            sessions.append(super().session())
            return sessions[-1]

    path = write(
        tmp_path,
        "state.yaml",
        """\
        tests:
          - say: "set the kitchen light to 30 percent"
            expect: {light.kitchen_ceiling: {brightness: 30}}
          - say: "what's the weather like"
            expect: none
        dialogues:
          - name: two lights
            turns:
              - {say: "turn on the kitchen light", expect: {light.kitchen_ceiling: {state: "on"}}}
              - {say: "turn on the bedroom light", expect: {light.bedroom: {state: "on"}}}
        """,
    )
    report = Recording(loaded).run([load_eval_file(path)])
    assert report.passed
    first_test, second_test, dialogue = sessions
    # the simulated light answered the command, and the mirror saw it
    assert first_test.mirror.get("light.kitchen_ceiling")["brightness"] == 30
    assert first_test.mirror.get("light.kitchen_ceiling")["state"] == "on"
    # the next test starts from the simulator's initial state
    initial = EvalSession(loaded).mirror.get("light.kitchen_ceiling")
    assert initial["state"] == "off"
    assert second_test.mirror.get("light.kitchen_ceiling") == initial
    # within a dialogue, both turns' effects are in one mirror
    assert dialogue.mirror.get("light.kitchen_ceiling")["state"] == "on"
    assert dialogue.mirror.get("light.bedroom")["state"] == "on"
    # and each turn's published messages were captured (the last turn's remain)
    assert dialogue.sink.messages and all(m.payload for m in dialogue.sink.messages)


def test_custom_intent_expectation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loaded = load_config(DEMO)
    result = EvalSession(loaded).say("turn on the kitchen light", {})
    assert result.intent is not None
    name = result.intent.name
    path = write(
        tmp_path,
        "intent.yaml",
        f"""\
        tests:
          - say: "turn on the kitchen light"
            expect: {{intent: {name}}}
          - say: "turn on the kitchen light"
            expect: {{intent: no_such_intent}}
        """,
    )
    code, data = run_json(capsys, path)
    assert code == 1
    assert data["overall"]["exact_match"] == 0.5
    assert data["overall"]["intent_accuracy"] == 0.5
    [failure] = data["failures"]
    assert failure["expected"] == {"intent": "no_such_intent", "slots": {}}
    assert failure["got"]["intent"] == name


def test_unreadable_audio_fails_with_a_clear_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "lamp.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVE")
    path = write(
        tmp_path,
        "audio.yaml",
        """\
        tests:
          - audio: lamp.wav
            expect: {light.reading_lamp: {state: "on"}}
          - audio: lamp.wav
            expect: none
          - say: "what's the weather like"
            expect: none
        """,
    )
    code, data = run_json(capsys, path)
    assert code == 1
    overall = data["overall"]
    assert overall["sentences"] == 3
    assert overall["exact_match"] == round(1 / 3, 4)
    assert overall["ood_false_action_rate"] == 0.0  # an audio test that never ran never acted
    assert len(data["failures"]) == 2
    for failure in data["failures"]:
        assert failure["audio"] == str(tmp_path / "lamp.wav") and "say" not in failure
        assert failure["got"]["error"].startswith("cannot read the audio:")
        assert "lamp.wav" in failure["got"]["error"]
    assert main(["eval", "--config", str(DEMO), str(path)]) == 1
    assert "cannot read the audio" in capsys.readouterr().out


def test_malformed_eval_file_exits_2_naming_file_and_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "broken.yaml",
        """\
        tests:
          - say: "turn on the kitchen light"
            expect: {light.kitchen_ceiling: {state: "on"}}
          - sey: "hello"
            expect: nothing
          - say: "dim it"
            expect: {light.kitchen_ceiling: {brightnes: 10}}
        """,
    )
    assert main(["eval", "--config", str(DEMO), str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err
    assert "Traceback" not in err
    assert f"{path}:4: tests[1]: unknown key 'sey' (did you mean 'say'?)" in err
    assert f"{path}:5: tests[1]: expect:" in err and "'nothing'" in err
    assert f"{path}:7: tests[2]: " in err and "did you mean 'brightness'?" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tests: [", "invalid YAML"),
        ("- say: hi\n", "expected a mapping with tests and/or dialogues"),
        ("{}\n", "no tests and no dialogues"),
        ("dialogues:\n  - name: x\n    turns: []\n", "dialogues[0] 'x': turns: expected a list"),
        (
            "dialogues:\n  - name: x\n    turns: [{say: [a, b], expect: ask}]\n",
            "dialogues[0] 'x'.turns[0]: say: expected one non-empty sentence",
        ),
        ("tests:\n  - {say: hi, audio: x.wav, expect: none}\n", "give either say or audio"),
        ("tests:\n  - {say: hi}\n", "missing expect"),
        ("tests:\n  - {say: hi, expect: {lamp.x: {}}}\n", "'lamp.x' is not an entity id"),
        (
            "tests:\n  - {say: hi, expect: {light.x: {brightness: 150}}}\n",
            "expected at most 100",
        ),
    ],
)
def test_file_problems(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(EvalFileError) as caught:
        load_eval_file(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_names_unknown_to_the_config_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "names.yaml",
        """\
        tests:
          - say: "turn on the light"
            context: {site: kitchn, pointing_at: light.reading_lamb}
            expect: {light.kitchen_celing: {state: "on"}}
        """,
    )
    assert main(["eval", "--config", str(DEMO), str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: tests[0]" in err
    assert "did you mean 'kitchen'?" in err
    assert "did you mean 'light.reading_lamp'?" in err
    assert "did you mean 'light.kitchen_ceiling'?" in err


def test_missing_eval_file_and_bad_config_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["eval", "--config", str(DEMO), str(missing)]) == 2
    assert f"{missing}: cannot read" in capsys.readouterr().err
    config = write(tmp_path, "home.yaml", "rooms: {kitchen: {}}\ndefault_site: kitchn\n")
    ok = write(tmp_path, "ok.yaml", "tests:\n  - {say: hi, expect: none}\n")
    assert main(["eval", "--config", str(config), str(ok), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and str(config) in captured.err


def test_loading_keeps_the_contract_shapes(tmp_path: Path) -> None:
    path = write(tmp_path, "shapes.yaml", MIXED)
    loaded = load_eval_file(path)
    first = loaded.tests[0]
    assert first.say == ["turn on the kitchen light", "kitchen light on please"]
    assert first.expect.kind == COMMANDS
    assert loaded.tests[3].expect.kind == NONE
    assert loaded.dialogues[0].turns[0].expect.kind == ASK
    assert loaded.sentence_count == 5


def test_value_comparison_and_quantiles() -> None:
    assert values_equal(21, 21.0) and values_equal(21.0, "21")
    assert values_equal("On", "on") and not values_equal("on", "off")
    assert values_equal(True, True) and values_equal("yes", True) and not values_equal(1, True)
    assert not values_equal(21, 22)
    assert quantile([], 0.5) == 0.0
    assert quantile([3.0], 0.99) == 3.0
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile(list(map(float, range(1, 102))), 0.99) == 100.0


def test_demo_evaluation_files_pass(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code = main(
        [
            "eval",
            "--config",
            "configs/demo.yaml",
            "tests/eval/demo_commands.yaml",
            "tests/eval/demo_dialogues.yaml",
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"overall", "files", "failures"}
    assert set(data["overall"]) == CONTRACT_KEYS
    assert set(data["files"]) == {"tests/eval/demo_commands.yaml", "tests/eval/demo_dialogues.yaml"}
    assert data["failures"] == [], data["failures"][:5]
    assert data["overall"]["exact_match"] == 1.0
    assert data["overall"]["dialogues_passed"] == data["overall"]["dialogues"] > 0
    assert code == 0


def test_wait_lets_a_question_time_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "wait.yaml",
        """\
        dialogues:
          - name: answered in time
            context: {site: living_room}
            turns:
              - {say: "set the heating", expect: ask}
              - say: "twenty one degrees"
                wait: 10
                expect: {climate.living_room: {temperature: 21}}
          - name: answered too late
            context: {site: living_room}
            turns:
              - {say: "set the heating", expect: ask}
              - {say: "twenty one degrees", wait: 60, expect: none}
        """,
    )
    code, data = run_json(capsys, path)
    assert data["failures"] == []
    assert code == 0
