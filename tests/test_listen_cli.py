"""`homebrain listen`: real speech in, through a running daemon or a dry run."""

from __future__ import annotations

import io
import json
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from mqtt_helpers import Recorder

from homebrain.cli.main import main
from homebrain.daemon import Daemon
from homebrain.speech.synthesis import Voice, utterance

DEMO = Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"
VOICE = Voice.parse("en-us")


def speech(*texts: str) -> np.ndarray:
    rng = np.random.default_rng(11)
    return np.concatenate([utterance(t, VOICE, rng) for t in texts]).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int = 16000, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_dry_run_prints_heard_understood_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = write_wav(
        tmp_path / "talk.wav", speech("turn on the kitchen light", "what is the weather like")
    )
    assert main(["listen", "--config", str(DEMO), "--wav", str(wav), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "heard: turn on the kitchen light" in out
    assert "done: light.kitchen_ceiling" in out
    assert out.count("heard:") == 2 and "heard: what is the weather" in out
    assert out.count("done:") == 1  # the weather is not for us


def test_stdin_stereo_at_another_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mono = speech("close the blinds")
    # 48 kHz stereo: each sample held three times (the resampler filters the images), twice
    stereo = np.repeat(mono, 6).astype("<i2").tobytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stereo)))
    args = ["listen", "--config", str(DEMO), "--stdin", "--rate", "48000", "--channels", "2"]
    assert main([*args, "--dry-run", "--json"]) == 0
    (said,) = lines(capsys.readouterr().out)
    assert said["heard"] == "close the blinds"
    intent = said["intent"]
    assert isinstance(intent, dict)
    assert intent["commands"] == [{"entity_id": "cover.living_room_blinds", "state": "close"}]


def test_bad_audio_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF....WAVEfmt nonsense")
    assert main(["listen", "--config", str(DEMO), "--wav", str(broken), "--dry-run"]) == 2
    assert "broken.wav" in capsys.readouterr().err
    missing = tmp_path / "nowhere.wav"
    assert main(["listen", "--config", str(DEMO), "--wav", str(missing), "--dry-run"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_through_the_running_daemon(
    tmp_path: Path,
    test_config: Path,
    daemon: Daemon,
    recorder: Recorder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wav = write_wav(tmp_path / "lamp.wav", speech("turn off the reading lamp"))
    code = main(["listen", "--config", str(test_config), "--wav", str(wav), "--site", "kitchen"])
    assert code == 0
    out = capsys.readouterr().out
    assert "heard: turn off the reading lamp" in out and "done: light.reading_lamp" in out
    recorder.wait_for("cmnd/reading_lamp/POWER")  # the Tasmota lamp really got it
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["outcome"] == "action"
