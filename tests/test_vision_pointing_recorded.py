"""Pointing on real bodies: people recorded from photographs (basketball, Messi, the
pedestrians of vtest.avi) with one arm re-posed to point at a device, or at rest.

The torsos, heads and legs are what the pose model found in the pictures, so these
check the pointing rules against real posture (leaning, turned sideways, seen from
behind, far away), not against a body someone drew. The shares asserted were measured
over seeds 0-7 of these very trials and are set a few standard errors below (above, for
errors) the worst seed; the figures in comments are those measurements.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from homebrain.vision.hand_synth import (
    ARM_POINTS,
    RECORDED_PATH,
    RECORDED_REST_POSES,
    TORSO_POINTS,
    FloatArray,
    arm_raised,
    load_recorded_people,
    load_recorded_skeletons,
    pointing_side,
    pose_from_recorded,
    rest_from_recorded,
    synth_pointing_hand,
    within_reach,
)
from homebrain.vision.pointing import find_target, pointing_ray
from homebrain.vision.types import Hand, Mark

pytestmark = pytest.mark.skipif(not RECORDED_PATH.exists(), reason="no recorded landmarks")

# the living-room layout of bench/vision_gestures.py
LAYOUT = [
    Mark("light.reading_lamp", (0.06, 0.35, 0.06, 0.35)),
    Mark("media_player.tv", (0.38, 0.12, 0.62, 0.30)),
    Mark("cover.blinds", (0.86, 0.05, 0.98, 0.45)),
    Mark("light.ceiling", (0.25, 0.02, 0.25, 0.02)),
    Mark("light.floor_lamp", (0.94, 0.62, 0.94, 0.62)),
    Mark("fan.desk", (0.02, 0.55, 0.10, 0.65)),
]
ARMS = {index for side in ARM_POINTS.values() for index in side[1:]}  # all but shoulders

Recorded = tuple[str, FloatArray, float]


@pytest.fixture(scope="module")
def people() -> list[Recorded]:
    return load_recorded_people()


def _aim(rng: np.random.Generator, mark: Mark) -> tuple[float, float]:
    x0, y0, x1, y1 = mark.box
    x = float(np.clip(rng.normal((x0 + x1) / 2, (x1 - x0) / 6), x0, x1))
    y = float(np.clip(rng.normal((y0 + y1) / 2, (y1 - y0) / 6), y0, y1))
    return (x, y)


def _angle_deg(a: FloatArray, b: FloatArray) -> float:
    cosine = float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b))
    return math.degrees(math.acos(min(max(cosine, -1.0), 1.0)))


def test_recorded_bodies_are_loaded(people: list[Recorded]) -> None:
    names = [name for name, _, _ in people]
    # basketball1 (1), basketball2 (2), Messi (1) and the pedestrians of four vtest
    # frames (11); the portraits (Grace Hopper, the Haar cascade result) have no hips
    assert len(names) == 15
    assert len(set(names)) == len(names)
    assert {"basketball1.png#0", "basketball2.png#1", "messi5.jpg#0"} <= set(names)
    assert sum(name.startswith("vtest.avi@") for name in names) == 11
    assert not any(name.startswith(("grace_hopper", "Cascade")) for name in names)
    for name, landmarks, aspect in people:
        assert landmarks.shape == (33, 4), name
        assert np.all(landmarks[list(TORSO_POINTS), 3] >= 0.5), name
        assert 1.0 < aspect < 2.0, name
    # the bodies were added beside the hands, which the gesture tests measure: the same
    # four recorded hands as before
    assert [s.name for s in load_recorded_skeletons()] == [
        "basketball1.png/hands[0]",
        "basketball2.png/hands[0]",
        "messi5.jpg/hands[0]",
        "messi5.jpg/hands[1]",
    ]


def test_reposed_body_keeps_its_recorded_torso_and_bones(people: list[Recorded]) -> None:
    rng = np.random.default_rng(11)
    for name, landmarks, aspect in people:
        scale = np.array([aspect, 1.0])
        for mark in LAYOUT:
            if within_reach(landmarks, mark.center, aspect=aspect):
                continue
            for side in ("left", "right"):
                person = pose_from_recorded(
                    landmarks,
                    mark.center,
                    rng,
                    side,
                    angle_noise_deg=0.0,
                    aspect=aspect,
                    jitter=0.0,
                )
                out = person.landmarks
                kept = [i for i in range(33) if i not in ARMS]
                # head, shoulders, hips and legs bit for bit as recorded
                assert np.array_equal(out[kept], landmarks[kept].astype(np.float32)), name
                shoulder_i, elbow_i, wrist_i = ARM_POINTS[side][:3]
                before = landmarks[:, :2] * scale
                after = out[:, :2].astype(np.float64) * scale
                for a, b in ((shoulder_i, elbow_i), (elbow_i, wrist_i)):
                    recorded = float(np.linalg.norm(before[b] - before[a]))
                    assert float(np.linalg.norm(after[b] - after[a])) == pytest.approx(
                        recorded, rel=1e-3, abs=1e-5
                    ), (name, side, a, b)
                # without noise the forearm aims at the target, which lies past the hand
                target = np.array(mark.center) * scale
                forearm = after[wrist_i] - after[elbow_i]
                assert _angle_deg(forearm, target - after[elbow_i]) < 0.1, (name, side)
                assert np.linalg.norm(target - after[wrist_i]) < np.linalg.norm(
                    target - after[elbow_i]
                )
                # the other arm is either untouched or hanging down, never raised
                other = "right" if side == "left" else "left"
                assert not arm_raised(out, other, aspect=aspect), (name, side)


def _pointing_shares(
    people: list[Recorded], seed: int, with_hand: bool, count: int = 40
) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    outcomes = {"right": 0, "wrong": 0, "none": 0}
    for _, landmarks, aspect in people:
        marks = [m for m in LAYOUT if not within_reach(landmarks, m.center, aspect=aspect)]
        assert marks
        for _ in range(count):
            mark = marks[int(rng.integers(len(marks)))]
            target = _aim(rng, mark)
            side = pointing_side(landmarks, target, rng, aspect=aspect)
            person = pose_from_recorded(landmarks, target, rng, side, aspect=aspect)
            hands: list[Hand] = []
            if with_hand:
                scale = np.array([aspect, 1.0])
                elbow_i, wrist_i = ARM_POINTS[side][1:3]
                wrist = person.landmarks[wrist_i, :2].astype(np.float64)
                elbow = person.landmarks[elbow_i, :2].astype(np.float64)
                aim = (np.array(target) - wrist) * scale
                palm = 0.35 * float(np.linalg.norm((wrist - elbow) * scale))
                hands.append(
                    synth_pointing_hand(
                        rng,
                        (float(wrist[0]), float(wrist[1])),
                        (float(aim[0]), float(aim[1])),
                        palm_size=palm,
                        aspect=aspect,
                    )
                )
            hit = find_target(pointing_ray(person, hands, aspect=aspect), LAYOUT, aspect=aspect)
            if hit is None:
                outcomes["none"] += 1
            elif hit.entity_id == mark.entity_id:
                outcomes["right"] += 1
            else:
                outcomes["wrong"] += 1
    total = sum(outcomes.values())
    return {key: value / total for key, value in outcomes.items()}


def test_recorded_bodies_point_at_the_right_device_by_forearm(people: list[Recorded]) -> None:
    # measured over seeds 0-7 (600 trials each): right 0.76-0.82, wrong 0.12-0.16; the
    # wrong ones are mostly the wide TV taken for a mark beside it, and the far-off
    # vtest pedestrians, whose forearms are a few pixels long
    shares = _pointing_shares(people, seed=0, with_hand=False)
    assert shares["right"] >= 0.70, shares
    assert shares["wrong"] <= 0.20, shares


def test_recorded_bodies_point_at_the_right_device_with_a_hand(people: list[Recorded]) -> None:
    # measured over seeds 0-7: right 0.86-0.88, wrong 0.06-0.07
    shares = _pointing_shares(people, seed=1, with_hand=True)
    assert shares["right"] >= 0.80, shares
    assert shares["wrong"] <= 0.10, shares


def _shoulder_tilt_deg(landmarks: FloatArray, aspect: float) -> float:
    line = (landmarks[12, :2] - landmarks[11, :2]) * np.array([aspect, 1.0])
    return math.degrees(math.atan2(abs(float(line[1])), abs(float(line[0]))))


def test_recorded_bodies_at_rest_hit_nothing(people: list[Recorded]) -> None:
    """Measured with `bench/vision_gestures.py` (2250 trials per pose): the recorded
    arms (raised ones lowered), hanging arms, hands on hips and crossed arms never hit
    anything; a hand at the face about 1 %. Crossed arms hit 7 % while "in front of
    the torso" was a box upright in the picture, which a side-on torso (a steep
    shoulder line) does not fill; the box now follows the torso's axis."""
    rng = np.random.default_rng(2)
    count = 20
    steep = [p for p in people if _shoulder_tilt_deg(p[1], p[2]) > 30.0]
    assert steep, "the side-on bodies the crossed-arm case is about"
    for pose in RECORDED_REST_POSES:
        hits = 0
        for _, landmarks, aspect in people:
            for _ in range(count):
                person = rest_from_recorded(landmarks, rng, rest_pose=pose, aspect=aspect)
                hit = find_target(pointing_ray(person, [], aspect=aspect), LAYOUT, aspect=aspect)
                hits += hit is not None
        share = hits / (count * len(people))
        limit = {"face": 0.03}.get(pose, 0.0)
        assert share <= limit, (pose, share)


def test_raised_recorded_arms_are_lowered_at_rest(people: list[Recorded]) -> None:
    """The basketball players hold the ball up: as recorded they point somewhere, so a
    rest variation must lower those arms for "no target" to be the truth."""
    recorded = {name: (landmarks, aspect) for name, landmarks, aspect in people}
    landmarks, aspect = recorded["basketball1.png#0"]
    assert arm_raised(landmarks, "left", aspect=aspect)
    rng = np.random.default_rng(3)
    for _ in range(20):
        person = rest_from_recorded(landmarks, rng, aspect=aspect)
        assert not arm_raised(person.landmarks, "left", aspect=aspect)
        assert not arm_raised(person.landmarks, "right", aspect=aspect)
        assert pointing_ray(person, [], aspect=aspect) == []
        kept = [i for i in range(33) if i not in ARMS]
        assert np.array_equal(person.landmarks[kept], landmarks[kept].astype(np.float32))


def test_recorded_posing_is_reproducible_and_checks_its_input(people: list[Recorded]) -> None:
    _, landmarks, aspect = people[0]
    a = pose_from_recorded(landmarks, (0.9, 0.2), np.random.default_rng(5), aspect=aspect)
    b = pose_from_recorded(landmarks, (0.9, 0.2), np.random.default_rng(5), aspect=aspect)
    assert np.array_equal(a.landmarks, b.landmarks)
    assert a.landmarks.dtype == np.float32 and a.landmarks.shape == (33, 4)
    # the hand points go on past the wrist along the forearm, or sit unseen on the wrist
    rng = np.random.default_rng(0)
    for hand_points in (True, False):
        person = pose_from_recorded(
            landmarks, (0.9, 0.2), rng, "left", aspect=aspect, hand_points=hand_points, jitter=0.0
        )
        _, _, wrist_i, pinky_i, index_i, thumb_i = ARM_POINTS["left"]
        out = person.landmarks.astype(np.float64)
        if hand_points:
            forearm = out[wrist_i, :2] - out[13, :2]
            assert float((out[index_i, :2] - out[wrist_i, :2]) @ forearm) > 0
        else:
            assert np.allclose(out[[pinky_i, index_i, thumb_i], :2], out[wrist_i, :2])
            assert np.all(out[[pinky_i, index_i, thumb_i], 3] == 0.0)
    with pytest.raises(ValueError):
        pose_from_recorded(landmarks[:25], (0.9, 0.2), rng, aspect=aspect)
    with pytest.raises(ValueError):
        pose_from_recorded(landmarks, (0.9, 0.2), rng, "middle", aspect=aspect)
    with pytest.raises(ValueError):
        rest_from_recorded(landmarks, rng, rest_pose="waving", aspect=aspect)
