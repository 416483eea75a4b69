"""`homebrain listen`: speech from a WAV file or stdin, through the daemon or a dry run.

What it prints for each utterance: what was heard (with the recogniser's
confidence), what was understood and what was done. By default the words go
to the running daemon like a satellite's (``homebrain/<site>/text`` with the
confidence), so devices really move; ``--dry-run`` understands them here
against simulated devices and sends nothing, for trying a config or a
recording without a daemon.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homebrain.audio.pcm import AudioFormatError, PcmFormat
from homebrain.audio.sources import AudioSource, RawPcmSource, WavFileSource
from homebrain.cli.common import load_or_report
from homebrain.cli.say import connect, daemon_online, exchange
from homebrain.home import Home
from homebrain.speech.listener import Heard, Listener
from homebrain.turns import UNHEARD, TurnResult


def listen(
    config: Path,
    wav: Path | None,
    fmt: PcmFormat,
    site: str | None,
    dry_run: bool,
    timeout: float,
    as_json: bool,
) -> int:
    loaded = load_or_report(config, with_model=dry_run)  # the daemon understands otherwise
    if loaded is None:
        return 2
    site = site or Home.from_config(loaded.config).default_site or "default"
    try:
        source: AudioSource = (
            WavFileSource(wav) if wav is not None else RawPcmSource(sys.stdin.buffer, fmt)
        )
    except AudioFormatError as exc:
        print(f"homebrain listen: {exc}", file=sys.stderr)
        return 2
    from homebrain.speech.build import build_listener  # about a second: after the checks

    listener = build_listener(loaded.config)
    if dry_run:
        from homebrain.evaluation.runner import EvalSession  # simulated devices, nothing sent

        session = EvalSession(loaded)

        def understood(heard: Heard) -> tuple[dict[str, Any] | None, str | None]:
            result = session.hear(heard.transcript, {"site": site})
            return _intent_json(result), result.response or None

        return _each_utterance(listener, source, understood, as_json)
    opened = connect(loaded, "listen", site, "(--dry-run needs no daemon)")
    if opened is None:
        return 3
    client, topics = opened
    with client:
        if not daemon_online(client, topics):
            return 1

        def sent(heard: Heard) -> tuple[dict[str, Any] | None, str | None]:
            transcript = heard.transcript
            body = {
                "text": transcript.text,
                "confidence": transcript.confidence,
                "alternatives": transcript.alternatives,
            }
            response, intent = exchange(client, topics, site, json.dumps(body).encode(), timeout)
            return intent, response

        return _each_utterance(listener, source, sent, as_json)


Turn = Callable[[Heard], tuple[dict[str, Any] | None, str | None]]


def _each_utterance(listener: Listener, source: AudioSource, turn: Turn, as_json: bool) -> int:
    """Hear the whole source; each utterance becomes a turn whose outcome is printed."""
    heard_any = False
    try:
        for heard in listener.run(source.chunks()):
            heard_any = True
            intent, response = turn(heard)
            _show(heard, intent, response, as_json)
    except AudioFormatError as exc:
        print(f"homebrain listen: {exc}", file=sys.stderr)
        return 2
    if not heard_any:
        print("(no speech found)", file=sys.stderr)
    return 0


def _intent_json(result: TurnResult) -> dict[str, Any]:
    intent: dict[str, Any] = (
        result.intent.to_json() if result.intent is not None else {"intent": None}
    )
    intent.update(outcome=result.outcome)
    intent["commands"] = [{"entity_id": c.entity_id, **c.fields} for c in result.commands]
    return intent


def _show(heard: Heard, intent: dict[str, Any] | None, response: str | None, as_json: bool) -> None:
    transcript = heard.transcript
    if as_json:
        print(
            json.dumps(
                {
                    "start": round(heard.start, 2),
                    "end": round(heard.end, 2),
                    "heard": transcript.text,
                    "confidence": round(transcript.confidence, 4),
                    "alternatives": transcript.alternatives,
                    "intent": intent,
                    "response": response,
                }
            ),
            flush=True,
        )
        return
    print(
        f"[{heard.start:6.2f}-{heard.end:6.2f}s] heard: {transcript.text or '(nothing)'}"
        f"  (confidence {transcript.confidence:.2f})",
        flush=True,
    )
    if intent is None:
        print("  no answer from homebrain", flush=True)
        return
    if intent.get("outcome") == UNHEARD:
        print("  ignored: not sure enough of what was heard", flush=True)
        return
    name = intent.get("intent") or "not understood"
    slots = intent.get("slots") or {}
    print(f"  understood: {name} {json.dumps(slots) if slots else ''}".rstrip(), flush=True)
    for command in intent.get("commands", []):
        entity = command.pop("entity_id")
        print(f"  done: {entity} {json.dumps(command)}", flush=True)
    if response:
        print(f"  says: {response}", flush=True)
