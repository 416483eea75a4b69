"""Train → export → quantise → parity → device runtime, on a tiny synthetic corpus.

Needs the `train` extra (torch + litert-torch). The whole module trains one
tiny model (~20 K parameters, a few seconds on 2 cores) and exports it twice
(once to fail on purpose).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from tiny_corpus import TINY_MAX_LEN, build_tiny_bundle, thumbs_up_pending, tiny_corpus

from homebrain.training.examples import Example
from homebrain.training.export import (
    ExportReport,
    ParityError,
    check_parity,
    export_bundle,
)
from homebrain.training.model import IntentModel
from homebrain.training.train import (
    TrainResult,
    encode_examples,
    example_marks,
    length_batches,
    predict_arrays,
    train,
)
from homebrain.understanding import labels
from homebrain.understanding.model_runtime import (
    IntentModelRuntime,
    load_model,
    sha256_hex,
)
from homebrain.understanding.word_classes import load_word_classes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("tiny") / "bundle"
    data = build_tiny_bundle(out, seed=0)
    data["bundle"] = out
    return data


@pytest.fixture(scope="module")
def runtime(built: dict[str, Any]) -> IntentModelRuntime:
    return load_model(built["bundle"])


def _torch_intents(result: TrainResult, examples: list[Example]) -> list[str]:
    data = encode_examples(examples, result.tokenizer, result.max_len, result.intents, result.tags)
    probs, _ = predict_arrays(result.model, data)
    return [result.intents[i] for i in probs.argmax(-1)]


def test_training_converges_and_stops_early(built: dict[str, Any]) -> None:
    result: TrainResult = built["result"]
    assert 10_000 < result.parameter_count < 50_000
    assert result.best.val_intent_accuracy >= 0.95
    assert result.best.val_tag_accuracy >= 0.95
    assert result.history[-1].epoch >= result.best_epoch
    assert result.seconds < 60
    assert not result.model.training


def test_export_passes_parity_and_writes_a_complete_bundle(built: dict[str, Any]) -> None:
    report: ExportReport = built["report"]
    assert report.parity.passed
    assert report.parity.intent_agreement >= 0.99
    assert report.float_parity.intent_agreement == 1.0
    assert report.float_parity.max_intent_prob_diff < 1e-4  # conversion is exact
    assert report.int8_bytes < report.float_bytes

    bundle: Path = built["bundle"]
    assert sorted(p.name for p in bundle.iterdir()) == ["model.json", "model.tflite"]
    meta = json.loads((bundle / "model.json").read_text())
    assert meta["format_version"] == labels.FORMAT_VERSION
    assert meta["model"]["sha256"] == sha256_hex((bundle / "model.tflite").read_bytes())
    assert meta["model"]["quantization"] == "weight_only_wi8_afp32"
    assert meta["intents"] == list(labels.INTENTS)
    assert meta["tags"] == list(labels.TAGS)
    assert meta["tokenizer"] == {
        "kind": "hashed-crc32",
        "buckets": 1024,
        "features": 7,
        "word_classes": load_word_classes().digest,
    }
    assert meta["max_len"] == TINY_MAX_LEN
    assert meta["vision"]["layout"] == list(labels.VISION_LAYOUT)
    assert meta["parity"]["int8_vs_torch"]["intent_agreement"] >= 0.99
    assert {t["name"] for t in meta["inputs"]} == {"token_ids", "context", "vision"}
    assert {t["name"] for t in meta["outputs"]} == {"intent_probs", "tag_probs", "confidence"}


def test_runtime_matches_torch_on_held_out_sentences(
    built: dict[str, Any], runtime: IntentModelRuntime
) -> None:
    result: TrainResult = built["result"]
    test: list[Example] = built["test"]
    reference = _torch_intents(result, test)
    # the same gazetteer marks as the PyTorch side read (encode_examples draws them by position)
    predicted = [
        runtime.predict(ex.tokens, ex.context, ex.vision, example_marks(ex, i))
        for i, ex in enumerate(test)
    ]
    agreement = np.mean([p.intent == r for p, r in zip(predicted, reference, strict=True)])
    accuracy = np.mean([p.intent == ex.intent for p, ex in zip(predicted, test, strict=True)])
    assert agreement >= 0.99
    assert accuracy >= 0.9  # held-out sentences use device and room names never trained on
    for p in predicted:
        assert abs(sum(p.intent_probs.values()) - 1.0) < 1e-3
        assert p.intent_confidence == pytest.approx(max(p.intent_probs.values()), abs=1e-6)


def test_runtime_tags_spans_of_unseen_names(runtime: IntentModelRuntime) -> None:
    tokens = ["set", "the", "sconce", "to", "40", "percent"]
    p = runtime.predict(tokens, {}, {})
    assert p.intent == "set_brightness"
    assert len(p.tags) == len(tokens) == len(p.tag_confidences)
    spans = {(s.slot_type, s.text) for s in p.spans}
    assert ("value", "40") in spans and ("unit", "percent") in spans


def test_thumbs_up_without_words_while_confirm_pending_is_affirm(
    built: dict[str, Any], runtime: IntentModelRuntime
) -> None:
    tokens, context, vision = thumbs_up_pending()
    p = runtime.predict(tokens, context, vision)
    assert p.intent == "affirm"
    assert p.tags == [] and p.spans == []
    down = runtime.predict([], context, {"gesture_thumbs_down": 0.9, "speaker_seen": 1.0})
    assert down.intent == "deny"
    assert runtime.predict([], {}, {}).intent == "out_of_domain"
    example = Example([], [], "affirm", context, vision)
    assert _torch_intents(built["result"], [example]) == ["affirm"]


def test_long_input_is_truncated_and_reported(runtime: IntentModelRuntime) -> None:
    tokens = ["turn", "on", "the", "lamp"] + ["please"] * 40
    p = runtime.predict(tokens, {"nonsense_key": "x"}, {"not_a_vision_entry": 3.0})
    assert p.truncated and p.tokens_used == TINY_MAX_LEN
    assert len(p.tags) == len(tokens)
    assert p.tags[TINY_MAX_LEN:] == ["O"] * (len(tokens) - TINY_MAX_LEN)
    assert p.tag_confidences[TINY_MAX_LEN:] == [0.0] * (len(tokens) - TINY_MAX_LEN)


def test_impossible_threshold_fails_the_export(built: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "never"
    with pytest.raises(ParityError, match="parity check failed") as info:
        export_bundle(built["result"], out, built["val"], min_intent_agreement=1.01)
    assert info.value.report.intent_agreement <= 1.0
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging directory left behind


def test_corrupted_weights_fail_parity(built: dict[str, Any]) -> None:
    result: TrainResult = built["result"]
    broken: IntentModel = copy.deepcopy(result.model)
    with torch.no_grad():
        last = broken.intent_head[-1]
        last.weight.copy_(last.weight[torch.randperm(last.weight.shape[0])])
    data = encode_examples(
        built["test"], result.tokenizer, result.max_len, result.intents, result.tags
    )
    with pytest.raises(ParityError) as info:
        check_parity(broken, built["bundle"], data)
    assert info.value.report.intent_agreement < 0.99
    assert check_parity(result.model, built["bundle"], data).passed


def test_masking_makes_outputs_independent_of_padding(built: dict[str, Any]) -> None:
    result: TrainResult = built["result"]
    model = result.model
    data = encode_examples(
        built["test"][:20], result.tokenizer, TINY_MAX_LEN, result.intents, result.tags
    )
    ids = torch.from_numpy(data.token_ids)
    ctx, vis = torch.from_numpy(data.context), torch.from_numpy(data.vision)
    width = int(data.lengths.max())
    with torch.no_grad():
        full_intent, full_tags = model(ids, ctx, vis)
        cut_intent, cut_tags = model(ids[:, :width], ctx, vis)
    assert torch.allclose(full_intent, cut_intent, atol=1e-5)
    assert torch.allclose(full_tags[:, :width], cut_tags, atol=1e-5)


def test_same_seed_same_model_and_checkpoint_round_trip(tmp_path: Path) -> None:
    train_set, val_set, _ = tiny_corpus(3)
    kwargs: dict[str, Any] = {
        "epochs": 2,
        "batch_size": 32,
        "patience": 2,
        "progress": False,
        "buckets": 256,
        "dim": 8,
        "max_len": 12,
    }
    a = train(train_set[:120], val_set[:30], seed=7, **kwargs)
    b = train(train_set[:120], val_set[:30], seed=7, **kwargs)
    c = train(train_set[:120], val_set[:30], seed=8, **kwargs)
    sa, sb, sc = a.model.state_dict(), b.model.state_dict(), c.model.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not all(torch.equal(sa[k], sc[k]) for k in sa)
    assert [h.val_loss for h in a.history] == [h.val_loss for h in b.history]

    a.save(tmp_path / "ckpt.pt")
    loaded = TrainResult.load(tmp_path / "ckpt.pt")
    assert loaded.intents == a.intents and loaded.best_epoch == a.best_epoch
    assert all(torch.equal(v, loaded.model.state_dict()[k]) for k, v in sa.items())


def test_length_batches_cover_every_example_once_in_narrow_batches() -> None:
    lengths = torch.from_numpy(np.random.default_rng(0).integers(1, 30, size=1000))
    batches = length_batches(lengths, 8, torch.Generator().manual_seed(1))
    seen = torch.cat(batches)
    assert sorted(seen.tolist()) == list(range(1000))  # each once, none lost
    assert all(len(b) <= 8 for b in batches) and len(batches) == 125
    spread = [int(lengths[b].max() - lengths[b].min()) for b in batches]
    assert sum(spread) / len(spread) < 6  # random batches of 8 would spread ~20
    again = length_batches(lengths, 8, torch.Generator().manual_seed(1))
    assert all(torch.equal(a, b) for a, b in zip(batches, again, strict=True))
    other = length_batches(lengths, 8, torch.Generator().manual_seed(2))
    assert not all(torch.equal(a, b) for a, b in zip(batches, other, strict=True))


def test_train_rejects_bad_input() -> None:
    train_set, val_set, _ = tiny_corpus(4)
    bad = [Example(["hello"], ["O"], "make_coffee")]
    with pytest.raises(ValueError, match="unknown intent"):
        train(bad, val_set[:5], epochs=1, progress=False, buckets=64, dim=8, hidden=4)
    with pytest.raises(ValueError, match="validation"):
        train(train_set[:5], [], epochs=1, progress=False)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA"):
            train(train_set[:5], val_set[:5], device="cuda", epochs=1, progress=False)
    with pytest.raises(ValueError, match="device"):
        train(train_set[:5], val_set[:5], device="tpu", epochs=1, progress=False)
