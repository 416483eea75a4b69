"""Where the landmark models come from, and how they are run.

The .tflite files are MediaPipe's, taken from the ``mediapipe`` wheel installed with
``--no-deps``: the package itself is never imported (its dependencies are absent and
its Python code would pull in much more than we need), only its data files are read.
A user can point ``model_dir`` at a copy of their own instead, e.g. on a machine
where the wheel cannot be installed.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MEDIAPIPE_PIN = "mediapipe==0.10.18"
INSTALL_HINT = f"pip install --no-deps {MEDIAPIPE_PIN}"

# paths under mediapipe/modules/ in the wheel
POSE_DETECTION = "pose_detection/pose_detection.tflite"
POSE_LANDMARK = "pose_landmark/pose_landmark_full.tflite"
PALM_DETECTION = "palm_detection/palm_detection_lite.tflite"
HAND_LANDMARK = "hand_landmark/hand_landmark_lite.tflite"


class ModelFileMissing(Exception):
    """A landmark model file is not where it should be."""

    def __init__(self, name: str, looked_in: list[Path]) -> None:
        places = ", ".join(str(p) for p in looked_in) or "nowhere (mediapipe is not installed)"
        super().__init__(
            f"landmark model file {name!r} not found (looked in: {places}); "
            f"install it with `{INSTALL_HINT}` or pass model_dir= pointing at a copy"
        )
        self.name = name
        self.looked_in = looked_in


def mediapipe_dir() -> Path | None:
    """The installed mediapipe package's folder, found without executing the package
    (importing it would fail: it is installed without its dependencies)."""
    try:
        spec = importlib.util.find_spec("mediapipe")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_path(name: str, model_dir: str | Path | None = None) -> Path:
    """The file for ``name`` (e.g. ``POSE_DETECTION``).

    In ``model_dir`` the file may sit as in the wheel (``modules/<name>``), as
    ``<name>``, or flat by its file name, so a user can copy either the whole
    ``modules`` tree or just the four files.
    """
    candidates: list[Path] = []
    if model_dir is not None:
        root = Path(model_dir)
        candidates += [root / "modules" / name, root / name, root / Path(name).name]
    else:
        package = mediapipe_dir()
        if package is not None:
            candidates.append(package / "modules" / name)
    for path in candidates:
        if path.is_file():
            return path
    raise ModelFileMissing(name, candidates)


def make_interpreter(path: str | Path, threads: int = 1) -> Any:
    """A LiteRT interpreter for ``path``, tensors allocated."""
    from ai_edge_litert.interpreter import Interpreter

    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    try:
        interpreter = Interpreter(model_path=str(path), num_threads=threads)
        interpreter.allocate_tensors()
    except (ValueError, RuntimeError) as exc:
        raise ValueError(f"{path} is not a usable LiteRT model: {exc}") from exc
    return interpreter


@dataclass
class TfliteModel:
    """One model with a single float image input; outputs by tensor name.

    MediaPipe's files name their outputs ``Identity``, ``Identity_1``, ...; fetching
    them by name (rather than by position in ``get_output_details``) keeps us right
    whatever order the runtime lists them in.
    """

    path: Path
    interpreter: Any
    input_index: int
    input_size: tuple[int, int]  # height, width
    outputs: dict[str, int]

    @classmethod
    def load(
        cls,
        name: str,
        threads: int,
        model_dir: str | Path | None,
        input_size: tuple[int, int],
        outputs: dict[str, tuple[int, ...]],
    ) -> TfliteModel:
        """Load and check that the file has the tensors the decoding expects, so a
        different model version fails here with a clear message, not later with
        nonsense landmarks."""
        path = model_path(name, model_dir)
        interpreter = make_interpreter(path, threads)
        (inp,) = interpreter.get_input_details()
        want_in = (1, input_size[0], input_size[1], 3)
        if tuple(int(d) for d in inp["shape"]) != want_in or inp["dtype"] != np.float32:
            raise ValueError(
                f"{path}: input is {inp['dtype'].__name__}{list(inp['shape'])}, expected "
                f"float32{list(want_in)}; use the files from {MEDIAPIPE_PIN}"
            )
        by_name = {d["name"]: d for d in interpreter.get_output_details()}
        indices: dict[str, int] = {}
        for out_name, shape in outputs.items():
            got = by_name.get(out_name)
            if got is None or tuple(int(d) for d in got["shape"]) != shape:
                found = {k: list(v["shape"]) for k, v in by_name.items()}
                raise ValueError(
                    f"{path}: expected output {out_name}{list(shape)}, found {found}; "
                    f"use the files from {MEDIAPIPE_PIN}"
                )
            indices[out_name] = int(got["index"])
        return cls(path, interpreter, int(inp["index"]), input_size, indices)

    def run(self, tensor: npt.NDArray[np.float32]) -> dict[str, npt.NDArray[np.float32]]:
        self.interpreter.set_tensor(self.input_index, tensor[None])
        self.interpreter.invoke()
        return {
            name: np.array(self.interpreter.get_tensor(index)[0], dtype=np.float32)
            for name, index in self.outputs.items()
        }
