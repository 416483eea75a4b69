"""`homebrain train` as a user runs it, on a small corpus: bundle, parity, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from homebrain.cli.main import main
from homebrain.training.train import TrainResult
from homebrain.understanding.model_runtime import load_model


def test_train_writes_bundle_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, report, weights = tmp_path / "model", tmp_path / "report", tmp_path / "w" / "m.pt"
    code = main(
        [
            "train", "--config", str(ROOT / "configs" / "demo.yaml"), "--out", str(out),
            "--report", str(report), "--size", "2500", "--epochs", "6", "--seed", "3", "--json",
            "--checkpoint", str(weights),
        ]
    )  # fmt: skip
    # (6 epochs: after 4 some intents are near ties that int8 rounding may flip, and the
    # parity check rightly refuses such a model)
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["export"]["parity"]["intent_agreement"] >= 0.99
    assert 0.0 <= figures["intent_accuracy"] <= 1.0
    assert set(figures["slot_f1"]) >= {"device", "room", "value"}
    assert (report / "confusion.png").read_bytes()[:4] == b"\x89PNG"
    assert "| out_of_domain |" in (report / "report.md").read_text()
    model = load_model(out)  # the device runtime reads what training wrote
    assert "affirm" in model.intents and model.predict("turn on the kitchen light").intent
    # the PyTorch weights, to export the same model again later
    assert list(TrainResult.load(weights).intents) == list(model.intents)


def test_train_reports_a_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rooms: [\n")
    assert main(["train", "--config", str(bad), "--out", str(tmp_path / "m")]) == 2
    assert "invalid YAML" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_members_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "two"):
        with pytest.raises(SystemExit) as info:
            main(["train", "--out", "/nonexistent/m", "--members", bad])
        assert info.value.code == 2
        assert "--members" in capsys.readouterr().err


def test_later_ensemble_members_never_train_on_the_validation_split() -> None:
    from homebrain.training.cli import outside, training_data
    from homebrain.training.corpus import split

    first, _, _ = training_data(None, 3000, 0)
    later, _, _ = training_data(None, 3000, 1)
    _, val = split(first, validation=0.1, seed=0)
    kept = outside(later, val)
    held = {(tuple(e.tokens), tuple(sorted(e.context.items()))) for e in val}
    assert 0 < len(later) - len(kept) < len(later) // 2  # common short commands recur
    assert not any((tuple(e.tokens), tuple(sorted(e.context.items()))) in held for e in kept)
