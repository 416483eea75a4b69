"""`homebrain state`: every device's abstract state.

From the daemon's retained snapshot when it runs; otherwise the command
mirrors the devices itself for a moment (asking those that can be asked).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from rich.table import Table

from homebrain.cli.client import BrokerUnreachable, Session
from homebrain.cli.common import console as make_console
from homebrain.cli.common import load_or_report
from homebrain.config.loader import LoadedConfig
from homebrain.home import Home
from homebrain.mqtt.topics import Topics
from homebrain.state.mirror import StateMirror


def show_state(config: Path, timeout: float, as_json: bool) -> int:
    loaded = load_or_report(config)
    if loaded is None:
        return 2
    try:
        devices, source = collect_state(loaded, timeout)
    except BrokerUnreachable as exc:
        print(exc, file=sys.stderr)
        return 3
    if as_json:
        print(json.dumps({"source": source, "devices": devices}, indent=2))
        return 0
    render_table(loaded, devices, source)
    return 0


def collect_state(loaded: LoadedConfig, timeout: float) -> tuple[dict[str, Any], str]:
    topics = Topics(loaded.config.mqtt.topic_prefix)
    mirror = StateMirror(loaded)
    with Session(loaded, "state", [topics.state, *mirror.subscriptions()]) as session:
        for message in mirror.refresh_requests():
            session.publish(message.topic, message.payload)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = session.next(min(0.3, deadline - time.monotonic()))
            if msg is None:
                if _complete(mirror):
                    break
                continue
            if msg.topic == topics.state:
                try:
                    snapshot = json.loads(msg.payload)["devices"]
                except (ValueError, KeyError, TypeError):
                    continue
                return snapshot, "daemon"
            mirror.handle(msg.topic, bytes(msg.payload))
    return mirror.snapshot(), "devices"


def _complete(mirror: StateMirror) -> bool:
    return all(entry["state"] for entry in mirror.snapshot().values())


def render_table(loaded: LoadedConfig, devices: dict[str, Any], source: str) -> None:
    home = Home.from_config(loaded.config)
    table = Table(title=f"Device state (from the {source})")
    for col in ("entity", "name", "room", "state", "updated"):
        table.add_column(col)
    now = time.time()
    for entity_id, entity in home.entities.items():
        entry = devices.get(entity_id) or {}
        fields = entry.get("state") or {}
        shown = ", ".join(f"{k}={v}" for k, v in fields.items()) or "[dim]unknown[/dim]"
        updated = entry.get("updated")
        ago = f"{now - updated:.0f}s ago" if isinstance(updated, int | float) else ""
        table.add_row(entity_id, entity.name, entity.room or "", shown, ago)
    make_console().print(table)
