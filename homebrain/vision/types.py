"""Plain data passed between the vision stages.

Coordinates are normalised to the whole frame: x from the left edge (0) to the right
edge (1), y from the top (0) to the bottom (1), so a camera's resolution never leaks
into the config (device marks, zones) or into the model's vision vector.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Box = tuple[float, float, float, float]  # x0, y0, x1, y1, normalised


@dataclass(frozen=True)
class Frame:
    """One picture from a camera, RGB uint8 H×W×3."""

    camera: str
    image: npt.NDArray[np.uint8]
    time: float  # time.time() when it was taken
    index: int = 0  # frame number from this source, counting from 0

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass
class Person:
    """A body found by the pose models.

    ``landmarks``: float32 [33, 4] in MediaPipe's pose order (0 nose, 11/12 shoulders,
    13/14 elbows, 15/16 wrists, 19/20 index fingers, 23/24 hips, ...): x, y normalised
    to the frame, z (relative depth, hips ≈ 0, smaller is nearer), visibility 0-1.
    """

    box: Box
    landmarks: npt.NDArray[np.float32]
    score: float


@dataclass
class Hand:
    """A hand found by the palm and hand landmark models.

    ``landmarks``: float32 [21, 3] in MediaPipe's hand order (0 wrist, 1-4 thumb,
    5-8 index, 9-12 middle, 13-16 ring, 17-20 little finger; 4, 8, 12, 16, 20 the tips):
    x, y normalised to the frame, z relative depth (wrist ≈ 0, in the same scale as x).
    ``handedness`` is "left" or "right" as the person would say it.
    """

    box: Box
    landmarks: npt.NDArray[np.float32]
    handedness: str
    score: float


@dataclass
class Detections:
    """What the landmark models found in one frame."""

    people: list[Person] = field(default_factory=list)
    hands: list[Hand] = field(default_factory=list)


@dataclass(frozen=True)
class Mark:
    """Where a device appears in one camera's picture (from the config): a box, or a
    point given as a box of zero size."""

    entity_id: str
    box: Box

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)


@dataclass(frozen=True)
class Zone:
    """A named part of one camera's picture (from the config), e.g. "sofa"."""

    name: str
    box: Box


@dataclass(frozen=True)
class PointingHit:
    """A device a person points at: the best mark the ray passes, and how surely."""

    entity_id: str
    confidence: float  # 0-1, from how far off the ray the mark lies
    origin: tuple[float, float]  # where the ray starts (elbow or knuckle), normalised
    direction: tuple[float, float]  # unit vector in image coordinates (y down)
