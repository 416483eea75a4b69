"""Test speech and noise: real espeak-ng, and the noise measured the way benchmarks rely on."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from homebrain.audio.pcm import RATE
from homebrain.speech.synthesis import (
    NOISE_FLOOR_RMS,
    VOICE_SETS,
    SynthesisError,
    Voice,
    babble,
    known_variants,
    mix_at_snr,
    noise_floor,
    pad,
    pink_noise,
    speech_level,
    stable_rng,
    synthesize,
    utterance,
    voices_named,
    with_noise_floor,
)

SENTENCE = "turn on the kitchen light"


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return synthesize(SENTENCE, Voice("en-us"))


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


def longest_zero_run(x: np.ndarray) -> int:
    best = run = 0
    for zero in np.asarray(x) == 0:
        run = run + 1 if zero else 0
        best = max(best, run)
    return best


def test_synthesize_gives_16k_mono_int16_of_plausible_length(speech: np.ndarray) -> None:
    assert speech.dtype == np.int16 and speech.ndim == 1
    assert 1.0 < speech.size / RATE < 3.5  # five words at 160 wpm, plus espeak's pauses
    assert speech_level(speech) > 1000  # real speech, not a whisper of rounding noise


def test_the_same_voice_says_it_the_same_way_every_time(speech: np.ndarray) -> None:
    assert np.array_equal(synthesize(SENTENCE, Voice("en-us")), speech)


def test_different_voices_give_different_audio(speech: np.ndarray) -> None:
    female = synthesize(SENTENCE, Voice("en-us", "f2"))
    n = min(female.size, speech.size)
    a, b = speech[:n].astype(np.float64), female[:n].astype(np.float64)
    correlation = float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b)))
    assert abs(correlation) < 0.5


def test_speed_changes_the_duration() -> None:
    slow = synthesize(SENTENCE, Voice("en-us", speed=110))
    fast = synthesize(SENTENCE, Voice("en-us", speed=260))
    assert slow.size > 1.5 * fast.size


def test_a_leading_dash_is_said_not_taken_for_an_option() -> None:
    assert synthesize("-5 degrees", Voice("en-us")).size > RATE // 2


def test_empty_text_is_empty_audio() -> None:
    assert synthesize("   ", Voice("en-us")).size == 0


def test_unknown_voice_or_variant_is_a_clear_error() -> None:
    # espeak-ng itself would say these in its default voice without a word
    with pytest.raises(SynthesisError, match="no voice 'no-such-voice'"):
        synthesize(SENTENCE, Voice("no-such-voice"))
    with pytest.raises(SynthesisError, match="no variant 'm99'"):
        synthesize(SENTENCE, Voice("en-us", "m99"))


def test_missing_espeak_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no espeak-ng on the PATH
    with pytest.raises(SynthesisError, match="not installed"):
        synthesize(SENTENCE, Voice("en-us"))


def test_voice_spec_label_and_text_round_trip() -> None:
    voice = Voice("en-us", "f2", speed=180, pitch=60)
    assert voice.spec == "en-us+f2"
    assert voice.label == "en-us_f2_s180_p60"
    assert Voice.parse(str(voice)) == voice
    assert Voice.parse("en-gb-scotland") == Voice("en-gb-scotland")
    assert Voice("en-us").label == "en-us" and str(Voice("en-us", "m3")) == "en-us+m3"
    for bad in ("+f2", "en-us@fast", "en-us@20", "en-us@160:120"):
        with pytest.raises(ValueError):
            Voice.parse(bad)


def test_voice_sets_are_real_mostly_american_and_share_no_variant() -> None:
    develop, heldout = VOICE_SETS["develop"], VOICE_SETS["heldout"]
    for voice in develop + heldout:
        # espeak-ng silently falls back to the plain voice for an unknown variant
        assert voice.variant is None or voice.variant in known_variants(), voice
    assert not {v.variant for v in develop} & {v.variant for v in heldout}
    for voices in (develop, heldout):
        assert sum(v.name == "en-us" for v in voices) >= 0.75 * len(voices)
    assert voices_named(["develop", "en-us+m3", "en-us+f1@150"]) == [
        *develop,
        Voice("en-us", "f1", 150),
    ]


def test_noise_floor_is_faint_and_never_digital_silence(speech: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    floor = noise_floor(RATE, rng=rng)
    assert floor.dtype == np.int16
    assert abs(rms(floor) - NOISE_FLOOR_RMS) < 2
    padded = with_noise_floor(pad(speech, 0.5, 0.7, rng), rng)
    assert padded.size == speech.size + round(1.2 * RATE)
    assert abs(rms(padded[: RATE // 2]) - NOISE_FLOOR_RMS * np.sqrt(2)) < 3
    assert longest_zero_run(padded) < 5  # espeak's silences are filled in too


def test_pink_noise_has_a_falling_spectrum() -> None:
    noise = pink_noise(4 * RATE, np.random.default_rng(2))
    assert noise.dtype == np.float32 and abs(rms(noise) - 1.0) < 1e-3
    power = np.abs(np.fft.rfft(noise)) ** 2
    freqs = np.fft.rfftfreq(noise.size, 1 / RATE)

    def density(low: float, high: float) -> float:
        return float(power[(freqs >= low) & (freqs < high)].mean())

    assert density(100, 400) > 10 * density(2000, 8000)
    # 1/f: the same power in every octave, so density halves per octave
    octaves = [density(f, 2 * f) for f in (125, 250, 500, 1000, 2000, 4000)]
    assert all(0.35 < b / a < 0.65 for a, b in itertools.pairwise(octaves))


@pytest.mark.parametrize("snr_db", [0.0, 5.0, 10.0, 20.0])
def test_mix_at_snr_gives_the_requested_snr(speech: np.ndarray, snr_db: float) -> None:
    clip = pad(speech, 0.5, 0.5, np.random.default_rng(3))
    mixed = mix_at_snr(clip, pink_noise(clip.size, np.random.default_rng(4)), snr_db)
    assert mixed.dtype == np.int16 and mixed.size == clip.size
    s, m = clip.astype(np.float64), mixed.astype(np.float64)
    gain = float(np.dot(m, s) / np.dot(s, s))  # 1, unless the mix was turned down not to clip
    noise = m - gain * s
    measured = 20 * np.log10(gain * speech_level(clip) / rms(noise))
    assert abs(measured - snr_db) < 0.5


def test_utterance_and_babble_are_fixed_by_the_seed() -> None:
    voice = Voice("en-us", "m3")
    one = utterance(SENTENCE, voice, stable_rng(7, "a"), snr_db=10)
    assert np.array_equal(one, utterance(SENTENCE, voice, stable_rng(7, "a"), snr_db=10))
    assert not np.array_equal(one, utterance(SENTENCE, voice, stable_rng(7, "b"), snr_db=10))
    sentences = ["the news at ten tonight", "and the weather for the weekend looks dry"]
    voices = [Voice("en-us"), Voice("en-us", "f2")]
    noise = babble(sentences, voices, 4.0, np.random.default_rng(5), level_rms=1500)
    assert noise.dtype == np.int16 and noise.size == 4 * RATE
    assert abs(rms(noise) - 1500) < 2
    assert np.array_equal(noise, babble(sentences, voices, 4.0, np.random.default_rng(5), 3, 1500))
