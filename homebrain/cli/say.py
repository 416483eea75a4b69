"""`homebrain say`: one text command to the running daemon, its answer printed."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from homebrain.cli.client import BrokerUnreachable, Session
from homebrain.cli.common import load_or_report
from homebrain.config.loader import LoadedConfig
from homebrain.home import Home
from homebrain.mqtt.topics import Topics
from homebrain.turns import UNHEARD


def say(config: Path, text: str, site: str | None, timeout: float, as_json: bool) -> int:
    loaded = load_or_report(config, with_model=False)  # the home, not the recogniser
    if loaded is None:
        return 2
    site = site or Home.from_config(loaded.config).default_site or "default"
    opened = connect(loaded, "say", site)
    if opened is None:
        return 3
    session, topics = opened
    with session:
        if not daemon_online(session, topics):
            return 1
        response, intent = exchange(
            session, topics, site, text.encode(), timeout, want_intent=as_json
        )
        if response is None:
            print(f"no answer from homebrain within {timeout:g}s", file=sys.stderr)
            return 1
        print(response)
        if as_json and intent is not None:
            print(json.dumps(intent, indent=2))
        return 0


def connect(
    loaded: LoadedConfig, role: str, site: str, hint: str = ""
) -> tuple[Session, Topics] | None:
    """A session on the daemon's broker that hears the site's answers; None (said why) if
    the broker cannot be reached."""
    topics = Topics(loaded.config.mqtt.topic_prefix)
    try:
        session = Session(loaded, role, [topics.status, topics.response(site), topics.intent(site)])
    except BrokerUnreachable as exc:
        print(
            f"{exc}\nIs `homebrain run` (or your broker) running? {hint}".rstrip(), file=sys.stderr
        )
        return None
    return session, topics


def exchange(
    session: Session,
    topics: Topics,
    site: str,
    payload: bytes,
    timeout: float,
    want_intent: bool = True,
) -> tuple[str | None, dict[str, Any] | None]:
    """Publish one turn on the site's text topic; its (response, intent) from the daemon."""
    session.publish(topics.text(site), payload)
    response: str | None = None
    intent: dict[str, Any] | None = None
    deadline = time.monotonic() + timeout
    while (response is None or (want_intent and intent is None)) and time.monotonic() < deadline:
        msg = session.next(deadline - time.monotonic())
        if msg is None:
            break
        if msg.topic == topics.response(site):
            response = msg.payload.decode("utf-8", "replace")
        elif msg.topic == topics.intent(site):
            try:
                intent = json.loads(msg.payload)
            except ValueError:
                intent = None
            if isinstance(intent, dict) and intent.get("outcome") == UNHEARD:
                break  # ignored speech gets no spoken answer
    return response, intent


def daemon_online(session: Session, topics: Topics) -> bool:
    status = _status(session, topics.status)
    if status != "online":
        print(
            f"homebrain is not running (status: {status or 'never seen'} on {session.where})",
            file=sys.stderr,
        )
        return False
    return True


def _status(session: Session, topic: str) -> str | None:
    """The daemon's retained status arrives first when it has ever run on this broker."""
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        msg = session.next(deadline - time.monotonic())
        if msg is None:
            return None
        if msg.topic == topic:
            return msg.payload.decode("utf-8", "replace")
    return None
