"""YAML that remembers where everything came from.

Config files and evaluation files both promise errors that name the file, the
line and the key path; this is the one reader both use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, said so a person can find and fix it."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SourceError(Exception):
    """Several problems, reported together."""

    what = "file"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(
            f"{len(problems)} {self.what} {noun}:\n" + "\n".join(f"  {p}" for p in problems)
        )


class Located:
    """The data of a YAML document plus the line of every key path in it.

    ``words_for_bools`` keeps unquoted on/off/yes/no as words (YAML 1.2), for
    files where "on" is a device state, not a boolean.
    """

    def __init__(self, words_for_bools: bool = False) -> None:
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []
        self.words_for_bools = words_for_bools
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc = ()) -> Any:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*loc, "<key>"))
                if isinstance(key, list | dict):
                    key = str(key)
                if key in out:
                    self.duplicates.append(((*loc, key), key_node.start_mark.line + 1))
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, (*loc, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if (
            self.words_for_bools
            and isinstance(node, yaml.ScalarNode)
            and node.tag == "tag:yaml.org,2002:bool"
            and node.style is None
            and node.value.lower() not in ("true", "false")
        ):
            return node.value
        return self._scalars.construct_object(node, deep=True)

    def line(self, loc: Loc) -> int | None:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None


def read_located(path: Path, words_for_bools: bool = False) -> tuple[Any, Located]:
    """Read and parse a YAML file; unreadable or invalid YAML raises SourceError."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError([Problem(name, None, "", f"cannot read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise SourceError([Problem(name, None, "", "not UTF-8 text")]) from None
    located = Located(words_for_bools)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = located.build(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        raise SourceError([Problem(name, line, "", f"invalid YAML: {problem}")]) from None
    return data, located
