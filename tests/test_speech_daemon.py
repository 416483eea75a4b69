"""Speech through the running daemon: WAV and satellite audio in, device commands out,
via a real Mosquitto, real Silero VAD and real pocketsphinx on espeak-ng speech."""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import write_config
from mqtt_helpers import Mosquitto, Recorder, wait_until

from homebrain.config.loader import load_config
from homebrain.daemon import Daemon
from homebrain.speech.synthesis import Voice, noise_floor, utterance

VOICE = Voice.parse("en-us")


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def conversation(*turns: str, gap: float = 1.5) -> np.ndarray:
    """Turns said one after another with a pause of room noise between them."""
    rng = np.random.default_rng(7)
    parts: list[np.ndarray] = []
    for text in turns:
        parts += [utterance(text, VOICE, rng), noise_floor(int(gap * 16000), rng=rng)]
    return np.concatenate(parts).astype(np.int16)


def stream(recorder: Recorder, topic: str, samples: np.ndarray) -> None:
    """Audio in 100 ms pieces, as a satellite streams it."""
    raw = samples.astype("<i2").tobytes()
    step = 16000 * 2 // 10
    for offset in range(0, len(raw), step):
        recorder.publish(topic, raw[offset : offset + step])


def speech_config(
    tmp_path: Path, broker: Mosquitto, sources: list[dict[str, object]], **speech: object
) -> Path:
    path = write_config(tmp_path, broker, reconnect_min_delay=0.2, reconnect_max_delay=1.0)
    data = yaml.safe_load(path.read_text())
    data["speech"] = {"sources": sources, "sentences": 6000, **speech}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def started(config: Path, running: list[Daemon]) -> Daemon:
    """The daemon on ``config``, connected; stopped by the ``running`` fixture."""
    d = Daemon(load_config(config))
    running.append(d)
    d.start()
    assert d.link.wait_connected(10)
    return d


@pytest.fixture
def running(request: pytest.FixtureRequest) -> Iterator[list[Daemon]]:
    started: list[Daemon] = []
    yield started
    for d in started:
        d.stop()


def test_a_two_turn_wav_sets_the_thermostat(
    tmp_path: Path, mosquitto: Mosquitto, recorder: Recorder, running: list[Daemon]
) -> None:
    wav = write_wav(tmp_path / "talk.wav", conversation("set the heating", "twenty one degrees"))
    config = speech_config(tmp_path, mosquitto, [{"type": "wav", "path": str(wav)}])
    d = started(config, running)
    asked = recorder.wait_for("homebrain/living_room/intent", timeout=30)
    first = json.loads(asked.payload)
    assert first["asr"]["text"] == "set the heating" and first["outcome"] == "ask"
    assert first["commands"] == []
    # the answer, heard in the same stream, completes the command on the real thermostat
    assert wait_until(
        lambda: d.mirror.get("climate.living_room").get("temperature") == 21, timeout=30
    )
    answered = recorder.wait_for(
        "homebrain/living_room/intent",
        predicate=lambda m: json.loads(m.payload)["outcome"] == "action",
    )
    second = json.loads(answered.payload)
    assert second["asr"]["text"] == "twenty one degrees"
    assert second["commands"] == [{"entity_id": "climate.living_room", "temperature": 21}]
    assert len(d.speech_latencies) == 2


def test_a_satellite_streams_audio_over_mqtt(
    tmp_path: Path, mosquitto: Mosquitto, recorder: Recorder, running: list[Daemon]
) -> None:
    config = speech_config(
        tmp_path,
        mosquitto,
        [{"type": "mqtt", "site": "kitchen"}],
        speak={"enabled": True, "output": "mqtt"},
    )
    d = started(config, running)
    assert wait_until(lambda: d.speech is not None and "kitchen" in d.speech.pushed)
    # a broken payload is logged and skipped; the stream goes on
    recorder.publish("homebrain/kitchen/audio", b"\x01\x02\x03")
    stream(recorder, "homebrain/kitchen/audio", conversation("turn on the kitchen light"))
    command = recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set", timeout=30)
    assert json.loads(command.payload)["state"] == "ON"
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["asr"]["text"] == "turn on the kitchen light"
    assert d.speech is not None and d.speech.pushed["kitchen"].dropped == 1
    # the answer, spoken by espeak-ng, comes back as a WAV for the satellite to play
    spoken = recorder.wait_for("homebrain/kitchen/speech", timeout=10)
    with wave.open(io.BytesIO(spoken.payload)) as answer:
        assert answer.getframerate() == 16000 and answer.getnframes() > 16000 // 2


def test_noise_alone_does_nothing_and_a_bad_wav_is_reported(
    tmp_path: Path, mosquitto: Mosquitto, recorder: Recorder, running: list[Daemon]
) -> None:
    hiss = (noise_floor(16000 * 4, rms=800.0, rng=np.random.default_rng(1))).astype(np.int16)
    noise = write_wav(tmp_path / "hiss.wav", hiss)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    config = speech_config(
        tmp_path,
        mosquitto,
        [
            {"type": "wav", "path": str(noise)},
            {"type": "wav", "path": str(broken), "site": "bedroom"},
        ],
    )
    d = started(config, running)
    assert d.speech is not None
    ears = d.speech.ears
    assert wait_until(lambda: all(e.thread is not None and not e.thread.is_alive() for e in ears))
    assert ears[0].error is None and "broken.wav" in (ears[1].error or "")
    assert d.healthy()  # the daemon itself goes on
    recorder.publish("homebrain/kitchen/text", "turn on the kitchen light")
    recorder.wait_for("zigbee2mqtt/kitchen_ceiling/set")
    assert recorder.on("homebrain/living_room/intent") == []


def test_wake_word_push_to_talk_and_listening_after_a_question(
    tmp_path: Path, mosquitto: Mosquitto, recorder: Recorder, running: list[Daemon]
) -> None:
    config = speech_config(
        tmp_path,
        mosquitto,
        [{"type": "mqtt", "site": "kitchen"}],
        wake_word={"model": "okay_nabu"},
    )
    d = started(config, running)
    assert wait_until(lambda: d.speech is not None and "kitchen" in d.speech.pushed)
    topic = "homebrain/kitchen/audio"
    # without the wake word a command is not for us
    stream(recorder, topic, conversation("turn on the kitchen light"))
    # push-to-talk opens the ears once
    recorder.publish("homebrain/kitchen/listen", b"")
    stream(recorder, topic, conversation("turn off the reading lamp"))
    recorder.wait_for("homebrain/kitchen/intent", timeout=30)
    assert recorder.on("zigbee2mqtt/kitchen_ceiling/set") == []
    # the wake word, then a question back: the answer needs no wake word
    stream(recorder, topic, conversation("okay nabu", "set the heating", gap=0.8))
    recorder.wait_for(
        "homebrain/kitchen/intent",
        timeout=30,
        predicate=lambda m: json.loads(m.payload)["outcome"] == "ask",
    )
    stream(recorder, topic, conversation("twenty one degrees"))
    assert wait_until(
        lambda: d.mirror.get("climate.living_room").get("temperature") == 21, timeout=30
    )
    heard = [json.loads(m.payload)["asr"]["text"] for m in recorder.on("homebrain/kitchen/intent")]
    assert heard == ["turn off the reading lamp", "set the heating", "twenty one degrees"]
    assert len(recorder.on("cmnd/reading_lamp/POWER")) == 1


def test_a_reload_teaches_the_recogniser_new_names(
    tmp_path: Path, mosquitto: Mosquitto, recorder: Recorder, running: list[Daemon]
) -> None:
    config = speech_config(tmp_path, mosquitto, [{"type": "mqtt", "site": "kitchen"}])
    d = started(config, running)
    assert wait_until(lambda: d.speech is not None and "kitchen" in d.speech.pushed)
    data = yaml.safe_load(config.read_text())
    data["devices"].append(
        {
            "id": "fan.punkah",
            "name": "Punkah",
            "room": "kitchen",
            "profile": "zigbee2mqtt",
            "friendly_name": "punkah",
        }
    )
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    assert d.reload()
    # "punkah" is in no dictionary: espeak-ng pronounced it for the rebuilt recogniser
    stream(recorder, "homebrain/kitchen/audio", conversation("turn on the punkah"))
    command = recorder.wait_for("zigbee2mqtt/punkah/set", timeout=30)
    intent = json.loads(recorder.wait_for("homebrain/kitchen/intent").payload)
    assert intent["asr"]["text"] == "turn on the punkah"
    assert intent["commands"] == [{"entity_id": "fan.punkah", "state": "on"}]
    assert json.loads(command.payload)  # the fan's own Zigbee2MQTT payload
