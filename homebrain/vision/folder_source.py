"""A folder of pictures as a camera: for demos, tests and replaying what a camera saw.

Images are read in name order (so ``frame_0001.jpg`` … plays as recorded); a picture
that will not decode is logged once and skipped, so one bad file never stops a camera.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from homebrain.vision.sources import CameraSourceSettings, FrameSourceError, Image, conform
from homebrain.vision.types import Frame

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")
_JPEG_SUFFIXES = (".jpg", ".jpeg")
_JPEG_END = b"\xff\xd9"
# room for padding some writers leave after the end marker
_JPEG_TAIL = 64


class FolderSource:
    """Images of a directory, one per ``read()``.

    ``realtime`` paces them at the configured fps (``read()`` returns ``None`` until the
    next one is due), as a camera would; off, they come as fast as asked, for tests and
    for replaying a recording faster than it happened.
    """

    live = False

    def __init__(
        self,
        settings: CameraSourceSettings,
        *,
        realtime: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.path = Path(str(settings.device)).expanduser()
        self.realtime = realtime
        self.clock = clock
        self.current: Path | None = None  # the file of the last frame handed out
        self._files: list[Path] = []
        self._position = 0
        self._index = 0
        self._due = 0.0
        self._ended = False
        self._open = False
        self._warned: set[Path] = set()
        self._good_this_pass = 0

    @property
    def finite(self) -> bool:
        return not self.settings.loop

    @property
    def ended(self) -> bool:
        return self._ended

    def open(self) -> None:
        if self._open:
            return
        self._files = self._scan()
        self._position = 0
        self._good_this_pass = 0
        self._ended = False
        self._due = self.clock()
        self._open = True

    def close(self) -> None:
        self._open = False
        self._files = []

    def read(self) -> Frame | None:
        if not self._open:
            raise FrameSourceError(f"camera {self.settings.name}: folder source is not open")
        if self._ended:
            return None
        now = self.clock()
        if self.realtime and now < self._due:
            return None
        while True:
            if self._position >= len(self._files):
                if not self.settings.loop:
                    self._ended = True
                    return None
                if self._good_this_pass == 0:
                    raise FrameSourceError(
                        f"camera {self.settings.name}: no image in {self.path} can be read"
                    )
                # rescanned, so pictures added or removed while playing are noticed
                self._files = self._scan()
                self._position = 0
                self._good_this_pass = 0
            path = self._files[self._position]
            self._position += 1
            image = self._load(path)
            if image is not None:
                break
        self._good_this_pass += 1
        self.current = path
        period = 1.0 / self.settings.fps
        # after a stall (a slow consumer) start afresh rather than rush to catch up
        self._due = max(self._due + period, now) if self.realtime else now
        frame = Frame(self.settings.name, image, self.clock(), self._index)
        self._index += 1
        return frame

    def _scan(self) -> list[Path]:
        if not self.path.is_dir():
            what = "is not a folder" if self.path.exists() else "does not exist"
            raise FrameSourceError(f"camera {self.settings.name}: {self.path} {what}")
        try:
            files = sorted(
                p
                for p in self.path.iterdir()
                if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
            )
        except OSError as exc:
            raise FrameSourceError(
                f"camera {self.settings.name}: cannot list {self.path} ({exc})"
            ) from exc
        if not files:
            kinds = ", ".join(s.lstrip(".") for s in IMAGE_SUFFIXES)
            raise FrameSourceError(
                f"camera {self.settings.name}: no images ({kinds}) in {self.path}"
            )
        return files

    def _load(self, path: Path) -> Image | None:
        import cv2

        problem = unusable_image(path)
        image = None
        if problem is None:
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:
                problem = "not an image OpenCV can decode"
        if problem is None:
            rgb, _ = conform(image, self.settings.width, self.settings.height, bgr=True)
            if rgb is not None:
                return rgb
            problem = "decoded to something that is not a picture"
        if not self.path.is_dir():
            # not a bad file: the whole folder went away (unmounted, removed)
            raise FrameSourceError(f"camera {self.settings.name}: {self.path} has gone")
        if path not in self._warned:
            self._warned.add(path)
            log.warning("camera %s: skipping %s: %s", self.settings.name, path, problem)
        return None


def unusable_image(path: Path) -> str | None:
    """Why a file is unusable before decoding, or None.

    libjpeg decodes a cut-off JPEG (a copy in progress, a full SD card) into a
    picture with a gray bottom and only a console warning, so the end marker is
    checked here; other formats fail to decode when cut.
    """
    try:
        with path.open("rb") as f:
            if path.suffix.lower() not in _JPEG_SUFFIXES:
                return None
            size = f.seek(0, 2)
            f.seek(max(0, size - _JPEG_TAIL))
            tail = f.read()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if _JPEG_END not in tail:
        return "truncated JPEG (no end marker)"
    return None
