"""The training report: per-intent and per-slot precision/recall/F1, and a confusion matrix.

Written as Markdown tables (readable in a terminal or on a forge) plus a PNG
of the intent confusion matrix, because people look at confusions rather
than read them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Scores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


def _score(label: str, tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(label, precision, recall, f1, tp + fn)


def intent_scores(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> list[Scores]:
    out = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        out.append(_score(label, tp, fp, fn))
    return out


def spans(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """(type, start, end) of every BIO span; a stray I- starts a span, as taggers read it."""
    found: set[tuple[str, int, int]] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == kind
        if start >= 0 and not inside:
            found.add((kind, start, i))
            start, kind = -1, ""
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return found


def slot_scores(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], slot_types: Sequence[str]
) -> list[Scores]:
    """Exact-span F1 per slot type (a span counts only with the right type and both edges)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g, p = spans(g_tags), spans(p_tags)
        for kind, *_ in g & p:
            tp[kind] += 1
        for kind, *_ in p - g:
            fp[kind] += 1
        for kind, *_ in g - p:
            fn[kind] += 1
    return [_score(s, tp[s], fp[s], fn[s]) for s in slot_types]


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, predicted, strict=True):
        if g in index and p in index:
            matrix[index[g], index[p]] += 1
    return matrix


def markdown_table(title: str, rows: Sequence[Scores]) -> str:
    lines = [
        f"### {title}",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.label} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | {r.support} |"
        )
    return "\n".join(lines) + "\n"


def plot_confusion(matrix: np.ndarray, labels: Sequence[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    normalised = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(6.0, 0.35 * len(labels))
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(normalised, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Intent confusion (validation, row-normalised)")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j] and (i != j or normalised[i, j] < 0.995):
                ax.text(
                    j,
                    i,
                    str(matrix[i, j]),
                    ha="center",
                    va="center",
                    fontsize=5,
                    color="white" if normalised[i, j] > 0.5 else "black",
                )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
