"""Export a trained model to an int8 LiteRT bundle, with a parity check that can fail it.

Steps (``export_bundle``):

1. litert-torch converts ``ExportWrapper(FusedNetwork(model))`` (batch 1,
   ``max_len`` tokens; the fused form computes the same probabilities with
   the members and GRU directions batched, see homebrain.training.fused) to a
   float .tflite; it is checked against PyTorch (should agree exactly).
2. ai_edge_quantizer quantises its weights to int8 with a recipe
   (``weight_only_wi8_afp32`` by default: int8 weights, float maths, the
   closest to PyTorch; ``dynamic_wi8_afp32`` also works).
3. The bundle (model.tflite + model.json, see
   homebrain.understanding.model_runtime) is written to a staging directory,
   loaded with the device runtime (ai-edge-litert, one thread) and run on the
   held-out examples; the intent argmax must agree with PyTorch on at least
   ``min_intent_agreement`` of them, else ``ParityError`` and no bundle.
4. The staging directory replaces ``out_dir``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import time
import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from homebrain.training.examples import Example
from homebrain.training.fused import FusedNetwork, can_fuse
from homebrain.training.model import ExportWrapper, Network, build_network
from homebrain.training.train import EncodedSet, TrainResult, encode_examples, predict_arrays
from homebrain.understanding import labels
from homebrain.understanding.model_runtime import (
    BUNDLE_KIND,
    META_FILE,
    MODEL_FILE,
    SIGNATURE,
    IntentModelRuntime,
    context_layout,
    load_model,
    sha256_hex,
)

RECIPES = ("weight_only_wi8_afp32", "dynamic_wi8_afp32")
DEFAULT_RECIPE = "weight_only_wi8_afp32"
MIN_INTENT_AGREEMENT = 0.99
MIN_FLOAT_AGREEMENT = 0.999  # float .tflite vs PyTorch: conversion should be exact (ties aside)


class ParityError(RuntimeError):
    """The quantised model disagrees with PyTorch too often; ``report`` has the figures."""

    def __init__(self, message: str, report: ParityReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class ParityReport:
    """LiteRT model vs PyTorch on the same held-out inputs."""

    examples: int
    intent_agreement: float  # share of examples with the same intent argmax
    tag_agreement: float  # share of real tokens with the same tag argmax
    max_intent_prob_diff: float
    mean_intent_prob_diff: float
    torch_intent_accuracy: float
    litert_intent_accuracy: float
    threshold: float

    @property
    def passed(self) -> bool:
        return self.intent_agreement >= self.threshold

    def to_json(self) -> dict[str, Any]:
        data = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}
        data["passed"] = self.passed
        return data


@dataclass
class ExportReport:
    bundle: Path
    recipe: str
    float_bytes: int
    int8_bytes: int
    parameters: int
    float_parity: ParityReport  # float .tflite vs PyTorch (conversion check)
    parity: ParityReport  # int8 .tflite vs PyTorch (the gate)
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle": str(self.bundle),
            "recipe": self.recipe,
            "float_bytes": self.float_bytes,
            "int8_bytes": self.int8_bytes,
            "parameters": self.parameters,
            "float_parity": self.float_parity.to_json(),
            "parity": self.parity.to_json(),
            "seconds": round(self.seconds, 2),
        }


@contextlib.contextmanager
def _quiet_litert(quiet: bool) -> Iterator[None]:
    """litert-torch prints its progress on a rich console of its own; mute it when asked."""
    if not quiet:
        yield
        return
    from litert_torch import progress

    before = progress.console.quiet
    progress.console.quiet = True
    try:
        yield
    finally:
        progress.console.quiet = before


def sample_inputs(max_len: int, features: int) -> dict[str, torch.Tensor]:
    """Batch-1 inputs with the exported shapes and dtypes (names become the signature's)."""
    return {
        "token_ids": torch.zeros((1, max_len, features), dtype=torch.int32),
        "context": torch.zeros((1, labels.CONTEXT_DIM), dtype=torch.float32),
        "vision": torch.zeros((1, labels.VISION_DIM), dtype=torch.float32),
    }


def convert_float(model: Network, *, quiet: bool = True, fused: bool = True) -> bytes:
    """The float .tflite of ``ExportWrapper(model)`` (CPU copy; the model is left as it was).

    ``fused`` converts the equivalent ``FusedNetwork`` instead (members and GRU
    directions batched: a fraction of the ops, see homebrain.training.fused).
    """
    import litert_torch

    cpu = build_network(model.config())
    cpu.load_state_dict({k: v.detach().cpu() for k, v in model.state_dict().items()})
    cpu.eval()
    wrapper = ExportWrapper(FusedNetwork(cpu) if fused and can_fuse(cpu) else cpu).eval()
    sample = sample_inputs(cpu.max_len, cpu.features)
    sample["token_ids"][0, :3] = 1  # a few real words, so no branch is traced as dead
    with _quiet_litert(quiet), torch.no_grad(), warnings.catch_warnings():
        # toolchain noise: nn.GRU's cached _flat_weights "assigned during export", and
        # torch.utils._pytree deprecations raised inside litert-torch
        warnings.filterwarnings("ignore", message=".*were assigned during export.*")
        warnings.filterwarnings("ignore", category=FutureWarning)
        edge = litert_torch.convert(wrapper, sample_kwargs=sample)
        return bytes(edge.model_content())  # serialised lazily: still inside the quiet block


def quantize(float_model: bytes, recipe: str = DEFAULT_RECIPE, *, quiet: bool = True) -> bytes:
    """int8 weights with one of ai_edge_quantizer's recipes (see RECIPES).

    ``quiet`` also swallows the tqdm bar ai_edge_quantizer 0.10 draws on stderr
    while applying transformations (it ignores ``enable_progress_bar`` there).
    """
    if recipe not in RECIPES:
        raise ValueError(f"recipe must be one of {RECIPES}, got {recipe!r}")
    from ai_edge_quantizer import quantizer
    from ai_edge_quantizer import recipe as recipes

    qt = quantizer.Quantizer(bytearray(float_model), getattr(recipes, recipe)())
    sink = contextlib.redirect_stderr(io.StringIO()) if quiet else contextlib.nullcontext()
    with sink:
        result = qt.quantize(enable_progress_bar=False, enable_progress_report=False)
    if result.quantized_model is None:
        raise RuntimeError(f"ai_edge_quantizer returned no model for recipe {recipe}")
    return bytes(result.quantized_model)


def _tensor_spec(name: str, shape: Sequence[int], dtype: str) -> dict[str, Any]:
    return {"name": name, "shape": list(shape), "dtype": dtype}


def bundle_metadata(
    result: TrainResult,
    model_bytes: bytes,
    *,
    recipe: str,
    float_bytes: int,
    parity: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """model.json's content for ``model_bytes`` (the .tflite) of ``result``'s model."""
    from homebrain import __version__ as homebrain_version

    n_intents, n_tags, max_len = len(result.intents), len(result.tags), result.max_len
    meta: dict[str, Any] = {
        "kind": BUNDLE_KIND,
        "format_version": labels.FORMAT_VERSION,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "homebrain_version": homebrain_version,
        "tokenizer": result.tokenizer.to_json(),
        "max_len": max_len,
        "intents": list(result.intents),
        "slot_types": list(result.slot_types),
        "tags": list(result.tags),
        "context": {"dim": labels.CONTEXT_DIM, "layout": context_layout()},
        "vision": {"dim": labels.VISION_DIM, "layout": list(labels.VISION_LAYOUT)},
        "signature": SIGNATURE,
        "inputs": [
            _tensor_spec("token_ids", [1, max_len, result.tokenizer.features_per_token], "int32"),
            _tensor_spec("context", [1, labels.CONTEXT_DIM], "float32"),
            _tensor_spec("vision", [1, labels.VISION_DIM], "float32"),
        ],
        "outputs": [
            _tensor_spec("intent_probs", [1, n_intents], "float32"),
            _tensor_spec("tag_probs", [1, max_len, n_tags], "float32"),
            _tensor_spec("confidence", [1], "float32"),
        ],
        "model": {
            "file": MODEL_FILE,
            "sha256": sha256_hex(model_bytes),
            "bytes": len(model_bytes),
            "float_bytes": float_bytes,
            "quantization": recipe,
            "parameters": result.parameter_count,
            "architecture": "hashed-embedding BiGRU tagger + context/vision intent MLP"
            + (f", {result.members} averaged" if result.members > 1 else ""),
            "config": result.model.config(),
        },
        "training": result.summary(),
    }
    if parity is not None:
        meta["parity"] = dict(parity)
    if extra:
        meta.update(extra)
    return meta


def _as_encoded(result: TrainResult, examples: Sequence[Example] | EncodedSet) -> EncodedSet:
    if isinstance(examples, EncodedSet):
        return examples
    return encode_examples(examples, result.tokenizer, result.max_len, result.intents, result.tags)


def parity_report(
    model: Network,
    runtime: IntentModelRuntime,
    data: EncodedSet,
    *,
    threshold: float = MIN_INTENT_AGREEMENT,
) -> ParityReport:
    """Compare ``runtime`` (LiteRT) with ``model`` (PyTorch) on encoded examples."""
    if len(data) == 0:
        raise ValueError("parity needs at least one held-out example")
    torch_intents, torch_tags = predict_arrays(model, data)
    lite_intents = np.zeros_like(torch_intents)
    lite_tags = np.zeros_like(torch_tags)
    for i in range(len(data)):
        lite_intents[i], lite_tags[i], _ = runtime.run_arrays(
            data.token_ids[i], data.context[i], data.vision[i]
        )
    real = data.tags >= 0
    diff = np.abs(torch_intents - lite_intents)
    same_tags = torch_tags.argmax(-1) == lite_tags.argmax(-1)
    return ParityReport(
        examples=len(data),
        intent_agreement=float(np.mean(torch_intents.argmax(-1) == lite_intents.argmax(-1))),
        tag_agreement=float(same_tags[real].mean()) if real.any() else 1.0,
        max_intent_prob_diff=float(diff.max()),
        mean_intent_prob_diff=float(diff.mean()),
        torch_intent_accuracy=float(np.mean(torch_intents.argmax(-1) == data.intents)),
        litert_intent_accuracy=float(np.mean(lite_intents.argmax(-1) == data.intents)),
        threshold=threshold,
    )


def check_parity(
    model: Network,
    bundle: str | Path | IntentModelRuntime,
    data: EncodedSet,
    *,
    min_intent_agreement: float = MIN_INTENT_AGREEMENT,
) -> ParityReport:
    """``parity_report`` that raises ParityError when the intent agreement is too low."""
    runtime = bundle if isinstance(bundle, IntentModelRuntime) else load_model(bundle)
    report = parity_report(model, runtime, data, threshold=min_intent_agreement)
    if not report.passed:
        raise ParityError(
            f"parity check failed: the int8 model agrees with PyTorch on the intent of "
            f"{report.intent_agreement:.2%} of {report.examples} held-out examples, "
            f"{min_intent_agreement:.2%} required (tags {report.tag_agreement:.2%}, "
            f"largest probability difference {report.max_intent_prob_diff:.3f})",
            report,
        )
    return report


def _write_bundle(directory: Path, model_bytes: bytes, meta: Mapping[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MODEL_FILE).write_bytes(model_bytes)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def export_bundle(
    result: TrainResult,
    out_dir: str | Path,
    parity_examples: Sequence[Example] | EncodedSet,
    *,
    recipe: str = DEFAULT_RECIPE,
    min_intent_agreement: float = MIN_INTENT_AGREEMENT,
    min_float_agreement: float = MIN_FLOAT_AGREEMENT,
    keep_float: bool = False,
    extra_metadata: Mapping[str, Any] | None = None,
    quiet: bool = True,
    fused: bool = True,
) -> ExportReport:
    """Convert, quantise, check parity on ``parity_examples`` and write the bundle to ``out_dir``.

    ``fused=False`` exports the members unrolled side by side, as before the fused
    form (bench/fused_export.py compares the two).

    Raises ParityError (and leaves ``out_dir`` untouched) when the int8 model's
    intent argmax agrees with PyTorch on fewer than ``min_intent_agreement``
    of the examples (or the float conversion itself on fewer than
    ``min_float_agreement``). ``keep_float`` also writes model_float.tflite.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    data = _as_encoded(result, parity_examples)
    model = result.model.to("cpu").eval()

    float_bytes = convert_float(model, quiet=quiet, fused=fused)
    float_meta = bundle_metadata(
        result, float_bytes, recipe="float32", float_bytes=len(float_bytes)
    )
    float_runtime = IntentModelRuntime(out, float_meta, float_bytes)
    float_report = parity_report(model, float_runtime, data, threshold=min_float_agreement)
    if not float_report.passed:
        raise ParityError(
            f"conversion check failed: the float .tflite agrees with PyTorch on only "
            f"{float_report.intent_agreement:.2%} of the intents (a litert-torch conversion "
            "problem, not quantisation)",
            float_report,
        )

    int8_bytes = quantize(float_bytes, recipe, quiet=quiet)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()  # (not mkdtemp: that makes it 0700, and the bundle must stay readable)
    try:
        meta = bundle_metadata(
            result, int8_bytes, recipe=recipe, float_bytes=len(float_bytes), extra=extra_metadata
        )
        _write_bundle(staging, int8_bytes, meta)
        report = check_parity(model, staging, data, min_intent_agreement=min_intent_agreement)
        meta["parity"] = {
            "int8_vs_torch": report.to_json(),
            "float_vs_torch": float_report.to_json(),
        }
        _write_bundle(staging, int8_bytes, meta)
        load_model(staging)  # what ships must load
        if keep_float:
            (staging / "model_float.tflite").write_bytes(float_bytes)
        if out.exists():
            for name in (MODEL_FILE, META_FILE, "model_float.tflite"):
                (out / name).unlink(missing_ok=True)
            out.mkdir(parents=True, exist_ok=True)
            for item in staging.iterdir():
                item.replace(out / item.name)
        else:
            staging.replace(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    return ExportReport(
        bundle=out,
        recipe=recipe,
        float_bytes=len(float_bytes),
        int8_bytes=len(int8_bytes),
        parameters=result.parameter_count,
        float_parity=float_report,
        parity=report,
        seconds=time.perf_counter() - started,
    )
