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


def as_record(name: str, width: int, height: int, found: Detections) -> dict[str, Any]:
    return {
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
        "hands": [
            {
                "handedness": hand.handedness,
                "box": _rounded(hand.box),
                "score": round(hand.score, DECIMALS),
                "landmarks": _rounded(hand.landmarks),  # [21, 3] x, y, z
            }
            for hand in found.hands
        ],
    }


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
        records.append(as_record(name, image.shape[1], image.shape[0], found))
    return records


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="image files, or video@frame")
    parser.add_argument("--out", type=Path, help="JSON file (default: standard output)")
    parser.add_argument("--tiles", type=int, default=1, help="body detector grid (see Landmarker)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument(
        "--with-hands", action="store_true", help="keep only pictures with a hand found"
    )
    args = parser.parse_args(argv)
    landmarker = Landmarker(threads=args.threads, tiles=args.tiles, model_dir=args.model_dir)
    try:
        records = record_landmarks(args.paths, landmarker)
    except ValueError as exc:
        print(f"record_landmarks: {exc}", file=sys.stderr)
        return 2
    if args.with_hands:
        records = [r for r in records if r["hands"]]
    document = {
        "made_by": "scripts/record_landmarks.py",
        "models": "mediapipe==0.10.18 pose_detection, pose_landmark_full, "
        "palm_detection_lite, hand_landmark_lite",
        "images": records,
    }
    text = compact_json(document)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        hands = sum(len(r["hands"]) for r in records)
        print(f"wrote {args.out}: {len(records)} pictures, {hands} hands", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
