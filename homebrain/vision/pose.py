"""Bodies: BlazePose's detector, then its landmark model on each body found.

Unlike MediaPipe's own pose graph (one person, tracked from frame to frame), every
frame here runs the detector and then the landmark model once per detection, up to
``max_people``: a room camera sees several people, and the motion gate upstream
already skips the frames where nothing changes, so there is little to track.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from homebrain.vision.anchors import (
    POSE_ANCHORS,
    RawDetection,
    Roi,
    decode,
    iou,
    letterbox_input,
    rotation_from,
    ssd_anchors,
    weighted_nms,
)
from homebrain.vision.models import POSE_DETECTION, POSE_LANDMARK, TfliteModel
from homebrain.vision.types import Box, Person

DETECTOR_SIZE = 224
LANDMARK_SIZE = 256
NUM_LANDMARKS = 33  # of the model's 39: the other 6 are its own ROI helpers
# detector keypoints: 0 hip centre, 1 a point above the head (body size and direction),
# 2 shoulder centre, 3 a point for the upper body alone
_HIPS, _ABOVE_HEAD = 0, 1
# MediaPipe's pose_detection_to_roi: the square is 2x the hips→above-head distance, x1.25
ROI_SCALE = 1.25
_NMS_THRESHOLD = 0.3
# a person box reaches past the outermost landmarks by this share of its size: the
# landmarks stop at the eyes and ears, the wrists and the heels
_BOX_MARGIN = 0.1
# two results whose boxes overlap this much are one person seen by two detections
_SAME_PERSON_IOU = 0.6
# ... or when a body found only in a part of the frame lies this much inside another
_INSIDE = 0.7


def _sigmoid(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return (1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0)))).astype(np.float32)


def landmarks_box(points: npt.NDArray[np.float32], margin: float) -> Box:
    """The normalised box around ``points`` [N, 2], widened by ``margin`` of its size on
    every side and kept within the frame."""
    x0, y0 = np.min(points, axis=0)
    x1, y1 = np.max(points, axis=0)
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return (
        float(np.clip(x0 - dx, 0, 1)),
        float(np.clip(y0 - dy, 0, 1)),
        float(np.clip(x1 + dx, 0, 1)),
        float(np.clip(y1 + dy, 0, 1)),
    )


def tile_grid(height: int, width: int, tiles: int) -> list[tuple[int, int, int, int]]:
    """The whole frame, then (for ``tiles`` > 1) a ``tiles`` x ``tiles`` grid of parts
    half as large again as a grid cell, so a body on a cell's edge is whole in a part.
    Boxes are (x0, y0, x1, y1) in pixels."""
    boxes = [(0, 0, width, height)]
    if tiles < 2:
        return boxes
    tw = min(width, math.ceil(width / tiles * 1.5))
    th = min(height, math.ceil(height / tiles * 1.5))
    for j in range(tiles):
        y0 = round((height - th) * j / (tiles - 1))
        for i in range(tiles):
            x0 = round((width - tw) * i / (tiles - 1))
            boxes.append((x0, y0, x0 + tw, y0 + th))
    return boxes


class PoseLandmarker:
    """Finds up to ``max_people`` bodies in an RGB frame."""

    def __init__(
        self,
        threads: int = 1,
        max_people: int = 4,
        model_dir: str | Path | None = None,
        min_detection_score: float = 0.5,
        min_presence: float = 0.5,
        tiles: int = 1,
    ) -> None:
        if max_people < 1:
            raise ValueError(f"max_people must be at least 1, got {max_people}")
        if tiles < 1:
            raise ValueError(f"tiles must be at least 1, got {tiles}")
        self.tiles = tiles
        self.max_people = max_people
        self.min_detection_score = min_detection_score
        self.min_presence = min_presence
        self._anchors = ssd_anchors(POSE_ANCHORS)
        self._detector = TfliteModel.load(
            POSE_DETECTION,
            threads,
            model_dir,
            (DETECTOR_SIZE, DETECTOR_SIZE),
            {"Identity": (1, len(self._anchors), 12), "Identity_1": (1, len(self._anchors), 1)},
        )
        self._landmarks = TfliteModel.load(
            POSE_LANDMARK,
            threads,
            model_dir,
            (LANDMARK_SIZE, LANDMARK_SIZE),
            {"Identity": (1, 39 * 5), "Identity_1": (1, 1)},
        )

    def detect_bodies(self, image: npt.NDArray[np.uint8]) -> list[tuple[Roi, bool]]:
        """The detector's regions for the landmark model, best first, each with whether
        it was found only in a part of the frame (see ``tiles``).

        With ``tiles`` > 1 the detector also looks at a grid of overlapping parts of the
        frame, each scaled up to its input: it finds a body by its face, and a face only
        a few pixels across in the 224-pixel picture of the whole frame is missed (people
        across a large room or a street). Detections from all parts are merged by the
        same weighted suppression, in frame pixels. A part's detection of a body larger
        than the part is dropped: such a body is seen whole in the full frame, and the
        detector, shown a close-up of something face-like (a baboon, a fruit bowl),
        makes up a huge body around it.
        """
        found: list[RawDetection] = []
        for tile, (x0, y0, x1, y1) in enumerate(
            tile_grid(image.shape[0], image.shape[1], self.tiles)
        ):
            part = image[y0:y1, x0:x1]
            tensor, letterbox = letterbox_input(part, DETECTOR_SIZE, -1.0, 1.0)
            out = self._detector.run(tensor)
            offset = np.array([x0, y0], np.float32)
            for det in decode(
                out["Identity"],
                out["Identity_1"],
                self._anchors,
                num_keypoints=4,
                input_size=DETECTOR_SIZE,
                min_score=self.min_detection_score,
            ):
                corners = letterbox.to_frame(det.box.reshape(2, 2)) + offset
                keypoints = letterbox.to_frame(det.keypoints) + offset
                if tile and self._roi(keypoints).size > max(x1 - x0, y1 - y0):
                    continue
                found.append(RawDetection(corners.reshape(4), keypoints, det.score, tile))
        merged = weighted_nms(found, _NMS_THRESHOLD)
        return [(self._roi(det.keypoints), det.tile > 0) for det in merged]

    @staticmethod
    def _roi(keypoints: npt.NDArray[np.float32]) -> Roi:
        (hx, hy), (tx, ty) = keypoints[_HIPS], keypoints[_ABOVE_HEAD]
        size = 2 * math.hypot(tx - hx, ty - hy) * ROI_SCALE
        return Roi(float(hx), float(hy), max(size, 1.0), rotation_from(hx, hy, tx, ty))

    def landmarks_in(self, image: npt.NDArray[np.uint8], roi: Roi) -> Person | None:
        """The landmark model on one region; None when it says no body is there."""
        height, width = image.shape[:2]
        out = self._landmarks.run(roi.crop(image, LANDMARK_SIZE, 0.0, 1.0))
        presence = float(out["Identity_1"][0])
        if presence < self.min_presence:
            return None
        raw = out["Identity"].reshape(39, 5)[:NUM_LANDMARKS]
        xy = roi.to_frame(raw[:, :2] / LANDMARK_SIZE)
        landmarks = np.empty((NUM_LANDMARKS, 4), np.float32)
        landmarks[:, 0] = xy[:, 0] / width
        landmarks[:, 1] = xy[:, 1] / height
        # depth in the crop's pixels → the frame's width, the same scale as x
        landmarks[:, 2] = raw[:, 2] / LANDMARK_SIZE * roi.size / width
        landmarks[:, 3] = _sigmoid(raw[:, 3])
        box = landmarks_box(landmarks[:, :2], _BOX_MARGIN)
        if box[2] <= box[0] or box[3] <= box[1]:
            return None  # every landmark off the picture: nobody to show
        return Person(box=box, landmarks=landmarks, score=presence)

    def detect(self, image: npt.NDArray[np.uint8]) -> list[Person]:
        """Up to ``max_people`` people, best first. ``image`` is RGB uint8 HxWx3."""
        people: list[Person] = []
        # a detection the landmark model rejects costs one run; bound the waste
        for roi, from_part in self.detect_bodies(image)[: self.max_people * 2]:
            person = self.landmarks_in(image, roi)
            if person is None or any(_same_person(person.box, p.box, from_part) for p in people):
                continue
            people.append(person)
            if len(people) == self.max_people:
                break
        return people


def _same_person(new: Box, old: Box, from_part: bool) -> bool:
    """Whether ``new`` repeats a person already found. A part of the frame that cuts
    through a body shows the detector half a person, whose landmarks then fit inside
    the whole one's box; a box found in the whole frame is only a repeat when it
    overlaps, as a child in front of a parent lies inside the parent's box."""
    if iou(new, old) > _SAME_PERSON_IOU:
        return True
    if not from_part:
        return False
    ix = max(0.0, min(new[2], old[2]) - max(new[0], old[0]))
    iy = max(0.0, min(new[3], old[3]) - max(new[1], old[1]))
    area = (new[2] - new[0]) * (new[3] - new[1])
    return area <= 0 or ix * iy / area > _INSIDE
