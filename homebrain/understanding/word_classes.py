"""Word classes: which common English words a word resembles, as two class ids.

A table shipped with the package (built by ``homebrain.training.word_classes``
from GloVe vectors) maps the 30,000 most frequent English words to a coarse
and a fine class. The tokenizer hashes both ids as features, so a word no
training sentence used still shares features with the words it means much
the same as. Words outside the table (names, typos) get no class.

The table lists words most frequent first, so it also says which words are
common English (``WordClasses.common``). A model records the table's digest;
loading a model made with another table fails with a clear message rather
than feeding it ids it never learnt.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DEFAULT_TABLE = Path(__file__).parent / "data" / "word_classes.tsv.gz"
COMMON = 10_000  # this many of the most frequent words are "common English"


class WordClassError(ValueError):
    """The word-class table is missing, corrupt, or not the one a model was made with."""


@dataclass(frozen=True)
class WordClasses:
    digest: str  # sha256 of the table's text (not of its gzip bytes), first 16 hex digits
    table: dict[str, tuple[int, int]] = field(repr=False)
    frequent: frozenset[str] = field(repr=False, default=frozenset())  # the COMMON first

    def common(self, word: str) -> bool:
        """Whether ``word`` is among the ``COMMON`` most frequent English words."""
        return word in self.frequent

    def __call__(self, word: str) -> tuple[int, int] | None:
        """(coarse, fine) class of a lower-case word, or None when it has none."""
        return self.table.get(word)

    def __len__(self) -> int:
        return len(self.table)


@cache
def load_word_classes(path: Path = DEFAULT_TABLE) -> WordClasses:
    """Read a table (cached: every tokenizer of the process shares one)."""
    try:
        raw = path.read_bytes()
        text = gzip.decompress(raw).decode()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise WordClassError(f"word-class table {path} cannot be read: {exc}") from exc
    table: dict[str, tuple[int, int]] = {}
    frequent: list[str] = []  # the table lists words most frequent first
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            raise WordClassError(
                f"word-class table {path} line {number}: expected 'word<TAB>coarse<TAB>fine'"
            )
        table[parts[0]] = (int(parts[1]), int(parts[2]))
        if len(frequent) < COMMON:
            frequent.append(parts[0])
    if not table:
        raise WordClassError(f"word-class table {path} holds no words")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return WordClasses(digest, table, frozenset(frequent))
