"""`homebrain check-config`: the config as tables, or every problem in it (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from homebrain.cli.common import console as make_console
from homebrain.config.loader import ConfigError, load_config
from homebrain.config.schema import HomebrainConfig
from homebrain.home import Home


def check_config(path: Path) -> int:
    console = make_console()
    try:
        loaded = load_config(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    home = Home.from_config(loaded.config)
    cfg = loaded.config
    mqtt = cfg.mqtt
    where = "embedded broker" if mqtt.embedded else "broker"
    console.print(
        f"[bold]{path}[/bold]: OK — {where} {mqtt.host}:{mqtt.port}, prefix '{mqtt.topic_prefix}'"
    )

    rooms = Table(title="Rooms")
    for col in ("room", "name", "aliases", "floor", "sites", "devices"):
        rooms.add_column(col)
    for room in home.rooms.values():
        sites = [s.id for s in home.sites.values() if s.room == room.id]
        rooms.add_row(
            room.id,
            room.name,
            ", ".join(room.aliases),
            room.floor or "",
            ", ".join(sites),
            str(len(home.in_room(room.id))),
        )
    console.print(rooms)

    devices = Table(title="Devices")
    for col in ("entity", "name", "aliases", "room", "profile", "state topics", "sensitive"):
        devices.add_column(col)
    for device in cfg.devices:
        entity = home.entities[device.id]
        topics = loaded.profiles[device.profile].state_topics(device)
        devices.add_row(
            device.id,
            entity.name,
            ", ".join(entity.aliases),
            device.room or "",
            device.profile,
            "\n".join(topics),
            "yes" if entity.sensitive else "",
        )
    console.print(devices)
    _speech(console, loaded.config)
    _vision(console, loaded.config)
    return 0


def _vision(console: Console, cfg: HomebrainConfig) -> None:
    """What each camera watches, where it reads from, and when it may look."""
    cameras = cfg.vision.cameras
    if not cameras:
        console.print("Vision: no cameras (everything works without)")
        return
    table = Table(title="Cameras")
    for col in ("camera", "room", "source", "size / fps", "looks", "zones", "marked devices"):
        table.add_column(col)
    prefix = cfg.mqtt.topic_prefix
    for name, cam in cameras.items():
        src = cam.source
        origin = f"{src.type} {src.path if src.path is not None else src.device or 0}"
        looks = "disabled" if not cam.enabled else ", ".join(cam.schedule) or "always"
        table.add_row(
            name,
            cam.room or "",
            origin,
            f"{cam.width}×{cam.height} @ {cam.fps:g}",
            looks,
            ", ".join(cam.zones),
            ", ".join(cam.devices),
        )
    console.print(table)
    console.print(f"Presence on {prefix}/<camera>/presence (retained JSON, never an image)")


def _speech(console: Console, cfg: HomebrainConfig) -> None:
    """Where the daemon listens, and how it starts listening."""
    speech = cfg.speech
    if not speech.sources:
        console.print("Speech: no audio sources (text only)")
        return
    wake = speech.wake_word.model if speech.wake_word else "none (always listening)"
    said = f"spoken ({speech.speak.output})" if speech.speak.enabled else "not spoken"
    console.print(f"Speech: {speech.engine}, wake word {wake}; answers {said}")
    table = Table(title="Audio sources")
    for col in ("source", "site", "from"):
        table.add_column(col)
    prefix = cfg.mqtt.topic_prefix
    for source in speech.sources:
        site = source.site or cfg.default_site or "default"
        origin = {
            "mqtt": f"{prefix}/{site}/audio",
            "mic": f"microphone {source.device if source.device is not None else '(default)'}",
            "wav": str(source.path),
            "raw": f"{source.path} ({source.rate} Hz, {source.channels} ch, "
            f"{8 * source.width}-bit)",
        }[source.type]
        table.add_row(source.type, site, origin)
    console.print(table)
