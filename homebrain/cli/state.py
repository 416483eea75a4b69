"""`homebrain state`: every device's abstract state, and each site's conversation.

From the daemon's retained snapshot when it runs; otherwise the command
mirrors the devices itself for a moment (asking those that can be asked). The
conversations (open question, what "it" means, the last intent, what "undo"
would send) live only in the daemon, so they are shown only from its snapshot.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
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


@dataclass
class StateReport:
    """What `homebrain state` shows: devices, where they came from, and the conversations.

    ``dialogue`` maps each site to its conversation (empty when the daemon is
    not running); ``age`` is how old the daemon's snapshot is, in seconds.
    """

    devices: dict[str, Any]
    source: str
    dialogue: dict[str, Any] = field(default_factory=dict)
    age: float = 0.0


def show_state(config: Path, timeout: float, as_json: bool) -> int:
    loaded = load_or_report(config, with_model=False)  # the home, not the recogniser
    if loaded is None:
        return 2
    try:
        report = collect_report(loaded, timeout)
    except BrokerUnreachable as exc:
        print(exc, file=sys.stderr)
        return 3
    if as_json:
        body = {"source": report.source, "devices": report.devices, "dialogue": report.dialogue}
        print(json.dumps(body, indent=2))
        return 0
    render_table(loaded, report.devices, report.source)
    if report.source == "daemon":
        render_dialogue(report.dialogue, report.age)
    return 0


def collect_state(loaded: LoadedConfig, timeout: float) -> tuple[dict[str, Any], str]:
    """Devices and their source ("daemon" or "devices"), as before conversations were shown."""
    report = collect_report(loaded, timeout)
    return report.devices, report.source


def collect_report(loaded: LoadedConfig, timeout: float) -> StateReport:
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
                report = _from_snapshot(bytes(msg.payload))
                if report is not None:
                    return report
                continue
            mirror.handle(msg.topic, bytes(msg.payload))
    return StateReport(mirror.snapshot(), "devices")


def _from_snapshot(payload: bytes) -> StateReport | None:
    """The daemon's retained snapshot; None when it is not one (then the devices are asked)."""
    try:
        data = json.loads(payload)
        devices = data["devices"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(devices, dict):
        return None
    dialogue = data.get("dialogue")
    stamp = data.get("time")
    age = max(0.0, time.time() - stamp) if isinstance(stamp, int | float) else 0.0
    return StateReport(devices, "daemon", dialogue if isinstance(dialogue, dict) else {}, age)


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


def render_dialogue(dialogue: dict[str, Any], age: float = 0.0) -> None:
    """One row per site that has talked: its open question, referents, last intent, undo."""
    console = make_console()
    if not dialogue:
        console.print("[dim]No conversations yet.[/dim]")
        return
    table = Table(title="Conversations (per site)")
    for col in ("site", "pending question", "referents", "last intent", "undo would send"):
        table.add_column(col)
    for site, conversation in sorted(dialogue.items()):
        if not isinstance(conversation, dict):
            continue
        table.add_row(
            str(site),
            _pending_text(conversation.get("pending"), age),
            ", ".join(map(str, conversation.get("referents") or [])) or "[dim]none[/dim]",
            str(conversation.get("last_intent") or "[dim]none[/dim]"),
            _undo_text(conversation.get("undo")),
        )
    console.print(table)


def _pending_text(pending: Any, age: float) -> str:
    if not isinstance(pending, dict):
        return "[dim]none[/dim]"
    left = pending.get("expires_in")
    if isinstance(left, int | float):
        left = left - age  # the snapshot was taken ``age`` seconds ago
        if left <= 0:
            return "[dim]none (timed out)[/dim]"
        return f"{pending.get('question', '')} ({pending.get('kind')}, {left:.0f}s left)"
    return f"{pending.get('question', '')} ({pending.get('kind')})"


def _undo_text(undo: Any) -> str:
    if not isinstance(undo, dict):
        return "[dim]nothing[/dim]"
    parts = [
        f"{c.get('entity_id')} " + ", ".join(f"{k}={v}" for k, v in (c.get("fields") or {}).items())
        for c in undo.get("commands") or []
        if isinstance(c, dict)
    ]
    return "; ".join(parts) or "[dim]nothing[/dim]"
