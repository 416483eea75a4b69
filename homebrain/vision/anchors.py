"""The detector half of MediaPipe's two-stage pipelines, and the crop between stages.

MediaPipe's detectors (BlazePose's, BlazePalm's) are SSD models whose outputs are
offsets from a fixed grid of anchors; the grid is not stored in the .tflite file but
built by the graph's SsdAnchorsCalculator from a handful of options, so it is rebuilt
here the same way (same order, or every box would land on the wrong anchor). Overlapping
detections are then merged by weighted non-max suppression, which averages the
overlapping boxes (steadier than keeping only the best one). A detection becomes a
rotated square region (``Roi``) that the landmark model sees upright.

All geometry is done in frame pixels: MediaPipe's normalised rects only work because it
scales and rotates them in pixel space, which is easier to follow when written as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class SsdAnchorOptions:
    input_size: int  # square input, pixels
    strides: tuple[int, ...]  # one per layer
    min_scale: float = 0.1484375
    max_scale: float = 0.75
    anchor_offset: float = 0.5
    aspect_ratios: tuple[float, ...] = (1.0,)
    interpolated_scale_aspect_ratio: float = 1.0
    fixed_anchor_size: bool = True


# pose_detection.tflite: 28x28x2 + 14x14x2 + 7x7x6 = 2254
POSE_ANCHORS = SsdAnchorOptions(input_size=224, strides=(8, 16, 32, 32, 32))
# palm_detection_lite/full.tflite: 24x24x2 + 12x12x6 = 2016
PALM_ANCHORS = SsdAnchorOptions(input_size=192, strides=(8, 16, 16, 16))


def _scale(options: SsdAnchorOptions, layer: int) -> float:
    n = len(options.strides)
    if n == 1:
        return (options.min_scale + options.max_scale) / 2
    return options.min_scale + (options.max_scale - options.min_scale) * layer / (n - 1)


def ssd_anchors(options: SsdAnchorOptions) -> FloatArray:
    """Anchors [N, 4] as (x_center, y_center, width, height), normalised to the input.

    Consecutive layers with the same stride share one feature map, each adding its
    anchors per cell, and the cells are walked row by row with a cell's anchors
    together: that is the order the model's outputs come in.
    """
    anchors: list[tuple[float, float, float, float]] = []
    strides = options.strides
    layer = 0
    while layer < len(strides):
        sizes: list[tuple[float, float]] = []  # width, height per anchor of a cell
        last = layer
        while last < len(strides) and strides[last] == strides[layer]:
            scale = _scale(options, last)
            for ratio in options.aspect_ratios:
                sizes.append((scale * math.sqrt(ratio), scale / math.sqrt(ratio)))
            if options.interpolated_scale_aspect_ratio > 0:
                following = 1.0 if last == len(strides) - 1 else _scale(options, last + 1)
                inter = math.sqrt(scale * following)
                ratio = options.interpolated_scale_aspect_ratio
                sizes.append((inter * math.sqrt(ratio), inter / math.sqrt(ratio)))
            last += 1
        cells = math.ceil(options.input_size / strides[layer])
        for y in range(cells):
            for x in range(cells):
                cx = (x + options.anchor_offset) / cells
                cy = (y + options.anchor_offset) / cells
                for w, h in sizes:
                    if options.fixed_anchor_size:
                        w, h = 1.0, 1.0
                    anchors.append((cx, cy, w, h))
        layer = last
    return np.asarray(anchors, dtype=np.float32)


@dataclass(eq=False)
class RawDetection:
    """One detector hit, in the detector's input square normalised to 0-1."""

    box: FloatArray  # x0, y0, x1, y1
    keypoints: FloatArray  # [K, 2] x, y
    score: float
    tile: int = 0  # which part of the frame it was found in (0: the whole frame)


def decode(
    boxes: FloatArray,
    scores: FloatArray,
    anchors: FloatArray,
    num_keypoints: int,
    input_size: int,
    min_score: float = 0.5,
) -> list[RawDetection]:
    """Turn raw outputs [N, 4 + 2K] and logits [N, 1] into detections above ``min_score``.

    Offsets are in input pixels relative to the anchor centre (x before y: MediaPipe's
    ``reverse_output_order``); logits are clipped to ±100 before the sigmoid, as the
    graph does, so extreme values cannot overflow.
    """
    logits = np.clip(scores.reshape(-1).astype(np.float64), -100.0, 100.0)
    probs = 1.0 / (1.0 + np.exp(-logits))
    keep = np.flatnonzero(probs >= min_score)
    if keep.size == 0:
        return []
    raw = boxes[keep] / float(input_size)
    anc = anchors[keep]
    cx = raw[:, 0] * anc[:, 2] + anc[:, 0]
    cy = raw[:, 1] * anc[:, 3] + anc[:, 1]
    w = raw[:, 2] * anc[:, 2]
    h = raw[:, 3] * anc[:, 3]
    kp = raw[:, 4 : 4 + 2 * num_keypoints].reshape(-1, num_keypoints, 2)
    kp = kp * anc[:, None, 2:4] + anc[:, None, 0:2]
    out = []
    for i in range(keep.size):
        box = np.array([cx[i] - w[i] / 2, cy[i] - h[i] / 2, cx[i] + w[i] / 2, cy[i] + h[i] / 2])
        out.append(
            RawDetection(box.astype(np.float32), kp[i].astype(np.float32), float(probs[keep[i]]))
        )
    return out


def iou(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    ax0, ay0, ax1, ay1 = (float(v) for v in np.asarray(a).reshape(4))
    bx0, by0, bx1, by1 = (float(v) for v in np.asarray(b).reshape(4))
    iw = max(0.0, min(ax1, bx1) - max(ax0, bx0))
    ih = max(0.0, min(ay1, by1) - max(ay0, by0))
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return inter / union if union > 0 else 0.0


def weighted_nms(detections: list[RawDetection], threshold: float = 0.3) -> list[RawDetection]:
    """MediaPipe's WEIGHTED non-max suppression: each surviving detection's box and
    keypoints are the score-weighted mean of everything overlapping it by more than
    ``threshold`` IoU; its score stays the best one's. Best first."""
    remaining = sorted(detections, key=lambda d: d.score, reverse=True)
    merged: list[RawDetection] = []
    while remaining:
        best = remaining[0]
        group = [d for d in remaining if iou(best.box, d.box) > threshold]
        if not any(d is best for d in group):  # a zero-area box overlaps nothing, not even itself
            group.append(best)
        remaining = [d for d in remaining if not any(d is g for g in group)]
        weights = np.array([d.score for d in group], dtype=np.float32)
        weights /= weights.sum()
        box = np.tensordot(weights, np.stack([d.box for d in group]), axes=1)
        kps = np.tensordot(weights, np.stack([d.keypoints for d in group]), axes=1)
        merged.append(
            RawDetection(box.astype(np.float32), kps.astype(np.float32), best.score, best.tile)
        )
    return merged


# --- the frame ↔ model input geometry ----------------------------------------------------


@dataclass(frozen=True)
class Letterbox:
    """How a frame was scaled and padded (centred) into a square model input, so the
    detections can be mapped back: MediaPipe keeps the aspect ratio, as the detectors
    were trained on undistorted pictures."""

    scale_x: float  # input pixels per frame pixel (equal up to rounding of the resize)
    scale_y: float
    pad_x: int  # input pixels left of the picture
    pad_y: int
    size: int

    @classmethod
    def fit(cls, height: int, width: int, size: int) -> Letterbox:
        scale = size / max(height, width)
        new_w = min(size, max(1, round(width * scale)))
        new_h = min(size, max(1, round(height * scale)))
        return cls(new_w / width, new_h / height, (size - new_w) // 2, (size - new_h) // 2, size)

    def to_frame(self, points: npt.ArrayLike) -> FloatArray:
        """Normalised input coordinates [..., 2] → frame pixels."""
        p = np.asarray(points, dtype=np.float32) * self.size
        return np.stack(
            [(p[..., 0] - self.pad_x) / self.scale_x, (p[..., 1] - self.pad_y) / self.scale_y],
            axis=-1,
        ).astype(np.float32)


def letterbox_input(
    image: npt.NDArray[np.uint8], size: int, low: float, high: float
) -> tuple[FloatArray, Letterbox]:
    """The frame scaled into a ``size`` square, black bars around, values ``low``-``high``.

    Area averaging when shrinking: a 640-pixel frame goes into 192 or 224 pixels, and
    plain bilinear sampling at that ratio aliases thin limbs away.
    """
    import cv2

    box = Letterbox.fit(image.shape[0], image.shape[1], size)
    new_w = round(image.shape[1] * box.scale_x)
    new_h = round(image.shape[0] * box.scale_y)
    shrink = new_w < image.shape[1]
    resized = cv2.resize(
        image, (new_w, new_h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    )
    tensor = np.zeros((size, size, 3), np.float32)
    tensor[:] = low
    tensor[box.pad_y : box.pad_y + new_h, box.pad_x : box.pad_x + new_w] = (
        resized.astype(np.float32) * ((high - low) / 255.0) + low
    )
    return tensor, box


@dataclass(frozen=True)
class Roi:
    """A rotated square in frame pixels: what the landmark model is shown, upright.

    ``rotation`` (radians, clockwise on screen since y points down) turns the crop's
    "up" into the frame's direction of the body or hand; a crop point (u, v) in 0-1 maps
    to ``center + R(rotation) @ ((u, v) - 0.5) * size``.
    """

    cx: float
    cy: float
    size: float
    rotation: float

    def to_frame(self, points: npt.ArrayLike) -> FloatArray:
        """Normalised crop coordinates [N, 2] → frame pixels."""
        p = (np.asarray(points, dtype=np.float64) - 0.5) * self.size
        c, s = math.cos(self.rotation), math.sin(self.rotation)
        x = c * p[:, 0] - s * p[:, 1] + self.cx
        y = s * p[:, 0] + c * p[:, 1] + self.cy
        return np.stack([x, y], axis=-1).astype(np.float32)

    def crop(
        self, image: npt.NDArray[np.uint8], size: int, low: float = 0.0, high: float = 1.0
    ) -> FloatArray:
        """The ROI resampled to ``size``x``size``, values ``low``-``high``. Outside the
        frame is black (MediaPipe's BORDER_ZERO), not smeared edge pixels that could
        look like limbs."""
        import cv2

        k = self.size / size
        c, s = math.cos(self.rotation), math.sin(self.rotation)
        # crop pixel centre (i + 0.5) → frame position; cv2 samples at integer coordinates
        half = size / 2 - 0.5
        to_frame = np.array(
            [
                [c * k, -s * k, self.cx - 0.5 - (c * half - s * half) * k],
                [s * k, c * k, self.cy - 0.5 - (s * half + c * half) * k],
            ],
            dtype=np.float64,
        )
        warped = cv2.warpAffine(
            image,
            to_frame,
            (size, size),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(0, 0, 0),
        )
        return warped.astype(np.float32) * ((high - low) / 255.0) + low


def normalize_radians(angle: float) -> float:
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def rotation_from(x0: float, y0: float, x1: float, y1: float, target_degrees: float = 90) -> float:
    """The rotation that makes the direction (x0, y0) → (x1, y1), in frame pixels, point
    at ``target_degrees`` in the crop (90 = up), as MediaPipe's DetectionsToRects does."""
    return normalize_radians(math.radians(target_degrees) - math.atan2(-(y1 - y0), x1 - x0))
