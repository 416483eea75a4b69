"""`homebrain train`: corpus → train → export int8 LiteRT → parity → evaluate → report.

Needs the `train` extra (torch, litert-torch); the daemon never imports this.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from homebrain.config.loader import ConfigError, load_config
from homebrain.config.schema import HomebrainConfig
from homebrain.training.examples import Example


def run_train(
    config: Path | None,
    out: Path,
    *,
    seed: int = 0,
    device: str = "cpu",
    report: Path | None = None,
    size: int = 50_000,
    epochs: int = 30,
    members: int = 1,
    builtin_only: bool = False,
    checkpoint: Path | None = None,
    as_json: bool = False,
) -> int:
    console = Console(stderr=True)
    # torchao (pulled in by litert-torch) warns about CUDA kernels a CPU box never has
    logging.getLogger("torchao").setLevel(logging.ERROR)
    home: HomebrainConfig | None = None
    if config is not None:
        try:
            home = load_config(config).config
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
        if builtin_only:
            home = home.model_copy(update={"intents": []})
    try:
        from homebrain.training.corpus import split
        from homebrain.training.export import ParityError, export_bundle
        from homebrain.training.train import combine, train
    except ImportError as exc:
        print(
            f"training needs the train extra (pip install 'homebrain[train]'): {exc}",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    names = ", ".join(c.name for c in home.intents) if home is not None else ""
    results = []
    val_set: list[Example] = []
    examples: list[Example] = []
    for member in range(members):
        member_seed = seed + member
        console.print(
            (f"model {member + 1} of {members}: " if members > 1 else "")
            + f"generating {size} examples (seed {member_seed})"
            + (f" with custom intents {names}" if names else "")
            + "..."
        )
        drawn, intents, slot_types = training_data(home, size, member_seed)
        if member == 0:
            examples = drawn
            train_set, val_set = split(drawn, validation=0.1, seed=seed)
        else:
            train_set = outside(drawn, val_set)
        results.append(
            train(
                train_set,
                val_set,
                intents=intents,
                slot_types=slot_types,
                seed=member_seed,
                device=device,
                epochs=epochs,
                progress=not as_json,
                console=console,
            )
        )
    result = combine(results)
    console.print(result.summary())
    if checkpoint is not None:
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
        result.save(checkpoint)
        console.print(f"PyTorch weights saved to {checkpoint}")
    try:
        exported = export_bundle(result, out, val_set[:3000])
    except ParityError as exc:
        print(f"export failed the parity check, no model written: {exc}", file=sys.stderr)
        return 1
    figures = evaluate_bundle(out, val_set, report)
    figures.update(
        examples=len(examples),
        train_seconds=round(result.seconds, 1),
        total_seconds=round(time.perf_counter() - started, 1),
        export=exported.to_json(),
        best_epoch=result.best_epoch,
        parameters=result.parameter_count,
        members=result.members,
    )
    if report is not None:
        (report / "figures.json").write_text(json.dumps(figures, indent=2))
    if as_json:
        print(json.dumps(figures))
    else:
        show(figures, out)
    return 0


def outside(examples: list[Example], held: list[Example]) -> list[Example]:
    """``examples`` minus any sentence (in its context) that the validation split holds.

    Every member of an ensemble is checked on the first member's validation
    split, so the later members, drawn from other corpus seeds, must not train on it.
    """
    seen = {_sentence_in_context(e) for e in held}
    return [e for e in examples if _sentence_in_context(e) not in seen]


def _sentence_in_context(example: Example) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    return tuple(example.tokens), tuple(sorted(example.context.items()))


def training_data(
    home: HomebrainConfig | None, size: int, seed: int
) -> tuple[list[Example], tuple[str, ...], tuple[str, ...]]:
    """The corpus ``homebrain train`` learns from and the label lists its model carries.

    The config's custom intents go in with every spoken form (numbers as
    digits and words, as the grammar hears them), so the model learns them and
    its bundle names them: the daemon then leaves them to the model instead of
    matching their templates first.
    """
    from homebrain.training.corpus import generate_corpus, intents_for, slot_types_for

    customs = home.custom_intents if home is not None else []
    examples = generate_corpus(home, size=size, seed=seed, custom_intents=customs)
    return examples, intents_for(customs), slot_types_for(customs)


def evaluate_bundle(bundle: Path, examples: list[Example], report: Path | None) -> dict[str, Any]:
    """Run the exported int8 model on held-out examples through the device runtime."""
    from homebrain.training import report as rep
    from homebrain.understanding.model_runtime import load_model

    model = load_model(bundle)
    gold_intents, predicted_intents, gold_tags, predicted_tags = [], [], [], []
    for example in examples:
        prediction = model.predict(example.tokens, example.context, example.vision)
        gold_intents.append(example.intent)
        predicted_intents.append(prediction.intent)
        gold_tags.append(example.tags)
        predicted_tags.append(prediction.tags)
    intents = list(model.intents)
    intent_rows = rep.intent_scores(gold_intents, predicted_intents, intents)
    slot_rows = rep.slot_scores(gold_tags, predicted_tags, list(model.slot_types))
    accuracy = sum(g == p for g, p in zip(gold_intents, predicted_intents, strict=True)) / max(
        len(examples), 1
    )
    exact_tags = sum(g == p for g, p in zip(gold_tags, predicted_tags, strict=True)) / max(
        len(examples), 1
    )
    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        text = "# Training report (validation split, int8 model)\n\n"
        text += (
            f"Intent accuracy {accuracy:.4f}; sentences with every tag right {exact_tags:.4f}\n\n"
        )
        text += rep.markdown_table("Intents", intent_rows) + "\n"
        text += rep.markdown_table("Slots (exact spans)", slot_rows)
        (report / "report.md").write_text(text)
        matrix = rep.confusion(gold_intents, predicted_intents, intents)
        rep.plot_confusion(matrix, intents, report / "confusion.png")
    return {
        "validation_examples": len(examples),
        "intent_accuracy": round(accuracy, 4),
        "all_tags_right": round(exact_tags, 4),
        "intent_f1": {r.label: round(r.f1, 4) for r in intent_rows},
        "slot_f1": {r.label: round(r.f1, 4) for r in slot_rows},
    }


def show(figures: dict[str, Any], out: Path) -> None:
    console = Console()
    table = Table(title=f"Model written to {out}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    export = figures["export"]
    rows = [
        ("examples", f"{figures['examples']}"),
        ("models averaged", str(figures["members"])),
        ("parameters", f"{figures['parameters']:,}"),
        ("best epoch", str(figures["best_epoch"])),
        ("training time", f"{figures['train_seconds']} s"),
        (
            "int8 model",
            f"{export['int8_bytes'] / 1024:.0f} KiB (float {export['float_bytes'] / 1024:.0f} KiB)",
        ),
        ("int8/PyTorch intent agreement", f"{export['parity']['intent_agreement']:.4f}"),
        ("validation intent accuracy", f"{figures['intent_accuracy']:.4f}"),
        ("validation sentences, all tags right", f"{figures['all_tags_right']:.4f}"),
        ("total time", f"{figures['total_seconds']} s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
