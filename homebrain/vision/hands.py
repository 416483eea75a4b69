"""Hands: BlazePalm's detector, then the hand landmark model on each palm found.

The detector looks for palms rather than whole hands because a palm is a rigid, nearly
square shape that SSD anchors fit well whatever the fingers do; the landmark model is
then shown a square around the whole hand, turned so the fingers point up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from homebrain.vision.anchors import (
    PALM_ANCHORS,
    RawDetection,
    Roi,
    decode,
    iou,
    letterbox_input,
    rotation_from,
    ssd_anchors,
    weighted_nms,
)
from homebrain.vision.models import HAND_LANDMARK, PALM_DETECTION, TfliteModel
from homebrain.vision.pose import landmarks_box
from homebrain.vision.types import Hand, Person

DETECTOR_SIZE = 192
LANDMARK_SIZE = 224
NUM_LANDMARKS = 21
# palm keypoints: 0 wrist, 2 middle finger's knuckle (the others: index, ring and little
# knuckles, thumb joints), whose direction sets the crop's "up"
_WRIST, _MIDDLE_KNUCKLE = 0, 2
# MediaPipe's palm → hand ROI: the palm box grown 2.6x and moved half its height towards
# the fingers, so the whole hand fits whichever way the fingers bend
ROI_SCALE = 2.6
ROI_SHIFT_Y = -0.5
_NMS_THRESHOLD = 0.3
_BOX_MARGIN = 0.1
_SAME_HAND_IOU = 0.5


class HandLandmarker:
    """Finds up to ``max_hands`` hands in an RGB frame."""

    def __init__(
        self,
        threads: int = 1,
        max_hands: int = 4,
        model_dir: str | Path | None = None,
        min_detection_score: float = 0.5,
        min_presence: float = 0.5,
        min_wrist_visibility: float = 0.5,
    ) -> None:
        if max_hands < 1:
            raise ValueError(f"max_hands must be at least 1, got {max_hands}")
        self.max_hands = max_hands
        self.min_detection_score = min_detection_score
        self.min_presence = min_presence
        self.min_wrist_visibility = min_wrist_visibility
        self._anchors = ssd_anchors(PALM_ANCHORS)
        n = len(self._anchors)
        self._detector = TfliteModel.load(
            PALM_DETECTION,
            threads,
            model_dir,
            (DETECTOR_SIZE, DETECTOR_SIZE),
            {"Identity": (1, n, 18), "Identity_1": (1, n, 1)},
        )
        self._landmarks = TfliteModel.load(
            HAND_LANDMARK,
            threads,
            model_dir,
            (LANDMARK_SIZE, LANDMARK_SIZE),
            {"Identity": (1, NUM_LANDMARKS * 3), "Identity_1": (1, 1), "Identity_2": (1, 1)},
        )

    def detect_palms(self, image: npt.NDArray[np.uint8]) -> list[Roi]:
        """The regions around each palm for the landmark model, best first."""
        tensor, letterbox = letterbox_input(image, DETECTOR_SIZE, 0.0, 1.0)
        out = self._detector.run(tensor)
        found = decode(
            out["Identity"],
            out["Identity_1"],
            self._anchors,
            num_keypoints=7,
            input_size=DETECTOR_SIZE,
            min_score=self.min_detection_score,
        )
        rois = []
        for det in weighted_nms(found, _NMS_THRESHOLD):
            corners = letterbox.to_frame(det.box.reshape(2, 2))
            keypoints = letterbox.to_frame(det.keypoints)
            rois.append(self._roi(RawDetection(corners.reshape(4), keypoints, det.score)))
        return rois

    @staticmethod
    def _roi(det: RawDetection) -> Roi:
        """The palm detection (in frame pixels) → the square the hand model sees."""
        x0, y0, x1, y1 = (float(v) for v in det.box)
        width, height = x1 - x0, y1 - y0
        (wx, wy), (kx, ky) = det.keypoints[_WRIST], det.keypoints[_MIDDLE_KNUCKLE]
        rotation = rotation_from(float(wx), float(wy), float(kx), float(ky))
        # the shift is along the palm's own axes, turned into the frame's
        dx, dy = 0.0, height * ROI_SHIFT_Y
        cx = (x0 + x1) / 2 + math.cos(rotation) * dx - math.sin(rotation) * dy
        cy = (y0 + y1) / 2 + math.sin(rotation) * dx + math.cos(rotation) * dy
        size = max(width, height, 1.0) * ROI_SCALE
        return Roi(cx, cy, size, rotation)

    def landmarks_in(
        self, image: npt.NDArray[np.uint8], roi: Roi, min_presence: float
    ) -> Hand | None:
        """The landmark model on one region; None when it says no hand is there."""
        height, width = image.shape[:2]
        out = self._landmarks.run(roi.crop(image, LANDMARK_SIZE, 0.0, 1.0))
        presence = float(out["Identity_1"][0])
        if presence < min_presence:
            return None
        raw = out["Identity"].reshape(NUM_LANDMARKS, 3)
        xy = roi.to_frame(raw[:, :2] / LANDMARK_SIZE)
        landmarks = np.empty((NUM_LANDMARKS, 3), np.float32)
        landmarks[:, 0] = xy[:, 0] / width
        landmarks[:, 1] = xy[:, 1] / height
        landmarks[:, 2] = raw[:, 2] / LANDMARK_SIZE * roi.size / width
        box = landmarks_box(landmarks[:, :2], _BOX_MARGIN)
        if box[2] <= box[0] or box[3] <= box[1]:
            return None  # every landmark off the picture
        return Hand(
            box=box,
            landmarks=landmarks,
            handedness=handedness(float(out["Identity_2"][0])),
            score=presence,
        )

    def hand_from_pose(
        self, image: npt.NDArray[np.uint8], person: Person, side: str
    ) -> Hand | None:
        """The hand at one of a person's wrists, or None.

        The palm detector sees the whole frame at 192 pixels, where a hand across a room
        is a few pixels wide; the pose model has already placed the wrist, index and
        little finger, so the hand model can be shown that spot directly (as MediaPipe's
        holistic graph does). The hand's side is the pose's: the pose model judges it
        from the whole body, the hand model from one small, often blurred hand.
        """
        height, width = image.shape[:2]
        wrist, pinky, index = _POSE_HAND[side]
        points = person.landmarks[:, :2].astype(np.float64) * (width, height)
        if person.landmarks[wrist, 3] < self.min_wrist_visibility:
            return None
        roi = pose_hand_roi(points[wrist], points[pinky], points[index])
        outside = max(-roi.cx, roi.cx - width, -roi.cy, roi.cy - height)
        if roi.size < _MIN_ROI_PIXELS or outside > roi.size / 2:
            return None  # too small to show the model anything, or off the picture
        best = self.landmarks_in(image, roi, self.min_presence)
        if best is None:
            return None
        # once more around the landmarks found: the pose's hand points are rough
        again = self.landmarks_in(image, hand_roi(best.landmarks, width, height), 0.0)
        if again is not None and again.score > best.score:
            best = again
        return Hand(best.box, best.landmarks, side, best.score)

    def detect(self, image: npt.NDArray[np.uint8], people: Sequence[Person] = ()) -> list[Hand]:
        """Up to ``max_hands`` hands, best first. ``image`` is RGB uint8 HxWx3; ``people``
        (from the pose stage, same frame) adds a look at each visible wrist and decides
        the side of the hands found near one."""
        height, width = image.shape[:2]
        found: list[Hand] = []
        for person in people:
            for side in ("left", "right"):
                hand = self.hand_from_pose(image, person, side)
                if hand is not None:
                    found.append(hand)
        for roi in self.detect_palms(image)[: self.max_hands * 2]:
            hand = self.landmarks_in(image, roi, self.min_presence)
            if hand is not None:
                near = _side_from_people(hand, people, width, height)
                found.append(
                    hand if near is None else Hand(hand.box, hand.landmarks, near, hand.score)
                )
        hands: list[Hand] = []
        for hand in sorted(found, key=lambda h: h.score, reverse=True):
            if any(iou(hand.box, h.box) > _SAME_HAND_IOU for h in hands):
                continue
            hands.append(hand)
            if len(hands) == self.max_hands:
                break
        return hands


# pose landmarks (wrist, little finger, index finger) of each side, the person's own
_POSE_HAND = {"left": (15, 17, 19), "right": (16, 18, 20)}
# a pose hand ROI smaller than this (frame pixels) shows the hand model nothing
_MIN_ROI_PIXELS = 12.0
# the pose's hand square: twice the wrist → hand centre distance, x1.8 (chosen on
# messi5.jpg and basketball1.png: larger squares leave the hand too small for the lite
# model, and its presence score falls below 0.5)
POSE_HAND_SCALE = 1.8
# the hand landmarks used to place the square again, as MediaPipe's tracking does:
# wrist, thumb base, and the two lowest joints of each finger (they move least)
_STEADY = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]
_AGAIN_SCALE = 2.0
_AGAIN_SHIFT_Y = -0.1


def pose_hand_roi(
    wrist: npt.NDArray[np.float64], pinky: npt.NDArray[np.float64], index: npt.NDArray[np.float64]
) -> Roi:
    """The square around a hand from the pose's wrist, little and index finger points
    (frame pixels); the middle finger lies a third of the way from index to little."""
    middle = (2 * index + pinky) / 3
    rotation = rotation_from(float(wrist[0]), float(wrist[1]), float(middle[0]), float(middle[1]))
    size = 2 * float(np.hypot(*(middle - wrist))) * POSE_HAND_SCALE
    return Roi(float(middle[0]), float(middle[1]), size, rotation)


def hand_roi(landmarks: npt.NDArray[np.float32], width: int, height: int) -> Roi:
    """The square around a hand from its own landmarks (normalised [21, 2+])."""
    p = landmarks[:, :2].astype(np.float64) * (width, height)
    # "up" is from the wrist to between the index, middle and ring fingers' middle joints
    toward = ((p[6] + p[14]) / 2 + p[10]) / 2
    rotation = rotation_from(float(p[0, 0]), float(p[0, 1]), float(toward[0]), float(toward[1]))
    c, s = math.cos(rotation), math.sin(rotation)
    q = p[_STEADY]
    # the box of the steady points in the hand's own axes
    u = c * q[:, 0] + s * q[:, 1]
    v = -s * q[:, 0] + c * q[:, 1]
    cu, cv = (u.min() + u.max()) / 2, (v.min() + v.max()) / 2
    box_w, box_h = u.max() - u.min(), v.max() - v.min()
    cv += box_h * _AGAIN_SHIFT_Y
    cx, cy = c * cu - s * cv, s * cu + c * cv
    return Roi(float(cx), float(cy), max(box_w, box_h, 1.0) * _AGAIN_SCALE, rotation)


def _side_from_people(hand: Hand, people: Sequence[Person], width: int, height: int) -> str | None:
    """The side of the pose wrist nearest the hand's wrist, if one is near (within the
    hand's own size)."""
    wrist = hand.landmarks[0, :2].astype(np.float64) * (width, height)
    reach = max((hand.box[2] - hand.box[0]) * width, (hand.box[3] - hand.box[1]) * height)
    best: tuple[float, str] | None = None
    for person in people:
        for side, (wrist_index, _, _) in _POSE_HAND.items():
            point = person.landmarks[wrist_index, :2].astype(np.float64) * (width, height)
            distance = float(np.hypot(*(point - wrist)))
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, side)
    return None if best is None else best[1]


def handedness(score: float) -> str:
    """The model's handedness output → "left" or "right" as the person would say it.

    MediaPipe labels the output's high end "Left" but documents its labels as meant
    for mirrored (selfie) pictures; a room camera does not mirror, so a high score is
    the person's right hand (on basketball1.png the pose's sides agree, at 0.99 and
    0.02). Only hands found away from any person's wrist keep this answer: on small,
    blurred hands it can be wrong (Messi's open left hand scores 0.6).
    """
    return "right" if score >= 0.5 else "left"
