"""The device-side model runtime: clear errors for bad bundles, robust predictions. No torch needed.

The bundle under test is built fresh when torch + litert-torch are importable,
otherwise it is the committed tests/fixtures/tiny_model (regenerate it with
``/tmp/trainvenv/bin/python bench/make_tiny_model.py``).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny_corpus import FIXTURE, TINY_MAX_LEN, build_tiny_bundle, thumbs_up_pending

from homebrain.understanding import labels
from homebrain.understanding.model_runtime import (
    IntentModelRuntime,
    ModelError,
    Span,
    bio_spans,
    load_model,
    sha256_hex,
)
from homebrain.understanding.tokenizer import words


def _can_train() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "litert_torch"))


@pytest.fixture(scope="session")
def valid_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not _can_train():
        return FIXTURE
    out = tmp_path_factory.mktemp("tiny_runtime") / "bundle"
    build_tiny_bundle(out, seed=0)
    return out


@pytest.fixture
def bundle(valid_bundle: Path, tmp_path: Path) -> Path:
    """A private copy to damage."""
    return Path(shutil.copytree(valid_bundle, tmp_path / "bundle"))


def _edit_meta(bundle: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = bundle / "model.json"
    meta = json.loads(path.read_text())
    change(meta)
    path.write_text(json.dumps(meta))


def _rehash(bundle: Path) -> None:
    digest = sha256_hex((bundle / "model.tflite").read_bytes())
    _edit_meta(bundle, lambda m: m["model"].__setitem__("sha256", digest))


# ---- a good bundle ---------------------------------------------------------------------


def test_committed_fixture_is_current_and_small() -> None:
    size = sum(p.stat().st_size for p in FIXTURE.iterdir())
    assert size < 200_000
    runtime = load_model(FIXTURE)  # a format change makes this fail: regenerate the fixture
    assert runtime.predict(["turn", "on", "the", "kitchen", "lamp"]).intent == "turn_on"


def test_valid_bundle_loads_and_predicts(valid_bundle: Path) -> None:
    runtime = load_model(valid_bundle)
    assert isinstance(runtime, IntentModelRuntime)
    assert runtime.max_len == TINY_MAX_LEN
    assert runtime.intents == list(labels.INTENTS)
    p = runtime.predict(["switch", "off", "the", "bedroom", "fan"], {}, {})
    assert p.intent == "turn_off"
    assert ("room", "bedroom") in {(s.slot_type, s.text) for s in p.spans}
    assert p.intent_probs["turn_off"] == pytest.approx(p.intent_confidence, abs=1e-6)
    assert runtime.predict(*thumbs_up_pending()).intent == "affirm"
    assert runtime.predict("Switch OFF the bedroom fan!").intent == "turn_off"  # str: split
    # the bundle may also be named by either of its files
    assert load_model(valid_bundle / "model.json").intents == runtime.intents
    assert load_model(valid_bundle / "model.tflite").intents == runtime.intents


@pytest.mark.parametrize(
    "tokens",
    [
        [],
        ["🙂", "💡", "🔥"],
        ["свет", "включи", "キッチン"],
        ["<b>", "lamp", "</b>", "&amp;"],
        ["on"] * 500,
        ["x" * 10_000],
        ["", " ", "\x00"],
    ],
)
def test_odd_input_never_crashes(valid_bundle: Path, tokens: list[str]) -> None:
    runtime = load_model(valid_bundle)
    p = runtime.predict(tokens, {}, {})
    assert p.intent in runtime.intents
    assert len(p.tags) == len(tokens) == len(p.tag_confidences)
    assert p.truncated == (len(tokens) > TINY_MAX_LEN)
    assert 0.0 <= p.intent_confidence <= 1.0


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_random_text_never_crashes(valid_bundle: Path, text: str) -> None:
    runtime = _runtime(valid_bundle)
    tokens = words(text)
    p = runtime.predict(tokens, {}, {})
    assert p.intent in runtime.intents
    assert len(p.tags) == len(tokens)
    assert all(s.end <= len(tokens) and s.start < s.end for s in p.spans)


_RUNTIMES: dict[Path, IntentModelRuntime] = {}


def _runtime(path: Path) -> IntentModelRuntime:
    if path not in _RUNTIMES:
        _RUNTIMES[path] = load_model(path)
    return _RUNTIMES[path]


def test_unknown_context_and_vision_are_ignored(valid_bundle: Path) -> None:
    runtime = load_model(valid_bundle)
    tokens, context, vision = thumbs_up_pending()
    noisy_context: dict[str, Any] = {**context, "site": "kitchen", "pointing_at": "light.lamp"}
    noisy_vision: dict[str, Any] = {**vision, "gesture_wave": 1.0, "people_count": float("nan")}
    noisy_vision["zone_0"] = "not a number"
    assert runtime.predict(tokens, noisy_context, noisy_vision).intent == "affirm"
    odd = runtime.predict(["yes"], {"pending_kind": "telepathy", "last_intent": 5}, None)
    assert odd.intent in runtime.intents


def test_runtime_module_never_imports_torch() -> None:
    code = (
        "import sys, homebrain.understanding.model_runtime as m; "
        f"m.load_model({str(FIXTURE)!r}); "
        "assert 'torch' not in sys.modules, 'torch was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_bio_spans() -> None:
    tokens = ["turn", "on", "the", "living", "room", "big", "lamp", "lamp"]
    tags = ["O", "O", "O", "B-room", "I-room", "I-device", "I-device", "B-device"]
    assert bio_spans(tokens, tags) == [
        Span("room", 3, 5, "living room"),
        Span("device", 5, 7, "big lamp"),
        Span("device", 7, 8, "lamp"),
    ]
    assert bio_spans([], []) == []
    assert bio_spans(["a"], ["garbage"]) == []


# ---- bad bundles: each a ModelError naming the problem -------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nowhere")


def test_missing_tflite(bundle: Path) -> None:
    (bundle / "model.tflite").unlink()
    with pytest.raises(ModelError, match=r"model file missing: .*model\.tflite"):
        load_model(bundle)


def test_missing_metadata(bundle: Path) -> None:
    (bundle / "model.json").unlink()
    with pytest.raises(ModelError, match=r"metadata missing: .*model\.json"):
        load_model(bundle)


def test_metadata_not_json(bundle: Path) -> None:
    (bundle / "model.json").write_text("{ this is not json")
    with pytest.raises(ModelError, match="not readable JSON"):
        load_model(bundle)


def test_hash_mismatch(bundle: Path) -> None:
    path = bundle / "model.tflite"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte somewhere in the weights
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"is corrupt: sha256 .* does not match"):
        load_model(bundle)


def test_truncated_file(bundle: Path) -> None:
    path = bundle / "model.tflite"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match="corrupt"):
        load_model(bundle)


@pytest.mark.parametrize("content", [b"\x00" * 64, b"not a flatbuffer at all" * 50, b"x"])
def test_corrupt_tflite_with_matching_hash(bundle: Path, content: bytes) -> None:
    (bundle / "model.tflite").write_bytes(content)
    _rehash(bundle)
    with pytest.raises(ModelError, match="corrupt or not a LiteRT model"):
        load_model(bundle)


def test_wrong_format_version(bundle: Path) -> None:
    _edit_meta(bundle, lambda m: m.__setitem__("format_version", labels.FORMAT_VERSION + 1))
    with pytest.raises(ModelError, match=r"format version 2 but this homebrain reads version 1"):
        load_model(bundle)


def test_not_a_homebrain_bundle(bundle: Path) -> None:
    _edit_meta(bundle, lambda m: m.__setitem__("kind", "something-else"))
    with pytest.raises(ModelError, match="'kind'"):
        load_model(bundle)


def _drop_last_intent(meta: dict[str, Any]) -> None:
    meta["intents"] = meta["intents"][:-2] + meta["intents"][-1:]
    for spec in meta["outputs"]:
        if spec["name"] == "intent_probs":
            spec["shape"] = [1, len(meta["intents"])]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # metadata consistent with itself but not with the model's tensors
        (
            lambda m: m.update(
                max_len=m["max_len"] + 4,
                inputs=[
                    {**s, "shape": [1, m["max_len"] + 4, s["shape"][2]]}
                    if s["name"] == "token_ids"
                    else s
                    for s in m["inputs"]
                ],
                outputs=[
                    {**s, "shape": [1, m["max_len"] + 4, s["shape"][2]]}
                    if s["name"] == "tag_probs"
                    else s
                    for s in m["outputs"]
                ],
            ),
            "do not belong together",
        ),
        (_drop_last_intent, "do not belong together"),
        # metadata inconsistent with itself
        (lambda m: m.update(max_len=m["max_len"] + 1), "token_ids.*expected"),
        (lambda m: m.update(intents=m["intents"][1:]), "intent_probs.*expected"),
        (lambda m: m.update(tags=m["tags"][:-1]), "'tags' do not match"),
        (lambda m: m.update(intents=["turn_on", "turn_on"]), "duplicates"),
        (lambda m: m.update(intents="turn_on"), "'intents' must be a non-empty list"),
        (lambda m: m["vision"]["layout"].reverse(), "vision layout differs"),
        (lambda m: m["context"].update(dim=3), "context layout differs"),
        (lambda m: m.update(tokenizer={"kind": "bpe"}), "tokenizer"),
        (lambda m: m.update(max_len="32"), "bad max_len"),
        (lambda m: m["model"].pop("sha256"), "sha256"),
        (lambda m: m.update(inputs=m["inputs"][:2]), "'inputs' are"),
    ],
)
def test_wrong_metadata(
    bundle: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit_meta(bundle, change)
    with pytest.raises(ModelError, match=message) as info:
        load_model(bundle)
    assert str(bundle) in str(info.value)  # every message names the file
