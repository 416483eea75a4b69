"""Realistic landmark sets for measuring the gesture and pointing code without a camera.

Real landmark data for every gesture, orientation and hand shape is slow to collect, so
the tests and ``bench/vision_gestures.py`` build it: a hand *skeleton* (palm shape and
bone lengths, measured from a real recorded hand when one is available, otherwise the
typical adult proportions below) is posed with per-finger flexion angles drawn for the
requested gesture, turned in 3-D, projected with a mild perspective, placed in the frame
and jittered the way a landmark model jitters. Everything is drawn from the caller's
``numpy.random.Generator`` so a failing case can be replayed from its seed.

Hand space: ``u`` runs from the wrist along the middle metacarpal, ``v`` across the palm
from the index side to the little-finger side, ``n = u × v`` out of the palm (the way the
fingers curl). Lengths are in units of the palm length (wrist → middle-finger MCP).

People come two ways: built from scratch (``synth_person``), or taken whole from the
recording with one arm re-posed (``pose_from_recorded``, ``rest_from_recorded``), which
keeps the real posture and proportions the pose model found in photographs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from homebrain.understanding.labels import GESTURES
from homebrain.vision.types import Hand, Person

FloatArray = npt.NDArray[np.float64]

# Landmark chains: thumb CMC→MCP→IP→tip, then MCP→PIP→DIP→tip for the four fingers.
CHAINS: tuple[tuple[int, int, int, int], ...] = (
    (1, 2, 3, 4),
    (5, 6, 7, 8),
    (9, 10, 11, 12),
    (13, 14, 15, 16),
    (17, 18, 19, 20),
)

RECORDED_PATH = (
    Path(__file__).resolve().parents[2]
    / "tests"
    / "fixtures"
    / "vision"
    / "recorded_landmarks.json"
)

# Typical adult hand, centimetres (landmarks sit at joint centres, so the MCP row is
# narrower than the palm's outline). Rows: thumb CMC, index, middle, ring, little MCP,
# as (along u, along v, along n).
_CANON_BASES_CM = np.array(
    [
        [2.6, -2.1, 0.8],
        [8.5, -2.5, 0.0],
        [9.0, 0.0, 0.0],
        [8.5, 1.9, 0.0],
        [7.6, 3.6, 0.2],
    ]
)
# Bone lengths per chain: thumb metacarpal, proximal, distal; fingers proximal, middle,
# distal phalanx (to the fingertip landmark).
_CANON_BONES_CM = np.array(
    [
        [4.0, 3.2, 2.6],
        [4.3, 2.5, 2.2],
        [4.7, 2.9, 2.3],
        [4.4, 2.8, 2.3],
        [3.5, 2.0, 2.0],
    ]
)
# Rest direction of each finger in the palm plane, degrees towards the little finger.
_CANON_SPLAY_DEG = np.array([0.0, -7.0, 0.0, 6.0, 13.0])


@dataclass(frozen=True)
class Skeleton:
    """The shape of one hand, independent of its pose."""

    bases: FloatArray  # [5, 3] chain roots (thumb CMC, index..little MCP) in hand space
    bones: FloatArray  # [5, 3] bone lengths per chain, palm lengths
    splay: FloatArray  # [5] rest direction of each finger, radians towards the little finger
    name: str = "canonical"


def canonical_skeleton() -> Skeleton:
    palm = float(np.linalg.norm(_CANON_BASES_CM[2]))
    return Skeleton(
        bases=_CANON_BASES_CM / palm,
        bones=_CANON_BONES_CM / palm,
        splay=np.radians(_CANON_SPLAY_DEG),
        name="canonical",
    )


def _unit(vector: FloatArray) -> FloatArray:
    norm = float(np.linalg.norm(vector))
    if not math.isfinite(norm) or norm < 1e-12:
        raise ValueError("degenerate vector")
    return vector / norm


def skeleton_from_landmarks(
    points: npt.ArrayLike, *, aspect: float = 1.0, name: str = "recorded"
) -> Skeleton:
    """Measure a skeleton on a recorded hand so generated hands inherit real proportions.

    Only what survives any pose is taken: the palm's landmark layout (in its own plane)
    and the bone lengths (3-D when z is there). A finger that was bent or foreshortened
    in the recording would give a too-short bone, so each length is held within a
    plausible band around the typical one; finger directions are taken only from
    fingers that were straight, otherwise the typical splay is kept.
    """
    array = np.asarray(points, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] != 21 or array.shape[1] < 2:
        raise ValueError(f"expected 21 landmarks with x, y[, z], got shape {array.shape}")
    p = np.zeros((21, 3))
    p[:, : min(3, array.shape[1])] = array[:, :3]
    if not np.all(np.isfinite(p)):
        raise ValueError("recorded landmarks contain NaN or inf")
    p[:, 0] *= aspect
    p[:, 2] *= aspect
    p -= p[0]
    palm = float(np.linalg.norm(p[9]))
    u = _unit(p[9])
    across = p[17] - p[5]
    v = _unit(across - across.dot(u) * u)
    n = np.cross(u, v)
    canon = canonical_skeleton()
    local = np.stack([p @ u, p @ v, p @ n], axis=1) / palm
    bases = canon.bases.copy()
    for chain, (root, *_rest) in enumerate(CHAINS):
        # in-plane layout from the recording; the out-of-palm offset (cupping) cannot be
        # told apart from a mirrored hand without depth, so it stays typical
        bases[chain, :2] = local[root, :2]
    # a palm seen edge-on looks narrow, and landmark depth is too compressed to undo
    # that: below a plausible width the recording's width says nothing about the hand's
    width = float(bases[4, 1] - bases[1, 1])
    typical_width = float(canon.bases[4, 1] - canon.bases[1, 1])
    if width < 0.75 * typical_width:
        bases[:, 1] = bases[:, 1] * (typical_width / max(width, 1e-6))
        if width < 0.1 * typical_width:  # collapsed: keep the typical layout across
            bases[:, 1] = canon.bases[:, 1]
    # a tilted palm also skews the knuckle line and can throw the thumb's root across
    # the palm in projection; hands vary by less than that, so each root stays within
    # a fifth of a palm length of the typical place
    bases[:, :2] = np.clip(bases[:, :2], canon.bases[:, :2] - 0.2, canon.bases[:, :2] + 0.2)
    bones = np.empty((5, 3))
    for chain, joints in enumerate(CHAINS):
        for bone in range(3):
            length = float(np.linalg.norm(p[joints[bone + 1]] - p[joints[bone]])) / palm
            typical = float(canon.bones[chain, bone])
            bones[chain, bone] = min(max(length, 0.7 * typical), 1.4 * typical)
    splay = canon.splay.copy()
    for chain, joints in enumerate(CHAINS[1:], start=1):
        reach = local[joints[3], :2] - local[joints[0], :2]
        if float(np.linalg.norm(reach)) > 0.85 * float(bones[chain].sum()):
            angle = math.atan2(float(reach[1]), float(reach[0]))
            typical = float(canon.splay[chain])
            splay[chain] = min(max(angle, typical - math.radians(15)), typical + math.radians(15))
    return Skeleton(bases=bases, bones=bones, splay=splay, name=name)


def _landmark_arrays(data: Any) -> Iterable[tuple[str, FloatArray, float]]:
    """Every 21-point hand in a loosely structured JSON document, with a name and aspect.

    The recording's exact layout is up to its producer, so this accepts lists of
    [x, y(, z)] rows or of {"x", "y", "z"} objects anywhere in the document; a sibling
    "width"/"height" (or "image_width"/"image_height") gives the frame's aspect.
    """

    def rows(value: Any) -> FloatArray | None:
        if not isinstance(value, list) or len(value) != 21:
            return None
        try:
            if all(isinstance(item, dict) for item in value):
                return np.array(
                    [[float(i["x"]), float(i["y"]), float(i.get("z", 0.0))] for i in value]
                )
            array = np.array(value, dtype=np.float64)
        except (KeyError, TypeError, ValueError):
            return None
        if array.ndim == 2 and array.shape[1] in (2, 3, 4):
            return array[:, :3]
        return None

    def aspect_of(node: dict[str, Any]) -> float:
        for width_key, height_key in (("width", "height"), ("image_width", "image_height")):
            width, height = node.get(width_key), node.get(height_key)
            if isinstance(width, int | float) and isinstance(height, int | float) and height > 0:
                return float(width) / float(height)
        return 1.0

    def walk(node: Any, name: str, aspect: float) -> Iterable[tuple[str, FloatArray, float]]:
        found = rows(node)
        if found is not None:
            yield name, found, aspect
            return
        if isinstance(node, dict):
            here = aspect_of(node)
            aspect = here if here != 1.0 else aspect
            label = node.get("name") or node.get("file") or node.get("image") or name
            for key, value in node.items():
                yield from walk(
                    value, f"{label}" if key == "landmarks" else f"{label}/{key}", aspect
                )
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{name}[{index}]", aspect)

    yield from walk(data, "recorded", 1.0)


def load_recorded_skeletons(path: Path = RECORDED_PATH) -> list[Skeleton]:
    """Skeletons from every usable hand in the recorded-landmarks file ([] when absent)."""
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    skeletons = []
    for name, points, aspect in _landmark_arrays(data):
        try:
            skeletons.append(skeleton_from_landmarks(points, aspect=aspect, name=name))
        except ValueError:
            continue
    return skeletons


# ---- posing -------------------------------------------------------------------------


@dataclass(frozen=True)
class HandPose:
    """Joint angles in radians. Fingers: [4, 3] flexion at MCP, PIP, DIP (positive curls
    towards the palm) and [4] abduction added to the rest splay; thumb: azimuth away
    from the index side, elevation out of the palm, flexion at MCP and IP."""

    finger_flex: FloatArray
    finger_abduct: FloatArray
    thumb: FloatArray  # az, el, mcp, ip


def pose_points(skeleton: Skeleton, pose: HandPose) -> FloatArray:
    """The 21 joints in hand space for one pose."""
    u, v, n = np.eye(3)
    out = np.zeros((21, 3))
    for chain, joints in enumerate(CHAINS):
        base = skeleton.bases[chain]
        out[joints[0]] = base
        if chain == 0:
            az, el, mcp, ip = (float(x) for x in pose.thumb)
            d0 = math.cos(el) * (math.cos(az) * u - math.sin(az) * v) + math.sin(el) * n
            # the thumb folds across the palm towards the little finger, not straight in
            bend = v + 0.45 * n
            bend = _unit(bend - bend.dot(d0) * d0)
            cumulative: tuple[float, ...] = (0.0, mcp, mcp + ip)
            directions = [math.cos(a) * d0 + math.sin(a) * bend for a in cumulative]
        else:
            spread = float(skeleton.splay[chain] + pose.finger_abduct[chain - 1])
            d0 = math.cos(spread) * u + math.sin(spread) * v
            flex = pose.finger_flex[chain - 1]
            cumulative = tuple(float(x) for x in np.cumsum(flex))
            directions = [math.cos(a) * d0 + math.sin(a) * n for a in cumulative]
        point = base.copy()
        for bone in range(3):
            point = point + skeleton.bones[chain, bone] * directions[bone]
            out[joints[bone + 1]] = point
    return out


def _deg(rng: np.random.Generator, low: float, high: float, size: int | None = None) -> Any:
    return np.radians(rng.uniform(low, high, size))


_FINGER_STATES = {
    # MCP, PIP, DIP flexion ranges in degrees
    "ext": ((-10, 20), (0, 20), (0, 15)),
    "curl": ((60, 95), (85, 110), (35, 75)),
    "half": ((20, 55), (35, 70), (15, 45)),
}
_THUMB_STATES = {
    # azimuth, elevation, MCP, IP in degrees
    "out": ((40, 70), (-5, 20), (-5, 15), (-15, 15)),
    "up": ((50, 85), (-15, 15), (-5, 20), (-20, 15)),
    "tucked": ((28, 45), (30, 48), (50, 80), (20, 50)),
    "half": ((30, 50), (10, 35), (20, 50), (10, 35)),
}


def _finger_pose(rng: np.random.Generator, states: tuple[str, str, str, str]) -> FloatArray:
    flex = np.empty((4, 3))
    for finger, state in enumerate(states):
        for joint, (low, high) in enumerate(_FINGER_STATES[state][joint] for joint in range(3)):
            flex[finger, joint] = _deg(rng, low, high)
    return flex


def _thumb_pose(rng: np.random.Generator, state: str) -> FloatArray:
    return np.array([_deg(rng, low, high) for low, high in _THUMB_STATES[state]])


def _abduction(rng: np.random.Generator, spread: bool) -> FloatArray:
    if spread:
        return np.radians(
            [-rng.uniform(3, 15), rng.uniform(-3, 3), rng.uniform(2, 10), rng.uniform(5, 20)]
        )
    return np.radians(rng.uniform(-3, 3, 4))


# Finger patterns that are none of the gestures (thumb state, four finger states).
_NONE_PATTERNS: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    ("tucked", ("curl", "curl", "curl", "curl")),  # fist
    ("tucked", ("ext", "ext", "curl", "curl")),  # victory
    ("out", ("ext", "ext", "curl", "curl")),
    ("tucked", ("ext", "ext", "ext", "curl")),  # three
    ("tucked", ("ext", "ext", "ext", "ext")),  # four, thumb folded in
    ("tucked", ("ext", "curl", "curl", "ext")),  # horns
    ("out", ("curl", "curl", "curl", "ext")),  # call-me
    ("tucked", ("curl", "ext", "curl", "curl")),  # middle finger
    ("tucked", ("curl", "ext", "ext", "ext")),
    ("half", ("half", "half", "half", "half")),  # relaxed, half-curled
    ("out", ("half", "half", "half", "half")),
    ("half", ("ext", "half", "half", "half")),
)


# ---- orientation and projection -----------------------------------------------------

# Hand space → camera space for a right hand held up, palm to the camera, fingers up:
# camera x right, y down, z away from the camera (nearer is smaller, as MediaPipe).
_NEUTRAL = np.array([[0.0, -1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, -1.0]]).T


def _rotation(axis: FloatArray, angle: float) -> FloatArray:
    axis = _unit(axis)
    x, y, z = axis
    k = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    return np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * (k @ k)


def _align(source: FloatArray, target: FloatArray) -> FloatArray:
    """The shortest rotation taking direction ``source`` onto ``target``."""
    a, b = _unit(source), _unit(target)
    axis = np.cross(a, b)
    sine = float(np.linalg.norm(axis))
    cosine = float(a.dot(b))
    if sine < 1e-9:
        if cosine > 0:
            return np.eye(3)
        helper = np.array([1.0, 0.0, 0.0]) if abs(a[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        return _rotation(np.cross(a, helper), math.pi)
    return _rotation(axis, math.atan2(sine, cosine))


def _free_orientation(rng: np.random.Generator, roll_deg: float, tilt_deg: float) -> FloatArray:
    """Palm (or back of the hand) towards the camera within ``tilt_deg``, any roll."""
    yaw = math.radians(rng.uniform(-tilt_deg, tilt_deg))
    if rng.random() < 0.5:
        yaw += math.pi  # back of the hand to the camera
    pitch = math.radians(rng.uniform(-tilt_deg, tilt_deg))
    roll = math.radians(rng.uniform(-roll_deg, roll_deg))
    y_axis, x_axis, z_axis = np.array([0.0, 1, 0]), np.array([1.0, 0, 0]), np.array([0.0, 0, 1])
    return _rotation(z_axis, roll) @ _rotation(y_axis, yaw) @ _rotation(x_axis, pitch)


def _direction_orientation(
    rng: np.random.Generator,
    vector: FloatArray,
    image_angle: float,
    tilt_deg: float,
) -> FloatArray:
    """A rotation that shows camera-space ``vector`` along ``image_angle`` (radians from
    image right, y down) tilted up to ``tilt_deg`` towards or away from the camera,
    spun by a random angle about that line (the rest of the hand may face anywhere)."""
    tilt = math.radians(rng.uniform(-tilt_deg, tilt_deg))
    target = np.array(
        [
            math.cos(image_angle) * math.cos(tilt),
            math.sin(image_angle) * math.cos(tilt),
            math.sin(tilt),
        ]
    )
    spin = _rotation(target, rng.uniform(0, 2 * math.pi))
    return spin @ _align(vector, target)


def _project(
    rng: np.random.Generator,
    camera_points: FloatArray,
    *,
    palm_size: float,
    center: tuple[float, float],
    aspect: float,
    noise: float,
) -> FloatArray:
    """Perspective-project, place and jitter; returns normalised [21, 3] landmarks."""
    points = camera_points - camera_points.mean(axis=0)
    distance = rng.uniform(4.0, 20.0)  # camera distance in palm lengths
    factor = distance / np.maximum(distance + points[:, 2], 0.5)
    projected = np.empty_like(points)
    projected[:, 0] = points[:, 0] * factor
    projected[:, 1] = points[:, 1] * factor
    # landmark models get depth scale wrong by a fair margin
    projected[:, 2] = (points[:, 2] - points[0, 2]) * rng.uniform(0.7, 1.2)
    if noise > 0:
        projected[:, :2] += rng.normal(0.0, 0.02 * noise, (21, 2))
        projected[:, 2] += rng.normal(0.0, 0.06 * noise, 21)
        if rng.random() < 0.05 * noise:  # an occasional landmark the model misplaces
            projected[rng.integers(21), :2] += rng.normal(0.0, 0.12, 2)
    out = projected * palm_size
    out[:, 0] = out[:, 0] / aspect + center[0]
    out[:, 1] += center[1]
    out[:, 2] /= aspect
    return out


def _box(landmarks: FloatArray) -> tuple[float, float, float, float]:
    low = landmarks[:, :2].min(axis=0)
    high = landmarks[:, :2].max(axis=0)
    margin = 0.1 * (high - low)
    x0, y0 = np.clip(low - margin, 0.0, 1.0)
    x1, y1 = np.clip(high + margin, 0.0, 1.0)
    return (float(x0), float(y0), float(x1), float(y1))


def _sample_pose(rng: np.random.Generator, gesture: str) -> HandPose:
    if gesture in ("thumbs_up", "thumbs_down"):
        return HandPose(
            _finger_pose(rng, ("curl", "curl", "curl", "curl")),
            _abduction(rng, False),
            _thumb_pose(rng, "up"),
        )
    if gesture == "open_palm":
        return HandPose(
            _finger_pose(rng, ("ext", "ext", "ext", "ext")),
            _abduction(rng, True),
            _thumb_pose(rng, "out"),
        )
    if gesture == "pointing":
        thumb = "out" if rng.random() < 0.3 else "tucked"
        return HandPose(
            _finger_pose(rng, ("ext", "curl", "curl", "curl")),
            _abduction(rng, False),
            _thumb_pose(rng, thumb),
        )
    thumb, fingers = _NONE_PATTERNS[int(rng.integers(len(_NONE_PATTERNS)))]
    return HandPose(
        _finger_pose(rng, fingers), _abduction(rng, rng.random() < 0.5), _thumb_pose(rng, thumb)
    )


def synth_hand(
    gesture: str,
    rng: np.random.Generator,
    skeleton: Skeleton | None = None,
    *,
    mirror: bool | None = None,
    roll_deg: float = 180.0,
    tilt_deg: float = 45.0,
    thumb_spread_deg: float = 35.0,
    palm_size: tuple[float, float] = (0.04, 0.15),
    aspect: float = 1.0,
    noise: float = 1.0,
) -> Hand:
    """One hand showing ``gesture`` (one of GESTURES), as a landmark model would report it.

    ``roll_deg``/``tilt_deg`` bound the in-image roll and the out-of-plane turn for the
    gestures whose meaning does not depend on direction; thumbs up/down keep the thumb
    within ``thumb_spread_deg`` of straight up/down in the image (that is their meaning)
    and spin the fist freely about it. "none" draws from hand shapes that are none of
    the gestures, including half-curled ones and a thumb held sideways.
    ``palm_size`` is the range of palm lengths as a fraction of the frame height.
    """
    if gesture not in GESTURES:
        raise ValueError(f"unknown gesture {gesture!r}; expected one of {GESTURES}")
    skeleton = skeleton or canonical_skeleton()
    mirrored = bool(rng.random() < 0.5) if mirror is None else mirror
    sideways_thumb = gesture == "none" and rng.random() < 0.15
    pose = _sample_pose(rng, "thumbs_up" if sideways_thumb else gesture)
    points = pose_points(skeleton, pose) @ _NEUTRAL.T
    if mirrored:
        points[:, 0] = -points[:, 0]
    if gesture in ("thumbs_up", "thumbs_down") or sideways_thumb:
        if sideways_thumb:
            off = math.radians(rng.uniform(75, 105)) * (1 if rng.random() < 0.5 else -1)
        else:
            off = math.radians(rng.uniform(-thumb_spread_deg, thumb_spread_deg))
        straight = -math.pi / 2 if gesture != "thumbs_down" else math.pi / 2
        rotation = _direction_orientation(rng, points[4] - points[2], straight + off, 30.0)
    else:
        rotation = _free_orientation(rng, roll_deg, tilt_deg)
    size = float(rng.uniform(*palm_size))
    margin = 1.6 * size
    center = (
        float(rng.uniform(min(0.5, margin / aspect), max(0.5, 1 - margin / aspect))),
        float(rng.uniform(min(0.5, margin), max(0.5, 1 - margin))),
    )
    landmarks = _project(
        rng, points @ rotation.T, palm_size=size, center=center, aspect=aspect, noise=noise
    )
    return Hand(
        box=_box(landmarks),
        landmarks=landmarks.astype(np.float32),
        handedness="left" if mirrored else "right",
        score=float(rng.uniform(0.8, 1.0)),
    )


def synth_hands(
    gesture: str, count: int, seed: int = 0, skeleton: Skeleton | None = None, **options: Any
) -> list[Hand]:
    rng = np.random.default_rng(seed)
    return [synth_hand(gesture, rng, skeleton, **options) for _ in range(count)]


def synth_pointing_hand(
    rng: np.random.Generator,
    wrist: tuple[float, float],
    direction: tuple[float, float],
    *,
    palm_size: float = 0.035,
    angle_noise_deg: float = 3.0,
    skeleton: Skeleton | None = None,
    aspect: float = 1.0,
    noise: float = 1.0,
) -> Hand:
    """A pointing hand at ``wrist`` whose index finger runs along ``direction`` (image
    coordinates, y down, in frame-height units) give or take ``angle_noise_deg``."""
    skeleton = skeleton or canonical_skeleton()
    pose = _sample_pose(rng, "pointing")
    points = pose_points(skeleton, pose) @ _NEUTRAL.T
    mirrored = bool(rng.random() < 0.5)
    if mirrored:
        points[:, 0] = -points[:, 0]
    angle = math.atan2(direction[1], direction[0]) + math.radians(rng.normal(0.0, angle_noise_deg))
    rotation = _direction_orientation(rng, points[8] - points[5], angle, 25.0)
    landmarks = _project(
        rng, points @ rotation.T, palm_size=palm_size, center=(0.0, 0.0), aspect=aspect, noise=noise
    )
    landmarks[:, 0] += wrist[0] - landmarks[0, 0]
    landmarks[:, 1] += wrist[1] - landmarks[0, 1]
    return Hand(
        box=_box(landmarks),
        landmarks=landmarks.astype(np.float32),
        handedness="left" if mirrored else "right",
        score=float(rng.uniform(0.8, 1.0)),
    )


# ---- people -------------------------------------------------------------------------

# A standing person facing the camera, in body heights from the top of the head and
# from the body's midline (the person's left, odd landmarks, is image right).
_BODY = {
    0: (0.0, 0.07),
    1: (0.012, 0.055),
    2: (0.02, 0.055),
    3: (0.028, 0.056),
    4: (-0.012, 0.055),
    5: (-0.02, 0.055),
    6: (-0.028, 0.056),
    7: (0.045, 0.065),
    8: (-0.045, 0.065),
    9: (0.012, 0.095),
    10: (-0.012, 0.095),
    11: (0.11, 0.18),
    12: (-0.11, 0.18),
    23: (0.07, 0.52),
    24: (-0.07, 0.52),
    25: (0.065, 0.74),
    26: (-0.065, 0.74),
    27: (0.06, 0.95),
    28: (-0.06, 0.95),
    29: (0.06, 0.97),
    30: (-0.06, 0.97),
    31: (0.07, 0.99),
    32: (-0.07, 0.99),
}
UPPER_ARM = 0.17  # body heights
FOREARM = 0.15
REST_POSES = ("down", "hips", "crossed", "face")


def _angle_vec(angle: float) -> FloatArray:
    return np.array([math.cos(angle), math.sin(angle)])


def _arm(
    points: FloatArray, side: str, elbow: FloatArray, wrist: FloatArray, height: float
) -> None:
    shoulder_i, elbow_i, wrist_i, pinky_i, index_i, thumb_i = (
        (11, 13, 15, 17, 19, 21) if side == "left" else (12, 14, 16, 18, 20, 22)
    )
    del shoulder_i
    points[elbow_i, :2] = elbow
    points[wrist_i, :2] = wrist
    forearm = wrist - elbow
    norm = float(np.linalg.norm(forearm))
    along = forearm / norm if norm > 1e-9 else np.array([0.0, 1.0])
    across = np.array([-along[1], along[0]])
    points[index_i, :2] = wrist + 0.05 * height * along
    points[pinky_i, :2] = wrist + 0.045 * height * along + 0.012 * height * across
    points[thumb_i, :2] = wrist + 0.03 * height * along - 0.015 * height * across


def synth_person(
    pointing_at: tuple[float, float] | None,
    rng: np.random.Generator,
    *,
    position: tuple[float, float] | None = None,
    height: float | None = None,
    side: str | None = None,
    rest_pose: str | None = None,
    angle_noise_deg: float = 5.0,
    aspect: float = 1.0,
    jitter: float = 0.004,
) -> Person:
    """A standing person seen from the front, pointing at a spot or with arms at rest.

    ``pointing_at`` is a normalised image point; the pointing forearm aims at it with
    Gaussian ``angle_noise_deg`` (people line up eye and fingertip, not the forearm, so
    the forearm is a few degrees off), the elbow bent by up to 60° and the forearm
    foreshortened as when pointing towards or away from the camera. The other arm, or
    both when ``pointing_at`` is None, takes ``rest_pose`` (one of REST_POSES, random by
    default): hanging, hands on hips, arms crossed, or a hand at the face.
    ``position`` is the top of the head (normalised), ``height`` the body height as a
    fraction of the frame height, ``side`` the pointing arm ("left"/"right" as the
    person says it; by default the one on the target's side, one time in five the other
    reaching across the body), ``jitter`` the pose model's landmark noise (frame-height
    units; 0.004 turns a short forearm by a few degrees, as real pose landmarks do).
    """
    height = float(rng.uniform(0.45, 0.85)) if height is None else height
    if position is None:
        position = (float(rng.uniform(0.2, 0.8)), float(rng.uniform(0.05, 0.95 - height)))
    # work in frame-height units on both axes so angles are true, convert at the end
    top = np.array([position[0] * aspect, position[1]])
    points = np.zeros((33, 4))
    points[:, 3] = rng.uniform(0.85, 1.0, 33)
    for index, (dx, dy) in _BODY.items():
        points[index, :2] = top + height * np.array([dx, dy])
    down = math.pi / 2  # image angle of "straight down"
    target = None if pointing_at is None else np.array([pointing_at[0] * aspect, pointing_at[1]])
    if side is None:
        if target is not None:
            # the arm on the target's side, now and then the other one across the body
            near = "right" if target[0] < top[0] else "left"
            side = near if rng.random() < 0.8 else ("left" if near == "right" else "right")
        else:
            side = "left" if rng.random() < 0.5 else "right"
    for arm in ("left", "right"):
        outward = 1.0 if arm == "left" else -1.0  # image x direction away from the body
        shoulder = points[11 if arm == "left" else 12, :2]
        if target is not None and arm == side:
            to_target = target - shoulder
            straight = math.atan2(to_target[1], to_target[0])
            # pointing across the body takes a nearly straight arm to reach past the chest
            across = (target[0] - shoulder[0]) * outward < 0
            bend = math.radians(rng.uniform(0, 25 if across else 60))
            # a bent elbow sits outside and below the shoulder→target line, never across
            # the face or above the line
            sides = (straight + math.pi / 2, straight - math.pi / 2)
            lean = max(sides, key=lambda a: outward * math.cos(a) + math.sin(a))
            upper_angle = straight + (bend if lean == sides[0] else -bend)
            upper_len = UPPER_ARM * height * rng.uniform(0.6, 1.0)
            elbow = shoulder + upper_len * _angle_vec(upper_angle)
            aim = target - elbow
            aim_angle = math.atan2(aim[1], aim[0]) + math.radians(rng.normal(0, angle_noise_deg))
            fore_len = FOREARM * height * rng.uniform(0.55, 1.0)
            wrist = elbow + fore_len * _angle_vec(aim_angle)
            _arm(points, arm, elbow, wrist, height)
            continue
        pose = rest_pose or REST_POSES[int(rng.integers(len(REST_POSES)))]
        if pose == "down":
            upper = down - outward * math.radians(rng.uniform(2, 15))
            elbow = shoulder + UPPER_ARM * height * _angle_vec(upper)
            fore = upper + outward * math.radians(rng.uniform(-10, 20))
            wrist = elbow + FOREARM * height * _angle_vec(fore)
        elif pose == "hips":
            upper = down - outward * math.radians(rng.uniform(35, 60))
            elbow = shoulder + UPPER_ARM * height * _angle_vec(upper)
            hip = points[23 if arm == "left" else 24, :2]
            wrist = hip + height * np.array(
                [outward * rng.uniform(0.0, 0.03), rng.uniform(-0.06, 0.0)]
            )
        elif pose == "crossed":
            elbow = shoulder + height * np.array(
                [outward * rng.uniform(0.0, 0.03), rng.uniform(0.14, 0.18)]
            )
            other_elbow_x = top[0] - outward * (0.11 * height)
            wrist = np.array(
                [
                    other_elbow_x + outward * rng.uniform(-0.02, 0.03) * height,
                    elbow[1] - rng.uniform(0.0, 0.03) * height,
                ]
            )
        elif pose == "face":
            upper = down - outward * math.radians(rng.uniform(5, 30))
            elbow = shoulder + UPPER_ARM * height * _angle_vec(upper)
            head = points[7 if arm == "left" else 8, :2]
            wrist = head + height * rng.uniform(-0.025, 0.025, 2) + np.array([0.0, 0.03 * height])
        else:
            raise ValueError(f"unknown rest pose {pose!r}; expected one of {REST_POSES}")
        _arm(points, arm, elbow, wrist, height)
    points[:, :2] += rng.normal(0.0, jitter, (33, 2))
    points[:, 0] /= aspect
    xs, ys = points[:, 0], points[:, 1]
    box = (
        float(max(xs.min() - 0.02, 0.0)),
        float(max(ys.min() - 0.02, 0.0)),
        float(min(xs.max() + 0.02, 1.0)),
        float(min(ys.max() + 0.02, 1.0)),
    )
    return Person(box=box, landmarks=points.astype(np.float32), score=float(rng.uniform(0.8, 1.0)))


# ---- recorded people, re-posed ------------------------------------------------------
#
# A body built from scratch has the proportions and posture someone chose; a recorded
# one has what a real camera and the real pose model give: leaning torsos, people seen
# from the side or from behind, shoulders narrowed by a turn, the model's own noise in
# head and hips. The pointing rules read the arm against that torso, so re-posing only
# an arm of a recorded body measures them on real torsos with a known ground truth.
# Work is in frame-height units on both axes (x scaled by the aspect) so angles are
# true; the torso frame is "down" (mid-shoulders → mid-hips) and, per arm, "outward"
# (across the torso, away from the other shoulder).

ARM_POINTS = {"left": (11, 13, 15, 17, 19, 21), "right": (12, 14, 16, 18, 20, 22)}
TORSO_POINTS = (11, 12, 23, 24)
RECORDED_REST_POSES = ("recorded", *REST_POSES)
# a recorded forearm raised further than this from the torso's down axis may read as
# pointing (the pointing rules' "raised" ramp runs 30° → 50°); whether the person meant
# anything by it is unknown, so where ground truth must be "no target" it is lowered
RAISED_DEG = 40.0


def _torso_seen(landmarks: FloatArray, min_visibility: float) -> bool:
    rows = landmarks[list(TORSO_POINTS)]
    return bool(
        np.all(rows[:, 3] >= min_visibility)
        and np.all((rows[:, :2] >= 0.0) & (rows[:, :2] <= 1.0))
        and float(np.linalg.norm((rows[2, :2] + rows[3, :2] - rows[0, :2] - rows[1, :2]) / 2))
        > 1e-4
    )


def load_recorded_people(
    path: Path = RECORDED_PATH, *, min_visibility: float = 0.5
) -> list[tuple[str, FloatArray, float]]:
    """(name, [33, 4] landmarks, aspect) for every recorded body whose shoulders and hips
    were seen, from every section of the recording ([] when the file is absent).

    Re-posing keeps the torso and reads "down" from it, so a body without hips (a
    head-and-shoulders portrait, where the model guesses them below the frame) has
    nothing trustworthy to keep. Names are ``picture#index``.
    """
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    found: list[tuple[str, FloatArray, float]] = []
    if not isinstance(data, dict):
        return found
    for section, records in data.items():
        if not isinstance(records, list):
            continue
        for record in records:
            if not isinstance(record, dict) or not isinstance(record.get("people"), list):
                continue
            width, height = record.get("width"), record.get("height")
            aspect = 1.0
            if isinstance(width, int | float) and isinstance(height, int | float) and height > 0:
                aspect = float(width) / float(height)
            for index, raw in enumerate(record["people"]):
                try:
                    landmarks = np.array(raw["landmarks"], dtype=np.float64)
                except (KeyError, TypeError, ValueError):
                    continue
                if landmarks.shape != (33, 4) or not np.all(np.isfinite(landmarks)):
                    continue
                if not _torso_seen(landmarks, min_visibility):
                    continue
                found.append((f"{record.get('image', section)}#{index}", landmarks, aspect))
    return found


def _checked(person_landmarks: npt.ArrayLike, aspect: float) -> tuple[FloatArray, FloatArray]:
    """A copy to edit, so the caller's recording stays as it was, and its xy in
    frame-height units, where angles are true."""
    landmarks = np.array(person_landmarks, dtype=np.float64)
    if landmarks.shape != (33, 4):
        raise ValueError(f"expected [33, 4] pose landmarks, got shape {landmarks.shape}")
    if not np.all(np.isfinite(landmarks)):
        raise ValueError("recorded landmarks contain NaN or inf")
    if not aspect > 0:
        raise ValueError(f"aspect must be positive, got {aspect}")
    xy = landmarks[:, :2] * np.array([aspect, 1.0])
    return landmarks, xy


def _torso_frame(xy: FloatArray) -> tuple[FloatArray, float]:
    """(unit "down" along the torso, torso length), frame-height units."""
    axis = (xy[23] + xy[24] - xy[11] - xy[12]) / 2
    length = float(np.linalg.norm(axis))
    if length < 1e-6:
        raise ValueError("shoulders and hips coincide: no torso to keep")
    return axis / length, length


def _outward(xy: FloatArray, side: str, down: FloatArray) -> FloatArray:
    """Across the torso, away from the other shoulder: the image's left or right
    depending on whether the person faces the camera or turns away. Seen from the side
    the shoulders coincide and either will do."""
    this, other = (11, 12) if side == "left" else (12, 11)
    across = np.array([-down[1], down[0]])
    return across if float((xy[this] - xy[other]) @ across) >= 0 else -across


def _toward(down: FloatArray, outward: FloatArray, degrees: float) -> FloatArray:
    """A unit vector turned ``degrees`` from down towards outward (negative: inward)."""
    theta = math.radians(degrees)
    return math.cos(theta) * down + math.sin(theta) * outward


def _bones(xy: FloatArray, side: str) -> tuple[float, float]:
    shoulder, elbow, wrist = ARM_POINTS[side][:3]
    return (
        float(np.linalg.norm(xy[elbow] - xy[shoulder])),
        float(np.linalg.norm(xy[wrist] - xy[elbow])),
    )


def arm_raised(
    person_landmarks: npt.ArrayLike,
    side: str,
    *,
    aspect: float = 1.0,
    limit_deg: float = RAISED_DEG,
) -> bool:
    """Whether a recorded arm's forearm is raised past ``limit_deg`` from the torso's
    down axis, i.e. could read as pointing whatever the person was doing."""
    _, xy = _checked(person_landmarks, aspect)
    down, _ = _torso_frame(xy)
    _, elbow, wrist = ARM_POINTS[side][:3]
    forearm = xy[wrist] - xy[elbow]
    norm = float(np.linalg.norm(forearm))
    if norm < 1e-9:
        return False
    cosine = min(max(float(forearm @ down) / norm, -1.0), 1.0)
    return math.degrees(math.acos(cosine)) > limit_deg


def _place_arm(
    landmarks: FloatArray,
    xy: FloatArray,
    side: str,
    elbow: FloatArray,
    wrist: FloatArray,
    rng: np.random.Generator,
    *,
    hand_points: bool,
    noise: float,
) -> None:
    """Write a moved arm into ``landmarks`` (and ``xy``): elbow, wrist and the hand
    points the pose model puts beyond the wrist, all in the shoulder's depth plane (the
    lengths are image lengths, so the arm is drawn as if held across the view), seen
    clearly, with the pose model's jitter on the moved points only."""
    shoulder_i, elbow_i, wrist_i, pinky_i, index_i, thumb_i = ARM_POINTS[side]
    forearm = wrist - elbow
    length = float(np.linalg.norm(forearm))
    along = forearm / length if length > 1e-9 else np.array([0.0, 1.0])
    across = np.array([-along[1], along[0]])
    moved = {elbow_i: elbow, wrist_i: wrist}
    # proportions of a hand at the end of a forearm (index knuckle a third of it away)
    hand = {
        index_i: wrist + 0.33 * length * along,
        pinky_i: wrist + 0.3 * length * along + 0.08 * length * across,
        thumb_i: wrist + 0.2 * length * along - 0.1 * length * across,
    }
    if hand_points:
        moved.update(hand)
    for index, point in moved.items():
        xy[index] = point + (rng.normal(0.0, noise, 2) if noise > 0 else 0.0)
        landmarks[index, 2] = landmarks[shoulder_i, 2]
        landmarks[index, 3] = rng.uniform(0.85, 1.0)
    if not hand_points:
        # a hand the model did not find sits on the wrist, unseen
        for index in (pinky_i, index_i, thumb_i):
            xy[index] = xy[wrist_i]
            landmarks[index, 2] = landmarks[shoulder_i, 2]
            landmarks[index, 3] = 0.0


def _hang(
    landmarks: FloatArray,
    xy: FloatArray,
    side: str,
    rng: np.random.Generator,
    *,
    down: FloatArray,
    hand_points: bool,
    noise: float,
) -> None:
    """The arm hanging along the torso, a little out from it, with its recorded bones."""
    outward = _outward(xy, side, down)
    upper_len, fore_len = _bones(xy, side)
    upper = float(rng.uniform(2.0, 15.0))
    shoulder = xy[ARM_POINTS[side][0]]
    elbow = shoulder + upper_len * _toward(down, outward, upper)
    wrist = elbow + fore_len * _toward(down, outward, upper - float(rng.uniform(-10.0, 20.0)))
    _place_arm(landmarks, xy, side, elbow, wrist, rng, hand_points=hand_points, noise=noise)


def _bend_to(
    shoulder: FloatArray, wrist: FloatArray, upper: float, fore: float, prefer: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(elbow, wrist) for a hand put at ``wrist`` by an arm with these bone lengths: the
    elbow bends towards ``prefer`` (out to the side, say, for hands on hips). A wrist
    out of reach is pulled in along the line; one nearer than the bones allow keeps
    its place and the elbow goes where the upper arm ends, so a rest pose never needs
    a forearm longer than the recorded one."""
    span = wrist - shoulder
    distance = float(np.linalg.norm(span))
    if distance < 1e-9:
        return shoulder + upper * _unit(prefer), wrist
    along = span / distance
    if distance > upper + fore:
        distance = upper + fore
        wrist = shoulder + distance * along
    distance = max(distance, abs(upper - fore), 1e-9)
    foot = (upper * upper - fore * fore + distance * distance) / (2 * distance)
    rise = math.sqrt(max(upper * upper - foot * foot, 0.0))
    across = np.array([-along[1], along[0]])
    if float(across @ prefer) < 0:
        across = -across
    return shoulder + foot * along + rise * across, wrist


def _as_person(
    landmarks: FloatArray, xy: FloatArray, aspect: float, rng: np.random.Generator
) -> Person:
    # only the arms are written back: the rest stays bit for bit as recorded, rather
    # than as recorded after a round trip through the aspect
    arms = list(ARM_POINTS["left"][1:] + ARM_POINTS["right"][1:])
    landmarks[arms, 0] = xy[arms, 0] / aspect
    landmarks[arms, 1] = xy[arms, 1]
    xs, ys = landmarks[:, 0], landmarks[:, 1]
    box = (
        float(max(xs.min() - 0.02, 0.0)),
        float(max(ys.min() - 0.02, 0.0)),
        float(min(xs.max() + 0.02, 1.0)),
        float(min(ys.max() + 0.02, 1.0)),
    )
    return Person(
        box=box, landmarks=landmarks.astype(np.float32), score=float(rng.uniform(0.8, 1.0))
    )


def pointing_side(
    person_landmarks: npt.ArrayLike,
    target_xy: tuple[float, float],
    rng: np.random.Generator,
    *,
    aspect: float = 1.0,
    across_share: float = 0.2,
) -> str:
    """The arm a person would point with: the one whose shoulder is on the target's side
    of the picture, ``across_share`` of the time the other reaching across the body."""
    _, xy = _checked(person_landmarks, aspect)
    target_x = target_xy[0] * aspect
    near = "left" if abs(xy[11, 0] - target_x) <= abs(xy[12, 0] - target_x) else "right"
    if rng.random() < across_share:
        return "right" if near == "left" else "left"
    return near


def within_reach(
    person_landmarks: npt.ArrayLike,
    target_xy: tuple[float, float],
    *,
    aspect: float = 1.0,
    margin: float = 1.5,
) -> bool:
    """Whether ``target_xy`` is too near the body to be pointed at rather than touched:
    within ``margin`` times the longer recorded arm (shoulder → wrist along the bones)
    of the middle of the shoulders. A pointing ray only counts what lies past the hand,
    so such a target says nothing about pointing."""
    _, xy = _checked(person_landmarks, aspect)
    reach = max(sum(_bones(xy, side)) for side in ("left", "right"))
    middle = (xy[11] + xy[12]) / 2
    target = np.array([target_xy[0] * aspect, target_xy[1]])
    return float(np.linalg.norm(target - middle)) < margin * reach


def pose_from_recorded(
    person_landmarks: npt.ArrayLike,
    target_xy: tuple[float, float],
    rng: np.random.Generator,
    side: str | None = None,
    angle_noise_deg: float = 5.0,
    *,
    aspect: float = 1.0,
    max_bend_deg: float = 60.0,
    hand_points: bool = True,
    jitter: float = 0.02,
) -> Person:
    """A recorded body pointing at ``target_xy`` (normalised) with one arm re-posed.

    Head, torso, legs and both shoulders stay exactly as recorded. The pointing arm
    (``side``, "left"/"right" as the person says it; by default :func:`pointing_side`)
    keeps its recorded upper-arm and forearm lengths in the picture: the upper arm goes
    from the shoulder towards the target with the elbow bent by up to ``max_bend_deg``
    (25° when reaching across the body, which takes a nearly straight arm) and the
    elbow outside or below the shoulder → target line, as people hold it; the forearm
    aims at the target give or take Gaussian ``angle_noise_deg`` (people line up eye
    and fingertip, not the forearm). ``hand_points`` places pose landmarks 17-22 beyond
    the wrist along the forearm; without it they sit unseen on the wrist. The other arm
    stays as recorded, or hangs along the torso when it was raised, since a second
    raised arm would be a second, unknown, pointing direction. ``jitter`` is the pose
    model's noise on the moved points, in torso lengths (so the same for near and far
    people, as the landmark model works on a crop of the person).
    """
    landmarks, xy = _checked(person_landmarks, aspect)
    down, torso = _torso_frame(xy)
    if side is None:
        side = pointing_side(landmarks, target_xy, rng, aspect=aspect)
    if side not in ARM_POINTS:
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    other = "right" if side == "left" else "left"
    noise = jitter * torso
    if arm_raised(landmarks, other, aspect=aspect):
        _hang(landmarks, xy, other, rng, down=down, hand_points=hand_points, noise=noise)
    upper_len, fore_len = _bones(xy, side)
    outward = _outward(xy, side, down)
    shoulder = xy[ARM_POINTS[side][0]].copy()
    target = np.array([target_xy[0] * aspect, target_xy[1]])
    to_target = target - shoulder
    straight = math.atan2(float(to_target[1]), float(to_target[0]))
    across = float(to_target @ outward) < 0
    bend = math.radians(rng.uniform(0.0, min(max_bend_deg, 25.0) if across else max_bend_deg))
    # a bent elbow sits outside and below the shoulder → target line, never across the
    # face or above the line
    lean = max(
        (1.0, -1.0), key=lambda s: float(_angle_vec(straight + s * math.pi / 2) @ (outward + down))
    )
    elbow = shoulder + upper_len * _angle_vec(straight + lean * bend)
    aim = target - elbow
    aim_angle = math.atan2(float(aim[1]), float(aim[0])) + math.radians(
        rng.normal(0.0, angle_noise_deg)
    )
    wrist = elbow + fore_len * _angle_vec(aim_angle)
    _place_arm(landmarks, xy, side, elbow, wrist, rng, hand_points=hand_points, noise=noise)
    return _as_person(landmarks, xy, aspect, rng)


def rest_from_recorded(
    person_landmarks: npt.ArrayLike,
    rng: np.random.Generator,
    *,
    rest_pose: str = "recorded",
    aspect: float = 1.0,
    hand_points: bool = True,
    jitter: float = 0.02,
) -> Person:
    """A recorded body not pointing: ground truth "no target".

    ``rest_pose`` "recorded" keeps both arms as recorded with ``jitter`` (torso lengths)
    on them, except that a raised arm (:func:`arm_raised`; a basketball player holding
    the ball up) is lowered to hang along the torso, since whether it pointed is
    unknown. The other poses (REST_POSES) put both arms as :func:`synth_person` does,
    but against this body's own torso, shoulders, hips and ears: hanging, hands on
    hips, arms crossed, a hand at the face. The elbow is found from the hand's place
    and the recorded bone lengths (a hand at the face with the elbow hanging straight
    down would need a forearm half as long again as the real one). The torso, head
    and legs are never touched.
    """
    if rest_pose not in RECORDED_REST_POSES:
        raise ValueError(f"unknown rest pose {rest_pose!r}; expected one of {RECORDED_REST_POSES}")
    landmarks, xy = _checked(person_landmarks, aspect)
    down, torso = _torso_frame(xy)
    noise = jitter * torso
    middle = (xy[11] + xy[12]) / 2
    for side in ("left", "right"):
        shoulder_i = ARM_POINTS[side][0]
        other_shoulder = xy[ARM_POINTS["right" if side == "left" else "left"][0]]
        outward = _outward(xy, side, down)
        upper_len, fore_len = _bones(xy, side)
        shoulder = xy[shoulder_i]
        if rest_pose == "recorded":
            if arm_raised(landmarks, side, aspect=aspect):
                _hang(landmarks, xy, side, rng, down=down, hand_points=hand_points, noise=noise)
            else:
                for index in ARM_POINTS[side][1:]:
                    xy[index] = xy[index] + rng.normal(0.0, noise, 2)
            continue
        if rest_pose == "down":
            _hang(landmarks, xy, side, rng, down=down, hand_points=hand_points, noise=noise)
            continue
        if rest_pose == "hips":
            hip = xy[23 if side == "left" else 24]
            wrist = hip + torso * (
                float(rng.uniform(0.0, 0.09)) * outward - float(rng.uniform(0.0, 0.18)) * down
            )
            elbow, wrist = _bend_to(shoulder, wrist, upper_len, fore_len, outward)
        elif rest_pose == "crossed":
            # upper arms along the sides, forearms across the chest: the wrist lies over
            # the other arm's elbow, a little higher than this one's
            elbow = shoulder + upper_len * float(rng.uniform(0.8, 1.0)) * _toward(
                down, outward, float(rng.uniform(0.0, 10.0))
            )
            lateral = float((other_shoulder - middle) @ outward) + torso * float(
                rng.uniform(-0.06, 0.09)
            )
            height = float((elbow - middle) @ down) - torso * float(rng.uniform(0.0, 0.09))
            wrist = middle + lateral * outward + height * down
        else:  # face
            ear = xy[7 if side == "left" else 8]
            wrist = ear + torso * (rng.uniform(-0.075, 0.075, 2) + 0.09 * down)
            elbow, wrist = _bend_to(shoulder, wrist, upper_len, fore_len, outward + down)
        _place_arm(landmarks, xy, side, elbow, wrist, rng, hand_points=hand_points, noise=noise)
    return _as_person(landmarks, xy, aspect, rng)
