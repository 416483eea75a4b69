"""The embedded broker (amqtt) for a home with no Mosquitto yet, and for the demo.

It runs on its own asyncio loop in a background thread so the rest of the
daemon stays plain threads + paho, exactly as with an external broker.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

log = logging.getLogger("homebrain.broker")


class BrokerStartError(RuntimeError):
    pass


class EmbeddedBroker:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broker: Any = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 10.0) -> None:
        self._check_port()
        # amqtt is chatty, even about messages to clients that just left on shutdown
        logging.getLogger("amqtt").setLevel(logging.ERROR)
        logging.getLogger("transitions").setLevel(logging.WARNING)
        self._thread = threading.Thread(target=self._run, name="embedded-broker", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            raise BrokerStartError(f"embedded broker did not start within {timeout}s")
        if self._error is not None:
            raise BrokerStartError(f"embedded broker failed: {self._error}")
        log.info("embedded broker listening on %s:%d", self.host, self.port)

    def _check_port(self) -> None:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.host, self.port))
            except OSError as exc:
                raise BrokerStartError(
                    f"cannot listen on {self.host}:{self.port} ({exc.strerror}); is another broker "
                    "or homebrain already running? Change mqtt.port or set mqtt.embedded: false"
                ) from None

    def _run(self) -> None:
        from amqtt.broker import Broker  # imported here: only embedded setups pay for it

        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
            },
        }
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._broker = Broker(config, loop=loop)
            loop.run_until_complete(self._broker.start())
        except BaseException as exc:  # report any start failure to the caller
            self._error = exc
            self._started.set()
            return
        self._started.set()
        loop.run_forever()
        loop.close()

    def stop(self, timeout: float = 5.0) -> None:
        loop, broker = self._loop, self._broker
        if loop is None or broker is None or not loop.is_running():
            return
        future = asyncio.run_coroutine_threadsafe(broker.shutdown(), loop)
        try:
            future.result(timeout)
        except Exception as exc:  # shutting down: log, don't raise
            log.warning("embedded broker shutdown: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout)
