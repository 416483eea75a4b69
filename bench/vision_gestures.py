"""Gesture and pointing accuracy on generated landmarks (homebrain.vision.hand_synth).

Gestures: N hands per gesture and seed, from the canonical skeleton and every real hand
in tests/fixtures/vision/recorded_landmarks.json, under three conditions: "standard"
(landmark-model jitter, palm within 45° of facing the camera), "hard" (twice the jitter,
up to 65°) and "no_depth" (z zeroed, as from a 2-D-only landmark model).
Pointing: people pointing at the marks of a living-room layout, by forearm alone and
with a pointing hand at the wrist, plus people at rest (arms down, hands on hips, arms
crossed, hand at the face) who must hit nothing. The same again on real bodies: every
person recorded whole in recorded_landmarks.json keeps the torso, head and legs the pose
model found in a photograph and has one arm re-posed to point at a device of the layout
(hand_synth.pose_from_recorded), or both arms at rest (hand_synth.rest_from_recorded).

Generated data measures the geometry, not the landmark model: real photographs add
occlusion and model failure that no figure here includes.

Usage: .venv/bin/python bench/vision_gestures.py [-n 500] [--seeds 3] [--recorded 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homebrain.understanding.labels import GESTURES
from homebrain.vision.gestures import best, classify
from homebrain.vision.hand_synth import (
    ARM_POINTS,
    RECORDED_REST_POSES,
    REST_POSES,
    FloatArray,
    Skeleton,
    canonical_skeleton,
    load_recorded_people,
    load_recorded_skeletons,
    pointing_side,
    pose_from_recorded,
    rest_from_recorded,
    synth_hand,
    synth_person,
    synth_pointing_hand,
    within_reach,
)
from homebrain.vision.pointing import find_target, pointing_ray
from homebrain.vision.types import Hand, Mark

CONDITIONS: dict[str, dict[str, Any]] = {
    "standard": {},
    "hard": {"noise": 2.0, "tilt_deg": 65.0},
    "no_depth": {},
}

LAYOUT = [
    Mark("light.reading_lamp", (0.06, 0.35, 0.06, 0.35)),
    Mark("media_player.tv", (0.38, 0.12, 0.62, 0.30)),
    Mark("cover.blinds", (0.86, 0.05, 0.98, 0.45)),
    Mark("light.ceiling", (0.25, 0.02, 0.25, 0.02)),
    Mark("light.floor_lamp", (0.94, 0.62, 0.94, 0.62)),
    Mark("fan.desk", (0.02, 0.55, 0.10, 0.65)),
]


def _flatten(hand: Hand) -> Hand:
    landmarks = hand.landmarks.copy()
    landmarks[:, 2] = 0.0
    return replace(hand, landmarks=landmarks)


def gesture_confusion(
    skeleton: Skeleton, condition: str, count: int, seeds: list[int]
) -> dict[str, dict[str, int]]:
    options = CONDITIONS[condition]
    table = {truth: dict.fromkeys(GESTURES, 0) for truth in GESTURES}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for truth in GESTURES:
            for _ in range(count):
                hand = synth_hand(truth, rng, skeleton, **options)
                if condition == "no_depth":
                    hand = _flatten(hand)
                table[truth][best(classify(hand))[0]] += 1
    return table


def accuracy(table: dict[str, dict[str, int]]) -> dict[str, float]:
    out = {truth: row[truth] / max(sum(row.values()), 1) for truth, row in table.items()}
    out["mean"] = sum(out[g] for g in GESTURES) / len(GESTURES)
    return out


def _place(rng: np.random.Generator, target: tuple[float, float]) -> dict[str, Any]:
    """A standing person who is not right under or beside the target."""
    while True:
        height = float(rng.uniform(0.55, 0.75))
        position = (float(rng.uniform(0.15, 0.85)), float(rng.uniform(0.1, 0.95 - height)))
        shoulder_y = position[1] + 0.18 * height
        gap = math.hypot(target[0] - position[0], target[1] - shoulder_y)
        if gap > 0.25:
            return {"position": position, "height": height}


def _aim(rng: np.random.Generator, mark: Mark) -> tuple[float, float]:
    """Where a person aims at a device: about its middle, within the box."""
    x0, y0, x1, y1 = mark.box
    x = float(np.clip(rng.normal((x0 + x1) / 2, (x1 - x0) / 6), x0, x1))
    y = float(np.clip(rng.normal((y0 + y1) / 2, (y1 - y0) / 6), y0, y1))
    return (x, y)


def pointing_trials(count: int, seeds: list[int], with_hand: bool) -> dict[str, Any]:
    right = wrong = missed = 0
    confidences: list[float] = []
    wrong_confidences: list[float] = []
    per_mark = {m.entity_id: {"right": 0, "wrong": 0, "none": 0} for m in LAYOUT}
    for seed in seeds:
        rng = np.random.default_rng(1000 + seed)
        for _ in range(count):
            mark = LAYOUT[int(rng.integers(len(LAYOUT)))]
            target = _aim(rng, mark)
            person = synth_person(target, rng, **_place(rng, target))
            hands = []
            if with_hand:
                goal = np.array(target)
                for wrist_i, elbow_i in ((15, 13), (16, 14)):
                    wrist = person.landmarks[wrist_i, :2].astype(float)
                    elbow = person.landmarks[elbow_i, :2].astype(float)
                    if np.linalg.norm(goal - wrist) < np.linalg.norm(goal - elbow):
                        # the pointing arm: its finger aims at the target itself
                        aim = goal - wrist
                        hands.append(
                            synth_pointing_hand(rng, (wrist[0], wrist[1]), (aim[0], aim[1]))
                        )
            hit = find_target(pointing_ray(person, hands), LAYOUT)
            if hit is None:
                missed += 1
                per_mark[mark.entity_id]["none"] += 1
            elif hit.entity_id == mark.entity_id:
                right += 1
                confidences.append(hit.confidence)
                per_mark[mark.entity_id]["right"] += 1
            else:
                wrong += 1
                wrong_confidences.append(hit.confidence)
                per_mark[mark.entity_id]["wrong"] += 1
    return {**_outcomes(right, wrong, missed, confidences, wrong_confidences), "per_mark": per_mark}


def _outcomes(
    right: int, wrong: int, missed: int, confidences: list[float], wrong_confidences: list[float]
) -> dict[str, Any]:
    """Shares of right, wrong and no hits, and how sure the hits were."""
    total = max(right + wrong + missed, 1)
    return {
        "trials": right + wrong + missed,
        "right": right / total,
        "wrong": wrong / total,
        "none": missed / total,
        "mean_confidence_when_right": float(np.mean(confidences)) if confidences else 0.0,
        "mean_confidence_when_wrong": (
            float(np.mean(wrong_confidences)) if wrong_confidences else 0.0
        ),
        "at_confidence_0.5": {
            "right": sum(c >= 0.5 for c in confidences) / total,
            "wrong": sum(c >= 0.5 for c in wrong_confidences) / total,
        },
    }


def rest_trials(count: int, seeds: list[int]) -> dict[str, float]:
    out = {}
    for pose in REST_POSES:
        hits = 0
        for seed in seeds:
            rng = np.random.default_rng(2000 + seed)
            for _ in range(count):
                person = synth_person(None, rng, rest_pose=pose, **_place(rng, (0.5, -1.0)))
                hits += find_target(pointing_ray(person, []), LAYOUT) is not None
        out[pose] = hits / (count * len(seeds))
    return out


RecordedPerson = tuple[str, FloatArray, float]  # name, [33, 4] landmarks, aspect


def recorded_pointing_trials(
    people: list[RecordedPerson], count: int, seeds: list[int], with_hand: bool
) -> dict[str, Any]:
    """``count`` trials per recorded person and seed: a device of the layout that lies
    beyond the person's reach, aimed at about its middle, one arm re-posed to point."""
    right = wrong = missed = 0
    confidences: list[float] = []
    wrong_confidences: list[float] = []
    per_mark = {m.entity_id: {"right": 0, "wrong": 0, "none": 0} for m in LAYOUT}
    per_person = {name: {"right": 0, "wrong": 0, "none": 0} for name, _, _ in people}
    for seed in seeds:
        rng = np.random.default_rng(3000 + seed)
        for name, landmarks, aspect in people:
            marks = [m for m in LAYOUT if not within_reach(landmarks, m.center, aspect=aspect)]
            if not marks:
                continue
            for _ in range(count):
                mark = marks[int(rng.integers(len(marks)))]
                target = _aim(rng, mark)
                side = pointing_side(landmarks, target, rng, aspect=aspect)
                person = pose_from_recorded(landmarks, target, rng, side, aspect=aspect)
                hands = []
                if with_hand:
                    elbow_i, wrist_i = ARM_POINTS[side][1:3]
                    scale = np.array([aspect, 1.0])
                    wrist = person.landmarks[wrist_i, :2].astype(float)
                    elbow = person.landmarks[elbow_i, :2].astype(float)
                    aim = (np.array(target) - wrist) * scale  # frame-height units
                    forearm = float(np.linalg.norm((wrist - elbow) * scale))
                    hands.append(
                        synth_pointing_hand(
                            rng,
                            (float(wrist[0]), float(wrist[1])),
                            (float(aim[0]), float(aim[1])),
                            palm_size=0.35 * forearm,  # wrist → knuckles of a real arm
                            aspect=aspect,
                        )
                    )
                hit = find_target(pointing_ray(person, hands, aspect=aspect), LAYOUT, aspect=aspect)
                if hit is None:
                    outcome = "none"
                    missed += 1
                elif hit.entity_id == mark.entity_id:
                    outcome = "right"
                    right += 1
                    confidences.append(hit.confidence)
                else:
                    outcome = "wrong"
                    wrong += 1
                    wrong_confidences.append(hit.confidence)
                per_mark[mark.entity_id][outcome] += 1
                per_person[name][outcome] += 1
    return {
        **_outcomes(right, wrong, missed, confidences, wrong_confidences),
        "per_mark": per_mark,
        "per_person": per_person,
    }


def recorded_rest_trials(
    people: list[RecordedPerson], count: int, seeds: list[int]
) -> dict[str, Any]:
    """Share of recorded bodies at rest (arms as recorded, lowered where raised, or
    each synthetic rest pose on the real torso) that hit a device anyway."""
    hits = dict.fromkeys(RECORDED_REST_POSES, 0)
    per_person = {name: dict.fromkeys(RECORDED_REST_POSES, 0) for name, _, _ in people}
    for seed in seeds:
        rng = np.random.default_rng(4000 + seed)
        for name, landmarks, aspect in people:
            for pose in RECORDED_REST_POSES:
                for _ in range(count):
                    person = rest_from_recorded(landmarks, rng, rest_pose=pose, aspect=aspect)
                    if find_target(pointing_ray(person, [], aspect=aspect), LAYOUT, aspect=aspect):
                        hits[pose] += 1
                        per_person[name][pose] += 1
    total = max(count * len(seeds) * len(people), 1)
    return {
        "trials_per_pose": count * len(seeds) * len(people),
        "share": {pose: hits[pose] / total for pose in RECORDED_REST_POSES},
        "per_person": per_person,
    }


def print_pointing(mode: str, p: dict[str, Any]) -> None:
    print(
        f"  {mode:<13} {p['right']:.3f} / {p['wrong']:.3f} / {p['none']:.3f}"
        f"  (n={p['trials']}; mean confidence right {p['mean_confidence_when_right']:.2f},"
        f" wrong {p['mean_confidence_when_wrong']:.2f}; at confidence >= 0.5:"
        f" right {p['at_confidence_0.5']['right']:.3f},"
        f" wrong {p['at_confidence_0.5']['wrong']:.3f})"
    )


def print_table(title: str, table: dict[str, dict[str, int]]) -> None:
    width = max(len(g) for g in GESTURES) + 2
    print(f"\n{title}  (rows: true, columns: predicted)")
    print(" " * width + "".join(f"{g:>{width}}" for g in GESTURES) + f"{'acc':>8}")
    for truth in GESTURES:
        row = table[truth]
        total = max(sum(row.values()), 1)
        cells = "".join(f"{row[g]:>{width}}" for g in GESTURES)
        print(f"{truth:<{width}}{cells}{row[truth] / total:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="hands per gesture per seed")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--pointing", type=int, default=500, help="pointing trials per seed")
    parser.add_argument(
        "--recorded", type=int, default=200, help="pointing trials per recorded person per seed"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document only")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    skeletons = [canonical_skeleton(), *load_recorded_skeletons()]
    started = time.perf_counter()
    result: dict[str, Any] = {"n_per_gesture_per_seed": args.n, "seeds": seeds, "gestures": {}}
    combined = {c: {t: dict.fromkeys(GESTURES, 0) for t in GESTURES} for c in CONDITIONS}
    for skeleton in skeletons:
        per: dict[str, Any] = {}
        for condition in CONDITIONS:
            table = gesture_confusion(skeleton, condition, args.n, seeds)
            per[condition] = {"confusion": table, "accuracy": accuracy(table)}
            for truth in GESTURES:
                for guess in GESTURES:
                    combined[condition][truth][guess] += table[truth][guess]
        result["gestures"][skeleton.name] = per
    result["gestures_all_skeletons"] = {
        c: {"confusion": t, "accuracy": accuracy(t)} for c, t in combined.items()
    }
    result["pointing"] = {
        "layout": [{"entity_id": m.entity_id, "box": m.box} for m in LAYOUT],
        "forearm_only": pointing_trials(args.pointing, seeds, with_hand=False),
        "with_hand": pointing_trials(args.pointing, seeds, with_hand=True),
        "false_hit_at_rest": rest_trials(max(args.pointing // 4, 1), seeds),
    }
    people = load_recorded_people()
    result["pointing_recorded"] = {
        "people": [name for name, _, _ in people],
        "trials_per_person_per_seed": args.recorded,
        "forearm_only": recorded_pointing_trials(people, args.recorded, seeds, with_hand=False),
        "with_hand": recorded_pointing_trials(people, args.recorded, seeds, with_hand=True),
        "false_hit_at_rest": recorded_rest_trials(people, max(args.recorded // 4, 1), seeds),
    }
    result["skeletons"] = [s.name for s in skeletons]
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"skeletons: {', '.join(result['skeletons'])}; {args.n} hands/gesture/seed, seeds {seeds}"
    )
    for condition, entry in result["gestures_all_skeletons"].items():
        print_table(f"gestures, {condition}, all skeletons", entry["confusion"])
        print(f"mean accuracy {entry['accuracy']['mean']:.3f}")
    if len(skeletons) > 1:
        print("\nper skeleton, standard condition: mean accuracy")
        for name, per in result["gestures"].items():
            print(f"  {name}: {per['standard']['accuracy']['mean']:.3f}")
    pointing = result["pointing"]
    print("\npointing (right / wrong device / none)")
    for mode in ("forearm_only", "with_hand"):
        print_pointing(mode, pointing[mode])
    print("  per target, with hand (right / wrong / none):")
    for entity_id, counts in pointing["with_hand"]["per_mark"].items():
        print(f"    {entity_id:<20} {counts['right']:>5} {counts['wrong']:>5} {counts['none']:>5}")
    rest = ", ".join(f"{k} {v:.3f}" for k, v in pointing["false_hit_at_rest"].items())
    print(f"  false hits at rest: {rest}")
    recorded = result["pointing_recorded"]
    print(
        f"\npointing, recorded bodies with one arm re-posed ({len(recorded['people'])} people;"
        " right / wrong device / none)"
    )
    if recorded["people"]:
        for mode in ("forearm_only", "with_hand"):
            print_pointing(mode, recorded[mode])
        print("  per target, with hand (right / wrong / none):")
        for entity_id, counts in recorded["with_hand"]["per_mark"].items():
            print(
                f"    {entity_id:<20} {counts['right']:>5} {counts['wrong']:>5} {counts['none']:>5}"
            )
        print("  per person, with hand (right / wrong / none):")
        for name, counts in recorded["with_hand"]["per_person"].items():
            print(f"    {name:<20} {counts['right']:>5} {counts['wrong']:>5} {counts['none']:>5}")
        at_rest = recorded["false_hit_at_rest"]
        rest = ", ".join(f"{k} {v:.3f}" for k, v in at_rest["share"].items())
        print(f"  false hits at rest (n={at_rest['trials_per_pose']} per pose): {rest}")
    print(f"\n{result['seconds']} s")


if __name__ == "__main__":
    main()
