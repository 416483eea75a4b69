"""What the motion gate costs per frame at 640×480 on one core (a Pi has four, and the
landmark models want the others).

    .venv/bin/python bench/vision_motion.py [--video PATH] [--frames N]

Frames of OpenCV's vtest.avi (pedestrians in a street, 768×576) are decoded and
resized up front, so only the gate is timed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import cv2
import numpy as np

from homebrain.vision.motion import MotionGate
from homebrain.vision.types import Frame

VTEST = Path("/usr/share/doc/opencv-doc/examples/data/vtest.avi")


def load(path: Path, count: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise SystemExit(f"cannot open {path} (Debian: apt install opencv-doc)")
    images: list[np.ndarray] = []
    while len(images) < count:
        ok, image = capture.read()
        if not ok:
            break
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        images.append(cv2.resize(rgb, (640, 480), interpolation=cv2.INTER_AREA))
    capture.release()
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=VTEST)
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the frames")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    images = load(args.video, args.frames)
    frames = [Frame("bench", image, i / 10, i) for i, image in enumerate(images)]
    costs: list[float] = []
    moved = 0
    for _ in range(args.repeat):
        gate = MotionGate()
        for frame in frames:
            start = time.perf_counter()
            result = gate.check(frame)
            costs.append((time.perf_counter() - start) * 1000)
            moved += result.moved
    costs.sort()
    p99 = costs[min(len(costs) - 1, int(len(costs) * 0.99))]
    print(f"{len(frames)} frames × {args.repeat} of {args.video.name}, 640×480, 1 thread")
    print(f"motion gate: median {statistics.median(costs):.3f} ms, p99 {p99:.3f} ms")
    print(f"frames with motion: {moved / len(costs):.0%}")


if __name__ == "__main__":
    main()
