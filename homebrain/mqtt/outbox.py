"""Commands waiting for the broker: sent in order once connected, failed when too old.

Paho would queue and resend by itself, but it cannot expire a message: an
"unlock" taken during a long outage must not fire minutes later. So homebrain
keeps its own queue, hands a message to paho only while connected, and forgets
paho's copy of anything not acknowledged when the connection drops.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from homebrain.messages import MqttMessage


@dataclass
class Pending:
    message: MqttMessage
    created: float
    max_age: float | None  # None: never expires (status, responses)
    on_failed: Callable[[Pending, str], None] | None = None
    on_sent: Callable[[Pending], None] | None = None
    tag: Any = None
    mid: int | None = field(default=None, compare=False)
    # paho's own word on the broker's acknowledgement (MQTTMessageInfo.is_published)
    published: Callable[[], bool] | None = field(default=None, compare=False, repr=False)
    # creation order, so requeued messages keep the order they were asked for in
    seq: int = field(default_factory=itertools.count().__next__, compare=False)

    def expired(self, now: float) -> bool:
        return self.max_age is not None and now - self.created > self.max_age


class Outbox:
    """Thread-safe FIFO of Pending messages with in-flight tracking by paho mid."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting: list[Pending] = []
        self._inflight: dict[int, Pending] = {}

    def add(self, pending: Pending) -> None:
        with self._lock:
            self._waiting.append(pending)

    def take_ready(self) -> tuple[list[Pending], list[Pending]]:
        """Split the waiting messages into (to send now, expired) and empty the queue."""
        now = self._clock()
        with self._lock:
            waiting, self._waiting = self._waiting, []
        ready = [p for p in waiting if not p.expired(now)]
        expired = [p for p in waiting if p.expired(now)]
        return ready, expired

    def take_expired(self) -> list[Pending]:
        now = self._clock()
        with self._lock:
            expired = [p for p in self._waiting if p.expired(now)]
            self._waiting = [p for p in self._waiting if not p.expired(now)]
        return expired

    def inflight(
        self, mid: int, pending: Pending, published: Callable[[], bool] | None = None
    ) -> None:
        """Wait for the broker's acknowledgement of ``mid``.

        paho's network thread may run on_publish before publish() has returned the mid to
        us (a broker on loopback acknowledges within microseconds), so ``acked`` can miss
        it; ``published`` lets ``take_published`` settle such a message later instead of
        keeping it in flight forever and sending it again after the next reconnect.
        """
        pending.mid = mid
        pending.published = published
        with self._lock:
            self._inflight[mid] = pending

    def acked(self, mid: int) -> Pending | None:
        with self._lock:
            return self._inflight.pop(mid, None)

    def take_published(self) -> list[Pending]:
        """In-flight messages the broker did acknowledge though ``acked`` missed it."""
        with self._lock:
            done = [p for p in self._inflight.values() if p.published is not None and p.published()]
            for pending in done:
                del self._inflight[pending.mid]  # type: ignore[arg-type]
        return sorted(done, key=lambda p: p.seq)

    def requeue_inflight(self) -> int:
        """The connection dropped: what was not acknowledged waits again, oldest first.

        Call ``take_published`` first: what the broker acknowledged must not go twice.
        """
        with self._lock:
            back = sorted(self._inflight.values(), key=lambda p: p.seq)
            self._inflight.clear()
            for pending in back:
                pending.mid = None
            self._waiting = back + self._waiting
            return len(back)

    def requeue_front(self, pendings: list[Pending]) -> None:
        with self._lock:
            self._waiting = list(pendings) + self._waiting

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting) + len(self._inflight)
