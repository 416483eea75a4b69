"""Camera sources, the motion gate and the reader, on real photographs and videos.

Only picamera2 is faked (it exists only on a Pi); the reader's misbehaving plugin is a
real ``FrameSource`` written here, and time runs on a test clock so backoff and
freezing take no wall time.
"""

from __future__ import annotations

import logging
import re
import shutil
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import pytest

cv2 = pytest.importorskip("cv2")

from homebrain.vision.folder_source import FolderSource  # noqa: E402
from homebrain.vision.motion import MotionGate, MotionResult  # noqa: E402
from homebrain.vision.opencv_source import OpenCVSource, parse_device  # noqa: E402
from homebrain.vision.picamera_source import PiCameraSource  # noqa: E402
from homebrain.vision.reader import CameraReader  # noqa: E402
from homebrain.vision.sources import (  # noqa: E402
    SOURCES,
    CameraSourceSettings,
    FrameSource,
    FrameSourceError,
    make_source,
    open_source,
)
from homebrain.vision.types import Frame  # noqa: E402

DATA = Path("/usr/share/doc/opencv-doc/examples/data")
pytestmark = pytest.mark.skipif(
    not (DATA / "vtest.avi").exists(), reason="needs OpenCV's sample data: apt install opencv-doc"
)

Image = npt.NDArray[np.uint8]


def grace_hopper() -> Path:
    from matplotlib import cbook

    return Path(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def bgr_to_rgb_at(path: Path, width: int, height: int) -> Image:
    """What a source should make of a photo, computed independently of the sources."""
    image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)


def close_pictures(a: Image, b: Image, tolerance: float = 4.0) -> bool:
    """Same picture, allowing for different resampling: compared as thumbnails."""
    small_a = cv2.resize(a, (64, 48), interpolation=cv2.INTER_AREA).astype(np.int16)
    small_b = cv2.resize(b, (64, 48), interpolation=cv2.INTER_AREA).astype(np.int16)
    return float(np.abs(small_a - small_b).mean()) < tolerance


class Clock:
    """Test time: ``sleep`` advances it and remembers how long each wait was."""

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.t += seconds


def settings(device: int | str, kind: str = "folder", **kw: Any) -> CameraSourceSettings:
    return CameraSourceSettings(name="hall", kind=kind, device=device, **kw)


def read_all(source: FrameSource, limit: int = 100) -> list[Frame]:
    frames = []
    for _ in range(limit):
        frame = source.read()
        if frame is None:
            break
        frames.append(frame)
    return frames


# --- folder -------------------------------------------------------------------------


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copy(DATA / "messi5.jpg", folder / "a_messi.jpg")
    fruits = (DATA / "fruits.jpg").read_bytes()
    (folder / "b_cut.jpg").write_bytes(fruits[: len(fruits) // 2])  # a copy interrupted
    shutil.copy(DATA / "fruits.jpg", folder / "c_fruits.JPG")
    (folder / "d_notes.png").write_text("not a picture at all\n")
    shutil.copy(grace_hopper(), folder / "e_grace.jpeg")
    red = np.zeros((24, 32, 3), np.uint8)
    red[:, :, 2] = 255  # BGR, as cv2.imwrite expects
    cv2.imwrite(str(folder / "f_red.png"), red)
    (folder / "readme.txt").write_text("ignored: not an image suffix")
    return folder


def test_folder_gives_rgb_frames_in_name_order_and_skips_broken_files(
    photos: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = FolderSource(settings(str(photos)))
    assert source.finite and not source.live
    source.open()
    names, frames = [], []
    with caplog.at_level(logging.WARNING):
        while (frame := source.read()) is not None:
            assert source.current is not None
            names.append(source.current.name)
            frames.append(frame)
    assert names == ["a_messi.jpg", "c_fruits.JPG", "e_grace.jpeg", "f_red.png"]
    assert source.ended
    assert [f.index for f in frames] == [0, 1, 2, 3]
    for frame, name in zip(frames, names, strict=True):
        assert frame.camera == "hall"
        assert frame.image.shape == (480, 640, 3) and frame.image.dtype == np.uint8
        if name != "f_red.png":
            assert close_pictures(frame.image, bgr_to_rgb_at(photos / name, 640, 480)), name
    red = frames[3].image
    assert (red[:, :, 0] == 255).all() and (red[:, :, 1:] == 0).all()  # R in channel 0
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "b_cut.jpg" in warned and "truncated" in warned
    assert "d_notes.png" in warned
    assert "a_messi" not in warned and "readme" not in warned


def test_folder_loops_and_paces_in_real_time(photos: Path) -> None:
    clock = Clock()
    source = FolderSource(settings(str(photos), loop=True, fps=5.0), realtime=True, clock=clock)
    source.open()
    seen = []
    for _ in range(12):
        assert source.read() is not None
        assert source.read() is None  # the next one is not due yet
        assert source.current is not None
        seen.append(source.current.name)
        clock.t += 0.2
    assert seen[:5] == ["a_messi.jpg", "c_fruits.JPG", "e_grace.jpeg", "f_red.png", "a_messi.jpg"]
    assert not source.ended and not source.finite


def test_folder_errors_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FrameSourceError, match=re.escape(str(missing))):
        open_source(settings(str(missing)))
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    with pytest.raises(FrameSourceError, match=r"no images.*empty"):
        open_source(settings(str(tmp_path / "empty")))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.png").write_text("nope")
    source = open_source(settings(str(bad), loop=True))
    with pytest.raises(FrameSourceError, match=r"no image .* can be read"):
        source.read()  # all broken and looping: an error, not an endless loop


# --- OpenCV ---------------------------------------------------------------------------


def test_opencv_reads_a_real_video_resized(tmp_path: Path) -> None:
    source = open_source(settings(str(DATA / "vtest.avi"), kind="opencv"))
    assert isinstance(source, OpenCVSource)
    assert not source.live and source.finite
    reference = cv2.VideoCapture(str(DATA / "vtest.avi"))
    try:
        for index in range(3):
            frame = source.read()
            assert frame is not None and frame.index == index
            assert frame.image.shape == (480, 640, 3)
            ok, original = reference.read()
            assert ok and original.shape == (576, 768, 3)
            expected = cv2.resize(cv2.cvtColor(original, cv2.COLOR_BGR2RGB), (640, 480))
            assert close_pictures(frame.image, expected, tolerance=2.0)
            swapped = expected[:, :, ::-1]
            assert not close_pictures(frame.image, swapped, tolerance=2.0)
    finally:
        reference.release()
        source.close()


COLOURS_BGR = [(0, 0, 255), (0, 255, 0), (255, 0, 0), (255, 255, 255)]
COLOURS_RGB = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]


def write_video(path: Path, colours: list[tuple[int, int, int]] = COLOURS_BGR) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (160, 120))
    assert writer.isOpened()
    for colour in colours:
        writer.write(np.full((120, 160, 3), colour, np.uint8))
    writer.release()
    return path


def colour_of(frame: Frame) -> tuple[int, int, int]:
    """The solid colour of a frame, rounded to 0 or 255 per channel (MJPG shifts a bit)."""
    mean = frame.image.reshape(-1, 3).mean(axis=0)
    assert (np.abs(frame.image.astype(np.int16) - mean).max(axis=(0, 1)) < 40).all()
    r, g, b = (255 if v > 127 else 0 for v in mean)
    return r, g, b


@pytest.mark.parametrize("loop", [False, True])
def test_opencv_video_file_ends_or_loops(tmp_path: Path, loop: bool) -> None:
    video = write_video(tmp_path / "colours.avi")
    source = open_source(settings(str(video), kind="opencv", width=320, height=240, loop=loop))
    frames = read_all(source, limit=10)
    assert all(f.image.shape == (240, 320, 3) for f in frames)
    colours = [colour_of(f) for f in frames]
    if loop:
        assert colours == (COLOURS_RGB * 3)[:10]
        assert not source.ended
    else:
        assert colours == COLOURS_RGB
        assert source.ended and source.read() is None
    source.close()


def test_opencv_device_kinds_and_errors(tmp_path: Path) -> None:
    assert parse_device(0) == (0, "index")
    assert parse_device("2") == (2, "index")
    assert parse_device("/dev/video0") == ("/dev/video0", "device")
    assert parse_device("rtsp://cam.local:554/stream1") == (
        "rtsp://cam.local:554/stream1",
        "stream",
    )
    assert parse_device(str(tmp_path / "a.mp4")) == (str(tmp_path / "a.mp4"), "file")
    assert OpenCVSource(settings("rtsp://cam.local/s", kind="opencv")).live
    missing = tmp_path / "gone.avi"
    with pytest.raises(FrameSourceError, match=r"gone.avi.*no such video file"):
        open_source(settings(str(missing), kind="opencv"))
    (tmp_path / "text.avi").write_text("not a video")
    with pytest.raises(FrameSourceError, match="cannot open"):
        open_source(settings(str(tmp_path / "text.avi"), kind="opencv"))


def test_registry_names_the_kinds() -> None:
    assert set(SOURCES) == {"picamera2", "opencv", "folder"}
    assert isinstance(make_source(settings("/x", kind="opencv")), OpenCVSource)
    with pytest.raises(FrameSourceError, match=r"unknown source kind 'webcam'.*folder") as err:
        make_source(settings(0, kind="webcam"))
    assert err.value.permanent
    with pytest.raises(ValueError, match="fps"):
        settings(0, fps=0)


# --- picamera2 --------------------------------------------------------------------------


class FakePicamera2:
    """picamera2's interface as the source uses it; capture_array gives BGR, as the
    real "RGB888" format does: left half blue, right half red."""

    instances: ClassVar[list[FakePicamera2]] = []

    def __init__(self, camera_num: int = 0) -> None:
        self.camera_num = camera_num
        self.calls: list[str] = []
        self.config: dict[str, Any] = {}
        self.fail_capture = False
        FakePicamera2.instances.append(self)

    def create_video_configuration(self, **kw: Any) -> dict[str, Any]:
        return {"video": kw}

    def configure(self, config: dict[str, Any]) -> None:
        self.config = config["video"]
        self.calls.append("configure")

    def start(self) -> None:
        self.calls.append("start")

    def capture_array(self, name: str = "main") -> Image:
        if self.fail_capture:
            raise RuntimeError("Camera frontend has timed out!")
        assert name == "main"
        w, h = self.config["main"]["size"]
        image = np.zeros((h, w, 3), np.uint8)
        image[:, : w // 2, 0] = 255  # B
        image[:, w // 2 :, 2] = 255  # R
        return image

    def stop(self) -> None:
        self.calls.append("stop")

    def close(self) -> None:
        self.calls.append("close")


@pytest.fixture
def fake_picamera2(monkeypatch: pytest.MonkeyPatch) -> type[FakePicamera2]:
    module = types.ModuleType("picamera2")
    module.Picamera2 = FakePicamera2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "picamera2", module)
    FakePicamera2.instances = []
    return FakePicamera2


def test_picamera2_frames_come_out_rgb(fake_picamera2: type[FakePicamera2]) -> None:
    source = open_source(settings("1", kind="picamera2", width=320, height=240, fps=4.0))
    assert isinstance(source, PiCameraSource) and source.live and not source.finite
    (camera,) = fake_picamera2.instances
    assert camera.camera_num == 1
    assert camera.config["main"] == {"size": (320, 240), "format": "RGB888"}
    assert camera.config["controls"]["FrameDurationLimits"] == (250_000, 250_000)
    assert camera.calls == ["configure", "start"]
    frame = source.read()
    assert frame is not None and frame.image.shape == (240, 320, 3)
    assert tuple(frame.image[10, 10]) == (0, 0, 255)  # was blue in BGR: blue in RGB
    assert tuple(frame.image[10, 300]) == (255, 0, 0)  # red
    camera.fail_capture = True
    with pytest.raises(FrameSourceError, match=r"capture failed.*timed out"):
        source.read()
    source.close()
    source.close()
    assert camera.calls == ["configure", "start", "stop", "close"]


def test_picamera2_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "picamera2", None)  # import fails, as off a Pi
    with pytest.raises(FrameSourceError, match="apt install python3-picamera2") as err:
        open_source(settings(0, kind="picamera2"))
    assert "system-site-packages" in str(err.value) and err.value.permanent
    reader = CameraReader(make_source(settings(0, kind="picamera2")))
    assert reader.next_frame(timeout=1) is None  # no retrying what cannot be fixed
    status = reader.status()
    assert status.state == "stopped" and "python3-picamera2" in (status.last_error or "")


# --- motion gate ----------------------------------------------------------------------


def noisy(image: Image, rng: np.random.Generator, sigma: float = 3.0) -> Image:
    noise = rng.normal(0, sigma, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


@pytest.fixture
def room() -> Image:
    return bgr_to_rgb_at(grace_hopper(), 640, 480)


@pytest.fixture
def person() -> Image:
    player = cv2.cvtColor(cv2.imread(str(DATA / "messi5.jpg")), cv2.COLOR_BGR2RGB)
    return player[55:335, 160:340]  # 180×280: the player, some crowd around him


def with_person(room: Image, person: Image, x: int) -> Image:
    image = room.copy()
    h, w = person.shape[:2]
    image[100 : 100 + h, x : x + w] = person
    return image


def test_still_noisy_room_is_not_motion(room: Image) -> None:
    rng = np.random.default_rng(1)
    gate = MotionGate(hold=2.0)
    results = [gate.check(Frame("c", noisy(room, rng), t * 0.2, t)) for t in range(20)]
    assert results[0].moved and results[0].open  # the first frame always counts
    assert not any(r.moved for r in results[1:])
    assert max(r.score for r in results[1:]) < 0.001
    # the first frame's "motion" holds the gate open for 2 s, then it closes
    assert [r.open for r in results] == [t * 0.2 <= 2.0 + 1e-9 for t in range(20)]


def test_moving_person_is_motion_where_they_are(room: Image, person: Image) -> None:
    rng = np.random.default_rng(2)
    gate = MotionGate()
    gate.check(Frame("c", noisy(room, rng), 0.0))
    results: list[MotionResult] = []
    for step in range(1, 8):
        x = 40 + step * 30
        results.append(gate.check(Frame("c", noisy(with_person(room, person, x), rng), step * 0.2)))
        assert results[-1].moved and results[-1].open
        assert results[-1].score > 0.01
        # some box covers the person's middle (normalised coordinates)
        cx, cy = (x + 90) / 640, (100 + 140) / 480
        assert any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in results[-1].boxes)
    assert all(0 <= v <= 1 for r in results for b in r.boxes for v in b)


def test_gate_holds_open_after_the_person_stops(room: Image, person: Image) -> None:
    rng = np.random.default_rng(3)
    gate = MotionGate(hold=2.0)
    times = [i * 0.2 for i in range(40)]
    results = []
    for i, t in enumerate(times):
        x = 40 + min(i, 5) * 30  # walks for a second, then stands still
        image = noisy(with_person(room, person, x), rng)
        results.append(gate.check(Frame("c", image, t)))
    moved_at = [t for t, r in zip(times, results, strict=True) if r.moved]
    last_motion = max(moved_at)
    assert last_motion < 3.0  # the background absorbs the standing person
    assert not any(r.moved for t, r in zip(times, results, strict=True) if t > last_motion)
    for t, r in zip(times, results, strict=True):
        assert r.open == (t - last_motion <= 2.0 + 1e-9), t
    assert results[-1].open is False


def test_lights_switched_on_count_once() -> None:
    rng = np.random.default_rng(4)
    lit = bgr_to_rgb_at(DATA / "messi5.jpg", 640, 480)
    dark = (lit * 0.3).astype(np.uint8)
    gate = MotionGate(hold=0.0)
    gate.check(Frame("c", noisy(dark, rng), 0.0))
    assert not gate.check(Frame("c", noisy(dark, rng), 0.2)).moved
    assert gate.check(Frame("c", noisy(lit, rng), 0.4)).moved
    assert not gate.check(Frame("c", noisy(lit, rng), 0.6)).moved  # background restarted
    gate.reset()
    assert gate.check(Frame("c", noisy(lit, rng), 0.8)).moved


def test_pedestrians_in_a_real_video_move() -> None:
    source = open_source(settings(str(DATA / "vtest.avi"), kind="opencv"))
    gate = MotionGate()
    try:
        results = [gate.check(f) for f in read_all(source, limit=12)]
    finally:
        source.close()
    assert len(results) == 12 and all(r.moved for r in results)
    assert all(r.boxes for r in results[1:])


# --- reader ---------------------------------------------------------------------------


def two_photo_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cam"
    folder.mkdir()
    shutil.copy(DATA / "messi5.jpg", folder / "1.jpg")
    shutil.copy(DATA / "fruits.jpg", folder / "2.jpg")
    return folder


def test_reader_reconnects_with_backoff_when_the_folder_goes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = two_photo_folder(tmp_path)
    clock = Clock()
    source = FolderSource(settings(str(folder), loop=True))
    reader = CameraReader(source, clock=clock, sleep=clock.sleep, backoff=0.5, backoff_max=4.0)
    for index in range(3):
        frame = reader.next_frame(timeout=1)
        assert frame is not None and frame.index == index
    assert reader.status().state == "ok"

    folder.rename(tmp_path / "away")
    with caplog.at_level(logging.WARNING):
        assert reader.next_frame(timeout=12) is None
    assert clock.sleeps[:5] == [0.5, 1.0, 2.0, 4.0, 4.0]
    status = reader.status()
    assert status.state == "reconnecting" and status.errors >= 5
    assert str(folder) in (status.last_error or "")
    assert "retrying in 2.0 s" in caplog.text

    (tmp_path / "away").rename(folder)
    frame = reader.next_frame(timeout=10)
    assert frame is not None and frame.index == 3  # numbering runs on
    assert reader.status().state == "ok" and reader.status().frames == 4

    clock.sleeps.clear()
    folder.rename(tmp_path / "away")
    reader.next_frame(timeout=1)
    assert clock.sleeps[0] == 0.5  # backoff started again once frames flowed


def test_reader_survives_a_video_file_that_is_moved_away(tmp_path: Path) -> None:
    video = write_video(tmp_path / "cam.avi")
    clock = Clock()
    reader = CameraReader(
        OpenCVSource(settings(str(video), kind="opencv", loop=True)),
        clock=clock,
        sleep=clock.sleep,
    )
    first = reader.next_frame(timeout=1)
    assert first is not None and colour_of(first) == COLOURS_RGB[0]
    video.rename(tmp_path / "elsewhere.avi")
    # the open file plays to its end; starting it again fails
    got = []
    while (frame := reader.next_frame(timeout=3)) is not None:
        got.append(frame)
    assert len(got) == 3
    status = reader.status()
    assert status.state == "reconnecting" and "no such video file" in (status.last_error or "")
    (tmp_path / "elsewhere.avi").rename(video)
    frame = reader.next_frame(timeout=30)
    assert frame is not None and colour_of(frame) == COLOURS_RGB[0]  # from the start
    assert reader.status().state == "ok"


def test_reader_notices_a_frozen_picture(
    tmp_path: Path, room: Image, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "stuck"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.png"), cv2.cvtColor(room, cv2.COLOR_RGB2BGR))
    clock = Clock()
    reader = CameraReader(
        FolderSource(settings(str(folder), loop=True)),
        frozen_after=10.0,
        clock=clock,
        sleep=clock.sleep,
    )
    delivered = []
    with caplog.at_level(logging.WARNING):
        for _ in range(80):  # 40 s of test time
            frame = reader.next_frame(timeout=0)
            delivered.append(frame is not None)
            clock.t += 0.5
    status = reader.status()
    assert status.frozen and status.state == "frozen"
    assert "unchanged" in (status.last_error or "")
    assert delivered[:20] == [True] * 20  # 10 s of it could be a still scene
    assert not any(delivered[22:])  # then a stale picture is not handed on
    frozen_warnings = [r for r in caplog.records if "unchanged" in r.getMessage()]
    assert len(frozen_warnings) == 1  # once, though it was reopened several times

    cv2.imwrite(str(folder / "b.png"), cv2.cvtColor(room[::-1], cv2.COLOR_RGB2BGR))
    frames = [reader.next_frame(timeout=2) for _ in range(3)]
    assert any(f is not None for f in frames)
    assert not reader.status().frozen and reader.status().state == "ok"


class ScriptedSource:
    """A plugin that misbehaves in the ways the reader must absorb: each item is an
    image to wrap in a Frame, an exception to raise, or anything else to return."""

    def __init__(
        self,
        script: list[object],
        *,
        live: bool = False,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.settings = CameraSourceSettings("plugin", "scripted", 0, 64, 48, 5.0)
        self.script = list(script)
        self.live = live
        self.finite = True
        self.ended = False
        self.clock = clock or (lambda: 0.0)
        self.opens = 0
        self.fail_opens = 0

    def open(self) -> None:
        if self.fail_opens:
            self.fail_opens -= 1
            raise ValueError("plugin could not start")
        self.opens += 1

    def close(self) -> None:
        pass

    def read(self) -> Frame | None:
        if not self.script:
            self.ended = True
            return None
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, np.ndarray):
            return Frame("plugin", item, self.clock())
        return item  # type: ignore[return-value]


def test_reader_repairs_or_skips_bad_frames_and_never_raises(
    room: Image, caplog: pytest.LogCaptureFixture
) -> None:
    rng = np.random.default_rng(5)
    good = [cv2.resize(noisy(room, rng), (64, 48)) for _ in range(4)]
    script: list[object] = [
        good[0],
        cv2.cvtColor(good[1], cv2.COLOR_RGB2GRAY),  # gray
        np.zeros((0, 0, 3), np.uint8),  # empty: skipped
        good[2].astype(np.float32) / 255,  # floats 0-1
        "garbage",  # not a Frame: skipped
        np.dstack([good[3], np.full((48, 64), 255, np.uint8)]),  # RGBA
        cv2.resize(good[0], (640, 480)),  # wrong size
        np.zeros((48, 64, 5), np.uint8),  # 5 channels: skipped
        RuntimeError("USB hiccup"),  # a read that fails: reopened after backoff
        good[1].astype(np.uint16) * 257,  # 16-bit
    ]
    source = ScriptedSource(script)
    source.fail_opens = 1
    clock = Clock()
    reader = CameraReader(source, clock=clock, sleep=clock.sleep)
    with caplog.at_level(logging.WARNING):
        frames = list(reader)
    assert len(frames) == 6
    for frame in frames:
        assert frame.image.shape == (48, 64, 3) and frame.image.dtype == np.uint8
        assert frame.camera == "plugin"
    assert [f.index for f in frames] == list(range(6))
    assert np.array_equal(frames[1].image[:, :, 0], frames[1].image[:, :, 2])  # gray kept
    assert np.abs(frames[2].image.astype(int) - good[2]).max() <= 1  # floats scaled back
    assert np.array_equal(frames[3].image, good[3])  # alpha dropped
    assert np.array_equal(frames[5].image, good[1])  # 16-bit scaled back
    status = reader.status()
    assert status.skipped == 3 and status.errors == 2 and status.state == "stopped"
    assert source.opens == 2
    text = caplog.text
    for expected in ("gray → RGB", "4 channels → RGB", "640×480 → 64×48", "empty image"):
        assert expected in text
    assert "plugin could not start" in text and "USB hiccup" in text


def test_reader_throttles_a_live_source_to_its_fps(room: Image) -> None:
    clock = Clock()
    rng = np.random.default_rng(6)
    small = cv2.resize(room, (64, 48))

    class ThirtyFps(ScriptedSource):
        def read(self) -> Frame | None:
            clock.t += 1 / 30  # blocks until the camera's next frame, as devices do
            return Frame("plugin", noisy(small, rng, 2.0), clock())

    reader = CameraReader(ThirtyFps([], live=True), clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(20):
        frame = reader.next_frame(timeout=1)
        assert frame is not None
        times.append(frame.time)
    gaps = np.diff(times)
    assert gaps.min() >= 0.15 and gaps.max() <= 0.24
    assert abs(gaps.mean() - 0.2) < 0.01  # 5 fps on average, no drift


def test_reader_stops_at_the_end_of_a_finite_source(photos: Path) -> None:
    reader = CameraReader(FolderSource(settings(str(photos))))
    frames = list(reader)
    assert len(frames) == 4
    assert reader.status().state == "stopped" and reader.status().frames == 4
    assert reader.next_frame(timeout=0) is None
