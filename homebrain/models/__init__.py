"""Models shipped with homebrain (package data): ``default`` is the English intent model."""

from pathlib import Path

DEFAULT_MODEL = Path(__file__).parent / "default"
