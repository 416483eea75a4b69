"""The outbox's promises, with a controllable clock: order kept, old commands failed, none lost."""

from __future__ import annotations

from homebrain.messages import MqttMessage
from homebrain.mqtt.outbox import Outbox, Pending


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def pending(clock: Clock, topic: str, max_age: float | None = 30.0) -> Pending:
    return Pending(MqttMessage(topic, b"x"), clock(), max_age)


def test_ready_and_expired_are_split_in_order() -> None:
    clock = Clock()
    box = Outbox(clock)
    box.add(pending(clock, "old"))
    clock.now += 20
    box.add(pending(clock, "young"))
    box.add(pending(clock, "status", max_age=None))
    clock.now += 15  # old is 35 s, young 15 s
    ready, expired = box.take_ready()
    assert [p.message.topic for p in ready] == ["young", "status"]
    assert [p.message.topic for p in expired] == ["old"]
    assert len(box) == 0


def test_unacknowledged_go_back_first_in_order() -> None:
    clock = Clock()
    box = Outbox(clock)
    first, second = pending(clock, "a"), pending(clock, "b")
    clock.now += 1
    later = pending(clock, "c")
    box.inflight(2, second)
    box.inflight(1, first)
    box.add(later)
    assert box.acked(99) is None
    assert box.requeue_inflight() == 2
    ready, _ = box.take_ready()
    assert [p.message.topic for p in ready] == ["a", "b", "c"]
    assert all(p.mid is None for p in ready)


def test_acked_message_leaves_the_box() -> None:
    clock = Clock()
    box = Outbox(clock)
    p = pending(clock, "a")
    box.inflight(7, p)
    assert len(box) == 1
    assert box.acked(7) is p
    assert len(box) == 0
    assert box.requeue_inflight() == 0


def test_expired_while_down_are_taken_once() -> None:
    clock = Clock()
    box = Outbox(clock)
    box.add(pending(clock, "a", max_age=1))
    box.add(pending(clock, "b", max_age=10))
    clock.now += 5
    assert [p.message.topic for p in box.take_expired()] == ["a"]
    assert box.take_expired() == []
    assert len(box) == 1


def test_acknowledged_before_recorded_is_settled_not_resent() -> None:
    """paho can run on_publish before publish() returns the mid: ``acked`` then misses it,
    and only paho's published flag says the broker has the message."""
    clock = Clock()
    box = Outbox(clock)
    early, waiting = pending(clock, "early"), pending(clock, "waiting")
    assert box.acked(3) is None  # the acknowledgement came first
    box.inflight(3, early, lambda: True)
    box.inflight(4, waiting, lambda: False)
    assert box.take_published() == [early]
    assert box.take_published() == []
    assert len(box) == 1
    assert box.requeue_inflight() == 1
    ready, _ = box.take_ready()
    assert [p.message.topic for p in ready] == ["waiting"]
