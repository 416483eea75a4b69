"""Where profiles come from: the built-in files (devices/), then the user's profile_dirs.

A user file whose ``name`` is a built-in's replaces it, so anyone can adapt an
ecosystem's spelling without touching the installed package.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from homebrain.profiles.base import Profile, ProfileError
from homebrain.profiles.engine import YamlProfile

log = logging.getLogger("homebrain.profiles")

BUILTIN_PACKAGE = "homebrain.builtin_profiles"
SUFFIXES = (".yaml", ".yml")


@functools.cache
def builtin_profiles() -> dict[str, YamlProfile]:
    """The shipped profiles, compiled once per process (every config load reuses them)."""
    profiles: dict[str, YamlProfile] = {}
    root = resources.files(BUILTIN_PACKAGE)
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(SUFFIXES):
            continue
        profile = YamlProfile.from_text(entry.read_text(encoding="utf-8"), f"devices/{entry.name}")
        if profile.name in profiles:
            raise ProfileError(f"devices/{entry.name}: profile {profile.name!r} is defined twice")
        profiles[profile.name] = profile
    return profiles


def load_profile_file(path: Path) -> YamlProfile:
    return YamlProfile.from_file(path)


def load_profiles(extra_dirs: Iterable[Path] = ()) -> dict[str, Profile]:
    """Built-ins plus every *.yaml in each directory; ProfileError names a broken file."""
    profiles: dict[str, Profile] = dict(builtin_profiles())
    origin: dict[str, Path] = {}
    for directory in extra_dirs:
        if not directory.is_dir():
            raise ProfileError(f"{directory}: profile directory not found")
        files = sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())
        for path in files:
            profile = load_profile_file(path)
            if profile.name in origin:
                raise ProfileError(
                    f"{path}: profile {profile.name!r} is already defined in {origin[profile.name]}"
                )
            if profile.name in profiles:
                log.info("profile %r from %s replaces the built-in one", profile.name, path)
            origin[profile.name] = path
            profiles[profile.name] = profile
    return profiles
