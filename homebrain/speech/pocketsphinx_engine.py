"""pocketsphinx, constrained by what this home's sentences can say.

pocketsphinx 5's wheel ships an English acoustic model and the CMU
dictionary, so nothing is downloaded. Unconstrained it is poor at commands;
with a language model built from the sentences homebrain understands, with
the home's own names in them, it is fast (about 0.1 s a sentence here) and
mostly right. The model is built at start-up (well under a second) with
pocketsphinx's own ARPA builder; words the CMU dictionary lacks (the home's
names) get pronunciations from espeak-ng (``pronounce``). Digital silence
decodes badly, so a faint noise floor is mixed in first (DESIGN.md).
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from homebrain.speech.engine import Transcript
from homebrain.speech.pronounce import PronunciationError, pronounce

log = logging.getLogger(__name__)

NOISE_FLOOR_RMS = 33.0  # int16 RMS: about -60 dBFS
_WORD = re.compile(r"^[a-z]+(?:'[a-z]+)?$")


def _cmudict(model_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (model_dir / "cmudict-en-us.dict").read_text().splitlines():
        word, _, phones = line.partition(" ")
        out.setdefault(word, phones.strip())
    return out


class PocketsphinxEngine:
    """Decode whole utterances with a language model of ``sentences``."""

    name = "pocketsphinx"

    def __init__(
        self,
        sentences: Iterable[str],
        workdir: Path | None = None,
        names: Iterable[str] = (),
        **options: Any,
    ) -> None:
        """``workdir`` keeps the language model and dictionary files (default: a temporary
        directory, removed once the decoder has read them); ``options`` are pocketsphinx
        settings (``lw``, ``beam``...) that override ours."""
        import pocketsphinx

        known = _cmudict(Path(pocketsphinx.get_model_path()) / "en-us")
        # the home's own name words are worth a pronunciation; a sentence with any other
        # word the dictionary lacks (a made-up name from the corpus) is left out
        wanted = {w for name in names for w in name.lower().split() if _WORD.match(w)}
        missing = sorted(w for w in wanted if w not in known)
        extra: dict[str, str] = {}
        if missing:
            try:
                extra = pronounce(missing)
            except PronunciationError as exc:
                log.warning("names left out of speech recognition: %s", exc)
        lexicon = {**known, **extra}
        kept = sorted(
            {
                s
                for s in (" ".join(sentence.lower().split()) for sentence in sentences)
                if s and all(w in lexicon for w in s.split())
            }
        )
        if not kept:
            raise ValueError("no sentence left to build a language model from")
        if workdir is None:
            with tempfile.TemporaryDirectory(prefix="homebrain-asr-") as tmp:
                self._load(kept, lexicon, Path(tmp), options)
        else:
            workdir.mkdir(parents=True, exist_ok=True)
            self._load(kept, lexicon, workdir, options)
        self._rng = np.random.default_rng(0)

    def _load(
        self, kept: list[str], lexicon: dict[str, str], workdir: Path, options: dict[str, Any]
    ) -> None:
        import pocketsphinx
        from pocketsphinx.lm import ArpaBoLM

        model_dir = Path(pocketsphinx.get_model_path()) / "en-us"
        arpa = workdir / "home.arpa"
        builder = ArpaBoLM(text="\n".join(kept), add_start=True)
        builder.compute()
        with arpa.open("w") as out:
            builder.write(out)
        words = sorted({w for s in kept for w in s.split()})
        dictionary = workdir / "home.dict"
        dictionary.write_text("".join(f"{w} {lexicon[w]}\n" for w in words))
        self.words = frozenset(words)
        self.sentences = len(kept)
        self._decoder = pocketsphinx.Decoder(
            hmm=str(model_dir / "en-us"),
            lm=str(arpa),
            dict=str(dictionary),
            bestpath=True,  # a word lattice: n-best and the posterior of the best path
            loglevel="FATAL",
            **options,
        )

    def _with_floor(self, samples: np.ndarray) -> bytes:
        floor = self._rng.normal(0.0, NOISE_FLOOR_RMS, len(samples))
        return np.clip(samples.astype(np.float64) + floor, -32768, 32767).astype(np.int16).tobytes()

    def transcribe(self, samples: np.ndarray) -> Transcript:
        """16 kHz mono int16 → the words heard, a confidence and n-best alternatives."""
        if len(samples) == 0:
            return Transcript("", 0.0)
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(self._with_floor(samples), full_utt=True)
        decoder.end_utt()
        return self._result()

    # ---- streaming: decode while the utterance goes on -----------------------------
    def begin(self) -> None:
        self._decoder.start_utt()

    def feed(self, samples: np.ndarray) -> None:
        if len(samples):
            self._decoder.process_raw(self._with_floor(samples), full_utt=False)

    def end(self) -> Transcript:
        self._decoder.end_utt()
        return self._result()

    def abort(self) -> None:
        self._decoder.end_utt()  # a blip too short to be an utterance: nothing to keep

    def _result(self) -> Transcript:
        decoder = self._decoder
        best = decoder.hyp()
        if best is None or not best.hypstr.strip():
            return Transcript("", 0.0)
        # the best path's posterior, per word (its geometric mean): a whole-path posterior
        # falls with every word, so a right ten-word order scored below a wrong two-word guess
        words = max(1, len(best.hypstr.split()))
        confidence = float(best.prob) ** (1.0 / words)
        alternatives: list[str] = []
        for hyp in decoder.nbest():
            text = hyp.hypstr.strip()
            if text and text != best.hypstr and text not in alternatives:
                alternatives.append(text)
            if len(alternatives) >= 4:
                break
        return Transcript(best.hypstr.strip(), min(max(confidence, 0.0), 1.0), alternatives)
