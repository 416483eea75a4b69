"""The landmark models on real photographs (MediaPipe's .tflite files, no mocks).

Expected positions were measured by eye on each picture (pixels in the original file)
and are kept loose: they check that the right thing is found in the right place, not
the models' exact output. Pictures: matplotlib's grace_hopper.jpg and the Debian
opencv-doc examples (messi5.jpg, basketball1/2.png, vtest.avi, fruits.jpg, baboon.jpg).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

cv2 = pytest.importorskip("cv2")

from homebrain.vision.anchors import (  # noqa: E402
    PALM_ANCHORS,
    POSE_ANCHORS,
    RawDetection,
    Roi,
    ssd_anchors,
    weighted_nms,
)
from homebrain.vision.hands import HandLandmarker  # noqa: E402
from homebrain.vision.landmarker import Landmarker, as_rgb  # noqa: E402
from homebrain.vision.models import (  # noqa: E402
    HAND_LANDMARK,
    PALM_DETECTION,
    POSE_DETECTION,
    POSE_LANDMARK,
    ModelFileMissing,
    mediapipe_dir,
    model_path,
)
from homebrain.vision.types import Detections, Hand, Person  # noqa: E402

OPENCV_DATA = Path("/usr/share/doc/opencv-doc/examples/data")
ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "fixtures" / "vision" / "recorded_landmarks.json"

Image = npt.NDArray[np.uint8]
PixelBox = tuple[float, float, float, float]

if mediapipe_dir() is None:
    pytest.skip("mediapipe's model files are not installed", allow_module_level=True)


def grace_hopper_path() -> Path:
    import matplotlib.cbook

    return Path(matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def read(path: Path) -> Image:
    if not path.exists():
        pytest.skip(f"{path} not installed (Debian package opencv-doc)")
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert bgr is not None, path
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def video_frame(path: Path, index: int) -> Image:
    if not path.exists():
        pytest.skip(f"{path} not installed (Debian package opencv-doc)")
    capture = cv2.VideoCapture(str(path))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, bgr = capture.read()
    capture.release()
    assert ok, f"cannot read frame {index} of {path}"
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


@pytest.fixture(scope="module")
def landmarker() -> Iterator[Landmarker]:
    yield Landmarker(threads=1)


@pytest.fixture(scope="module")
def far_landmarker() -> Iterator[Landmarker]:
    """Bodies only, with the detector also run on a 4x4 grid of parts of the frame."""
    yield Landmarker(threads=1, hands=False, max_people=8, tiles=4)


@pytest.fixture(scope="module")
def messi(landmarker: Landmarker) -> tuple[Image, Detections]:
    image = read(OPENCV_DATA / "messi5.jpg")
    return image, landmarker.detect(image)


def px(image: Image, person_or_hand: Person | Hand, index: int) -> tuple[float, float]:
    """One landmark in the picture's pixels."""
    x, y = person_or_hand.landmarks[index, :2]
    return float(x) * image.shape[1], float(y) * image.shape[0]


def inside(point: tuple[float, float], box: PixelBox, slack: float = 0.0) -> bool:
    x, y = point
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def box_px(image: Image, box: tuple[float, float, float, float]) -> PixelBox:
    w, h = image.shape[1], image.shape[0]
    return (box[0] * w, box[1] * h, box[2] * w, box[3] * h)


def check_person(image: Image, person: Person) -> None:
    """What holds for any person found: shapes, ranges, a box around the head."""
    assert person.landmarks.shape == (33, 4)
    assert person.landmarks.dtype == np.float32
    assert np.all(np.isfinite(person.landmarks))
    assert np.all((person.landmarks[:, 3] >= 0) & (person.landmarks[:, 3] <= 1))
    assert 0.5 <= person.score <= 1.0
    x0, y0, x1, y1 = person.box
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    assert inside(px(image, person, 0), box_px(image, person.box), slack=1)


def check_hand(hand: Hand) -> None:
    assert hand.landmarks.shape == (21, 3)
    assert hand.landmarks.dtype == np.float32
    assert np.all(np.isfinite(hand.landmarks))
    assert hand.handedness in ("left", "right")
    assert 0.5 <= hand.score <= 1.0


def facing_camera(image: Image, person: Person) -> None:
    """Someone facing the camera has their left shoulder (11) on the picture's right,
    both shoulders below the nose."""
    nose, left, right = px(image, person, 0), px(image, person, 11), px(image, person, 12)
    assert left[0] > right[0]
    assert left[1] > nose[1] and right[1] > nose[1]


# ---- people -----------------------------------------------------------------------------


def test_grace_hopper_portrait(landmarker: Landmarker) -> None:
    image = read(grace_hopper_path())  # 512x600, head and shoulders
    found = landmarker.detect(image)
    assert len(found.people) == 1
    person = found.people[0]
    check_person(image, person)
    # nose tip measured at (262, 245); eyes at (218, 192) and (305, 190)
    assert inside(px(image, person, 0), (240, 222, 290, 268))
    assert px(image, person, 2)[0] > px(image, person, 5)[0]  # left eye on the right
    facing_camera(image, person)
    # her hands are out of the picture
    assert found.hands == []


def test_messi_body(messi: tuple[Image, Detections]) -> None:
    image, found = messi  # 548x342, one player kicking, arms spread
    assert len(found.people) == 1
    person = found.people[0]
    check_person(image, person)
    assert inside(px(image, person, 0), (222, 95, 272, 138))  # face at x 225-265, y 95-135
    facing_camera(image, person)
    # his left hand is out at the picture's right (350-390, 155-175), the right hand at
    # the left (70-105, 87-100)
    assert inside(px(image, person, 15), (330, 145, 395, 185))
    assert inside(px(image, person, 16), (65, 80, 125, 120))
    x0, y0, x1, y1 = box_px(image, person.box)
    assert x0 < 75 and x1 > 390 and y0 < 90 and y1 > 300  # hand to hand, hair to boots


def test_basketball_two_players(landmarker: Landmarker) -> None:
    image = read(OPENCV_DATA / "basketball2.png")  # 640x480, grey
    people = landmarker.detect(image).people
    assert len(people) == 2
    for person in people:
        check_person(image, person)
    left, right = sorted(people, key=lambda p: p.box[0])
    # facing us at the left, face x 75-110, y 90-135
    assert inside(px(image, left, 0), (72, 95, 118, 138))
    facing_camera(image, left)
    # the other player seen from behind-right at the right edge, face in profile
    assert inside(px(image, right, 0), (500, 65, 565, 130))
    assert box_px(image, left.box)[2] < 200 and box_px(image, right.box)[0] > 440


def test_basketball_player_facing_away_is_missed(landmarker: Landmarker) -> None:
    """basketball1.png shows two players, but the one at the right has his back and
    most of his face turned away; the body detector finds people by their faces."""
    image = read(OPENCV_DATA / "basketball1.png")
    people = landmarker.detect(image).people
    assert 1 <= len(people) <= 2
    player = min(people, key=lambda p: p.box[0])
    assert inside(px(image, player, 0), (72, 98, 115, 138))
    facing_camera(image, player)


# people seen far off in vtest.avi frame 600 (768x576), boxes measured by eye: the woman
# at the bottom, the man in the red jacket, the man at the right of the road, the man
# walking in the middle, the man at the far right, the man at the top left
VTEST_600_PEOPLE: list[PixelBox] = [
    (280, 430, 335, 576),
    (455, 300, 510, 420),
    (640, 305, 670, 412),
    (568, 198, 598, 288),
    (668, 208, 705, 296),
    (188, 145, 215, 214),
]


def test_street_pedestrians(far_landmarker: Landmarker) -> None:
    image = video_frame(OPENCV_DATA / "vtest.avi", 600)
    people = far_landmarker.detect(image).people
    assert len(people) >= 2
    matched: set[int] = set()
    for person in people:
        check_person(image, person)
        nose = px(image, person, 0)
        hits = [i for i, box in enumerate(VTEST_600_PEOPLE) if inside(nose, box, slack=8)]
        assert len(hits) == 1, f"nose at {nose} is on nobody"
        i = hits[0]
        assert i not in matched, "one pedestrian found twice"
        matched.add(i)
        x0, y0, x1, y1 = VTEST_600_PEOPLE[i]
        assert nose[1] < y0 + (y1 - y0) / 3  # the head is at the top
        bx0, by0, bx1, by1 = box_px(image, person.box)
        assert by1 - by0 > bx1 - bx0  # standing: taller than wide
        assert by1 - by0 < 2 * (y1 - y0)  # and about the pedestrian's size
        assert bx0 < (x0 + x1) / 2 < bx1


@pytest.mark.parametrize(
    "picture",
    ["fruits.jpg", "baboon.jpg", "grey", "noise", "dark"],
)
def test_no_people_in_pictures_without_any(landmarker: Landmarker, picture: str) -> None:
    if picture == "grey":
        image = np.full((480, 640, 3), 128, np.uint8)
    elif picture == "noise":
        image = np.random.default_rng(7).integers(0, 256, (480, 640, 3), dtype=np.uint8)
    elif picture == "dark":
        image = np.zeros((480, 640, 3), np.uint8)
    else:
        image = read(OPENCV_DATA / picture)  # a bowl of fruit; a baboon's face
    found = landmarker.detect(image)
    assert found.people == []
    assert found.hands == []


@pytest.mark.parametrize("picture", ["fruits.jpg", "baboon.jpg"])
def test_tiled_detector_sees_no_people_either(far_landmarker: Landmarker, picture: str) -> None:
    """A close-up of a part of a fruit bowl or a baboon looks face-like to the body
    detector; the grid must not turn that into people."""
    assert far_landmarker.detect(read(OPENCV_DATA / picture)).people == []


# ---- hands ------------------------------------------------------------------------------


def near_wrist(image: Image, hand: Hand, person: Person, side: str) -> bool:
    wrist = px(image, person, 15 if side == "left" else 16)
    hand_wrist = px(image, hand, 0)
    reach = max(box_px(image, hand.box)[2] - box_px(image, hand.box)[0], 20.0)
    return math.dist(wrist, hand_wrist) < reach


def test_messi_hands_at_his_wrists(messi: tuple[Image, Detections]) -> None:
    image, found = messi
    person = found.people[0]
    assert len(found.hands) == 2
    for hand in found.hands:
        check_hand(hand)
        assert near_wrist(image, hand, person, hand.handedness)
    by_side = {hand.handedness: hand for hand in found.hands}
    assert set(by_side) == {"left", "right"}
    # all 21 points on the hand measured by eye, a little slack for the fingertips
    for index in range(21):
        assert inside(px(image, by_side["left"], index), (335, 140, 400, 185))
        assert inside(px(image, by_side["right"], index), (60, 80, 115, 115))


def test_basketball_hand_on_the_ball(landmarker: Landmarker) -> None:
    image = read(OPENCV_DATA / "basketball1.png")
    found = landmarker.detect(image)
    player = min(found.people, key=lambda p: p.box[0])
    # his hands hold the ball at x 125-165, y 140-175
    hands = [h for h in found.hands if inside(px(image, h, 0), (115, 135, 175, 185))]
    assert hands
    for hand in hands:
        check_hand(hand)
        assert near_wrist(image, hand, player, hand.handedness)


def test_palm_detector_alone_finds_a_hand() -> None:
    """Without the pose stage only the palm detector looks: it sees Messi's open left
    hand (x 350-390, y 155-175), large enough in the 192-pixel view of the frame."""
    image = read(OPENCV_DATA / "messi5.jpg")
    found = Landmarker(pose=False).detect(image)
    assert found.people == []
    assert any(inside(px(image, h, 0), (330, 145, 395, 185)) for h in found.hands)
    for hand in found.hands:
        check_hand(hand)


@pytest.mark.parametrize("picture", ["fruits.jpg", "baboon.jpg"])
def test_no_hands_without_people(picture: str) -> None:
    image = read(OPENCV_DATA / picture)
    assert HandLandmarker().detect(image) == []


def test_recorded_hands_match_the_models(messi: tuple[Image, Detections]) -> None:
    """The recording (scripts/record_landmarks.py, used to build gesture data) is of
    real hands found by these models; re-running them on Messi gives the same hands."""
    document = json.loads(RECORDED.read_text())
    records = {r["image"]: r for r in document["images"]}
    assert records and all(r["hands"] for r in records.values())
    for record in records.values():
        for hand in record["hands"]:
            points = np.array(hand["landmarks"])
            assert points.shape == (21, 3)
            assert hand["handedness"] in ("left", "right")
            assert np.all((points[:, :2] >= 0) & (points[:, :2] <= 1))
    _, found = messi
    recorded = {h["handedness"]: np.array(h["landmarks"]) for h in records["messi5.jpg"]["hands"]}
    for hand in found.hands:
        assert np.abs(hand.landmarks[:, :2] - recorded[hand.handedness][:, :2]).max() < 0.01


# ---- input checking ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((480, 640, 3), np.float32), "uint8"),
        (np.zeros((480, 640, 3), np.int16), "uint8"),
        (np.zeros((0, 0, 3), np.uint8), "at least"),
        (np.zeros((0, 640, 3), np.uint8), "at least"),
        (np.zeros((1, 1, 3), np.uint8), "at least"),
        (np.zeros((20, 4000, 3), np.uint8), "aspect ratio"),
        (np.zeros((4000, 20), np.uint8), "aspect ratio"),
        (np.zeros((48, 64, 5), np.uint8), "HxWx3"),
        (np.zeros((2, 48, 64, 3), np.uint8), "HxWx3"),
        (np.zeros(640, np.uint8), "HxWx3"),
        ([[0, 0, 0]], "numpy array"),
    ],
)
def test_bad_images_are_refused_clearly(image: object, message: str) -> None:
    lm = Landmarker()  # the check comes before any model loads
    with pytest.raises(ValueError, match=message):
        lm.detect(image)  # type: ignore[arg-type]


def test_grayscale_and_rgba_are_converted(landmarker: Landmarker) -> None:
    rgb = read(grace_hopper_path())
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    assert as_rgb(gray).shape == rgb.shape
    for image in (gray, gray[:, :, None], np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)])):
        people = landmarker.detect(image).people
        assert len(people) == 1
        assert inside(px(rgb, people[0], 0), (240, 222, 290, 268))


def test_odd_but_valid_frames_do_not_crash(landmarker: Landmarker) -> None:
    rng = np.random.default_rng(3)
    for shape in ((16, 16, 3), (17, 130, 3), (600, 75, 3), (31, 33, 3)):
        found = landmarker.detect(rng.integers(0, 256, shape, dtype=np.uint8))
        assert isinstance(found, Detections)
    # a non-contiguous view (a crop, a mirrored frame) is fine too
    image = read(OPENCV_DATA / "messi5.jpg")[:, ::-1]
    assert len(landmarker.detect(image).people) == 1


def test_settings_are_checked() -> None:
    for bad in ({"threads": 0}, {"max_people": 0}, {"max_hands": 0}, {"tiles": 0}):
        with pytest.raises(ValueError, match="at least 1"):
            Landmarker(**bad)  # type: ignore[arg-type]


def test_max_people_limits_the_count() -> None:
    image = read(OPENCV_DATA / "basketball2.png")
    assert len(Landmarker(hands=False, max_people=1).detect(image).people) == 1


# ---- model files ------------------------------------------------------------------------


def test_missing_model_files_say_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelFileMissing, match=r"pip install --no-deps mediapipe==0\.10\.18"):
        Landmarker(model_dir=tmp_path).detect(np.zeros((64, 64, 3), np.uint8))
    with pytest.raises(ModelFileMissing, match=r"pose_detection\.tflite"):
        model_path(POSE_DETECTION, tmp_path)


def test_model_dir_with_a_flat_copy(tmp_path: Path, messi: tuple[Image, Detections]) -> None:
    for name in (POSE_DETECTION, POSE_LANDMARK, PALM_DETECTION, HAND_LANDMARK):
        (tmp_path / Path(name).name).symlink_to(model_path(name))
    image, expected = messi
    found = Landmarker(model_dir=tmp_path).detect(image)
    assert len(found.people) == len(expected.people) == 1
    np.testing.assert_allclose(found.people[0].landmarks, expected.people[0].landmarks)


def test_a_file_that_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "pose_detection.tflite").write_bytes(b"not a model")
    with pytest.raises(ValueError, match="not a usable LiteRT model"):
        Landmarker(model_dir=tmp_path, hands=False).detect(np.zeros((64, 64, 3), np.uint8))


# ---- geometry ---------------------------------------------------------------------------


def test_anchor_grids_match_the_models() -> None:
    pose = ssd_anchors(POSE_ANCHORS)
    palm = ssd_anchors(PALM_ANCHORS)
    assert pose.shape == (2254, 4) and palm.shape == (2016, 4)
    # first cell of the finest grid, two anchors; fixed size 1
    np.testing.assert_allclose(pose[:2], [[0.5 / 28, 0.5 / 28, 1, 1]] * 2)
    np.testing.assert_allclose(palm[-1], [11.5 / 12, 11.5 / 12, 1, 1])
    # the 7x7 grid (strides 32, 32, 32) has 6 anchors a cell
    np.testing.assert_allclose(pose[-6:, :2], [[6.5 / 7, 6.5 / 7]] * 6)


def test_weighted_suppression_averages_overlaps() -> None:
    def det(x0: float, score: float) -> RawDetection:
        return RawDetection(
            np.array([x0, 0, x0 + 1, 1], np.float32), np.array([[x0, 0.5]], np.float32), score
        )

    merged = weighted_nms([det(0.0, 0.9), det(0.1, 0.3), det(5.0, 0.8)], threshold=0.3)
    assert [round(m.score, 2) for m in merged] == [0.9, 0.8]
    assert merged[0].box[0] == pytest.approx(0.025)  # (0.9 * 0 + 0.3 * 0.1) / 1.2
    assert merged[0].keypoints[0, 0] == pytest.approx(0.025)
    # a zero-area box (IoU 0 even with itself) survives as itself
    flat = RawDetection(np.zeros(4, np.float32), np.zeros((1, 2), np.float32), 0.7)
    assert weighted_nms([flat, det(0.0, 0.9)])[1].score == pytest.approx(0.7)


def test_roi_crop_and_mapping_agree() -> None:
    """A crop shown upright maps back where it came from, at any rotation."""
    image = np.zeros((200, 300, 3), np.uint8)
    image[40:60, 200:220] = 255  # a white square centred at (210, 50)
    for degrees in (0, 90, -135):
        roi = Roi(150.0, 100.0, 240.0, math.radians(degrees))
        crop = roi.crop(image, 96)
        ys, xs = np.nonzero(crop[:, :, 0] > 0.5)
        centre = np.array([[(xs.mean() + 0.5) / 96, (ys.mean() + 0.5) / 96]])
        np.testing.assert_allclose(roi.to_frame(centre)[0], (210, 50), atol=1.5)
