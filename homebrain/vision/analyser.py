"""Frames to scenes for the cameras of a config: one place that owns the landmark models.

The daemon's camera threads, ``homebrain eval`` (``frame:`` contexts) and ``homebrain
camera snapshot`` all analyse through this, so a frame is judged the same way in each.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

from homebrain.config.schema import CameraConfig, VisionConfig
from homebrain.vision.landmarker import Landmarker
from homebrain.vision.scene import CameraView, Scene, analyse
from homebrain.vision.types import Box, Detections, Mark, Zone


def view_of(name: str, camera: CameraConfig) -> CameraView:
    """The config's description of one camera, as the scene stage takes it."""
    return CameraView(
        name,
        camera.room,
        tuple(Zone(zone, _as_box(box)) for zone, box in camera.zones.items()),
        tuple(Mark(entity, _as_box(box)) for entity, box in camera.devices.items()),
    )


def _as_box(values: list[float]) -> Box:
    if len(values) == 2:
        return (values[0], values[1], values[0], values[1])
    return (values[0], values[1], values[2], values[3])


class FrameAnalyser:
    """Runs the landmark models (created on first use, shared by every camera)."""

    def __init__(self, config: VisionConfig, model_dir: Path | None = None) -> None:
        self.config = config
        self.views = {name: view_of(name, cam) for name, cam in config.cameras.items()}
        self._model_dir = model_dir
        self._landmarker: Landmarker | None = None
        self._lock = threading.Lock()  # LiteRT interpreters are not safe across threads

    def view(self, camera: str | None, room: str | None = None) -> CameraView:
        """A configured camera by name, else the first watching ``room``, else a bare view."""
        if camera is not None and camera in self.views:
            return self.views[camera]
        for view in self.views.values():
            if room is not None and view.room == room:
                return view
        return CameraView(camera or "camera", room)

    def detect(self, image: npt.NDArray[np.uint8]) -> Detections:
        with self._lock:
            if self._landmarker is None:
                self._landmarker = Landmarker(
                    threads=self.config.threads,
                    hands=self.config.hands,
                    model_dir=self._model_dir,
                    tiles=self.config.tiles,
                )
            return self._landmarker.detect(image)

    def look(
        self, view: CameraView, image: npt.NDArray[np.uint8], time: float
    ) -> tuple[Detections, Scene]:
        """The models' raw findings (for drawing) and the scene made of them."""
        detections = self.detect(image)
        aspect = image.shape[1] / max(1, image.shape[0])
        return detections, analyse(view, detections, time, aspect)

    def analyse(self, view: CameraView, image: npt.NDArray[np.uint8], time: float) -> Scene:
        return self.look(view, image, time)[1]
