"""Typed schema of homebrain's YAML config.

Pydantic does the type work; cross-references (rooms, profiles, files) are
checked afterwards in ``loader`` so every problem can be reported at once with
the file, line and key path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from homebrain.domains import DOMAINS

ENTITY_ID = re.compile(r"^([a-z_]+)\.([a-z0-9_]+)$")
SLUG = re.compile(r"^[a-z0-9_]+$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TlsConfig(Strict):
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    insecure: bool = False


class MqttConfig(Strict):
    embedded: bool = Field(False, description="run an in-process broker (amqtt) on host:port")
    host: str = "localhost"
    port: int = Field(1883, ge=1, le=65535)
    username: str | None = None
    password: str | None = None
    password_file: Path | None = None
    tls: TlsConfig | None = None
    client_id: str = "homebrain"
    topic_prefix: str = "homebrain"
    keepalive: int = Field(30, ge=5, le=3600)
    reconnect_min_delay: float = Field(0.5, gt=0, le=60)
    reconnect_max_delay: float = Field(30.0, gt=0, le=3600)
    max_command_age: float = Field(
        30.0, gt=0, description="seconds a command may wait for the broker before it is failed"
    )

    @field_validator("topic_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not value or any(c in value for c in "#+") or value.startswith("/"):
            raise ValueError("a topic prefix without wildcards or a leading '/'")
        return value.rstrip("/")


class RoomConfig(Strict):
    name: str | None = None
    aliases: list[str] = []
    floor: str | None = None


class SiteConfig(Strict):
    room: str | None = None
    name: str | None = None
    rooms: list[str] = Field(
        [],
        description="instead of room: the rooms a site hears (open plan); a camera that "
        "sees the speaker in one of them decides",
    )


class DeviceConfig(BaseModel):
    """A device: the common keys here, the profile's own keys kept as extras."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str
    name: str | None = None
    aliases: list[str] = []
    room: str | None = None
    profile: str
    sensitive: bool | None = None
    device_class: str | None = None

    @field_validator("id")
    @classmethod
    def _entity_id(cls, value: str) -> str:
        match = ENTITY_ID.match(value)
        if not match:
            raise ValueError("an entity id 'domain.object_id' in lower case, e.g. light.kitchen")
        if match.group(1) not in DOMAINS:
            raise ValueError(f"a domain among {', '.join(DOMAINS)} before the dot")
        return value

    @property
    def domain(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def object_id(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def profile_fields(self) -> dict[str, Any]:
        return dict(self.model_extra or {})

    @property
    def is_sensitive(self) -> bool:
        """Locks and garage doors are sensitive unless the user explicitly says otherwise."""
        if self.sensitive is not None:
            return self.sensitive
        return self.domain == "lock" or (self.domain == "cover" and self.device_class == "garage")


class SimulateConfig(Strict):
    enabled: bool = False


class DialogueConfig(Strict):
    question_timeout: float = Field(15.0, gt=0)
    referent_timeout: float = Field(300.0, gt=0)


class HermesConfig(Strict):
    """The Snips/Hermes MQTT protocol, for Rhasspy-style tools and skills written for it."""

    enabled: bool = Field(
        False,
        description="publish understood intents on hermes/intent/<name> and take text "
        "from hermes/nlu/query",
    )


class UnderstandingConfig(Strict):
    recogniser: str = Field(
        "model", description="model (the learned model, the default) or grammar (rules)"
    )
    model: Path | None = Field(None, description="model bundle directory; default: the shipped one")
    min_confidence: float = Field(0.5, ge=0, le=1)

    @field_validator("recogniser")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in ("grammar", "model"):
            raise ValueError("'grammar' or 'model'")
        return value


class IntentActionConfig(Strict):
    """What a custom intent does: one MQTT message (see homebrain/actions/custom.py)."""

    topic: str = Field(description="MQTT topic, used as given (a Jinja template may read slots)")
    payload: Any = Field(
        None,
        description="a Jinja template string, or a mapping/list whose strings are templates; "
        "default: every slot as a JSON object",
    )
    retain: bool = False
    qos: int = Field(1, ge=0, le=2)


class IntentConfig(Strict):
    """A custom intent: sentence templates, slot values with synonyms, an action.

    Slots stay loosely typed here (``dict[str, Any]``) on purpose: the loader
    checks them with homebrain.actions.custom, which reports the exact key path
    ("intents[0 order_coffee].slots.milk.skinny") instead of pydantic's
    union-branch names.
    """

    name: str
    templates: list[str]
    slots: dict[str, Any] = {}
    defaults: dict[str, Any] = Field(
        {}, description="values for slots a sentence leaves out (else the dialogue asks)"
    )
    questions: dict[str, str] = Field({}, description="how to ask for a missing slot")
    action: IntentActionConfig
    response: str | None = Field(None, description="what to say back (Jinja template)")

    @field_validator("templates", mode="before")
    @classmethod
    def _one_template(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


AUDIO_SOURCE_TYPES = ("wav", "raw", "mqtt", "mic")


class EndpointConfig(Strict):
    """When an utterance starts and ends (homebrain/audio/endpoint.py says how)."""

    threshold: float = Field(0.5, gt=0, lt=1, description="speech probability that starts one")
    min_speech: float = Field(0.25, ge=0, description="seconds; shorter sounds are ignored")
    trailing_silence: float = Field(0.5, gt=0, description="seconds of quiet that end one")
    max_utterance: float = Field(10.0, gt=0, description="seconds; longer is cut there")
    pre_roll: float = Field(0.3, ge=0, description="seconds kept from before the start")


class AudioSourceConfig(Strict):
    """One stream of audio and the site (room) that hears it."""

    type: str = Field(
        description="wav (a file), raw (PCM from a file, FIFO or '-' for stdin), "
        "mqtt (chunks on <prefix>/<site>/audio) or mic (PyAudio)"
    )
    site: str | None = Field(None, description="default: the default site")
    path: Path | None = Field(None, description="wav and raw: the file, FIFO or '-'")
    rate: int = Field(16000, ge=4000, le=384000, description="raw: samples per second")
    channels: int = Field(1, ge=1, le=32, description="raw: channels")
    width: int = Field(2, description="raw: bytes per sample (1, 2, 3 or 4)")
    device: str | int | None = Field(None, description="mic: a device name (part of it) or index")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in AUDIO_SOURCE_TYPES:
            raise ValueError(f"one of {', '.join(AUDIO_SOURCE_TYPES)}")
        return value


class WakeWordConfig(Strict):
    model: str = Field(description="okay_nabu, hey_jarvis, hey_mycroft or alexa")
    listen_window: float = Field(
        8.0, gt=0, description="seconds after the wake word in which speech must start"
    )


class SpeakConfig(Strict):
    """Answers out loud with espeak-ng (off by default)."""

    enabled: bool = False
    voice: str = Field("en-us", description="an espeak-ng voice, e.g. en-us or en-us+f2")
    output: str = Field(
        "mqtt", description="mqtt (a WAV on <prefix>/<site>/speech), command or file"
    )
    command: list[str] = Field(["aplay", "-q"], description="output command: the WAV player")
    directory: Path | None = Field(None, description="output file: where WAVs are written")

    @field_validator("output")
    @classmethod
    def _output(cls, value: str) -> str:
        if value not in ("mqtt", "command", "file"):
            raise ValueError("'mqtt', 'command' or 'file'")
        return value


class SpeechConfig(Strict):
    """Audio in: sources, endpointing, wake word and the speech recogniser."""

    engine: str = Field("pocketsphinx", description="the speech recogniser (see homebrain.speech)")
    options: dict[str, Any] = Field({}, description="extra settings for the engine")
    sentences: int = Field(
        20_000, ge=100, le=500_000, description="corpus sentences its language model is built from"
    )
    min_confidence: float = Field(
        0.2,
        ge=0,
        le=1,
        description="recogniser confidence (per word, 0-1) below which an utterance is "
        "ignored (not answered)",
    )
    sure_above: float = Field(
        0.45,
        gt=0,
        le=1,
        description="recogniser confidence counted as certain; below it a sensitive device "
        "(a lock) asks to hear it again",
    )
    sources: list[AudioSourceConfig] = []
    endpoint: EndpointConfig = EndpointConfig()
    wake_word: WakeWordConfig | None = Field(None, description="default: no wake word")
    listen_after_question: bool = Field(
        True, description="after homebrain asks something, listen without the wake word"
    )
    speak: SpeakConfig = SpeakConfig()


CAMERA_SOURCE_TYPES = ("folder", "opencv", "picamera2")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)-([01]?\d|2[0-4]):([0-5]\d)$")


def _box(value: list[float]) -> list[float]:
    """A point [x, y] or a box [x0, y0, x1, y1] in the picture, each 0-1 from the top left."""
    if len(value) not in (2, 4):
        raise ValueError("a point [x, y] or a box [x0, y0, x1, y1], each between 0 and 1")
    if any(not 0.0 <= v <= 1.0 for v in value):
        raise ValueError("coordinates between 0 and 1 (fractions of the width and height)")
    if len(value) == 4 and (value[0] > value[2] or value[1] > value[3]):
        raise ValueError("a box [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1")
    return value


class CameraSourceConfig(Strict):
    """Where a camera's frames come from."""

    type: str = Field(
        description="folder (images in a directory), opencv (a USB camera index or "
        "/dev/video*, an RTSP/HTTP URL or a video file) or picamera2 (a Pi camera)"
    )
    path: str | None = Field(None, description="folder: the directory; opencv: a file or URL")
    device: int | None = Field(None, ge=0, description="opencv: a camera index; picamera2: which")
    loop: bool = Field(False, description="folder and video files: start again at the end")

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        if value not in CAMERA_SOURCE_TYPES:
            raise ValueError(f"one of {', '.join(CAMERA_SOURCE_TYPES)}")
        return value


class MotionConfig(Strict):
    """Frame differencing that decides when the landmark models run at all."""

    enabled: bool = True
    threshold: float = Field(
        0.01, gt=0, lt=1, description="fraction of the picture that must change"
    )
    sensitivity: int = Field(25, ge=1, le=255, description="grey-level change that counts")
    hold: float = Field(2.0, ge=0, description="seconds the models keep running after motion")


class CameraConfig(Strict):
    """One camera: its source, the room it watches, zones and where devices are in it."""

    source: CameraSourceConfig
    room: str | None = Field(None, description="the room it watches")
    enabled: bool = True
    schedule: list[str] = Field(
        [], description="times it may look, e.g. ['07:00-23:00'] (default: always)"
    )
    width: int = Field(640, ge=64, le=4096)
    height: int = Field(480, ge=48, le=4096)
    fps: float = Field(5.0, gt=0, le=60)
    motion: MotionConfig = MotionConfig()
    zones: dict[str, list[float]] = Field(
        {}, description="named boxes [x0, y0, x1, y1] in the picture (0-1)"
    )
    devices: dict[str, list[float]] = Field(
        {}, description="entity id → where it appears: a point [x, y] or a box (0-1)"
    )
    debug_dir: Path | None = Field(
        None, description="only for debugging: store analysed frames here (off by default)"
    )

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: list[str]) -> list[str]:
        for item in value:
            if not _HHMM.match(item.replace(" ", "")):
                raise ValueError(f"{item!r}: expected 'HH:MM-HH:MM', e.g. '07:00-23:00'")
        return [item.replace(" ", "") for item in value]

    @field_validator("zones", "devices")
    @classmethod
    def _boxes(cls, value: dict[str, list[float]]) -> dict[str, list[float]]:
        for key, box in value.items():
            try:
                _box(box)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return value


class VisionConfig(Strict):
    """Cameras, and how what they see joins a spoken or typed turn."""

    cameras: dict[str, CameraConfig] = {}
    threads: int = Field(1, ge=1, le=16, description="threads each landmark model may use")
    hands: bool = Field(True, description="run the hand models (gestures, finger pointing)")
    tiles: int = Field(
        1,
        ge=1,
        le=4,
        description="also look for people in an N×N grid of parts of the frame: finds "
        "people far from a wide camera, at several times the cost (1: the whole frame only)",
    )
    max_age: float = Field(
        3.0, gt=0, description="seconds a camera's last scene still counts for a turn"
    )
    gesture_turns: bool = Field(
        True,
        description="a thumbs-up, thumbs-down or open palm answers a pending question "
        "without words",
    )

    @field_validator("cameras")
    @classmethod
    def _names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not SLUG.match(str(key)):
                raise ValueError(
                    f"camera names of lower-case letters, digits and '_' (got {key!r})"
                )
        return value


class HomebrainConfig(Strict):
    mqtt: MqttConfig = MqttConfig()
    rooms: dict[str, RoomConfig] = {}
    sites: dict[str, SiteConfig] = {}
    devices: list[DeviceConfig] = []
    default_site: str | None = None
    simulate: bool = Field(False, description="run simulated devices inside the daemon (demo)")
    profile_dirs: list[Path] = []
    dialogue: DialogueConfig = DialogueConfig()
    understanding: UnderstandingConfig = UnderstandingConfig()
    hermes: HermesConfig = HermesConfig()
    speech: SpeechConfig = SpeechConfig()
    vision: VisionConfig = VisionConfig()
    responses: dict[str, str] = {}
    intents: list[IntentConfig] = Field(
        [], description="custom intents: templates, slot values, an MQTT action"
    )
    log_level: str = "INFO"

    @property
    def custom_intents(self) -> list[dict[str, Any]]:
        """The custom intents as the training corpus takes them (``generate_corpus`` reads this).

        Spoken forms include the number forms the matcher hears ("2" and "two"
        for a value 2), so a model trained on them hears the same sentences.
        """
        from homebrain.understanding.custom import build_specs  # late: it imports this module

        return [spec.corpus_form() for spec in build_specs(self.intents)]

    @field_validator("rooms", "sites")
    @classmethod
    def _slugs(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not SLUG.match(str(key)):
                raise ValueError(f"ids of lower-case letters, digits and '_' (got {key!r})")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        levels = ("DEBUG", "INFO", "WARNING", "ERROR")
        if value.upper() not in levels:
            raise ValueError(f"one of {', '.join(levels)}")
        return value.upper()
