"""Gestures, pointing and zones on generated landmarks (homebrain.vision.hand_synth).

Thresholds sit below what bench/vision_gestures.py measures on the same generator
(canonical skeleton, standard conditions: 0.98-1.00 per gesture; twice the jitter and
up to 65° of tilt: >= 0.95), leaving room for seed-to-seed spread but not for a real
regression. Generated hands measure the geometry, not the landmark model.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from homebrain.understanding.labels import GESTURES
from homebrain.vision.gestures import best, classify
from homebrain.vision.hand_synth import (
    RECORDED_PATH,
    REST_POSES,
    canonical_skeleton,
    load_recorded_skeletons,
    skeleton_from_landmarks,
    synth_hand,
    synth_hands,
    synth_person,
    synth_pointing_hand,
)
from homebrain.vision.pointing import Ray, find_target, pointing_ray
from homebrain.vision.types import Hand, Mark, Person, Zone
from homebrain.vision.zones import count_by_zone, zones_of

# ---- gestures -----------------------------------------------------------------------


def _accuracy(hands: list[Hand], gesture: str, aspect: float = 1.0) -> float:
    return sum(best(classify(h, aspect=aspect))[0] == gesture for h in hands) / len(hands)


@pytest.mark.parametrize("gesture", GESTURES)
@pytest.mark.parametrize("mirror", [False, True], ids=["right", "left"])
def test_generated_gestures_are_recognised(gesture: str, mirror: bool) -> None:
    hands = synth_hands(gesture, 120, seed=11 + int(mirror), mirror=mirror)
    assert _accuracy(hands, gesture) >= 0.95


@pytest.mark.parametrize(
    ("condition", "options", "threshold"),
    [
        ("hard", {"noise": 2.0, "tilt_deg": 65.0}, 0.9),
        ("wide frame", {"aspect": 16 / 9}, 0.95),
        ("small hands", {"palm_size": (0.02, 0.04)}, 0.95),
    ],
)
def test_gestures_hold_up_under_harder_conditions(
    condition: str, options: dict[str, Any], threshold: float
) -> None:
    aspect = float(options.get("aspect", 1.0))
    for index, gesture in enumerate(GESTURES):
        hands = synth_hands(gesture, 80, seed=40 + index, **options)
        assert _accuracy(hands, gesture, aspect) >= threshold, (condition, gesture)


def test_scores_are_a_distribution() -> None:
    rng = np.random.default_rng(5)
    for gesture in GESTURES:
        for _ in range(20):
            scores = classify(synth_hand(gesture, rng))
            assert set(scores) == set(GESTURES)
            assert all(0.0 <= s <= 1.0 for s in scores.values())
            assert sum(scores.values()) == pytest.approx(1.0, abs=1e-9)


def _transform(
    hand: Hand, angle_deg: float = 0.0, scale: float = 1.0, mirror: bool = False
) -> Hand:
    points = hand.landmarks.astype(np.float64).copy()
    center = points[:, :2].mean(axis=0)
    xy = points[:, :2] - center
    if mirror:
        xy[:, 0] = -xy[:, 0]
    a = math.radians(angle_deg)
    rotation = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    points[:, :2] = (xy @ rotation.T) * scale + np.array([0.5, 0.5])
    points[:, 2] *= scale
    return replace(hand, landmarks=points.astype(np.float32))


@pytest.mark.parametrize("gesture", ["open_palm", "pointing", "none"])
@pytest.mark.parametrize(
    ("angle", "scale", "mirror"),
    [
        (90.0, 1.0, False),
        (-135.0, 1.0, False),
        (0.0, 0.4, False),
        (0.0, 2.0, False),
        (30.0, 0.7, True),
    ],
)
def test_rotation_scale_mirror_do_not_change_the_answer(
    gesture: str, angle: float, scale: float, mirror: bool
) -> None:
    rng = np.random.default_rng(17)
    for _ in range(15):
        hand = synth_hand(gesture, rng, noise=0.5)
        original = classify(hand)
        moved = classify(_transform(hand, angle, scale, mirror))
        for name in ("open_palm", "pointing"):
            assert moved[name] == pytest.approx(original[name], abs=1e-3)
        # only where the thumb points may move between thumbs up/down and none (a
        # "none" hand may be a fist with the thumb sideways, which turning makes a thumbs up)
        rest = ("thumbs_up", "thumbs_down", "none")
        assert sum(moved[g] for g in rest) == pytest.approx(
            sum(original[g] for g in rest), abs=1e-3
        )
        if gesture != "none":
            assert best(moved)[0] == best(original)[0] == gesture


def test_turning_a_thumbs_up_upside_down_makes_it_thumbs_down() -> None:
    rng = np.random.default_rng(23)
    for _ in range(20):
        hand = synth_hand("thumbs_up", rng, thumb_spread_deg=20.0)
        assert best(classify(hand))[0] == "thumbs_up"
        assert best(classify(_transform(hand, 180.0)))[0] == "thumbs_down"
        assert best(classify(_transform(hand, 0.0, 1.5, mirror=True)))[0] == "thumbs_up"
        # held sideways it is neither
        sideways = classify(_transform(hand, 90.0))
        assert sideways["thumbs_up"] < 0.3 and sideways["thumbs_down"] < 0.3


def _hand(landmarks: object) -> Hand:
    return Hand(
        box=(0, 0, 1, 1),
        landmarks=np.asarray(landmarks, dtype=np.float32),
        handedness="right",
        score=1.0,
    )


@pytest.mark.parametrize(
    ("name", "landmarks"),
    [
        ("zeros", np.zeros((21, 3))),
        ("nan", np.full((21, 3), np.nan)),
        ("one nan", np.where(np.arange(63).reshape(21, 3) == 25, np.nan, 0.5)),
        ("inf", np.full((21, 3), np.inf)),
        (
            "collinear",
            np.stack([np.linspace(0.2, 0.8, 21), np.linspace(0.3, 0.6, 21), np.zeros(21)], 1),
        ),
        ("one point", np.full((21, 3), 0.4)),
        ("too few", np.random.default_rng(0).random((20, 3))),
        ("flat array", np.zeros(63)),
        ("x, y only, collinear", np.stack([np.linspace(0, 1, 21), np.linspace(0, 1, 21)], 1)),
    ],
)
def test_degenerate_hands_are_none(name: str, landmarks: np.ndarray) -> None:
    scores = classify(_hand(landmarks))
    assert best(scores) == ("none", pytest.approx(1.0)), name
    assert sum(scores.values()) == pytest.approx(1.0)


def test_two_dimensional_landmarks_still_work() -> None:
    hands = synth_hands("open_palm", 40, seed=3, tilt_deg=20.0)
    flat = [replace(h, landmarks=h.landmarks[:, :2].copy()) for h in hands]
    assert _accuracy(flat, "open_palm") >= 0.9


def test_best_picks_the_top_score() -> None:
    assert best({"thumbs_up": 0.1, "pointing": 0.7, "none": 0.2}) == ("pointing", 0.7)
    assert best({}) == ("none", 1.0)


def test_skeleton_measured_from_a_hand_recovers_its_proportions() -> None:
    # a flat open hand facing the camera, no noise: the measured bones match the source
    canon = canonical_skeleton()
    hand = synth_hand("open_palm", np.random.default_rng(2), noise=0.0, tilt_deg=0.0, mirror=False)
    measured = skeleton_from_landmarks(hand.landmarks)
    assert np.allclose(measured.bones[1:], canon.bones[1:], rtol=0.15)
    # and gestures generated from it are still recognised
    for gesture in GESTURES:
        assert _accuracy(synth_hands(gesture, 40, seed=9, skeleton=measured), gesture) >= 0.9


def test_synth_is_reproducible_and_rejects_unknown_gestures() -> None:
    a = synth_hands("pointing", 3, seed=4)
    b = synth_hands("pointing", 3, seed=4)
    assert all(np.array_equal(x.landmarks, y.landmarks) for x, y in zip(a, b, strict=True))
    assert {h.handedness for h in synth_hands("none", 30, seed=1)} == {"left", "right"}
    with pytest.raises(ValueError):
        synth_hand("wave", np.random.default_rng(0))


@pytest.mark.skipif(not RECORDED_PATH.exists(), reason="no recorded landmarks yet")
def test_recorded_hands_as_skeletons() -> None:
    skeletons = load_recorded_skeletons()
    assert skeletons, f"no 21-point hand found in {RECORDED_PATH}"
    for index, skeleton in enumerate(skeletons):
        for gesture in GESTURES:
            hands = synth_hands(gesture, 100, seed=100 + index, skeleton=skeleton)
            # "none" includes relaxed half-curled hands that border on an open palm;
            # the bench measures 0.90-1.00 for it per recorded skeleton
            threshold = 0.85 if gesture == "none" else 0.93
            assert _accuracy(hands, gesture) >= threshold, (skeleton.name, gesture)


@pytest.mark.skipif(not RECORDED_PATH.exists(), reason="no recorded landmarks yet")
def test_recorded_people_and_hands_go_through_without_trouble() -> None:
    data = json.loads(RECORDED_PATH.read_text())
    hands_seen = 0
    for image in data["images"]:
        aspect = image["width"] / image["height"]
        hands = [
            Hand(tuple(h["box"]), np.array(h["landmarks"], np.float32), h["handedness"], h["score"])
            for h in image.get("hands", [])
        ]
        for hand in hands:
            scores = classify(hand, aspect=aspect)
            assert sum(scores.values()) == pytest.approx(1.0)
            hands_seen += 1
        for raw in image.get("people", []):
            person = Person(tuple(raw["box"]), np.array(raw["landmarks"], np.float32), raw["score"])
            rays = pointing_ray(person, hands, aspect=aspect)
            assert len(rays) <= 2
            assert all(0.0 < ray.strength <= 1.0 for ray in rays)
            assert all(math.hypot(*ray.direction) == pytest.approx(1.0) for ray in rays)
            assert zones_of(person, [Zone("all", (0, 0, 1, 1))]) == ["all"]
    assert hands_seen > 0


# ---- pointing -----------------------------------------------------------------------

LAMP = Mark("light.lamp", (0.06, 0.30, 0.10, 0.34))
LAYOUT = [
    LAMP,
    Mark("media_player.tv", (0.40, 0.05, 0.60, 0.15)),
    Mark("cover.blinds", (0.88, 0.10, 0.98, 0.40)),
]


def test_pointing_at_the_lamp_hits_the_lamp() -> None:
    rng = np.random.default_rng(31)
    hits = 0
    for _ in range(40):
        person = synth_person(LAMP.center, rng, position=(rng.uniform(0.45, 0.7), 0.2), height=0.6)
        hit = find_target(pointing_ray(person, []), LAYOUT)
        if hit is not None and hit.entity_id == LAMP.entity_id:
            hits += 1
            assert 0.0 < hit.confidence <= 1.0
    assert hits >= 36  # 5° forearm noise misses the small lamp now and then


def test_pointing_without_noise_always_hits_and_says_so() -> None:
    rng = np.random.default_rng(32)
    for _ in range(20):
        person = synth_person(
            LAMP.center, rng, position=(0.6, 0.2), height=0.6, angle_noise_deg=0.0, jitter=0.0
        )
        hit = find_target(pointing_ray(person, []), LAYOUT)
        assert hit is not None and hit.entity_id == LAMP.entity_id
        assert hit.confidence > 0.9
        assert hit.direction[0] < 0  # towards the lamp on the left


def test_pointing_works_on_a_wide_frame() -> None:
    rng = np.random.default_rng(33)
    aspect = 16 / 9
    for _ in range(10):
        person = synth_person(
            LAMP.center, rng, position=(0.6, 0.2), height=0.6, angle_noise_deg=0.0, aspect=aspect
        )
        hit = find_target(pointing_ray(person, [], aspect=aspect), LAYOUT, aspect=aspect)
        assert hit is not None and hit.entity_id == LAMP.entity_id


def test_a_pointing_hand_refines_the_forearm() -> None:
    def error(ray: Ray) -> float:
        to_lamp = np.array(LAMP.center) - np.array(ray.origin)
        off = math.atan2(to_lamp[1], to_lamp[0]) - math.atan2(ray.direction[1], ray.direction[0])
        return abs(math.degrees((off + math.pi) % (2 * math.pi) - math.pi))

    rng = np.random.default_rng(34)
    forearm_errors, finger_errors = [], []
    for _ in range(30):
        person = synth_person(
            LAMP.center, rng, position=(0.6, 0.2), height=0.6, angle_noise_deg=8.0
        )
        rays = pointing_ray(person, [])
        assert len(rays) == 1
        wrist_i = 15 if rays[0].side == "left" else 16
        wrist = person.landmarks[wrist_i, :2].astype(float)
        aim = np.array(LAMP.center) - wrist
        hand = synth_pointing_hand(rng, (wrist[0], wrist[1]), (aim[0], aim[1]), angle_noise_deg=1.0)
        refined = pointing_ray(person, [hand])
        assert [ray.source for ray in refined] == ["finger"]
        forearm_errors.append(error(rays[0]))
        finger_errors.append(error(refined[0]))
    assert np.mean(finger_errors) < 0.6 * np.mean(forearm_errors)
    # a hand that is not pointing (open palm) leaves the forearm ray alone
    person = synth_person(LAMP.center, rng, position=(0.6, 0.2), height=0.6)
    wrist = person.landmarks[16, :2]
    palm = synth_hand("open_palm", rng, noise=0.5)
    shifted = palm.landmarks.copy()
    shifted[:, :2] += wrist - shifted[0, :2]
    rays = pointing_ray(person, [replace(palm, landmarks=shifted)])
    assert all(ray.source == "forearm" for ray in rays)


@pytest.mark.parametrize("pose", REST_POSES)
def test_arms_at_rest_point_at_nothing(pose: str) -> None:
    rng = np.random.default_rng(35)
    for _ in range(40):
        person = synth_person(None, rng, rest_pose=pose)
        assert pointing_ray(person, []) == []
        assert find_target(pointing_ray(person, []), LAYOUT) is None


def test_the_other_arm_at_rest_adds_no_ray() -> None:
    rng = np.random.default_rng(36)
    for pose in REST_POSES:
        for _ in range(20):
            person = synth_person(
                LAMP.center, rng, side="right", rest_pose=pose, position=(0.6, 0.2), height=0.6
            )
            assert [ray.side for ray in pointing_ray(person, [])] == ["right"]


def test_invisible_or_broken_people_give_no_ray() -> None:
    person = synth_person(LAMP.center, np.random.default_rng(37), position=(0.6, 0.2), height=0.6)
    hidden = person.landmarks.copy()
    hidden[13:17, 3] = 0.1  # elbows and wrists not seen
    assert pointing_ray(replace(person, landmarks=hidden), []) == []
    nan = np.full((33, 4), np.nan, dtype=np.float32)
    assert pointing_ray(replace(person, landmarks=nan), []) == []
    assert pointing_ray(replace(person, landmarks=np.zeros((33, 4), np.float32)), []) == []


def _ray(
    origin: tuple[float, float] = (0.2, 0.5),
    direction: tuple[float, float] = (1.0, 0.0),
    reach: float = 0.05,
) -> Ray:
    return Ray(origin=origin, direction=direction, source="forearm", strength=1.0, reach=reach)


def _point_at(angle_deg: float, distance: float = 0.5, name: str = "m") -> Mark:
    a = math.radians(angle_deg)
    x, y = 0.2 + distance * math.cos(a), 0.5 + distance * math.sin(a)
    return Mark(name, (x, y, x, y))


def test_confidence_falls_with_the_angle_off_the_ray() -> None:
    confidences = []
    for angle in (0.0, 3.0, 6.0, 9.0, 11.5):
        hit = find_target([_ray()], [_point_at(angle)])
        assert hit is not None
        confidences.append(hit.confidence)
    assert confidences[0] == pytest.approx(1.0)
    assert all(a > b for a, b in itertools.pairwise(confidences))
    assert find_target([_ray()], [_point_at(13.0)]) is None
    # a box the ray crosses is a full hit even when its middle is off the ray
    box = Mark("tv", (0.6, 0.45, 0.8, 0.52))
    hit = find_target([_ray()], [box])
    assert hit is not None and hit.confidence == pytest.approx(1.0)


def test_the_nearer_mark_in_angle_wins_and_close_calls_lose_confidence() -> None:
    near, far = _point_at(1.0, name="near"), _point_at(7.0, name="far")
    alone = find_target([_ray()], [near])
    clear = find_target([_ray()], [near, far])
    assert alone is not None and clear is not None
    assert clear.entity_id == "near"
    assert clear.confidence >= 0.9 * alone.confidence  # 6° apart: hardly ambiguous
    close = find_target([_ray()], [near, _point_at(2.5, name="close")])
    assert close is not None and close.entity_id == "near"
    assert close.confidence < 0.8 * alone.confidence


def test_two_marks_on_one_line_of_sight_are_ambiguous() -> None:
    # the ray crosses both boxes; the one aimed nearer its middle wins, but barely
    front = Mark("front", (0.45, 0.48, 0.55, 0.52))
    behind = Mark("behind", (0.78, 0.49, 0.92, 0.57))
    hit = find_target([_ray()], [behind, front])
    assert hit is not None and hit.entity_id == "front"
    assert 0.4 <= hit.confidence < 0.8
    # the same box with its middle further off the ray: a clearer call
    further = Mark("behind", (0.78, 0.49, 0.92, 0.65))
    clearer = find_target([_ray()], [further, front])
    assert clearer is not None and clearer.entity_id == "front"
    assert clearer.confidence > hit.confidence
    # two points exactly on one line: a coin toss, and the confidence says so
    tie = find_target([_ray()], [Mark("a", (0.5, 0.5, 0.5, 0.5)), Mark("b", (0.8, 0.5, 0.8, 0.5))])
    assert tie is not None and tie.confidence == pytest.approx(0.5)


def test_a_mark_behind_the_hand_is_not_hit() -> None:
    behind = _point_at(180.0, 0.2, "behind")
    at_hand = _point_at(0.0, 0.03, "at_hand")  # between elbow and wrist
    assert find_target([_ray()], [behind]) is None
    assert find_target([_ray()], [at_hand]) is None
    ahead = _point_at(0.0, 0.4, "ahead")
    hit = find_target([_ray()], [behind, at_hand, ahead])
    assert hit is not None and hit.entity_id == "ahead"


def test_a_person_pointing_away_from_a_mark_does_not_hit_it() -> None:
    rng = np.random.default_rng(38)
    for _ in range(20):
        # pointing right at the blinds; the lamp on the left is behind the arm
        person = synth_person((0.93, 0.2), rng, position=(0.5, 0.2), height=0.6, side="left")
        hit = find_target(pointing_ray(person, []), [LAMP])
        assert hit is None


def test_ray_strength_scales_confidence_and_weak_rays_lose() -> None:
    strong = replace(_ray(), strength=0.9)
    weak = Ray(origin=(0.2, 0.5), direction=(0.0, -1.0), source="forearm", strength=0.3, reach=0.05)
    marks = [_point_at(0.0, name="ahead"), Mark("up", (0.2, 0.1, 0.2, 0.1))]
    hit = find_target([weak, strong], marks)
    assert hit is not None and hit.entity_id == "ahead"
    assert hit.confidence == pytest.approx(0.9)
    assert find_target([], marks) is None
    assert find_target([strong], []) is None


# ---- zones --------------------------------------------------------------------------

ZONES = [
    Zone("sofa", (0.05, 0.55, 0.45, 0.95)),
    Zone("kitchen", (0.6, 0.5, 1.0, 1.0)),
    Zone("room", (0, 0, 1, 1)),
]


def _standing(x: float) -> Person:
    return synth_person(
        None, np.random.default_rng(1), position=(x, 0.2), height=0.7, rest_pose="down"
    )


def test_a_person_standing_in_the_sofa_zone_counts_there() -> None:
    person = _standing(0.25)  # feet at about y 0.88
    assert zones_of(person, ZONES) == ["sofa", "room"]
    assert count_by_zone([person, _standing(0.8), _standing(0.3)], ZONES) == {
        "sofa": 2,
        "kitchen": 1,
        "room": 3,
    }
    assert count_by_zone([], ZONES) == {"sofa": 0, "kitchen": 0, "room": 0}


def test_zone_falls_back_to_hips_then_box_centre() -> None:
    person = _standing(0.25)
    no_feet = person.landmarks.copy()
    no_feet[27:33, 3] = 0.0
    # hips at about y 0.56: still on the sofa
    assert zones_of(replace(person, landmarks=no_feet), ZONES) == ["sofa", "room"]
    nothing = no_feet.copy()
    nothing[23:25, 3] = 0.0
    upper_body = replace(person, landmarks=nothing, box=(0.6, 0.6, 0.8, 0.8))
    assert zones_of(upper_body, ZONES) == ["kitchen", "room"]
    broken = replace(
        person, landmarks=np.full((33, 4), np.nan, np.float32), box=(0.1, 0.6, 0.2, 0.7)
    )
    assert zones_of(broken, ZONES) == ["sofa", "room"]
