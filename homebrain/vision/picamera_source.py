"""The Raspberry Pi camera (CSI ribbon cable) through picamera2 and libcamera.

picamera2 is not on PyPI in a usable form: it comes with Raspberry Pi OS
(``apt install python3-picamera2``) and reaches a venv only through system site
packages, so it is imported when a camera is opened, never at module import.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from homebrain.vision.sources import CameraSourceSettings, FrameSourceError, conform
from homebrain.vision.types import Frame

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "install it with `sudo apt install python3-picamera2` and create the venv with "
    "`python3 -m venv --system-site-packages` so it can see the system package"
)


class PiCameraSource:
    """One Pi camera, asked for the configured size and frame rate."""

    live = True
    finite = False
    ended = False

    def __init__(
        self, settings: CameraSourceSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.settings = settings
        self.clock = clock
        try:
            self.camera_num = int(settings.device)
        except (TypeError, ValueError) as exc:
            raise FrameSourceError(
                f"camera {settings.name}: picamera2 wants a camera number, not {settings.device!r}",
                permanent=True,
            ) from exc
        self._camera: Any = None
        self._index = 0

    def open(self) -> None:
        if self._camera is not None:
            return
        name = self.settings.name
        try:
            from picamera2 import Picamera2
        except ImportError as exc:
            raise FrameSourceError(
                f"camera {name}: the picamera2 module is missing ({exc}); {INSTALL_HINT}",
                permanent=True,
            ) from exc
        camera = None
        try:
            camera = Picamera2(self.camera_num)
            period_us = int(1_000_000 / self.settings.fps)
            config = camera.create_video_configuration(
                # libcamera names formats by their 32-bit word, so "RGB888" lands in
                # memory as B, G, R: OpenCV's order, converted in read()
                main={"size": (self.settings.width, self.settings.height), "format": "RGB888"},
                controls={"FrameDurationLimits": (period_us, period_us)},
            )
            camera.configure(config)
            camera.start()
        except Exception as exc:  # libcamera raises RuntimeError, IndexError, ...
            if camera is not None:
                _quietly(camera.close)
            raise FrameSourceError(
                f"camera {name}: cannot start Pi camera {self.camera_num} "
                f"({type(exc).__name__}: {exc}); is it connected and not in use?"
            ) from exc
        self._camera = camera

    def close(self) -> None:
        camera, self._camera = self._camera, None
        if camera is not None:
            _quietly(camera.stop)
            _quietly(camera.close)

    def read(self) -> Frame | None:
        if self._camera is None:
            raise FrameSourceError(f"camera {self.settings.name}: Pi camera is not open")
        try:
            image = self._camera.capture_array("main")
        except Exception as exc:
            raise FrameSourceError(
                f"camera {self.settings.name}: Pi camera capture failed "
                f"({type(exc).__name__}: {exc})"
            ) from exc
        rgb, _ = conform(image, self.settings.width, self.settings.height, bgr=True)
        if rgb is None:
            log.warning(
                "camera %s: Pi camera gave something that is not a picture", self.settings.name
            )
            return None
        frame = Frame(self.settings.name, rgb, self.clock(), self._index)
        self._index += 1
        return frame


def _quietly(action: Callable[[], object]) -> None:
    """Cleanup that must not hide the error that made us clean up."""
    try:
        action()
    except Exception as exc:
        log.debug("picamera2 cleanup: %s", exc)
