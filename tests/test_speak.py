"""Spoken answers with real espeak-ng: every output, and no crash whatever goes wrong."""

from __future__ import annotations

import io
import logging
import wave
from pathlib import Path

import pytest

from homebrain.speech.speak import Speaker
from homebrain.speech.synthesis import Voice


def check_wav(data: bytes) -> float:
    """The seconds of a 16 kHz mono 16-bit WAV; fails on anything else."""
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
        return wav.getnframes() / wav.getframerate()


def test_wav_bytes_is_a_complete_wav() -> None:
    assert 0.5 < check_wav(Speaker("en-us+f2").wav_bytes("Which light?")) < 3.0


def test_file_output_writes_a_wav_per_answer(tmp_path: Path) -> None:
    speaker = Speaker("en-us", "file", directory=tmp_path / "said")
    assert speaker.speak("Which light?")
    assert speaker.speak("Unlocking the front door")
    files = sorted((tmp_path / "said").glob("*.wav"))
    assert len(files) == 2 and speaker.last_path == files[1]
    assert "unlocking-the-front-door" in files[1].name
    assert check_wav(files[1].read_bytes()) > 1.0


def test_command_output_pipes_the_wav_to_the_player(tmp_path: Path) -> None:
    played = tmp_path / "played.wav"
    speaker = Speaker(Voice("en-us", "m3"), "command", player=["sh", "-c", f"cat > '{played}'"])
    assert speaker.speak("The kitchen light is on")
    assert check_wav(played.read_bytes()) > 1.0


def test_a_missing_player_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    speaker = Speaker("en-us", "command", player=["no-such-player-homebrain", "-q"])
    with caplog.at_level(logging.WARNING, logger="homebrain.speak"):
        assert speaker.speak("hello") is False
    assert "no-such-player-homebrain" in caplog.text and "not installed" in caplog.text


def test_a_failing_player_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    speaker = Speaker("en-us", "command", player=["sh", "-c", "echo no sound card >&2; exit 3"])
    with caplog.at_level(logging.WARNING, logger="homebrain.speak"):
        assert speaker.speak("hello") is False
    assert "exit 3" in caplog.text and "no sound card" in caplog.text


def test_the_callback_gets_wav_bytes() -> None:
    got: list[bytes] = []
    assert Speaker("en-us", got.append).speak("Set the heating to twenty one degrees")
    assert len(got) == 1 and check_wav(got[0]) > 1.5


def test_a_failing_callback_or_voice_returns_false(caplog: pytest.LogCaptureFixture) -> None:
    def broken(_: bytes) -> None:
        raise ConnectionError("broker gone")

    with caplog.at_level(logging.WARNING, logger="homebrain.speak"):
        assert Speaker("en-us", broken).speak("hello") is False
        assert Speaker("no-such-voice", lambda _: None).speak("hello") is False
    assert "broker gone" in caplog.text and "no-such-voice" in caplog.text


def test_missing_espeak_returns_false(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert Speaker("en-us", "file", directory=tmp_path).speak("hello") is False
    assert not list(tmp_path.glob("*.wav"))


def test_empty_text_does_nothing(tmp_path: Path) -> None:
    got: list[bytes] = []
    assert Speaker("en-us", got.append).speak("  ") is False
    assert Speaker("en-us", "file", directory=tmp_path).speak("") is False
    assert not got and not list(tmp_path.iterdir())


def test_a_misconfigured_output_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="expected one of"):
        Speaker("en-us", "speakers")
    with pytest.raises(ValueError, match="directory"):
        Speaker("en-us", "file")
    with pytest.raises(ValueError, match="player"):
        Speaker("en-us", "command", player=[])
