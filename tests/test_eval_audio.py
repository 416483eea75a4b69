"""`homebrain eval` with audio tests: espeak-ng speech through the daemon's listener."""

from __future__ import annotations

import json
import textwrap
import wave
from pathlib import Path

import numpy as np
import pytest

from homebrain.cli.main import main
from homebrain.speech.synthesis import Voice, noise_floor, utterance

DEMO = Path(__file__).resolve().parent.parent / "configs" / "demo.yaml"
VOICE = Voice.parse("en-us")


def wav(path: Path, *texts: str) -> str:
    rng = np.random.default_rng(3)
    parts = [utterance(t, VOICE, rng) for t in texts] or [noise_floor(16000 * 2, rng=rng)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(np.concatenate(parts).astype("<i2").tobytes())
    return path.name


def test_audio_tests_and_dialogues_run_through_the_listener(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lamp = wav(tmp_path / "lamp.wav", "turn on the reading lamp")
    quiet = wav(tmp_path / "quiet.wav")
    ask = wav(tmp_path / "ask.wav", "set the heating")
    answer = wav(tmp_path / "answer.wav", "twenty one degrees")
    path = tmp_path / "audio.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            tests:
              - audio: {lamp}
                transcript: turn on the reading lamp
                expect: {{light.reading_lamp: {{state: "on"}}}}
              - audio: {quiet}
                expect: none
              - audio: {lamp}
                transcript: turn off the reading lamp
                expect: {{light.reading_lamp: {{state: "off"}}}}
            dialogues:
              - name: heating by voice
                turns:
                  - {{audio: {ask}, transcript: set the heating, expect: ask}}
                  - audio: {answer}
                    transcript: 21 degrees
                    expect: {{climate.living_room: {{temperature: 21}}}}
            """
        )
    )
    assert main(["eval", "--config", str(DEMO), "--json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    overall = data["overall"]
    assert overall["sentences"] == 3
    assert overall["exact_match"] == round(2 / 3, 4)  # the third expects "off": it heard "on"
    assert overall["dialogues_passed"] == 1
    # 16 reference words ("21" is "twenty one"); the third transcript differs by one word
    assert overall["word_error_rate"] == round(1 / 16, 4)
    (failure,) = data["failures"]
    assert failure["audio"].endswith("lamp.wav")
    assert failure["got"]["heard"] == ["turn on the reading lamp"]
    assert failure["got"]["commands"] == {"light.reading_lamp": {"state": "on"}}
