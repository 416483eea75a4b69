"""One call from a camera frame to the people and hands in it.

The models load on first use, not at construction, so a daemon whose cameras never
see motion (or a config check) does not pay for four interpreters, and a missing
model file is reported when vision is actually needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from homebrain.vision.hands import HandLandmarker
from homebrain.vision.pose import PoseLandmarker
from homebrain.vision.types import Detections

# below this the models see only a smear; above it the frame is absurd for a camera
MIN_SIDE = 16
MAX_SIDE = 16384
# wider or taller than this and the 224-pixel square the detector sees is mostly padding
MAX_ASPECT = 8.0


def as_rgb(image: Any) -> npt.NDArray[np.uint8]:
    """``image`` as a contiguous RGB uint8 HxWx3 array, or ValueError saying what is
    wrong with it. Grayscale (HxW or HxWx1) and RGBA are converted: cameras and image
    files give those, and the models only need the colours."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"image must be a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(
            f"image must be uint8 (0-255), got {image.dtype}; convert with "
            "(image * 255).clip(0, 255).astype(np.uint8) if it is 0-1 floats"
        )
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    elif image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"image must be HxWx3 RGB (or HxW grayscale, HxWx4 RGBA), got shape {image.shape}"
        )
    height, width = int(image.shape[0]), int(image.shape[1])
    if min(height, width) < MIN_SIDE:
        raise ValueError(f"image is {width}x{height}; both sides must be at least {MIN_SIDE}")
    if max(height, width) > MAX_SIDE:
        raise ValueError(f"image is {width}x{height}; sides over {MAX_SIDE} are not supported")
    if max(height, width) / min(height, width) > MAX_ASPECT:
        raise ValueError(
            f"image is {width}x{height}; an aspect ratio over {MAX_ASPECT:g}:1 is not a "
            "camera frame (crop it first)"
        )
    return np.ascontiguousarray(image)


class Landmarker:
    """The landmark models stage: people (pose) and hands in one RGB frame.

    ``tiles`` > 1 also runs the body detector on a ``tiles`` x ``tiles`` grid of parts of
    the frame, for people far from the camera (costs ``tiles``² + 1 detector runs).
    """

    def __init__(
        self,
        threads: int = 1,
        pose: bool = True,
        hands: bool = True,
        max_people: int = 4,
        max_hands: int = 4,
        model_dir: str | Path | None = None,
        tiles: int = 1,
    ) -> None:
        for name, value in (
            ("threads", threads),
            ("max_people", max_people),
            ("max_hands", max_hands),
            ("tiles", tiles),
        ):
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        self.threads = threads
        self.pose_enabled = pose
        self.hands_enabled = hands
        self.max_people = max_people
        self.max_hands = max_hands
        self.model_dir = model_dir
        self.tiles = tiles
        self._pose: PoseLandmarker | None = None
        self._hands: HandLandmarker | None = None

    @property
    def pose(self) -> PoseLandmarker:
        if self._pose is None:
            self._pose = PoseLandmarker(
                threads=self.threads,
                max_people=self.max_people,
                model_dir=self.model_dir,
                tiles=self.tiles,
            )
        return self._pose

    @property
    def hands(self) -> HandLandmarker:
        if self._hands is None:
            self._hands = HandLandmarker(
                threads=self.threads, max_hands=self.max_hands, model_dir=self.model_dir
            )
        return self._hands

    def detect(self, image: npt.NDArray[np.uint8]) -> Detections:
        """People and hands in ``image`` (RGB uint8 HxWx3), coordinates normalised."""
        rgb = as_rgb(image)
        result = Detections()
        if self.pose_enabled:
            result.people = self.pose.detect(rgb)
        if self.hands_enabled:
            result.hands = self.hands.detect(rgb, result.people)
        return result
