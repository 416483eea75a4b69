"""The speech section of a config: every problem named with its key path, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_config import BASE, problems

from homebrain.cli.main import main
from homebrain.config.loader import load_config


def test_a_good_speech_section_loads(tmp_path: Path) -> None:
    (tmp_path / "talk.wav").write_bytes(b"")
    path = tmp_path / "home.yaml"
    path.write_text(
        BASE
        + """\
speech:
  sources:
    - {type: wav, path: talk.wav, site: kitchen}
    - {type: mqtt, site: kitchen}
    - {type: raw, path: "-", rate: 48000, channels: 2, site: kitchen}
  wake_word: {model: okay_nabu}
  endpoint: {trailing_silence: 0.8}
"""
    )
    speech = load_config(path).config.speech
    assert [s.type for s in speech.sources] == ["wav", "mqtt", "raw"]
    assert speech.wake_word is not None and speech.wake_word.model == "okay_nabu"
    assert speech.endpoint.trailing_silence == 0.8 and speech.engine == "pocketsphinx"


@pytest.mark.parametrize(
    ("speech", "expected"),
    [
        ("{engine: whisperx}", "speech.engine: 'whisperx' is not a speech engine"),
        ("{sources: [{type: wav, path: gone.wav, site: kitchen}]}", "'gone.wav': no such file"),
        ("{sources: [{type: wav, site: kitchen}]}", "a wav source needs a path"),
        ("{sources: [{type: mqtt, site: attic}]}", "'attic' is not a site"),
        ("{sources: [{type: mqtt}]}", "which site hears it?"),
        ("{sources: [{type: tape, site: kitchen}]}", "one of wav, raw, mqtt, mic"),
        ("{sources: [{type: raw, path: '-', width: 5, site: kitchen}]}", "expected 1, 2, 3 or 4"),
        ("{wake_word: {model: hey_siri}}", "'hey_siri' is not a wake word"),
        ("{endpoint: {threshold: 1.5}}", "speech.endpoint.threshold"),
        ("{endpoint: {max_utterance: 0.1}}", "expected more than min_speech"),
    ],
)
def test_speech_problems_name_the_key(tmp_path: Path, speech: str, expected: str) -> None:
    found = problems(tmp_path, BASE + f"speech: {speech}\n")
    assert any(expected in p for p in found), found


def test_check_config_shows_where_it_listens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "home.yaml"
    path.write_text(
        BASE
        + """\
speech:
  sources: [{type: mqtt, site: kitchen}, {type: raw, path: "-", rate: 8000, site: kitchen}]
  wake_word: {model: alexa}
"""
    )
    assert main(["check-config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "wake word alexa" in out and "homebrain/kitchen/audio" in out
    assert "8000 Hz, 1 ch, 16-bit" in out
