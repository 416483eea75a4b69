"""The package as pip builds it: every subpackage listed, profiles shipped, no torch in the base."""

from __future__ import annotations

import tomllib
from importlib import resources

from conftest import ROOT


def test_every_subpackage_is_listed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(project["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "homebrain").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert "homebrain.builtin_profiles" in listed


def test_base_install_does_not_pull_torch() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any("torch" in dep for dep in project["dependencies"])
    train = project["optional-dependencies"]["train"]
    assert "torch==2.13.0" in train  # pinned: a bare torch pulls a CUDA build
    assert {"audio", "vision", "train", "dev"} <= set(project["optional-dependencies"])
    assert project["scripts"]["homebrain"] == "homebrain.cli.main:main"


def test_profiles_are_installed_package_data() -> None:
    names = {p.name for p in resources.files("homebrain.builtin_profiles").iterdir()}
    assert {"zigbee2mqtt.yaml", "tasmota.yaml", "homeassistant.yaml", "template.yaml"} <= names
