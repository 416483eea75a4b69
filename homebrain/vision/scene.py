"""One camera's understanding of one frame: who is where, what they point at, which gesture.

The scene is what the rest of homebrain sees of a camera: the model's vision vector,
the dialogue's "pointing at" and "seen in the bedroom", and the presence topic. It
holds numbers and names only, never pixels, so nothing of the picture leaves here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from homebrain.understanding.labels import GESTURES
from homebrain.vision.gestures import classify
from homebrain.vision.pointing import LEFT_ARM, RIGHT_ARM, find_target, pointing_ray
from homebrain.vision.types import Box, Detections, Hand, Mark, Person, PointingHit, Zone
from homebrain.vision.zones import zones_of

# the model's vision vector has room for this many zones (labels.VISION_LAYOUT)
MODEL_ZONES = 4
# people counted as "many" by the model's people_count entry (count / this, clipped to 1)
_MANY = 4.0


@dataclass(frozen=True)
class CameraView:
    """What the config says about one camera: the room it watches, its zones and marks."""

    name: str
    room: str | None = None
    zones: tuple[Zone, ...] = ()
    marks: tuple[Mark, ...] = ()


@dataclass
class SeenPerson:
    box: Box
    zones: list[str]
    score: float


@dataclass
class Scene:
    camera: str
    room: str | None
    time: float
    people: list[SeenPerson] = field(default_factory=list)
    zones: dict[str, int] = field(default_factory=dict)
    pointing: PointingHit | None = None
    gestures: dict[str, float] = field(default_factory=lambda: {"none": 1.0})
    # False when the frame did not move and the last analysed scene was carried over
    analysed: bool = True

    @property
    def count(self) -> int:
        return len(self.people)

    def gesture(self) -> tuple[str, float]:
        """The most likely gesture and its score ("none" when no hand is seen)."""
        name = max(self.gestures, key=lambda g: self.gestures[g])
        return name, float(self.gestures[name])

    def vision_values(self, zone_order: list[str] | None = None) -> dict[str, float]:
        """The model's vision vector, by name (labels.VISION_LAYOUT; missing entries are 0)."""
        order = list(zone_order if zone_order is not None else self.zones)[:MODEL_ZONES]
        values: dict[str, float] = {
            "people_count": min(1.0, self.count / _MANY),
            "speaker_seen": 1.0 if self.people else 0.0,
        }
        for index, zone in enumerate(order):
            values[f"zone_{index}"] = 1.0 if self.zones.get(zone, 0) else 0.0
        if self.pointing is not None:
            values["pointing_target"] = 1.0
            values["pointing_confidence"] = round(self.pointing.confidence, 4)
        for gesture in GESTURES:
            values[f"gesture_{gesture}"] = round(float(self.gestures.get(gesture, 0.0)), 4)
        return values

    def presence(self, since: float) -> dict[str, Any]:
        """The retained presence message: counts and zone names, never an image."""
        return {
            "camera": self.camera,
            "room": self.room,
            "people": self.count,
            "zones": dict(self.zones),
            "since": round(since, 3),
            "time": round(self.time, 3),
        }


def analyse(view: CameraView, detections: Detections, time: float, aspect: float = 1.0) -> Scene:
    """The scene in one frame's detections, for the camera ``view`` describes.

    ``aspect`` (width / height of the frame) keeps angles true on a wide picture, whose
    normalised coordinates would otherwise stretch them.
    """
    people = [
        SeenPerson(person.box, zones_of(person, list(view.zones)), person.score)
        for person in detections.people
    ]
    zones = {zone.name: 0 for zone in view.zones}
    for seen in people:
        for name in seen.zones:
            zones[name] = zones.get(name, 0) + 1
    best: PointingHit | None = None
    if view.marks:
        for person in detections.people:
            rays = [
                ray
                for ray in pointing_ray(person, detections.hands, aspect=aspect)
                if _hand_at_wrist(person, ray.side, detections.hands)
            ]
            hit = find_target(rays, list(view.marks), aspect=aspect)
            if hit is not None and (best is None or hit.confidence > best.confidence):
                best = hit
    gestures: dict[str, float] = {"none": 1.0}
    if detections.hands:
        # the hand that shows a gesture most clearly speaks for the frame (the other one
        # usually hangs loose, and its "none" must not outvote a thumbs-up)
        scored = [classify(hand, aspect=aspect) for hand in detections.hands]
        gestures = max(scored, key=lambda s: max(v for g, v in s.items() if g != "none"))
    return Scene(view.name, view.room, time, people, zones, best, gestures)


def _hand_at_wrist(person: Person, side: str, hands: list[Hand]) -> bool:
    """Whether a hand was found at this arm's wrist.

    The pose model also places the arms of a head-and-shoulders portrait, guessing, with
    high visibility; the hand models find nothing there. A real pointing arm ends in a
    hand the hand models see, so only such an arm may point at a device.
    """
    if side not in ("left", "right"):
        return False
    _, elbow_i, wrist_i = LEFT_ARM if side == "left" else RIGHT_ARM
    wrist = person.landmarks[wrist_i, :2].astype(np.float64)
    forearm = float(np.linalg.norm(wrist - person.landmarks[elbow_i, :2]))
    near = max(0.04, 0.5 * forearm)
    return any(float(np.linalg.norm(h.landmarks[0, :2] - wrist)) <= near for h in hands)
