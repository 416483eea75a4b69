"""The daemon's ears: one listening thread per configured audio source.

Each source (a WAV, a raw stream, a microphone, a satellite on MQTT) gets its
own gate (wake word, push-to-talk, "listen again after a question"),
endpointer and recogniser: a pocketsphinx decoder follows one stream, decoding
while the speaker talks. The recognisers share the sentences they are built
from. What is heard goes to ``on_heard`` (the daemon queues it for its worker,
so turns stay in order with text ones). On a config reload the recognisers are
rebuilt with the new home's names and taken up between utterances.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from homebrain.audio.configured import open_source
from homebrain.audio.pcm import AudioFormatError
from homebrain.audio.pushed import PushedSource
from homebrain.audio.sources import AudioSource
from homebrain.config.schema import AudioSourceConfig, HomebrainConfig
from homebrain.speech.build import build_engine, build_listener
from homebrain.speech.listener import Heard, Listener
from homebrain.speech.sentences import language_sentences

if TYPE_CHECKING:
    from homebrain.audio.wakeword import WakeGate  # pymicro-wakeword: only with a wake word

log = logging.getLogger("homebrain.speech")

OnHeard = Callable[[str, Heard], None]


@dataclass
class Ear:
    """One source, the site that hears it, and its listener."""

    site: str
    source: AudioSource
    listener: Listener
    gate: WakeGate | None  # when a wake word is configured
    thread: threading.Thread | None = None
    error: str | None = None  # why it stopped, when it stopped on its own


class SpeechService:
    def __init__(self, config: HomebrainConfig, base: Path, on_heard: OnHeard) -> None:
        self.config = config
        self.base = base
        self.on_heard = on_heard
        self._sentences = language_sentences(config, size=config.speech.sentences)
        self.ears: list[Ear] = []
        self.pushed: dict[str, PushedSource] = {}  # site → its MQTT satellite stream
        self._stopping = threading.Event()
        for entry in config.speech.sources:
            self.ears.append(self._ear(entry))

    @property
    def sites(self) -> list[str]:
        return sorted({ear.site for ear in self.ears})

    def _site(self, entry: AudioSourceConfig) -> str:
        return entry.site or self.config.default_site or "default"

    def _ear(self, entry: AudioSourceConfig) -> Ear:
        site = self._site(entry)
        source: AudioSource
        if entry.type == "mqtt":
            pushed = PushedSource(f"mqtt:{site}")
            self.pushed[site] = pushed
            source = pushed
        else:
            source = open_source(entry, self.base)
        gate = self._gate()
        listener = build_listener(self.config, gate, self._sentences)
        return Ear(site, source, listener, gate)

    def _gate(self) -> WakeGate | None:
        wake = self.config.speech.wake_word
        if wake is None:
            return None
        from homebrain.audio.wakeword import WakeGate, WakeWordDetector

        return WakeGate(WakeWordDetector(wake.model), listen_window=wake.listen_window)

    # ---- lifecycle ------------------------------------------------------------------
    def start(self) -> None:
        for ear in self.ears:
            ear.thread = threading.Thread(
                target=self._listen, args=(ear,), name=f"ear-{ear.site}", daemon=True
            )
            ear.thread.start()
        if self.ears:
            log.info(
                "listening: %s",
                ", ".join(f"{ear.source.name} ({ear.site})" for ear in self.ears),
            )

    def stop(self) -> None:
        self._stopping.set()
        for ear in self.ears:
            close = getattr(ear.source, "close", None)
            if callable(close):
                close()

    def _listen(self, ear: Ear) -> None:
        """Read one source to its end; a broken source is reported, never raised."""
        try:
            for heard in ear.listener.run(ear.source.chunks()):
                if self._stopping.is_set():
                    return
                self.on_heard(ear.site, heard)
        except AudioFormatError as exc:
            ear.error = str(exc)
            log.error("audio source %s stopped: %s", ear.source.name, exc)
        except Exception as exc:  # a recogniser or device failure must not take the daemon
            ear.error = f"{type(exc).__name__}: {exc}"
            log.exception("audio source %s failed", ear.source.name)
        else:
            log.info("audio source %s ended", ear.source.name)

    def reload(self, config: HomebrainConfig) -> None:
        """New names, new sentences: rebuild the recogniser (sources stay as they are)."""
        self.config = config
        self._sentences = language_sentences(config, size=config.speech.sentences)
        for ear in self.ears:
            ear.listener.swap_engine(build_engine(config, self._sentences))

    # ---- from MQTT and the dialogue -------------------------------------------------
    def hearing(self, site: str) -> bool:
        """Whether someone is speaking at ``site`` right now (an utterance in progress)."""
        return any(ear.site == site and ear.listener.endpointer.in_utterance for ear in self.ears)

    def push_audio(self, site: str, payload: bytes) -> bool:
        source = self.pushed.get(site)
        if source is None:
            return False
        return source.push(payload)

    def open(self, site: str, reason: str) -> bool:
        """Listen on ``site`` now without the wake word (push-to-talk, a question asked)."""
        opened = False
        for ear in self.ears:
            if ear.site == site and ear.gate is not None:
                ear.gate.open(reason)
                opened = True
        return opened

    def question_asked(self, site: str) -> None:
        if self.config.speech.listen_after_question:
            self.open(site, "question")
