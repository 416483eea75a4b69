"""Speech and noise made on this machine, for audio tests, benchmarks and spoken answers.

Recording people is slow and private; espeak-ng (Debian main, already needed for
pronunciations) says any sentence in many voices in milliseconds, so evaluation
files can be turned into audio whenever the sentences change. Clean synthetic
speech is too easy, and digital silence decodes badly in pocketsphinx, so every
clip gets a faint noise floor, optionally pink noise at a chosen SNR, and
"TV-like" babble for measuring actions nobody asked for. numpy only.

Voice sets (``VOICE_SETS``) keep tuning honest: tune on ``develop``, report on
``heldout``, which shares no variant with ``develop``. Pocketsphinx's acoustic
model is US English, so both sets are mostly ``en-us``:

* ``develop``: en-us (the default voice), en-us+m3, en-us+f2, en-us+m5 (slow,
  140 wpm), en-us+f4 (fast, 185 wpm), en-us+klatt (low pitch 35),
  en-us+m1 (175 wpm, pitch 60), and one British voice, en-gb+m7.
* ``heldout``: en-us+m2 (150 wpm), en-us+m4 (170 wpm, pitch 45), en-us+f1,
  en-us+f3 (150 wpm, pitch 60), en-us+f5 (175 wpm), en-us+klatt3, and two
  other accents: en-us-nyc+m6 and en-gb-scotland+klatt2.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from homebrain.audio.pcm import RATE, AudioFormatError, PcmFormat, to_speech_pcm

NOISE_FLOOR_RMS = 33.0  # int16 RMS, about -60 dBFS: a quiet room through a cheap microphone
DEFAULT_SPEED = 160  # espeak-ng words per minute (its own default is 175: a little hurried)
DEFAULT_PITCH = 50  # espeak-ng 0-99
_FRAME = RATE // 50  # 20 ms frames for the active speech level
_ACTIVE_DB = 30.0  # frames within this many dB of the loudest one count as speech
_INT16_MAX = 32767.0
_PINK_LOW_HZ = 20.0  # pink noise starts here (a microphone's high-pass)


class SynthesisError(RuntimeError):
    """espeak-ng is missing, refused the voice or said nothing; the message says which."""


@dataclass(frozen=True)
class Voice:
    """One espeak-ng voice: a language voice, an optional variant, speed and pitch.

    Frozen and hashable so sets of voices and caches keyed by voice just work.
    """

    name: str  # espeak-ng voice, e.g. "en-us", "en-gb-scotland"
    variant: str | None = None  # e.g. "m3", "f2", "klatt" (espeak-ng --voices=variant)
    speed: int = DEFAULT_SPEED  # words per minute
    pitch: int = DEFAULT_PITCH  # 0-99

    @property
    def spec(self) -> str:
        """What espeak-ng's ``-v`` takes: ``en-us+f2``."""
        return f"{self.name}+{self.variant}" if self.variant else self.name

    @property
    def label(self) -> str:
        """A file-name-safe name that tells voices apart (``en-us_f2_s180_p60``)."""
        parts = [self.name, *([self.variant] if self.variant else [])]
        if self.speed != DEFAULT_SPEED:
            parts.append(f"s{self.speed}")
        if self.pitch != DEFAULT_PITCH:
            parts.append(f"p{self.pitch}")
        return "_".join(p.replace("+", "-").replace("/", "-") for p in parts)

    def __str__(self) -> str:
        extra = ""
        if self.speed != DEFAULT_SPEED or self.pitch != DEFAULT_PITCH:
            extra = f"@{self.speed}" + (f":{self.pitch}" if self.pitch != DEFAULT_PITCH else "")
        return self.spec + extra

    @classmethod
    def parse(cls, text: str) -> Voice:
        """``NAME[+VARIANT][@SPEED[:PITCH]]``, as people type voices on a command line.

        ``str(voice)`` gives this form back, so voices round-trip through text.
        """
        spec, _, tuning = text.strip().partition("@")
        name, _, variant = spec.partition("+")
        if not name:
            raise ValueError(f"{text!r}: no voice name (e.g. en-us or en-us+f2)")
        speed, pitch = DEFAULT_SPEED, DEFAULT_PITCH
        if tuning:
            speed_text, _, pitch_text = tuning.partition(":")
            try:
                speed = int(speed_text)
                pitch = int(pitch_text) if pitch_text else DEFAULT_PITCH
            except ValueError:
                raise ValueError(
                    f"{text!r}: expected NAME[+VARIANT][@SPEED[:PITCH]], e.g. en-us+f2@180:60"
                ) from None
        if not 80 <= speed <= 450:
            raise ValueError(f"{text!r}: speed {speed} is outside espeak-ng's 80-450 wpm")
        if not 0 <= pitch <= 99:
            raise ValueError(f"{text!r}: pitch {pitch} is outside espeak-ng's 0-99")
        return cls(name, variant or None, speed, pitch)


DEFAULT_VOICE = Voice("en-us")

VOICE_SETS: dict[str, list[Voice]] = {
    # used while developing and tuning: anything may be fitted to these
    "develop": [
        Voice("en-us"),
        Voice("en-us", "m3"),
        Voice("en-us", "f2"),
        Voice("en-us", "m5", speed=140),
        Voice("en-us", "f4", speed=185),
        Voice("en-us", "klatt", pitch=35),
        Voice("en-us", "m1", speed=175, pitch=60),
        Voice("en-gb", "m7"),
    ],
    # never listened to while developing: no variant in common with "develop"
    "heldout": [
        Voice("en-us", "m2", speed=150),
        Voice("en-us", "m4", speed=170, pitch=45),
        Voice("en-us", "f1"),
        Voice("en-us", "f3", speed=150, pitch=60),
        Voice("en-us", "f5", speed=175),
        Voice("en-us", "klatt3"),
        Voice("en-us-nyc", "m6"),
        Voice("en-gb-scotland", "klatt2"),
    ],
}


def voices_named(names: Sequence[str]) -> list[Voice]:
    """Set names (``develop``, ``heldout``) and voice specs, in order, without repeats."""
    out: list[Voice] = []
    for name in names:
        for voice in VOICE_SETS.get(name) or [Voice.parse(name)]:
            if voice not in out:
                out.append(voice)
    return out


def _espeak() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise SynthesisError(
            "espeak-ng is not installed: it makes the test speech and spoken answers "
            "(apt install espeak-ng)"
        )
    return path


def _listing(kind: str) -> list[list[str]]:
    """The rows of ``espeak-ng --voices[=kind]``, split into fields, header left out."""
    command = [_espeak(), f"--voices={kind}" if kind else "--voices"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SynthesisError(f"cannot list espeak-ng's voices ({exc})") from exc
    return [line.split() for line in result.stdout.splitlines()[1:] if line.strip()]


@cache
def known_variants() -> frozenset[str]:
    """Variant names espeak-ng has (``m3``, ``klatt``...): it ignores unknown ones silently."""
    return frozenset(f[3:] for row in _listing("variant") for f in row if f.startswith("!v/"))


@cache
def known_voices() -> frozenset[str]:
    """Voice names ``-v`` takes (``en-us``, ``gmw/en-us``), lower case.

    Given the text on stdin, espeak-ng speaks an unknown voice in its default
    one without a word, so a typo would quietly make every clip the same voice.
    """
    names: set[str] = set()
    for row in _listing(""):
        if len(row) >= 5:
            names.update((row[1].lower(), row[4].lower()))
        names.update(code.lower() for code in re.findall(r"\(([\w-]+) \d+\)", " ".join(row)))
    return frozenset(names)


def check_voice(voice: Voice) -> None:
    """Raise SynthesisError unless espeak-ng has ``voice``'s name and variant."""
    if voice.name.lower() not in known_voices():
        raise SynthesisError(
            f"espeak-ng has no voice {voice.name!r} (espeak-ng --voices lists them)"
        )
    if voice.variant and voice.variant not in known_variants():
        raise SynthesisError(
            f"espeak-ng has no variant {voice.variant!r} (espeak-ng --voices=variant lists them)"
        )


def _wav_samples(data: bytes, where: str) -> np.ndarray:
    """espeak-ng's ``--stdout`` WAV → 16 kHz int16.

    Its header cannot know the length in advance (the sizes read 0x7ffff000), so
    the ``wave`` module would call it truncated; the data chunk runs to the end.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SynthesisError(f"{where}: espeak-ng wrote no WAV")
    offset = 12
    fmt: PcmFormat | None = None
    while offset + 8 <= len(data):
        chunk, size = (
            data[offset : offset + 4],
            int.from_bytes(data[offset + 4 : offset + 8], "little"),
        )
        body = offset + 8
        if chunk == b"fmt ":
            channels = int.from_bytes(data[body + 2 : body + 4], "little")
            rate = int.from_bytes(data[body + 4 : body + 8], "little")
            bits = int.from_bytes(data[body + 14 : body + 16], "little")
            fmt = PcmFormat(rate, bits // 8, channels)
        elif chunk == b"data":
            if fmt is None:
                break
            try:
                return to_speech_pcm(data[body:], fmt, where)
            except AudioFormatError as exc:
                raise SynthesisError(str(exc)) from exc
        offset = body + size + (size & 1)
    raise SynthesisError(f"{where}: espeak-ng's WAV has no format or no data")


def synthesize(text: str, voice: Voice = DEFAULT_VOICE, timeout: float = 30.0) -> np.ndarray:
    """``text`` said by ``voice``: 16 kHz mono int16, as every audio stage reads.

    The text goes in on stdin, so a sentence starting with "-" is not an option.
    Empty text is empty audio. Raises SynthesisError when espeak-ng is missing,
    does not know the voice or variant (checked first: it would not say) or fails.
    """
    if not text.strip():
        return np.zeros(0, dtype=np.int16)
    check_voice(voice)
    where = f"espeak-ng -v {voice.spec}"
    command = [
        _espeak(),
        "--stdout",
        "-v",
        voice.spec,
        "-s",
        str(voice.speed),
        "-p",
        str(voice.pitch),
    ]
    try:
        result = subprocess.run(
            command, input=text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise SynthesisError(f"{where}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise SynthesisError(f"{where}: cannot run espeak-ng ({exc})") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
        raise SynthesisError(f"{where}: {message}")
    samples = _wav_samples(result.stdout, where)
    if samples.size == 0:
        raise SynthesisError(f"{where}: said nothing for {text!r}")
    return samples


def _rng(rng: np.random.Generator | None) -> np.random.Generator:
    return rng if rng is not None else np.random.default_rng()


def _to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(samples), -32768, 32767).astype(np.int16)


def noise_floor(
    n: int, rms: float = NOISE_FLOOR_RMS, rng: np.random.Generator | None = None
) -> np.ndarray:
    """``n`` samples of white noise at ``rms`` (int16): what a quiet room sounds like.

    pocketsphinx mis-decodes digital silence, and no microphone ever gives it.
    """
    return _to_int16(_rng(rng).normal(0.0, rms, n))


def pink_noise(n: int, rng: np.random.Generator | None = None) -> np.ndarray:
    """``n`` samples of 1/f noise, unit RMS (float32): fans, traffic, rooms are pinkish.

    White Gaussian noise shaped in the frequency domain (amplitude 1/sqrt(f)).
    Nothing below 20 Hz, as behind a microphone's high-pass: true 1/f down to
    the clip's lowest bin would put much of the power into inaudible rumble, and
    an SNR of that would say little.
    """
    if n <= 0:
        return np.zeros(0, dtype=np.float32)
    spectrum = np.fft.rfft(_rng(rng).standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    audible = freqs >= _PINK_LOW_HZ / RATE
    if not audible.any():
        audible[-1] = True  # a clip too short for 20 Hz: keep its highest bin
    shape = np.zeros_like(freqs)
    shape[audible] = 1.0 / np.sqrt(freqs[audible])
    noise = np.fft.irfft(spectrum * shape, n)
    rms = float(np.sqrt(np.mean(noise**2)))
    return (noise / rms if rms > 0 else noise).astype(np.float32)


def speech_level(samples: np.ndarray) -> float:
    """RMS of the active part of ``samples``: 20 ms frames within 30 dB of the loudest.

    Pauses and padding would otherwise lower the level, and with it the noise
    added for a given SNR, by however much silence a clip happens to have.
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return 0.0
    frames = x[: x.size - x.size % _FRAME].reshape(-1, _FRAME) if x.size >= _FRAME else x[None]
    energy = np.mean(frames**2, axis=1)
    loudest = float(energy.max())
    if loudest <= 0.0:
        return 0.0
    active = energy[energy >= loudest * 10 ** (-_ACTIVE_DB / 10)]
    return float(np.sqrt(np.mean(active)))


def mix_at_snr(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``speech`` (int16) plus ``noise`` scaled so that the SNR is ``snr_db``.

    The SNR is the active speech level (``speech_level``: loud frames only, pauses
    left out) over the RMS of the noise as added, over the whole clip. The noise
    is repeated or cut to the speech's length. Where the sum would clip, the whole
    mix is turned down instead, which keeps the SNR.
    """
    speech_f = np.asarray(speech, dtype=np.float64)
    if speech_f.size == 0:
        return np.zeros(0, dtype=np.int16)
    noise_f = np.asarray(noise, dtype=np.float64)
    if noise_f.size == 0:
        raise ValueError("mix_at_snr: no noise to mix in")
    noise_f = np.resize(noise_f, speech_f.size)
    noise_rms = float(np.sqrt(np.mean(noise_f**2)))
    level = speech_level(speech_f)
    if noise_rms <= 0.0 or level <= 0.0:
        return _to_int16(speech_f)
    mixed = speech_f + noise_f * (level / noise_rms) * 10 ** (-snr_db / 20)
    peak = float(np.max(np.abs(mixed)))
    if peak > _INT16_MAX:
        mixed *= _INT16_MAX / peak
    return _to_int16(mixed)


def with_noise_floor(
    samples: np.ndarray, rng: np.random.Generator | None = None, rms: float = NOISE_FLOOR_RMS
) -> np.ndarray:
    """``samples`` with a faint noise floor added everywhere, so no stretch is digital silence."""
    x = np.asarray(samples, dtype=np.float64)
    return _to_int16(x + noise_floor(x.size, rms, rng))


def pad(
    samples: np.ndarray,
    before_s: float,
    after_s: float,
    rng: np.random.Generator | None = None,
    rms: float = NOISE_FLOOR_RMS,
) -> np.ndarray:
    """``samples`` with noise floor before and after: the room before and after someone speaks.

    Endpointing needs some lead-in and a trailing pause to find the utterance.
    """
    gen = _rng(rng)
    head = noise_floor(round(max(before_s, 0.0) * RATE), rms, gen)
    tail = noise_floor(round(max(after_s, 0.0) * RATE), rms, gen)
    return np.concatenate([head, np.asarray(samples, dtype=np.int16), tail])


def utterance(
    text: str,
    voice: Voice,
    rng: np.random.Generator | None = None,
    snr_db: float | None = None,
    before_s: float = 0.5,
    after_s: float = 0.7,
    floor_rms: float = NOISE_FLOOR_RMS,
) -> np.ndarray:
    """One test clip: noise floor, the sentence, noise floor; pink noise at ``snr_db`` if given.

    The one recipe every audio test and benchmark uses, so their numbers compare.
    """
    gen = _rng(rng)
    clip = pad(with_noise_floor(synthesize(text, voice), gen, floor_rms), before_s, after_s, gen)
    if snr_db is not None:
        clip = mix_at_snr(clip, pink_noise(clip.size, gen), snr_db)
    return clip


def babble(
    sentences: Sequence[str],
    voices: Sequence[Voice],
    seconds: float,
    rng: np.random.Generator | None = None,
    talkers: int = 3,
    level_rms: float = 2000.0,
) -> np.ndarray:
    """``seconds`` of TV-like babble: ``talkers`` voices talking over each other (int16).

    Each talker says random ``sentences`` in a random voice with short pauses,
    at a random gain within 6 dB; the talkers are summed and the sum set to
    ``level_rms`` (about -24 dBFS). What a room with a TV on sounds like to a
    voice assistant: speech, but nobody talking to it.
    """
    if not sentences or not voices:
        raise ValueError("babble needs at least one sentence and one voice")
    gen = _rng(rng)
    total = max(round(seconds * RATE), 0)
    out = np.zeros(total, dtype=np.float64)
    said: dict[tuple[str, Voice], np.ndarray] = {}
    for _ in range(max(talkers, 1)):
        gain = 10 ** (gen.uniform(-6.0, 0.0) / 20)
        at = round(gen.uniform(0.0, 1.5) * RATE)
        while at < total:
            key = (
                sentences[int(gen.integers(len(sentences)))],
                voices[int(gen.integers(len(voices)))],
            )
            if key not in said:
                said[key] = synthesize(*key).astype(np.float64)
            piece = said[key][: total - at]
            out[at : at + piece.size] += gain * piece
            at += piece.size + round(gen.uniform(0.1, 0.8) * RATE)
    rms = float(np.sqrt(np.mean(out**2))) if total else 0.0
    if rms > 0:
        out *= level_rms / rms
    return _to_int16(out)


def stable_rng(seed: int, *key: object) -> np.random.Generator:
    """A generator fixed by ``seed`` and ``key``: one clip's noise does not depend on the others.

    Adding a voice or a sentence then leaves every other generated clip as it was.
    """
    return np.random.default_rng([seed, zlib.crc32(repr(key).encode("utf-8"))])
