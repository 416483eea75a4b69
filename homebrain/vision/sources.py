"""Where camera frames come from, behind one interface: a Pi camera, OpenCV, a folder.

Every source hands out ``Frame`` s of RGB uint8 at the configured size, whatever the
device delivers, so the motion gate and the landmark models never see a colour order,
a stride or a resolution. Sources register by kind (``SOURCES``), as the config names
them, and are built from a plain ``CameraSourceSettings`` so the config schema stays
the only place that knows about YAML.

The contract of ``read()``, which ``CameraReader`` relies on:

* a ``Frame``: a new picture;
* ``None``: nothing new right now (a paced source not yet due, a live device with
  nothing ready, a skipped unreadable image) — ask again later; once a finite source
  has run out, ``read()`` returns ``None`` and ``ended`` turns ``True``;
* ``FrameSourceError``: the source is gone or broken (device unplugged, stream cut,
  folder removed); it may come back after ``close()`` and ``open()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from homebrain.vision.types import Frame

Image = npt.NDArray[np.uint8]


class FrameSourceError(Exception):
    """A camera cannot be opened or read; the message names the camera and the cause.

    ``permanent`` marks errors that retrying cannot fix (a missing module, an unknown
    kind), so a reader stops instead of retrying forever.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class CameraSourceSettings:
    """What one camera's config says about where its pictures come from.

    ``device`` depends on ``kind``: for "opencv" a device index (0), "/dev/video0", an
    RTSP/HTTP URL or a video file; for "folder" a directory of images; for "picamera2"
    the camera number. ``loop`` starts a folder or video file again at its end.
    """

    name: str
    kind: str
    device: int | str = 0
    width: int = 640
    height: int = 480
    fps: float = 5.0
    loop: bool = False

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"camera {self.name}: size {self.width}×{self.height} is not valid")
        if not self.fps > 0:
            raise ValueError(f"camera {self.name}: fps must be above 0, not {self.fps}")


class FrameSource(Protocol):
    """A camera: see the module docstring for what ``read()`` promises."""

    settings: CameraSourceSettings

    @property
    def live(self) -> bool:
        """True for a device or stream that makes frames at its own pace (throttled by
        the reader); False for files, which give a frame whenever asked."""
        ...

    @property
    def finite(self) -> bool:
        """True when the source can run out (a folder or video file without ``loop``)."""
        ...

    @property
    def ended(self) -> bool:
        """True once a finite source has given its last frame."""
        ...

    def open(self) -> None:
        """Acquire the device; does nothing when already open. Raises FrameSourceError."""
        ...

    def read(self) -> Frame | None: ...

    def close(self) -> None:
        """Release the device; safe to call twice, and the source can be opened again."""
        ...


SourceFactory = Callable[[CameraSourceSettings], FrameSource]


def _picamera2(settings: CameraSourceSettings) -> FrameSource:
    from homebrain.vision.picamera_source import PiCameraSource

    return PiCameraSource(settings)


def _opencv(settings: CameraSourceSettings) -> FrameSource:
    from homebrain.vision.opencv_source import OpenCVSource

    return OpenCVSource(settings)


def _folder(settings: CameraSourceSettings) -> FrameSource:
    from homebrain.vision.folder_source import FolderSource

    return FolderSource(settings)


# the factories import their module lazily: picamera2 exists only on a Pi, and a
# daemon without cameras should not pay for importing OpenCV
SOURCES: dict[str, SourceFactory] = {
    "picamera2": _picamera2,
    "opencv": _opencv,
    "folder": _folder,
}


def make_source(settings: CameraSourceSettings) -> FrameSource:
    """The source for ``settings``, not yet opened (``CameraReader`` opens it, and
    keeps retrying while the camera is missing)."""
    factory = SOURCES.get(settings.kind)
    if factory is None:
        known = ", ".join(sorted(SOURCES))
        raise FrameSourceError(
            f"camera {settings.name}: unknown source kind {settings.kind!r} (known: {known})",
            permanent=True,
        )
    return factory(settings)


def open_source(settings: CameraSourceSettings) -> FrameSource:
    """The source for ``settings``, opened: FrameSourceError says why it could not be."""
    source = make_source(settings)
    source.open()
    return source


def conform(
    image: object, width: int, height: int, *, bgr: bool = False
) -> tuple[Image | None, list[str]]:
    """``image`` as contiguous RGB uint8 ``height``×``width``×3, and what had to change.

    Sources and plugins deliver what their device gives (gray, BGRA, 16-bit, another
    size); converting in one place keeps every later stage free of such checks. Returns
    ``None`` (with the reason) for something that is not a picture at all. ``bgr`` says
    the colour channels arrive in OpenCV's blue-green-red order.
    """
    import cv2

    notes: list[str] = []
    if not isinstance(image, np.ndarray):
        return None, [f"not an image array but {type(image).__name__}"]
    if image.size == 0:
        return None, [f"empty image {image.shape}"]
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        return None, [f"shape {image.shape} is not a picture (H×W, H×W×3 or H×W×4)"]
    if image.dtype != np.uint8:
        converted = _to_uint8(image)
        if converted is None:
            return None, [f"pixel type {image.dtype} is not a picture"]
        notes.append(f"{image.dtype} pixels → uint8")
        image = converted
    if image.ndim == 2:
        notes.append("gray → RGB")
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    elif image.shape[2] == 4:
        notes.append("4 channels → RGB")
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB if bgr else cv2.COLOR_RGBA2RGB)
    elif bgr:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    h, w = image.shape[:2]
    if (w, h) != (width, height):
        notes.append(f"{w}×{h} → {width}×{height}")
        # stretched, not letterboxed: marks and zones are normalised to the whole picture
        shrink = w * h > width * height
        interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
        image = cv2.resize(image, (width, height), interpolation=interpolation)
    return np.ascontiguousarray(image, dtype=np.uint8), notes


def _to_uint8(image: np.ndarray) -> Image | None:
    """Wider pixel types scaled into 0-255 (16-bit sensors, float pipelines)."""
    if image.dtype == np.bool_:
        return image.astype(np.uint8) * np.uint8(255)
    if image.dtype == np.uint16:
        return (image >> 8).astype(np.uint8)
    if np.issubdtype(image.dtype, np.floating):
        values = np.nan_to_num(image.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        if values.max(initial=0.0) <= 1.0:  # floats in 0-1, as most libraries use
            values = values * 255.0
        return np.clip(np.rint(values), 0, 255).astype(np.uint8)
    if np.issubdtype(image.dtype, np.integer):
        return np.clip(image, 0, 255).astype(np.uint8)
    return None
