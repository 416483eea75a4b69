"""The on-device intent model: a LiteRT bundle run with ai-edge-litert and numpy, never torch.

A *model bundle* is a directory holding two files::

    model.tflite   the int8-weight LiteRT model (homebrain.training.export writes it)
    model.json     what travels with it: format version, tokenizer spec, max_len,
                   intent and tag lists, context/vision layouts, the tensors'
                   names/shapes/dtypes, parity figures and the tflite's sha256

``load_model(path)`` checks all of that before the daemon starts and raises
``ModelError`` with a message naming the file and what is wrong (missing,
corrupt, hash mismatch, other format version, metadata that does not match the
model's tensors or this homebrain's label layouts). ``predict`` then turns
words + dialogue context + vision into an intent, per-token BIO tags and spans.

The featurisation (``encode_context``, ``encode_vision``, the tokenizer) lives
here and the trainer imports it, so training and the device build the model's
inputs with the very same code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from homebrain.understanding import labels
from homebrain.understanding.intent import OUT_OF_DOMAIN
from homebrain.understanding.tokenizer import Tokenizer
from homebrain.understanding.tokenizer import words as split_words

if TYPE_CHECKING:  # the protocol ModelRecogniser reads spans through
    from homebrain.understanding.spans import SpanLike

log = logging.getLogger(__name__)

MODEL_FILE = "model.tflite"
META_FILE = "model.json"
BUNDLE_KIND = "homebrain-intent-model"
SIGNATURE = "serving_default"
INPUT_NAMES = ("token_ids", "context", "vision")
OUTPUT_NAMES = ("intent_probs", "tag_probs", "confidence")
CONTEXT_KEYS = ("pending_kind", "pending_slot", "last_domain", "last_intent")
_VISION_INDEX = {name: i for i, name in enumerate(labels.VISION_LAYOUT)}


class ModelError(RuntimeError):
    """The model bundle cannot be used; the message says which file and why."""


# ---- featurisation shared with the trainer ---------------------------------------------


def context_layout() -> dict[str, list[str]]:
    """The context vector's one-hot blocks, in order (stored in model.json)."""
    return {
        "pending_kind": list(labels.PENDING_KINDS),
        "pending_slot": list(labels.PENDING_SLOTS),
        "last_domain": list(labels.CONTEXT_DOMAINS),
        "last_intent": list(labels.CONTEXT_INTENTS),
    }


def encode_context(context: Mapping[str, Any] | None) -> np.ndarray:
    """labels.context_vector as float32 [CONTEXT_DIM].

    Unknown keys are ignored; unknown or non-string values count as "none".
    """
    values: dict[str, str] = {}
    for key, value in (context or {}).items():
        if key in CONTEXT_KEYS and isinstance(value, str):
            values[key] = value
    return np.asarray(labels.context_vector(**values), dtype=np.float32)


def encode_vision(vision: Mapping[str, Any] | None) -> np.ndarray:
    """labels.vision_vector as float32 [VISION_DIM].

    Unknown keys and non-numbers are ignored; values are clipped to [0, 1].
    """
    out = np.zeros(labels.VISION_DIM, dtype=np.float32)
    for key, value in (vision or {}).items():
        index = _VISION_INDEX.get(key)
        if index is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            out[index] = min(max(number, 0.0), 1.0)
    return out


# ---- results ---------------------------------------------------------------------------


@dataclass
class Span:
    """Tokens ``start`` (inclusive) to ``end`` (exclusive) tagged as ``slot_type``."""

    slot_type: str
    start: int
    end: int
    text: str


@dataclass
class Prediction:
    """What the model says about one utterance.

    ``tags`` and ``tag_confidences`` have one entry per input token; tokens
    past the model's ``max_len`` were not seen (``truncated`` is True) and get
    "O" with confidence 0.
    """

    intent: str
    intent_confidence: float
    intent_probs: dict[str, float]
    tags: list[str]
    tag_confidences: list[float]
    spans: Sequence[SpanLike] = field(default_factory=list)  # Span objects
    truncated: bool = False
    tokens_used: int = 0


def bio_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[Span]:
    """Spans from BIO tags; an I- tag that does not continue a span of its type starts one."""
    spans: list[Span] = []
    kind: str | None = None
    start = 0

    def close(end: int) -> None:
        if kind is not None:
            spans.append(Span(kind, start, end, " ".join(tokens[start:end])))

    for i, tag in enumerate(tags):
        prefix, _, slot = tag.partition("-")
        if tag == "O" or prefix not in ("B", "I") or not slot:
            close(i)
            kind = None
            continue
        if prefix == "B" or slot != kind:
            close(i)
            kind, start = slot, i
    close(len(tags))
    return spans


# ---- the bundle ------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bundle_paths(path: str | Path) -> tuple[Path, Path]:
    """(model.json, model.tflite) for a bundle directory or either file inside one."""
    p = Path(path)
    if p.is_dir():
        return p / META_FILE, p / MODEL_FILE
    if p.name == META_FILE or p.suffix == ".json":
        return p, p.parent / MODEL_FILE
    if p.suffix == ".tflite":
        return p.parent / META_FILE, p
    return p / META_FILE, p / MODEL_FILE


def _expect(cond: bool, where: Path, message: str) -> None:
    if not cond:
        raise ModelError(f"model metadata {where}: {message}")


def _string_list(meta: Mapping[str, Any], key: str, where: Path) -> list[str]:
    value = meta.get(key)
    _expect(
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value),
        where,
        f"'{key}' must be a non-empty list of strings, got {value!r}",
    )
    assert isinstance(value, list)
    _expect(len(set(value)) == len(value), where, f"'{key}' has duplicates")
    return value


def _tensor_specs(meta: Mapping[str, Any], key: str, where: Path) -> dict[str, dict[str, Any]]:
    raw = meta.get(key)
    _expect(isinstance(raw, list), where, f"'{key}' must be a list of tensor specs")
    assert isinstance(raw, list)
    specs: dict[str, dict[str, Any]] = {}
    for spec in raw:
        _expect(
            isinstance(spec, dict)
            and isinstance(spec.get("name"), str)
            and isinstance(spec.get("shape"), list)
            and isinstance(spec.get("dtype"), str),
            where,
            f"'{key}' entries need name, shape and dtype, got {spec!r}",
        )
        specs[spec["name"]] = spec
    return specs


def read_metadata(path: str | Path) -> dict[str, Any]:
    """model.json of a bundle, checked for this homebrain's format version and layouts."""
    meta_path, _ = _bundle_paths(path)
    if not meta_path.exists():
        if not Path(path).exists():
            raise ModelError(f"model not found: {path} does not exist")
        raise ModelError(f"model metadata missing: {meta_path} (a bundle needs {META_FILE})")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"model metadata {meta_path} is not readable JSON: {exc}") from exc
    _expect(isinstance(meta, dict), meta_path, "top level must be an object")
    _expect(
        meta.get("kind") == BUNDLE_KIND,
        meta_path,
        f"'kind' is {meta.get('kind')!r}, expected {BUNDLE_KIND!r}",
    )
    version = meta.get("format_version")
    if version != labels.FORMAT_VERSION:
        raise ModelError(
            f"model {meta_path} has format version {version!r} but this homebrain reads "
            f"version {labels.FORMAT_VERSION}: re-export the model with this version "
            "(homebrain train) or install the homebrain release that made it"
        )
    return meta


class IntentModelRuntime:
    """A loaded, checked bundle; ``predict`` is thread-safe (one interpreter, one lock)."""

    def __init__(self, path: str | Path, meta: Mapping[str, Any], model_bytes: bytes) -> None:
        meta_path, model_path = _bundle_paths(path)
        self.path = Path(path)
        self.meta = dict(meta)
        where = meta_path

        tokenizer_spec = meta.get("tokenizer")
        try:
            self.tokenizer = Tokenizer.from_json(
                tokenizer_spec if isinstance(tokenizer_spec, dict) else {}
            )
        except ValueError as exc:
            raise ModelError(f"model metadata {where}: tokenizer: {exc}") from exc
        max_len = meta.get("max_len")
        _expect(isinstance(max_len, int) and max_len > 0, where, f"bad max_len {max_len!r}")
        assert isinstance(max_len, int)
        self.max_len = max_len
        self.intents = _string_list(meta, "intents", where)
        self.slot_types = _string_list(meta, "slot_types", where)
        self.tags = _string_list(meta, "tags", where)
        _expect(
            self.tags == list(labels.bio_tags(self.slot_types)),
            where,
            "'tags' do not match the BIO tags of 'slot_types'",
        )
        _expect(
            OUT_OF_DOMAIN in self.intents,
            where,
            f"'intents' must include {OUT_OF_DOMAIN!r}",
        )
        context = meta.get("context")
        _expect(isinstance(context, dict), where, "'context' must be an object")
        assert isinstance(context, dict)
        _expect(
            context.get("dim") == labels.CONTEXT_DIM and context.get("layout") == context_layout(),
            where,
            f"context layout differs from this homebrain's (dim {context.get('dim')!r}, "
            f"expected {labels.CONTEXT_DIM}); re-export the model",
        )
        vision = meta.get("vision")
        _expect(isinstance(vision, dict), where, "'vision' must be an object")
        assert isinstance(vision, dict)
        _expect(
            vision.get("dim") == labels.VISION_DIM
            and vision.get("layout") == list(labels.VISION_LAYOUT),
            where,
            f"vision layout differs from this homebrain's (dim {vision.get('dim')!r}, "
            f"expected {labels.VISION_DIM}); re-export the model",
        )
        expected_inputs = {
            "token_ids": ([1, self.max_len, self.tokenizer.features_per_token], "int32"),
            "context": ([1, labels.CONTEXT_DIM], "float32"),
            "vision": ([1, labels.VISION_DIM], "float32"),
        }
        expected_outputs = {
            "intent_probs": ([1, len(self.intents)], "float32"),
            "tag_probs": ([1, self.max_len, len(self.tags)], "float32"),
            "confidence": ([1], "float32"),
        }
        for key, expected in (("inputs", expected_inputs), ("outputs", expected_outputs)):
            specs = _tensor_specs(meta, key, where)
            _expect(
                set(specs) == set(expected),
                where,
                f"'{key}' are {sorted(specs)}, expected {sorted(expected)}",
            )
            for name, (shape, dtype) in expected.items():
                got = specs[name]
                _expect(
                    got["shape"] == shape and got["dtype"] == dtype,
                    where,
                    f"{key[:-1]} {name!r} is {got['dtype']}{got['shape']}, "
                    f"expected {dtype}{shape} from the label lists and max_len",
                )

        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:  # pragma: no cover - base dependency
            raise ModelError(
                f"cannot load {model_path}: ai-edge-litert is not installed ({exc})"
            ) from exc
        try:
            self._interpreter = Interpreter(model_content=model_bytes, num_threads=1)
            self._interpreter.allocate_tensors()
            runner = self._interpreter.get_signature_runner(SIGNATURE)
            in_details = runner.get_input_details()
            out_details = runner.get_output_details()
        except (ValueError, RuntimeError, KeyError) as exc:
            raise ModelError(
                f"model file {model_path} is corrupt or not a LiteRT model: {exc}"
            ) from exc

        def check(
            details: Mapping[str, Any], expected: Mapping[str, tuple[list[int], str]]
        ) -> None:
            _expect(
                set(details) == set(expected),
                model_path,
                f"tensors are {sorted(details)}, expected {sorted(expected)}",
            )
            for name, (shape, dtype) in expected.items():
                got_shape = [int(d) for d in details[name]["shape"]]
                got_dtype = np.dtype(details[name]["dtype"]).name
                if got_shape != shape or got_dtype != dtype:
                    raise ModelError(
                        f"model file {model_path}: tensor {name!r} is {got_dtype}{got_shape} but "
                        f"{meta_path.name} says {dtype}{shape}: the two files do not belong "
                        "together"
                    )

        check(in_details, expected_inputs)
        check(out_details, expected_outputs)
        self._inputs = {name: int(details["index"]) for name, details in in_details.items()}
        self._outputs = {name: int(details["index"]) for name, details in out_details.items()}
        self._lock = threading.Lock()
        self.model_bytes = len(model_bytes)

    # ---- inference --------------------------------------------------------------------

    def run_arrays(
        self, token_ids: np.ndarray, context: np.ndarray, vision: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """One raw invocation: ids [L, F] int32, context [C], vision [V] →
        (intent_probs [N], tag_probs [L, T], confidence)."""
        interp = self._interpreter
        with self._lock:
            interp.set_tensor(self._inputs["token_ids"], token_ids.reshape(1, self.max_len, -1))
            interp.set_tensor(self._inputs["context"], context.reshape(1, -1))
            interp.set_tensor(self._inputs["vision"], vision.reshape(1, -1))
            interp.invoke()
            intent_probs = interp.get_tensor(self._outputs["intent_probs"])[0].copy()
            tag_probs = interp.get_tensor(self._outputs["tag_probs"])[0].copy()
            confidence = float(interp.get_tensor(self._outputs["confidence"])[0])
        return intent_probs, tag_probs, confidence

    def predict(
        self,
        tokens: Sequence[str],
        context: Mapping[str, Any] | None = None,
        vision: Mapping[str, Any] | None = None,
        marks: Sequence[str] | None = None,
    ) -> Prediction:
        """Intent, tags and spans for ``tokens`` (tokenizer.words(text); a str is split so).

        Unknown context keys or values and unknown vision entries are ignored
        (a value falls back to "none"/0). Words past ``max_len`` are cut and
        the prediction says ``truncated``; no words at all is fine (the intent
        then comes from context and vision). ``marks`` are the tokens'
        gazetteer marks (``gazetteer.Gazetteer.marks``), read only by a model
        trained with them.
        """
        if isinstance(tokens, str):
            tokens = split_words(tokens)
        words = [w if isinstance(w, str) else str(w) for w in tokens]
        used = min(len(words), self.max_len)
        truncated = len(words) > self.max_len
        if truncated:
            log.info(
                "utterance has %d words, the model reads the first %d", len(words), self.max_len
            )
        ids = self.tokenizer.encode(words, self.max_len, marks)
        intent_probs, tag_probs, confidence = self.run_arrays(
            ids, encode_context(context), encode_vision(vision)
        )
        best = int(np.argmax(intent_probs))
        tag_ids = tag_probs[:used].argmax(axis=-1)
        tags = [self.tags[int(t)] for t in tag_ids] + ["O"] * (len(words) - used)
        tag_conf = [float(tag_probs[i, int(t)]) for i, t in enumerate(tag_ids)]
        tag_conf += [0.0] * (len(words) - used)
        return Prediction(
            intent=self.intents[best],
            intent_confidence=confidence,
            intent_probs={
                name: float(p) for name, p in zip(self.intents, intent_probs, strict=True)
            },
            tags=tags,
            tag_confidences=tag_conf,
            spans=bio_spans(words[:used], tags[:used]),
            truncated=truncated,
            tokens_used=used,
        )

    @property
    def uses_gazetteer(self) -> bool:
        return self.tokenizer.uses_gazetteer

    def __repr__(self) -> str:
        return (
            f"IntentModelRuntime({str(self.path)!r}, {len(self.intents)} intents, "
            f"{len(self.slot_types)} slot types, max_len={self.max_len})"
        )


def load_model(path: str | Path) -> IntentModelRuntime:
    """Load and check a model bundle (a directory, or its model.json / model.tflite).

    Raises ``ModelError`` for a missing file, a corrupt file (sha256 mismatch
    or a file LiteRT cannot read), another format version, or metadata that
    does not fit the model's tensors or this homebrain's label layouts.
    """
    meta_path, model_path = _bundle_paths(path)
    meta = read_metadata(path)
    if not model_path.exists():
        raise ModelError(f"model file missing: {model_path} (listed by {meta_path})")
    try:
        data = model_path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model file {model_path}: {exc}") from exc
    model_info = meta.get("model")
    _expect(isinstance(model_info, dict), meta_path, "'model' must be an object")
    assert isinstance(model_info, dict)
    expected = model_info.get("sha256")
    if not isinstance(expected, str) or len(expected) != 64:
        raise ModelError(f"model metadata {meta_path}: no valid 'model.sha256'")
    actual = sha256_hex(data)
    if actual != expected:
        raise ModelError(
            f"model file {model_path} is corrupt: sha256 {actual[:16]}… does not match "
            f"{expected[:16]}… recorded in {meta_path.name} ({len(data)} bytes on disk, "
            f"{model_info.get('bytes')} expected)"
        )
    return IntentModelRuntime(path, meta, data)
