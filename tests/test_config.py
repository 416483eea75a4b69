"""Config errors: file, line, key path, bad value, what was expected — all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from homebrain.cli.main import main
from homebrain.config.loader import ConfigError, load_config

BASE = """\
mqtt:
  host: localhost
rooms:
  kitchen: {aliases: [galley]}
  bedroom: {}
sites:
  kitchen: {room: kitchen}
devices:
  - id: light.kitchen
    name: Kitchen light
    room: kitchen
    profile: zigbee2mqtt
    friendly_name: kitchen_light
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "home.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def test_demo_and_base_configs_load(tmp_path: Path) -> None:
    loaded = load_config(ROOT / "configs" / "demo.yaml")
    assert len(loaded.config.devices) >= 10
    assert loaded.device("lock.front_door").is_sensitive
    assert loaded.device("cover.garage_door").is_sensitive
    assert not loaded.device("cover.living_room_blinds").is_sensitive
    path = tmp_path / "ok.yaml"
    path.write_text(BASE)
    assert load_config(path).config.rooms["kitchen"].aliases == ["galley"]


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "  - id: [unclosed\n")
    assert len(found) == 1
    assert "home.yaml:15" in found[0] and "invalid YAML" in found[0]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("  host: localhost", "  hots: localhost"))
    assert any(
        "home.yaml:2" in p and "mqtt.hots" in p and "did you mean 'host'" in p for p in found
    ), found


def test_unknown_top_level_key(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "devics: []\n")
    assert any("'devics'" in p and "did you mean 'devices'" in p for p in found), found


def test_wrong_type_names_path_value_and_expectation(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("  host: localhost", "  host: localhost\n  port: lots"))
    assert any(
        "home.yaml:3" in p and "mqtt.port" in p and "'lots'" in p and "integer" in p for p in found
    ), found


def test_several_errors_reported_together(tmp_path: Path) -> None:
    text = BASE.replace("room: kitchen\n    profile", "room: kitchn\n    profile").replace(
        "  hots", "  hots"
    )
    text = text.replace("  host: localhost", "  host: localhost\n  port: 99999")
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert any("mqtt.port" in p and "99999" in p for p in found)
    assert any(
        "devices[0 light.kitchen].room" in p and "did you mean 'kitchen'" in p for p in found
    )


def test_duplicate_entity_ids(tmp_path: Path) -> None:
    dup = (
        BASE
        + """\
  - id: light.kitchen
    room: kitchen
    profile: zigbee2mqtt
    friendly_name: other
"""
    )
    found = problems(tmp_path, dup)
    assert any("home.yaml:14" in p and "duplicate entity id 'light.kitchen'" in p for p in found), (
        found
    )


def test_duplicate_mapping_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("  bedroom: {}", "  bedroom: {}\n  kitchen: {}"))
    assert any("rooms.kitchen" in p and "duplicate key" in p for p in found), found


def test_device_in_unknown_room(tmp_path: Path) -> None:
    found = problems(
        tmp_path, BASE.replace("room: kitchen\n    profile", "room: attic\n    profile")
    )
    assert any(
        "devices[0 light.kitchen].room" in p and "'attic' is not a room" in p and "kitchen" in p
        for p in found
    )


def test_bad_entity_id(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("id: light.kitchen", "id: lamp.kitchen"))
    assert any("devices[0 lamp.kitchen].id" in p and "domain" in p for p in found), found


def test_profile_missing_its_field(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("    friendly_name: kitchen_light\n", ""))
    assert any("friendly_name" in p and "zigbee2mqtt" in p for p in found), found


def test_profile_unknown_field_suggests(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        BASE.replace(
            "friendly_name: kitchen_light", "friendly_nam: kitchen_light\n    friendly_name: k"
        ),
    )
    assert any("friendly_nam" in p and "did you mean 'friendly_name'" in p for p in found), found


def test_unknown_profile(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("profile: zigbee2mqtt", "profile: zigbee"))
    assert any("'zigbee' is not a profile" in p and "zigbee2mqtt" in p for p in found), found


def test_password_file_that_is_a_directory(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        BASE.replace(
            "  host: localhost", f"  host: localhost\n  username: hb\n  password_file: {tmp_path}"
        ),
    )
    assert any("mqtt.password_file" in p and "cannot read" in p for p in found), found


def test_missing_password_file(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        BASE.replace(
            "  host: localhost", "  host: localhost\n  username: hb\n  password_file: nowhere.txt"
        ),
    )
    assert any(
        "home.yaml:4" in p and "mqtt.password_file" in p and "cannot read" in p for p in found
    ), found


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config("/nonexistent/homebrain.yaml")


def test_check_config_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(ROOT / "configs" / "demo.yaml")]) == 0
    out = capsys.readouterr().out
    assert (
        "light.kitchen_ceiling" in out and "zigbee2mqtt/kitchen_ceiling" in out and "Rooms" in out
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.replace("room: kitchen\n    profile", "room: attic\n    profile"))
    assert main(["check-config", str(bad)]) == 2
    assert "'attic' is not a room" in capsys.readouterr().err


def test_devices_of_the_wrong_shape(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.split("devices:")[0] + "devices: 3\n")
    assert any("devices" in p and "list" in p for p in found), found


def test_model_recogniser_loads_the_shipped_model(tmp_path: Path) -> None:
    path = tmp_path / "home.yaml"
    path.write_text(BASE + "understanding: {recogniser: model}\n")
    loaded = load_config(path)
    assert loaded.model is not None and "out_of_domain" in loaded.model.intents
    # client commands (say, state) read the home only: no model to load
    assert load_config(path, with_model=False).model is None


def test_missing_model_stops_start_up(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "understanding:\n  recogniser: model\n  model: nowhere\n")
    assert any("home.yaml:16" in p and "model not found" in p for p in found), found


def test_corrupt_model_stops_start_up(tmp_path: Path) -> None:
    import shutil

    from homebrain.models import DEFAULT_MODEL

    bundle = Path(shutil.copytree(DEFAULT_MODEL, tmp_path / "model"))
    data = bytearray((bundle / "model.tflite").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bundle / "model.tflite").write_bytes(bytes(data))
    found = problems(tmp_path, BASE + "understanding: {recogniser: model, model: model}\n")
    assert any("understanding.model" in p and ("corrupt" in p or "sha256" in p) for p in found), (
        found
    )


def test_unknown_recogniser(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE + "understanding: {recogniser: neural}\n")
    wanted = "'grammar' or 'model'"
    assert any("understanding.recogniser" in p and wanted in p for p in found), found
