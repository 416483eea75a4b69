"""What the cameras add to a turn: the model's vision vector, "pointing at", "seen in".

The words stay in charge: a device named in the payload's ``pointing_at`` is kept, the
dialogue decides what a gesture means only while it has asked something, and with no
camera (or no fresh scene) the turn is exactly what it was without vision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from homebrain.turns import TurnContext
from homebrain.vision.scene import Scene

# a pointing hit at least this sure names the device for "that" and "this lamp"
POINTING_CONFIDENCE = 0.5


@dataclass(frozen=True)
class TurnVision:
    """The camera's part of one turn (all None/empty: nothing seen that helps)."""

    vision: dict[str, float] | None = None
    pointing_at: str | None = None
    seen_room: str | None = None
    camera: str | None = None

    def apply(self, context: TurnContext) -> TurnContext:
        """Add to ``context`` in place (and return it); what the sender said is kept."""
        if self.vision is not None and "vision" not in context.extra:
            context.extra["vision"] = dict(self.vision)
        if self.pointing_at is not None and context.pointing_at is None:
            context.pointing_at = self.pointing_at
        if self.seen_room is not None and "seen_room" not in context.extra:
            context.extra["seen_room"] = self.seen_room
        return context


def turn_vision(
    scenes: Iterable[Scene],
    site_room: str | None,
    zone_orders: Mapping[str, list[str]] | None = None,
    candidates: Iterable[str] = (),
) -> TurnVision:
    """The scene that speaks for a turn heard at a site in ``site_room`` (None: unknown).

    A camera in the site's room is the one to trust. With no room for the site, the
    speaker is wherever people are seen, if that is a single room (among
    ``candidates``, the rooms an open-plan site hears, when it has them); two rooms
    with people is ambiguous, and then no room is guessed.
    """
    fresh = list(scenes)
    allowed = set(candidates)
    if site_room is not None:
        chosen = [s for s in fresh if s.room == site_room]
        seen_room = None
    else:
        rooms = {
            s.room
            for s in fresh
            if s.people and s.room is not None and (not allowed or s.room in allowed)
        }
        seen_room = rooms.pop() if len(rooms) == 1 else None
        chosen = [s for s in fresh if seen_room is not None and s.room == seen_room]
    if not chosen:
        return TurnVision()
    scene = max(chosen, key=_weight)
    orders = zone_orders or {}
    pointing = scene.pointing
    return TurnVision(
        vision=scene.vision_values(orders.get(scene.camera)),
        pointing_at=(
            pointing.entity_id
            if pointing is not None and pointing.confidence >= POINTING_CONFIDENCE
            else None
        ),
        seen_room=seen_room,
        camera=scene.camera,
    )


def _weight(scene: Scene) -> tuple[float, int, float]:
    """Prefer the camera that sees someone pointing, then the one seeing most people."""
    pointing = scene.pointing.confidence if scene.pointing is not None else 0.0
    return (pointing, scene.count, scene.time)
