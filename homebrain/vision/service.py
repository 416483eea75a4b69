"""The daemon's eyes: one thread per camera, from frames to the latest scene of each.

Each camera thread reads its source (reconnecting, reporting a frozen stream), lets
the motion gate decide whether the landmark models run, and keeps the newest scene.
The daemon asks for fresh scenes when a turn comes in, hears about presence changes
(for the retained presence topic) and about gestures held while a question waits.

Privacy: frames stay in this process. Nothing is written unless a camera's
``debug_dir`` says so, and a camera that is disabled or outside its schedule is
closed, not merely ignored.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from homebrain.config.schema import CameraConfig, VisionConfig
from homebrain.understanding.labels import GESTURE_ANSWERS
from homebrain.vision.analyser import FrameAnalyser
from homebrain.vision.motion import MotionGate
from homebrain.vision.reader import CameraReader
from homebrain.vision.scene import Scene
from homebrain.vision.sources import CameraSourceSettings, FrameSource, make_source
from homebrain.vision.types import Frame

log = logging.getLogger("homebrain.vision")

# gestures that can answer a question on their own, and how sure and how long they must be
ANSWER_GESTURES = tuple(GESTURE_ANSWERS)
GESTURE_SCORE = 0.6
GESTURE_FRAMES = 2  # analysed frames in a row: one odd frame is not a gesture


def source_settings(name: str, camera: CameraConfig, base: Path) -> CameraSourceSettings:
    """The config's camera as the sources take it (paths relative to the config file)."""
    src = camera.source
    device: int | str = src.device if src.device is not None else 0
    if src.path is not None:
        device = src.path if "://" in src.path else str(base / src.path)
    return CameraSourceSettings(
        name, src.type, device, camera.width, camera.height, camera.fps, src.loop
    )


def daemon_source(settings: CameraSourceSettings) -> FrameSource:
    """Files are paced at the camera's fps, as a live camera would deliver them."""
    if settings.kind == "folder":
        from homebrain.vision.folder_source import FolderSource

        return FolderSource(settings, realtime=True)
    if settings.kind == "opencv" and isinstance(settings.device, str):
        from homebrain.vision.opencv_source import OpenCVSource, parse_device

        if parse_device(settings.device)[1] == "file":
            return OpenCVSource(settings, realtime=True)
    return make_source(settings)


def on_schedule(schedule: list[str], now: datetime) -> bool:
    """Whether local time ``now`` falls in one of the 'HH:MM-HH:MM' windows (none: always)."""
    if not schedule:
        return True
    minute = now.hour * 60 + now.minute
    for window in schedule:
        start_s, end_s = window.split("-")
        start = int(start_s[:-3]) * 60 + int(start_s[-2:])
        end = int(end_s[:-3]) * 60 + int(end_s[-2:])
        inside = start <= minute < end if start <= end else minute >= start or minute < end
        if inside:
            return True
    return False


@dataclass
class CameraStats:
    frames: int = 0
    analysed: int = 0
    analyse_seconds: float = 0.0  # time spent in the landmark models
    gate_seconds: float = 0.0  # time spent in the motion gate


class CameraWorker:
    """One camera's thread: read, gate, analyse, keep the latest scene."""

    def __init__(
        self,
        name: str,
        camera: CameraConfig,
        base: Path,
        analyser: FrameAnalyser,
        on_scene: Callable[[Scene], None],
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.name = name
        self.camera = camera
        self.settings = source_settings(name, camera, base)
        self.analyser = analyser
        self.view = analyser.views[name]
        self.on_scene = on_scene
        self.now = now
        self.debug_dir = None if camera.debug_dir is None else base / camera.debug_dir
        motion = camera.motion
        self.gate = (
            MotionGate(threshold=motion.threshold, sensitivity=motion.sensitivity, hold=motion.hold)
            if motion.enabled
            else None
        )
        self.reader: CameraReader | None = None
        self.latest: Scene | None = None
        self._analysis: Scene | None = None  # the last frame the models looked at
        self.active = False
        self.stats = CameraStats()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not (self.camera.enabled and on_schedule(self.camera.schedule, self.now())):
                    self._sleep_camera()
                    self._stop.wait(1.0)
                    continue
                self._wake_camera()
                assert self.reader is not None
                frame = self.reader.next_frame(timeout=0.5)
                if frame is not None:
                    self.step(frame)
                elif self.reader.status().state == "stopped":
                    # a finite source that ended, or an error no retry can fix (picamera2
                    # missing): said once, and the camera stays off until a reload
                    why = self.reader.status().last_error or "its source ended"
                    log.error("camera %s stopped: %s; it stays off until a reload", self.name, why)
                    return
        except Exception:  # a camera must never take the daemon down
            log.exception("camera %s failed", self.name)
        finally:
            self._sleep_camera()

    def _wake_camera(self) -> None:
        if self.reader is None:
            self.reader = CameraReader(daemon_source(self.settings))
            self.active = True
            log.info("camera %s on (%s %s)", self.name, self.settings.kind, self.settings.device)

    def _sleep_camera(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
            self._analysis = None
            if self.gate is not None:
                self.gate.reset()
            log.info("camera %s off", self.name)
        if self.active or self.latest is None:
            self.active = False
            self.latest = Scene(self.name, self.view.room, time.time(), analysed=False)
            self.on_scene(self.latest)

    def step(self, frame: Frame) -> Scene:
        """One frame: through the gate, and the models when something moved."""
        self.stats.frames += 1
        began = time.perf_counter()
        moving = self.gate is None or self.gate.check(frame).open
        self.stats.gate_seconds += time.perf_counter() - began
        if moving or self._analysis is None:
            began = time.perf_counter()
            scene = self.analyser.analyse(self.view, frame.image, frame.time)
            self.stats.analyse_seconds += time.perf_counter() - began
            self.stats.analysed += 1
            self._analysis = scene
            if self.debug_dir is not None:
                self._store(frame)
        else:  # a still room: the last analysis stands, only its time moves on
            last = self._analysis
            scene = Scene(
                last.camera, last.room, frame.time, last.people, last.zones, last.pointing,
                last.gestures, analysed=False,
            )  # fmt: skip
        self.latest = scene
        self.on_scene(scene)
        return scene

    def forget(self) -> None:
        """Drop what was seen (the next frame is analysed afresh, nothing speaks for a turn)."""
        self.latest = None
        self._analysis = None
        if self.gate is not None:
            self.gate.reset()

    def _store(self, frame: Frame) -> None:
        """debug_dir only: the analysed frame as a JPEG (never otherwise)."""
        import cv2

        assert self.debug_dir is not None
        self.debug_dir.mkdir(parents=True, exist_ok=True)
        path = self.debug_dir / f"{self.name}-{frame.index:06d}.jpg"
        cv2.imwrite(str(path), frame.image[:, :, ::-1])


class VisionService:
    """Every configured camera, the latest scene of each, and what changed."""

    def __init__(
        self,
        config: VisionConfig,
        base: Path,
        on_presence: Callable[[str, dict[str, Any]], None],
        on_gesture: Callable[[Scene, str], None],
    ) -> None:
        self.config = config
        self.analyser = FrameAnalyser(config)
        self.on_presence = on_presence
        self.on_gesture = on_gesture
        self.workers = {
            name: CameraWorker(name, camera, base, self.analyser, self._scene)
            for name, camera in config.cameras.items()
        }
        self._lock = threading.Lock()
        self._presence: dict[str, tuple[tuple[int, tuple[tuple[str, int], ...], bool], float]] = {}
        self._gesture_run: dict[str, tuple[str, int, bool]] = {}

    def start(self) -> None:
        for worker in self.workers.values():
            worker.start()

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()

    def scenes(self, now: float | None = None) -> list[Scene]:
        """The cameras' latest scenes that are fresh enough to speak for a turn."""
        now = time.time() if now is None else now
        latest = [
            w.latest
            for w in self.workers.values()
            if w.latest is not None and (w.active or w.latest.analysed)
        ]
        return [s for s in latest if now - s.time <= self.config.max_age]

    def forget(self, camera: str) -> None:
        """Drop what ``camera`` saw, a gesture held included (the hand went down)."""
        worker = self.workers.get(camera)
        if worker is not None:
            worker.forget()
        self._gesture_run.pop(camera, None)

    def zone_orders(self) -> dict[str, list[str]]:
        return {name: list(cam.zones) for name, cam in self.config.cameras.items()}

    def _scene(self, scene: Scene) -> None:
        """From a camera thread: presence changes and held gestures go to the daemon."""
        worker = self.workers.get(scene.camera)
        active = worker is not None and worker.active
        key = (scene.count, tuple(sorted(scene.zones.items())), active)
        with self._lock:
            previous = self._presence.get(scene.camera)
            changed = previous is None or previous[0] != key
            if changed:
                self._presence[scene.camera] = (key, scene.time)
            since = self._presence[scene.camera][1]
        if changed:
            payload = scene.presence(since)
            payload["active"] = active
            self.on_presence(scene.camera, payload)
        if scene.analysed:
            self._track_gesture(scene)

    def _track_gesture(self, scene: Scene) -> None:
        gesture, score = scene.gesture()
        if gesture not in ANSWER_GESTURES or score < GESTURE_SCORE:
            self._gesture_run.pop(scene.camera, None)
            return
        name, count, fired = self._gesture_run.get(scene.camera, (gesture, 0, False))
        if name != gesture:
            name, count, fired = gesture, 0, False
        count += 1
        if count >= GESTURE_FRAMES and not fired:
            fired = True  # once per gesture held: lower the hand to give another
            self.on_gesture(scene, gesture)
        self._gesture_run[scene.camera] = (name, count, fired)
