#!/usr/bin/env python3
"""Turn evaluation files into audio evaluation files, with espeak-ng voices and noise.

Text evaluations test understanding; only audio tests the whole chain (VAD,
recognition, understanding) the way a user meets it. This writes one WAV per
sentence per voice, plus an evaluation YAML whose tests say ``audio:`` instead
of ``say:`` with the same ``expect`` and ``context``, so ``homebrain eval``
runs it unchanged. ``--babble`` writes a long clip nobody says a command in
(a TV, people talking) for measuring actions taken unasked.

Everything is fixed by ``--seed``: each clip's noise comes from the seed and
the clip's own key, so adding voices or sentences leaves the other clips as
they were.

    .venv/bin/python scripts/make_test_audio.py tests/eval/demo_commands.yaml \\
        --voices heldout --snr 10 --out /tmp/audio
    homebrain eval --config configs/demo.yaml /tmp/audio/audio_demo_commands_snr10.yaml
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import wave
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from homebrain.audio.pcm import RATE
from homebrain.evaluation.files import (
    NONE,
    TEST_KEYS,
    TURN_KEYS,
    EvalFile,
    EvalFileError,
    load_eval_files,
)
from homebrain.speech.synthesis import (
    NOISE_FLOOR_RMS,
    VOICE_SETS,
    SynthesisError,
    Voice,
    babble,
    mix_at_snr,
    pink_noise,
    stable_rng,
    synthesize,
    utterance,
    voices_named,
    with_noise_floor,
)

# The words of each clip, for the word error rate, where the evaluation format has the key.
TRANSCRIPTS = "transcript" in TEST_KEYS and "transcript" in TURN_KEYS

# What a TV or people in the room say: speech, but nothing for the assistant.
NON_COMMANDS = [
    "the weather tomorrow will be mostly sunny with light winds from the west",
    "and now back to the studio for the rest of the evening news",
    "scientists say the discovery could change how we think about the ocean",
    "the match ended two all after a late goal in the second half",
    "did you remember to buy milk on the way home",
    "I think the film starts at eight but we could get there early",
    "traffic on the motorway is moving slowly after an accident near the bridge",
    "she said the meeting had been moved to thursday afternoon",
    "this recipe needs two eggs a cup of flour and a pinch of salt",
    "the museum is open every day except monday",
    "after the break we will talk to the author of a new book about gardens",
    "prices rose again last month according to the latest figures",
    "can you believe how cold it was this morning",
    "the train to the city leaves from platform four in ten minutes",
    "he has been playing the piano since he was six years old",
    "our next guest has travelled all the way from canada to be here",
    "stay tuned for the late film after the headlines",
    "we should paint the fence before the summer",
    "the children are at their grandmother's until sunday",
    "researchers found that people sleep better in a cool dark room",
]


@dataclass(frozen=True)
class Settings:
    """How every clip is made; one place, so a run can be described and repeated."""

    seed: int = 0
    snr_db: float | None = None  # pink noise at this SNR; None: only the noise floor
    before_s: float = 0.5
    after_s: float = 0.7
    floor_rms: float = NOISE_FLOOR_RMS

    @property
    def tag(self) -> str:
        """Part of file names, so runs at different SNRs can share a directory."""
        return "" if self.snr_db is None else f"_snr{self.snr_db:g}"


@dataclass(frozen=True)
class Clip:
    """One WAV to write: what is said, by whom, where, and the key its noise is drawn from."""

    text: str
    voice: Voice
    path: Path
    key: tuple[str, ...]


@dataclass
class Plan:
    """The clips to render and the evaluation documents that point at them."""

    clips: list[Clip] = field(default_factory=list)
    documents: dict[Path, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def slug(text: str, limit: int = 40) -> str:
    """A sentence as a short file-name piece, so a WAV's name says what is in it."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-") or "x"


def write_wav(path: Path, samples: np.ndarray) -> None:
    """16 kHz mono int16 as a WAV file (directories made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())


def plan(
    files: Sequence[EvalFile],
    voices: Sequence[Voice],
    out: Path,
    settings: Settings,
    split_voices: bool = False,
) -> Plan:
    """Which WAVs to make and the evaluation YAML documents that use them.

    One document per input file (``audio_<stem>.yaml``), or per input file and
    voice with ``split_voices`` (so ``homebrain eval`` reports each voice on its
    own). Tests and turns that already are audio are left out (listed in
    ``skipped``): there is nothing to say.
    """
    result = Plan()
    stems = [f.path.stem for f in files]
    repeated = {s for s in stems if stems.count(s) > 1}
    if repeated:
        raise ValueError(
            f"evaluation files with the same name ({', '.join(sorted(repeated))}) would write "
            "the same audio files: rename one or write them into different --out directories"
        )
    for file in files:
        for test in file.tests:
            if test.audio is not None:
                result.skipped.append(f"{file.path}: {test.where} is audio already")
        for dialogue in file.dialogues:
            if any(turn.say is None for turn in dialogue.turns):
                result.skipped.append(
                    f"{file.path}: dialogue {dialogue.name!r} has audio turns already"
                )
        for voice in voices:
            doc_name = f"audio_{file.path.stem}{settings.tag}"
            if split_voices:
                doc_name += f"_{voice.label}"
            doc = result.documents.setdefault(out / f"{doc_name}.yaml", {})
            tests, dialogues = _spoken(file, voice, out, settings, result.clips)
            if tests:
                doc.setdefault("tests", []).extend(tests)
            if dialogues:
                doc.setdefault("dialogues", []).extend(dialogues)
    result.documents = {p: d for p, d in result.documents.items() if d}
    return result


def _spoken(
    file: EvalFile, voice: Voice, out: Path, settings: Settings, clips: list[Clip]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One file's tests and dialogues said by ``voice``: entries for the YAML, clips to make."""
    stem = file.path.stem
    folder = out / f"{stem}{settings.tag}" / voice.label

    def add(text: str, name: str, *key: str) -> str:
        path = folder / f"{name}-{slug(text)}.wav"
        clips.append(Clip(text, voice, path, (stem, voice.label, *key, text)))
        return os.path.relpath(path, out)

    tests: list[dict[str, Any]] = []
    for test in file.tests:
        if test.audio is not None:
            continue
        for j, sentence in enumerate(test.say):
            entry: dict[str, Any] = {
                "name": f"{test.name + ': ' if test.name else ''}{sentence} [{voice}]",
                "audio": add(sentence, f"t{test.index:03d}-{j}", "t", str(test.index), str(j)),
            }
            if TRANSCRIPTS:
                entry["transcript"] = sentence
            if test.context:
                entry["context"] = dict(test.context)
            entry["expect"] = test.expect.to_json()
            tests.append(entry)
    dialogues: list[dict[str, Any]] = []
    for dialogue in file.dialogues:
        if any(turn.say is None for turn in dialogue.turns):
            continue
        turns: list[dict[str, Any]] = []
        for turn in dialogue.turns:
            assert turn.say is not None
            step: dict[str, Any] = {
                "audio": add(
                    turn.say,
                    f"d{dialogue.index:03d}-{turn.index}",
                    "d",
                    str(dialogue.index),
                    str(turn.index),
                )
            }
            if TRANSCRIPTS:
                step["transcript"] = turn.say
            if turn.context:
                step["context"] = dict(turn.context)
            if turn.wait:
                step["wait"] = turn.wait
            step["expect"] = turn.expect.to_json()
            turns.append(step)
        dialogues.append({"name": f"{dialogue.name} [{voice}]", "turns": turns})
    return tests, dialogues


def render(clip: Clip, settings: Settings) -> float:
    """Make and write one clip; returns its length in seconds."""
    samples = utterance(
        clip.text,
        clip.voice,
        stable_rng(settings.seed, *clip.key, settings.tag),
        snr_db=settings.snr_db,
        before_s=settings.before_s,
        after_s=settings.after_s,
        floor_rms=settings.floor_rms,
    )
    write_wav(clip.path, samples)
    return samples.size / RATE


def non_command_audio(
    seconds: float,
    voices: Sequence[Voice],
    settings: Settings,
    extra_sentences: Sequence[str] = (),
    babble_rms: float = 1500.0,
) -> np.ndarray:
    """``seconds`` of a room nobody gives a command in: TV babble, people talking, noise.

    Three babbling talkers (``synthesis.babble``, about 7 dB under the
    foreground) under non-command sentences said one after another with
    pauses, in random voices; pink noise at the SNR if one is set, and the
    noise floor.
    """
    rng = stable_rng(settings.seed, "babble", f"{seconds:g}", settings.tag)
    sentences = [*NON_COMMANDS, *extra_sentences]
    total = round(seconds * RATE)
    mix = babble(sentences, voices, seconds, rng, talkers=3, level_rms=babble_rms).astype(
        np.float64
    )
    at = round(rng.uniform(0.5, 2.0) * RATE)
    while at < total:
        text = sentences[int(rng.integers(len(sentences)))]
        voice = voices[int(rng.integers(len(voices)))]
        speech = synthesize(text, voice)[: total - at]
        mix[at : at + speech.size] += speech
        at += speech.size + round(rng.uniform(1.5, 4.0) * RATE)
    peak = float(np.max(np.abs(mix))) if total else 0.0
    if peak > 32767:
        mix *= 32767 / peak
    samples = np.round(mix).astype(np.int16)
    if settings.snr_db is not None:
        samples = mix_at_snr(samples, pink_noise(samples.size, rng), settings.snr_db)
    return with_noise_floor(samples, rng, settings.floor_rms)


def _out_of_domain(files: Sequence[EvalFile]) -> list[str]:
    """Sentences the files expect nothing for: good non-command speech for the babble clip."""
    return [s for f in files for t in f.tests if t.expect.kind == NONE for s in t.say]


def dump_yaml(path: Path, document: dict[str, Any], header: str) -> None:
    text = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8")


def parse_snr(text: str) -> float | None:
    if text.strip().lower() in ("none", "off", ""):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected 'none' or an SNR in dB (e.g. 10)"
        ) from None


def parse_voices(names: Sequence[str]) -> list[Voice]:
    items = [part for name in names for part in name.split(",") if part.strip()]
    try:
        return voices_named(items)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make_test_audio.py",
        description=(
            "Speak evaluation files with espeak-ng: one WAV per sentence per voice, and an "
            "evaluation YAML (audio_<name>.yaml in --out) whose tests and dialogue turns use "
            "'audio:' with the same expect and context. A faint noise floor is always mixed "
            "in and pads every clip (pocketsphinx mis-decodes digital silence)."
        ),
        epilog=(
            "voice sets: "
            + "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in VOICE_SETS.items())
            + ". Tune on 'develop', report on 'heldout'."
        ),
    )
    parser.add_argument("files", nargs="*", type=Path, help="evaluation YAML files to speak")
    parser.add_argument(
        "--out", type=Path, required=True, help="directory for the WAVs and the YAML files"
    )
    parser.add_argument(
        "--voices",
        nargs="+",
        default=["develop"],
        metavar="VOICE",
        help="voice sets (develop, heldout) and/or espeak-ng voices as "
        "NAME[+VARIANT][@SPEED[:PITCH]], e.g. en-us+f2@180:60 (default: develop)",
    )
    parser.add_argument(
        "--snr",
        type=parse_snr,
        default=None,
        metavar="DB",
        help="mix pink noise at this signal-to-noise ratio in dB (active speech level over "
        "noise RMS); 'none' (default) for the noise floor only",
    )
    parser.add_argument("--seed", type=int, default=0, help="fixes all noise (default 0)")
    parser.add_argument(
        "--before", type=float, default=0.5, help="seconds of noise floor before each sentence"
    )
    parser.add_argument(
        "--after", type=float, default=0.7, help="seconds of noise floor after each sentence"
    )
    parser.add_argument(
        "--floor-rms",
        type=float,
        default=NOISE_FLOOR_RMS,
        help=f"noise floor level as int16 RMS (default {NOISE_FLOOR_RMS:g}, about -60 dBFS)",
    )
    parser.add_argument(
        "--split-voices",
        action="store_true",
        help="one YAML per input file and voice, so the eval report shows each voice apart",
    )
    parser.add_argument(
        "--babble",
        type=float,
        default=None,
        metavar="SECONDS",
        help="also write a long non-command clip (TV-like babble, non-command sentences, "
        "noise) and babble_<SECONDS>s.yaml expecting nothing, for the false-action rate",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="espeak-ng runs at a time (default: one per CPU)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _header(files: Sequence[EvalFile], voices: Sequence[Voice], settings: Settings) -> str:
    sources = ", ".join(str(f.path) for f in files) or "no evaluation file"
    snr = "none" if settings.snr_db is None else f"{settings.snr_db:g} dB"
    return (
        f"# Made by scripts/make_test_audio.py from {sources}\n"
        f"# voices: {', '.join(map(str, voices))}; seed {settings.seed}; snr {snr}\n"
    )


def generate(
    files: Sequence[EvalFile],
    voices: Sequence[Voice],
    out: Path,
    settings: Settings,
    split_voices: bool = False,
    babble_seconds: float | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Path], Plan]:
    """Write the WAVs and YAML files; returns the YAML paths and the plan they came from.

    ``progress(done, total)`` is called as clips are written (the babble clip
    counts as one).
    """
    work = plan(files, voices, out, settings, split_voices)
    total = len(work.clips) + (babble_seconds is not None)
    done = 0
    if progress:
        progress(done, total)
    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:  # espeak-ng runs in parallel
        futures = [pool.submit(render, clip, settings) for clip in work.clips]
        for future in as_completed(futures):
            future.result()
            done += 1
            if progress:
                progress(done, total)
    header = _header(files, voices, settings)
    written: list[Path] = []
    for path, document in work.documents.items():
        dump_yaml(path, document, header)
        written.append(path)
    if babble_seconds is not None:
        name = f"babble_{babble_seconds:g}s{settings.tag}"
        wav = out / f"{name}.wav"
        write_wav(wav, non_command_audio(babble_seconds, voices, settings, _out_of_domain(files)))
        test = {
            "name": f"{babble_seconds:g} s of babble and non-command speech",
            "audio": os.path.relpath(wav, out),
            "expect": "none",
        }
        dump_yaml(out / f"{name}.yaml", {"tests": [test]}, header)
        written.append(out / f"{name}.yaml")
        if progress:
            progress(total, total)
    return written, work


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.files and args.babble is None:
        parser.error("give evaluation files to speak, or --babble SECONDS, or both")
    if args.babble is not None and args.babble <= 0:
        parser.error("--babble: expected a positive number of seconds")
    try:
        voices = parse_voices(args.voices)
    except argparse.ArgumentTypeError as exc:
        parser.error(f"--voices: {exc}")
    settings = Settings(args.seed, args.snr, args.before, args.after, args.floor_rms)
    try:
        files = load_eval_files(list(args.files))
    except EvalFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            disable=args.quiet,
        ) as bar:
            task = bar.add_task("speaking", total=None)
            written, work = generate(
                files,
                voices,
                args.out,
                settings,
                args.split_voices,
                args.babble,
                args.jobs,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    except (SynthesisError, ValueError, OSError) as exc:
        print(f"make_test_audio: {exc}", file=sys.stderr)
        return 1
    for note in work.skipped:
        print(f"skipped: {note}", file=sys.stderr)
    if not args.quiet:
        print(f"{len(work.clips)} clips in {len(voices)} voices; evaluation files:")
        for path in written:
            print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
