"""Which configured device a person points at, from the pose (and hand) landmarks.

The ray is drawn in the picture: if the forearm in 3-D points at a device, its image
passes through the device's image, whatever the depth, so the configured marks (boxes
in image coordinates) can be tested directly without calibrating the camera.

When is an arm pointing? A forearm that hangs along the body, rests on the hip, lies
across the chest or brings the hand to the face carries no direction worth following,
so an arm counts only when all of these hold (each a soft factor in the ray's
``strength``):

* elbow and wrist are visible, and inside the picture (the pose model places the arms
  of a head-and-shoulders portrait below the frame, guessing);
* the forearm is raised away from "down" (the torso's axis, shoulders → hips, or the
  image's down when the hips are unseen) by more than ~40° (30° → 50° ramp): a relaxed
  hanging arm stays within ~30°. The price: pointing steeply down at the floor (a
  forearm within ~40° of straight down) is not seen;
* below ~80° (horizontal) the arm must also be fairly straight at the elbow: hands on
  hips make a bent arm whose forearm slants down and in;
* the forearm is not so foreshortened that its direction is noise (pointing straight
  at the camera has no direction in the picture);
* the wrist is not at the head (phone, drinking, scratching), not at the other elbow
  (arms crossed), and a bent arm's wrist is not in front of the torso (folded arms,
  holding something); pointing across the body stretches the arm, so it still counts.

A pointing hand found at that wrist refines the direction: its index finger (MCP → tip)
is closer to where people aim (they line up eye and fingertip, the forearm is off by a
few degrees), but it is short, so it is blended with the forearm rather than trusted
alone, and the ray then starts at the index knuckle.

All angles are taken with x scaled by the frame's aspect (``aspect`` = width / height),
since normalised coordinates stretch a 16:9 picture's angles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from homebrain.vision.geometry import angle, smoothstep
from homebrain.vision.gestures import classify
from homebrain.vision.types import Hand, Mark, Person, PointingHit

FloatArray = npt.NDArray[np.float64]

LEFT_ARM = (11, 13, 15)  # shoulder, elbow, wrist: the person's left
RIGHT_ARM = (12, 14, 16)
MIN_STRENGTH = 0.25
SPREAD_DEG = 5.0  # typical angular error of a pointing ray


@dataclass(frozen=True)
class Ray:
    """A pointing direction in the picture.

    ``origin`` is normalised (x of the width, y of the height); ``direction`` is a unit
    vector in frame-height units (y down), i.e. with x already scaled by the aspect, so
    angles measured on it are true angles in the picture. ``reach`` is how far along the
    ray the hand is (the wrist, for a forearm ray): marks nearer than that lie at or
    behind the hand. ``back`` is how far behind the origin the arm starts (the elbow, for
    a finger ray), so a hand reaching over a device can be told from a person standing
    in front of it. Both in frame-height units.
    """

    origin: tuple[float, float]
    direction: tuple[float, float]
    source: str  # "forearm" or "finger"
    strength: float  # 0-1: how clearly this arm is pointing
    reach: float = 0.0
    back: float = 0.0
    side: str = ""  # "left" / "right": whose arm


def _in_torso(xy: FloatArray, point: FloatArray) -> bool:
    """Whether ``point`` lies in front of the torso: a box along the torso's own axis
    (shoulders → hips), as wide as the shoulders or hips and a little more, since
    forearms reach past them. A box upright in the picture would miss a torso seen
    side-on or bending, whose shoulder line is steep."""
    shoulders = (xy[11] + xy[12]) / 2
    hips = (xy[23] + xy[24]) / 2
    axis = hips - shoulders
    length = float(np.linalg.norm(axis))
    if length < 1e-9:
        return False
    down = axis / length
    across = np.array([-down[1], down[0]])
    half = max(
        abs(float((xy[11] - shoulders) @ across)),
        abs(float((xy[23] - hips) @ across)),
        0.25 * length,  # a side-on torso is narrow in the picture but still a body
    )
    rel = point - shoulders
    along = float(rel @ down)
    return -0.1 * length <= along <= length and abs(float(rel @ across)) <= 1.3 * half


def _in_frame(point: FloatArray) -> bool:
    return bool(0.0 <= point[0] <= 1.0 and 0.0 <= point[1] <= 1.0)


def _visible(landmarks: FloatArray, index: int, threshold: float = 0.5) -> bool:
    row = landmarks[index]
    return bool(np.all(np.isfinite(row[:2]))) and (row.shape[0] < 4 or row[3] >= threshold)


def _finger_direction(
    hand: Hand, wrist: FloatArray, forearm: FloatArray, reach: float, aspect: float
) -> tuple[FloatArray, FloatArray, float] | None:
    """(knuckle, unit direction, weight) of a pointing hand at this wrist, if any."""
    points = np.asarray(hand.landmarks, dtype=np.float64)
    if points.ndim != 2 or points.shape[0] != 21 or points.shape[1] < 2:
        return None
    if not np.all(np.isfinite(points[:, :2])):
        return None
    xy = points[:, :2] * np.array([aspect, 1.0])
    if float(np.linalg.norm(xy[0] - wrist)) > 0.5 * reach:
        return None
    palm = float(np.mean([np.linalg.norm(xy[i] - xy[0]) for i in (5, 9, 13, 17)]))
    finger = xy[8] - xy[5]
    length = float(np.linalg.norm(finger))
    if palm < 1e-9 or length < 1e-9:
        return None
    pointing = classify(hand, aspect=aspect)["pointing"]
    off = angle(finger, forearm, math.pi)
    weight = (
        0.7
        * smoothstep(pointing, 0.3, 0.7)
        * smoothstep(length / palm, 0.3, 0.6)  # a finger aimed at the camera has no direction
        * (1.0 - smoothstep(math.degrees(off), 30.0, 55.0))  # hand bent away: not this ray
    )
    if weight <= 0.0:
        return None
    return xy[5], finger / length, weight


def _arm_factors(
    lm: FloatArray, xy: FloatArray, side: str, down: FloatArray, scale: float
) -> dict[str, float]:
    """The soft conditions for "this arm is pointing", each 0-1 (module docstring)."""
    shoulder_i, elbow_i, wrist_i = LEFT_ARM if side == "left" else RIGHT_ARM
    elbow, wrist = xy[elbow_i], xy[wrist_i]
    forearm = wrist - elbow
    elevation = math.degrees(angle(forearm, down, math.pi))
    straight = 1.0
    elbow_angle = 180.0
    if _visible(lm, shoulder_i):
        elbow_angle = math.degrees(angle(xy[shoulder_i] - elbow, forearm, math.pi))
        straight = max(smoothstep(elbow_angle, 105.0, 130.0), smoothstep(elevation, 70.0, 90.0))
    # a bent arm whose hand rests in front of the torso is holding something or folded
    # across the chest; pointing across the body stretches the arm out
    off_torso = 1.0
    if all(_visible(lm, i) for i in (11, 12, 23, 24)) and _in_torso(xy, wrist):
        off_torso = smoothstep(elbow_angle, 120.0, 145.0)
    clear_of_head = 1.0
    if _visible(lm, 0):
        clear_of_head = smoothstep(float(np.linalg.norm(wrist - xy[0])) / scale, 0.45, 0.7)
    other_elbow = RIGHT_ARM[1] if side == "left" else LEFT_ARM[1]
    uncrossed = 1.0
    if _visible(lm, other_elbow):
        gap = float(np.linalg.norm(wrist - xy[other_elbow])) / scale
        uncrossed = smoothstep(gap, 0.3, 0.5)
    visibility = min(float(lm[elbow_i, 3]), float(lm[wrist_i, 3])) if lm.shape[1] > 3 else 1.0
    return {
        "raised": smoothstep(elevation, 30.0, 50.0),
        "straight": straight,
        "foreshortened": smoothstep(float(np.linalg.norm(forearm)) / scale, 0.15, 0.3),
        "clear_of_head": clear_of_head,
        "uncrossed": uncrossed,
        "off_torso": off_torso,
        "visible": smoothstep(visibility, 0.4, 0.7),
    }


def pointing_ray(
    person: Person,
    hands: list[Hand] | None = None,
    *,
    aspect: float = 1.0,
    min_strength: float = MIN_STRENGTH,
) -> list[Ray]:
    """One ray per arm that is pointing (see the module docstring for the rules)."""
    lm = np.asarray(person.landmarks, dtype=np.float64)
    if lm.ndim != 2 or lm.shape[0] < 25 or lm.shape[1] < 2:
        return []
    xy = lm[:, :2] * np.array([aspect, 1.0])
    shoulders_seen = _visible(lm, 11) and _visible(lm, 12)
    hips_seen = _visible(lm, 23) and _visible(lm, 24)
    down = np.array([0.0, 1.0])
    if shoulders_seen and hips_seen:
        axis = (xy[23] + xy[24]) / 2 - (xy[11] + xy[12]) / 2
        if float(np.linalg.norm(axis)) > 1e-9:
            down = axis / float(np.linalg.norm(axis))
    # the body's own scale, to judge lengths and nearness by
    scales = []
    if shoulders_seen:
        scales.append(float(np.linalg.norm(xy[11] - xy[12])))
    if shoulders_seen and hips_seen:
        scales.append(0.5 * float(np.linalg.norm((xy[23] + xy[24] - xy[11] - xy[12]) / 2)))
    rays: list[Ray] = []
    for side, (_, elbow_i, wrist_i) in (("left", LEFT_ARM), ("right", RIGHT_ARM)):
        if not (_visible(lm, elbow_i) and _visible(lm, wrist_i)):
            continue
        if not (_in_frame(lm[elbow_i]) and _in_frame(lm[wrist_i])):
            continue  # a joint outside the picture is the pose model's guess (a portrait)
        elbow, wrist = xy[elbow_i], xy[wrist_i]
        forearm = wrist - elbow
        length = float(np.linalg.norm(forearm))
        scale = max(scales) if scales else length / 0.68
        if length < 1e-9 or scale < 1e-9:
            continue
        factors = _arm_factors(lm, xy, side, down, scale)
        strength = math.prod(factors.values())
        if strength < min_strength:
            continue
        direction = forearm / length
        origin, source, reach, back = elbow, "forearm", length, 0.0
        best: tuple[FloatArray, FloatArray, float] | None = None
        for hand in hands or []:
            found = _finger_direction(hand, wrist, direction, length, aspect)
            if found is not None and (best is None or found[2] > best[2]):
                best = found
        if best is not None:
            knuckle, finger, weight = best
            blended = (1.0 - weight) * direction + weight * finger
            direction = blended / float(np.linalg.norm(blended))
            origin, source, reach = knuckle, "finger", 0.0
            back = float(np.linalg.norm(knuckle - elbow))
        rays.append(
            Ray(
                origin=(float(origin[0] / aspect), float(origin[1])),
                direction=(float(direction[0]), float(direction[1])),
                source=source,
                strength=float(strength),
                reach=float(reach),
                back=back,
                side=side,
            )
        )
    return rays


def _view(
    origin: FloatArray, direction: FloatArray, box: FloatArray, back: float = 0.0
) -> tuple[float, float] | None:
    """The signed angles (radians, low ≤ high) between which the box lies as seen from
    ``origin``, measured from the ray; None when it is not in front."""
    x0, y0, x1, y1 = box

    def inside(point: FloatArray) -> bool:
        return bool(x0 <= point[0] <= x1 and y0 <= point[1] <= y1)

    if inside(origin):
        # the hand (or elbow) is over the device in the picture: the arm reaching into
        # it is aiming at it; a person standing in front of it tells little, so such a
        # box counts as a wide, weakly informative target when its middle lies ahead
        center = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        reaching = back > 0 and not inside(origin - back * direction)
        if reaching or angle(center - origin, direction, math.pi) < math.pi / 2:
            return (-math.pi / 2, math.pi / 2)
        return None
    corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]]) - origin
    cross = direction[0] * corners[:, 1] - direction[1] * corners[:, 0]
    angles = np.arctan2(cross, corners @ direction)
    low, high = float(angles.min()), float(angles.max())
    if high - low > math.pi:  # wraps round behind the origin
        return None
    return (low, high)


def _likelihood(center: float, width: float, spread: float) -> float:
    """How well a ray fits a mark: people aim at a device's middle give or take a
    quarter of its size, and the ray is off by a Gaussian ``spread`` on top, so the
    angle to the mark's centre is judged against both together; a wide mark is thereby
    a less specific target than a small one straight ahead."""
    sigma = math.sqrt(spread * spread + (width / 4) ** 2)
    z = center / sigma
    return math.exp(-0.5 * z * z) / sigma


def find_target(
    rays: list[Ray],
    marks: list[Mark],
    max_angle_deg: float = 12.0,
    *,
    aspect: float = 1.0,
    spread_deg: float = SPREAD_DEG,
) -> PointingHit | None:
    """The mark the rays point at most clearly, or None.

    Per ray, only marks in front of the hand and within ``max_angle_deg`` of the ray
    count. They are ranked by how likely the ray is if the person aimed at that mark:
    at its middle give or take a quarter of its angular size, with the ray off by a
    Gaussian ``spread_deg`` besides (people aim with eye and fingertip, and landmarks
    jitter). So of two marks on one line of sight the one aimed nearer its middle, or
    the smaller one, wins, and a near miss on a small lamp can beat the edge of a wide
    TV. Confidence is 1 when the ray crosses the winner's box and falls smoothly to 0
    at ``max_angle_deg``; it is halved at a tie with the runner-up and recovers as the
    runner-up's likelihood drops below a fifth of the winner's, so that a guess looks
    like one; finally it is scaled by the ray's strength. The best over all rays wins.
    """
    if not marks or not rays:
        return None
    max_angle = math.radians(max_angle_deg)
    spread = math.radians(spread_deg)
    scale = np.array([aspect, 1.0])
    best: PointingHit | None = None
    for ray in rays:
        origin = np.array(ray.origin, dtype=np.float64) * scale
        direction = np.array(ray.direction, dtype=np.float64)
        norm = float(np.linalg.norm(direction))
        if not (np.all(np.isfinite(origin)) and math.isfinite(norm)) or norm < 1e-12:
            continue
        direction = direction / norm
        candidates: list[tuple[float, float, Mark]] = []  # (likelihood, box angle, mark)
        for mark in marks:
            box = np.array(mark.box, dtype=np.float64) * np.array([aspect, 1.0, aspect, 1.0])
            if not np.all(np.isfinite(box)):
                continue
            box = np.array(
                [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]
            )
            corners = np.array(
                [[box[0], box[1]], [box[2], box[1]], [box[0], box[3]], [box[2], box[3]]]
            )
            if float(((corners - origin) @ direction).max()) <= ray.reach:
                continue  # at the hand or behind it
            view = _view(origin, direction, box, ray.back)
            if view is None:
                continue
            low, high = view
            box_angle = 0.0 if low <= 0.0 <= high else min(abs(low), abs(high))
            if box_angle > max_angle:
                continue
            middle = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]) - origin
            center = math.atan2(
                float(direction[0] * middle[1] - direction[1] * middle[0]),
                float(middle @ direction),
            )
            candidates.append((_likelihood(center, high - low, spread), box_angle, mark))
        if not candidates:
            continue
        candidates.sort(key=lambda item: -item[0])
        likelihood, box_angle, mark = candidates[0]
        confidence = 0.5 * (1.0 + math.cos(math.pi * box_angle / max_angle))
        if len(candidates) > 1 and likelihood > 0:
            ratio = candidates[1][0] / likelihood
            confidence *= 1.0 - 0.5 * smoothstep(ratio, 0.2, 1.0)
        confidence *= ray.strength
        if best is None or confidence > best.confidence:
            # reported in normalised coordinates, like the origin, so that
            # origin + t * direction draws the ray on the picture
            shown = direction / scale
            shown = shown / float(np.linalg.norm(shown))
            best = PointingHit(
                entity_id=mark.entity_id,
                confidence=float(confidence),
                origin=ray.origin,
                direction=(float(shown[0]), float(shown[1])),
            )
    return best
