"""Answers out loud: "Which light?", "Unlocking the front door".

A voice assistant that answers only on MQTT is deaf-mute to the person in the
room. espeak-ng renders the answer (``synthesis.synthesize``) as a WAV, which
goes to a local player (aplay, paplay), into a directory (tests, debugging, a
satellite that fetches files) or to a callback (the daemon publishes it on
MQTT for satellites with a speaker). Speaking is a side show: whatever goes
wrong is logged and reported as False, never raised into the dialogue.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import time
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from homebrain.audio.pcm import RATE, WIDTH
from homebrain.speech.synthesis import SynthesisError, Voice, synthesize

log = logging.getLogger("homebrain.speak")

DEFAULT_PLAYER = ("aplay", "-q")  # ALSA, on every Raspberry Pi OS; ["paplay"] for PulseAudio
OUTPUTS = ("command", "file")  # or a callable taking the WAV bytes


def wav_from_samples(samples: np.ndarray) -> bytes:
    """16 kHz mono int16 samples as a complete WAV file in memory."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(WIDTH)
        wav.setframerate(RATE)
        wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())
    return buffer.getvalue()


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-") or "speech"


class Speaker:
    """Says texts in one voice to one output; ``speak`` returns whether it went out.

    ``output`` is ``"command"`` (the WAV piped to ``player``'s stdin), ``"file"``
    (one WAV per answer in ``directory``) or a callable ``publish(wav_bytes)``.
    """

    def __init__(
        self,
        voice: str | Voice = "en-us",
        output: str | Callable[[bytes], object] = "command",
        player: Sequence[str] = DEFAULT_PLAYER,
        directory: str | Path | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.voice = voice if isinstance(voice, Voice) else Voice.parse(voice)
        if isinstance(output, str) and output not in OUTPUTS:
            raise ValueError(
                f"speech output {output!r}: expected one of {', '.join(OUTPUTS)} or a callback"
            )
        if output == "command" and not player:
            raise ValueError("speech output 'command' needs a player command, e.g. aplay -q")
        if output == "file" and directory is None:
            raise ValueError("speech output 'file' needs a directory to write the WAVs into")
        self.output = output
        self.player = list(player)
        self.directory = Path(directory) if directory is not None else None
        self.timeout = timeout
        self.last_path: Path | None = None  # the latest WAV written by the "file" output
        self._count = 0

    def wav_bytes(self, text: str) -> bytes:
        """``text`` as a complete WAV (16 kHz mono 16-bit); raises SynthesisError."""
        return wav_from_samples(synthesize(text, self.voice, self.timeout))

    def speak(self, text: str) -> bool:
        """Say ``text``; True when the audio went out, False (logged) when it could not.

        An empty text says nothing and returns False.
        """
        if not text or not text.strip():
            return False
        try:
            wav = self.wav_bytes(text)
        except SynthesisError as exc:
            log.warning("cannot say %r: %s", text, exc)
            return False
        try:
            if callable(self.output):
                self.output(wav)
                return True
            if self.output == "file":
                return self._write(text, wav)
            return self._play(wav)
        except Exception:  # a broken callback must not take the dialogue down
            log.exception("cannot say %r", text)
            return False

    __call__ = speak

    def _write(self, text: str, wav: bytes) -> bool:
        assert self.directory is not None
        self._count += 1
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{self._count:04d}-{_slug(text)}.wav"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path.write_bytes(wav)
        except OSError as exc:
            log.warning("cannot write the spoken answer to %s: %s", path, exc)
            return False
        self.last_path = path
        return True

    def _play(self, wav: bytes) -> bool:
        limit = (len(wav) - 44) / (RATE * WIDTH) + self.timeout  # playing takes real time
        try:
            result = subprocess.run(
                self.player,
                input=wav,
                capture_output=True,
                timeout=limit,
                check=False,
            )
        except FileNotFoundError:
            log.warning(
                "cannot play the spoken answer: %r is not installed (set another player command)",
                self.player[0],
            )
            return False
        except subprocess.TimeoutExpired:
            log.warning("%s did not finish playing within %.0f s", self.player[0], limit)
            return False
        except OSError as exc:
            log.warning("cannot run %s: %s", self.player[0], exc)
            return False
        if result.returncode != 0:
            error = result.stderr.decode("utf-8", "replace").strip()
            log.warning(
                "%s failed (exit %d)%s",
                " ".join(self.player),
                result.returncode,
                f": {error}" if error else "",
            )
            return False
        return True
