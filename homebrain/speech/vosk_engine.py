"""Vosk (Kaldi) behind the same interface, for users who bring a model directory.

Nothing is downloaded: ``speech.options.model_dir`` names a Vosk model the
user unpacked (alphacephei's small English one is 40 MB). With
``grammar: true`` the recogniser is limited to the words of this home's
sentences, as the pocketsphinx language model is; without it, Vosk's own
language model decides. Vosk is not a dependency: a missing package or model
is a clear error when the daemon starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from homebrain.speech.engine import EngineError, Transcript


class VoskEngine:
    name = "vosk"

    def __init__(
        self,
        sentences: Iterable[str],
        workdir: Path | None = None,
        names: Iterable[str] = (),
        model_dir: str | Path | None = None,
        grammar: bool = False,
    ) -> None:
        try:
            import vosk
        except ImportError:
            raise EngineError(
                "speech.engine vosk needs the vosk package (pip install vosk) and a model "
                "directory in speech.options.model_dir"
            ) from None
        if model_dir is None or not Path(model_dir).is_dir():
            raise EngineError(
                f"speech.options.model_dir: {model_dir!r} is not a Vosk model directory"
            )
        vosk.SetLogLevel(-1)
        self._vosk = vosk
        self._model = vosk.Model(str(model_dir))
        words = sorted(
            {w for s in sentences for w in s.split()} | {w for n in names for w in n.split()}
        )
        self._grammar = json.dumps([*words, "[unk]"]) if grammar else None

    def transcribe(self, samples: np.ndarray) -> Transcript:
        if len(samples) == 0:
            return Transcript("", 0.0)
        args: list[Any] = [self._model, 16000.0]
        if self._grammar is not None:
            args.append(self._grammar)
        recogniser = self._vosk.KaldiRecognizer(*args)
        recogniser.SetWords(True)
        recogniser.AcceptWaveform(samples.astype("<i2").tobytes())
        result = json.loads(recogniser.FinalResult())
        return transcript_of(result)


def transcript_of(result: dict[str, Any]) -> Transcript:
    """Vosk's final result → a Transcript; confidence is the geometric mean of word confidences."""
    text = " ".join(str(result.get("text", "")).split())
    confidences = [
        float(w.get("conf", 0.0)) for w in result.get("result", []) if isinstance(w, dict)
    ]
    if not text:
        return Transcript("", 0.0)
    if not confidences:
        return Transcript(text, 0.0)
    logs = np.log(np.clip(confidences, 1e-6, 1.0))
    return Transcript(text, float(np.exp(logs.mean())))
