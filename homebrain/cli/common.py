"""Helpers shared by the client-side commands (say, state, simulate)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from homebrain.config.loader import ConfigError, LoadedConfig, load_config


def load_or_report(path: Path, *, with_model: bool = True) -> LoadedConfig | None:
    try:
        return load_config(path, with_model=with_model)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None


def console() -> Console:
    """A terminal console; when piped, wide enough that tables are not folded."""
    return Console() if sys.stdout.isatty() else Console(width=200)
