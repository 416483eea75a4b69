"""Evaluation ``frame:``/``frames:`` contexts: real pictures judged with the sentence.

A test's picture goes through the same analyser and the same fusion as a daemon's
camera frame, so ``homebrain eval`` measures what the running daemon would do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from homebrain.config.schema import VisionConfig
from homebrain.turns import TurnContext
from homebrain.vision.analyser import FrameAnalyser
from homebrain.vision.folder_source import unusable_image
from homebrain.vision.fusion import turn_vision
from homebrain.vision.scene import Scene
from homebrain.vision.service import GESTURE_FRAMES

FRAME_KEYS = ("frame", "frames", "camera")


class FrameError(ValueError):
    """A picture that cannot be read: the test fails with this message."""


def read_image(path: Path) -> npt.NDArray[np.uint8]:
    import cv2  # late: only pictures need OpenCV

    problem = unusable_image(path)
    if problem is not None:
        raise FrameError(f"{path}: {problem}")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise FrameError(f"{path}: not an image OpenCV can read")
    return np.ascontiguousarray(image[:, :, ::-1])  # BGR → RGB


class FrameContexts:
    """Turns evaluation contexts with pictures into turn contexts with vision."""

    def __init__(
        self,
        config: VisionConfig,
        room_of_site: Callable[[str | None], str | None],
        rooms_of_site: Callable[[str | None], tuple[str, ...]] = lambda site: (),
    ):
        self.analyser = FrameAnalyser(config)
        self.room_of_site = room_of_site
        self.rooms_of_site = rooms_of_site
        self._scenes: dict[tuple[str, str], Scene] = {}

    def scene(self, path: str, camera: str | None, room: str | None, time: float) -> Scene:
        view = self.analyser.view(camera, room)
        key = (path, view.name)
        if key not in self._scenes:  # a picture used by many tests is analysed once
            self._scenes[key] = self.analyser.analyse(view, read_image(Path(path)), time)
        return self._scenes[key]

    def apply(self, context: dict[str, Any], turn: TurnContext) -> TurnContext:
        """``turn`` with what the pictures show; the picture keys leave ``extra``."""
        for key in FRAME_KEYS:
            turn.extra.pop(key, None)
        paths = [context["frame"]] if context.get("frame") else list(context.get("frames") or [])
        if not paths:
            return turn
        site_room = self.room_of_site(turn.site)
        candidates = self.rooms_of_site(turn.site)
        camera = context.get("camera")
        scenes = [self.scene(p, camera, site_room, float(i)) for i, p in enumerate(paths)]
        last = scenes[-1]
        if len(scenes) > 1:
            # a clip: a gesture counts when it is held over its last frames, as the daemon's
            # cameras require (its weakest score over them)
            tail = scenes[-GESTURE_FRAMES:]
            held = {g: min(s.gestures.get(g, 0.0) for s in tail) for g in last.gestures}
            last = Scene(
                last.camera, last.room, last.time, last.people, last.zones, last.pointing, held
            )
        if site_room is None and last.room is None:
            return turn
        return turn_vision([last], site_room, candidates=candidates).apply(turn)
