"""Build a configured paho client (credentials, TLS, backoff) for any homebrain process."""

from __future__ import annotations

import contextlib
import socket
import ssl
from pathlib import Path

import paho.mqtt.client as mqtt

from homebrain.config.loader import LoadedConfig, resolve_file


def read_password(loaded: LoadedConfig) -> str | None:
    cfg = loaded.config.mqtt
    if cfg.password_file is not None:
        return resolve_file(loaded, cfg.password_file).read_text(encoding="utf-8").strip()
    return cfg.password


def new_client(loaded: LoadedConfig, role: str) -> mqtt.Client:
    """A paho client named ``<client_id>-<role>``; the caller sets callbacks and connects."""
    cfg = loaded.config.mqtt
    client_id = cfg.client_id if role == "daemon" else f"{cfg.client_id}-{role}"
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311
    )
    if cfg.username:
        client.username_pw_set(cfg.username, read_password(loaded))
    if cfg.tls is not None:
        tls = cfg.tls

        def file(p: Path | None) -> str | None:
            return str(resolve_file(loaded, p)) if p is not None else None

        client.tls_set(
            ca_certs=file(tls.ca_file),
            certfile=file(tls.cert_file),
            keyfile=file(tls.key_file),
            cert_reqs=ssl.CERT_NONE if tls.insecure else ssl.CERT_REQUIRED,
        )
        client.tls_insecure_set(tls.insecure)
    client.on_socket_open = no_delay
    client.reconnect_delay_set(
        min_delay=max(1, int(cfg.reconnect_min_delay)), max_delay=int(cfg.reconnect_max_delay)
    )
    return client


def no_delay(client: mqtt.Client, userdata: object, sock: object) -> None:
    """Small MQTT packets must not wait ~40 ms for Nagle's algorithm: latency is the product."""
    with contextlib.suppress(OSError, AttributeError):  # not TCP (e.g. a websocket wrapper)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # type: ignore[attr-defined]
