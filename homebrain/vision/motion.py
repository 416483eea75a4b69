"""A cheap motion gate, so the landmark models run only when something in view moves.

On a Pi the pose models cost tens of milliseconds a frame; an empty room costs well
under one here. The method is Frigate's: a small blurred grayscale picture compared
with a running average of the recent ones, counting the pixels that changed by more
than sensor noise. A person who stops moving (sitting down to point at the lamp) is
still analysed for ``hold`` seconds after the last motion.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from homebrain.vision.types import Box, Frame


@dataclass(frozen=True)
class MotionResult:
    """``open`` is what to gate on: motion in this frame, or within the hold time."""

    open: bool
    moved: bool  # this frame differs from the background (always True for the first)
    score: float  # fraction of the picture that changed, 0-1
    boxes: tuple[Box, ...] = ()  # where it changed, normalised; empty when not moved


class MotionGate:
    """One camera's motion gate; feed it every frame in order.

    ``threshold``: fraction of the picture that must change to count as motion.
    ``sensitivity``: how much (0-255) a pixel must differ from the background to count
    as changed; lower notices subtler motion but also noise and flicker.
    ``alpha``: how fast the background follows the picture (per frame), so a moved
    chair stops counting as motion after a few seconds.
    ``lighting``: a change over this fraction is a light switched on or off (dark
    corners change little, so this is well under 1): the background restarts from this
    frame, so it does not report motion for seconds, and the frame counts as motion once.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.01,
        sensitivity: int = 25,
        hold: float = 2.0,
        width: int = 160,
        blur: int = 5,
        alpha: float = 0.2,
        lighting: float = 0.6,
        min_box_area: float = 0.002,
    ) -> None:
        if blur % 2 == 0:
            raise ValueError(f"blur must be an odd kernel size, not {blur}")
        self.threshold = threshold
        self.sensitivity = sensitivity
        self.hold = hold
        self.width = width
        self.blur = blur
        self.alpha = alpha
        self.lighting = lighting
        self.min_box_area = min_box_area
        self._background: npt.NDArray[np.float32] | None = None
        self._shape: tuple[int, ...] = ()
        self._last_motion: float | None = None

    def reset(self) -> None:
        """Forget the background: the next frame counts as motion (after a reconnect the
        picture may have changed in ways the old background would misreport)."""
        self._background = None
        self._last_motion = None

    def _small(self, image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
        h, w = image.shape[:2]
        size = (self.width, max(1, round(h * self.width / w)))
        # shrinking in colour first makes the gray conversion 16× cheaper, and area
        # averaging already removes most per-pixel sensor noise
        small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
        return cv2.GaussianBlur(gray, (self.blur, self.blur), 0)  # type: ignore[return-value]

    def check(self, frame: Frame) -> MotionResult:
        gray = self._small(frame.image)
        if self._background is None or self._shape != frame.image.shape:
            self._shape = frame.image.shape
            self._background = gray.astype(np.float32)
            self._last_motion = frame.time
            return MotionResult(True, True, 1.0)
        delta = cv2.absdiff(gray, cv2.convertScaleAbs(self._background))
        _, changed = cv2.threshold(delta, self.sensitivity, 255, cv2.THRESH_BINARY)
        score = cv2.countNonZero(changed) / changed.size
        moved = score >= self.threshold
        if score >= self.lighting:
            self._background = gray.astype(np.float32)
        else:
            cv2.accumulateWeighted(gray, self._background, self.alpha)
        boxes: tuple[Box, ...] = ()
        if moved:
            self._last_motion = frame.time
            boxes = self._boxes(changed)
        recent = self._last_motion is not None and frame.time - self._last_motion <= self.hold
        return MotionResult(moved or recent, moved, score, boxes)

    def _boxes(self, changed: np.ndarray) -> tuple[Box, ...]:
        """Bounding boxes of the changed areas, merged over small gaps."""
        grown = cv2.dilate(changed, None, iterations=2)  # type: ignore[call-overload]
        contours, _ = cv2.findContours(grown, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        h, w = changed.shape
        least = self.min_box_area * w * h
        boxes = []
        for contour in contours:
            x, y, bw, bh = cv2.boundingRect(contour)
            if bw * bh >= least:
                boxes.append((x / w, y / h, (x + bw) / w, (y + bh) / h))
        return tuple(sorted(boxes))
