"""scripts/make_test_audio.py on a tiny evaluation file: real espeak-ng, real WAVs, real YAML."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from homebrain.audio.pcm import RATE
from homebrain.audio.sources import WavFileSource
from homebrain.evaluation.files import load_eval_file

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_test_audio.py"

TINY = """\
tests:
  - say: "turn on the kitchen light"
    context: {site: kitchen}
    expect: {light.kitchen_ceiling: {state: on}}
  - say: "what's the weather like"
    expect: none
dialogues:
  - name: heating needs a value
    context: {site: living_room}
    turns:
      - {say: "set the heating", expect: ask}
      - {say: "twenty one degrees", wait: 2, expect: {climate.living_room: {temperature: 21}}}
"""


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_test_audio", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval") / "tiny.yaml"
    path.write_text(TINY)
    return path


def make(script: ModuleType, *args: str) -> None:
    assert script.main([*args, "--quiet", "--jobs", "2"]) == 0


def test_writes_wavs_and_an_evaluation_file_that_loads(
    script: ModuleType, tiny: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    make(script, str(tiny), "--out", str(out), "--voices", "en-us", "en-us+f2", "--snr", "10")
    loaded = load_eval_file(out / "audio_tiny_snr10.yaml")  # fails on any missing audio file
    source = load_eval_file(tiny)
    assert len(loaded.tests) == 4 and len(loaded.dialogues) == 2
    for i, test in enumerate(loaded.tests):
        original = source.tests[i % 2]
        assert test.say == [] and test.audio is not None and test.audio.is_file()
        assert test.context == original.context
        assert test.expect == original.expect
        assert "[en-us" in (test.name or "")
        samples = WavFileSource(test.audio).read()
        assert 1.2 < samples.size / RATE < 4.0  # the sentence and 1.2 s of padding
        assert np.count_nonzero(samples[: RATE // 2]) > 0.9 * RATE // 2  # no digital silence
    for dialogue in loaded.dialogues:
        assert dialogue.name.startswith("heating needs a value [")
        assert [t.expect for t in dialogue.turns] == [t.expect for t in source.dialogues[0].turns]
        assert [t.wait for t in dialogue.turns] == [0.0, 2.0]
        for turn in dialogue.turns:
            assert turn.audio is not None and turn.audio.is_file()
            assert turn.context == {"site": "living_room"}
    assert len(list(out.rglob("*.wav"))) == 8  # 4 sentences, 2 voices


def test_the_same_seed_gives_the_same_audio(script: ModuleType, tiny: Path, tmp_path: Path) -> None:
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        make(script, str(tiny), "--out", str(tmp_path / name), "--voices", "en-us", "--seed", seed)
    wavs = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.wav"))
    assert len(wavs) == 4
    for wav in wavs:
        assert (tmp_path / "a" / wav).read_bytes() == (tmp_path / "b" / wav).read_bytes()
        assert (tmp_path / "a" / wav).read_bytes() != (tmp_path / "c" / wav).read_bytes()
    yaml_a = (tmp_path / "a" / "audio_tiny.yaml").read_text()
    assert yaml_a == (tmp_path / "b" / "audio_tiny.yaml").read_text()


def test_split_voices_writes_one_file_per_voice(
    script: ModuleType, tiny: Path, tmp_path: Path
) -> None:
    make(script, str(tiny), "--out", str(tmp_path), "--voices", "en-us,en-us+m3", "--split-voices")
    names = sorted(p.name for p in tmp_path.glob("*.yaml"))
    assert names == ["audio_tiny_en-us.yaml", "audio_tiny_en-us_m3.yaml"]
    for name in names:
        assert len(load_eval_file(tmp_path / name).tests) == 2


def test_babble_is_a_long_clip_that_expects_nothing(script: ModuleType, tmp_path: Path) -> None:
    make(script, "--out", str(tmp_path), "--babble", "6", "--voices", "en-us", "en-us+f2")
    loaded = load_eval_file(tmp_path / "babble_6s.yaml")
    (test,) = loaded.tests
    assert test.expect.kind == "none" and test.audio is not None
    samples = WavFileSource(test.audio).read()
    assert samples.size == 6 * RATE
    assert np.sqrt(np.mean(samples.astype(np.float64) ** 2)) > 1000  # speech all the way


def test_help_and_bad_arguments(script: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        script.main(["--help"])
    assert done.value.code == 0
    assert "heldout" in capsys.readouterr().out
    for bad in (["--out", "x"], ["--out", "x", "--babble", "5", "--voices", "en-us@fast"]):
        with pytest.raises(SystemExit) as done:
            script.main(bad)
        assert done.value.code == 2


def test_a_broken_evaluation_file_is_reported(
    script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("tests:\n  - say: hello\n")  # no expect
    assert script.main([str(broken), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "missing expect" in capsys.readouterr().err
