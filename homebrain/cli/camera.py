"""`homebrain camera snapshot`: one frame with what homebrain sees, for placing devices.

The picture shows the people and hands found, the configured zones and device marks,
and the pointing ray with the device it hits, so a user can check a mark by pointing
at the device and looking. It is written only where the user asks, on this machine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
from rich.table import Table

from homebrain.cli.common import console as make_console
from homebrain.cli.common import load_or_report
from homebrain.config.schema import CameraConfig

Image = npt.NDArray[np.uint8]


def snapshot(
    config: Path,
    camera: str | None,
    out: Path | None,
    image: Path | None,
    timeout: float,
    as_json: bool,
) -> int:
    loaded = load_or_report(config, with_model=False)
    if loaded is None:
        return 2
    cameras = loaded.config.vision.cameras
    if camera is None:
        if len(cameras) != 1 and image is None:
            names = ", ".join(cameras) or "none configured"
            print(f"which camera? --camera NAME (cameras in {config}: {names})")
            return 2
        camera = next(iter(cameras), "camera")
    if camera not in cameras and image is None:
        names = ", ".join(cameras) or "none configured"
        print(f"{config}: no camera {camera!r} under vision.cameras (cameras: {names})")
        return 2

    import cv2  # late: the camera extra

    from homebrain.vision.analyser import FrameAnalyser
    from homebrain.vision.draw import draw
    from homebrain.vision.frames_context import FrameError, read_image
    from homebrain.vision.models import ModelFileMissing

    picture: Image | None
    try:
        if image is not None:
            picture = read_image(image)
        else:
            picture = _grab(
                loaded.path.parent, camera, loaded.config.vision.cameras[camera], timeout
            )
    except (FrameError, OSError) as exc:
        print(f"camera {camera}: {exc}")
        return 1
    if picture is None:
        print(f"camera {camera}: no frame within {timeout:g} s (see the log above for why)")
        return 1
    analyser = FrameAnalyser(loaded.config.vision)
    view = analyser.view(camera)
    try:
        detections, scene = analyser.look(view, picture, time.time())
    except ModelFileMissing as exc:
        print(exc)
        return 1
    out = out or Path(f"snapshot-{camera}.jpg")
    out.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(out), draw(picture, view, detections, scene)):
        print(f"could not write {out} (use a .jpg or .png name)")
        return 1
    gesture, score = scene.gesture()
    summary = {
        "camera": camera,
        "room": scene.room,
        "snapshot": str(out),
        "size": [int(picture.shape[1]), int(picture.shape[0])],
        "people": [
            {"box": [round(v, 3) for v in p.box], "zones": p.zones, "score": round(p.score, 3)}
            for p in scene.people
        ],
        "hands": len(detections.hands),
        "gesture": {"name": gesture, "score": round(score, 3)},
        "pointing_at": None
        if scene.pointing is None
        else {
            "entity": scene.pointing.entity_id,
            "confidence": round(scene.pointing.confidence, 3),
        },
        "zones": scene.zones,
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return 0
    console = make_console()
    table = Table(title=f"camera {camera} ({scene.room or 'no room'})", show_header=False)
    table.add_row("snapshot", str(out))
    table.add_row("people", str(scene.count))
    for index, person in enumerate(scene.people):
        box = [round(v, 3) for v in person.box]
        table.add_row(f"  person {index + 1}", f"box {box} zones {person.zones}")
    table.add_row("hands", str(len(detections.hands)))
    table.add_row("gesture", f"{gesture} ({score:.2f})")
    hit = scene.pointing
    table.add_row("pointing at", f"{hit.entity_id} ({hit.confidence:.2f})" if hit else "nothing")
    for name, count in scene.zones.items():
        table.add_row(f"zone {name}", str(count))
    console.print(table)
    return 0


def _grab(base: Path, name: str, camera: CameraConfig, timeout: float) -> Image | None:
    """The first good frame from the camera's source (reconnecting as the daemon would)."""
    from homebrain.vision.reader import CameraReader
    from homebrain.vision.service import source_settings
    from homebrain.vision.sources import make_source

    reader = CameraReader(make_source(source_settings(name, camera, base)))
    try:
        frame = reader.next_frame(timeout=timeout)
    finally:
        reader.close()
    return None if frame is None else frame.image
