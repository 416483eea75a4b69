#!/usr/bin/env python3
"""Run the landmark models over pictures and write what they found as JSON.

Real hands are what the gesture generator (homebrain.vision.hand_synth) measures its
skeletons on, and a recording keeps those measurements without shipping photographs
or running the models in every test. Coordinates are normalised to the frame like
everything in homebrain.vision; ``width``/``height`` say the frame's shape.

    .venv/bin/python scripts/record_landmarks.py \\
        /usr/share/doc/opencv-doc/examples/data/messi5.jpg \\
        /usr/share/doc/opencv-doc/examples/data/vtest.avi@600 --tiles 4 --out found.json

A video is read at the frame given after ``@`` (the first frame without one).
``--with-hands`` keeps only the pictures where a hand was found.

Whole bodies (for re-posing real people in the pointing bench) come from pictures with
no usable hands, and the hand tests expect every record of ``images`` to have one, so
such pictures go to a section of their own, added to an existing recording whose other
records stay exactly as they were:

    .venv/bin/python scripts/record_landmarks.py --people-only --tiles 4 --max-people 8 \\
        --add-to tests/fixtures/vision/recorded_landmarks.json --section bodies \\
        .venv/lib/python3.11/site-packages/matplotlib/mpl-data/sample_data/grace_hopper.jpg
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from homebrain.vision.landmarker import Landmarker  # noqa: E402
from homebrain.vision.types import Detections  # noqa: E402

VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm"}
DECIMALS = 4


def read_rgb(spec: str) -> npt.NDArray[np.uint8]:
    """An image file, or ``video@frame``, as RGB uint8."""
    import cv2

    path, _, frame = spec.partition("@")
    if Path(path).suffix.lower() in VIDEO_SUFFIXES:
        capture = cv2.VideoCapture(path)
        try:
            if frame:
                capture.set(cv2.CAP_PROP_POS_FRAMES, int(frame))
            ok, picture = capture.read()
        finally:
            capture.release()
        if not ok:
            raise ValueError(f"cannot read frame {frame or 0} of {path}")
        bgr = np.asarray(picture)
    else:
        read = cv2.imread(spec, cv2.IMREAD_COLOR)
        if read is None:
            raise ValueError(f"cannot read image {spec}")
        bgr = np.asarray(read)
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)).astype(np.uint8)


def compact_json(document: Any) -> str:
    """Indented JSON with each innermost list of numbers on one line: one landmark a
    line keeps the file short and its diffs readable."""
    text = json.dumps(document, indent=1)
    numbers = re.compile(r"\[[-0-9.e,\s]*\]")
    return numbers.sub(lambda m: re.sub(r"\s+", "", m.group(0)).replace(",", ", "), text) + "\n"


def _rounded(values: Any) -> Any:
    return np.round(np.asarray(values, dtype=np.float64), DECIMALS).tolist()


def as_record(
    name: str, width: int, height: int, found: Detections, *, hands: bool = True
) -> dict[str, Any]:
    """One picture's findings; with ``hands`` False the record has no "hands" key, so a
    reader cannot mistake "not looked for" for "none there"."""
    record: dict[str, Any] = {
        "image": name,
        "width": width,
        "height": height,
        "people": [
            {
                "box": _rounded(person.box),
                "score": round(person.score, DECIMALS),
                "landmarks": _rounded(person.landmarks),  # [33, 4] x, y, z, visibility
            }
            for person in found.people
        ],
    }
    if hands:
        record["hands"] = [
            {
                "handedness": hand.handedness,
                "box": _rounded(hand.box),
                "score": round(hand.score, DECIMALS),
                "landmarks": _rounded(hand.landmarks),  # [21, 3] x, y, z
            }
            for hand in found.hands
        ]
    return record


def record_landmarks(
    paths: Sequence[str | Path], landmarker: Landmarker | None = None
) -> list[dict[str, Any]]:
    """One record per picture: its people and hands, rounded."""
    landmarker = landmarker or Landmarker()
    records = []
    for spec in paths:
        image = read_rgb(str(spec))
        found = landmarker.detect(image)
        name = Path(str(spec).partition("@")[0]).name
        if "@" in str(spec):
            name += "@" + str(spec).partition("@")[2]
        records.append(
            as_record(name, image.shape[1], image.shape[0], found, hands=landmarker.hands_enabled)
        )
    return records


def merged(document: dict[str, Any], section: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """``document`` with ``records`` in ``section``: a picture recorded again replaces
    its old record in place, new ones go at the end, everything else is left alone."""
    out = dict(document)
    existing = list(out.get(section, []))
    where = {r.get("image"): i for i, r in enumerate(existing)}
    for record in records:
        if record["image"] in where:
            existing[where[record["image"]]] = record
        else:
            where[record["image"]] = len(existing)
            existing.append(record)
    out[section] = existing
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="image files, or video@frame")
    parser.add_argument("--out", type=Path, help="JSON file (default: standard output)")
    parser.add_argument("--tiles", type=int, default=1, help="body detector grid (see Landmarker)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--max-people", type=int, default=4)
    parser.add_argument(
        "--with-hands", action="store_true", help="keep only pictures with a hand found"
    )
    parser.add_argument(
        "--people-only", action="store_true", help="run the pose models only; store no hands"
    )
    parser.add_argument(
        "--add-to", type=Path, help="existing JSON file to add the records to (rewritten)"
    )
    parser.add_argument(
        "--section", default="images", help="list in the document to put the records in"
    )
    args = parser.parse_args(argv)
    if args.with_hands and args.people_only:
        parser.error("--with-hands and --people-only exclude each other")
    if args.add_to is not None and args.out is not None:
        parser.error("--add-to rewrites its file; give either it or --out")
    landmarker = Landmarker(
        threads=args.threads,
        tiles=args.tiles,
        model_dir=args.model_dir,
        max_people=args.max_people,
        hands=not args.people_only,
    )
    try:
        records = record_landmarks(args.paths, landmarker)
    except ValueError as exc:
        print(f"record_landmarks: {exc}", file=sys.stderr)
        return 2
    if args.with_hands:
        records = [r for r in records if r["hands"]]
    document: dict[str, Any] = {
        "made_by": "scripts/record_landmarks.py",
        "models": "mediapipe==0.10.18 pose_detection, pose_landmark_full, "
        "palm_detection_lite, hand_landmark_lite",
    }
    out = args.out
    if args.add_to is not None:
        document = json.loads(args.add_to.read_text()) if args.add_to.exists() else document
        out = args.add_to
    document = merged(document, args.section, records)
    text = compact_json(document)
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        hands = sum(len(r.get("hands", [])) for r in records)
        people = sum(len(r["people"]) for r in records)
        print(
            f"wrote {out}: {len(records)} pictures, {people} people, {hands} hands"
            f" in {args.section!r}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
