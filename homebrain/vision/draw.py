"""A calibration picture: the frame with what homebrain found and what the config marks.

Drawn for the user placing device marks and zones (``homebrain camera snapshot``); the
daemon itself never draws or stores a frame.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from homebrain.vision.scene import CameraView, Scene
from homebrain.vision.types import Box, Detections

# MediaPipe pose: the bones worth drawing (arms, shoulders, torso, legs)
POSE_BONES = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16), (15, 19), (16, 20),
    (11, 23), (12, 24), (23, 24), (23, 25), (25, 27), (24, 26), (26, 28),
)  # fmt: skip
# MediaPipe hand: each finger from the wrist
HAND_BONES = tuple(
    pair
    for finger in ((0, 1, 2, 3, 4), (0, 5, 6, 7, 8), (0, 9, 10, 11, 12), (0, 13, 14, 15, 16),
                   (0, 17, 18, 19, 20))
    for pair in itertools.pairwise(finger)
)  # fmt: skip

_PERSON = (0, 200, 255)  # BGR
_HAND = (255, 120, 0)
_MARK = (0, 220, 0)
_HIT = (0, 0, 255)
_ZONE = (200, 200, 200)


def draw(
    image: npt.NDArray[np.uint8], view: CameraView, detections: Detections, scene: Scene
) -> npt.NDArray[np.uint8]:
    """A BGR copy of the RGB ``image`` with landmarks, zones, device marks and the hit."""
    import cv2  # late: only drawing needs OpenCV here

    out = np.ascontiguousarray(image[:, :, ::-1]).copy()
    h, w = out.shape[:2]

    def px(x: float, y: float) -> tuple[int, int]:
        return round(x * w), round(y * h)

    def rect(box: Box, colour: tuple[int, int, int], label: str) -> None:
        (x0, y0), (x1, y1) = px(box[0], box[1]), px(box[2], box[3])
        if (x0, y0) == (x1, y1):
            cv2.circle(out, (x0, y0), 8, colour, 2)
        else:
            cv2.rectangle(out, (x0, y0), (x1, y1), colour, 2)
        cv2.putText(out, label, (x0 + 4, max(12, y0 - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                    colour, 1, cv2.LINE_AA)  # fmt: skip

    for zone in view.zones:
        rect(zone.box, _ZONE, f"zone {zone.name}: {scene.zones.get(zone.name, 0)}")
    hit = scene.pointing.entity_id if scene.pointing is not None else None
    for mark in view.marks:
        rect(mark.box, _HIT if mark.entity_id == hit else _MARK, mark.entity_id)
    for person in detections.people:
        rect(person.box, _PERSON, f"person {person.score:.2f}")
        points = person.landmarks
        for a, b in POSE_BONES:
            if min(points[a, 3], points[b, 3]) > 0.5:
                cv2.line(out, px(points[a, 0], points[a, 1]), px(points[b, 0], points[b, 1]),
                         _PERSON, 2, cv2.LINE_AA)  # fmt: skip
    for hand in detections.hands:
        points = hand.landmarks
        for a, b in HAND_BONES:
            cv2.line(out, px(points[a, 0], points[a, 1]), px(points[b, 0], points[b, 1]), _HAND,
                     1, cv2.LINE_AA)  # fmt: skip
    if scene.pointing is not None:
        ox, oy = scene.pointing.origin
        dx, dy = scene.pointing.direction
        cv2.arrowedLine(out, px(ox, oy), px(ox + dx * 0.5, oy + dy * 0.5), _HIT, 2, cv2.LINE_AA)
    gesture, score = scene.gesture()
    summary = f"{scene.count} people; gesture {gesture} {score:.2f}"
    if scene.pointing is not None:
        summary += f"; pointing at {scene.pointing.entity_id} {scene.pointing.confidence:.2f}"
    cv2.putText(out, summary, (8, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 2,
                cv2.LINE_AA)  # fmt: skip
    cv2.putText(out, summary, (8, h - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1,
                cv2.LINE_AA)  # fmt: skip
    return out
