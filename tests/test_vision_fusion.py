"""The camera's part of a turn, the cameras' config, and `homebrain eval` with pictures.

Scenes here are built by hand where the rule under test is fusion itself (which camera
speaks for a site, when a pointing hit is sure enough); the evaluation at the end runs
real photographs through the real landmark models.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from homebrain.cli.main import main
from homebrain.config.loader import ConfigError, load_config
from homebrain.turns import TurnContext
from homebrain.understanding.labels import VISION_LAYOUT
from homebrain.vision.fusion import turn_vision
from homebrain.vision.scene import Scene, SeenPerson
from homebrain.vision.service import on_schedule
from homebrain.vision.types import PointingHit

ROOT = Path(__file__).resolve().parent.parent
VISION_EVAL = ROOT / "tests" / "eval" / "vision.yaml"


def scene(camera: str, room: str | None, people: int = 1, **extra: Any) -> Scene:
    seen = [SeenPerson((0.1, 0.1, 0.4, 0.9), [], 0.9) for _ in range(people)]
    return Scene(camera, room, 100.0, seen, **extra)


def hit(entity: str, confidence: float) -> PointingHit:
    return PointingHit(entity, confidence, (0.2, 0.4), (0.6, -0.8))


def test_the_camera_in_the_sites_room_speaks_for_it() -> None:
    lounge = scene("lounge_cam", "living_room", pointing=hit("light.reading_lamp", 0.9))
    bedroom = scene("bed_cam", "bedroom", people=2)
    seen = turn_vision([bedroom, lounge], "living_room")
    assert seen.camera == "lounge_cam" and seen.pointing_at == "light.reading_lamp"
    assert seen.seen_room is None  # the site's own room is known
    assert seen.vision is not None and seen.vision["pointing_target"] == 1.0
    assert seen.vision["people_count"] == 0.25 and seen.vision["speaker_seen"] == 1.0


def test_an_unsure_pointing_hit_names_nothing() -> None:
    seen = turn_vision([scene("cam", "living_room", pointing=hit("light.x", 0.3))], "living_room")
    assert seen.pointing_at is None
    assert seen.vision is not None and seen.vision["pointing_confidence"] == 0.3


@pytest.mark.parametrize(
    ("scenes", "room"),
    [
        ([scene("a", "bedroom"), scene("b", "kitchen", people=0)], "bedroom"),
        ([scene("a", "bedroom"), scene("b", "kitchen")], None),  # two rooms: ambiguous
        ([scene("a", "bedroom", people=0)], None),  # no one seen
        ([], None),
    ],
)
def test_a_site_without_a_room_is_where_people_are_seen(
    scenes: list[Scene], room: str | None
) -> None:
    assert turn_vision(scenes, None).seen_room == room


def test_what_the_sender_said_is_kept() -> None:
    seen = turn_vision([scene("a", "bedroom", pointing=hit("light.bedroom", 1.0))], None)
    context = seen.apply(TurnContext("panel", pointing_at="fan.bedroom", extra={"x": 1}))
    assert context.pointing_at == "fan.bedroom"
    assert context.extra["seen_room"] == "bedroom" and context.extra["x"] == 1
    assert turn_vision([], "kitchen").apply(TurnContext("kitchen")) == TurnContext("kitchen")


def test_gestures_become_the_models_vision_entries() -> None:
    values = scene("a", "hall", gestures={"thumbs_up": 0.9, "none": 0.1}).vision_values()
    assert values["gesture_thumbs_up"] == 0.9 and values["gesture_open_palm"] == 0.0
    assert set(values) <= set(VISION_LAYOUT)


@pytest.mark.parametrize(
    ("schedule", "hour", "minute", "looks"),
    [
        ([], 3, 0, True),
        (["07:00-23:00"], 6, 59, False),
        (["07:00-23:00"], 7, 0, True),
        (["07:00-23:00"], 23, 0, False),
        (["22:00-06:00"], 23, 30, True),  # across midnight
        (["22:00-06:00"], 12, 0, False),
        (["08:00-09:00", "18:00-20:00"], 19, 0, True),
    ],
)
def test_camera_schedule(schedule: list[str], hour: int, minute: int, looks: bool) -> None:
    assert on_schedule(schedule, datetime(2026, 12, 5, hour, minute)) is looks


def demo_with(tmp_path: Path, camera: dict[str, Any]) -> Path:
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data["vision"] = {"cameras": {"cam": camera}}
    path = tmp_path / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("camera", "message"),
    [
        ({"source": {"type": "webcam"}}, "one of folder, opencv, picamera2"),
        ({"source": {"type": "folder", "path": "nowhere"}}, "'nowhere': no such directory"),
        ({"source": {"type": "folder"}}, "a folder source needs a path"),
        ({"source": {"type": "opencv"}}, "either a device (camera index) or a path"),
        ({"source": {"type": "opencv", "device": 0}, "room": "attic"}, "'attic' is not a room"),
        (
            {"source": {"type": "opencv", "device": 0}, "devices": {"light.lamp": [0.5, 0.5]}},
            "'light.lamp' is not a device",
        ),
        (
            {"source": {"type": "opencv", "device": 0}, "devices": {"light.bedroom": [0.5]}},
            "a point [x, y] or a box",
        ),
        (
            {"source": {"type": "opencv", "device": 0}, "zones": {"sofa": [0.5, 0.5, 0.2, 0.9]}},
            "x0 <= x1",
        ),
        (
            {"source": {"type": "opencv", "device": 0}, "zones": {"sofa": [0, 0, 1, 1.5]}},
            "between 0 and 1",
        ),
        ({"source": {"type": "opencv", "device": 0}, "schedule": ["7-23"]}, "'HH:MM-HH:MM'"),
        ({"source": {"type": "picamera2"}}, "apt install python3-picamera2"),  # not a Pi
    ],
)
def test_camera_config_errors_name_the_key(
    tmp_path: Path, camera: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(demo_with(tmp_path, camera))
    text = str(caught.value)
    assert message in text and "home.yaml" in text and "vision" in text and "cam" in text


def test_the_demo_config_has_a_working_camera_and_a_disabled_one() -> None:
    cameras = load_config(ROOT / "configs" / "demo.yaml").config.vision.cameras
    assert cameras["living_room_cam"].enabled and not cameras["bedroom_cam"].enabled
    assert (ROOT / "configs" / "frames" / "living_room").is_dir()


def test_eval_with_real_pictures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "--config", "configs/demo.yaml", str(VISION_EVAL), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["failures"] == [] and code == 0
    overall = report["overall"]
    assert overall["exact_match"] == 1.0 and overall["dialogues_passed"] == overall["dialogues"]
    assert overall["sentences"] >= 8 and overall["dialogues"] >= 3


def test_the_pictures_decide_those_turns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same file without its pictures fails: the camera, not luck, passed it."""
    data = yaml.safe_load(VISION_EVAL.read_text())
    contexts = [t.get("context") or {} for t in data["tests"]]
    contexts += [t.get("context") or {} for d in data["dialogues"] for t in d["turns"]]
    for context in contexts:
        context.pop("frame", None)
    for dialogue in data["dialogues"]:
        for turn in dialogue["turns"]:
            turn["say"] = turn["say"] or "hmm"
    blind = tmp_path / "blind.yaml"
    blind.write_text(yaml.safe_dump(data, sort_keys=False))
    main(["eval", "--config", "configs/demo.yaml", str(blind), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["exact_match"] <= 0.5
    assert report["overall"]["dialogues_passed"] < report["overall"]["dialogues"]


def test_a_missing_picture_is_a_clear_eval_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "tests:\n  - say: turn that on\n    context: {site: living_room, frame: nope.jpg}\n"
        "    expect: {light.reading_lamp: {state: 'on'}}\n"
    )
    assert main(["eval", "--config", "configs/demo.yaml", str(path)]) != 0
    err = capsys.readouterr()
    assert "context.frame: 'nope.jpg': no such file" in err.out + err.err


def test_camera_snapshot_draws_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap.png"
    picture = "/usr/share/doc/opencv-doc/examples/data/basketball1.png"
    args = ["camera", "snapshot", "-c", "configs/demo.yaml", "--camera", "living_room_cam"]
    assert main([*args, "--image", picture, "--out", str(out), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["pointing_at"]["entity"] == "light.reading_lamp"
    assert len(found["people"]) == 1 and found["people"][0]["zones"] == ["sofa"]
    import cv2

    drawn = cv2.imread(str(out))
    assert drawn is not None and drawn.shape[:2] == (480, 640)
    original = cv2.imread(picture)
    assert float(abs(drawn.astype(int) - original.astype(int)).mean()) > 1.0  # things drawn
    # from the camera itself (the demo's frame folder), and a camera that is not there
    assert main([*args, "--out", str(tmp_path / "live.jpg")]) == 0
    assert (tmp_path / "live.jpg").stat().st_size > 10_000
    assert main(["camera", "snapshot", "-c", "configs/demo.yaml", "--camera", "attic"]) == 2
    assert "no camera 'attic'" in capsys.readouterr().out


def test_a_clip_counts_a_gesture_only_when_it_is_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    palm = "/usr/share/doc/opencv-doc/opencv4/html/Back_Projection_Theory0.jpg"
    empty = "/usr/share/doc/opencv-doc/examples/data/fruits.jpg"

    def dialogue(frames: list[str], expect: str) -> dict[str, Any]:
        return {
            "name": " ".join(Path(f).stem for f in frames),
            "context": {"site": "living_room", "camera": "living_room_cam"},
            "turns": [
                {"say": "unlock the front door", "expect": "ask"},
                {"say": "", "context": {"frames": frames}, "expect": "none"},
                {"say": "yes", "expect": expect},
            ],
        }

    unlocked = {"lock.front_door": {"state": "unlocked"}}
    data = {
        "dialogues": [
            dialogue([palm, palm, palm], "none"),  # held: the question is cancelled
            dialogue([empty, palm, palm], "none"),  # held over the clip's last frames
            dialogue([palm, empty], unlocked),  # gone again: nothing answered, "yes" unlocks
            dialogue([empty, palm], unlocked),  # one frame is a glimpse, not a gesture
        ]
    }
    path = tmp_path / "clips.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert main(["eval", "--config", "configs/demo.yaml", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["dialogues_passed"] == 4, report["failures"]


def test_tiles_find_people_far_from_the_camera() -> None:
    """vtest.avi's pedestrians are too small for the detector on the whole frame."""
    import cv2

    from homebrain.config.schema import VisionConfig
    from homebrain.vision.analyser import FrameAnalyser

    video = cv2.VideoCapture("/usr/share/doc/opencv-doc/examples/data/vtest.avi")
    video.set(cv2.CAP_PROP_POS_FRAMES, 600)
    ok, frame = video.read()
    video.release()
    assert ok
    image = frame[:, :, ::-1].copy()
    assert FrameAnalyser(VisionConfig(hands=False)).detect(image).people == []
    assert len(FrameAnalyser(VisionConfig(hands=False, tiles=4)).detect(image).people) >= 2


def test_cameras_without_opencv_or_models_are_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Said when the config loads, not from a camera thread after the daemon started."""
    import sys

    import homebrain.vision.models as models

    camera = {"source": {"type": "opencv", "device": 0}, "room": "living_room"}
    config = demo_with(tmp_path, camera)
    load_config(config)  # installed here: fine
    monkeypatch.setattr(models, "mediapipe_dir", lambda: tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=r"pip install --no-deps mediapipe==0\.10\.18"):
        load_config(config)
    monkeypatch.setitem(sys.modules, "cv2", None)  # as in an install without the extra
    with pytest.raises(ConfigError, match=r"pip install 'homebrain\[vision\]'"):
        load_config(config)


@pytest.mark.parametrize(
    ("gesture", "unlocked"),
    [("gesture_thumbs_up", True), ("gesture_thumbs_down", False), ("gesture_open_palm", False)],
)
def test_a_gesture_answers_with_the_grammar_recogniser_too(gesture: str, unlocked: bool) -> None:
    """The grammar reads words only: a wordless gesture's meaning does not depend on it."""
    from fixture_homes import demo_home

    from homebrain.dialogue.manager import DialogueManager
    from homebrain.dialogue.responses import Responses
    from homebrain.understanding.matcher import Matcher

    home = demo_home()
    manager = DialogueManager(home, lambda e: {}, Responses(), matcher=Matcher(home))
    assert manager.handle("unlock the front door", TurnContext("living_room")).outcome == "ask"
    seen = TurnContext("living_room", extra={"vision": {gesture: 0.9, "gesture_none": 0.1}})
    decision = manager.handle("", seen)
    sent = {c.entity_id: dict(c.fields) for c in decision.commands}
    assert sent == ({"lock.front_door": {"state": "unlocked"}} if unlocked else {})
    assert manager.pending("living_room") is None
    # with no question pending, a gesture alone is not a turn
    assert manager.handle("", seen).outcome == "rejected"


@pytest.mark.parametrize(
    ("site", "message"),
    [
        ({"room": "kitchen", "rooms": ["kitchen", "hallway"]}, "either room or rooms"),
        ({"rooms": ["kitchen", "attic"]}, "'attic' is not a room"),
    ],
)
def test_open_plan_site_errors(tmp_path: Path, site: dict[str, Any], message: str) -> None:
    data = yaml.safe_load((ROOT / "configs" / "demo.yaml").read_text())
    data.pop("vision")
    data["sites"]["open_plan"] = site
    path = tmp_path / "home.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and "sites.open_plan.rooms" in str(caught.value)


def test_a_cut_off_picture_fails_its_test_not_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """libjpeg decodes a cut-off JPEG with a gray bottom and no error: the picture reader
    checks the end marker, as the folder camera does, so such a test fails and says why."""
    whole = (ROOT / "configs" / "frames" / "living_room" / "0001.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(whole[: len(whole) // 2])
    path = tmp_path / "cut.yaml"
    path.write_text(
        "tests:\n  - say: turn on the light\n"
        "    context: {site: panel, camera: living_room_cam, frame: cut.jpg}\n"
        "    expect: {light.reading_lamp: {state: 'on'}}\n"
        "  - say: turn on the kitchen light\n    expect: {light.kitchen_ceiling: {state: 'on'}}\n"
    )
    assert main(["eval", "--config", "configs/demo.yaml", str(path), "--json"]) != 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["sentences"] == 2 and report["overall"]["exact_match"] == 0.5
    (failure,) = report["failures"]
    assert "truncated JPEG" in json.dumps(failure)
