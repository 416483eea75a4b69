"""Another recogniser behind the same interface: Vosk, which is not installed here."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from conftest import write_config

from homebrain.cli.main import main
from homebrain.speech.engine import ENGINES, EngineError
from homebrain.speech.vosk_engine import transcript_of


def test_a_missing_package_or_model_says_what_to_do() -> None:
    # vosk is not a dependency: without it the error says what to install; with it, a
    # model directory that is not there is named
    expected = "pip install vosk" if find_spec("vosk") is None else "not a Vosk model"
    with pytest.raises(EngineError, match=expected):
        ENGINES["vosk"](["turn on the lamp"], None, model_dir="/nowhere")


def test_the_daemon_does_not_start_half_configured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, None)
    data = yaml.safe_load(path.read_text())
    data["speech"] = {"engine": "vosk", "options": {"model_dir": str(tmp_path)}}
    data["speech"]["sources"] = [{"type": "mqtt", "site": "kitchen"}]
    path.write_text(yaml.safe_dump(data))
    assert main(["run", "--no-prompt", "--config", str(path)]) == 2
    assert "cannot start" in capsys.readouterr().err


def test_results_become_transcripts() -> None:
    heard = transcript_of(
        {
            "text": "turn on the lamp",
            "result": [{"conf": 1.0}, {"conf": 0.25}, {"conf": 1.0}, {"conf": 1.0}],
        }
    )
    assert heard.text == "turn on the lamp"
    assert heard.confidence == pytest.approx(0.25**0.25)
    assert transcript_of({"text": ""}).confidence == 0.0
