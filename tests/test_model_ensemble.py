"""An ensemble of models trained apart: averaged probabilities, one exported graph.

Needs the `train` extra. Trains two tiny models (different seeds) on the tiny
corpus, combines them and exports the ensemble through the same path as a
single model: the device runtime must give the members' average.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from tiny_corpus import tiny_corpus

from homebrain.training.examples import Example
from homebrain.training.export import export_bundle
from homebrain.training.model import IntentEnsemble, IntentModel, build_network
from homebrain.training.train import TrainResult, combine, encode_examples, predict_arrays, train
from homebrain.understanding.model_runtime import load_model

SMALL: dict[str, Any] = {
    "epochs": 4,
    "batch_size": 32,
    "patience": 2,
    "progress": False,
    "buckets": 512,
    "dim": 16,
    "max_len": 16,
}


@pytest.fixture(scope="module")
def members() -> tuple[list[TrainResult], list[Example], list[Example]]:
    train_set, val_set, test_set = tiny_corpus(5)
    results = [train(train_set[:600], val_set[:80], seed=s, **SMALL) for s in (11, 12)]
    return results, val_set[:80], test_set[:60]


def _encoded(result: TrainResult, examples: list[Example]) -> Any:
    return encode_examples(examples, result.tokenizer, result.max_len, result.intents, result.tags)


def test_ensemble_averages_its_members_probabilities(
    members: tuple[list[TrainResult], list[Example], list[Example]],
) -> None:
    results, _, test = members
    ensemble = combine(results)
    assert isinstance(ensemble.model, IntentEnsemble) and ensemble.members == 2
    assert ensemble.parameter_count == sum(r.parameter_count for r in results)
    assert ensemble.seconds == pytest.approx(sum(r.seconds for r in results))
    data = _encoded(ensemble, test)
    one = [predict_arrays(r.model, data) for r in results]
    intents, tags = predict_arrays(ensemble.model, data)
    assert np.allclose(intents, (one[0][0] + one[1][0]) / 2, atol=1e-6)
    assert np.allclose(tags, (one[0][1] + one[1][1]) / 2, atol=1e-6)
    assert not np.allclose(one[0][0], one[1][0], atol=1e-3)  # the seeds made different models
    # forward gives log probabilities, so anything reading logits gets the average back
    with torch.no_grad():
        logits, _ = ensemble.model(
            torch.from_numpy(data.token_ids),
            torch.from_numpy(data.context),
            torch.from_numpy(data.vision),
        )
    assert np.allclose(torch.softmax(logits, -1).numpy(), intents, atol=1e-5)


def test_combine_rejects_members_that_read_different_inputs(
    members: tuple[list[TrainResult], list[Example], list[Example]],
) -> None:
    results, _, _ = members
    assert combine(results[:1]) is results[0]
    other = TrainResult(**{**results[1].__dict__, "max_len": results[1].max_len + 1})
    with pytest.raises(ValueError, match="share the tokenizer"):
        combine([results[0], other])
    with pytest.raises(ValueError, match="at least one"):
        IntentEnsemble([])
    small = IntentModel(buckets=64, features=7, max_len=16, n_intents=3, n_tags=5)
    with pytest.raises(ValueError, match="differ"):
        IntentEnsemble([results[0].model, small])  # type: ignore[list-item]


def test_ensemble_exports_to_one_bundle_the_runtime_reads_as_the_average(
    members: tuple[list[TrainResult], list[Example], list[Example]], tmp_path: Path
) -> None:
    results, val, test = members
    ensemble = combine(results)
    report = export_bundle(ensemble, tmp_path / "bundle", val)
    assert report.parity.passed and report.float_parity.intent_agreement == 1.0
    runtime = load_model(tmp_path / "bundle")
    assert "2 averaged" in runtime.meta["model"]["architecture"]
    assert runtime.meta["training"]["members"] == 2
    assert len(runtime.meta["model"]["config"]["members"]) == 2

    data = _encoded(ensemble, test)
    reference, _ = predict_arrays(ensemble.model, data)
    lite = np.stack(
        [
            runtime.run_arrays(data.token_ids[i], data.context[i], data.vision[i])[0]
            for i in range(len(test))
        ]
    )
    assert np.mean(lite.argmax(-1) == reference.argmax(-1)) >= 0.95
    assert np.abs(lite - reference).max() < 0.05  # int8 weights, averaged probabilities


def test_ensemble_checkpoint_round_trip(
    members: tuple[list[TrainResult], list[Example], list[Example]], tmp_path: Path
) -> None:
    results, _, _ = members
    ensemble = combine(results)
    ensemble.save(tmp_path / "ensemble.pt")
    loaded = TrainResult.load(tmp_path / "ensemble.pt")
    assert isinstance(loaded.model, IntentEnsemble) and loaded.members == 2
    state = ensemble.model.state_dict()
    assert all(torch.equal(v, loaded.model.state_dict()[k]) for k, v in state.items())
    rebuilt = build_network(ensemble.model.config())
    assert isinstance(rebuilt, IntentEnsemble) and len(rebuilt.members) == 2
