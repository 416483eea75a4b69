"""Hand gestures from the 21 hand landmarks, by geometry alone.

Why geometry rather than a learned classifier: the gestures are defined by which fingers
are straight and where the thumb points, and those are measurable directly. Every finger
measure below is a 3-D joint angle or a distance ratio, so it does not change when the
hand turns in the image, shrinks, is mirrored or is the other hand; only thumbs up vs
down looks at the image's "up", because that is what tells them apart (a fist with the
thumb held sideways is neither, and scores as "none").

Each finger gets a probability of being extended; the gesture scores are products of
those (independent-finger reading), so they are mutually exclusive by construction and
"none" takes whatever probability is left. A hand whose landmarks cannot be a hand
(NaN, all zero, collapsed onto a line) is "none" with certainty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from homebrain.understanding.labels import GESTURES
from homebrain.vision.geometry import angle, smoothstep
from homebrain.vision.types import Hand

FloatArray = npt.NDArray[np.float64]

FINGER_CHAINS: tuple[tuple[int, int, int, int], ...] = (
    (5, 6, 7, 8),
    (9, 10, 11, 12),
    (13, 14, 15, 16),
    (17, 18, 19, 20),
)
THUMB_CHAIN = (1, 2, 3, 4)

# thresholds, tuned on hand_synth output (see bench/vision_gestures.py)
_FINGER_RATIO_MID = 1.35  # fingertip-to-wrist over MCP-to-wrist: curled ~0.75, straight ~1.9
_FINGER_RATIO_SCALE = 0.1
_FINGER_BEND_MID = math.radians(140)  # summed MCP+PIP+DIP flexion: straight ~60, curled ~230
_FINGER_BEND_SCALE = math.radians(25)
_THUMB_ACROSS_MID = -0.1  # cosine of thumb to the index→little line: out ~-0.9, folded ~0.7
_THUMB_ACROSS_SCALE = 0.15
_THUMB_CLEAR_MID = 0.5  # thumb tip to the nearest of those joints, palm lengths
_THUMB_CLEAR_SCALE = 0.1
_THUMB_BEND_MID = math.radians(80)
_THUMB_BEND_SCALE = math.radians(20)
_UP_COS_MID = math.cos(math.radians(55))  # thumb within ~55° of image up / down
_UP_COS_SCALE = 0.08


def _sigmoid(x: float) -> float:
    if x < -40:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def _points(hand: Hand, aspect: float) -> FloatArray | None:
    array = np.asarray(hand.landmarks, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != 21 or array.shape[1] < 2:
        return None
    p = np.zeros((21, 3))
    p[:, : min(3, array.shape[1])] = array[:, :3]
    if not np.all(np.isfinite(p)):
        return None
    # x is a fraction of the width, y of the height: put both in height units
    p[:, 0] *= aspect
    p[:, 2] *= aspect
    return p


def features(hand: Hand, *, aspect: float = 1.0) -> dict[str, float] | None:
    """The measurements the scores come from (None when the hand is not a hand); kept
    public so the thresholds can be checked against recorded and generated hands."""
    p = _points(hand, aspect)
    if p is None:
        return None
    wrist = p[0]
    metacarpals = [float(np.linalg.norm(p[i] - wrist)) for i in (5, 9, 13, 17)]
    palm = float(np.mean(metacarpals))
    if not math.isfinite(palm) or palm < 1e-6:
        return None
    # a real palm is a fan, not a line: the wrist/index-MCP/little-MCP triangle has area
    palm_area = float(np.linalg.norm(np.cross(p[5] - wrist, p[17] - wrist))) / (palm * palm)
    out: dict[str, float] = {"palm": palm, "palm_area": palm_area}
    names = ("index", "middle", "ring", "little")
    directions = []
    for name, (mcp, pip, dip, tip) in zip(names, FINGER_CHAINS, strict=True):
        bend = (
            angle(p[mcp] - wrist, p[pip] - p[mcp], 0.0)
            + angle(p[pip] - p[mcp], p[dip] - p[pip], 0.0)
            + angle(p[dip] - p[pip], p[tip] - p[dip], 0.0)
        )
        mcp_reach = float(np.linalg.norm(p[mcp] - wrist))
        ratio = float(np.linalg.norm(p[tip] - wrist)) / max(mcp_reach, 1e-9)
        out[f"{name}_bend"] = bend
        out[f"{name}_ratio"] = ratio
        directions.append(p[tip] - p[mcp])
    out["spread"] = angle(directions[0], directions[3], 0.0)
    cmc, mcp, ip, tip = THUMB_CHAIN
    out["thumb_bend"] = angle(p[mcp] - p[cmc], p[ip] - p[mcp], 0.0) + angle(
        p[ip] - p[mcp], p[tip] - p[ip], 0.0
    )
    # how far the thumb tip stands off the fingers and palm: a folded thumb lies on the
    # index/middle phalanges or on the middle/ring knuckles
    near = min(float(np.linalg.norm(p[tip] - p[j])) for j in (6, 7, 9, 10, 11, 13))
    out["thumb_clear"] = near / palm
    # a folded thumb points across the palm towards the little finger, an extended one away
    across = p[17] - p[5]
    thumb_vec = p[tip] - p[mcp]
    out["thumb_across"] = math.cos(angle(thumb_vec, across, 0.0))
    thumb_2d = p[tip, :2] - p[mcp, :2]
    length_2d = float(np.linalg.norm(thumb_2d))
    out["thumb_length_2d"] = length_2d / palm
    # cosine to image up (y grows downwards)
    out["thumb_up_cos"] = float(-thumb_2d[1] / length_2d) if length_2d > 1e-12 else 0.0
    return out


def _finger_extension(f: Mapping[str, float], name: str) -> float:
    # the distance ratio is the steadier of the two (joint angles suffer most from depth
    # noise on short phalanges), so it carries more weight
    by_ratio = (f[f"{name}_ratio"] - _FINGER_RATIO_MID) / _FINGER_RATIO_SCALE
    by_bend = (_FINGER_BEND_MID - f[f"{name}_bend"]) / _FINGER_BEND_SCALE
    return _sigmoid(0.85 * by_ratio + 0.15 * by_bend)


def _thumb_extension(f: Mapping[str, float]) -> float:
    by_across = (_THUMB_ACROSS_MID - f["thumb_across"]) / _THUMB_ACROSS_SCALE
    by_clear = (f["thumb_clear"] - _THUMB_CLEAR_MID) / _THUMB_CLEAR_SCALE
    by_bend = (_THUMB_BEND_MID - f["thumb_bend"]) / _THUMB_BEND_SCALE
    return _sigmoid(0.5 * by_across + 0.25 * by_clear + 0.25 * by_bend)


def _none() -> dict[str, float]:
    return {gesture: 1.0 if gesture == "none" else 0.0 for gesture in GESTURES}


def classify(hand: Hand, *, aspect: float = 1.0) -> dict[str, float]:
    """Score each of GESTURES (summing to 1) for one hand.

    ``aspect`` is the frame's width / height: landmarks are normalised per axis, so on a
    16:9 frame a straight finger only looks straight once x is scaled back.
    """
    f = features(hand, aspect=aspect)
    if f is None:
        return _none()
    plausible = smoothstep(f["palm_area"], 0.08, 0.2)
    if plausible <= 0.0:
        return _none()
    thumb = _thumb_extension(f)
    fingers = [_finger_extension(f, name) for name in ("index", "middle", "ring", "little")]
    curled = [1.0 - e for e in fingers]
    # a thumb pointing at the camera has no direction in the image
    directional = smoothstep(f["thumb_length_2d"], 0.2, 0.4)
    up = directional * _sigmoid((f["thumb_up_cos"] - _UP_COS_MID) / _UP_COS_SCALE)
    down = directional * _sigmoid((-f["thumb_up_cos"] - _UP_COS_MID) / _UP_COS_SCALE)
    thumb_fist = thumb * curled[0] * curled[1] * curled[2] * curled[3]
    spread = 0.75 + 0.25 * smoothstep(f["spread"], math.radians(8), math.radians(18))
    scores = {
        "thumbs_up": thumb_fist * up,
        "thumbs_down": thumb_fist * down,
        "open_palm": thumb * fingers[0] * fingers[1] * fingers[2] * fingers[3] * spread,
        # the thumb may be tucked or out ("finger gun"): either way the index points
        "pointing": fingers[0] * curled[1] * curled[2] * curled[3],
    }
    for gesture in scores:
        scores[gesture] *= plausible
    total = sum(scores.values())
    if total > 1.0:  # cannot happen with up + down <= 1, but keep the sum honest
        scores = {g: s / total for g, s in scores.items()}
        total = 1.0
    scores["none"] = 1.0 - total
    return {gesture: float(scores[gesture]) for gesture in GESTURES}


def best(scores: Mapping[str, float]) -> tuple[str, float]:
    """The top gesture and its score; ("none", 1.0) for an empty mapping."""
    if not scores:
        return ("none", 1.0)
    gesture = max(scores, key=lambda name: (scores[name], name == "none"))
    return (gesture, float(scores[gesture]))
