"""Any camera OpenCV can open: a USB webcam, an IP camera's RTSP/HTTP stream, a video file.

OpenCV hides the backend (V4L2, FFmpeg, GStreamer); what it does not hide is that
``read()`` returning nothing means "end of file" for a file but "camera gone" for a
device or stream, so the two are told apart here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homebrain.vision.sources import CameraSourceSettings, FrameSourceError, conform
from homebrain.vision.types import Frame

log = logging.getLogger(__name__)

# a stream that stalls should fail within seconds, not block the reader for FFmpeg's 30 s
STREAM_TIMEOUT_MS = 5000


def parse_device(device: int | str) -> tuple[int | str, str]:
    """What OpenCV is given, and which kind of thing it is: "index", "device" (a
    /dev/video node), "stream" (a URL) or "file"."""
    if isinstance(device, int):
        return device, "index"
    text = str(device).strip()
    if text.isdigit():
        return int(text), "index"
    if "://" in text:
        return text, "stream"
    if text.startswith("/dev/"):
        return text, "device"
    return str(Path(text).expanduser()), "file"


class OpenCVSource:
    """A ``cv2.VideoCapture``: frames converted to RGB at the configured size.

    Live devices are asked for the configured size and rate (and a one-frame buffer, so
    a slow reader gets the newest picture, not one from seconds ago); what they really
    deliver is resized anyway. ``realtime`` paces a video file at the configured fps.
    """

    def __init__(
        self,
        settings: CameraSourceSettings,
        *,
        realtime: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.target, self.device_kind = parse_device(settings.device)
        self.realtime = realtime
        self.clock = clock
        self._capture: Any = None
        self._index = 0
        self._due = 0.0
        self._ended = False

    @property
    def live(self) -> bool:
        return self.device_kind != "file"

    @property
    def finite(self) -> bool:
        return self.device_kind == "file" and not self.settings.loop

    @property
    def ended(self) -> bool:
        return self._ended

    def _describe(self) -> str:
        return f"camera {self.settings.name} ({self.target!r})"

    def open(self) -> None:
        if self._capture is not None:
            return
        self._capture = self._open_capture()
        self._ended = False
        self._due = self.clock()

    def _open_capture(self) -> Any:
        import cv2

        # the reader says what went wrong, once, in homebrain's log; OpenCV's own
        # warnings would repeat it on every retry
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

        if self.device_kind == "file" and not Path(str(self.target)).is_file():
            raise FrameSourceError(f"{self._describe()}: no such video file")
        if self.device_kind == "device" and not Path(str(self.target)).exists():
            raise FrameSourceError(f"{self._describe()}: no such device (unplugged?)")
        if self.device_kind == "stream":
            params = [
                cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
                STREAM_TIMEOUT_MS,
                cv2.CAP_PROP_READ_TIMEOUT_MSEC,
                STREAM_TIMEOUT_MS,
            ]
            capture = cv2.VideoCapture(self.target, cv2.CAP_ANY, params)
        else:
            capture = cv2.VideoCapture(self.target)
        if not capture.isOpened():
            capture.release()
            hint = {
                "index": "no such camera, or it is in use",
                "device": "not a camera OpenCV can open, or it is in use",
                "stream": "unreachable, wrong URL or credentials",
                "file": "not a video OpenCV can decode",
            }[self.device_kind]
            raise FrameSourceError(f"{self._describe()}: cannot open ({hint})")
        if self.live:
            s = self.settings
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
            capture.set(cv2.CAP_PROP_FPS, s.fps)
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            got = (
                int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            )
            if got != (s.width, s.height) and got != (0, 0):
                log.info(
                    "%s: delivers %d×%d, resizing to %d×%d",
                    self._describe(),
                    got[0],
                    got[1],
                    s.width,
                    s.height,
                )
        return capture

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def read(self) -> Frame | None:
        if self._capture is None:
            raise FrameSourceError(f"{self._describe()}: not open")
        if self._ended:
            return None
        now = self.clock()
        if self.realtime and not self.live and now < self._due:
            return None
        ok, image = self._capture.read()
        if not ok or image is None:
            if self.live:
                raise FrameSourceError(f"{self._describe()}: no frame (unplugged or stream cut)")
            if not self.settings.loop:
                self._ended = True
                return None
            # start again from a fresh capture: seeking is unreliable for some codecs,
            # and reopening notices a file that was removed
            self.close()
            self._capture = self._open_capture()
            ok, image = self._capture.read()
            if not ok or image is None:
                raise FrameSourceError(f"{self._describe()}: video has no frames")
        rgb, _ = conform(image, self.settings.width, self.settings.height, bgr=True)
        if rgb is None:
            log.warning("%s: skipping a frame that is not a picture", self._describe())
            return None
        period = 1.0 / self.settings.fps
        self._due = max(self._due + period, now)
        frame = Frame(self.settings.name, rgb, self.clock(), self._index)
        self._index += 1
        return frame
